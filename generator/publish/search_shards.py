"""The search index's postings built in shards, with memory set by the largest shard.

Holding every (term, document, tf code) of the archive until the end cost 9 bytes a
posting: about 0.5 billion postings, 4.5 GB, at 100,000 documents. Here the postings of
each document are appended, as they are made, to one of G spill files on disk chosen by
the term's shard key's FNV-1a hash (its low bits, the same bits that choose its s/<k>.js shard, so a
spill group holds whole shards, or whole groups make one shard when the index has fewer
shards than groups). When every document is read the shard count is known, and each
group is read back, encoded (search.encode_postings) and its shards written, one group
at a time. What stays in memory for the whole archive is what grows with the number of
distinct terms, not with postings: the vocabulary and one hash per term.

The previous build's term ids per document (search_merge.PostingsCache) stream the same
way: this build's ids are appended to a file as documents are read, and that file
becomes the next build's cache.

Nothing here changes a byte of the index: postings of a term all fall in one group, and
within a group they are spilled in document order, so encode_postings sees every term's
documents ascending, as it did when it sorted the whole archive at once.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from generator.publish.search_merge import fnv1a_many

RECORD = np.dtype([("t", "<i4"), ("d", "<i4"), ("c", "u1")])  # one posting on disk: 9 bytes
FLUSH_POSTINGS = 2_000_000  # postings buffered before they are appended to the spill files
MAX_GROUPS = 256  # spill files; a power of two, as the shard counts are
DOCS_PER_GROUP = 400  # documents' postings per group the group count aims at


def group_count(n_docs: int) -> int:
    """Spill groups for an archive of n_docs: a power of two, about one per 400 documents
    (≈ 2 M postings, 20 MB on disk and a few times that while it is encoded), at most
    MAX_GROUPS. It changes only how the work is cut, never the index."""
    g = 1
    while g < MAX_GROUPS and n_docs / g > DOCS_PER_GROUP:
        g *= 2
    return g


class PostingSpill:
    """Postings appended by term-hash group to files in a temporary folder; read back a
    group (or, for an index with fewer shards than groups, a set of groups) at a time."""

    def __init__(self, groups: int, parent: Path | None = None) -> None:
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="spill-", dir=parent))
        self.groups = groups
        self._hashes = [np.zeros(0, np.uint32)]  # FNV-1a of every term, by term id (see hashes)
        self._unhashed: list[str] = []  # terms given but not hashed yet (hashed a batch at a time)
        self.terms = 0
        self.used = np.zeros(0, bool)  # term ids some document of this build holds
        self.total = 0
        self._parts: list[np.ndarray] = []
        self._buffered = 0

    def add_terms(self, terms: list[str]) -> None:
        """The shard keys (search.shard_key) of the next term ids (ids are given in
        order: 0, 1, …)."""
        self._unhashed.extend(terms)
        self.terms += len(terms)

    @property
    def hashes(self) -> np.ndarray:
        if self._unhashed:
            self._hashes.append(fnv1a_many(self._unhashed))
            self._unhashed = []
        if len(self._hashes) > 1:
            self._hashes = [np.concatenate(self._hashes)]
        return self._hashes[0]

    def add(self, tids: np.ndarray, doc: int, codes: np.ndarray) -> None:
        """One document's postings (its term ids, distinct, and their tf codes)."""
        if len(self.used) < self.terms:
            grown = np.zeros(max(self.terms, 2 * len(self.used)), bool)
            grown[: len(self.used)] = self.used
            self.used = grown
        self.used[tids] = True
        rec = np.empty(len(tids), RECORD)
        rec["t"], rec["d"], rec["c"] = tids, doc, codes
        self._parts.append(rec)
        self._buffered += len(rec)
        self.total += len(rec)
        if self._buffered >= FLUSH_POSTINGS:
            self.flush()

    def count(self, tids: np.ndarray) -> None:
        """add() without keeping the postings: a rebuild that patches the previous shards
        (search_reuse) needs only which terms are used and how many postings there are."""
        if len(self.used) < self.terms:
            grown = np.zeros(max(self.terms, 2 * len(self.used)), bool)
            grown[: len(self.used)] = self.used
            self.used = grown
        self.used[tids] = True
        self.total += len(tids)

    def flush(self) -> None:
        """Append the buffered postings to their groups' files, in document order."""
        if not self._parts:
            return
        rec = np.concatenate(self._parts)
        self._parts, self._buffered = [], 0
        group = (self.hashes[rec["t"]] & (self.groups - 1)).astype(np.int32)
        order = np.argsort(group, kind="stable")  # stable: document order within a group
        rec, group = rec[order], group[order]
        bounds = np.searchsorted(group, np.arange(self.groups + 1))
        for g in range(self.groups):
            if bounds[g] < bounds[g + 1]:
                with (self.dir / f"{g}.bin").open("ab") as fh:
                    rec[bounds[g] : bounds[g + 1]].tofile(fh)

    def read(self, stride: int, j: int) -> np.ndarray:
        """The postings of every group g with g % stride == j, in document order within each
        term (a term's postings are all in one group)."""
        parts = [np.fromfile(p, RECORD) for g in range(j, self.groups, stride)
                 if (p := self.dir / f"{g}.bin").exists()]
        return np.concatenate(parts) if parts else np.zeros(0, RECORD)

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def shard_postings(spill: PostingSpill, terms: list[str], new_id: np.ndarray | None, shards: int,
                   encode) -> Iterator[tuple[int, dict[str, str]]]:
    """(shard number, {term: postings}) for every shard, a group of shards at a time.
    `new_id` renumbers spilled term ids into `terms` (None when they already match);
    `encode` is search.encode_postings."""
    spill.flush()
    hashes = spill.hashes if new_id is None else spill.hashes[spill.used[: spill.terms]]
    stride = min(spill.groups, shards)  # both powers of two
    for j in range(stride):
        rec = spill.read(stride, j)
        mine = range(j, shards, stride)  # the shards whose terms are in these groups
        out: dict[int, dict[str, str]] = {s: {} for s in mine}
        if len(rec):
            tids = rec["t"] if new_id is None else new_id[rec["t"]].astype(np.int32)
            text, order, offsets, *rest = encode(tids, rec["d"], rec["c"])
            dense = rest[0] if rest else {}  # terms written in their dense form (search_dense)
            del rec, tids
            shard_of = (hashes[order] & (shards - 1)).tolist()
            for i, tid in enumerate(order.tolist()):
                out[shard_of[i]][terms[tid]] = dense.get(i) or text[offsets[i] : offsets[i + 1]]
            del text
        yield from out.items()
