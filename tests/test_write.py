"""Speech pages: title, facts line, tags, then the text; everything else after it.
Index pages are split so none grows with the archive."""

from __future__ import annotations

import re

import pytest
from conftest import collect_seeds

from generator.indexes import PER_PAGE, Group, build_indexes, paginate
from generator.write import esc, speech_page


@pytest.fixture(scope="module")
def docs():
    from generator.link import link
    from generator.segment import cut

    ds = collect_seeds().documents
    for d in ds:
        d.tokens = cut(d.search_text)
    link(ds)
    return ds


def _pos(page: str, needle: str) -> int:
    i = page.find(needle)
    assert i >= 0, needle
    return i


def test_speech_page_order(docs) -> None:
    by_id = {d.id: d for d in docs}
    for d in docs:
        page = speech_page(d, by_id)
        text = _pos(page, "## 正文 {#text}")
        assert _pos(page, "# ") < _pos(page, 'class="sa-facts"') < _pos(page, "sa-evidence") < text
        if d.keywords:
            assert _pos(page, "{ .sa-tags }") < text
        for after in ("## 引用本文", "## 详细信息", "## 相似讲话", "## 处理记录"):
            assert _pos(page, after) > text, after
        if d.redacted:
            assert _pos(page, "范文：含占位符") > text
        if d.duplicates:
            assert _pos(page, "## 同文转载") > text
        if d.siblings:
            assert _pos(page, "## 同一来源文件中的其他篇目") > text
        if d.simplified is not None:
            assert _pos(page, '=== "简体"') < _pos(page, '=== "原文"')


def test_facts_line_says_status_and_groups_shared_evidence(docs) -> None:
    by_id = {d.id: d for d in docs}
    for d in docs:
        page = speech_page(d, by_id)
        facts = re.search(r'<p class="sa-facts">(.*?)</p>', page).group(1)
        assert facts.count('class="sa-fact') == 6
        assert re.search(r'title="日期：(推断|来源标注|编辑标注|未知)', facts)
        evidence = page.split('<details class="sa-evidence">')[1].split("</details>")[0]
        quoted = re.findall(r"依据：“(.*?)”</li>", evidence)
        assert len(quoted) == len(set(quoted)), "the same evidence sentence is repeated"


def test_facts_and_citation_cannot_inject_markup(docs) -> None:
    from generator.model import Field

    d = docs[0]
    d.meta["meeting"] = Field('<script>alert(1)</script>"会议', "annotated", '<img src=x onerror=alert(2)>')
    page = speech_page(d, {x.id: x for x in docs})
    assert "<script>alert" not in page and "<img src=x" not in page


def test_paginate_splits_long_groups_and_records_where() -> None:
    groups = [Group(2, f"组{i}", f"a-{i}", entries=[f"- 条目 {i}-{j}" for j in range(300)]) for i in range(4)]
    pages = paginate("years", "按年份", "说明", groups, per_page=500)
    assert list(pages.text) == ["years", "years-2", "years-3"]
    for text in pages.text.values():
        assert text.count("\n- 条目") <= 500
    assert pages.where == {"a-0": "years", "a-1": "years", "a-2": "years-2", "a-3": "years-2"}
    assert "组1（续）" in pages.text["years-2"] and "组3（续）" in pages.text["years-3"]
    assert "[第 2 页" in pages.text["years"] and "**第 1 页" in pages.text["years"]


def test_no_index_page_over_the_limit(docs) -> None:
    many = docs * (PER_PAGE // len(docs) + 40)  # more entries than one page holds
    pages = build_indexes(many, esc)
    assert "index-2" in pages.text and "keywords-2" in pages.text
    for name, text in pages.text.items():
        entries = len(re.findall(r"^(- |\| (?!---|日期 ))", text, re.M))
        assert entries <= PER_PAGE, name
