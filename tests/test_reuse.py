"""Passage-level reuse (generator/link/reuse.py), measured on corpora with planted reuse
(tests/reuselib.py): passages copied from an earlier into a later document with a few
percent of the characters changed, names swapped, the script converted, or an excerpt
set into a paragraph of the target's own; a formula put into most documents; one
whole-document repost.

Recall is measured against what was planted; precision by the test's own check (shared
character 5-grams of the two passages, in simplified script, outside the formula), never
by the generator's alignment. The numbers asserted are those docs/about.md promises."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, collect_seeds
from opencc import OpenCC
from reuselib import FORMULA, NAMES, planted_corpus

from generator.link import link
from generator.link.reuse import align, find_reuse, han, han_paragraphs
from generator.pipeline import collect

ABOUT = (ROOT / "docs" / "about.md").read_text(encoding="utf-8")
# What docs/about.md promises.
DOC_MIN_CHARS = 50  # "至少 50 个汉字"
DOC_IDENTITY = 0.8  # "相同率不低于 80%"
DOC_FORMULA_DOCS, DOC_FORMULA_SHARE = 8, 0.03  # "至少 8 篇、且不少于全档案 3%"
DOC_FORMULA_CAP = 50  # "出现在 50 篇即算"
RECALL, PRECISION = 0.95, 0.98

_HAN = re.compile(r"[\u4e00-\u9fff]")
_T2S = OpenCC("t2s")


def test_documentation_states_the_numbers_tested_here() -> None:
    assert f"至少 {DOC_MIN_CHARS} 个汉字" in ABOUT
    assert f"相同率不低于 {DOC_IDENTITY:.0%}" in ABOUT
    assert f"至少 {DOC_FORMULA_DOCS} 篇、且不少于全档案 {DOC_FORMULA_SHARE:.0%}" in ABOUT
    assert f"出现在 {DOC_FORMULA_CAP} 篇即算" in ABOUT


@pytest.mark.parametrize(("n_docs", "threshold"), [(2, 8), (100, 8), (300, 9), (1000, 30), (10_000, 50)])
def test_formula_threshold_follows_the_documentation(n_docs: int, threshold: int) -> None:
    from generator.link.reuse import formula_threshold

    expected = min(DOC_FORMULA_CAP, max(DOC_FORMULA_DOCS, -(-n_docs * 3 // 100)))
    assert formula_threshold(n_docs) == expected == threshold


def own_grams(text: str) -> set[str]:
    """The test's own 5-grams: OpenCC's converter (not the generator's table), Han only."""
    h = "".join(_HAN.findall(_T2S.convert(text)))
    return {h[i : i + 5] for i in range(len(h) - 4)}


FORMULA_GRAMS = own_grams(FORMULA)


@pytest.fixture(scope="module")
def seed_paragraphs() -> list[str]:
    return [p for d in collect_seeds().documents for p in (d.simplified or d.paragraphs)]


def run(corpus: Path, cache: Path | None = None):
    docs = collect(ROOT, progress=False, corpus=corpus, workers=1).documents
    link(docs)  # reposts, as the pipeline finds them before reuse
    return docs, find_reuse(docs, cache)


@pytest.fixture(scope="module")
def planted(tmp_path_factory, seed_paragraphs):
    corpus = tmp_path_factory.mktemp("planted") / "corpus"
    plants = planted_corpus(corpus, seed_paragraphs, n_docs=40, n_plants=40)
    docs, result = run(corpus, tmp_path_factory.mktemp("cache"))
    # the fixture itself: one document per file, dated by its front matter
    assert len(docs) == len(list(corpus.iterdir()))
    for d in docs:
        given = re.search(r"^date: (\S+)$", (corpus / d.source_path).read_text(encoding="utf-8"), re.M)
        assert given and str(d.value("date")) == given.group(1), d.id
    return plants, docs, result, corpus


# ---------------------------------------------------------------- alignment


def test_alignment_tolerates_changed_characters_and_names(seed_paragraphs) -> None:
    rng = random.Random(3)
    text = han(next(p for p in seed_paragraphs if len(han(p)) > 300))
    chars = list(text)
    for i in rng.sample(range(len(chars)), k=len(chars) * 4 // 100):
        chars[i] = "某"
    for i in (40, 150, 260):
        chars[i : i + 2] = NAMES[i % len(NAMES)]
    spans = align(text, "".join(chars))
    covered = sum(s.a1 - s.a0 for s in spans)
    assert covered >= 0.9 * len(text)
    assert all(s.matched / s.length >= DOC_IDENTITY for s in spans)


def test_alignment_does_not_run_into_unrelated_text(seed_paragraphs) -> None:
    long = [han(p) for p in seed_paragraphs if len(han(p)) > 200]
    shared, tail_a, tail_b = long[0][:120], long[1], long[2]
    spans = align(shared + tail_a, "其他文字" + shared + tail_b)
    assert len(spans) == 1
    s = spans[0]
    # the span is the shared passage, give or take a few characters matched by chance
    assert s.a0 <= 2 and 115 <= s.a1 <= 130 and s.a1 - s.a0 < 135


def test_unrelated_paragraphs_do_not_align(seed_paragraphs) -> None:
    long = [han(p) for p in seed_paragraphs if len(han(p)) > 200]
    assert align(long[3], long[4]) == []


def test_traditional_copy_is_the_same_passage() -> None:
    text = "要加快建设现代化产业体系，推动传统产业转型升级，发展壮大战略性新兴产业，积极培育未来产业，让实体经济根基更加稳固。"
    trad = OpenCC("s2t").convert(text)
    assert trad != text and han(trad) == han(text)


# ---------------------------------------------------------------- planted corpus


def test_planted_pairs_are_found_earlier_to_later(planted) -> None:
    plants, _docs, result, _ = planted
    found = [p for p in plants
             if any(q.a == p.source and q.b == p.target and p.source_n in q.a_n and p.target_n in q.b_n
                    for q in result.pairs)]
    missed = [p for p in plants if p not in found]
    assert len(found) >= RECALL * len(plants), missed
    for kind in ("chars", "names", "script", "excerpt"):  # every kind of change is found
        assert any(p.kind == kind for p in found), kind
    # direction: the source is dated earlier in every planted pair, and the ids do not sort that way
    assert any(p.source > p.target for p in plants)
    assert all(q.by_date for q in result.pairs if (q.a, q.b) in {(p.source, p.target) for p in found})


def test_claimed_pairs_really_share_the_passage(planted) -> None:
    _plants, docs, result, _ = planted
    by_id = {d.id: d for d in docs}
    assert result.pairs
    wrong = []
    for q in result.pairs:
        ta = "".join(by_id[q.a].paragraphs[n - 1] for n in q.a_n)
        tb = "".join(by_id[q.b].paragraphs[n - 1] for n in q.b_n)
        shared = (own_grams(ta) & own_grams(tb)) - FORMULA_GRAMS
        if len(shared) < 20:
            wrong.append((q, len(shared)))
        assert q.chars >= DOC_MIN_CHARS and DOC_IDENTITY <= q.identity <= 1
    assert len(wrong) <= (1 - PRECISION) * len(result.pairs), wrong


def test_the_formula_is_reported_as_a_formula_not_as_reuse(planted) -> None:
    _plants, docs, result, _ = planted
    holders = [d for d in docs if FORMULA[:20] in "".join(d.paragraphs)]
    assert len(holders) >= max(DOC_FORMULA_DOCS, DOC_FORMULA_SHARE * len(docs))
    top = result.formulas[0]
    assert han(top.text) == han(FORMULA) and top.docs == len(holders)
    assert top.text in "".join(holders[0].paragraphs) or any(top.text in "".join(d.paragraphs) for d in holders)


def test_reposts_stay_grouped_and_are_not_passage_reuse(planted) -> None:
    _plants, docs, result, _ = planted
    repost = next(d for d in docs if d.id.endswith("-repost"))
    original = repost.id.removesuffix("-repost")
    assert [d.id for d in repost.duplicates] == [original]
    assert not [q for q in result.pairs if {q.a, q.b} == {original, repost.id}]


def test_notes_list_every_other_document_earliest_first(planted) -> None:
    _plants, docs, result, _ = planted
    by_id = {d.id: d for d in docs}
    for did, paras in result.notes.items():
        for n, others in paras.items():
            dates = [str(by_id[o].value("date")) for o, _ in others]
            assert dates == sorted(dates)
            for o, ns in others:  # each linked paragraph is in a pair with paragraph n
                for m in ns:
                    assert any((q.a, q.b) == (did, o) and n in q.a_n and m in q.b_n
                               or (q.a, q.b) == (o, did) and n in q.b_n and m in q.a_n for q in result.pairs)


def test_same_corpus_same_result(planted) -> None:
    _plants, _docs, result, corpus = planted
    _docs2, again = run(corpus)
    assert [p.record() for p in again.pairs] == [p.record() for p in result.pairs]
    assert again.formulas == result.formulas


def test_one_new_document_aligns_only_its_own_pairs(planted, tmp_path) -> None:
    _plants, docs, _result, corpus = planted
    cache = tmp_path / "cache"
    _d, first = run(corpus, cache)
    assert first.stats["aligned_pairs"] > 20 and first.stats["cached_alignments"] == 0
    _d, second = run(corpus, cache)
    assert second.stats["aligned_pairs"] == 0
    assert second.stats["cached_alignments"] == first.stats["aligned_pairs"]
    # a new document copying one passage: aligned are only the pairs it is in
    grown = tmp_path / "grown"
    shutil.copytree(corpus, grown)
    source = sorted(docs, key=lambda d: d.id)[3]
    passage = max(source.paragraphs, key=len)
    (grown / "zz_new.md").write_text("---\ntitle: 新增讲话\ndate: 2030-01-01\n---\n\n" + passage + "\n\n"
                                     + "这是一篇新增讲话自己的文字，与档案中其他讲话都不相同。" * 3 + "\n",
                                     encoding="utf-8")
    _d, third = run(grown, cache)
    assert 1 <= third.stats["aligned_pairs"] <= 5
    assert third.stats["cached_alignments"] >= first.stats["aligned_pairs"] - 5
    assert any(q.b == "zz-new" and q.a == source.id for q in third.pairs)


def test_document_frequency_counts_each_document_once() -> None:
    from generator.link.reuse import doc_frequency, seed_hashes

    refrain = "坚持以人民为中心的发展思想"
    texts = [refrain + "推进城市更新", refrain + "做好民生保障", "全面推进乡村振兴战略实施"]
    keys = [np.unique(seed_hashes(t)) for t in texts]
    # document 0 holds passages 0 and 1 (the refrain twice); documents 1 and 2 hold passage 0
    occ = [[(0, 1), (1, 1), (2, 1)], [(0, 2)], [(1, 2)]]
    doc_tids = [[0, 1], [0, 2], [0]]
    uk, df = doc_frequency(keys, occ, doc_tids)
    count = dict(zip(uk.tolist(), df.tolist(), strict=True))
    assert count[int(seed_hashes(refrain)[0])] == 3  # three documents, not four passages
    assert count[int(seed_hashes(texts[2])[0])] == 1


def test_han_paragraphs_is_han_of_each_paragraph() -> None:
    """The one-pass conversion of a document's paragraphs gives what han() gives of each:
    traditional and simplified characters, punctuation, Latin, digits, a newline inside a
    paragraph, empty paragraphs, and characters beyond the conversion table."""
    rng = random.Random(5)
    pool = list("經濟工作會議強調堅持穩中求進经济工作会议强调坚持稳中求进，。、\n abc123") + ["\U00020000", "\uf900"]
    for _ in range(500):
        paragraphs = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) for _ in range(rng.randint(0, 8))]
        assert han_paragraphs(paragraphs) == [han(p) for p in paragraphs]
    assert han_paragraphs([]) == []
    assert han_paragraphs(["經濟", "", "会议\n強調"]) == ["经济", "", "会议强调"]
