"""The speech-page contract, asserted on the rendered HTML of the seed site: every section a
speech page promises is there for the seeds that have it, with the right content, and is
absent where the seed has nothing to show.

The headings and labels are constants at the top, so a page redesign changes them in one
place. Section order is not asserted (a redesign may move them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SEEDS

# ---------------------------------------------------------------- the page's vocabulary

HEADING_TEXT = "正文"
HEADING_SIMILAR = "相似讲话"
HEADING_REPOSTS = "同文转载"
HEADING_SIBLINGS = "同一来源文件中的其他篇目"
HEADING_RECORD = "处理记录"
KEYWORDS_LABEL = "关键词："
FACTS_HEADER = ["字段", "值", "依据"]
FACT_ROWS = ["日期", "字数"]  # rows every page has, known or not
REDACTED_WARNING = "范文：含占位符"
TAB_SIMPLIFIED, TAB_ORIGINAL = "简体", "原文"

# ---------------------------------------------------------------- which seed has what
# Written from reading the seeds, not from the generator's output.

S003 = "003-c16298974d168fd3"
S004 = "004-8f839f086a4a2ddd"
PARTS_003 = [f"{S003}-p{i:02d}" for i in range(1, 10)]
PARTS_004 = [f"{S004}-p01", f"{S004}-p02"]
SINGLES = ["000-37eb0cade54b806a", "001-9e70d2a127fe3adb", "002-3531d760dda4e55b"]
ALL = SINGLES + PARTS_003 + PARTS_004
REPOST_GROUP = [f"{S003}-p{i:02d}" for i in (3, 5, 7, 9)]  # one template speech, four times
REDACTED = PARTS_003  # template speeches with XX / ** placeholders
TRADITIONAL = ["002-3531d760dda4e55b"]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# ---------------------------------------------------------------- reading a page


@dataclass
class Section:
    text: list[str] = field(default_factory=list)
    hrefs: list[str] = field(default_factory=list)

    @property
    def joined(self) -> str:
        return "".join(self.text)


@dataclass
class Page:
    sections: dict[str, Section] = field(default_factory=dict)
    admonitions: list[tuple[list[str], str]] = field(default_factory=list)  # (classes, title)
    tab_labels: list[str] = field(default_factory=list)
    tab_blocks: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


class _PageParser(HTMLParser):
    """Splits the article into sections by <h2>, and records admonitions, tabs, tables."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.depth = 0  # inside <article>
        self.current = ""
        self.page.sections[""] = Section()
        self.capture: str | None = None  # h2 / admonition-title / label / cell / p
        self.buf: list[str] = []
        self.block_depth: int | None = None
        self.block_buf: list[str] = []
        self._div_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        if tag == "div":
            self._div_depth += 1
            if "tabbed-block" in classes:
                self.block_depth = self._div_depth
                self.block_buf = []
            if "admonition" in classes:
                self.page.admonitions.append((classes, ""))
        if tag == "h2":
            self.capture, self.buf = "h2", []
        elif tag == "p" and "admonition-title" in classes:
            self.capture, self.buf = "adm", []
        elif tag == "label" and self.capture is None:
            self.capture, self.buf = "label", []
        elif tag == "table":
            self.page.tables.append([])
        elif tag == "tr" and self.page.tables:
            self.page.tables[-1].append([])
        elif tag in ("td", "th"):
            self.capture, self.buf = "cell", []
        elif tag == "p" and self.capture is None:
            self.capture, self.buf = "p", []
        if tag == "a" and a.get("href"):
            self.page.sections[self.current].hrefs.append(a["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        if not self.depth:
            return
        text = "".join(self.buf).replace("¶", "").strip()
        if tag == "h2" and self.capture == "h2":
            self.current = text
            self.page.sections[text] = Section()
            self.capture = None
        elif tag == "p" and self.capture == "adm":
            classes, _ = self.page.admonitions[-1]
            self.page.admonitions[-1] = (classes, text)
            self.capture = None
        elif tag == "label" and self.capture == "label":
            self.page.tab_labels.append(text)
            self.capture = None
        elif tag in ("td", "th") and self.capture == "cell":
            self.page.tables[-1][-1].append(text)
            self.capture = None
        elif tag == "p" and self.capture == "p":
            self.page.paragraphs.append(text)
            self.capture = None
        elif tag == "div":
            if self.block_depth == self._div_depth:
                self.page.tab_blocks.append("".join(self.block_buf))
                self.block_depth = None
            self._div_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            return
        if self.capture:
            self.buf.append(data)
        if self.capture != "h2":
            self.page.sections[self.current].text.append(data)
        if self.block_depth is not None:
            self.block_buf.append(data)


def read_page(path: Path) -> Page:
    p = _PageParser()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p.page


@pytest.fixture(scope="module")
def pages(built_site, catalog) -> dict[str, Page]:
    docs = {d["id"]: d for d in catalog["documents"]}
    assert sorted(docs) == sorted(ALL), "the seed site has exactly the seed documents"
    return {i: read_page(built_site.online / d["url"]) for i, d in docs.items()}


@pytest.fixture(scope="module")
def cat(catalog) -> dict[str, dict]:
    return {d["id"]: d for d in catalog["documents"]}


def links_to(section: Section, doc_id: str) -> bool:
    return any(h.split("#")[0].endswith(f"{doc_id}.html") for h in section.hrefs)


# ---------------------------------------------------------------- every page


@pytest.mark.parametrize("doc_id", ALL)
def test_facts_table(pages, cat, doc_id: str) -> None:
    page = pages[doc_id]
    facts = [t for t in page.tables if t and t[0] == FACTS_HEADER]
    assert len(facts) == 1, f"{doc_id}: no facts table with header {FACTS_HEADER}"
    labels = [row[0] for row in facts[0][1:]]
    for row in FACT_ROWS:
        assert row in labels, (doc_id, labels)
    chars = next(row for row in facts[0] if row[0] == "字数")[1]
    assert chars == str(cat[doc_id]["metadata"]["chars"]["value"]), (doc_id, chars)


@pytest.mark.parametrize("doc_id", ALL)
def test_keywords_line(pages, cat, doc_id: str) -> None:
    line = [p for p in pages[doc_id].paragraphs if p.startswith(KEYWORDS_LABEL)]
    assert len(line) == 1, doc_id
    # the keyword tags before the text, one link each (separated by spaces or 、)
    shown = [k for k in re.split(r"[、\s]+", line[0].removeprefix(KEYWORDS_LABEL)) if k]
    assert sorted(shown) == sorted(cat[doc_id]["keywords"]) and len(shown) >= 5
    # shown in the order the text first uses them (the catalog keeps the order by weight),
    # so near-tied weights that swap after a new document do not rewrite the page (issue 22)
    text = pages[doc_id].sections[HEADING_TEXT].joined
    first = [text.find(k) if k in text else len(text) for k in shown]
    assert first == sorted(first), (doc_id, shown)


@pytest.mark.parametrize("doc_id", ALL)
def test_text_section_is_the_faithful_text(pages, cat, doc_id: str) -> None:
    """The text section holds the speech: its Han characters are, in order, taken from the
    source file, and there are as many as the page says (字数)."""
    page = pages[doc_id]
    assert HEADING_TEXT in page.sections, (doc_id, list(page.sections))
    body = page.tab_blocks[-1] if doc_id in TRADITIONAL else page.sections[HEADING_TEXT].joined
    shown = HAN.findall(body)
    source_file = SEEDS / cat[doc_id]["source_path"]
    it = iter(HAN.findall(source_file.read_text(encoding="utf-8")))
    assert all(ch in it for ch in shown), f"{doc_id}: text section is not in the source's order"
    chars = int(cat[doc_id]["metadata"]["chars"]["value"])  # non-space characters, punctuation too
    assert 0.75 * chars <= len(shown) <= chars and len(shown) > 100, (doc_id, len(shown), chars)


@pytest.mark.parametrize("doc_id", ALL)
def test_similar_speeches_section(pages, cat, doc_id: str) -> None:
    section = pages[doc_id].sections.get(HEADING_SIMILAR)
    assert section is not None, (doc_id, list(pages[doc_id].sections))
    related = [r["id"] for r in cat[doc_id]["related"]]
    assert related, f"{doc_id}: every seed has a similar speech"
    for rid in related:
        assert links_to(section, rid), (doc_id, rid)


@pytest.mark.parametrize("doc_id", ALL)
def test_processing_record(pages, cat, doc_id: str) -> None:
    section = pages[doc_id].sections.get(HEADING_RECORD)
    assert section is not None, (doc_id, list(pages[doc_id].sections))
    d = cat[doc_id]
    assert d["sha256"] in section.joined
    assert d["source_path"] in section.joined
    assert any("sources/" in h for h in section.hrefs), "the record links the original file"


# ---------------------------------------------------------------- pages that have it


def assert_group_section(pages, doc_id: str, heading: str, group) -> None:
    """A page in `group` has the section and links every other member (never itself);
    a page outside it has no such section."""
    section = pages[doc_id].sections.get(heading)
    if group is None or doc_id not in group:
        assert section is None, doc_id
        return
    assert section is not None, (doc_id, list(pages[doc_id].sections))
    for other in group:
        assert links_to(section, other) == (other != doc_id), (doc_id, other)


@pytest.mark.parametrize("doc_id", ALL)
def test_reposts_section(pages, doc_id: str) -> None:
    assert_group_section(pages, doc_id, HEADING_REPOSTS, REPOST_GROUP)


@pytest.mark.parametrize("doc_id", ALL)
def test_siblings_section(pages, doc_id: str) -> None:
    family = next((f for f in (PARTS_003, PARTS_004) if doc_id in f), None)
    assert_group_section(pages, doc_id, HEADING_SIBLINGS, family)


@pytest.mark.parametrize("doc_id", ALL)
def test_redacted_template_warning(pages, doc_id: str) -> None:
    warnings = [(c, t) for c, t in pages[doc_id].admonitions if t == REDACTED_WARNING]
    if doc_id not in REDACTED:
        assert warnings == [], doc_id
        return
    assert len(warnings) == 1, (doc_id, pages[doc_id].admonitions)
    assert "warning" in warnings[0][0]


@pytest.mark.parametrize("doc_id", ALL)
def test_script_tabs(pages, doc_id: str) -> None:
    page = pages[doc_id]
    if doc_id not in TRADITIONAL:
        assert TAB_SIMPLIFIED not in page.tab_labels and not page.tab_blocks, doc_id
        return
    assert page.tab_labels == [TAB_SIMPLIFIED, TAB_ORIGINAL], page.tab_labels
    simplified, original = page.tab_blocks
    assert len(HAN.findall(simplified)) == len(HAN.findall(original)) > 100
    assert simplified != original
    assert "會議" in original or "縣" in original  # the original script is shown as written
