"""Reuse on the site (generator/publish/reuse_pages.py, docs/assets/compare.js): the note
under a reused paragraph, the comparison view, the reuse page and data/reuse.jsonl.gz,
on a real build of a corpus with planted reuse (tests/reuselib.py), and in Chromium over
http and from file://."""

from __future__ import annotations

import gzip
import html
import json
import re

import pytest
from browserlib import Traffic, serve
from conftest import collect_seeds, copy_project, run_generator
from reuselib import FORMULA, planted_corpus

from generator.link.reuse import Reuse, ReusePair
from generator.model import Document, Field
from generator.publish.reuse_pages import compare_data, note_html, reuse_jsonl

RECORD_KEYS = {"a", "a_n", "b", "b_n", "chars", "identity", "by_date"}


def doc(did: str, title: str, date: str | None, paras: list[str]) -> Document:
    d = Document(id=did, file_id=did, part=None, parts_total=1, source_path=f"{did}.txt", sha256="",
                 encoding="utf-8", body_format="text", paragraphs=paras)
    d.meta["title"] = Field(title, "given")
    if date:
        d.meta["date"] = Field(date, "given")
    return d


HOSTILE = '<script>alert(1)</script>"&'


def hostile_pair() -> tuple[dict[str, Document], Reuse]:
    a = doc("aaa", HOSTILE, "2020-01-01", ["甲" * 60, "</script><script>alert(2)</script>" + "乙" * 60])
    b = doc("bbb", "后来的讲话", "2021-01-01", ["丙" * 10, "乙" * 60])
    r = Reuse(pairs=[ReusePair("aaa", [2], "bbb", [2], 60, 1.0, True)],
              notes={"bbb": {2: [("aaa", [2])]}, "aaa": {2: [("bbb", [2])]}})
    return {"aaa": a, "bbb": b}, r


def test_note_links_the_exact_paragraph_and_escapes_titles() -> None:
    by_id, r = hostile_pair()
    note = note_html(by_id["bbb"], 2, r, by_id)
    assert note is not None and 'id="reuse-p-2"' in note and "第 2 段</a>亦见于 1 篇" in note
    assert 'href="aaa.html#p-2"' in note and "compare.html?a=aaa&amp;b=bbb" in note
    assert "<script>" not in note and html.escape(HOSTILE) in note
    assert note_html(by_id["bbb"], 1, r, by_id) is None


def test_compare_data_cannot_end_its_script() -> None:
    by_id, r = hostile_pair()
    js = compare_data(by_id["aaa"], r, {"发展": 3})
    assert "</script" not in js.lower()
    rec = json.loads(js.removeprefix("SAReuse.put(").removesuffix(");\n"))
    assert rec["paras"]["2"].startswith("</script>") and rec["pairs"][0]["o"] == "bbb"
    assert rec["pairs"][0]["earlier"] is True


def test_reuse_jsonl_has_the_documented_fields() -> None:
    _by_id, r = hostile_pair()
    (line,) = reuse_jsonl(r).splitlines()
    assert json.loads(line) == {"a": "aaa", "a_n": [2], "b": "bbb", "b_n": [2], "chars": 60, "identity": 1.0,
                                "by_date": True}


# ---------------------------------------------------------------- the built site


@pytest.fixture(scope="module")
def reuse_site(tmp_path_factory):
    paras = [p for d in collect_seeds().documents for p in (d.simplified or d.paragraphs)]
    base = tmp_path_factory.mktemp("reuse-site")
    plants = planted_corpus(base / "corpus", paras, n_docs=12, n_plants=12, seed=5)
    root = copy_project(base / "project", base / "corpus")
    result = run_generator(root, "build")
    assert result.returncode == 0, result.stderr[-3000:]
    return root, plants


