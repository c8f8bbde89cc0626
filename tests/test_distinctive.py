"""Distinctive terms (Monroe, Colaresi and Quinn 2008): the z-scored log-odds with an
informative Dirichlet prior, checked against a formula written out here, and on a fixture
corpus (tests/fixtures/distinctive/, texts written for this test) where each province has
a planted word: 脐橙 three times in each of three 江西 reports, 茶叶 in each of three 湖南 ones.
Counts are checked against the published corpus.jsonl.gz, not against the generator."""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import re
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest
from conftest import ROOT, SITE_URL, copy_project, run_generator

from generator.link.distinctive import log_odds_z

FIXTURES = ROOT / "tests" / "fixtures" / "distinctive"
PLANTED = {"江西省": "脐橙", "湖南省": "茶叶"}


def test_log_odds_z_is_the_papers_formula() -> None:
    """Monroe et al. (2008) eq. 16–22, written out term by term for a two-word example."""
    group, rest, prior = np.array([9.0, 1.0]), np.array([1.0, 30.0]), np.array([1.0, 3.1])
    a0, ni, nj = 4.1, 10.0, 31.0
    for w in range(2):
        yi, yj, a = group[w], rest[w], prior[w]
        delta = math.log((yi + a) / (ni + a0 - yi - a)) - math.log((yj + a) / (nj + a0 - yj - a))
        z = delta / math.sqrt(1 / (yi + a) + 1 / (yj + a))
        assert log_odds_z(group, rest, prior)[w] == pytest.approx(z)
    assert log_odds_z(group, rest, prior)[0] > 0 > log_odds_z(group, rest, prior)[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("distinctive"), corpus=FIXTURES)
    proc = run_generator(root, "build", site_url=SITE_URL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "site"


def rows(site: Path) -> list[dict[str, str]]:
    raw = (site / "data" / "distinctive.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    out = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert raw.decode("utf-8-sig").splitlines()[0] == "facet,value,rank,term,score,count"
    return out


def corpus(site: Path) -> list[dict]:
    text = gzip.decompress((site / "data" / "corpus.jsonl.gz").read_bytes()).decode("utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_planted_words_top_their_province_with_their_counts(site) -> None:
    got = rows(site)
    docs = corpus(site)
    for province, word in PLANTED.items():
        top = [r for r in got if r["facet"] == "province" and r["value"] == province]
        assert top and top[0]["rank"] == "1" and top[0]["term"] == word, top
        members = [d for d in docs if (d["metadata"]["place"]["value"] or {}).get("province") == province]
        assert int(top[0]["count"]) == sum(d["text"].count(word) for d in members) == 9
        assert float(top[0]["score"]) >= 1.96
        # the other province's word is not distinctive of this one
        assert all(r["term"] != PLANTED[next(p for p in PLANTED if p != province)] for r in top)


def test_words_of_every_document_and_stopwords_never_qualify(site) -> None:
    docs = corpus(site)
    everywhere = set.intersection(*({w for w in ("代表", "政府", "工作", "增收", "我们", "今年") if w in d["text"]}
                                    for d in docs))
    assert {"代表", "政府"} <= everywhere
    terms = {r["term"] for r in rows(site)}
    assert not terms & everywhere
    assert not terms & {"我们", "今年", "的"}  # stop words


def test_ranks_and_scores_are_ordered(site) -> None:
    by: dict[tuple[str, str], list[dict]] = {}
    for r in rows(site):
        by.setdefault((r["facet"], r["value"]), []).append(r)
    for items in by.values():
        assert [int(r["rank"]) for r in items] == list(range(1, len(items) + 1)) and len(items) <= 20
        scores = [float(r["score"]) for r in items]
        assert scores == sorted(scores, reverse=True)


def test_index_page_lists_them_linked_to_their_trend(site) -> None:
    page = (site / "archive" / "places.html").read_text(encoding="utf-8")
    for province, word in PLANTED.items():
        m = re.search(rf'id="[^"]+">{province}</h2>(.*?)(?:<h2|</article)', page, re.S)
        assert m, province
        assert 'class="sa-distinctive"' in m.group(1)
        assert f"trends.html?q={quote(word)}" in m.group(1)


def test_link_data_and_count_dicts_give_the_same_lists() -> None:
    """The pipeline hands its LinkPreps (a TermCounts) and they are read without a dict per
    document; the lists equal those made from the same counts as plain dicts."""
    from generator.link import link
    from generator.link.distinctive import distinctive_terms
    from generator.link.shards import TermCounts
    from generator.pipeline import collect

    report = collect(ROOT, progress=False, corpus=ROOT / "tests" / "corpus" / "seeds", segment=True, workers=1)
    link(report.documents, report.link_prep)
    fast = distinctive_terms(report.documents, TermCounts(report.link_prep))
    assert fast and fast == distinctive_terms(report.documents, {k: p.counts for k, p in report.link_prep.items()})


def test_index_notes_do_not_follow_z_score_drift() -> None:
    """A new document moves every other group's z-scores a little: near-tied terms swap
    ranks although the group's terms and counts are the same. The index page's line shows
    them by count (then code point), so such a swap leaves the page as it was; a changed
    count or term still changes it."""
    from generator.link.distinctive import Distinctive
    from generator.publish.distinctive_out import index_notes

    def rows(order: list[tuple[str, float, int]]) -> list[Distinctive]:
        return [Distinctive("year", "2019", rank, term, z, count)
                for rank, (term, z, count) in enumerate(order, start=1)]

    before = rows([("乡村振兴", 9.012, 40), ("营商环境", 9.010, 55), ("河长制", 4.2, 12)])
    after = rows([("营商环境", 9.013, 55), ("乡村振兴", 9.011, 40), ("河长制", 4.3, 12)])
    assert index_notes(before, []) == index_notes(after, [])
    line = index_notes(before, [])[next(iter(index_notes(before, [])))][0]
    assert line.index("营商环境") < line.index("乡村振兴") < line.index("河长制")
    changed = rows([("营商环境", 9.013, 56), ("乡村振兴", 9.011, 40), ("河长制", 4.3, 12)])
    assert index_notes(changed, []) != index_notes(before, [])


class _ReadCounter(dict):
    """Term counts by document id that remember which documents were read."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.read: list[str] = []

    def get(self, key, default=None):
        self.read.append(key)
        return super().get(key, default)


def _entries(x, terms) -> dict[tuple[int, str], float]:
    coo = x.tocoo()
    return {(int(r), terms[c]): float(v) for r, c, v in zip(coo.row, coo.col, coo.data, strict=True)}


def test_count_matrix_kept_between_builds_makes_only_new_and_changed_rows(tmp_path) -> None:
    """A build takes from the previous one the rows of documents whose cached results'
    key is unchanged, makes the others, and drops documents (and terms) that left; the
    matrix holds the same counts as one made whole, and the lists are the same."""
    import numpy as np

    from generator.link import link
    from generator.link.count_matrix import FILE, count_matrix
    from generator.link.distinctive import distinctive_terms
    from generator.link.shards import counts_csr
    from generator.pipeline import collect

    report = collect(ROOT, progress=False, corpus=ROOT / "tests" / "corpus" / "seeds", segment=True, workers=1)
    link(report.documents, report.link_prep)
    docs = sorted(report.documents, key=lambda d: d.id)
    base = {k: p.counts for k, p in report.link_prep.items()}
    keys = {d.id: f"key-{d.id}" for d in docs}
    cache = tmp_path / "distinctive"

    def check(ids: list[str], counts: dict, keys: dict, made: set[str]) -> None:
        counter = _ReadCounter(counts)
        with np.errstate(all="raise"):  # a term no document uses would divide by zero
            x, terms = count_matrix(ids, counter, keys, cache)
        assert set(counter.read) == made
        whole, whole_terms = counts_csr(ids, counts)
        assert _entries(x, terms) == _entries(whole, whole_terms)
        assert sorted(terms) == sorted(whole_terms)
        kept = [d for d in docs if d.id in ids]
        with np.errstate(all="raise"):
            assert distinctive_terms(kept, counts, keys, cache) == distinctive_terms(kept, counts)

    first = [d.id for d in docs[:-2]]
    check(first, base, keys, set(first))  # no matrix yet: every row made
    assert (cache / FILE).is_file()
    check(first, base, keys, set())  # nothing changed: every row kept
    # two documents added, one changed (a new term and another count), one removed
    changed, removed = docs[0].id, docs[1].id
    counts = dict(base)
    counts[changed] = {**base[changed], "测试新词": 7, next(iter(base[changed])): 99}
    keys2 = {**keys, changed: "key-changed"}
    now = [d.id for d in docs if d.id != removed]
    check(now, counts, keys2, {changed, docs[-1].id, docs[-2].id})
    # a document whose key is missing (no document cache) is made every time
    keys3 = {k: v for k, v in keys2.items() if k != docs[2].id}
    check(now, counts, keys3, {docs[2].id})
