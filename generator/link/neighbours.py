"""Similar speeches after a small change, without scoring every pair again.

Why not "recompute only when the IDF epoch changes": document frequencies are exact, so
one new document changes the weight of every term it holds, and with it the vector of
nearly every document (in the synthetic benchmark archive a third of the vocabulary
moves). Scores move a little everywhere; which neighbours a row gets, and their printed
scores, must still be exactly the cold build's. What can be reused is a *bound*:

For unit vectors, |u·v − u'·v'| ≤ ‖u − u'‖ + ‖v − v'‖. The previous build kept, per
document i, its candidates (the KEEP best, with exact scores) and `bound_i`, an upper
bound of the score of every other document. This build measures every document's change
Δ_j = ‖u_j − u'_j‖ against the previous vectors (kept with the candidates; a new document
has Δ = ∞). A document outside i's candidates now scores at most bound_i + Δ_i + Δ_j. Row
i is rescored exactly over its old candidates, which gives a threshold t (the last
accepted neighbour's score, or MIN_SCORE when the list is not full); then over every
document with bound_i + Δ_i + Δ_j ≥ t − 10⁻⁶ as well (the new ones, and those that moved
most). Adding candidates never lowers t, so every document left out scores below it and
cannot enter the list: the result is the one the full row gives. When that set is large
(a change that moved much of the archive, such as a new IDF epoch) the row is computed
whole, as in a cold build. Every score used is computed exactly (link._exact_row, the same bits as the
cold build's product), so the cache only saves work; tests/test_incremental.py compares
every generated file with a cold build after adding, removing and editing a document.

The file (.cache/link/neighbours.pickle) is tied to the generator version: a change of
the ranking rules starts from scratch. Pickle is safe here: the file is written only by
this program into the project's own .cache/ folder.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from generator.runtime import dump_pickle, generator_version

SLACK = 1e-9  # floating-point error of the computed bounds and norms
KEEP = 64  # candidates kept per row for the next build
EXTRA_MAX = 4 * KEEP  # more documents than this to add to a row's candidates: compute it whole
# scoring candidates one by one must cost less than 1/COST_FACTOR of the row's share of the
# block product (the one-by-one products carry per-call overhead the block product does not)
COST_FACTOR = 2


@dataclass
class Row:
    """One document's kept candidates: row numbers (of this build), exact scores, and an
    upper bound of every other document's score."""

    cands: np.ndarray
    scores: np.ndarray
    bound: float


def keep_best(cols: np.ndarray, vals: np.ndarray, i: int, bound: float = 0.0) -> Row:
    """The KEEP best of exactly scored candidates of row i; the rest raise the bound."""
    mask = cols != i
    cols, vals = cols[mask], vals[mask]
    if len(vals) > KEEP:
        order = np.argsort(-vals, kind="stable")
        bound = max(bound, float(vals[order[KEEP]]))
        cols, vals = cols[order[:KEEP]], vals[order[:KEEP]]
    return Row(cols.astype(np.int64), vals.astype(np.float64), bound)


