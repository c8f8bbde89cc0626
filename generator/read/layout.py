"""Text from positioned pieces: the layout rules shared by the PDF and OCR readers.

A PDF's text layer and an OCR engine both give pieces of text with boxes, not
paragraphs. How such pages are built is the same whatever made them, so one set of
rules turns them into the text a reader sees:

- running headers and footers (a line in the top or bottom margin that comes back on
  most pages, digits aside) and page numbers (``- 3 -``, ``第3页``, ``3/12``) are taken
  out and returned as removals, never dropped silently;
- a page set in columns is read column by column (a vertical gap that no piece crosses);
- lines are joined into paragraphs: a paragraph starts at an indented line, after a short
  line, or after a wider gap; a line that runs to the right margin without ending a
  sentence goes on in the next line, also across a page end;
- rows of pieces separated by wide gaps, repeated with the same number of cells, are a
  table, kept as one tab-separated line per row (the page renders them as a table).

Coordinates are PDF points with y growing upwards (OCR boxes are converted).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Piece:
    """A run of text on one line with its box (left, bottom, right, top)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)


class Line:
    """Pieces on one baseline; its box and typical height are computed once, when its
    pieces are final (group_lines), because the rules ask for them over and over."""

    __slots__ = ("pieces", "text", "cells", "space_after", "x0", "x1", "top", "bottom", "height")

    def __init__(self, pieces: list[Piece]) -> None:
        self.pieces = pieces
        self.text = ""
        self.cells = 1
        self.space_after = False  # the line ends with a space of the source's own
        self.measure()

    def measure(self) -> None:
        ps = self.pieces
        self.x0 = min(p.x0 for p in ps)
        self.x1 = max(p.x1 for p in ps)
        self.top = max(p.y1 for p in ps)
        self.bottom = min(p.y0 for p in ps)
        hs = sorted(p.height for p in ps)
        self.height = hs[len(hs) // 2]


@dataclass
class Page:
    width: float
    height: float
    pieces: list[Piece] = field(default_factory=list)


# A page number alone on its line, as Chinese documents print them: "- 3 -", "—3—", "3",
# "第3页", "第 3 页 共 12 页", "3/12", "Page 3 of 12".
PAGE_NUMBER = re.compile(
    r"^[\s\-—–－―·•_~〜]*(?:第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?"
    r"|[Pp]age\s*\d+(?:\s*of\s*\d+)?)[\s\-—–－―·•_~〜]*$"
)
# Lines in this share of the page height from the top or bottom edge are in the margins.
MARGIN = 0.12
# A line counts as running when its text (digits aside) is on at least this share of pages.
RUNNING_SHARE = 0.5
_SENT_END = "。！？!?；;：:”’」』）)…"
_HEADING = re.compile(r"^(?:第[一二三四五六七八九十百零〇]+[部分章节篇条]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
_ALNUM = re.compile(r"[A-Za-z0-9]")


def _join_pieces(pieces: list[Piece]) -> tuple[str, int]:
    """One line's text: pieces side by side are one run of text; a gap wider than a line
    height separates table cells (a tab)."""
    out = ""
    cells = 1
    prev: Piece | None = None
    for p in sorted(pieces, key=lambda p: p.x0):
        t = " ".join(p.text.split())
        if not t:
            continue
        if prev is not None and out:
            gap = p.x0 - prev.x1
            if gap >= 1.0 * max(prev.height, p.height):
                out += "\t"
                cells += 1
            elif _ALNUM.match(out[-1]) and _ALNUM.match(t[0]):
                out += " "
        out += t
        prev = p
    return out, cells


def group_lines(pieces: list[Piece]) -> list[Line]:
    """Pieces whose vertical centres lie within half a line height of each other are one
    line; lines come top to bottom. Small pieces (punctuation and quotes, whose boxes are
    a fraction of a character and sit off the centre) join the line they overlap most."""
    if not pieces:
        return []
    heights = sorted(p.height for p in pieces)
    typical = heights[len(heights) // 2]
    big = [p for p in pieces if p.height >= 0.6 * typical]
    small = [p for p in pieces if p.height < 0.6 * typical]
    groups: list[list[Piece]] = []
    mids: list[float] = []  # each group's first piece's centre and height
    hts: list[float] = []
    for p in sorted(big, key=lambda p: (-(p.y0 + p.y1) / 2, p.x0)):
        mid = (p.y0 + p.y1) / 2
        if groups and abs(mids[-1] - mid) <= 0.5 * min(hts[-1], p.height):
            groups[-1].append(p)
            continue
        groups.append([p])
        mids.append(mid)
        hts.append(p.height)
    lines = [Line(g) for g in groups]
    if small:
        import bisect

        keys = [-(ln.top + ln.bottom) / 2 for ln in lines]  # ascending
        extra: list[Piece] = []
        for p in small:
            k = bisect.bisect_left(keys, -(p.y0 + p.y1) / 2)
            best = (0.0, -1)
            for j in range(max(0, k - 2), min(len(lines), k + 2)):
                ov = min(lines[j].top, p.y1) - max(lines[j].bottom, p.y0)
                if ov > best[0]:
                    best = (ov, j)
            if best[1] >= 0:
                lines[best[1]].pieces.append(p)
            else:
                extra.append(p)
        lines += [Line([p]) for p in extra]
        for ln in lines:
            ln.measure()
    lines.sort(key=lambda ln: (-ln.top, ln.x0))
    for ln in lines:
        ln.text, ln.cells = _join_pieces(ln.pieces)
        ln.space_after = max(ln.pieces, key=lambda p: p.x1).text[-1:] in (" ", "\u3000")
    return [ln for ln in lines if ln.text]


def _normal(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def margin_lines(pages: list[Page], per_page: list[list[Line]] | None = None) -> list[tuple[str, int, Line]]:
    """(rule, page index, line) for every running header or footer and page number.

    The outermost line at the top and at the bottom of each page is a candidate when it
    lies in the margin; the next one in only when the outer one was taken (a header above
    a page number), so the body's first line is never judged by its neighbour's fate."""
    need = max(2, RUNNING_SHARE * len(pages))
    per_page = per_page if per_page is not None else [group_lines(page.pieces) for page in pages]
    out: list[tuple[str, int, Line]] = []
    taken: set[int] = set()
    for zone in ("top", "bottom"):
        alive = set(range(len(pages)))  # pages whose lines so far in this zone were all taken
        for depth in (0, 1):
            cands: list[tuple[int, Line]] = []
            for n in sorted(alive):
                lines = per_page[n]
                if depth >= len(lines):
                    continue
                ln = lines[depth] if zone == "top" else lines[-1 - depth]
                edge = pages[n].height - ln.top if zone == "top" else ln.bottom
                if id(ln) not in taken and edge <= MARGIN * pages[n].height:
                    cands.append((n, ln))
            counts = Counter(_normal(ln.text) for _n, ln in cands)
            alive = set()
            for n, ln in cands:
                rule = None
                if PAGE_NUMBER.match(ln.text) and (len(pages) > 1 or not ln.text.strip().isdigit()):
                    rule = "page-number"
                elif len(pages) > 1 and counts[_normal(ln.text)] >= need:
                    rule = "running-header" if zone == "top" else "running-footer"
                if rule:
                    out.append((rule, n, ln))
                    taken.add(id(ln))
                    alive.add(n)
    out.sort(key=lambda r: (r[1], -r[2].top))
    return out


# Characters in the median line of a column of text (a newspaper column holds 10 to 14).
MIN_COLUMN_CHARS = 8


def _fills(side: list[Piece]) -> bool:
    """Text set in a column fills it: most of its lines run across the column's width.
    The cells of a table's column do not (short labels and numbers), so a table is not
    taken for columns."""
    lines = group_lines(side)
    if len(lines) < 3:
        return False
    if sum(ln.cells > 1 for ln in lines) > 0.2 * len(lines):
        return False  # cells with gaps between them: a table's columns
    extent = max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)
    widths = sorted(ln.x1 - ln.x0 for ln in lines)
    lengths = sorted(len(ln.text) for ln in lines)
    # a column of text holds lines of some length; a table's column, split off from its
    # neighbours, holds labels and numbers (指标, 286亿元, 6.2%)
    return widths[len(widths) // 2] >= 0.6 * extent and lengths[len(lengths) // 2] >= MIN_COLUMN_CHARS


def columns(pieces: list[Piece], width: float, lo: float = 0.0, hi: float | None = None) -> list[list[Piece]]:
    """The page's pieces as reading-order blocks: full-width pieces above the columns,
    each column top to bottom, then full-width pieces below. A column gap is an x in the
    middle of the page (of `lo`..`hi`) that no piece beside the columns crosses, with text
    on both sides; of several, the widest gap whose sides are columns wins. Each side is
    split again the same way, so a page of three, four or five columns (an index, a
    newspaper page) is read column by column too, and every column must fill its width
    (a table's columns do not)."""
    hi = width if hi is None else hi
    if len(pieces) < 6:  # columns of three lines at least (_fills)
        return [pieces]
    candidates: list[tuple[float, float, list[Piece], list[Piece], list[Piece], list[Piece]]] = []
    xs = sorted({round(p.x1) for p in pieces} | {round(p.x0) for p in pieces})
    for x in xs:
        if not lo + 0.3 * (hi - lo) <= x <= lo + 0.7 * (hi - lo):
            continue
        wide = [p for p in pieces if p.x0 < x - 1 and p.x1 > x + 1]
        if len(wide) > 0.1 * len(pieces):
            continue
        left = [p for p in pieces if p.x1 <= x + 1]
        right = [p for p in pieces if p.x0 >= x - 1 and p.x1 > x + 1]
        if len(left) < 0.25 * len(pieces) or len(right) < 0.25 * len(pieces):
            continue
        top = max(p.y1 for p in left + right)
        bottom = min(p.y0 for p in left + right)
        above = [p for p in wide if p.y0 >= top - 1]
        below = [p for p in wide if p.y1 <= bottom + 1]
        if len(above) + len(below) < len(wide):
            continue  # a piece crossing the gap amid the columns: no column gap here
        gap = min(p.x0 for p in right) - max(p.x1 for p in left)
        if gap >= 6:
            candidates.append((gap, x, above, left, right, below))
    tried: set[tuple[float, float]] = set()
    for _gap, _x, above, left, right, below in sorted(candidates, key=lambda c: (-c[0], c[1])):
        edges = (max(p.x1 for p in left), min(p.x0 for p in right))
        if edges in tried:
            continue  # the same gap seen from another x inside it
        tried.add(edges)
        sides = (columns(left, width, min(p.x0 for p in left), edges[0])
                 + columns(right, width, edges[1], max(p.x1 for p in right)))
        if all(_fills(side) for side in sides):
            return ([above] if above else []) + sides + ([below] if below else [])
    return [pieces]


def _open(text: str) -> bool:
    """A paragraph never ends inside a quotation or parenthesis it opened; line breaking
    rules that keep a closing quote off a line start make such a line end short."""
    return text.count("“") > text.count("”") or text.count("（") > text.count("）")


def _continues(prev: Line, line: Line, right: float, left: float) -> bool:
    """Does `line` go on with the paragraph `prev` belongs to?"""
    h = max(prev.height, line.height)
    if prev.cells > 1 or line.cells > 1:
        return False
    if _HEADING.match(line.text):
        return False
    if max(prev.height, line.height) > 1.3 * min(prev.height, line.height):
        return False  # another type size: a title, a heading
    full = prev.x1 >= right - 1.5 * h
    ended = prev.text[-1] in _SENT_END
    indent = line.x0 - left
    centred = indent > 0.8 * h and abs(indent - (right - line.x1)) <= 1.5 * h
    if full and not ended and (indent <= 0.8 * h or centred):
        # a sentence broken at the line end; an indented line starts a paragraph even so
        # (a dateline that fills the line, then the speaker), a centred one goes on (a
        # title or dateline set centred over two lines)
        return True
    if prev.bottom - line.top > 1.0 * h:
        return False  # a blank line between
    if line.x0 - left > 0.8 * h:
        return False  # an indented first line
    return full


def paragraphs(blocks: list[list[Line]]) -> list[str]:
    """Blocks of lines (columns, pages) in reading order → paragraphs, one per line of
    output; table rows stay one tab-separated line each. At a block's start the line
    before it is judged by its own block's margins."""
    paras: list[str] = []
    prev: Line | None = None
    prev_edges: tuple[float, float] = (0.0, 0.0)
    for lines in blocks:
        if not lines:
            continue
        rights = sorted(ln.x1 for ln in lines if ln.cells == 1) or [ln.x1 for ln in lines]
        lefts = sorted(ln.x0 for ln in lines if ln.cells == 1) or [ln.x0 for ln in lines]
        # the right margin is where the longest line ends: a percentile would sit inside
        # the text on a page of short lines (a web page printed with its menu lines)
        right = rights[-1]
        left = lefts[0]  # likewise: on a page of one-line paragraphs most lines are indented
        for k, ln in enumerate(lines):
            if prev is not None and paras:
                edge_right, edge_left = prev_edges if k == 0 else (right, left)
                # across a block or page boundary the previous line is judged by its own block's margins
                if k == 0:
                    cont = ((prev.x1 >= edge_right - 1.5 * prev.height or _open(paras[-1]))
                            and prev.text[-1] not in _SENT_END
                            and prev.cells == 1 and ln.cells == 1 and not _HEADING.match(ln.text)
                            and ln.x0 - left <= 0.8 * ln.height)
                else:
                    cont = _continues(prev, ln, right, left) or (
                        _open(paras[-1]) and prev.cells == 1 and ln.cells == 1 and not _HEADING.match(ln.text))
                if cont:
                    alnum = _ALNUM.match(paras[-1][-1]) and _ALNUM.match(ln.text[0])
                    sep = " " if alnum or prev.space_after else ""
                    paras[-1] += sep + ln.text
                    prev = ln
                    continue
            paras.append(ln.text)
            prev = ln
        prev_edges = (right, left)
    return paras


def tables_ok(paras: list[str]) -> list[str]:
    """A tab-separated line outside a run of rows with the same number of cells is not a
    table: its cells are put back side by side with a space, so the page shows one line."""
    out = list(paras)
    n = len(out)
    i = 0
    while i < n:
        if "\t" not in out[i]:
            i += 1
            continue
        j = i
        cells = out[i].count("\t")
        while j < n and "\t" in out[j] and out[j].count("\t") == cells:
            j += 1
        if j - i < 2:
            out[i] = out[i].replace("\t", " ")
        i = max(j, i + 1)
    return out


def page_text(pages: list[Page]) -> tuple[str, list[tuple[str, str]]]:
    """The text of a run of pages and what the margin rules removed, as (rule, text)."""
    per_page = [group_lines(page.pieces) for page in pages]
    removed = margin_lines(pages, per_page)
    gone = {id(ln) for _rule, _n, ln in removed}
    blocks: list[list[Line]] = []
    for page, lines in zip(pages, per_page, strict=True):
        kept = [ln for ln in lines if id(ln) not in gone]
        body = [p for ln in kept for p in ln.pieces]
        parts = columns(body, page.width)
        if len(parts) == 1:
            blocks.append(kept)  # one block: the lines already made
        else:
            blocks.extend(group_lines(part) for part in parts)
    paras = tables_ok(paragraphs(blocks))
    return "\n".join(paras), [(rule, ln.text) for rule, _n, ln in removed]
