"""Behavioural thresholds of the link stage, checked against the numbers the documentation
promises (docs/about.md), never against the module's own constants: moving a constant in
generator/link/ without changing the promise fails here.

Fixtures are texts made for the case: a repost just above and a rewrite just below the
repost threshold (exact Jaccard computed by the test's own code), and small corpora at
the similar-speech cut."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

from generator import link as link_mod
from generator.annotate.segment import TokenCache
from generator.pipeline import collect

# What docs/about.md promises.
DOC_REPOST_JACCARD = 0.7  # "重合度不低于 0.7 的视为同文转载"
DOC_SHINGLE = 5  # "连续 5 个汉字的片段"
DOC_MIN_SCORE = 0.08  # "相似度不低于 0.08"
DOC_TOP_K = 5  # "的前 5 篇"

ABOUT = (ROOT / "docs" / "about.md").read_text(encoding="utf-8")


def test_documentation_states_the_numbers_tested_here() -> None:
    assert f"重合度不低于 {DOC_REPOST_JACCARD}" in ABOUT
    assert f"连续 {DOC_SHINGLE} 个汉字" in ABOUT
    assert f"相似度不低于 {DOC_MIN_SCORE} 的前 {DOC_TOP_K} 篇" in ABOUT


# ---------------------------------------------------------------- the test's own Jaccard

_HAN = re.compile(r"[\u4e00-\u9fff]")


def own_shingles(text: str) -> set[str]:
    han = "".join(_HAN.findall(text))
    return {han[i : i + DOC_SHINGLE] for i in range(len(han) - DOC_SHINGLE + 1)}


def jaccard(a: str, b: str) -> float:
    sa, sb = own_shingles(a), own_shingles(b)
    return len(sa & sb) / len(sa | sb)


_WORDS = (
    "推进 落实 发展 改革 创新 产业 项目 招商 乡村 振兴 生态 保护 民生 保障 安全 生产 基层 治理 干部 作风 "
    "城市 建设 交通 水利 教育 医疗 就业 消费 投资 园区 企业 服务 营商 环境 科技 人才 文化 旅游 农业 工业 "
    "数字 经济 开放 合作 财政 金融 风险 防范 党建 引领 纪律 监督 考核 机制 规划 布局 质量 效益 绿色 低碳"
).split()


def sentence(rng: random.Random) -> str:
    return "要" + "".join(rng.choice(_WORDS) for _ in range(rng.randint(6, 10))) + "。"


def speech(rng: random.Random, n: int = 90) -> list[str]:
    return [sentence(rng) for _ in range(n)]


def rewrite_to(original: list[str], target: float, rng: random.Random) -> list[str]:
    """Replace sentences of `original`, in a fixed order, until the Jaccard with the
    original first drops to `target` or below."""
    out = list(original)
    order = list(range(len(out)))
    rng.shuffle(order)
    for i in order:
        out[i] = sentence(rng)
        if jaccard("".join(original), "".join(out)) <= target:
            return out
    raise AssertionError("could not reach the target similarity")


def as_source(sentences: list[str]) -> str:
    paras = ["".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6)]
    return "同志们：\n" + "\n".join(paras) + "\n"


def linked(corpus: Path) -> dict:
    report = collect(ROOT, progress=False, corpus=corpus)
    assert not report.errors, report.errors
    cache = TokenCache(None)
    for d in report.documents:
        d.tokens = cache.tokens(d.search_text)
    link_mod.link(report.documents)
    return {d.id: d for d in report.documents}


@pytest.fixture(scope="module")
def repost_pairs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict[str, float]]:
    rng = random.Random(11)
    corpus = tmp_path_factory.mktemp("reposts")
    measured: dict[str, float] = {}
    for name, target in (("above", 0.725), ("below", 0.655)):
        original = speech(rng)
        copy = rewrite_to(original, target, rng)
        (corpus / f"{name}-a.txt").write_text(as_source(original), encoding="utf-8")
        (corpus / f"{name}-b.txt").write_text(as_source(copy), encoding="utf-8")
        measured[name] = jaccard("".join(original), "".join(copy))
    return linked(corpus), measured


def test_fixture_pairs_straddle_the_documented_threshold(repost_pairs) -> None:
    _docs, measured = repost_pairs
    assert DOC_REPOST_JACCARD < measured["above"] <= 0.73, measured
    assert 0.64 <= measured["below"] < DOC_REPOST_JACCARD - 0.04, measured


def test_repost_just_above_the_threshold_is_a_repost(repost_pairs) -> None:
    docs, measured = repost_pairs
    a, b = docs["above-a"], docs["above-b"]
    assert [x.id for x in a.duplicates] == ["above-b"]
    assert [x.id for x in b.duplicates] == ["above-a"]
    assert a.duplicates[0].similarity == pytest.approx(measured["above"], abs=0.002)
    assert "above-b" not in [r.id for r in a.related]  # a repost is not also "similar"


def test_rewrite_just_below_the_threshold_is_not_a_repost(repost_pairs) -> None:
    docs, _ = repost_pairs
    assert docs["below-a"].duplicates == [] and docs["below-b"].duplicates == []
    assert "below-b" in [r.id for r in docs["below-a"].related]  # only similar


# ---------------------------------------------------------------- the similar-speech cut


@pytest.fixture(scope="module")
def seed_links() -> dict:
    return linked(SEEDS)


def test_similar_speeches_are_the_top_five_at_or_above_the_cut(seed_links) -> None:
    for d in seed_links.values():
        assert len(d.related) <= DOC_TOP_K
        assert all(r.score >= DOC_MIN_SCORE for r in d.related), d.id


@pytest.fixture(scope="module")
def cut_corpus(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Eight speeches sharing vocabulary at different rates: each has more than five
    others in common with it, and the one-topic outlier shares almost nothing."""
    rng = random.Random(5)
    corpus = tmp_path_factory.mktemp("cut")
    for i in range(8):
        (corpus / f"s{i}.txt").write_text(as_source(speech(rng, 40)), encoding="utf-8")
    outlier = "同志们：\n" + "今天召开森林防火会议，护林员巡山，防火隔离带，扑火队伍，林区野外用火。" * 8 + "\n"
    (corpus / "t-outlier.txt").write_text(outlier, encoding="utf-8")
    return linked(corpus)


