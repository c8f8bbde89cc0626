"""What a page says about a source that was not text: the format it was read from,
the OCR record of a scan, tables kept as tables, and the original's download name.

Kept apart from write.py so the page writer only calls these; the readers are in
generator/read/ (formats.py lists them).
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.model import Document

FORMAT_NAMES = {
    "pdf": "PDF",
    "docx": "Word（.docx）",
    "doc": "Word 97-2003（.doc）",
    "image": "图片（扫描件）",
    "mhtml": "网页存档（MHTML）",
    "rtf": "RTF",
}
# Originals of these formats are offered as themselves (a browser shows or downloads
# them; none runs script from the site); text and web pages ship as .txt.
_BINARY_EXT = {"pdf": "pdf", "docx": "docx", "doc": "doc", "rtf": "rtf"}
_IMAGE_EXT = {"png", "jpg", "jpeg", "tif", "tiff", "bmp"}


def binary_download_ext(doc: Document) -> str | None:
    """The extension an original of a binary format keeps, or None (ship as .txt)."""
    if doc.source_format in _BINARY_EXT:
        return _BINARY_EXT[doc.source_format]
    if doc.source_format == "image":
        ext = re.sub(r"[^a-z0-9]", "", Path(doc.source_path).suffix.lower())
        return ext if ext in _IMAGE_EXT else "png"
    return None


def ocr_label(doc: Document) -> str | None:
    """"OCR：Tesseract 5.3.0 (chi_sim)，平均置信度 91.2%" for a scan, else None."""
    if doc.ocr is None:
        return None
    return f"OCR：{doc.ocr.engine}，平均置信度 {doc.ocr.confidence:.1f}%"


def ocr_note_lines(doc: Document, esc) -> list[str]:
    """The note a scan's page carries: the text was read by a machine, how sure it was,
    which pages to check, and that the scan itself is the original."""
    if doc.ocr is None:
        return []
    low = "、".join(str(n) for n in doc.ocr.low_pages)
    lines = [
        '!!! info "OCR 识别文本"',
        "",
        f"    本文由光学字符识别（{esc(doc.ocr.engine)}）从扫描件读出，平均置信度 {doc.ocr.confidence:.1f}%，"
        "可能有个别字识别错误；引用前请对照原始扫描件（见“处理记录”）。",
        "",
    ]
    if low:
        lines[-1:-1] = ["", f"    置信度较低、需要核对的页：第 {low} 页。"]
    return lines


def format_line(doc: Document, esc) -> str | None:
    """The provenance line that names the source's format (and OCR), or None for text."""
    if not doc.source_format:
        return None
    label = FORMAT_NAMES.get(doc.source_format, doc.source_format)
    ocr = ocr_label(doc)
    return f"- 来源格式：{esc(label)}" + (f"（{esc(ocr)}）" if ocr else "")


def table_lines(rows: list[str], esc, indent: str, links: list[str] | None = None) -> list[str]:
    """Tab-separated rows (as the PDF, Word and OCR readers keep tables) → a Markdown
    table; the first row is the header, as in the source. Cells are escaped like text.
    `links`: per row, the passage link (with its #p-n id) to put at the end of the row's
    last cell, so a citation of a row lands on the row; a Markdown table row takes no
    attributes of its own, and the text of the cells stays as it is."""
    cells = [[esc(c.strip()) or " " for c in r.split("\t")] for r in rows]
    for row, link in zip(cells, links or [], strict=False):
        if link:
            row[-1] = (row[-1] + " " + link).strip()
    width = max(len(c) for c in cells)
    cells = [c + [" "] * (width - len(c)) for c in cells]
    out = [indent + "| " + " | ".join(cells[0]) + " |", indent + "|" + " --- |" * width]
    out += [indent + "| " + " | ".join(c) + " |" for c in cells[1:]]
    return out


def is_table_row(doc: Document, paragraph: str) -> bool:
    return bool(doc.source_format) and "\t" in paragraph.strip()


def catalog_fields(doc: Document) -> dict:
    """source_format and the OCR record for the catalog (absent for text sources)."""
    out: dict = {}
    if doc.source_format:
        out["source_format"] = doc.source_format
    if doc.ocr is not None:
        out["ocr"] = {"engine": doc.ocr.engine, "confidence": doc.ocr.confidence,
                      "pages": doc.ocr.pages, "low_confidence_pages": doc.ocr.low_pages}
    return out
