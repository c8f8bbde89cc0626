"""Passages: every paragraph has a number, an anchor on its page and a line in
data/passages.jsonl.gz, and a document's passages join back into exactly its text."""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import pytest
from browserlib import Traffic, serve

from generator.publish.passages import SEPARATOR, section_paths

# A speech outline written for this test: a title, a salutation, two numbered sections, the
# first with two sub-sections, and a closing line.
OUTLINED = [
    "在全县春季工作会议上的讲话",
    "同志们：",
    "今天的会议主要是部署春季工作。",
    "一、认清形势",
    "去年全县经济稳中有进。",
    "（一）看到成绩",
    "各项指标好于预期。",
    "（二）正视问题",
    "困难仍然不少。",
    "二、抓好重点",
    "要抓项目、抓招商。",
    "谢谢大家。",
]


def test_section_paths_follow_the_outline() -> None:
    assert section_paths(OUTLINED) == [
        "", "", "", "一、", "一、", "一、（一）", "一、（一）", "一、（二）", "一、（二）", "二、", "二、", "二、",
    ]


def test_a_lone_subsection_number_is_no_section() -> None:
    """（一） without （二） is not an outline (outline.py's rule), so it makes no path."""
    paras = ["标题", "一、甲项工作", "正文一。", "（一）唯一的小节", "正文二。", "二、乙项工作", "正文三。"]
    assert section_paths(paras) == ["", "一、", "一、", "一、", "一、", "二、", "二、"]


def test_no_outline_no_sections() -> None:
    assert section_paths(["标题", "第一段。", "第二段。"]) == ["", "", ""]


def read_passages(site: Path) -> list[dict]:
    raw = (site / "data" / "passages.jsonl.gz").read_bytes()
    assert raw[4:8] == b"\0\0\0\0", "gzip header carries a time stamp: not reproducible"
    return [json.loads(line) for line in gzip.decompress(raw).decode("utf-8").splitlines()]


def read_corpus(site: Path) -> list[dict]:
    raw = gzip.decompress((site / "data" / "corpus.jsonl.gz").read_bytes()).decode("utf-8")
    return [json.loads(line) for line in raw.splitlines()]


def passages_with_text(site: Path) -> list[dict]:
    """The passages with their text taken from the corpus by their offsets."""
    text = {r["id"]: r["text"] for r in read_corpus(site)}
    return [{**p, "text": text[p["doc"]][p["start"]:p["end"]]} for p in read_passages(site)]


def test_passages_join_back_into_the_corpus_text(built_site) -> None:
    passages = read_passages(built_site.online)
    corpus = read_corpus(built_site.online)
    assert [p["doc"] for p in passages] == sorted(p["doc"] for p in passages), "sorted by document id"
    by_doc: dict[str, list[dict]] = {}
    for p in passages:
        assert set(p) == {"doc", "n", "section", "start", "end"}, "no copy of the text: offsets into it"
        by_doc.setdefault(p["doc"], []).append(p)
    assert list(by_doc) == [r["id"] for r in corpus]
    for r in corpus:
        rows, text = by_doc[r["id"]], r["text"]
        assert [p["n"] for p in rows] == list(range(1, len(rows) + 1))
        # the paragraphs cover the text exactly: first at 0, each next one a separator later
        assert rows[0]["start"] == 0 and rows[-1]["end"] == len(text), r["id"]
        assert all(b["start"] == a["end"] + len(SEPARATOR) for a, b in zip(rows, rows[1:], strict=False))
        assert all(text[a["end"]:b["start"]] == SEPARATOR for a, b in zip(rows, rows[1:], strict=False))
        assert SEPARATOR.join(text[p["start"]:p["end"]] for p in rows) == text, r["id"]
        if r["text_original"] is not None:  # the original script splits into the same paragraphs
            assert len(r["text_original"].split(SEPARATOR)) == len(rows)