class NeighbourMemo:
    """The previous build's vectors and candidates, lined up with this build's documents,
    and this build's, collected for the next one."""

    def __init__(self, directory: Path | None, ids: list[str], mat: sparse.csr_matrix, vocab: list[str]) -> None:
        self.path = directory / "neighbours.pickle" if directory else None
        self.ids, self.mat, self.vocab = ids, mat, vocab
        self.rows: dict[int, Row] = {}  # this build's, by row
        self.old: dict[int, Row] = {}  # the previous build's, renumbered to this build's rows
        self.moved = np.zeros(len(ids))  # Δ per row; inf for a document not in the previous build
        self.by_moved = np.zeros(0, np.int64)  # rows, most moved first
        self.reused = self.recomputed = 0
        self.nnz = np.diff(mat.indptr)  # terms per document: the cost of scoring it
        self.df = np.bincount(mat.indices, minlength=mat.shape[1])
        data = self._load()
        if data is None:
            return
        old_ids: list[str] = data["ids"]
        old_row = {d: r for r, d in enumerate(old_ids)}
        here = np.array([old_row.get(d, -1) for d in ids], dtype=np.int64)
        self.moved = self._moved(data["mat"], data["vocab"], here)
        self.by_moved = np.argsort(-self.moved, kind="stable")
        new_of_old = np.full(len(old_ids), -1, dtype=np.int64)
        new_of_old[here[here >= 0]] = np.flatnonzero(here >= 0)
        for r, o in enumerate(here.tolist()):
            if o < 0 or o not in data["rows"]:
                continue
            cands, scores, bound = data["rows"][o]
            mapped = new_of_old[cands]
            keep = mapped >= 0  # a removed document is simply no longer a candidate
            self.old[r] = Row(mapped[keep], scores[keep], bound)

    def _load(self) -> dict | None:
        if self.path is None or not self.path.exists():
            return None
        try:
            with self.path.open("rb") as fh:
                data = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        if not isinstance(data, dict) or data.get("version") != generator_version():
            return None
        return data

    def _moved(self, old_mat: sparse.csr_matrix, old_vocab: list[str], here: np.ndarray) -> np.ndarray:
        """‖u − u'‖ per row of this build: the previous vector of the same document put
        in this build's columns (its terms no document holds now get columns of their own)."""
        col = {t: c for c, t in enumerate(self.vocab)}
        extra = len(self.vocab)
        remap = np.empty(len(old_vocab), dtype=np.int64)
        for c, t in enumerate(old_vocab):
            k = col.get(t)
            if k is None:
                k, extra = extra, extra + 1
            remap[c] = k
        present = np.flatnonzero(here >= 0)
        old = old_mat[here[present]].tocoo()
        aligned = sparse.csr_matrix((old.data, (present[old.row], remap[old.col])), shape=(len(self.ids), extra))
        now = sparse.csr_matrix((self.mat.data, self.mat.indices, self.mat.indptr), shape=(len(self.ids), extra))
        diff = (now - aligned).tocsr()
        moved = np.sqrt(np.asarray(diff.multiply(diff).sum(axis=1)).ravel())
        moved[here < 0] = np.inf
        return moved

    def candidates(self, i: int) -> tuple[np.ndarray, float] | None:
        """Row i's kept candidates, and `base`: any other document j scores at most
        base + Δ_j. None when row i has nothing kept (a new document): computed whole."""
        old = self.old.get(i)
        if old is None or not np.isfinite(self.moved[i]):
            return None
        return old.cands[old.cands != i], old.bound + float(self.moved[i]) + SLACK

    def cheaper(self, rows: np.ndarray, i: int) -> bool:
        """Whether scoring row i against `rows` one by one (work: their terms) costs less
        than its share of the block product (work: its terms' document frequencies)."""
        full = int(self.df[self.mat.indices[self.mat.indptr[i] : self.mat.indptr[i + 1]]].sum())
        return int(self.nnz[rows].sum()) * COST_FACTOR <= full

    def moved_over(self, least: float, limit: int) -> np.ndarray | None:
        """Rows whose Δ is at least `least` (most moved first), or None if more than `limit`."""
        k = int(np.count_nonzero(self.moved >= least))
        return None if k > limit else self.by_moved[:k]

    def most_moved_outside(self, inside: np.ndarray, i: int) -> float:
        """The largest Δ of a row neither in `inside` nor i (0 when there is none)."""
        taken = set(inside.tolist()) | {i}
        for r in self.by_moved[: len(taken) + 1].tolist():  # one of these is outside
            if r not in taken:
                return float(self.moved[r])
        return 0.0

    def save(self) -> None:
        if self.path is None:
            return
        rows = {r: (row.cands, row.scores, row.bound) for r, row in self.rows.items()}
        dump_pickle(self.path, {"version": generator_version(), "ids": self.ids, "vocab": self.vocab,
                                "mat": self.mat, "rows": rows})
