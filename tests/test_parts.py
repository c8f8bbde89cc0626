"""Tests for generator.publish.parts: a source too long for one page is published as
numbered parts of one document, each a page a browser opens, linked to its neighbours;
the catalog, search and downloads still treat it as one document.

The long source is generated here (a 20 MB file does not belong in the repository): a
report of numbered sections, one phrase only in its last section."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re

import pytest
from browserlib import search_for, serve, wait_search_ready
from conftest import copy_project, run_generator

from generator.publish.parts import LONG_PAGE_CHARS, Piece, page_name, part_offsets, split_pages

CN = "一二三四五六七八九十"
SENTENCE = "我们坚持稳中求进工作总基调，推动高质量发展，着力扩大有效投资，持续优化营商环境，全力保障和改善民生。"
ONLY_IN_LAST = "滨江湿地候鸟栖息地保护专项行动"


def cn_number(n: int) -> str:
    return CN[n - 1] if n <= 10 else ("十" if n < 20 else CN[n // 10 - 1] + "十") + (CN[n % 10 - 1] if n % 10 else "")


def long_report(sections: int = 30, paragraphs: int = 45) -> list[str]:
    out = ["关于全区经济社会发展情况的报告", "各位代表："]
    for s in range(1, sections + 1):
        out.append(f"{cn_number(s)}、第{s}方面的重点工作")
        for p in range(1, paragraphs + 1):
            extra = ONLY_IN_LAST if (s, p) == (sections, paragraphs) else ""
            out.append(f"第{s}方面第{p}段。{extra}" + SENTENCE * 8)
    return out


# ---------------------------------------------------------------- splitting


def _joined(paras: list[str], parts) -> list[str]:
    """The text pieces of all parts in order, whole paragraphs rejoined."""
    out: dict[int, str] = {}
    for part in parts:
        for pc in part.pieces:
            out[pc.index] = out.get(pc.index, "") + paras[pc.index][pc.start : pc.end]
    return [out[i] for i in sorted(out)]


def test_short_text_is_one_page() -> None:
    paras = ["甲" * 100] * 10
    (part,) = split_pages(paras, set(), limit=1000)
    assert [pc.index for pc in part.pieces] == list(range(10))


def test_parts_keep_every_paragraph_once_in_order_within_the_limit() -> None:
    paras = [f"第{i}段" + "字" * (50 + i % 37) for i in range(300)]
    parts = split_pages(paras, set(), limit=2000)
    assert len(parts) > 1 and [p.number for p in parts] == list(range(1, len(parts) + 1))
    assert _joined(paras, parts) == paras
    assert [pc.index for p in parts for pc in p.pieces] == list(range(300))
    assert all(sum(pc.end - pc.start for pc in p.pieces) <= 2000 for p in parts)
    assert all(pc.start == 0 for p in parts for pc in p.pieces)  # paragraph boundaries only


def test_parts_prefer_to_start_at_a_section_heading() -> None:
    paras = ["字" * 100 for _ in range(30)]
    heads = {0, 14, 22}
    parts = split_pages(paras, heads, limit=2000)
    # part 1 could take 20 paragraphs; it ends before the heading at 14 (past half of it)
    assert parts[0].pieces[-1].index == 13 and parts[1].pieces[0].index == 14
    # a heading in the first half of a part does not cut it short
    assert split_pages(paras, {3}, limit=2000)[0].pieces[-1].index == 19


def test_one_paragraph_longer_than_a_page_is_cut_at_sentence_ends() -> None:
    para = "".join(f"第{i}句话说的是一件事。" for i in range(2000))
    parts = split_pages(["标题", para, "结尾"], set(), limit=5000)
    assert len(parts) > 3
    assert _joined(["标题", para, "结尾"], parts) == ["标题", para, "结尾"]
    for p in parts:
        for pc in p.pieces:
            if pc.index == 1 and pc.end < len(para):
                assert para[pc.end - 1] == "。"  # cut after a sentence, not inside one


def test_part_offsets_point_into_the_joined_text() -> None:
    paras = ["字" * 100 for _ in range(30)]
    parts = split_pages(paras, set(), limit=1000)
    text = "\n".join(paras)
    for part, at in zip(parts[1:], part_offsets(paras, parts), strict=True):
        pc: Piece = part.pieces[0]
        assert text[at : at + 100] == paras[pc.index]


# ---------------------------------------------------------------- the built site


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory):
    corpus = tmp_path_factory.mktemp("long-corpus")
    paras = long_report()
    (corpus / "long-report.txt").write_text("\n".join(paras) + "\n", encoding="utf-8")
    (corpus / "short.txt").write_text("同志们：今天召开全区农业农村工作会议，部署今年的春耕生产和乡村振兴工作。\n",
                                      encoding="utf-8")
    root = copy_project(tmp_path_factory.mktemp("long-project"), corpus)
    proc = run_generator(root, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root, paras


def test_long_source_is_numbered_pages_of_one_document(long_site) -> None:
    root, paras = long_site
    assert sum(len(p) for p in paras) > 2.5 * LONG_PAGE_CHARS
    speeches = root / "site" / "archive" / "speeches"
    names = sorted(p.name for p in speeches.glob("long-report*.html"))
    assert names == ["long-report.html", "long-report.part2.html", "long-report.part3.html"]
    texts = {n: (speeches / n).read_text(encoding="utf-8") for n in names}
    for n in (1, 2, 3):
        html = texts[f"{page_name('long-report', n)}.html"]
        assert f"（第 {n} 部分，共 3 部分）" in re.search(r"<title>(.*?)</title>", html).group(1)
        prev = re.search(r'rel="prev" href="([^"]+)"', html)
        nxt = re.search(r'rel="next" href="([^"]+)"', html)
        assert (prev.group(1) if prev else None) == (f"{page_name('long-report', n - 1)}.html" if n > 1 else None)
        assert (nxt.group(1) if nxt else None) == (f"{page_name('long-report', n + 1)}.html" if n < 3 else None)
    # each part holds its share of the text (no paragraph twice, none lost) and starts a section
    seen = [p for p in paras[2:] if any(p in html for html in texts.values())]
    assert seen == paras[2:]
    for html in texts.values():
        assert len(html.encode("utf-8")) < 2_000_000
    part2 = texts["long-report.part2.html"]
    assert re.search(r'<h3 id="sec-\d+"', part2.split('id="text"', 1)[1][:3000])
    # the first part keeps the document's facts, citation and processing record
    assert 'id="cite"' in texts["long-report.html"] and 'id="cite"' not in part2


def test_catalog_and_downloads_hold_one_document_with_its_whole_text(long_site) -> None:
    root, paras = long_site
    data = root / "site" / "data"
    rows = [d for d in json.loads((data / "catalog.json").read_text(encoding="utf-8"))["documents"]
            if d["source_path"] == "long-report.txt"]
    assert len(rows) == 1
    assert rows[0]["url"] == "archive/speeches/long-report.html"
    assert rows[0]["pages"] == [f"archive/speeches/{page_name('long-report', n)}.html" for n in (1, 2, 3)]
    table = list(csv.DictReader(io.StringIO((data / "catalog.csv").read_text(encoding="utf-8-sig"))))
    assert [r["id"] for r in table if r["source_path"] == "long-report.txt"] == ["long-report"]
    with gzip.open(data / "corpus.jsonl.gz", "rt", encoding="utf-8") as fh:
        lines = [json.loads(line) for line in fh]
    (doc,) = [d for d in lines if d["id"] == "long-report"]
    body = doc["text"]
    assert all(p in body for p in paras[2:]) and body.count(ONLY_IN_LAST) == 1
    report = json.loads((data / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["documents"] == 2


# ---------------------------------------------------------------- in the browser



@pytest.mark.browser
@pytest.mark.parametrize("flavour", ["online", "offline"])
def test_part_page_opens_and_links_its_neighbours(long_site, page, flavour) -> None:
    root, _ = long_site
    site = root / "site"
    with serve(site) as base:
        start = (base if flavour == "online" else site.as_uri() + "/") + "archive/speeches/long-report.part2.html"
        page.goto(start, wait_until="load", timeout=30_000)
        assert "第 2 部分，共 3 部分" in page.title()
        assert page.locator("#text ~ p").count() > 100  # the text of part 2 is on the page
        page.click("nav.sa-parts >> nth=0 >> a.sa-part-next")
        page.wait_for_url(re.compile(r"long-report\.part3\.html$"))
        assert "第 3 部分，共 3 部分" in page.title()
        assert page.locator("a.sa-part-next").count() == 0
        page.click("nav.sa-parts >> nth=0 >> a.sa-part-prev")
        page.wait_for_url(re.compile(r"long-report\.part2\.html$"))
        page.click("nav.sa-parts >> nth=0 >> a.sa-part-prev")
        page.wait_for_url(re.compile(r"long-report\.html$"))
        assert "第 1 部分，共 3 部分" in page.title()


@pytest.mark.browser
def test_search_hit_links_the_part_holding_the_match(long_site, page) -> None:
    root, _ = long_site
    with serve(root / "site") as base:
        page.goto(base + "index.html", wait_until="load")
        wait_search_ready(page)
        found = search_for(page, ONLY_IN_LAST)
        assert found.speeches == ["long-report.part3"], found
        assert found.count == 1
        found = search_for(page, "第1方面第2段")
        assert found.speeches == ["long-report"], found


def test_traditional_text_shows_the_same_share_in_both_tabs() -> None:
    from generator.model import Document
    from generator.publish.write import body_lines

    original = [f"第{i}段：會議強調，要堅持發展經濟。" for i in range(40)]
    simplified = [f"第{i}段：会议强调，要坚持发展经济。" for i in range(40)]
    doc = Document(id="t", file_id="t", part=None, parts_total=1, source_path="t.txt", sha256="0",
                   encoding="big5", body_format="text", paragraphs=original, script="zh-Hant",
                   simplified=simplified)
    parts = split_pages(original, set(), limit=200)
    assert len(parts) > 2
    second = "\n".join(body_lines(doc, parts[1]))
    shown = [pc.index for pc in parts[1].pieces]
    for i in range(40):
        inside = i in shown
        assert (f"第{i}段：会议强调" in second) == inside  # the 简体 tab
        assert (f"第{i}段：會議強調" in second) == inside  # the 原文 tab
