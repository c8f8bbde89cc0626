"""Write stage: Documents → Markdown pages, index pages, catalog and downloads.

The generator owns docs/archive/, docs/data/ and docs/searchindex/ (generator/publish/output.py
writes a file only when its bytes change and deletes what a run no longer produces, so a
document removed from corpus/ loses its page).
Hand-written pages elsewhere in docs/ are never touched. Every piece of source text is
escaped before it reaches Markdown, so nothing in a source can become markup or script.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from generator.annotate.targets import Target
from generator.annotate.targets import extract as extract_targets
from generator.clean import RULES
from generator.link import term_counts
from generator.link.distinctive import Distinctive, distinctive_terms
from generator.link.reuse import Reuse
from generator.model import Document
from generator.publish import charts as charts_mod
from generator.publish import formats as source_formats
from generator.publish import release_downloads
from generator.publish.cite import bibtex, csl_json, gbt7714, page_url, site_url
from generator.publish.distinctive_out import DISTINCTIVE_CSV, distinctive_csv, index_notes
from generator.publish.doc_memo import DocMemo, TermPositions
from generator.publish.export import CORPUS_GZ, newest, write_downloads
from generator.publish.gzip_members import output_members
from generator.publish.indexes import build_indexes, keyword_link, links_for
from generator.publish.labels import list_facts, list_facts_text, place_label, speaker_key
from generator.publish.outline import outline
from generator.publish.output import Output
from generator.publish.page_cache import PageCache, digest, shown_digest
from generator.publish.parts import PagePart, continuation_page, nav_lines, page_name, pages_of, part_title
from generator.publish.passages import PASSAGES_GZ, passage_link, passages_lines
from generator.publish.passages import anchor as passage_anchor
from generator.publish.reuse_pages import reuse_marks, reuse_section, write_reuse
from generator.publish.stream_out import joined, output_chunks
from generator.publish.targets_page import TARGETS_CSV, TARGETS_PAGE, target_lines, targets_csv, targets_page
from generator.read.jekyll import TITLE_FROM_POST_NAME
from generator.runtime import generator_version

GENERATED = "archive"
SPEECHES = "speeches"
SOURCES = "sources"

_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|~^=<>&\"']")
_LINK = re.compile(r"\[([^\]\n]{0,500})\]\(<?([^)\s>]{1,2000})>?(?:\s+\"[^\"]*\")?\)")


def esc(text: str) -> str:
    """Text → Markdown that renders exactly as this text: every character Markdown or
    HTML could interpret becomes a numeric entity."""
    return _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", text)


def safe_url(url: str) -> str | None:
    """Only web and mail links survive; javascript:, data: and the like are dropped."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    if re.match(r"^(https?://|mailto:)[^\s<>\"]+$", url, re.I):
        return url.replace("(", "%28").replace(")", "%29")
    return None


def md_paragraph(text: str, body_format: str) -> str:
    """Plain-text sources are escaped whole. Sources that had markup keep their links:
    link text is escaped and the URL must pass safe_url, else only the text is kept."""
    if body_format == "text":
        return esc(text)
    out: list[str] = []
    pos = 0
    for m in _LINK.finditer(text):
        out.append(esc(text[pos : m.start()]))
        url = safe_url(m.group(2))
        label = esc(m.group(1))
        out.append(f"[{label}](<{url}>)" if url else label)
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


FRONT_MATTER_FIELDS = ["date", "date_precision", "date_text", "published", "place", "level", "speakers",
                       "officials", "meeting", "meeting_type", "genre", "source", "reporters", "script",
                       "chars", "reading_minutes"]


def _escape_deep(v: Any) -> Any:
    if isinstance(v, str):
        return html.escape(v, quote=False)
    if isinstance(v, list):
        return [_escape_deep(x) for x in v]
    if isinstance(v, dict):
        return {k: _escape_deep(x) for k, x in v.items()}
    return v


def title_text(title: str) -> str:
    """Titles go into front matter, which the theme prints without escaping."""
    return html.escape(title, quote=False)


def source_base() -> str:
    """Where the originals are published when not copied into the site: SOURCE_URL, the
    repository's view of its own files at the built commit (the Pages workflow sets it to
    https://github.com/<owner>/<repo>/blob/<commit>/). A permanent link to the exact bytes
    received, with the file's history beside it, and a site ~20 KB per speech smaller,
    which keeps 10,000 speeches inside GitHub Pages' size limit. Unset (a local build),
    the originals are copied into archive/sources/ so the site is complete on disk."""
    url = os.environ.get("SOURCE_URL", "").strip()
    if not url:
        return ""
    url = url if url.endswith("/") else url + "/"
    if safe_url(url) != url or not url.startswith("https://"):
        raise ValueError(f"SOURCE_URL must be an https:// URL without spaces or quotes, got {url!r}")
    return url


def source_link(doc: Document, base: str, from_page: bool = False) -> str:
    """The link to a document's original: under SOURCE_URL (the corpus/ file at the built
    commit), else the copy in archive/sources/, relative to the site or to a speech page."""
    if base:
        return base + "corpus/" + quote(doc.source_path, safe="/")
    return f"../{SOURCES}/{download_name(doc)}" if from_page else f"{GENERATED}/{SOURCES}/{download_name(doc)}"


def download_name(doc: Document) -> str:
    """Originals ship as .txt so that a saved web page is downloaded, never rendered."""
    binary = source_formats.binary_download_ext(doc)  # a PDF, Word file or scan stays itself
    if binary:
        return f"{doc.file_id}.{binary}"
    ext = Path(doc.source_path).suffix.lower().lstrip(".")
    ext = re.sub(r"[^a-z0-9]", "", ext)
    return f"{doc.file_id}.{ext}.txt" if ext and ext != "txt" else f"{doc.file_id}.txt"


# ---------------------------------------------------------------- speech pages

_FIELD_LABELS = [
    ("title_original", "原标题"),
    ("title_from", "标题来源"),
    ("dateline", "题注"),
    ("heading", "原文小标题"),
    ("date", "日期"),
    ("date_text", "原文日期"),
    ("published", "发布时间"),
    ("place", "地点"),
    ("level", "层级"),
    ("speakers", "讲话人"),
    ("speaker_note", "讲话人说明"),
    ("officials", "其他领导"),
    ("meeting", "会议"),
    ("meeting_type", "会议类型"),
    ("genre", "体裁"),
    ("source", "来源"),
    ("template_site", "范文网站"),
    ("watermark_site", "水印网站"),
    ("reporters", "记者"),
    ("author", "作者"),
    ("summary", "摘要"),
]
_STATUS = {"given": "来源标注", "inferred": "推断", "annotated": "编辑标注"}


def fmt_value(name: str, value: Any) -> str:
    if value is None or value == [] or value == {}:
        return "未知"
    if name == "title_from" and value == "file name":
        return "文件名（正文没有标题行）"
    if name == "title_from" and value == TITLE_FROM_POST_NAME:
        return "Jekyll 文章的文件名（front matter 没有 title）"
    if name == "place" and isinstance(value, dict):
        if value.get("scope") == "全国" and not value.get("province"):
            return esc("全国（全国性文件，不属任何省份）")
        names = [str(v) for v in (value.get("province"), value.get("city"), value.get("county")) if v]
        return esc(" / ".join(n for i, n in enumerate(names) if i == 0 or n != names[i - 1]))  # 北京市 once
    if name in ("speakers", "officials") and isinstance(value, list):
        def person(p: dict) -> str:
            extra = "，".join(str(x) for x in (p.get("role"), p.get("part")) if x)
            return f"{p.get('name')}（{extra}）" if extra else str(p.get("name"))

        return esc("；".join(person(p) for p in value))
    if isinstance(value, list):
        return esc("、".join(str(v) for v in value))
    if name == "source" and isinstance(value, dict):
        parts = [esc(str(value["name"]))] if value.get("name") else []
        url = safe_url(str(value.get("url") or ""))
        if url:
            parts.append(f"<{url}>")
        return " ".join(parts) or "未知"
    return esc(str(value))


def index_links(doc: Document, where: dict[str, str] | None = None) -> str:
    return " · ".join(links_for(doc, esc, where=where))


def metadata_table(doc: Document, where: dict[str, str] | None = None) -> list[str]:
    rows = ["| 字段 | 值 | 依据 |", "| --- | --- | --- |"]
    shown = {ev for name, _ in _GLANCE if (ev := _evidence(doc, name)[1])}  # in 这些信息从哪里来
    for name, label in _FIELD_LABELS:
        f = doc.meta.get(name)
        if f is None:
            continue
        if f.value in (None, [], {}, "") and name not in ("date",):
            continue
        ev = f"{_STATUS[f.status]}"
        if f.evidence and f.status != "given":
            if f.evidence.replace("\n", " ").strip() in shown:
                # shown once, in 这些信息从哪里来 under the title (issue 22); linked from here
                ev += "（[依据](#evidence)）"
            else:
                short = f.evidence.replace("\n", " ")
                ev += "：" + esc(short if len(short) <= 70 else short[:70] + "…")
        rows.append(f"| {label} | {fmt_value(name, f.value)} | {ev} |")
    links = index_links(doc, where)
    if links:
        rows.append(f"| 索引 | {links} | |")
    rows.append(f"| 字数 | {doc.value('chars')} | 约 {doc.value('reading_minutes')} 分钟读完 |")
    rows.append(f"| 文字 | {'繁体' if doc.script == 'zh-Hant' else '简体'}（{doc.script}） | |")
    if doc.given_tags:
        rows.append(f"| 来源标签 | {esc('、'.join(doc.given_tags))} | 来源标注 |")
    return rows


def body_lines(doc: Document, part: PagePart | None = None, marks: dict[int, str] | None = None) -> list[str]:
    """The text, with numbered section lines as headings (see outline.py). A traditional
    text shows the simplified version first; its headings make the outline, and in the
    original-script tab the same lines are bold paragraphs, so the outline is not doubled.
    `part`: only that page's share of a very long text (parts.py). Headings a Word file
    marks (given_headings) are matched in the original script."""
    marked = doc.simplified if doc.simplified is not None and not doc.given_headings else doc.paragraphs
    heads = {h.index: h for h in outline(marked, doc.given_headings)}
    pieces = part.pieces if part else None

    def shown(paras: list[str]) -> list[tuple[int, str]]:
        if pieces is None:
            return list(enumerate(paras))
        # a piece is a whole paragraph except where one paragraph is longer than a page
        return [(pc.index, paras[pc.index] if pc.start == 0 and pc.end >= len(doc.paragraphs[pc.index])
                 else paras[pc.index][pc.start : pc.end]) for pc in pieces
                if pc.start == 0 or pc.start < len(paras[pc.index])]

    def block(paras: list[str], indent: str, as_headings: bool, lang: str | None = None) -> list[str]:
        # paragraph n's anchor #p-n (passages.py) lives in the first tab, the one shown
        out: list[str] = []
        first: set[int] = {pc.index for pc in pieces if pc.start == 0} if pieces is not None else set(heads)
        # a paragraph cut over two pages of a very long text has its anchor where it starts
        starts: set[int] | None = {pc.index for pc in pieces if pc.start == 0} if pieces is not None else None
        items = shown(paras)
        for k, (i, p) in enumerate(items):
            if source_formats.is_table_row(doc, p):  # a table of a PDF, Word file or scan
                if k == 0 or not source_formats.is_table_row(doc, items[k - 1][1]):
                    rows = list(itertools.takewhile(lambda r: source_formats.is_table_row(doc, r[1]), items[k:]))
                    # each row is a passage: its #p-n anchor sits in the row (publish/formats.py)
                    links = [passage_link(j + 1, True) if as_headings and (starts is None or j in starts) else ""
                             for j, _ in rows]
                    out += source_formats.table_lines([q for _, q in rows], esc, indent, links) + [""]
                continue
            h = heads.get(i) if i in first else None
            anchored = starts is None or i in starts
            link = passage_link(i + 1, as_headings and bool(h)) if anchored else ""
            if h and as_headings:
                out.append(f"{indent}{'#' * (h.level + 2)} {esc(p.strip())} {link} {{#{h.anchor}}}")
            elif h:
                out.append(f"{indent}**{esc(p.strip())}** {link}")
            else:
                # a reused paragraph's mark (publish/reuse_pages.py) links its note after the text
                mark = (marks or {}).get(i + 1, "") if as_headings and anchored else ""
                out.append(indent + md_paragraph(p, doc.body_format) + (" " + link if link else "") + mark)
            if as_headings and not h and anchored:
                reused = " .sa-reused" if marks and i + 1 in marks else ""
                out.append(f"{indent}{{: #{passage_anchor(i + 1)}{reused} }}")
            if lang and p.strip():
                # attr_list: screen readers and fonts take the paragraph as traditional script
                out.append(f'{indent}{{: lang="{lang}" }}')
            out.append("")
        return out

    if doc.simplified is not None:
        lines = ['=== "简体"', ""]
        lines += block(doc.simplified, "    ", True)
        lines += ['=== "原文"', ""]
        lines += block(doc.paragraphs, "    ", False, doc.script)
        return lines
    return block(doc.paragraphs, "", True)


# ---------------------------------------------------------------- facts at a glance

_GLANCE = [("date", "日期"), ("place", "地点"), ("speakers", "讲话人"), ("meeting", "会议"), ("genre", "体裁"),
           ("source", "来源")]


def glance_value(doc: Document, name: str) -> str | None:
    """One fact as plain text for the facts line, or None when unknown."""
    v = doc.value(name)
    if v in (None, [], {}, ""):
        if name == "date" and doc.value("date_text"):
            return f"{doc.value('date_text')}（年份不明）"
        return None
    if name == "place" and isinstance(v, dict):
        return place_label(doc)  # 全国 for a national document, a municipality named once
    if name == "speakers" and isinstance(v, list):
        # the unified name (labels.speaker_key); the source's own form stays in the facts table
        return "、".join(f"{speaker_key(str(p.get('name')))}（{p['role']}）" if p.get("role")
                        else speaker_key(str(p.get("name"))) for p in v)
    if name == "source" and isinstance(v, dict):
        return str(v.get("name") or v.get("url") or "") or None
    return str(v)


def _evidence(doc: Document, name: str) -> tuple[str, str | None]:
    f = doc.meta.get(name)
    if f is None or f.value in (None, [], {}, ""):
        return "未知", None
    ev = (f.evidence or "").replace("\n", " ").strip() or None
    return _STATUS[f.status], ev


def facts_lines(doc: Document) -> list[str]:
    """Title line of facts (date · place · speaker (role) · meeting · genre · source); each
    fact's status in its tooltip, and its evidence in a collapsed block below, where facts
    that share one evidence sentence are listed together instead of repeating it. The
    evidence is on the page once (issue 22: it was also in every tooltip and in the details
    table); the tooltip points to the block and the table links to it (#evidence)."""
    spans = []
    for name, label in _GLANCE:
        value = glance_value(doc, name)
        status, ev = _evidence(doc, name)
        tip = f"{label}：{status}" + ("（依据见下方）" if ev else "")
        shown = html.escape(value) if value else f"{label}不明"
        cls = "sa-fact" if value else "sa-fact sa-unknown"
        spans.append(f'<span class="{cls}" data-fact="{name}" title="{html.escape(tip)}">{shown}</span>')
    lines = ['<p class="sa-facts">' + ' <span class="sa-sep">·</span> '.join(spans) + "</p>", ""]
    grouped: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for name, label in _GLANCE:
        status, ev = _evidence(doc, name)
        value = glance_value(doc, name)
        grouped[(status, ev)].append(f"{label}（{value}）" if value else f"{label}")
    items = []
    for (status, ev), labels in grouped.items():
        what = "、".join(html.escape(x) for x in labels)
        if ev:
            items.append(f"<li><b>{what}</b>：{status}。依据：“{html.escape(ev[:300])}”</li>")
        else:
            items.append(f"<li><b>{what}</b>：{status}</li>")
    lines += ['<details class="sa-evidence"><summary>这些信息从哪里来</summary>',
              "<p>来源标注 = 原文件自带（front matter），推断 = 从正文推断，编辑标注 = 编辑的更正；"
              "未知的信息不作猜测。全部字段见正文后的<a href=\"#facts\">详细信息</a>。</p>",
              # the id on the list, not on <details>: following #evidence to an element
              # inside a closed <details> opens it
              '<ul id="evidence">' + "".join(items) + "</ul>", "</details>", ""]
    return lines


def reading_order(terms: list[str], text: str) -> list[str]:
    """Terms in the order the text first uses them (ties and absent terms by code point).
    Keywords and shared keywords are chosen by weight, but shown in this order: near-tied
    weights swap places when a new document moves the document frequencies, and a page
    showing its terms by weight changed with each swap although its terms did not
    (issue 22: at 2,000 documents 71 of 117 changed speech pages). The catalog keeps the
    order by weight."""
    return sorted(terms, key=lambda t: (p if (p := text.find(t)) >= 0 else len(text), t))


def tags_line(doc: Document, where: dict[str, str] | None, shown: list[str] | None = None) -> list[str]:
    """The keyword tags; `shown`: the keywords already in reading order (doc_memo.TermPositions),
    else ordered here from the text."""
    if not doc.keywords:
        return []
    if shown is None:
        shown = reading_order(doc.keywords, doc.search_text)
    return ["关键词：" + " ".join(keyword_link(k, esc, where) + "{ .md-tag }" for k in shown), "{ .sa-tags }", ""]


def cite_lines(doc: Document) -> list[str]:
    """The 引用本文 block: GB/T 7714, BibTeX, CSL-JSON, each with a copy button (assets/cite.js)."""
    url = page_url(doc)
    lines = ["## 引用本文 {#cite data-search-exclude}", ""]
    if not site_url():
        lines += ["本次构建没有设置网址（`SITE_URL`），下面的链接是站内相对路径；正式发布的网站上这里是完整网址。", ""]
    lines.append('<div class="sa-cite">')
    for key, label, text in (("gbt", "GB/T 7714-2015", gbt7714(doc, url)), ("bibtex", "BibTeX", bibtex(doc, url)),
                             ("csl", "CSL-JSON", csl_json(doc, url))):
        lines.append(f'<div class="sa-cite-item" data-cite="{key}"><p><b>{label}</b> '
                     f'<button type="button" class="md-button sa-copy">复制</button></p>'
                     f'<pre><code>{html.escape(text)}</code></pre></div>')
    lines += ["</div>", ""]
    return lines


def provenance_lines(doc: Document) -> list[str]:
    lines = [
        "## 处理记录 { data-search-exclude }",
        "",
        f"- 原始文件：[{esc(doc.source_path)}](<{source_link(doc, source_base(), from_page=True)}>)"
        f"（编码 {esc(doc.encoding)}，sha256 `{doc.sha256}`）",
    ]
    fmt_line = source_formats.format_line(doc, esc)
    if fmt_line:
        lines.append(fmt_line)
    if doc.part:
        lines.append(f"- 本文是该文件中的第 {doc.part} 篇（共 {doc.parts_total} 篇）")
    counts: dict[str, int] = defaultdict(int)
    for r in doc.removals:
        counts[r.rule] += 1
    # only the rules that removed or moved something get a row; the others are named on
    # one line (their descriptions are the same on every page: ~1.5 KB each, issue 22)
    acted = [r for r in doc.rules_run if counts.get(r)]
    idle = [r for r in doc.rules_run if not counts.get(r)]
    if acted:
        lines += ["", "| 清理规则 | 说明 | 删除/移出 |", "| --- | --- | --- |"]
        lines += [f"| `{rule}` | {esc(RULES.get(rule, ''))} | {counts[rule]} |" for rule in acted]
    if idle:
        lines += ["", f"其余 {len(idle)} 条清理规则也已运行，没有删除或移出文字：" + "、".join(f"`{r}`" for r in idle)
                  + "（各规则的说明见[关于本档案](../../about.md)）。"]
    if doc.removals:
        lines += ["", '??? note "被删除或移入元数据的文字"', ""]
        for r in doc.removals:
            where = f"（移入：{esc(r.kept_as)}）" if r.kept_as else "（删除）"
            scope = "（全文件）" if r.scope == "file" and doc.parts_total > 1 else ""
            lines.append(f"    - `{r.rule}`{where}{scope}：{esc(r.text[:300])}{'…' if len(r.text) > 300 else ''}")
        lines.append("")
    for w in doc.warnings:
        lines.append(f"- 警告：{esc(w)}")
    return lines


def speech_page(doc: Document, by_id: dict[str, Document], where: dict[str, str] | None = None,
                part: PagePart | None = None, total: int = 1, targets: list[Target] | None = None,
                reuse: Reuse | None = None) -> str:
    """Title, one line of facts, keyword tags, then the text; everything else after it.
    A very long document shows only its first part here (`part`, of `total`)."""
    title = part_title(doc.title, 1, total)
    fm: dict[str, Any] = {"title": title_text(title)}
    for key in FRONT_MATTER_FIELDS:
        v = doc.value(key)
        if v not in (None, [], {}):
            fm[key] = _escape_deep(v)
    lines = ["---", yaml.safe_dump(fm, allow_unicode=True, sort_keys=False).strip(), "---", ""]
    lines.append(f"# {esc(title)}")
    lines.append("")
    lines += nav_lines(doc.id, 1, total)
    lines += facts_lines(doc)
    lines += tags_line(doc, where)
    lines += ["## 正文 {#text}", ""]
    lines += body_lines(doc, part, reuse_marks(doc, reuse))
    lines += nav_lines(doc.id, 1, total)
    if doc.redacted or doc.editor_note or doc.ocr:
        # notes about the text, not part of it: their own section after the text
        lines += ["## 说明 {#notes data-search-exclude}", ""]
    lines += source_formats.ocr_note_lines(doc, esc)
    if doc.redacted:
        ex = "、".join(doc.redaction_examples)
        lines += [
            '!!! warning "范文：含占位符"',
            "",
            f"    这是一篇模板讲话稿，原文中的数字或名称被占位符代替（如 {esc(ex)}），照原样保留。",
            "",
        ]
    if doc.editor_note:
        lines += ['!!! note "编辑说明"', "", "    " + esc(doc.editor_note), ""]
    lines += reuse_section(doc, reuse, by_id)
    lines += target_lines(targets or [], esc, doc)
    lines += cite_lines(doc)
    lines += ["## 详细信息 {#facts data-search-exclude}", ""]
    lines += metadata_table(doc, where)
    lines.append("")
    lines += ["## 相似讲话 { data-search-exclude }", ""]
    if doc.related:
        text = doc.search_text
        for r in doc.related:
            other = by_id[r.id]
            extra = f"（另有 {r.reposts} 篇转载）" if r.reposts else ""
            shared = "、".join(esc(k) for k in reading_order(r.shared_keywords, text))
            # two decimals: the third moved with every new document's term counts and
            # rewrote the page (issue 22); the catalog keeps three
            lines.append(
                f"- [{esc(other.title)}]({r.id}.md)（{esc(list_facts_text(other))}） — 相似度 {r.score:.2f}{extra}"
                + (f" · 共同关键词：{shared}" if shared else "")
            )
    else:
        lines.append("暂无相似度足够高的讲话。")
    lines.append("")
    if doc.duplicates:
        lines += ["## 同文转载 { data-search-exclude }", ""]
        for d in doc.duplicates:
            other = by_id[d.id]
            lines.append(
                f"- [{esc(other.title)}]({d.id}.md)（{esc(list_facts_text(other))}） — 字符 5-gram 相似度 {d.similarity:.2f}"
                f"（约 {round((1 - d.similarity) * 100)}% 不同）"
            )
        lines.append("")
    if doc.siblings:
        lines += ["## 同一来源文件中的其他篇目 { data-search-exclude }", ""]
        for sid in sorted(doc.siblings, key=lambda s: by_id[s].part or 0):
            other = by_id[sid]
            lines.append(f"- 第 {other.part} 篇：[{esc(other.title)}]({sid}.md)（{esc(list_facts_text(other))}）")
        lines.append("")
    lines += provenance_lines(doc)
    lines.append("")
    return "\n".join(lines)


def shown_related(doc: Document, order: Callable[[list[str]], list[str]] | None = None,
                  ) -> list[tuple[str, str, list[str], int]]:
    """The similar speeches as speech_page prints them (score to two decimals, shared
    keywords in reading order): the page cache's key, so drift it does not print is no change.
    `order`: reading_order in the document's text (doc_memo.TermPositions), when known."""
    if order is None:
        return [(r.id, f"{r.score:.2f}", reading_order(r.shared_keywords, doc.search_text), r.reposts)
                for r in doc.related]
    return [(r.id, f"{r.score:.2f}", order(r.shared_keywords), r.reposts) for r in doc.related]


def speech_page_key(doc: Document, doc_key: str, by_id: dict[str, Document], where: dict[str, str] | None,
                    reuse: Reuse | None, shown: list[str] | None = None,
                    facts_text: Callable[[Document], str] = list_facts_text) -> str:
    """Everything speech_page() reads, hashed (publish/page_cache.py): the document (as
    `doc_key`), what its page prints of other documents, its index links and the URLs.
    Must follow speech_page(): a read it leaves out would keep a page that changed.
    `shown`, `facts_text`: see tags_line and write_all; they spare every page's key a read
    of its text and the labels of its related documents made again for each page that lists them."""
    others = [(o, by_id[o].title, facts_text(by_id[o]), by_id[o].part)
              for o in [r.id for r in doc.related] + [d.id for d in doc.duplicates] + list(doc.siblings)]
    return digest(generator_version(), doc_key, others, reuse_section(doc, reuse, by_id), reuse_marks(doc, reuse),
                  tags_line(doc, where, shown), index_links(doc, where), source_base(), site_url(), page_url(doc))


# ---------------------------------------------------------------- charts and home

CHARTS = "charts"
NARROW_MAX = "44.9375em"  # below Material's tablet breakpoint (45em): a phone's column
HOME_SNIPPET = ".home.md"  # a dot file: included by docs/index.md, never a page of its own
SITE_TITLE = "地方政府讲话注释档案"


def chart_block(chart: charts_mod.ChartData, prefix: str) -> list[str]:
    """The chart as an image (SVG, no script) and its numbers as a table beneath it."""
    alt = html.escape(chart.title + "：" + "；".join(f"{r[0]} {'、'.join(r[1:])}" for r in chart.rows[:40]))
    # a phone gets the narrow drawing (charts.py), whose labels keep their size there
    lines = [f'<figure class="sa-chart" markdown="0"><picture><source media="(max-width: {NARROW_MAX})" '
             f'srcset="{prefix}{CHARTS}/{chart.name}-narrow.svg"><img src="{prefix}{CHARTS}/{chart.name}.svg" alt="{alt}" '
             f'loading="lazy"></picture><figcaption>{html.escape(chart.title)}（数据见下表）</figcaption></figure>', "",
             f'??? info "{chart.title}：数据表"', "",
             "    | " + " | ".join(esc(h) for h in chart.header) + " |",
             "    | " + " | ".join("---" for _ in chart.header) + " |"]
    lines += ["    | " + " | ".join(esc(c) for c in row) + " |" for row in chart.rows]
    return lines + [""]


def home_snippet(docs: list[Document], charts: dict[str, charts_mod.ChartData], feed: bool) -> str:
    """What the archive holds, the newest additions, charts and downloads, for the home page."""
    years = sorted({str(d.value("date"))[:4] for d in docs if d.value("date")})
    provinces = {(d.value("place") or {}).get("province") for d in docs} - {None}
    speakers = {speaker_key(str(s.get("name"))) for d in docs for s in (d.value("speakers") or []) if s.get("name")}
    span = f"{years[0]}–{years[-1]} 年" if years else "年份不明"
    lines = ["## 档案概况", "",
             f"共 **{len(docs)}** 篇，时间跨度 {span}（{len(years)} 个年份），"
             f"涉及 **{len(provinces)}** 个省级行政区、**{len(speakers)}** 位讲话人。", "",
             "## 最新收录", "", "按讲话或会议日期，最新的 10 篇：", ""]
    for d in newest(docs, 10):  # date, title, place, speaker: generic titles told apart
        date, place, who = (esc(x) for x in list_facts(d))
        lines.append(f"- {date} [{esc(d.title)}](archive/{SPEECHES}/{d.id}.md) · {place} · {who}")
    lines += ["", "## 图表", ""]
    for c in charts.values():
        lines += chart_block(c, "archive/")
    corpus_href = release_downloads.href(CORPUS_GZ)
    where = "（发布在本项目的 GitHub Release，不在网站之内）" if not corpus_href.startswith("data/") else ""
    lines += ["## 下载 {#downloads}", "",
              "- [catalog.csv](data/catalog.csv)：每篇一行的元数据表（UTF-8 带 BOM，可直接用电子表格打开）",
              f"- [corpus.jsonl.gz](<{corpus_href}>){where}：gzip 压缩的 JSON Lines，每行一篇，含清理后的全文"
              "（繁体原文另附简体）、元数据（附来源和依据）和关键词",
              "- [catalog.json](data/catalog.json)：完整目录，每个字段的值和来源（推断的依据见 corpus.jsonl.gz）",
              "- [passages.jsonl.gz](data/passages.jsonl.gz)：每段一行（文档 id、段号、所属章节、段落在 corpus.jsonl.gz 全文中的起止位置），段号即页面上的 #p-段号",
              "- [reuse.jsonl.gz](data/reuse.jsonl.gz)：讲话之间复用的段落，每对一行（见[文本复用](archive/reuse.md)）",
              "- [targets.csv](data/targets.csv)：工作报告宣布的主要预期目标，每个目标一行，附原句和段号"
              "（[按年份和地点比较](archive/targets.md)）",
              "- [distinctive.csv](data/distinctive.csv)：每个省、市、年份、体裁的特色词（前 20，附 z 分数和出现次数）",
              "- 原始文件：每篇页面“处理记录”中的链接"]
    if feed:
        lines.append("- [Atom 订阅](data/feed.xml)：最新 50 篇")
    lines += ["", "字段说明见项目 README；引用方法见[关于](about.md#how-to-cite)。", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- catalog


def catalog_entry(doc: Document, pages: list[PagePart] | None = None) -> dict[str, Any]:
    # value and status only: the evidence sentences are in corpus.jsonl.gz, beside the text
    # they come from (export.corpus_record); carried here too they were 2.8 KB of every
    # document's 83 KB (issue 22)
    meta = {k: {"value": f.value, "status": f.status} for k, f in sorted(doc.meta.items())}
    return {
        "id": doc.id,
        "url": f"{GENERATED}/{SPEECHES}/{doc.id}.html",
        "title": doc.title,
        "date": doc.value("date"),
        "date_precision": doc.value("date_precision"),
        "source_path": doc.source_path,
        "source_download": source_link(doc, source_base()),
        "sha256": doc.sha256,
        "encoding": doc.encoding,
        "part": doc.part,
        "script": doc.script,
        "redacted": doc.redacted,
        "keywords": doc.keywords,
        "given_tags": doc.given_tags,
        "related": [{"id": r.id, "score": r.score, "shared_keywords": r.shared_keywords} for r in doc.related],
        "duplicates": [{"id": d.id, "similarity": d.similarity} for d in doc.duplicates],
        "siblings": sorted(doc.siblings),
        "cleaning": [{"rule": r.rule, "text": r.text, "kept_as": r.kept_as, "scope": r.scope} for r in doc.removals],
        "metadata": meta,
        **source_formats.catalog_fields(doc),
        **({"pages": [f"{GENERATED}/{SPEECHES}/{page_name(doc.id, p.number)}.html" for p in pages]}
           if len(pages := pages if pages is not None else pages_of(doc)) > 1 else {}),
    }


def write_charts(charts: dict[str, charts_mod.ChartData], docs_dir: Path, out: Output) -> None:
    """The charts' SVG files (both widths); their numbers are on the index pages."""
    target = docs_dir / GENERATED / CHARTS
    for c in charts.values():
        out.write_text(target / f"{c.name}.svg", c.svg)
        out.write_text(target / f"{c.name}-narrow.svg", c.svg_narrow)


def write_download_files(docs: list[Document], docs_dir: Path, out: Output, members: Path | None) -> None:
    """catalog.csv, corpus.jsonl.gz and the feed (export.write_downloads), kept in `out`.
    Apart from the rest of the write stage because they need only the documents and the
    link stage's results: a rebuild's side process writes them (pipeline._trends_and_search)."""
    docs = sorted(docs, key=lambda d: d.id)
    data = docs_dir / "data"
    data.mkdir(parents=True, exist_ok=True)
    downloads = {d.id: source_link(d, source_base()) for d in docs}
    for name in write_downloads(docs, data, downloads, site_url(), SITE_TITLE, members):
        out.keep(data / name)  # written by export.py itself; kept, not stale


def write_all(docs: list[Document], docs_dir: Path, corpus: Path, out: Output | None = None,
              distinctive: list[Distinctive] | None = None, reuse: Reuse | None = None,
              terms: dict[str, str] | None = None, cache_dir: Path | None = None,
              doc_keys: dict[str, str] | None = None, draw_charts: bool = True,
              draw_downloads: bool = True) -> int:
    """Write pages, indexes, source copies and the catalog through `out`, which writes
    a file only when its bytes change and (in remove_stale) deletes what this run no
    longer produces. Returns the number of files written. With `cache_dir`, a speech page
    whose inputs are the previous build's is not made again (publish/page_cache.py), nor
    (with `doc_keys`, each document's cached results' key) what is made of one document
    alone (publish/doc_memo.py). Without `draw_charts`, the chart drawings are left to
    write_charts in another process (the pipeline's side process, beside.py); without
    `draw_downloads`, the downloads to write_download_files there."""
    own = out is None
    out = out or Output(docs_dir)
    before = out.written
    docs = sorted(docs, key=lambda d: d.id)
    by_id = {d.id: d for d in docs}
    target = docs_dir / GENERATED
    sources_online = bool(source_base())
    charts = charts_mod.all_charts(docs)
    if draw_charts:
        write_charts(charts, docs_dir, out)
    extras = {"years": chart_block(charts["years"], "") + chart_block(charts["keywords"], ""),
              "places": chart_block(charts["provinces"], "")}
    if distinctive is None:  # the pipeline passes them computed from its cached counts
        distinctive = distinctive_terms(docs, {d.id: term_counts(d.tokens) for d in docs})
    indexes = build_indexes(docs, esc, extras, index_notes(distinctive, docs))
    memo_dir = cache_dir.parent / "docmemo" if cache_dir else None
    targets_memo: DocMemo[list[Target]] = DocMemo(memo_dir, "targets", doc_keys)
    stated = {d.id: ts for d in docs if (ts := targets_memo.get(d, extract_targets))}
    targets_memo.save()
    made = PageCache(cache_dir, docs_dir)  # pages whose inputs are unchanged are kept
    positions = TermPositions(memo_dir, doc_keys)  # the reading order without the text, when kept
    parts_memo: DocMemo[list[PagePart]] = DocMemo(memo_dir, "parts", doc_keys)
    parts: dict[str, list[PagePart]] = {}
    facts: dict[str, str] = {}  # list_facts_text by id: a document is listed on its related documents' pages

    def facts_text(d: Document) -> str:
        got = facts.get(d.id)
        if got is None:
            got = facts[d.id] = list_facts_text(d)
        return got

    for d in docs:
        pages = parts[d.id] = parts_memo.get(d, pages_of)  # a very long text is published as numbered parts
        order = positions.order(d, [d.keywords, *(r.shared_keywords for r in d.related)])
        shown = order(d.keywords)
        doc_key = shown_digest(d, shown, shown_related(d, order), (doc_keys or {}).get(d.id))
        path = target / SPEECHES / f"{d.id}.md"
        key = speech_page_key(d, doc_key, by_id, indexes.where, reuse, shown, facts_text)
        if not made.fresh(out, path, key):
            out.write_text(path, speech_page(d, by_id, indexes.where, pages[0], len(pages), stated.get(d.id), reuse))
            made.made_now(path, key)
        for p in pages[1:]:
            path, key = target / SPEECHES / f"{page_name(d.id, p.number)}.md", digest(doc_key, p.number)
            if not made.fresh(out, path, key):
                out.write_text(path, continuation_page(d, p, len(pages)))
                made.made_now(path, key)
        dl = target / SOURCES / download_name(d)
        # the copy is the source's bytes, which its sha256 names
        if not sources_online and dl not in out.produced and not made.fresh(out, dl, f"{d.sha256} {d.source_path}"):
            out.copy(corpus / d.source_path, dl)
            made.made_now(dl, f"{d.sha256} {d.source_path}")
    made.save()
    positions.save()
    parts_memo.save()
    for name, text in indexes.text.items():
        out.write_text(target / f"{name}.md", text)
    out.write_text(target / f"{TARGETS_PAGE}.md", targets_page(docs, stated, esc))
    base = site_url()
    out.write_text(target / HOME_SNIPPET, home_snippet(docs, charts, feed=bool(base)))
    data = docs_dir / "data"
    data.mkdir(parents=True, exist_ok=True)
    # one document per line: still one JSON value, a third smaller than indented, and a
    # changed document is a one-line diff
    lines = (json.dumps(catalog_entry(d, parts[d.id]), ensure_ascii=False, separators=(",", ":")) for d in docs)
    output_chunks(out, data / "catalog.json", joined('{"documents":[\n', lines, ",\n", "\n]}\n"))
    # the big gzip downloads as members the next build copies when unchanged (gzip_members.py)
    members = cache_dir.parent / "members" if cache_dir else None
    if draw_downloads:
        write_download_files(docs, docs_dir, out, members)
    passages_memo: DocMemo[str] = DocMemo(memo_dir, "passages", doc_keys)
    lines_of = ((d.id, passages_memo.get(d, lambda d: "".join(passages_lines([d])))) for d in docs)
    output_members(out, data / PASSAGES_GZ, lines_of, members)
    passages_memo.save()
    out.write_bytes(data / TARGETS_CSV, targets_csv(docs, stated))
    out.write_bytes(data / DISTINCTIVE_CSV, distinctive_csv(distinctive))
    write_reuse(reuse or Reuse(), docs, docs_dir, out, terms or {}, esc)
    if own:
        out.remove_stale()
    return out.written - before
