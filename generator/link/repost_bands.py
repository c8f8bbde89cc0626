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


def candidate_pairs(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Every pair (i, j), i < j, of signature rows equal on at least one band, sorted by
    i then j, as an (n_pairs, 2) int64 array."""
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
            i, j = np.triu_indices(len(members), k=1)
            found.append(np.stack([members[i], members[j]], axis=1).astype(np.int64))
    pairs = np.concatenate(found)
    if not len(pairs):
        return pairs
    return np.unique(pairs, axis=0)  # lexicographic: by i, then j
