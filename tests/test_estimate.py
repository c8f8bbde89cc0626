"""Chunked similarity estimates (generator/link/estimate.py): the same shortlists as the
whole product, whatever the chunk size."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import sparse

from generator.link.estimate import DenseEstimates, shortlist


def vectors(n: int, v: int, seed: int, density: float) -> sparse.csr_matrix:
    rng = np.random.default_rng(seed)
    m = sparse.random(n, v, density=density, random_state=rng, format="csr", dtype=np.float64)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1 / norms) @ m)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(20, 120), v=st.integers(5, 60), seed=st.integers(0, 10_000),
       chunk=st.integers(8, 50), k=st.integers(1, 8), density=st.sampled_from([0.1, 0.4, 0.9]))
def test_chunked_shortlists_equal_the_whole_products(n, v, seed, chunk, k, density) -> None:
    assume(max(k, chunk) < n)
    mat = vectors(n, v, seed, density)
    whole = DenseEstimates(mat, max_bytes=1 << 30, min_chunk=k)
    chunked = DenseEstimates(mat, max_bytes=4 * v * chunk, min_chunk=k)
    assert whole.whole is not None and chunked.whole is None and chunked.chunk == max(k, chunk)
    rows = list(range(0, n, 3))
    exact = (mat @ mat.T).toarray()
    for i, (a, cut_a), (b, cut_b) in zip(rows, whole.shortlists(rows, k, 1e-3),
                                          chunked.shortlists(rows, k, 1e-3), strict=True):
        # the float32 sums may differ in their last bits between the shapes: the same set,
        # except documents within a rounding error of the threshold
        assert cut_b == pytest.approx(cut_a, abs=1e-6)
        assert all(abs(exact[i, j] - cut_a) < 1e-5 for j in np.setxor1d(a, b))
        assert i not in a.tolist() and i not in b.tolist()
        others = np.delete(exact[i], i)
        assert len(b) >= k and all(j in b for j in np.flatnonzero(exact[i] > np.sort(others)[-k] - 5e-4) if j != i)


def test_shortlist_keeps_the_k_best_and_everything_within_the_margin() -> None:
    approx = np.array([0.9, 0.5, 0.4995, 0.3, 0.1, 0.95], dtype=np.float32)
    short, cut = shortlist(approx, 5, k=2, margin=1e-3)  # row 5 itself is left out
    assert short.tolist() == [0, 1, 2] and cut == pytest.approx(0.499)


def test_the_chunk_never_holds_fewer_than_the_shortlist() -> None:
    mat = vectors(40, 10, 1, 0.5)
    est = DenseEstimates(mat, max_bytes=4 * 10 * 2, min_chunk=16)
    assert est.chunk == 16
    short, _ = est.shortlists([3], 16, 1e-3)[0]
    assert 3 not in short.tolist() and len(short) >= 16
