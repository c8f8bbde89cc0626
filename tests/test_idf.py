"""The archive IDF's epoch: bounded error against the exact weights, and no drift
between epochs (generator/link/idf.py)."""

from __future__ import annotations

import math
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.link import idf


@st.composite
def counts(draw: st.DrawFn) -> tuple[int, int]:
    n = draw(st.integers(min_value=1, max_value=2_000_000))
    return n, draw(st.integers(min_value=0, max_value=n))


@given(counts())
def test_archive_part_within_the_stated_bound(nd: tuple[int, int]) -> None:
    n, df = nd
    exact, rounded = idf.archive_part(n, df, exact=True), idf.archive_part(n, df)
    assert 0.0 < rounded <= 1.0
    assert abs(rounded - exact) <= math.log(idf.EPOCH_RATIO) + 1e-12


@settings(deadline=None)  # general_idf() reads jieba's table on each call
@given(counts(), st.sampled_from(["经济", "高质量发展", "不在词典里的词语"]))
def test_blended_idf_within_the_stated_bound(nd: tuple[int, int], term: str) -> None:
    n, df = nd
    exact = idf.blended_idf(n, Counter({term: df}), exact=True)[term]
    rounded = idf.blended_idf(n, Counter({term: df}))[term]
    assert abs(rounded - exact) <= idf.IDF_ERROR + 1e-12


def test_the_bound_is_the_grid_ratios() -> None:
    r = idf.EPOCH_RATIO
    assert math.isclose(idf.IDF_ERROR, math.log(r) + math.sqrt(r) - 1)
    assert idf.IDF_ERROR < 0.08  # weights lie in [0, 1]


@given(st.integers(min_value=1, max_value=1_000_000))
def test_one_more_document_moves_no_weight_within_an_epoch(n: int) -> None:
    """Through N, a new document changes a term's weight only where N + 1 crosses an epoch
    edge: the weights at N and N + 1 are identical or N + 1 is a new epoch."""
    same = idf.epoch(n) == idf.epoch(n + 1)
    for df in (0, 1, n // 2, n):
        assert (idf.archive_part(n, df) == idf.archive_part(n + 1, df)) or not same
    assert (idf.blend_weight(n) == idf.blend_weight(n + 1)) or not same


def test_epochs_are_rare() -> None:
    """An epoch every 5% of growth: between 10,000 and 20,000 documents, 14 of 10,000 additions."""
    starts = sum(idf.epoch(n) != idf.epoch(n + 1) for n in range(10_000, 20_000))
    assert 10 <= starts <= 20  # ln 2 / ln 1.05 = 14.2 epochs per doubling


def test_weights_depend_on_the_counts_alone() -> None:
    """No state: the same N and df give the same weight in any order of calls."""
    df = Counter({"经济": 40, "高质量发展": 3, "柳州": 1})
    a = idf.blended_idf(500, df)
    idf.blended_idf(7, Counter({"经济": 2}))
    assert idf.blended_idf(500, Counter(dict(reversed(df.items())))) == a
