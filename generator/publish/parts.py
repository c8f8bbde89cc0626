"""Very long sources as numbered pages of one document.

A 20 MB source as one page is a page no browser opens in reasonable time (and MkDocs
renders it into a table of contents thousands of entries long). So a document whose text
is longer than LONG_PAGE_CHARS is published as parts: `<id>.html` (part 1, which keeps the
document's permanent URL, its facts, citation and processing record), `<id>.part2.html`,
… each with previous/next links and its number in the title. Ids are `[a-z0-9-]`, so the
dot can never collide with another document's page. The document itself stays one: one
catalog row, one search result (linking the part where the query is found), its whole
text in corpus.jsonl.gz.

Parts end at paragraph boundaries, at a section heading where one falls in the second
half of the part, so a part opens with its section. A single paragraph longer than the
limit (a file with no line breaks) is cut at a sentence end; only then does a paragraph
continue on the next page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.model import Document

# About 200,000 characters: a page of that length (~600 KB of HTML) renders in a
# browser in well under a second; ten times that takes many seconds.
LONG_PAGE_CHARS = 200_000

_SENTENCE_END = re.compile(r"[。！？!?；;…」』”\n]")


@dataclass(frozen=True)
class Piece:
    """Characters [start, end) of paragraph `index`; a whole paragraph unless it is
    longer than the limit."""

    index: int
    start: int
    end: int


@dataclass(frozen=True)
class PagePart:
    number: int  # 1-based
    pieces: tuple[Piece, ...]

    @property
    def first_char(self) -> tuple[int, int]:
        p = self.pieces[0]
        return p.index, p.start


def _pieces(index: int, text: str, limit: int) -> list[Piece]:
    if len(text) <= limit:
        return [Piece(index, 0, len(text))]
    out: list[Piece] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        ends = [m.end() for m in _SENTENCE_END.finditer(window, limit // 2)]
        cut = start + (ends[-1] if ends else limit)
        out.append(Piece(index, start, cut))
        start = cut
    out.append(Piece(index, start, len(text)))
    return out


def split_pages(paragraphs: list[str], headings: set[int], limit: int = LONG_PAGE_CHARS) -> list[PagePart]:
    """The pages of a document: one when its text fits in `limit` characters, else
    consecutive parts of at most `limit` characters (a heading in a part's second half
    ends it early, so the next part starts with that section)."""
    pieces = [pc for i, p in enumerate(paragraphs) for pc in _pieces(i, p, limit)]
    if sum(pc.end - pc.start for pc in pieces) <= limit:
        return [PagePart(1, tuple(pieces))]
    parts: list[PagePart] = []
    i = 0
    while i < len(pieces):
        size, j, cut = 0, i, None
        while j < len(pieces) and (j == i or size + pieces[j].end - pieces[j].start <= limit):
            if j > i and pieces[j].start == 0 and pieces[j].index in headings and size >= limit // 2:
                cut = j
            size += pieces[j].end - pieces[j].start
            j += 1
        if j < len(pieces) and cut is not None:
            j = cut
        parts.append(PagePart(len(parts) + 1, tuple(pieces[i:j])))
        i = j
    return parts


def page_name(doc_id: str, number: int) -> str:
    """File stem of part `number`: part 1 is the document's own page."""
    return doc_id if number == 1 else f"{doc_id}.part{number}"


def part_title(title: str, number: int, total: int) -> str:
    return title if total == 1 else f"{title}（第 {number} 部分，共 {total} 部分）"


def nav_lines(doc_id: str, number: int, total: int) -> list[str]:
    """Previous / next links and every part's number, as raw HTML (no source text)."""
    if total == 1:
        return []
    links = []
    if number > 1:
        links.append(f'<a class="sa-part-prev" rel="prev" href="{page_name(doc_id, number - 1)}.html">'
                     f"← 上一部分（第 {number - 1} 部分）</a>")
    for n in range(1, total + 1):
        links.append(f"<b>{n}</b>" if n == number else f'<a href="{page_name(doc_id, n)}.html">{n}</a>')
    if number < total:
        links.append(f'<a class="sa-part-next" rel="next" href="{page_name(doc_id, number + 1)}.html">'
                     f"下一部分（第 {number + 1} 部分）→</a>")
    return [f'<nav class="sa-parts" aria-label="分部分阅读" data-part="{number}" data-parts="{total}">'
            f"本文较长，分 {total} 部分发表；这是第 {number} 部分：" + " ".join(links) + "</nav>", ""]


def part_offsets(paragraphs: list[str], parts: list[PagePart]) -> list[int]:
    """Where parts 2… start in "\\n".join(paragraphs), for the search client to link the
    part a query is found in."""
    starts = [0]
    for p in paragraphs:
        starts.append(starts[-1] + len(p) + 1)
    return [starts[part.first_char[0]] + part.first_char[1] for part in parts[1:]]


def pages_of(doc: Document) -> list[PagePart]:
    """The pages `doc` is published as (one unless it is longer than the limit)."""
    if doc.chars <= LONG_PAGE_CHARS:
        return [PagePart(1, tuple(Piece(i, 0, len(p)) for i, p in enumerate(doc.paragraphs)))]
    from generator.publish.outline import outline

    heads = {h.index for h in outline(doc.simplified if doc.simplified is not None else doc.paragraphs)}
    return split_pages(doc.paragraphs, heads)


def continuation_page(doc: Document, part: PagePart, total: int) -> str:
    """Part 2… of a long document: its title with the part number, the links between
    parts and the text; facts, citation and the processing record stay on part 1."""
    import yaml

    from generator.publish.write import body_lines, esc, title_text

    title = part_title(doc.title, part.number, total)
    fm = yaml.safe_dump({"title": title_text(title)}, allow_unicode=True, sort_keys=False).strip()
    lines = ["---", fm, "---", "", f"# {esc(title)}", ""]
    lines += nav_lines(doc.id, part.number, total)
    lines += [f'<p class="sa-part-home">日期、地点、讲话人、引用格式和处理记录见'
              f'<a href="{doc.id}.html">第 1 部分</a>。</p>', ""]
    lines += ["## 正文（续） {#text}", ""]
    lines += body_lines(doc, part)
    lines += nav_lines(doc.id, part.number, total)
    return "\n".join(lines)
