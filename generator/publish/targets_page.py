"""Stated targets in print: a table on each page that states them, a page comparing places
and years, and data/targets.csv.

Every value links to the paragraph it was read from (`#p-n`), so a reader checks a number
against its sentence in one click; the extraction itself is annotate/targets.py.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from generator.annotate.targets import KEYS, Target
from generator.model import Document
from generator.publish.cite import page_path
from generator.publish.parts import passage_page
from generator.publish.passages import anchor

TARGETS_PAGE = "targets"  # docs/archive/targets.md
TARGETS_CSV = "targets.csv"
# the columns of the comparison table: the indicators most reports state
MAIN = [name for name, _ in KEYS[:6]]

CSV_FIELDS = ["doc", "url", "title", "province", "city", "county", "genre", "year", "indicator", "key", "change",
              "low", "high", "unit", "qualifier", "n", "clause", "sentence"]


def value_text(t: Target) -> str:
    """增长 5.5–6% 左右: the target as a reader says it."""
    number = f"{t.low}–{t.high}" if t.high else t.low
    return f"{t.change}{number}{t.unit}{t.qualifier}"


def _on_page(doc: Document | None, n: int) -> str:
    """'' for a paragraph on this page; the part's page for one of a very long text."""
    page = passage_page(doc, n) if doc is not None else ""
    return "" if doc is None or page == doc.id else f"{page}.md"


def target_lines(targets: list[Target], esc: Callable[[str], str], doc: Document | None = None) -> list[str]:
    """The table on a speech page: indicator, target, year, and the paragraph it is from."""
    if not targets:
        return []
    lines = ["## 主要预期目标 {#targets data-search-exclude}", "",
             "从正文中宣布目标的句子（如“今年……主要预期目标是：”）读出；回顾上一年的数字不在此列。"
             "点击段号可核对原句。", "",
             "| 指标 | 目标 | 年份 | 原文 | 段落 |", "| --- | --- | --- | --- | --- |"]
    for t in targets:
        year = str(t.year) if t.year else "不明"
        lines.append(f"| {esc(t.indicator)} | {esc(value_text(t))} | {year} | {esc(t.clause)} | "
                     f"[¶{t.n}]({_on_page(doc, t.n)}#{anchor(t.n)}) |")
    return lines + [""]


def _place(doc: Document) -> str:
    p = doc.value("place") or {}
    if p.get("scope") == "全国" and not p.get("province"):
        return "全国"
    return "".join(str(p[k]) for k in ("province", "city", "county") if p.get(k)) or "地点不明"


def targets_page(docs: list[Document], targets: dict[str, list[Target]], esc: Callable[[str], str]) -> str:
    """One row per document and year, one column per main indicator, newest year first."""
    rows = []
    by_id = {d.id: d for d in docs}
    for doc_id, ts in targets.items():
        for year in sorted({t.year for t in ts}, key=lambda y: y or 0):
            rows.append((year, _place(by_id[doc_id]), doc_id, [t for t in ts if t.year == year]))
    rows.sort(key=lambda r: (-(r[0] or 0), r[1], r[2]))
    lines = ["---", "title: 主要预期目标", "---", "", "# 主要预期目标", "",
             "工作报告和经济工作会议讲话宣布的下一年度主要预期目标，按年份和地点比较。"
             "每个数值链接到它所在的段落；年份是目标所针对的年份（“今年”即文件所属年份，“明年”为下一年）。"
             "只收宣布目标的句子里的数字：回顾上一年完成情况的数字（“增长5.2%”“完成”“实现”）不算目标，"
             "含义不明的（“分别增长5%、6%”）宁缺勿滥。", "",
             f"全部目标（含其他指标、原句）见 [targets.csv](../data/{TARGETS_CSV})。说明见[关于](../about.md#targets)。", ""]
    if not rows:
        return "\n".join(lines + ["本档案中还没有宣布主要预期目标的文件。", ""])
    lines += ["| 年份 | 地点 | 文件 | " + " | ".join(MAIN) + " | 其他指标 |",
              "| --- | --- | --- | " + " | ".join("---" for _ in MAIN) + " | --- |"]
    for year, place, doc_id, ts in rows:
        doc = by_id[doc_id]
        cells = []
        for key in MAIN:
            found = [t for t in ts if t.key == key]
            cells.append("；".join(f"[{esc(value_text(t))}](speeches/{passage_page(doc, t.n)}.md#{anchor(t.n)})"
                                  for t in found))
        others = sum(1 for t in ts if t.key not in MAIN)
        lines.append(f"| {year or '不明'} | {esc(place)} | [{esc(doc.title)}](speeches/{doc_id}.md#targets) | "
                     + " | ".join(cells) + f" | {others or ''} |")
    return "\n".join(lines + [""])


def targets_csv(docs: list[Document], targets: dict[str, list[Target]]) -> bytes:
    """UTF-8 with BOM and CRLF rows, like catalog.csv; documents by id, targets in text order."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    w.writeheader()
    for d in docs:
        place = d.value("place") or {}
        for t in targets.get(d.id, []):
            w.writerow({"doc": d.id, "url": page_path(d) + f"#{anchor(t.n)}", "title": d.title,
                        "province": place.get("province") or "", "city": place.get("city") or "",
                        "county": place.get("county") or "", "genre": d.value("genre") or "",
                        "year": t.year or "", "indicator": t.indicator, "key": t.key, "change": t.change,
                        "low": t.low, "high": t.high, "unit": t.unit, "qualifier": t.qualifier, "n": t.n,
                        "clause": t.clause, "sentence": t.sentence})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
