"""Write stage: Documents → Markdown pages, index pages, catalog and downloads.

The generator owns docs/archive/, docs/data/ and docs/searchindex/ (generator/output.py
writes a file only when its bytes change and deletes what a run no longer produces, so a
document removed from corpus/ loses its page).
Hand-written pages elsewhere in docs/ are never touched. Every piece of source text is
escaped before it reaches Markdown, so nothing in a source can become markup or script.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from .clean import RULES
from .indexes import build_indexes, links_for
from .model import Document
from .output import Output

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


def download_name(doc: Document) -> str:
    """Originals ship as .txt so that a saved web page is downloaded, never rendered."""
    ext = Path(doc.source_path).suffix.lower().lstrip(".")
    ext = re.sub(r"[^a-z0-9]", "", ext)
    return f"{doc.file_id}.{ext}.txt" if ext and ext != "txt" else f"{doc.file_id}.txt"


# ---------------------------------------------------------------- speech pages

_FIELD_LABELS = [
    ("title_original", "原标题"),
    ("heading", "原文小标题"),
    ("date", "日期"),
    ("date_text", "原文日期"),
    ("published", "发布时间"),
    ("place", "地点"),
    ("level", "层级"),
    ("speakers", "讲话人"),
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
    if name == "place" and isinstance(value, dict):
        return esc(" / ".join(str(v) for v in (value.get("province"), value.get("city"), value.get("county")) if v))
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


def index_links(doc: Document) -> str:
    return " · ".join(links_for(doc, esc))


def metadata_table(doc: Document) -> list[str]:
    rows = ["| 字段 | 值 | 依据 |", "| --- | --- | --- |"]
    for name, label in _FIELD_LABELS:
        f = doc.meta.get(name)
        if f is None:
            continue
        if f.value in (None, [], {}, "") and name not in ("date",):
            continue
        ev = f"{_STATUS[f.status]}"
        if f.evidence and f.status != "given":
            short = f.evidence.replace("\n", " ")
            ev += "：" + esc(short if len(short) <= 70 else short[:70] + "…")
        rows.append(f"| {label} | {fmt_value(name, f.value)} | {ev} |")
    links = index_links(doc)
    if links:
        rows.append(f"| 索引 | {links} | |")
    rows.append(f"| 字数 | {doc.value('chars')} | 约 {doc.value('reading_minutes')} 分钟读完 |")
    rows.append(f"| 文字 | {'繁体' if doc.script == 'zh-Hant' else '简体'}（{doc.script}） | |")
    if doc.given_tags:
        rows.append(f"| 来源标签 | {esc('、'.join(doc.given_tags))} | 来源标注 |")
    return rows


def body_lines(doc: Document) -> list[str]:
    def block(paras: list[str], indent: str) -> list[str]:
        out: list[str] = []
        for p in paras:
            out.append(indent + md_paragraph(p, doc.body_format))
            out.append("")
        return out

    if doc.simplified is not None:
        lines = ['=== "简体"', ""]
        lines += block(doc.simplified, "    ")
        lines += ['=== "原文"', ""]
        lines += block(doc.paragraphs, "    ")
        return lines
    return block(doc.paragraphs, "")


def provenance_lines(doc: Document) -> list[str]:
    lines = [
        "## 处理记录 { data-search-exclude }",
        "",
        f"- 原始文件：[{esc(doc.source_path)}](../{SOURCES}/{download_name(doc)})"
        f"（编码 {esc(doc.encoding)}，sha256 `{doc.sha256}`）",
    ]
    if doc.part:
        lines.append(f"- 本文是该文件中的第 {doc.part} 篇（共 {doc.parts_total} 篇）")
    counts: dict[str, int] = defaultdict(int)
    for r in doc.removals:
        counts[r.rule] += 1
    lines += ["", "| 清理规则 | 说明 | 删除/移出 |", "| --- | --- | --- |"]
    for rule in doc.rules_run:
        lines.append(f"| `{rule}` | {esc(RULES.get(rule, ''))} | {counts.get(rule, 0)} |")
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


def speech_page(doc: Document, by_id: dict[str, Document]) -> str:
    fm: dict[str, Any] = {"title": title_text(doc.title)}
    if doc.keywords:
        fm["tags"] = list(doc.keywords)
    for key in FRONT_MATTER_FIELDS:
        v = doc.value(key)
        if v not in (None, [], {}):
            fm[key] = _escape_deep(v)
    lines = ["---", yaml.safe_dump(fm, allow_unicode=True, sort_keys=False).strip(), "---", ""]
    lines.append(f"# {esc(doc.title)}")
    lines.append("")
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
    lines += metadata_table(doc)
    lines.append("")
    if doc.keywords:
        lines.append("**关键词：** " + "、".join(esc(k) for k in doc.keywords))
        lines.append("")
    lines += ["## 正文", ""]
    lines += body_lines(doc)
    lines += ["## 相似讲话 { data-search-exclude }", ""]
    if doc.related:
        for r in doc.related:
            other = by_id[r.id]
            extra = f"（另有 {r.reposts} 篇转载）" if r.reposts else ""
            shared = "、".join(esc(k) for k in r.shared_keywords)
            lines.append(
                f"- [{esc(other.title)}]({r.id}.md) — 相似度 {r.score:.3f}{extra}"
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
                f"- [{esc(other.title)}]({d.id}.md) — 字符 5-gram 相似度 {d.similarity:.2f}"
                f"（约 {round((1 - d.similarity) * 100)}% 不同）"
            )
        lines.append("")
    if doc.siblings:
        lines += ["## 同一来源文件中的其他篇目 { data-search-exclude }", ""]
        for sid in sorted(doc.siblings, key=lambda s: by_id[s].part or 0):
            other = by_id[sid]
            lines.append(f"- 第 {other.part} 篇：[{esc(other.title)}]({sid}.md)")
        lines.append("")
    lines += provenance_lines(doc)
    lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- indexes


def _date_key(doc: Document) -> tuple[str, str]:
    return (str(doc.value("date") or ""), doc.id)


def index_page(docs: list[Document]) -> str:
    dated = sorted((d for d in docs if d.value("date")), key=_date_key, reverse=True)
    undated = sorted((d for d in docs if not d.value("date")), key=lambda d: d.id)
    lines = ["---", "title: 全部讲话", "search:", "  exclude: true", "---", "", "# 全部讲话", "",
             f"共 {len(docs)} 篇，按日期从新到旧排列；日期不明的列在最后。", "",
             "| 日期 | 标题 | 关键词 |", "| --- | --- | --- |"]
    for d in dated + undated:
        date = esc(str(d.value("date"))) if d.value("date") else "日期不明"
        kws = "、".join(esc(k) for k in d.keywords[:4])
        lines.append(f"| {date} | [{esc(d.title)}]({SPEECHES}/{d.id}.md) | {kws} |")
    lines.append("")
    return "\n".join(lines)


def keywords_page(docs: list[Document]) -> str:
    counts: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        for k in d.keywords:
            counts[k].append(d)
    given: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        for t in d.given_tags:
            given[t].append(d)
    lines = ["---", "title: 关键词", "search:", "  exclude: true", "---", "", "# 关键词", "",
             "从文本中计算出的关键词（见[关于](../about.md)），每个关键词后是篇数。", ""]
    for k, ds in sorted(counts.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        links = "、".join(f"[{esc(d.title)}]({SPEECHES}/{d.id}.md)" for d in sorted(ds, key=lambda d: d.id))
        lines.append(f"- **{esc(k)}**（{len(ds)}）：{links}")
    if given:
        lines += ["", "## 来源自带的标签", ""]
        for t, ds in sorted(given.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            links = "、".join(f"[{esc(d.title)}]({SPEECHES}/{d.id}.md)" for d in sorted(ds, key=lambda d: d.id))
            lines.append(f"- **{esc(t)}**（{len(ds)}）：{links}")
    lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- catalog


def catalog_entry(doc: Document) -> dict[str, Any]:
    meta = {k: {"value": f.value, "status": f.status, "evidence": f.evidence} for k, f in sorted(doc.meta.items())}
    return {
        "id": doc.id,
        "url": f"{GENERATED}/{SPEECHES}/{doc.id}.html",
        "title": doc.title,
        "date": doc.value("date"),
        "date_precision": doc.value("date_precision"),
        "source_path": doc.source_path,
        "source_download": f"{GENERATED}/{SOURCES}/{download_name(doc)}",
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
    }


def write_all(docs: list[Document], docs_dir: Path, corpus: Path, out: Output | None = None) -> int:
    """Write pages, indexes, source copies and the catalog through `out`, which writes
    a file only when its bytes change and (in remove_stale) deletes what this run no
    longer produces. Returns the number of files written."""
    own = out is None
    out = out or Output(docs_dir)
    before = out.written
    docs = sorted(docs, key=lambda d: d.id)
    by_id = {d.id: d for d in docs}
    target = docs_dir / GENERATED
    for d in docs:
        out.write_text(target / SPEECHES / f"{d.id}.md", speech_page(d, by_id))
        dl = target / SOURCES / download_name(d)
        if dl not in out.produced:
            out.copy(corpus / d.source_path, dl)
    out.write_text(target / "index.md", index_page(docs))
    out.write_text(target / "keywords.md", keywords_page(docs))
    for name, text in build_indexes(docs, esc).items():
        out.write_text(target / f"{name}.md", text)
    catalog = {"documents": [catalog_entry(d) for d in docs]}
    out.write_text(docs_dir / "data" / "catalog.json", json.dumps(catalog, ensure_ascii=False, indent=1) + "\n")
    if own:
        out.remove_stale()
    return out.written - before
