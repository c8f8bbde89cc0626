"""The seeds against their golden files, plus the issue's fixed expectations, which are
asserted here independently of the goldens so that regenerating cannot hide a regression."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fidelitylib import GOLDEN, SEED_STEMS, SEEDS, read_clean, render, summarize

from generator.model import Document

REGENERATE = (
    "golden file {name} differs from the generator's output: if the change is intended, run "
    "`python tests/golden/regenerate.py` and review `git diff tests/golden` before committing"
)


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_seed_matches_golden(seed: Path) -> None:
    golden = GOLDEN / f"{seed.stem}.json"
    assert golden.exists(), REGENERATE.format(name=golden.name)
    expected = json.loads(golden.read_text(encoding="utf-8"))
    actual = summarize(seed)
    assert actual == expected, REGENERATE.format(name=golden.name)


def test_golden_files_are_exactly_the_seeds() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == SEED_STEMS


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_golden_files_are_in_canonical_form(seed: Path) -> None:
    golden = GOLDEN / f"{seed.stem}.json"
    text = golden.read_text(encoding="utf-8")
    assert text == render(json.loads(text)) + "\n", REGENERATE.format(name=golden.name)


# ---------------------------------------------------------------- the expectations


@pytest.fixture(scope="module")
def seed_docs() -> dict[str, list[Document]]:
    return {seed.name[:3]: read_clean(seed, seed.parent)[1] for seed in SEEDS}


def test_five_seeds_give_fourteen_documents(seed_docs) -> None:
    assert {k: len(v) for k, v in seed_docs.items()} == {"000": 1, "001": 1, "002": 1, "003": 9, "004": 2}
    ids = [d.id for docs in seed_docs.values() for d in docs]
    assert len(ids) == 14 and len(set(ids)) == 14


def test_seed_000_title_from_front_matter(seed_docs) -> None:
    (doc,) = seed_docs["000"]
    assert doc.title == "统一思想认识 凝聚发展力量 推动经济社会高质量发展"
    assert doc.meta["title"].status == "given"


def test_seed_002_is_traditional_with_simplified_text_and_no_pinyin(seed_docs) -> None:
    (doc,) = seed_docs["002"]
    assert doc.script == "zh-Hant"
    assert doc.simplified is not None and len(doc.simplified) == len(doc.paragraphs)
    assert doc.simplified != doc.paragraphs
    artifact = re.compile(r"[(（][a-zü\u00e0-\u01dc]{1,7}[)）]")
    for p in doc.paragraphs:
        assert not artifact.search(p), artifact.search(p)


def test_seed_002_no_tone_marked_pinyin_letters_survive(seed_docs) -> None:
    (doc,) = seed_docs["002"]
    tone = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
    assert [p for p in doc.paragraphs if tone.search(p)] == []


def test_seed_003_parts_3_and_7_take_the_recommended_title(seed_docs) -> None:
    docs = seed_docs["003"]
    for part in (3, 7):
        doc = docs[part - 1]
        assert doc.part == part
        assert doc.title == "在全市县域经济高质量发展工作会议上的讲话材料"


def test_seed_004_titles_from_trailing_headline_block(seed_docs) -> None:
    first, second = seed_docs["004"]
    assert "市委、市政府召开全市年中工作会议" in first.title
    assert "集体谈话会" in second.title
    assert "集体谈话会" not in first.title
    assert "年中工作会议" not in second.title
    for doc in (first, second):
        assert doc.meta["title"].status == "inferred"
        # the headlines are titles, not text
        assert not any("集体谈话会" in p and len(p) <= 30 for p in doc.paragraphs)


BOILERPLATE = re.compile(r"^(?:分享|我要反馈|免责声明.*|推荐访问.*|请用微信扫一扫|請用微信掃一掃|返回.*首页)$")


def test_no_seed_paragraph_is_boilerplate(seed_docs) -> None:
    for docs in seed_docs.values():
        for doc in docs:
            for p in doc.paragraphs:
                assert not BOILERPLATE.match(p.strip()), (doc.id, p)
                assert "版权归原作者所有" not in p, (doc.id, p)
