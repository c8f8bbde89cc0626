"""Numbered section lines become headings; paragraphs never do."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from generator.publish.outline import MAX_CHARS, cn_number, outline

FIXTURE = ROOT / "tests" / "fixtures" / "outline_numbered_sections.txt"


def paragraphs(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("text,n", [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23),
                                    ("两", 2), ("百", None), ("一二", None)])
def test_cn_number(text: str, n: int | None) -> None:
    assert cn_number(text) == n


def test_sections_and_subsections() -> None:
    paras = paragraphs(FIXTURE)
    heads = outline(paras)
    got = [(paras[h.index], h.level, h.anchor) for h in heads]
    assert got == [
        ("一、正确认识当前经济形势", 1, "sec-1"),
        ("二、准确把握今年工作重点", 1, "sec-2"),
        ("（一）抓项目建设。", 2, "sec-2-1"),
        ("（二）抓产业升级。", 2, "sec-2-2"),
        ("三、全面加强组织保障", 1, "sec-3"),
    ]


def test_a_paragraph_is_never_a_heading() -> None:
    paras = paragraphs(FIXTURE)
    heads = {h.index for h in outline(paras)}
    long_one = next(i for i, p in enumerate(paras) if p.startswith("一、这一段话"))
    assert long_one not in heads
    assert all(len(paras[i]) <= MAX_CHARS for i in heads)


def test_a_lone_number_is_not_an_outline() -> None:
    """一、 without 二、 is a list item or a sentence, not a numbered structure."""
    assert outline(["标题", "一、只有一个编号", "正文。"]) == []


def test_the_first_paragraph_is_never_a_heading() -> None:
    assert [h.index for h in outline(["一、标题一样的第一行", "一、第一部分", "二、第二部分"])] == [1, 2]


def test_parts_rank_above_numbered_sections() -> None:
    paras = ["标题", "第一部分 回顾", "一、成绩", "二、问题", "第二部分 部署", "一、目标", "二、措施"]
    heads = outline(paras)
    assert [(h.level, h.anchor) for h in heads] == [
        (1, "sec-1"), (2, "sec-1-1"), (2, "sec-1-2"), (1, "sec-2"), (2, "sec-2-1"), (2, "sec-2-2")]


def test_ids_are_unique_when_numbering_restarts() -> None:
    heads = outline(["标题", "一、甲", "二、乙", "一、丙", "二、丁"])
    assert len({h.anchor for h in heads}) == 4
