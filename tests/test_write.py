"""Safety units of the write stage (esc, safe_url, md_paragraph) and of the reader's HTML
sanitizer, table-driven with attack strings. Every case renders the generator's Markdown
with the real `markdown` library and inspects the HTML with a parser, so "safe" means
"no live handler and no script URL in what a browser would get", not "some string is
absent"."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markdown
import pytest
from conftest import linked_seed_docs

from generator.publish.indexes import PER_PAGE, Group, anchor, build_indexes, paginate
from generator.publish.write import esc, md_paragraph, safe_url, speech_page
from generator.read import html_to_text

# ---------------------------------------------------------------- a small HTML oracle

SAFE_SCHEMES = ("http://", "https://", "mailto:")


class _Tags(HTMLParser):
    """Every start tag with its attributes, entity references already decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(rendered: str) -> _Tags:
    p = _Tags()
    p.feed(rendered)
    p.close()
    return p


def render(md: str) -> str:
    return markdown.markdown(md)


def assert_inert(rendered: str) -> _Tags:
    """Only paragraphs and links; no event handler; every href is a web or mail URL."""
    tags = parse(rendered)
    for tag, attrs in tags.tags:
        assert tag in {"p", "a"}, (tag, rendered)
        assert not any(k.lower().startswith("on") for k in attrs), (tag, attrs)
        assert set(attrs) <= {"href"}, (tag, attrs)
        if "href" in attrs:
            href = attrs["href"].strip().lower()
            assert href.startswith(SAFE_SCHEMES), (href, rendered)
    return tags


