"""Float32 estimates of every similarity score, to choose whom each document is scored
against exactly, in memory that does not grow with the archive's size squared or with
documents × vocabulary.

The link stage estimates a block of rows against every document with one BLAS product
and keeps, per row, the documents whose estimate could put them among the row's best
(`shortlist`). Holding the whole archive's vectors densely for that product costs
N · V · 4 bytes: 0.3 GB at 10,000 documents of a 7,000-term vocabulary, 3 GB at 100,000,
which alone would break the 4 GB a CI runner has. Past `max_bytes` the other documents
are taken a column chunk at a time instead, each made dense from the sparse matrix when
its turn comes, and every row keeps a running threshold: the `k`-th best estimate seen
so far less the margin. Thresholds only rise, so a document at or above the final
threshold was at or above the threshold of its own chunk and was kept; filtering the
kept ones by the final threshold gives exactly the set the whole product gives (the
same k-th value, the same comparison in float32). The estimates themselves may differ
from the whole product's in the last bits (BLAS sums in another order for other shapes),
which the exact scoring that follows absorbs: the shortlist's margin is far above them.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse


def shortlist(approx: np.ndarray, i: int, k: int, margin: float) -> tuple[np.ndarray, float]:
    """Documents whose estimated score could put them among row i's k best, and the
    estimate every other document is below."""
    row = approx.copy()
    row[i] = -1.0
    if len(row) > k:
        cut = max(float(np.partition(row, len(row) - k)[len(row) - k]) - margin, 0.0)
        return np.flatnonzero(row >= cut), cut
    return np.flatnonzero(row > 0), 0.0


class DenseEstimates:
    """The archive's vectors for estimating, whole when they fit in `max_bytes`, else a
    column chunk at a time (chunk rows · V · 4 bytes at most, one chunk at once)."""

    def __init__(self, mat: sparse.csr_matrix, max_bytes: int, min_chunk: int) -> None:
        n, v = mat.shape
        self.mat = mat
        self.n = n
        self.chunk = n if n * v * 4 <= max_bytes else max(min_chunk, max_bytes // max(1, 4 * v))
        self.whole = mat.astype(np.float32).toarray() if self.chunk >= n else None

    def rows(self, rows: list[int]) -> np.ndarray:
        if self.whole is not None:
            return self.whole[rows]
        return self.mat[rows].astype(np.float32).toarray()

    def shortlists(self, rows: list[int], k: int, margin: float) -> list[tuple[np.ndarray, float]]:
        """shortlist() of each row's estimates against every document."""
        if self.whole is not None:
            approx = self.whole[rows] @ self.whole.T
            return [shortlist(approx[r], i, k, margin) for r, i in enumerate(rows)]
        if self.n <= k:  # never chunked: a chunk holds at least min_chunk ≥ k documents
            raise ValueError("chunked estimates need more documents than the shortlist")
        block = self.rows(rows)
        own = np.asarray(rows)
        best = np.full((len(rows), k), -np.inf, dtype=np.float32)  # the k best so far, per row
        kept_rows: list[np.ndarray] = []
        kept_cols: list[np.ndarray] = []
        kept_vals: list[np.ndarray] = []
        for c0 in range(0, self.n, self.chunk):
            c1 = min(self.n, c0 + self.chunk)
            approx = block @ self.mat[c0:c1].astype(np.float32).toarray().T
            mine = np.flatnonzero((own >= c0) & (own < c1))
            approx[mine, own[mine] - c0] = -1.0  # a document is not its own neighbour
            width = min(k, approx.shape[1])
            top = -np.partition(-approx, width - 1, axis=1)[:, :width]
            best = -np.partition(-np.concatenate([best, top], axis=1), k - 1, axis=1)[:, :k]
            cut = self._cuts(best, margin)
            r, c = np.nonzero(approx >= cut[:, None])
            kept_rows.append(r)
            kept_cols.append(c + c0)
            kept_vals.append(approx[r, c])
        cut = self._cuts(best, margin)
        r = np.concatenate(kept_rows)
        c = np.concatenate(kept_cols)
        vals = np.concatenate(kept_vals)
        keep = vals >= cut[r]
        r, c = r[keep], c[keep]
        order = np.lexsort((c, r))
        r, c = r[order], c[order]
        bounds = np.searchsorted(r, np.arange(len(rows) + 1))
        return [(c[bounds[j]:bounds[j + 1]].astype(np.int64), float(cut[j])) for j in range(len(rows))]

    @staticmethod
    def _cuts(best: np.ndarray, margin: float) -> np.ndarray:
        """Each row's threshold as shortlist() computes it: the k-th best estimate less the
        margin (a Python float), at least 0, compared with float32 estimates in float32."""
        kth = best.min(axis=1)
        return np.array([max(float(x) - margin, 0.0) if np.isfinite(x) else 0.0 for x in kth], dtype=np.float32)
