"""Per-document results kept on disk for the length of one build and read back when a
stage asks for them (issue 22, "flat memory").

The per-document stages leave, besides each Document, its search-index terms and its
d/<n>.js record (publish.search.DocTerms, about 55 KB a document) and its term counts
and MinHash signature (link.LinkPrep, about 11 KB). The whole-archive stages read them
one document at a time, each in its own pass, so holding all of them at once made
memory grow with the archive: 66 of the 90 KB per document the generate process held
after the per-document stages, measured at 1,000 documents. A Spill holds in memory only
where each value lies in one temporary file (an offset and a length per document);
reading one back is a pread and a pickle load of that value alone.

The file is unnamed (tempfile.TemporaryFile), so it disappears when the build ends or
fails, and it lives beside the document cache rather than in /tmp, which may be a
memory-backed filesystem. Pickle is safe here: the file is written and read by this
process only.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterator, MutableMapping
from dataclasses import fields
from pathlib import Path
from typing import IO, SupportsIndex, TypeVar

from generator.model import Document

V = TypeVar("V")


class Spill(MutableMapping[str, V]):
    """A dict of per-document values whose values live in a file: same keys, same order
    of insertion, same values (each read is a fresh copy, so mutating one changes
    nothing stored)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self._at: dict[str, tuple[int, int]] = {}
        self._pid = os.getpid()

    def __setitem__(self, key: str, value: V) -> None:
        if os.getpid() != self._pid:
            # a stage forked beside another (beside.py) shares the file and its offset with
            # the parent: an append from both would overwrite each other's values
            raise RuntimeError("a stage run in a forked process wrote to the build's store; it may only read it")
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        end = self._fh.seek(0, os.SEEK_END)
        self._fh.write(data)
        self._at[key] = (end, len(data))  # set again: keeps its place, as in a dict

    def refer(self, key: str, path: Path, off: int, n: int) -> None:
        """Set `key` to the pickle of n bytes at `off` in the file `path` (a document cache
        file, cache_pack.py), read from there when asked for: nothing is copied."""
        self._at[key] = (off, n, path)  # type: ignore[assignment]

    def __getitem__(self, key: str) -> V:
        where = self._at[key]
        if len(where) == 3:  # a part of a cache file (refer)
            off, n, path = where  # type: ignore[misc]
            try:
                with open(path, "rb") as fh:
                    fh.seek(off)
                    data = fh.read(n)
            except OSError as exc:
                raise OSError(f"the document cache file {path} went away during the build: {exc}") from exc
            if len(data) != n:
                raise OSError(f"the document cache file {path} was cut short during the build")
            return pickle.loads(data)
        off, n = where
        self._fh.flush()
        data = os.pread(self._fh.fileno(), n, off)
        if len(data) != n:
            raise OSError(f"the build's temporary store {getattr(self._fh, 'name', '')} was cut short")
        return pickle.loads(data)

    def __delitem__(self, key: str) -> None:
        del self._at[key]  # the bytes stay in the file until the build ends

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


class DocumentStore:
    """The temporary file one build's Spills share; closed (and so removed) by close()
    or when the build's process ends."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._fh = tempfile.TemporaryFile(dir=directory, prefix="build-store-")

    def spill(self) -> Spill:
        return Spill(self._fh)

    def flush(self) -> None:
        """Write out what the file object buffers: a process forked now must not inherit
        (and write a second time) a half-written value."""
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


# The fields that hold a document's text: about 16 KB a document, three quarters of what
# a Document weighs once the per-document stages are done. Everything else (metadata,
# keywords, links) is read by the index pages for every document and stays in memory.
TEXT_FIELDS = ("paragraphs", "simplified", "removals")


class _TextField:
    """One text field of a StoredDocument, read from the build's store when a stage asks
    for it (and kept for the few documents read last, since a page reads its text several
    times in a row), written there when a stage sets it."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, doc: StoredDocument | None, owner: type | None = None) -> object:
        if doc is None:
            return self
        return doc._texts.get(doc.id)[self.name]

    def __set__(self, doc: StoredDocument, value: object) -> None:
        doc._texts.set_field(doc.id, self.name, value)


class TextSpill:
    """The text fields of every document, by id, in a Spill; the last CACHED documents'
    fields stay in memory (a page's writing reads them several times over)."""

    CACHED = 64

    def __init__(self, spill: Spill[dict[str, object]]) -> None:
        self._spill = spill
        self._recent: dict[str, dict[str, object]] = {}

    def put(self, did: str, fields: dict[str, object]) -> None:
        self._spill[did] = fields
        self._recent.pop(did, None)

    def refer(self, did: str, path: Path, off: int, n: int) -> None:
        """The fields of `did` as the pickle at `off` in `path` (Spill.refer)."""
        self._spill.refer(did, path, off, n)
        self._recent.pop(did, None)

    def get(self, did: str) -> dict[str, object]:
        got = self._recent.pop(did, None)
        if got is None:
            got = self._spill[did]
            if len(self._recent) >= self.CACHED:
                del self._recent[next(iter(self._recent))]  # the least recently read
        self._recent[did] = got
        return got

    def set_field(self, did: str, name: str, value: object) -> None:
        fields = dict(self.get(did))
        fields[name] = value
        self.put(did, fields)


class StoredDocument(Document):
    """A Document whose text lives in the build's store: the same fields with the same
    values (read on access), so every stage uses it as a Document, and it pickles whole,
    loading as the plain Document it stands for (the page cache's keys hash that pickle,
    and a pool's workers receive the whole document)."""

    paragraphs = _TextField("paragraphs")  # type: ignore[assignment]
    simplified = _TextField("simplified")  # type: ignore[assignment]
    removals = _TextField("removals")  # type: ignore[assignment]

    _texts: TextSpill

    def __eq__(self, other: object) -> bool:
        # a Document's own __eq__ compares only with its exact class
        if not isinstance(other, Document):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(Document))

    __hash__ = None  # type: ignore[assignment]  # as a Document's (mutable, compared by value)

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[object, ...]:
        # (pickle refuses to write a StoredDocument as a Document's NEWOBJ, so it is
        # rebuilt by a function; the bytes depend only on the values)
        return plain_document, (self.plain_state(),)

    def plain_state(self) -> dict[str, object]:
        """The __dict__ the plain Document would have, in its order (fields first, in the
        order its __init__ sets them, then any attribute a stage added)."""
        texts = self._texts.get(self.id)
        own = self.__dict__
        state = {f.name: texts[f.name] if f.name in texts else own[f.name] for f in fields(Document)}
        state.update((k, v) for k, v in own.items() if k not in state and k != "_texts")
        return state


def plain_document(state: dict[str, object]) -> Document:
    """The plain Document of a StoredDocument's state (what a pickled one loads as)."""
    doc = object.__new__(Document)
    doc.__dict__.update(state)
    return doc


def store_texts(doc: Document, texts: TextSpill) -> Document:
    """The document with its text fields moved to `texts`: a StoredDocument equal to it
    field for field (a plain Document is returned as is when it has an attribute of its
    own named like the store's, which no stage sets)."""
    state = dict(doc.__dict__)
    if "_texts" in state:
        return doc
    texts.put(doc.id, {name: state.pop(name) for name in TEXT_FIELDS})
    stored = object.__new__(StoredDocument)
    stored.__dict__.update(state)
    stored.__dict__["_texts"] = texts
    return stored
