"""Archive IDF that does not drift with every new document.

The exact IDF, log((N + 1) / (df + 1)), moves every term's weight whenever N moves: one
new document changed every vector of the archive a little, and with similarity scores
printed to three decimals about half the speech pages were rewritten and rendered again.
Here N + 1 is rounded to a geometric grid before the logarithm: the *epoch* of N (a power
of EPOCH_RATIO). A new document changes no weight through N until N + 1 crosses into the
next epoch; it still changes the document frequency of its own terms, which is a real
change of how rare those words are. The grid is a function of the number alone, so the
weights depend on the corpus, never on the order documents were added in (no state is
kept between builds), and two builds of one corpus are identical.

Document frequencies are not rounded, though a grid for them was measured (tests/
test_churn.py's archive of 200 synthetic documents, and 1,000): rounding df + 1 to powers
of 1.25 rewrote *more* pages than exact counts (131 pages whose printed scores moved
against 107). One new document holds about a thousand distinct terms; a term of df d
crosses a bucket edge with probability about 1 / (d ln r) and then moves the weight of
all d documents that hold it by a full step, so the expected number of documents touched
is about (terms of the new document) / ln r, whatever r: larger and rarer steps instead
of many small ones that mostly stay below the printed precision.

Error bound. Rounding ln(N + 1) to the nearest multiple of ln r moves it by at most
h = ½ ln r. For the archive part a = 1 − l / (L + 1), with L = ln(N + 1), l = ln(df + 1),
0 ≤ l ≤ L, L' ≥ 0 the rounded L and l' = min(l, L'):

    |a − a'| ≤ |l − l'| / (L' + 1) + (l / (L + 1)) · |L − L'| / (L' + 1) ≤ 2h = ln r.

The blend weight w = N / (N + 30) is taken at the epoch's N as well; N + 1 moves by at
most a factor √r, so |w − w'| ≤ √r − 1. Both parts of the blend lie in [0, 1], so the
blended weight is off by at most

    ε = ln r + (√r − 1)        (IDF_ERROR: 0.074 for r = 1.05, on a [0, 1] scale)

tests/test_idf.py checks it with hypothesis over N and df.
"""

from __future__ import annotations

import math
from collections import Counter

from generator.annotate.segment import general_idf

# A new epoch every 5% of growth: at 10,000 documents one addition in about 500 starts
# one (and then every page may change, as every weight moves a little).
EPOCH_RATIO = 1.05
BLEND_DOCS = 30.0  # the archive's IDF weighs half when it holds this many documents


def grid_log(x: float, ratio: float) -> float:
    """ln x rounded to the nearest multiple of ln ratio (x ≥ 1)."""
    step = math.log(ratio)
    return round(math.log(x) / step) * step


def epoch(n_docs: int) -> float:
    """N + 1 rounded to its epoch (a power of EPOCH_RATIO): what the weights see of N."""
    return math.exp(grid_log(n_docs + 1, EPOCH_RATIO))


IDF_ERROR = math.log(EPOCH_RATIO) + (math.sqrt(EPOCH_RATIO) - 1)


def archive_part(n_docs: int, df: int, exact: bool = False) -> float:
    """The archive's own IDF of a term in df of n_docs documents, scaled to [0, 1]."""
    if exact:
        big, small = math.log(n_docs + 1), math.log(df + 1)
    else:
        big = grid_log(n_docs + 1, EPOCH_RATIO)
        small = min(math.log(df + 1), big)  # a term in every document is in every one of the epoch's
    return (big - small + 1.0) / (big + 1.0)


def blend_weight(n_docs: int, exact: bool = False) -> float:
    """How much the archive's IDF counts against the general language's."""
    n = float(n_docs) if exact else epoch(n_docs) - 1.0
    return n / (n + BLEND_DOCS)


def blended_idf(n_docs: int, df: Counter[str], exact: bool = False) -> dict[str, float]:
    """Archive IDF and general-language IDF, each scaled to [0, 1], mixed with a weight
    that moves towards the archive's own statistics as the archive grows. `exact` gives
    the unrounded weights, which the error bound is measured against."""
    table, med = general_idf()
    gmax = max(table.values())
    w = blend_weight(n_docs, exact)
    out: dict[str, float] = {}
    for term, d in df.items():
        g = table.get(term, med) / gmax
        out[term] = (1 - w) * g + w * archive_part(n_docs, d, exact)
    return out
