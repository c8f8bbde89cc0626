"""Speech pages made again only when what they show changed (issue 22).

After one new document nearly every speech page's Markdown is what it was, and the write
stage used to make every page anyway (front matter through PyYAML, the escaped text, the
citation blocks) only for Output to find the same bytes on disk: at 2,000 documents that
was a third of the write stage, and the sources' copies (read and compared whole) another
eighth. A page is a function of its inputs, so the inputs are hashed instead:

- the document itself, pickled whole: its text, metadata, keywords, similar speeches,
  reposts and siblings (what the link stage set) are all fields of it;
- what the page shows of other documents: the title and list facts of every similar
  speech, repost and sibling, and the text-reuse notes and marks (which name other
  documents' titles, dates and the part that holds a paragraph), as the page prints them;
- the index links of its keywords and facets (the page an index entry is on);
- the site's URLs (SITE_URL, SOURCE_URL) and the generator version (any code change).

A page whose key equals the previous build's, and whose file still has the size and
modification time recorded after that build wrote or checked it, is kept as it is; any
other page is made and written through Output as before. A key that misses (a field whose
pickle differs although its value does not) only costs a page made again, never a stale
page; tests/test_incremental.py compares every generated file with a cold build.

The file (.cache/pages/pages.pickle) is written only by this program into the project's
own .cache/, so pickle is safe; a missing or unreadable file means every page is made.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import io
import pickle
from pathlib import Path

from generator.docstore import TEXT_FIELDS
from generator.model import Document
from generator.publish.output import Output
from generator.runtime import dump_pickle, generator_version

FILE = "pages.pickle"


class PageCache:
    """The previous build's key and file stamp per generated file, and this build's."""

    def __init__(self, directory: Path | None, docs_dir: Path) -> None:
        self.path = directory / FILE if directory else None
        self.docs_dir = docs_dir
        self.old: dict[str, tuple[str, int, int]] = self._load()
        self.new: dict[str, tuple[str, int, int]] = {}
        self.kept = self.made = 0

    def _load(self) -> dict[str, tuple[str, int, int]]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            with self.path.open("rb") as fh:
                data = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return {}
        if not isinstance(data, dict) or data.get("version") != generator_version():
            return {}
        pages = data.get("pages")
        return pages if isinstance(pages, dict) else {}

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.docs_dir).as_posix()

    def fresh(self, out: Output, path: Path, key: str) -> bool:
        """True, and the file counted as produced, when it is what `key` makes."""
        if self.path is None:
            return False
        rel = self._rel(path)
        entry = self.old.get(rel)
        if entry is None or entry[0] != key:
            return False
        try:
            st = path.stat()
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != entry[1:]:
            return False
        out.keep(path)
        out.unchanged += 1
        self.new[rel] = entry
        self.kept += 1
        return True

    def made_now(self, path: Path, key: str) -> None:
        """Record a file just written (or found unchanged) through Output under `key`."""
        if self.path is None:
            return
        st = path.stat()
        self.new[self._rel(path)] = (key, st.st_size, st.st_mtime_ns)
        self.made += 1

    def save(self) -> None:
        if self.path is not None:
            dump_pickle(self.path, {"version": generator_version(), "pages": self.new})


def digest(*parts: object) -> str:
    """A key of any picklable values, by value: pickle keeps every bit of a float and a
    string, and with its memo off (`fast`) an object met twice is written twice, so a
    document made in this process and the same document read back from the cache (where
    equal strings may or may not be one object) give the same bytes."""
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=5)
    pickler.fast = True  # no memo: the bytes depend on the values alone (documents hold no cycles)
    pickler.dump(parts)
    return hashlib.sha256(buf.getbuffer()).hexdigest()


def shown_digest(doc: Document, keywords: list[str], related: list[tuple[object, ...]],
                 text_key: str | None = None) -> str:
    """The document's key as its pages print it: `keywords` and `related` as shown (the
    tags in reading order; each similar speech's id, score to two decimals, shared
    keywords in reading order and reposts), and no tokens (no page prints them).

    Keyed on the whole document, a page was made again whenever a neighbour's score moved
    in its last bits, which every new document does through the document frequencies: at
    1,000 synthetic documents plus one, 516 of 1,019 speech pages were made again to find
    about 60 changed. The fields left out are exactly what speech_page and
    continuation_page never print (tests/test_page_cache.py). With `text_key` (the key of
    the document's cached per-document results, which fixes its text), the text fields are
    replaced by that key."""
    if text_key:
        # the key of the document's cached results stands for its text (same key, same
        # text): the text is then neither read from the build's store nor hashed
        shown = [(f.name, getattr(doc, f.name)) for f in dataclasses.fields(Document)
                 if f.name not in TEXT_FIELDS and f.name not in ("keywords", "related", "tokens")]
        return digest(text_key, shown, list(keywords), related)
    view = copy.copy(doc)
    view.keywords, view.related, view.tokens = list(keywords), [], []
    return digest(view, related)
