"""Merging per-document search-index parts into the archive's index, at C speed.

Every document's index terms (search.DocTerms) and its `d/<n>.js` record are computed
once, by the pipeline's workers, and kept in the document cache with the rest of the
document's results. What is left for the index stage is the whole-archive part: numbering
the documents, giving every distinct term an id, and writing postings per shard. At
10,000 documents there are tens of millions of (term, document) pairs, so the per-pair
work must not run Python bytecode: term ids are assigned with dict and map calls that
iterate in C, and the terms' FNV-1a hashes (which pick their shard) are computed with
numpy, a column of code points at a time, instead of a Python loop per character.

Nothing here changes what is written: term ids are internal (postings are grouped by
term and every shard is serialized with sorted keys), and fnv1a_many gives exactly
search.fnv1a's values (tests/test_search_merge.py checks both).
"""

from __future__ import annotations

import hashlib
import pickle
from itertools import filterfalse
from pathlib import Path

import numpy as np

from generator.runtime import dump_pickle

FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193


def fnv1a_many(terms: list[str]) -> np.ndarray:
    """search.fnv1a of every term, as uint32, computed one length class at a time: the
    terms of one length form a matrix of code points, hashed a column at a time."""
    out = np.zeros(len(terms), dtype=np.uint32)
    if not terms:
        return out
    lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
    for length in np.unique(lengths).tolist():
        idx = np.flatnonzero(lengths == length)
        h = np.full(len(idx), FNV_OFFSET, dtype=np.uint64)
        if length:
            joined = "".join(terms[i] for i in idx.tolist())
            cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).reshape(len(idx), length)
            for j in range(length):
                # (h ^ c) < 2^32 and the prime < 2^25, so the product fits in 64 bits
                h = ((h ^ cps[:, j]) * FNV_PRIME) & 0xFFFFFFFF
        out[idx] = h.astype(np.uint32)
    return out


class Vocabulary:
    """Term → id in order of first occurrence, filled a document at a time: the new terms
    of a document are found by filterfalse(dict.__contains__) and the ids of all its
    terms read by map(dict.__getitem__), both iterating in C, so the Python-level work
    is per distinct term of the archive, not per posting."""

    def __init__(self, terms: list[str] | None = None) -> None:
        self._terms = terms or []  # the starting terms (a cached vocabulary), by id
        self._ids: dict[str, int] | None = None  # made on the first add: a rebuild may need none

    @property
    def ids(self) -> dict[str, int]:
        if self._ids is None:
            self._ids = dict(zip(self._terms, range(len(self._terms)), strict=True))
        return self._ids

    def add(self, keys: list[str]) -> np.ndarray:
        """Ids of one document's terms (distinct within the document), in their order."""
        ids = self.ids
        new = list(filterfalse(ids.__contains__, keys))
        if new:
            ids.update(zip(new, range(len(ids), len(ids) + len(new)), strict=True))
        return np.fromiter(map(ids.__getitem__, keys), dtype=np.int32, count=len(keys))

    def terms(self) -> list[str]:
        """Every term, by id."""
        return self._terms if self._ids is None else list(self._ids)


def terms_digest(keys: str) -> bytes:
    """What a document's term ids depend on: its newline-joined terms."""
    return hashlib.blake2b(keys.encode("utf-8"), digest_size=16).digest()


class PostingsCache:
    """The previous build's term ids per document, with the vocabulary they refer to, in
    .cache/search/postings.pickle: a rebuild maps only new or changed documents' terms to
    ids (the per-posting dictionary lookups were most of the stage) and takes every other
    document's ids as they were. Ids are internal (see the module's docstring), so a build
    from this cache writes the same bytes as a cold one. A missing, unreadable or foreign
    file is ignored. Pickle is safe here: the file is written only by this program into
    the project's own .cache/ folder."""

    FORMAT = 1

    def __init__(self, directory: Path | None) -> None:
        self.path = directory / "postings.pickle" if directory else None
        self.terms: list[str] = []
        self.slices: dict[bytes, tuple[int, int]] = {}  # terms digest → where its ids are in `tids`
        self.tids = np.zeros(0, np.int32)
        self.hits = self.misses = 0
        if self.path is None or not self.path.exists():
            return
        try:
            with self.path.open("rb") as fh:
                data = pickle.load(fh)
            if isinstance(data, dict) and data.get("format") == self.FORMAT:
                self.terms, self.slices, self.tids = data["terms"], data["slices"], data["tids"]
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, KeyError):
            self.terms, self.slices, self.tids = [], {}, np.zeros(0, np.int32)

    def get(self, digest: bytes) -> np.ndarray | None:
        where = self.slices.get(digest)
        if where is None:
            self.misses += 1
            return None
        self.hits += 1
        return self.tids[where[0] : where[0] + where[1]]

    def save(self, terms: list[str], digests: list[bytes], tids: np.ndarray, counts: list[int]) -> None:
        """Keep this build's ids (documents in `digests` order, their ids concatenated in
        `tids`), unless nothing changed since the file was read."""
        if self.path is None or (self.misses == 0 and len(self.slices) == len(set(digests))):
            return
        slices, start = {}, 0
        for digest, count in zip(digests, counts, strict=True):
            slices[digest] = (start, count)
            start += count
        dump_pickle(self.path, {"format": self.FORMAT, "terms": terms, "slices": slices, "tids": tids})


def compact(terms: list[str], tids: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Drop the terms no posting uses (those of documents removed since the cached
    vocabulary was made) and renumber: the index must hold exactly the archive's terms."""
    used = np.zeros(len(terms), dtype=bool)
    used[tids] = True
    if used.all():
        return terms, tids
    new_id = np.cumsum(used, dtype=np.int64) - 1
    return [t for t, u in zip(terms, used.tolist(), strict=True) if u], new_id[tids].astype(np.int32)
