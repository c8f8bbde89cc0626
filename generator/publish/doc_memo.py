"""What the write stage makes of one document alone, kept by the key of its cached results.

Some of the write stage's work reads nothing but one document's own text and metadata:
the targets it states (annotate/targets.extract) and its lines of passages.jsonl.gz
(publish/passages.passages_lines). After one new document they were made again for every
document (about 3 s at 10,000). The pipeline knows each document's key (the key of its
source's cached per-document results: source bytes, annotation, path, id and the
generator's version; pipeline.collect's `doc_keys`); the same key means the same text
and metadata, so the same result. Each memo is one pickle in `.cache/docmemo/`, written
by this program only; holding only this build's documents, it does not grow with
removals. Missing, unreadable or from another generator version: every value is made again.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Generic, TypeVar

from generator.model import Document
from generator.runtime import dump_pickle, generator_version

V = TypeVar("V")


class DocMemo(Generic[V]):
    """One per-document function's values of the previous build, by document key."""

    def __init__(self, directory: Path | None, name: str, keys: Mapping[str, str] | None) -> None:
        self.path = directory / f"{name}.pickle" if directory is not None and keys is not None else None
        self.keys = keys or {}
        self.old: dict[str, V] = self._load()
        self.new: dict[str, V] = {}
        self.made = self.kept = 0

    def _load(self) -> dict[str, V]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            with self.path.open("rb") as fh:
                data = pickle.load(fh)
            if data["version"] != generator_version():
                return {}
            return dict(data["values"])
        except Exception as exc:  # noqa: BLE001 - a damaged memo only costs the work again
            print(f"note: {self.path}: unreadable ({type(exc).__name__}: {exc}); made again", file=sys.stderr)
            return {}

    def get(self, doc: Document, make: Callable[[Document], V]) -> V:
        """make(doc), or the previous build's value for a document of the same key."""
        key = self.keys.get(doc.id)
        if key and key in self.old:
            value = self.old[key]
            self.kept += 1
        else:
            value = make(doc)
            self.made += 1
        if key:
            self.new[key] = value
        return value

    def save(self) -> None:
        """Keep this build's values (only when they differ from the file's)."""
        if self.path is None or (not self.made and len(self.new) == len(self.old)):
            return
        dump_pickle(self.path, {"version": generator_version(), "values": self.new})


class TermPositions:
    """Where a document's text first uses each of the terms its page shows in reading
    order (write.reading_order: its keywords, and the keywords it shares with each similar
    speech), kept by the document's key. The page cache's key needs that order for every
    document after every new document (the keywords of some move), and finding it read every
    document's text from the build's store; with the positions kept, a document whose key
    is unchanged and whose terms were all placed before is ordered without its text."""

    def __init__(self, directory: Path | None, keys: Mapping[str, str] | None) -> None:
        self.memo: DocMemo[tuple[int, dict[str, int]]] = DocMemo(directory, "positions", keys)

    def order(self, doc: Document, wanted: list[list[str]]) -> Callable[[list[str]], list[str]]:
        """A function giving reading_order(terms, doc.search_text) for any of the lists in
        `wanted` (and any terms placed before)."""
        need = {t for ts in wanted for t in ts}
        key = self.memo.keys.get(doc.id)
        old = self.memo.old.get(key) if key else None
        if old is not None and need <= old[1].keys():
            self.memo.kept += 1
            got = old
        else:
            text = doc.search_text
            got = (len(text), {t: text.find(t) for t in sorted(need | (old[1].keys() if old else set()))})
            self.memo.made += 1
        if key:
            self.memo.new[key] = got
        size, at = got

        def ordered(terms: list[str]) -> list[str]:
            return sorted(terms, key=lambda t: (p if (p := at[t]) >= 0 else size, t))
        return ordered

    def save(self) -> None:
        self.memo.save()