def records(root) -> list[dict]:
    with gzip.open(root / "site" / "data" / "reuse.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_reuse_jsonl_lists_the_planted_pairs(reuse_site) -> None:
    root, plants = reuse_site
    recs = records(root)
    assert recs and all(set(r) == RECORD_KEYS for r in recs)
    assert recs == sorted(recs, key=lambda r: (r["a"], r["a_n"], r["b"], r["b_n"]))
    for p in plants:
        assert any(r["a"] == p.source and p.source_n in r["a_n"] and r["b"] == p.target and p.target_n in r["b_n"]
                   for r in recs), p


def test_speech_page_marks_the_paragraph_and_links_the_source(reuse_site) -> None:
    root, plants = reuse_site
    for p in plants:
        page = (root / "site" / "archive" / "speeches" / f"{p.target}.html").read_text(encoding="utf-8")
        para = re.search(rf'<p[^>]*id="p-{p.target_n}"[^>]*>(.*?)</p>', page, re.S)
        assert para and "sa-reused" in para.group(0)
        # the mark links the note after the text; its words are CSS, not text
        assert f'class="sa-reuse-mark" href="#reuse-p-{p.target_n}"' in para.group(1)
        assert "亦见于" not in re.sub(r"<[^>]+>", "", para.group(1))
        text_end = page.index('id="reuse"')  # the notes are a section after the text
        assert page.index(f'id="p-{p.target_n}"') < text_end
        note = page.split(f'id="reuse-p-{p.target_n}"', 1)[1].split("</p>", 1)[0]
        assert page.index(f'id="reuse-p-{p.target_n}"') > text_end
        assert f'href="{p.source}.html#p-{p.source_n}"' in note
        assert re.search(rf'compare\.html\?a={p.source}&amp;b={p.target}"', note)


def test_reuse_page_lists_passages_and_the_formula(reuse_site) -> None:
    root, _plants = reuse_site
    page = (root / "site" / "archive" / "reuse.html").read_text(encoding="utf-8")
    assert "复用最多的段落" in page and "常见套话" in page
    assert FORMULA.rstrip("，")[:20] in page
    index = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "data/reuse.jsonl.gz" in index


def test_compare_data_only_for_documents_in_a_pair(reuse_site) -> None:
    root, _plants = reuse_site
    involved = {r["a"] for r in records(root)} | {r["b"] for r in records(root)}
    files = {f.stem for f in (root / "site" / "archive" / "compare").glob("*.js")}
    assert files == involved


# ---------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def reuse_http(reuse_site):
    with serve(reuse_site[0] / "site") as url:
        yield url


def chars_plant(plants):
    return next(p for p in plants if p.kind == "chars")


@pytest.mark.browser
@pytest.mark.parametrize("flavour", ["http", "file"])
def test_note_leads_to_the_passage_and_the_comparison_aligns_it(page, reuse_site, reuse_http, flavour) -> None:
    root, plants = reuse_site
    p = chars_plant(plants)
    base = reuse_http if flavour == "http" else (root / "site").as_uri() + "/"
    traffic = Traffic().attach(page)
    page.goto(f"{base}archive/speeches/{p.target}.html#p-{p.target_n}", wait_until="load")
    copy_text = page.locator(f"#p-{p.target_n}").inner_text().strip()
    mark = page.locator(f"#p-{p.target_n} a.sa-reuse-mark")
    assert "本段亦见于" in mark.evaluate("a => getComputedStyle(a, '::after').content")
    mark.click()  # the mark leads to the paragraph's note after the text
    assert page.evaluate("location.hash") == f"#reuse-p-{p.target_n}"
    note = page.locator(f"#reuse-p-{p.target_n}")
    assert "亦见于" in note.inner_text() and note.is_visible()
    # the note's link opens the source's own paragraph
    note.locator(f'a[href="{p.source}.html#p-{p.source_n}"]').click()
    page.wait_for_url(re.compile(rf"{p.source}\.html#p-{p.source_n}$"))
    source_text = page.locator(f"#p-{p.source_n}").inner_text().strip()
    assert page.locator(f"#p-{p.source_n}").get_attribute("class") == "sa-reused"
    page.go_back()
    # the comparison view puts the two passages side by side, the differences marked
    page.locator(f"#reuse-p-{p.target_n} a.sa-compare-link").first.click()
    page.wait_for_selector("#sa-compare[data-ready]")
    row = page.locator(".sa-compare-row").filter(has_text=f"甲 第 {p.source_n} 段").filter(
        has_text=f"乙 第 {p.target_n} 段")
    cells = row.locator(".sa-compare-text")
    left, right = cells.nth(0).inner_text(), cells.nth(1).inner_text()
    strip = re.compile(r"\s|¶\d+")
    assert strip.sub("", left) == strip.sub("", source_text)
    assert strip.sub("", right) == strip.sub("", copy_text)
    deleted = row.locator("del.sa-diff").all_inner_texts()
    inserted = row.locator("ins.sa-diff").all_inner_texts()
    assert deleted and inserted
    # what is marked is exactly what differs: the unmarked text of both sides is the same
    assert cells.nth(0).evaluate("e => [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('')") \
        == cells.nth(1).evaluate("e => [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('')")
    assert "甲篇日期较早" in page.locator(".sa-compare-summary").inner_text()
    assert traffic.page_errors == [] and traffic.leaving(reuse_http if flavour == "http" else None) == []


@pytest.mark.browser
def test_comparison_is_stacked_on_a_phone(browser, reuse_site) -> None:
    root, plants = reuse_site
    p = chars_plant(plants)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{(root / 'site').as_uri()}/archive/compare.html?a={p.source}&b={p.target}")
        page.wait_for_selector("#sa-compare[data-ready]")
        cells = page.locator(".sa-compare-row .sa-compare-cell")
        one, two = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
        assert one and two and two["y"] >= one["y"] + one["height"] - 1 and abs(one["x"] - two["x"]) < 2
        assert one["width"] <= 390
    finally:
        context.close()


@pytest.mark.browser
def test_comparison_refuses_a_bad_id(page, reuse_site) -> None:
    root, _plants = reuse_site
    traffic = Traffic().attach(page)
    page.goto(f"{(root / 'site').as_uri()}/archive/compare.html?a=../../etc&b=x")
    assert "需要两篇不同讲话的编号" in page.locator("#sa-compare").inner_text()
    assert not [u for u in traffic.requests if "/compare/" in u or "etc." in u]  # no data file asked for


def test_terms_survive_their_compact_form() -> None:
    from generator.publish.reuse_pages import parse_terms, top_terms

    counts = {"发展": 9, "高质量发展": 4, "县": 30, "a\tb": 2, "营商环境": 4}
    packed = top_terms(counts)
    assert parse_terms(packed) == {"发展": 9, "高质量发展": 4, "营商环境": 4, "a\tb": 2}
    assert list(parse_terms(packed)) == ["发展", "营商环境", "高质量发展", "a\tb"]  # by count, then term