ATTACKS = [
    "[点我](javascript:alert(1))",
    "[点我](JaVaScRiPt:alert(1))",
    "[点我]( javascript:alert(1))",
    "[点我](<javascript:alert(1)>)",
    "[点我](&#106;avascript:alert(1))",
    "[点我](&#x6A;avascript:alert(1))",
    "[点我](java&#09;script:alert(1))",
    "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[点我](vbscript:msgbox(1))",
    "[点我](VBScript:msgbox(1))",
    "[点我](file:///etc/passwd)",
    '[点我](http://a.cn/"onmouseover="alert(1))',
    "![图](javascript:alert(1))",
    "![图](http://a.cn/x.png)",
    "![图](http://a.cn/x.png\" onerror=\"alert(1))",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnError=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<script>alert(1)</script>",
    "<a href=\"javascript:alert(1)\">点我</a>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "[<img src=x onerror=alert(1)>](http://a.cn)",
    "[点我](http://a.cn)<img src=x onerror=alert(1)>",
    "[[点我](javascript:alert(1))](http://a.cn)",
    "<http://a.cn/\"onmouseover=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


# ---------------------------------------------------------------- esc


@pytest.mark.parametrize("text", [
    *ATTACKS,
    "会议要求：*认真* _落实_ `代码` #标题 1. 列表 - 条目 > 引用 | 表格 | ~删除~ ^上标^ ==高亮==",
    "X市XX县**同志",
    "\\[不是链接\\](javascript:alert(1))",
    "a & b &amp; c &#20013; 'q' \"qq\"",
], ids=lambda t: f"len{len(t)}-{sum(map(ord, t)) % 100000}")
def test_esc_renders_exactly_the_text(text: str) -> None:
    """esc(text) rendered as Markdown shows exactly `text`: no tag, no link, no markup."""
    rendered = render(esc(text))
    tags = parse(rendered)
    assert [t for t, _ in tags.tags] == ["p"], rendered
    assert "".join(tags.text) == text.strip()


@pytest.mark.parametrize("ch", list("\\`*_{}[]()#+-.!|~^=<>&\"'"))
def test_esc_turns_every_markup_character_into_an_entity(ch: str) -> None:
    assert esc(f"a{ch}b") == f"a&#{ord(ch)};b"


def test_esc_keeps_chinese_and_placeholders() -> None:
    assert esc("同志们：XX县召开会议，×××讲话。") == "同志们：XX县召开会议，×××讲话。"


# ---------------------------------------------------------------- safe_url


@pytest.mark.parametrize(("url", "expected"), [
    ("http://a.cn/x", "http://a.cn/x"),
    ("https://a.cn/x?y=1&z=2#f", "https://a.cn/x?y=1&z=2#f"),
    ("HTTPS://A.CN/X", "HTTPS://A.CN/X"),
    ("  https://a.cn/x  ", "https://a.cn/x"),
    ("//a.cn/x", "https://a.cn/x"),
    ("mailto:office@a.cn", "mailto:office@a.cn"),
    ("https://a.cn/a(b)", "https://a.cn/a%28b%29"),
    ("javascript:alert(1)", None),
    ("JavaScript:alert(1)", None),
    ("JAVASCRIPT:alert(1)", None),
    (" javascript:alert(1)", None),
    ("\tjavascript:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("java\nscript:alert(1)", None),
    ("&#106;avascript:alert(1)", None),
    ("&#x6A;avascript:alert(1)", None),
    ("javascript&colon;alert(1)", None),
    ("data:text/html;base64,PHNjcmlwdD4=", None),
    ("DATA:image/svg+xml,<svg onload=alert(1)>", None),
    ("vbscript:msgbox(1)", None),
    ("VbScRiPt:msgbox(1)", None),
    ("file:///etc/passwd", None),
    ("ftp://a.cn/x", None),
    ("/relative/path", None),
    ("relative.html", None),
    ("", None),
    ("http://", None),
    ('http://a.cn/"onmouseover="alert(1)', None),
    ("http://a.cn/<script>", None),
    ("http://a.cn/x y", None),
    ("https:javascript:alert(1)", None),
])
def test_safe_url(url: str, expected: str | None) -> None:
    assert safe_url(url) == expected


# ---------------------------------------------------------------- md_paragraph


@pytest.mark.parametrize("fmt", ["text", "html", "markdown"])
@pytest.mark.parametrize("attack", ATTACKS, ids=range(len(ATTACKS)))
def test_md_paragraph_output_is_inert(attack: str, fmt: str) -> None:
    assert_inert(render(md_paragraph("会议召开。" + attack + "会议结束。", fmt)))


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_md_paragraph_keeps_web_links_of_marked_up_sources(fmt: str) -> None:
    tags = assert_inert(render(md_paragraph("详见[政府网站](https://www.gov.cn/a_1.html?x=1&y=2)。", fmt)))
    assert [a for t, a in tags.tags if t == "a"] == [{"href": "https://www.gov.cn/a_1.html?x=1&y=2"}]
    assert "".join(tags.text) == "详见政府网站。"


@pytest.mark.parametrize("fmt", ["html", "markdown"])
@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x"])
def test_md_paragraph_keeps_only_the_label_of_a_bad_link(url: str, fmt: str) -> None:
    tags = assert_inert(render(md_paragraph(f"[点我]({url})后继续。", fmt)))
    assert not [t for t, _ in tags.tags if t == "a"]
    assert "".join(tags.text).startswith("点我")


def test_md_paragraph_plain_text_is_never_a_link() -> None:
    """A plain-text source never had links: its bracket syntax is text, shown as typed."""
    text = "[点我](http://a.cn)"
    tags = assert_inert(render(md_paragraph(text, "text")))
    assert not [t for t, _ in tags.tags if t == "a"]
    assert "".join(tags.text) == text


# ---------------------------------------------------------------- the HTML sanitizer (reader)


@pytest.mark.parametrize("fragment", [
    '<p>正文<a href="javascript:alert(1)">链接</a></p>',
    '<p>正文<a href="JaVaScRiPt:alert(1)">链接</a></p>',
    '<p>正文<a href="&#106;avascript:alert(1)">链接</a></p>',
    '<p>正文<a href="&#x6A;&#x61;vascript:alert(1)">链接</a></p>',
    '<p>正文<a href="java&#09;script:alert(1)">链接</a></p>',
    '<p>正文<a href=" javascript:alert(1)">链接</a></p>',
    '<p>正文<a href="data:text/html;base64,PHNjcmlwdD4=">链接</a></p>',
    '<p>正文<a href="vbscript:msgbox(1)">链接</a></p>',
    '<p>正文<img src=x onerror=alert(1)>链接</p>',
    '<p>正文<svg onload=alert(1)><circle r=1 /></svg>链接</p>',
    '<p onclick="alert(1)">正文<b onmouseover=alert(1)>链接</b></p>',
    '<p>正文<script>alert(1)</script>链接</p>',
    '<p>正文<style>body{background:url(javascript:alert(1))}</style>链接</p>',
    '<p>正文<iframe src="javascript:alert(1)"></iframe>链接</p>',
    '<p>正文<a href="http://a.cn" onclick="alert(1)">链接</a></p>',
    '<p>正文[点我](javascript:alert(1))链接</p>',
    '<p>正文![图](javascript:alert(1))链接</p>',
])
def test_sanitized_html_renders_inert(fragment: str) -> None:
    text, _lost = html_to_text(fragment)
    low = html.unescape(text).lower().replace("\t", "")
    assert "onerror" not in low and "onload" not in low and "onclick" not in low and "<script" not in low
    assert "正文" in text and "链接" in text  # the words of the speech stay
    if "href=" in fragment or "src=" in fragment:
        # the sanitizer itself drops the URL (md_paragraph's safe_url is a second line)
        assert not re.search(r"(javascript|vbscript|data):", low.replace(" ", "")), text
    for line in text.splitlines():
        assert_inert(render(md_paragraph(line, "html")))


def test_sanitizer_keeps_web_links() -> None:
    text, _lost = html_to_text('<p>详见<a href="https://www.gov.cn/x.html">政府网站</a>。</p>')
    tags = assert_inert(render(md_paragraph(text.strip(), "html")))
    assert [a for t, a in tags.tags if t == "a"] == [{"href": "https://www.gov.cn/x.html"}]


# ---------------------------------------------------------------- speech page and indexes


@pytest.fixture(scope="module")
def docs():
    return linked_seed_docs()


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


def test_each_fact_evidence_is_on_the_page_once(docs) -> None:
    """The facts line's evidence is shown in 这些信息从哪里来 only: the tooltip gives the
    status, the details table links to the block (issue 22: it was there three times)."""
    labels = {"date": "日期", "place": "地点", "speakers": "讲话人", "meeting": "会议", "genre": "体裁",
              "source": "来源"}
    by_id = {d.id: d for d in docs}
    seen = 0
    for d in docs:
        page = speech_page(d, by_id)
        facts = re.search(r'<p class="sa-facts">(.*?)</p>', page).group(1)
        assert "依据：" not in facts and "依据" in facts
        block = page.split('<details class="sa-evidence">')[1].split("</details>")[0]
        assert '<ul id="evidence">' in block
        rows = {r.split(" | ")[0].strip("| "): r for r in page.split("## 详细信息")[1].split("\n## ")[0].splitlines()
                if r.startswith("| ")}
        for name, label in labels.items():
            f = d.meta.get(name)
            if not f or not f.evidence or f.status == "given" or f.value in (None, [], {}, ""):
                continue
            seen += 1
            assert html.escape(f.evidence.replace("\n", " ").strip()[:20]) in block, (d.id, name)
            assert rows[label].endswith("（[依据](#evidence)） |"), rows[label]
    assert seen >= 5


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
    assert any(name.startswith("index-") for name in pages.text) and any(name.startswith("keywords-b") for name in pages.text)
    for name, text in pages.text.items():
        entries = len(re.findall(r"^(- |\| (?!---|日期 ))", text, re.M))
        assert entries <= PER_PAGE, name


def test_a_keywords_page_does_not_move_when_documents_are_added(docs) -> None:
    """The page holding a keyword's list depends on the keyword (and on the archive's size
    only when it doubles), never on the counts: pages are chosen by a hash, not by rank."""
    from generator.publish.indexes import keyword_buckets

    small = docs * 30
    grown = small + docs[:1]
    assert keyword_buckets(len(small)) == keyword_buckets(len(grown))
    before, after = build_indexes(small, esc).where, build_indexes(grown, esc).where
    kw = [a for a in before if a.startswith(("k-", "t-"))]
    assert kw and all(before[a] == after[a] for a in kw)
    assert all(before[a].startswith("keywords-b") for a in kw)


def test_keywords_overview_lists_every_keyword_with_count_and_link(docs) -> None:
    pages = build_indexes(docs, esc)
    overview = pages.text["keywords"]
    for k in {k for d in docs for k in d.keywords}:
        n = sum(k in d.keywords for d in docs)
        a = anchor("keywords", k)
        assert f"[{esc(k)}]({pages.where[a]}.md#{a})（{n} 篇）" in overview
        assert f"{{#{a}}}" in pages.text[pages.where[a]]


def test_keyword_buckets_grow_by_doubling() -> None:
    from generator.publish.indexes import BUCKET_FILL, keyword_buckets

    assert keyword_buckets(1) == 1 and keyword_buckets(10_000) == 512
    for n in (1, 30, 200, 10_000, 100_000):
        b = keyword_buckets(n)
        assert b & (b - 1) == 0 and n * 10 / b <= BUCKET_FILL
        assert keyword_buckets(n + 1) in (b, 2 * b)


def test_originals_link_to_the_repository_when_source_url_is_set(docs, tmp_path, monkeypatch) -> None:
    """The Pages build links each original at the built commit instead of copying it
    into the site: the page, catalog and downloads all point there, and no copy is made."""
    from generator.publish.output import Output
    from generator.publish.write import source_link, write_all

    monkeypatch.setenv("SOURCE_URL", "https://github.com/owner/repo/blob/0123abc")
    by_id = {d.id: d for d in docs}
    d = docs[0]
    url = "https://github.com/owner/repo/blob/0123abc/corpus/" + d.source_path
    assert source_link(d, "https://github.com/owner/repo/blob/0123abc/") == url.replace(" ", "%20")
    page = speech_page(d, by_id)
    assert f"](<{url}>)" in page
    out = Output(tmp_path / "docs")
    write_all(docs, tmp_path / "docs", tmp_path / "no-corpus-needed", out)
    assert not (tmp_path / "docs" / "archive" / "sources").exists()
    import json
    cat = json.loads((tmp_path / "docs" / "data" / "catalog.json").read_text(encoding="utf-8"))
    assert all(e["source_download"].startswith("https://github.com/owner/repo/blob/0123abc/corpus/")
               for e in cat["documents"])


@pytest.mark.parametrize("bad", ["javascript:alert(1)//", "http://example.org/", "https://x.org/a b/",
                                 'https://x.org/"onmouseover=/'])
def test_source_url_must_be_a_plain_https_url(docs, monkeypatch, bad: str) -> None:
    monkeypatch.setenv("SOURCE_URL", bad)
    with pytest.raises(ValueError, match="SOURCE_URL"):
        speech_page(docs[0], {d.id: d for d in docs})


def test_originals_are_copied_without_source_url(docs, tmp_path, monkeypatch) -> None:
    from conftest import SEEDS

    from generator.publish.output import Output
    from generator.publish.write import write_all
    monkeypatch.delenv("SOURCE_URL", raising=False)
    write_all(docs, tmp_path / "docs", SEEDS, Output(tmp_path / "docs"))
    copies = sorted(p.name for p in (tmp_path / "docs" / "archive" / "sources").iterdir())
    assert len(copies) == len({d.file_id for d in docs})
    assert f"](<../sources/{copies[0]}>)" in "".join(speech_page(d, {x.id: x for x in docs}) for d in docs)