_FIRE = ("森林 防火 护林 巡山 扑火 林区 隔离 野外 用火 瞭望 监测 预警 物资 储备 值守 应急 演练 队伍 装备 火源 "
         "烟头 祭祀 野炊 焚烧 秸秆 雷击 气象 干燥 大风 高温").split()
_SCHOOL = ("学校 课堂 教师 学生 课程 教材 考试 招生 食堂 宿舍 操场 家长 作业 德育 体育 美育 劳动 心理 辅导 阅读 "
           "实验 图书 校车 午餐 托管 课后 幼儿 保育 学区 校舍").split()


def mixed_speech(rng: random.Random, share: float, n: int = 40) -> str:
    """A speech whose words come from the general pool with probability `share`, else
    from two other topics: the smaller the share, the lower its cosine with a general one."""
    out = []
    for _ in range(n):
        words = [rng.choice(_WORDS) if rng.random() < share else rng.choice(_FIRE if rng.random() < 0.5 else _SCHOOL)
                 for _ in range(8)]
        out.append("要" + "".join(words) + "。")
    return as_source(out)


@pytest.fixture(scope="module")
def near_cut(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict[str, float]]:
    """m0 is general; m1…m6 share less and less of its vocabulary, so their cosines with
    m0 fall from about 0.15 through the cut to about 0.03."""
    rng = random.Random(1)
    corpus = tmp_path_factory.mktemp("nearcut")
    for i, share in enumerate((1, 0.1, 0.09, 0.08, 0.07, 0.06, 0.05)):
        (corpus / f"m{i}.txt").write_text(mixed_speech(rng, share), encoding="utf-8")
    docs = linked(corpus)
    ordered = sorted(docs.values(), key=lambda d: d.id)
    mat, _vocab, _idf = link_mod.tfidf_vectors(ordered)
    row = (mat[0] @ mat.T).toarray()[0]
    return docs, {d.id: float(row[j]) for j, d in enumerate(ordered) if j}


def test_similar_just_above_the_cut_is_listed_just_below_is_not(near_cut) -> None:
    docs, scores = near_cut
    listed = {r.id for r in docs["m0"].related}
    above = [i for i, s in scores.items() if DOC_MIN_SCORE <= s < DOC_MIN_SCORE + 0.04]
    below = [i for i, s in scores.items() if DOC_MIN_SCORE - 0.02 <= s < DOC_MIN_SCORE]
    assert above and below, f"the fixture must straddle the cut: {scores}"
    assert set(above) <= listed, (above, listed, scores)
    assert not set(below) & listed, (below, listed, scores)
    assert listed == {i for i, s in scores.items() if s >= DOC_MIN_SCORE}, scores


def test_more_candidates_than_the_cut_lists_exactly_five(cut_corpus) -> None:
    for i in range(8):
        assert len(cut_corpus[f"s{i}"].related) == DOC_TOP_K, [r.id for r in cut_corpus[f"s{i}"].related]


def test_related_are_exactly_the_best_scores_at_or_above_the_cut(cut_corpus) -> None:
    """Recomputing the cosines from the document vectors, the listed neighbours are the
    highest-scoring others with cosine ≥ 0.08, at most five, and none below the cut."""
    docs = sorted(cut_corpus.values(), key=lambda d: d.id)
    mat, _vocab, _idf = link_mod.tfidf_vectors(docs)
    sims = (mat @ mat.T).toarray()
    below_seen = False
    for i, d in enumerate(docs):
        others = sorted(((round(float(sims[i, j]), 6), docs[j].id) for j in range(len(docs)) if j != i),
                        key=lambda p: (-p[0], p[1]))
        expected = [oid for s, oid in others if s >= DOC_MIN_SCORE][:DOC_TOP_K]
        assert [r.id for r in d.related] == expected, d.id
        below_seen |= any(s < DOC_MIN_SCORE for s, _ in others)
    assert below_seen, "the fixture has pairs below the cut"