def test_readme_pandas_join_gives_each_paragraph(built_site) -> None:
    """The README's recipe, run as written: one merge on the document id gives every
    passage its text, and it is the paragraph the page shows under that number."""
    import pandas as pd

    data = built_site.online / "data"
    corpus = pd.read_json(data / "corpus.jsonl.gz", lines=True, dtype={"id": str}, convert_dates=False)
    passages = pd.read_json(data / "passages.jsonl.gz", lines=True, dtype={"doc": str, "section": str})
    passages = passages.merge(corpus[["id", "text"]], left_on="doc", right_on="id")
    passages["text"] = [t[a:b] for t, a, b in zip(passages.text, passages.start, passages.end, strict=True)]
    texts = passages.groupby("doc", sort=False)["text"].agg(SEPARATOR.join)
    assert texts.to_dict() == dict(zip(corpus.id, corpus.text, strict=True))
    page = (built_site.online / "archive" / "speeches" / f"{DEEP}.html").read_text(encoding="utf-8")
    row = passages[(passages.doc == DEEP) & (passages.n == 30)].iloc[0]
    shown = re.search(r'<p id="p-30">(.*?)<a class="sa-pn"', page, re.S)
    assert shown is not None and html.unescape(re.sub(r"<[^>]+>", "", shown.group(1))).strip() == row.text.strip()


def test_every_paragraph_has_its_anchor_on_the_page(built_site, catalog) -> None:
    passages = read_passages(built_site.online)
    urls = {d["id"]: d["url"] for d in catalog["documents"]}
    counts: dict[str, int] = {}
    for p in passages:
        counts[p["doc"]] = max(counts.get(p["doc"], 0), p["n"])
    for doc, n in counts.items():
        page = (built_site.online / urls[doc]).read_text(encoding="utf-8")
        ids = re.findall(r'id="(p-\d+)"', page)
        assert ids == [f"p-{i}" for i in range(1, n + 1)], doc  # each once, in order
        assert len(re.findall(r'class="sa-pn"[^>]*href="#p-\d+"', page)) >= n


def test_sections_name_the_page_headings(built_site, catalog) -> None:
    """A paragraph shown as a heading carries its anchor on the heading, and its section
    path ends with the numbering the heading begins with."""
    passages = {(p["doc"], p["n"]): p for p in passages_with_text(built_site.online)}
    checked = 0
    for d in catalog["documents"]:
        page = (built_site.online / d["url"]).read_text(encoding="utf-8")
        for n in re.findall(r'<h[3-6][^>]*>[^<]*<a class="sa-pn" id="p-(\d+)"', page):
            p = passages[(d["id"], int(n))]
            s = p["section"]
            assert s and any(p["text"].startswith(s[i:]) for i in range(len(s))), p
            checked += 1
    assert checked >= 5, "the seeds have numbered sections"


# ---------------------------------------------------------------- in a browser

DEEP = "001-9e70d2a127fe3adb"  # the seed speech with numbered sections, 40 paragraphs


@pytest.fixture(scope="module")
def http_base(built_site):
    with serve(built_site.online) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("flavour", ["http", "file"])
def test_anchor_opens_the_paragraph_and_link_is_copyable(page, built_site, http_base, flavour) -> None:
    passages = [p for p in passages_with_text(built_site.online) if p["doc"] == DEEP]
    target = next(p for p in passages[25:] if len(p["text"]) > 60)  # a paragraph, not a heading
    base = http_base if flavour == "http" else built_site.offline.as_uri() + "/"
    traffic = Traffic().attach(page)
    page.goto(f"{base}archive/speeches/{DEEP}.html#p-{target['n']}", wait_until="load")
    para = page.locator(f"#p-{target['n']}")
    # the paragraph with that number is the passage's text, and it is scrolled into view
    assert para.inner_text().strip() == target["text"].strip()
    box = para.bounding_box()
    assert box is not None and 0 <= box["y"] < 300, box
    link = para.locator("a.sa-pn")
    assert link.get_attribute("aria-label") == f"第{target['n']}段"
    # the number is drawn, but copying the paragraph copies only its text
    drawn = link.evaluate("a => getComputedStyle(a, '::before').content")
    assert str(target["n"]) in drawn
    assert str(target["n"]) not in para.inner_text().replace(target["text"], "")
    # the link is keyboard-reachable and leads to the paragraph's own address
    other = next(p for p in passages[2:] if len(p["text"]) > 60)
    page.locator(f"#p-{other['n']} a.sa-pn").click()
    assert page.evaluate("location.hash") == f"#p-{other['n']}"
    assert traffic.page_errors == [] and traffic.leaving(http_base if flavour == "http" else None) == []
