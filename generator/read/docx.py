"""DOCX reader (python-docx): paragraphs and tables in body order; Word's heading
styles and outline levels become the page's outline; the running header and footer,
which Word keeps apart from the body, are listed as removed like a PDF's.

python-docx over mammoth: both gave every Han character of the body XML on the project's
files, but python-docx exposes paragraph styles, outline levels, tables and the
header/footer parts directly, while mammoth gives HTML whose structure would have to be
parsed back (and leaves the header and footer out without saying so).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from generator.model import RawDoc, SourceError
from generator.read.extracted import raw_from_text, source_bytes
from generator.read.layout import PAGE_NUMBER

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


def _level(paragraph) -> int | None:
    """A heading's level from its style ("Heading 2", "标题 2") or its outline level."""
    style = paragraph.style
    while style is not None:
        m = _HEADING_STYLE.match(style.name or "")
        if m:
            return int(m.group(1))
        style = style.base_style
    ppr = paragraph._p.pPr
    lvl = ppr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}outlineLvl") if ppr is not None else None
    if lvl is not None:
        val = lvl.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
        if val is not None and val.isdigit() and int(val) < 9:
            return int(val) + 1
    return None


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Runs under these are not the text as it reads: a text box's own paragraphs (read on
# their own, after the paragraph that anchors them), the fallback copy Word saves of
# each text box for older readers (the same text again), and deleted tracked changes.
_NOT_THIS_TEXT = frozenset({W + "txbxContent", MC + "Fallback", W + "del", W + "moveFrom"})
# Elements beside the paragraphs and tables of a body that hold no text of it: section
# settings, bookmarks and proofing marks, and what _NOT_THIS_TEXT names.
_NO_BODY_TEXT = _NOT_THIS_TEXT | {W + "sectPr", W + "bookmarkStart", W + "bookmarkEnd", W + "proofErr",
                                  W + "permStart", W + "permEnd", W + "commentRangeStart", W + "commentRangeEnd"}
# Word's built-in styles of table-of-contents lines ("toc 1", localized "目录 1").
_TOC_STYLE = re.compile(r"^(?:toc|目录)\s*\d$", re.I)


def _own_runs(p):
    """The runs of paragraph `p` in reading order, wherever Word nests them (tracked
    insertions, smart tags, simple fields, content controls, hyperlinks): python-docx's
    Paragraph.text reads only direct runs and hyperlinks, and lost the rest silently."""
    for r in p.iter(W + "r"):
        el = r.getparent()
        while el is not None and el is not p and el.tag not in _NOT_THIS_TEXT:
            el = el.getparent()
        if el is p:
            yield r


def _paragraph_text(p) -> str:
    return "".join(r.text for r in _own_runs(p)).replace("\v", "\n")


def _text_boxes(p):
    """The contents of the text boxes anchored in paragraph `p` (flowchart labels, cover
    blocks), each once: mc:Fallback, Word's second copy, is skipped."""
    for box in p.iter(W + "txbxContent"):
        el = box.getparent()
        while el is not None and el is not p and el.tag != MC + "Fallback":
            el = el.getparent()
        if el is p:
            nested = box.getparent()
            while nested is not p and nested.tag != W + "txbxContent":
                nested = nested.getparent()
            if nested is p:  # a box inside a box is read with its outer box
                yield box


def _is_toc(sdt) -> bool:
    gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    return gallery is not None and (gallery.get(W + "val") or "").lower() == "table of contents"


class _Body:
    """Lines, headings and removed table-of-contents lines of a part of the document,
    read in the order Word shows them."""

    def __init__(self, document) -> None:
        self.document = document
        self.lines: list[str] = []
        self.headings: dict[str, int] = {}
        self.toc: list[str] = []

    def blocks(self, parent, into: list[str], toc: bool = False) -> None:
        """Paragraphs and tables of `parent`, content controls (w:sdt) opened: a
        block-level content control holds body text like any other (a cover page, a form
        field), except Word's table of contents, which repeats the headings with page
        numbers and is recorded as removed."""
        from docx.text.paragraph import Paragraph

        for el in parent.iterchildren():
            if el.tag == W + "p":
                text = _paragraph_text(el)
                para = Paragraph(el, self.document._body)
                style = para.style.name if para.style is not None else ""
                target = self.toc if toc or _TOC_STYLE.match(style or "") else into
                for part in text.split("\n"):
                    if part.strip():
                        target.append(part.strip())
                if target is into:
                    level = _level(para)
                    if level and text.strip() and "\n" not in text.strip():
                        self.headings.setdefault(text.strip(), level)
                    for box in _text_boxes(el):
                        self.blocks(box, into)
            elif el.tag == W + "tbl":
                self.table(el, into if not toc else self.toc)
            elif el.tag == W + "sdt":
                content = el.find(W + "sdtContent")
                if content is not None:
                    self.blocks(content, into, toc or _is_toc(el))
            elif el.tag not in _NO_BODY_TEXT:
                # any other wrapper (custom XML, a tracked insertion or move, markup
                # compatibility's mc:Choice) may hold paragraphs: never skipped unread
                self.blocks(el, into, toc)

    def table(self, tbl, into: list[str]) -> None:
        """One line per row, cells tab-separated. A cell merged across columns is one
        cell; a cell merged down over rows (vMerge) holds its text in its first row only,
        so the later rows get an empty cell instead of a copy (python-docx's row.cells
        repeats the text in every row, which added words to the source). A table of one
        column is a frame Word users box text in (a cover, a notice), not data: its
        paragraphs are read as paragraphs."""
        rows: list[list[list[str] | None]] = []
        for tr in tbl.iterchildren(W + "tr"):
            cells: list[list[str] | None] = []
            for tc in tr.iterchildren(W + "tc"):
                vmerge = tc.find(f"{W}tcPr/{W}vMerge")
                if vmerge is not None and vmerge.get(W + "val", "continue") == "continue":
                    cells.append(None)
                    continue
                inner: list[str] = []
                self.blocks(tc, inner)
                cells.append(inner)
            rows.append(cells)
        if all(len(row) <= 1 for row in rows):
            into.extend(s for row in rows for cell in row if cell for s in cell)
            return
        for row in rows:
            texts = [" ".join(" ".join(s.split()) for s in cell if s.strip()) if cell else "" for cell in row]
            if any(texts):
                into.append("\t".join(t or " " for t in texts))


def read_docx(path: Path, corpus: Path) -> RawDoc:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    rel, data = source_bytes(path, corpus)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, PackageNotFoundError, SyntaxError) as exc:
        raise SourceError(rel, f"not a readable DOCX ({type(exc).__name__}: {exc}); not read") from None
    body = _Body(document)
    body.blocks(document.element.body, body.lines)
    lines, headings = body.lines, body.headings
    removed: list[tuple[str, str]] = [("table-of-contents", t) for t in body.toc]
    seen: set[tuple[str, str]] = set()
    for section in document.sections:
        for rule, part in (("running-header", section.header), ("running-footer", section.footer)):
            if part.is_linked_to_previous and section is not document.sections[0]:
                continue
            for p in part.paragraphs:
                t = p.text.strip()
                if t and (rule, t) not in seen:
                    seen.add((rule, t))
                    removed.append(("page-number" if PAGE_NUMBER.match(t) else rule, t))
    return raw_from_text(rel, data, "\n".join(lines), "docx", encoding="DOCX (Word XML)",
                         layout_removed=removed, headings=headings)
