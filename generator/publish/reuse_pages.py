"""Publishing text reuse (generator/link/reuse.py): the note under a reused paragraph,
the archive's list of its most reused passages and common formulas (archive/reuse.md),
the comparison view (archive/compare.html?a=ID&b=ID, assets/compare.js) with one small
data script per document involved (archive/compare/<id>.js), and data/reuse.jsonl.gz.

The comparison view loads its data with <script> tags (each file calls SAReuse.put),
never fetch or ES modules, so it works over http and from file:// alike, and it loads
only the two documents compared. Every string from a source is escaped here, before it
reaches Markdown, HTML or a script.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from pathlib import Path

from generator.link.reuse import NOTE_LINKS, Reuse, chronology, direction
from generator.model import Document
from generator.publish.export import gzip_bytes
from generator.publish.output import Output
from generator.publish.parts import passage_page
from generator.publish.passages import anchor, texts

REUSE_GZ = "reuse.jsonl.gz"
REUSE_PAGE = "reuse"  # archive/reuse.md
COMPARE_PAGE = "compare"  # archive/compare.md → compare.html
COMPARE_DATA = "compare"  # archive/compare/<id>.js
TERMS_KEPT = 200  # terms per document the comparison view weighs
PASSAGES_LISTED = 50
NOTE_ID = "reuse-p-"  # the note on paragraph n is #reuse-p-n


def _date(doc: Document) -> str:
    return str(doc.value("date")) if doc.value("date") else "日期不明"


def compare_href(x: str, y: str, by_id: dict[str, Document], prefix: str = "../") -> str:
    """The comparison view of two documents, the earlier on the left."""
    first, second, _ = direction(by_id[x], by_id[y])
    return f"{prefix}{COMPARE_PAGE}.html?a={first.id}&amp;b={second.id}"


def _here(doc: Document, n: int) -> str:
    """'' when paragraph n is on the document's own first page, else the part holding it."""
    page = passage_page(doc, n)
    return "" if page == doc.id else f"{page}.html"


def note_html(doc: Document, n: int, reuse: Reuse, by_id: dict[str, Document]) -> str | None:
    """The note on paragraph n of `doc`: where else the passage appears, each paragraph
    number a link to that exact paragraph, earliest first, each document with a link to
    the comparison view. An HTML block (nothing in it is read as Markdown); titles escaped."""
    others = reuse.notes.get(doc.id, {}).get(n)
    if not others:
        return None
    items = []
    for oid, ns in others[:NOTE_LINKS]:
        o = by_id[oid]
        where = "、".join(f'<a href="{passage_page(o, k)}.html#{anchor(k)}">{k}</a>' for k in ns)
        items.append(f"{html.escape(_date(o))}《{html.escape(o.title)}》第 {where} 段"
                     f"（<a class=\"sa-compare-link\" href=\"{compare_href(doc.id, oid, by_id)}\">对照</a>）")
    more = f"；另有 {len(others) - NOTE_LINKS} 篇，见<a href=\"../{REUSE_PAGE}.html\">文本复用</a>" \
        if len(others) > NOTE_LINKS else ""
    return (f'<p class="sa-reuse-note" id="{NOTE_ID}{n}"><a href="{_here(doc, n)}#{anchor(n)}">第 {n} 段</a>'
            f"亦见于 {len(others)} 篇：" + "；".join(items) + more + "</p>")


def reuse_marks(doc: Document, reuse: Reuse | None) -> dict[int, str]:
    """Paragraph number → the mark set after a reused paragraph: a link to its note after
    the text, whose words ("本段亦见于 3 篇") are drawn by CSS (reuse.css), so the text
    section holds the speech's words only and copying a paragraph never copies the mark."""
    if reuse is None:
        return {}
    out = {}
    for n, others in reuse.notes.get(doc.id, {}).items():
        k = len(others)
        out[n] = (f' <a class="sa-reuse-mark" href="#{NOTE_ID}{n}" data-count="{k}" '
                  f'title="本段亦见于 {k} 篇（出处见文后“文本复用”）" aria-label="本段亦见于 {k} 篇"></a>')
    return out


