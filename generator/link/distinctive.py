"""Distinctive terms: the words that set one province, city, year or genre apart from the
rest of the archive.

Method: Monroe, Colaresi and Quinn (2008), "Fightin' Words: Lexical Feature Selection and
Evaluation for Identifying the Content of Political Conflict", Political Analysis 16(4),
section 3.5: the log-odds ratio of a word in the group against the rest of the archive,
with an informative Dirichlet prior proportional to the word's frequency in the whole
archive, divided by its estimated standard deviation (a z-score). Raw frequency lists are
topped by the commonest words and plain log-odds by words seen once or twice; the prior
shrinks rare words towards the archive's own rate and the z-score asks how sure the
difference is, so a list is neither.

Counts are the documents' tokens that may be keywords (link.term_counts: words of two or
more characters that are not stop words, numbers or placeholders, and recurring phrases),
the same counts the keyword tags use. Besides stop words, a genre's boilerplate does not
qualify: a word found in at least 80% of the documents of a genre (各位代表 in work reports)
says what kind of text it is, not what it is about.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from generator.link.count_matrix import count_matrix
from generator.link.shards import group_sums
from generator.model import Document

# the prior: each word's pseudo-count is this share of its count in the whole archive, so the
# prior weighs like a tenth of the archive whatever its size (Monroe et al. scale the
# archive's frequencies by a constant; a fixed total would swamp a small archive and
# vanish in a large one)
PRIOR_SHARE = 0.1
MIN_COUNT = 5  # occurrences in the group
MIN_DOCS_WITH_TERM = 2  # documents of the group using it: one document's pet word is not the group's
MIN_GROUP_DOCS = 3  # a province, city, year or genre with fewer documents gets no list
MIN_Z = 1.96  # two-sided 5%: a smaller difference is not shown as distinctive
BOILERPLATE_SHARE = 0.8  # of a genre's documents
BOILERPLATE_MIN_DOCS = 4  # a genre needs this many documents before its boilerplate is judged
TOP = 20
FACETS = ("province", "city", "year", "genre")


@dataclass(frozen=True)
class Distinctive:
    facet: str
    value: str
    rank: int
    term: str
    score: float  # z-score of the log-odds ratio
    count: int  # occurrences in the group


def facet_values(doc: Document) -> dict[str, str]:
    """The values a document counts under, as the catalog writes them."""
    out: dict[str, str] = {}
    place = doc.value("place") or {}
    if place.get("province"):
        out["province"] = str(place["province"])
        if place.get("city"):
            out["city"] = str(place["city"])
    d = doc.value("date")
    if d:
        out["year"] = str(d)[:4]
    if doc.value("genre"):
        out["genre"] = str(doc.value("genre"))
    return out


def log_odds_z(group: np.ndarray, rest: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Monroe et al. (2008), eq. 16–22: z-scores of the log-odds ratio of each word in
    `group` against `rest` (count vectors) with Dirichlet prior `prior` (pseudo-counts)."""
    a0 = prior.sum()
    n_i, n_j = group.sum(), rest.sum()
    yi, yj = group + prior, rest + prior
    delta = np.log(yi / (n_i + a0 - yi)) - np.log(yj / (n_j + a0 - yj))
    return delta / np.sqrt(1.0 / yi + 1.0 / yj)


def distinctive_terms(docs: list[Document], counts: Mapping[str, Mapping[str, int]],
                      keys: Mapping[str, str] | None = None, cache_dir: Path | None = None) -> list[Distinctive]:
    """Top terms per facet value; `counts` maps each document id to its term counts (read
    one document at a time: link.shards.TermCounts makes each when asked). With `keys`
    (each document's cached results' key) and `cache_dir`, the count matrix is kept
    between builds and only the rows of new or changed documents are made (count_matrix.py)."""
    docs = sorted(docs, key=lambda d: d.id)
    x, vocab = count_matrix([d.id for d in docs], counts, keys, cache_dir)
    if not vocab:
        return []
    terms = np.array(vocab, dtype=object)
    total = np.asarray(x.sum(axis=0)).ravel()
    prior = PRIOR_SHARE * total

    members: dict[tuple[str, str], list[int]] = defaultdict(list)
    for r, d in enumerate(docs):
        for facet, value in facet_values(d).items():
            members[(facet, value)].append(r)
    boilerplate: dict[str, np.ndarray] = {}
    for (facet, value), idx in members.items():
        if facet == "genre" and len(idx) >= BOILERPLATE_MIN_DOCS:
            share = group_sums(x, idx)[1] / len(idx)
            boilerplate[value] = share >= BOILERPLATE_SHARE

    out: list[Distinctive] = []
    for facet in FACETS:
        for value in sorted(v for f, v in members if f == facet):
            idx = members[(facet, value)]
            if len(idx) < MIN_GROUP_DOCS or len(idx) == len(docs):
                continue
            group, having = group_sums(x, idx)
            z = log_odds_z(group, total - group, prior)
            ok = (group >= MIN_COUNT) & (having >= MIN_DOCS_WITH_TERM)
            ok &= z >= MIN_Z
            for genre in {facet_values(docs[r]).get("genre") for r in idx} - {None}:
                if genre in boilerplate:
                    ok &= ~boilerplate[genre]
            chosen = sorted(np.flatnonzero(ok).tolist(), key=lambda k: (-z[k], terms[k]))[:TOP]
            out += [Distinctive(facet, value, rank, str(terms[k]), round(float(z[k]), 3), int(group[k]))
                    for rank, k in enumerate(chosen, start=1)]
    return out
