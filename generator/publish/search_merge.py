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
import os
import pickle
import tempfile
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
        self._new: list[str] = []  # terms added since take_new() was last called, by id

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
            self._new.extend(new)
        return np.fromiter(map(ids.__getitem__, keys), dtype=np.int32, count=len(keys))

    def take_new(self) -> list[str]:
        """The terms added since the last call, in id order (the shard builder hashes
        each term once, when it first appears)."""
        new, self._new = self._new, []
        return new

    def terms(self) -> list[str]:
        """Every term, by id."""
        return self._terms if self._ids is None else list(self._ids)


def terms_digest(keys: str) -> bytes:
    """What a document's term ids depend on: its newline-joined terms."""
    return hashlib.blake2b(keys.encode("utf-8"), digest_size=16).digest()


class PostingsCache:
    """The previous build's term ids per document, with the vocabulary they refer to, in
    .cache/search: a rebuild maps only new or changed documents' terms to ids (the
    per-posting dictionary lookups were most of the stage) and takes every other
    document's ids as they were. Ids are internal (see the module's docstring), so a build
    from this cache writes the same bytes as a cold one. A missing, unreadable or foreign
    cache is ignored. Pickle is safe here: the file is written only by this program into
    the project's own .cache/ folder.

    The ids themselves (4 bytes a posting: 2 GB at 100,000 documents) are not held in
    memory: postings.tids holds them, read one document at a time, and this build's ids
    are appended to a new file as its documents are read (record), which save() puts in
    its place. postings.pickle holds the vocabulary, where each document's ids are in the
    file, and a token the file starts with, so a pickle never reads another build's file."""

    FORMAT = 2  # 2: ids in postings.tids, streamed
    HEADER = 16  # bytes of the token at the start of postings.tids

    def __init__(self, directory: Path | None) -> None:
        self.dir = directory
        self.path = directory / "postings.pickle" if directory else None
        self.terms: list[str] = []
        self.slices: dict[bytes, tuple[int, int]] = {}  # terms digest → where its ids are in postings.tids
        self.token = b""  # which build's ids these are (search_reuse ties its shard state to it)
        self.hits = self.misses = 0
        self._file = None
        self._out = None  # this build's ids, appended by record()
        self._written = 0
        self._recorded: list[tuple[bytes, int, int]] = []
        if self.path is None or not self.path.exists():
            return
        try:
            with self.path.open("rb") as fh:
                data = pickle.load(fh)
            if isinstance(data, dict) and data.get("format") == self.FORMAT:
                fh = (directory / "postings.tids").open("rb")
                if fh.read(self.HEADER) != data["token"]:
                    fh.close()
                    return
                self.terms, self.slices, self._file = data["terms"], data["slices"], fh
                self.token = data["token"]
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, KeyError):
            self.terms, self.slices, self._file = [], {}, None

    def get(self, digest: bytes) -> np.ndarray | None:
        where = self.slices.get(digest)
        if where is None or self._file is None:
            self.misses += 1
            return None
        self._file.seek(self.HEADER + 4 * where[0])
        ids = np.frombuffer(self._file.read(4 * where[1]), dtype="<i4")
        if len(ids) != where[1]:  # a truncated file: look the terms up instead
            self.misses += 1
            return None
        self.hits += 1
        return ids.astype(np.int32)

    def close(self) -> None:
        """Close the ids file of a cache that will not be used after all."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def peek(self, digest: bytes) -> np.ndarray | None:
        """get() without counting a hit or a miss (save() reads the counts): the ids of a
        previous document, e.g. one removed, whose shards a rebuild must encode again."""
        hits, misses = self.hits, self.misses
        try:
            return self.get(digest)
        finally:
            self.hits, self.misses = hits, misses

    def record(self, digest: bytes, ids: np.ndarray) -> None:
        """This build's ids of the next document (in the order documents are read)."""
        if self.dir is None:
            return
        if self._out is None:
            self.dir.mkdir(parents=True, exist_ok=True)
            self._out = tempfile.NamedTemporaryFile(dir=self.dir, prefix="postings.tids.", delete=False)
            self._out.write(bytes(self.HEADER))
        self._recorded.append((digest, self._written, len(ids)))
        self._out.write(ids.astype("<i4").tobytes())
        self._written += len(ids)

    def save(self, terms: list[str], new_id: np.ndarray | None) -> None:
        """Keep this build's ids, renumbered by `new_id` (None: as recorded) into `terms`,
        unless nothing changed since the cache was read."""
        out, self._out = self._out, None
        if self._file is not None:
            self._file.close()
            self._file = None
        if out is None:
            return
        digests = [d for d, _s, _c in self._recorded]
        if self.misses == 0 and len(self.slices) == len(set(digests)):
            out.close()
            Path(out.name).unlink()
            return  # self.token stays the one read
        token = hashlib.blake2b(b"".join(digests) + str(self._written).encode(), digest_size=self.HEADER).digest()
        if new_id is not None:  # renumber in place, a few million ids at a time
            out.flush()
            step = 1 << 22
            for start in range(0, self._written, step):
                out.seek(self.HEADER + 4 * start)
                ids = np.frombuffer(out.read(4 * min(step, self._written - start)), dtype="<i4")
                out.seek(self.HEADER + 4 * start)
                out.write(new_id[ids].astype("<i4").tobytes())
        out.seek(0)
        out.write(token)
        self.token = token
        out.close()
        os.replace(out.name, self.dir / "postings.tids")
        for stale in self.dir.glob("postings.tids.*"):  # left by a build that stopped midway
            stale.unlink(missing_ok=True)
        slices = {d: (s, c) for d, s, c in self._recorded}
        dump_pickle(self.path, {"format": self.FORMAT, "terms": terms, "slices": slices, "token": token})


def compact(terms: list[str], tids: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Drop the terms no posting uses (those of documents removed since the cached
    vocabulary was made) and renumber: the index must hold exactly the archive's terms."""
    used = np.zeros(len(terms), dtype=bool)
    used[tids] = True
    if used.all():
        return terms, tids
    new_id = np.cumsum(used, dtype=np.int64) - 1
    return [t for t, u in zip(terms, used.tolist(), strict=True) if u], new_id[tids].astype(np.int32)


def compact_ids(terms: list[str], used: np.ndarray) -> tuple[list[str], np.ndarray | None]:
    """compact() from the flags of the used term ids instead of every posting: the kept
    terms, and old id → new id (None when every term is used and ids stay as they are)."""
    used = used[: len(terms)]
    if len(used) == len(terms) and used.all():
        return terms, None
    return [t for t, u in zip(terms, used.tolist(), strict=False) if u], (np.cumsum(used, dtype=np.int64) - 1)