def reuse_section(doc: Document, reuse: Reuse | None, by_id: dict[str, Document]) -> list[str]:
    """The notes on the reused paragraphs, after the text (notes about the text are never
    inside it): one per paragraph, in the text's order."""
    if reuse is None or not reuse.notes.get(doc.id):
        return []
    lines = ["## 文本复用 {#reuse data-search-exclude}", "",
             f'本篇有 {len(reuse.notes[doc.id])} 段也出现在其他讲话中（判定方法见<a href="../../about.html#text-reuse">关于</a>）。'
             "", ""]
    for n in sorted(reuse.notes[doc.id]):
        note = note_html(doc, n, reuse, by_id)
        if note:
            lines += [note, ""]
    return lines


# ---------------------------------------------------------------- data


def reuse_jsonl(reuse: Reuse) -> str:
    """One line per reused passage pair, sorted by (a, a_n, b, b_n)."""
    return "".join(json.dumps(p.record(), ensure_ascii=False) + "\n" for p in reuse.pairs)


def compare_data(doc: Document, reuse: Reuse, terms: dict[str, int]) -> str:
    """The script the comparison view loads for one document: its title and date, the
    text of its reused paragraphs (simplified script, as compared), its pairs and its
    most frequent terms. Script-loaded, so `</script>` and the like are escaped."""
    paras = texts(doc)
    pairs = []
    wanted: set[int] = set()
    for p in reuse.pairs:
        if p.a == doc.id:
            pairs.append({"o": p.b, "mine": p.a_n, "theirs": p.b_n, "chars": p.chars, "identity": p.identity,
                          "earlier": True if p.by_date else None})
            wanted.update(p.a_n)
        elif p.b == doc.id:
            pairs.append({"o": p.a, "mine": p.b_n, "theirs": p.a_n, "chars": p.chars, "identity": p.identity,
                          "earlier": False if p.by_date else None})
            wanted.update(p.b_n)
    top = sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))[:TERMS_KEPT]
    rec = {"id": doc.id, "title": doc.title, "date": doc.value("date"), "script": doc.script,
           "chars": doc.chars, "paras": {str(n): paras[n - 1] for n in sorted(wanted)}, "pairs": pairs,
           "terms": top}
    body = json.dumps(rec, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # inside a script: no "</" (an end tag) and no line separators JavaScript would break on
    body = body.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"SAReuse.put({body});\n"


# ---------------------------------------------------------------- pages


def compare_page() -> str:
    """The comparison view: a container the script fills. The script tag sits in this
    page alone, so other pages never load it."""
    return "\n".join([
        "---", "title: 对照阅读", "---", "",
        "# 对照阅读 { data-search-exclude }", "",
        '<div id="sa-compare" data-data="compare/" data-speeches="speeches/">',
        "<p>正在载入……（对照阅读需要 JavaScript）</p>",
        "</div>", "",
        '<script src="../assets/compare.js"></script>', "",
    ])


def _clusters(reuse: Reuse) -> list[set[tuple[str, int]]]:
    """Paragraphs joined by reuse pairs (union-find), each cluster a passage and its copies."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in reuse.pairs:
        nodes = [(p.a, n) for n in p.a_n] + [(p.b, n) for n in p.b_n]
        root = find(nodes[0])
        for node in nodes[1:]:
            r = find(node)
            if r != root:
                parent[max(r, root)] = min(r, root)
                root = min(r, root)
    groups: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)
    for node in parent:
        groups[find(node)].add(node)
    return list(groups.values())


def reuse_page(reuse: Reuse, docs: list[Document], esc) -> str:
    """The archive's most reused passages (by the number of documents holding them),
    then its common formulas."""
    by_id = {d.id: d for d in docs}
    when = chronology(docs)
    lines = ["---", "title: 文本复用", "---", "", "# 文本复用", "",
             "同一段文字出现在不同讲话中：下级照搬上级的段落、范文网站转抄真实讲话、一地的表述被另一地换上地名后沿用。"
             "这里列出本档案中被复用最多的段落，以及大量讲话共用的常见套话。判定方法见[关于](../about.md#text-reuse)。", ""]
    involved = {p.a for p in reuse.pairs} | {p.b for p in reuse.pairs}
    lines += [f"共检测到 **{len(reuse.pairs)}** 对复用段落，涉及 **{len(involved)}** 篇讲话。"
              f"全部结果见 [reuse.jsonl.gz](../data/{REUSE_GZ})（每对一行，字段说明见项目 README）。", ""]
    lines += ["## 复用最多的段落", ""]
    clusters = []
    for c in _clusters(reuse):
        doc_ids = sorted({d for d, _ in c}, key=lambda d: when[d])
        first = min(c, key=lambda node: (when[node[0]], node[1]))
        clusters.append((len(doc_ids), first, doc_ids, c))
    clusters.sort(key=lambda x: (-x[0], when[x[1][0]], x[1][1]))
    paired = {(p.a, p.b) for p in reuse.pairs} | {(p.b, p.a) for p in reuse.pairs}
    if not clusters:
        lines += ["本档案中没有检测到讲话之间的段落复用。", ""]
    for count, (fid, fn), doc_ids, c in clusters[:PASSAGES_LISTED]:
        text = texts(by_id[fid])[fn - 1].strip()
        excerpt = text[:80] + ("…" if len(text) > 80 else "")
        lines.append(f"- **{count} 篇**：“{esc(excerpt)}”")
        for did in doc_ids[:NOTE_LINKS + 2]:
            ns = sorted(n for d, n in c if d == did)
            doc = by_id[did]
            cmp = f' · <a href="{compare_href(fid, did, by_id, "")}">对照</a>' if (fid, did) in paired else ""
            lines.append(f"    - [{esc(_date(doc))} {esc(doc.title)} 第 {'、'.join(map(str, ns))} 段]"
                         f"(speeches/{passage_page(doc, ns[0])}.md#{anchor(ns[0])}){cmp}")
        if len(doc_ids) > NOTE_LINKS + 2:
            lines.append(f"    - 另有 {len(doc_ids) - NOTE_LINKS - 2} 篇")
    lines += ["", "## 常见套话", "",
              f"被至少 {reuse.formula_docs} 篇（或全档案 3% 以上）讲话共用的表述是本档案的常见套话，"
              "不算作两篇讲话之间的复用。", ""]
    if not reuse.formulas:
        lines += ["暂无。", ""]
    else:
        lines += ["| 套话 | 篇数 | 占全档案 | 最早见于 |", "| --- | --- | --- | --- |"]
        for f in reuse.formulas:
            did, n = f.first
            share = f"{f.docs / len(docs):.0%}"
            shown = f.text if len(f.text) <= 120 else f.text[:120] + "…"
            lines.append(f"| {esc(shown)} | {f.docs} | {share} | "
                         f"[{esc(by_id[did].title)} 第 {n} 段](speeches/{passage_page(by_id[did], n)}.md#{anchor(n)}) |")
        lines.append("")
    return "\n".join(lines)


def top_terms(counts: dict[str, int]) -> str:
    """The words (two characters or more) a document uses most, for the comparison view,
    as one compact string ("term\tcount" lines): kept for every document while the
    reuse stage runs, so a few KB each rather than a dict."""
    words = sorted(((t, c) for t, c in counts.items() if len(t) >= 2), key=lambda kv: (-kv[1], kv[0]))
    return "\n".join(f"{t}\t{c}" for t, c in words[:TERMS_KEPT])


def parse_terms(packed: str) -> dict[str, int]:
    out = {}
    for line in packed.splitlines():
        term, _, count = line.rpartition("\t")
        if term:
            out[term] = int(count)
    return out


def write_reuse(reuse: Reuse, docs: list[Document], docs_dir: Path, out: Output,
                terms: dict[str, str], esc) -> None:
    """archive/reuse.md, archive/compare.md, archive/compare/<id>.js, data/reuse.jsonl.gz."""
    target = docs_dir / "archive"
    out.write_text(target / f"{REUSE_PAGE}.md", reuse_page(reuse, docs, esc))
    out.write_text(target / f"{COMPARE_PAGE}.md", compare_page())
    involved = {p.a for p in reuse.pairs} | {p.b for p in reuse.pairs}
    for d in docs:
        if d.id in involved:
            out.write_text(target / COMPARE_DATA / f"{d.id}.js", compare_data(d, reuse, parse_terms(terms.get(d.id, ""))))
    out.write_bytes(docs_dir / "data" / REUSE_GZ, gzip_bytes(reuse_jsonl(reuse).encode("utf-8")))
