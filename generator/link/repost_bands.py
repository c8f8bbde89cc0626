"""Repost candidates by MinHash banding, from one array of every document's signature.

Why not datasketch's MinHashLSH index, which this replaces: per document it kept a MinHash
object (with its own copy of the 128 permutations), the key of each of its bands as bytes
in a dict of lists, and every band key again in its key table, about 9 KB a document, so
900 MB at 100,000 documents for what is 512 bytes of signature (issue 22, "flat memory").

The candidates are the same pairs: two documents are proposed when all the values of one
band (a run of `rows` consecutive signature values) are equal, which is what the index's
band keys (the values' bytes) compare. The band layout comes from datasketch's own choice
for the threshold and weights, so the banding's miss rate is the one stated in link.
"""

from __future__ import annotations

import numpy as np
from datasketch import MinHashLSH


def band_layout(threshold: float, num_perm: int, weights: tuple[float, float]) -> tuple[int, int]:
    """(bands, rows per band) that MinHashLSH picks for these settings."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=weights)
    return lsh.b, lsh.r


def candidate_pairs(sigs: np.ndarray, bands: int, rows: int, min_equal: int = 0) -> np.ndarray:
    """Every pair (i, j), i < j, of signature rows equal on at least one band, sorted by
    i then j, as an (n_pairs, 2) int64 array.

    With `min_equal`, only the pairs whose signatures agree in at least that many places
    (the MinHash estimate the caller would test next). They are tested bucket by bucket as
    they are found, in blocks of at most `_PAIR_BLOCK` pairs, so memory is set by what
    passes, not by every proposed pair: the banding proposes pairs in proportion to N²
    times the chance that two unrelated texts share a band, which at 100,000 synthetic
    documents was tens of millions of pairs and 7 GB (issue 22)."""
    n = len(sigs)
    found = [np.zeros((0, 2), dtype=np.int64)]
    for b in range(bands):
        band = np.ascontiguousarray(sigs[:, b * rows : (b + 1) * rows])
        keys = band.view(np.dtype((np.void, band.dtype.itemsize * rows))).ravel()
        order = np.argsort(keys, kind="stable")  # equal keys adjacent, rows ascending within
        sk = keys[order]
        starts = np.flatnonzero(np.concatenate(([True], sk[1:] != sk[:-1])))
        ends = np.append(starts[1:], n)
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
            if e - s < 2:
                continue
            members = np.sort(order[s:e])
            if min_equal:
                found.extend(_close_pairs(sigs, members, min_equal))
                continue
            i, j = np.triu_indices(len(members), k=1)
            found.append(np.stack([members[i], members[j]], axis=1).astype(np.int64))
    pairs = np.concatenate(found)
    if not len(pairs):
        return pairs
    return np.unique(pairs, axis=0)  # lexicographic: by i, then j


_PAIR_BLOCK = 1 << 18  # pairs compared at once: 2^18 × 128 values, 32 MB of booleans


def _close_pairs(sigs: np.ndarray, members: np.ndarray, min_equal: int) -> list[np.ndarray]:
    """The pairs of one bucket's members (ascending) whose signatures agree in at least
    `min_equal` places: a block of rows against every later member at a time."""
    m = len(members)
    out = []
    a = 0
    while a < m - 1:
        later = m - 1 - a
        b = min(m - 1, a + max(1, _PAIR_BLOCK // later))
        rows_, cols = members[a:b], members[a + 1 :]
        same = np.count_nonzero(sigs[rows_][:, None, :] == sigs[cols][None, :, :], axis=2)
        # row r is member a + r, column c is member a + 1 + c: a later member when c >= r
        upper = np.arange(len(cols))[None, :] >= np.arange(len(rows_))[:, None]
        r, c = np.nonzero((same >= min_equal) & upper)
        if len(r):
            out.append(np.stack([rows_[r], cols[c]], axis=1).astype(np.int64))
        a = b
    return out
