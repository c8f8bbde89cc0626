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


def _cell_text(cell) -> str:
    return " ".join(" ".join(p.text.split()) for p in cell.paragraphs if p.text.strip())


def read_docx(path: Path, corpus: Path) -> RawDoc:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    rel, data = source_bytes(path, corpus)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, PackageNotFoundError, SyntaxError) as exc:
        raise SourceError(rel, f"not a readable DOCX ({type(exc).__name__}: {exc}); not read") from None
    lines: list[str] = []
    headings: dict[str, int] = {}
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.replace("\v", "\n")
            for part in text.split("\n"):
                if part.strip():
                    lines.append(part.strip())
            level = _level(block)
            if level and text.strip() and "\n" not in text.strip():
                headings.setdefault(text.strip(), level)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                last = None
                for cell in row.cells:  # a merged cell repeats; it is one cell of the row
                    if cell._tc is not last:
                        cells.append(_cell_text(cell))
                    last = cell._tc
                if any(cells):
                    lines.append("\t".join(c or " " for c in cells))
    removed: list[tuple[str, str]] = []
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
