"""PDF reader (pypdfium2): the text layer, read by the layout rules (layout.py); pages
without a text layer (scans) are rendered and read by OCR (ocr.py).

pypdfium2 over pdfplumber: on the same files both found every Han character pdftotext
finds, and pypdfium2 was about twelve times faster (11 ms against 172 ms for a three-page
report), which matters at thousands of PDFs; its character boxes are all the layout rules need.
"""

from __future__ import annotations

from pathlib import Path

from generator.model import RawDoc, SourceError
from generator.read import layout
from generator.read.extracted import raw_from_text, source_bytes

# A page with fewer characters than this in its text layer but with an image is a scan.
SCANNED_CHARS = 10
# A page on which at least this share of the characters have no Unicode value in their
# font (pdfium's "Unicode map error": glyph codes without a ToUnicode map, as pdfTeX's CJK
# package and some old converters write them) has no usable text layer: its text would be
# noise such as "êgÌÂ", so it is read by OCR like a scan. Real text layers measured here
# had none (0 of 766 characters on a page); such a page had 473 of 586.
UNMAPPED_SHARE = 0.25
# Scans are rendered at this resolution for OCR (Tesseract reads 300 dpi best).
OCR_DPI = 300


def _page_pieces(page) -> tuple[list[layout.Piece], float]:
    """The page's characters as runs: consecutive characters on one baseline, moving
    right, without a wide gap; the page's own spaces stay in the run (a space between
    Chinese words is the author's), the line breaks pdfium adds end it. Built from each character's (loose, font-sized) box:
    pdfium's own text rectangles overlap where a line is justified, and reading text by
    rectangle then repeats characters at their edges. Also returns the share of the
    page's characters whose font gives no Unicode value (UNMAPPED_SHARE)."""
    import pypdfium2.raw as pdfium_c

    tp = page.get_textpage()
    try:
        count = tp.count_chars()
        text = tp.get_text_range(0, count) if count else ""
        if len(text) != count:  # characters beyond the BMP: one by one keeps indices aligned
            text = "".join(tp.get_text_range(i, 1)[:1] or " " for i in range(count))
        out: list[layout.Piece] = []
        # the run being built: its box, and its last character's box
        run: list[str] = []
        rx0 = ry0 = rx1 = ry1 = lx0 = ly0 = lx1 = ly1 = 0.0
        raw = tp.raw
        rect = pdfium_c.FS_RECTF()
        charbox = pdfium_c.FPDFText_GetLooseCharBox  # called directly: once per character
        generated = pdfium_c.FPDFText_IsGenerated
        unmapped = pdfium_c.FPDFText_HasUnicodeMapError
        chars = errors = 0
        for i, ch in enumerate(text):
            if ch == "\ufffe" or (ch.isspace() and generated(raw, i)):
                if run:  # a break pdfium made up (line end, a gap): not the page's own text
                    out.append(layout.Piece(rx0, ry0, rx1, ry1, "".join(run)))
                    run = []
                continue
            if not charbox(raw, i, rect):
                continue
            if not ch.isspace():
                chars += 1
                errors += unmapped(raw, i) == 1
            x0, y0, x1, y1 = rect.left, rect.bottom, rect.right, rect.top
            if x1 <= x0 or y1 <= y0:
                if ch.isspace() and run:
                    out.append(layout.Piece(rx0, ry0, rx1, ry1, "".join(run)))
                    run = []
                continue
            if run:
                h = max(ly1 - ly0, y1 - y0)
                same_line = abs((ly0 + ly1) - (y0 + y1)) <= min(ly1 - ly0, y1 - y0)
                if not same_line or x0 < lx0 or x0 - lx1 > 0.5 * h:
                    out.append(layout.Piece(rx0, ry0, rx1, ry1, "".join(run)))
                    run = []
            if run:
                rx0, ry0, rx1, ry1 = min(rx0, x0), min(ry0, y0), max(rx1, x1), max(ry1, y1)
            else:
                rx0, ry0, rx1, ry1 = x0, y0, x1, y1
            lx0, ly0, lx1, ly1 = x0, y0, x1, y1
            run.append(ch)
        if run:
            out.append(layout.Piece(rx0, ry0, rx1, ry1, "".join(run)))
        return out, (errors / chars if chars else 0.0)
    finally:
        tp.close()


def _has_image(page) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects())


def read_pdf(path: Path, corpus: Path) -> RawDoc:
    import pypdfium2 as pdfium

    from generator.read import ocr

    rel, data = source_bytes(path, corpus)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise SourceError(rel, f"not a readable PDF ({exc}); not read") from None
    try:
        pages: list[layout.Page] = []
        scanned: list[int] = []
        unmapped: list[int] = []
        ocr_pages: dict[int, ocr.PageResult] = {}
        for n in range(len(pdf)):
            page = pdf[n]
            w, h = page.get_size()
            pieces, unmapped_share = _page_pieces(page)
            scan = sum(len(p.text.strip()) for p in pieces) < SCANNED_CHARS and _has_image(page)
            if unmapped_share >= UNMAPPED_SHARE:
                unmapped.append(n)
            if scan or unmapped_share >= UNMAPPED_SHARE:
                scanned.append(n)
                image = page.render(scale=OCR_DPI / 72, grayscale=True).to_pil()
                result = ocr.recognize(image, rel, page=n + 1)
                ocr_pages[n] = result
                pieces = [layout.Piece(p.x0 * 72 / OCR_DPI, p.y0 * 72 / OCR_DPI, p.x1 * 72 / OCR_DPI,
                                       p.y1 * 72 / OCR_DPI, p.text) for p in result.pieces]
            pages.append(layout.Page(w, h, pieces))
            page.close()
    finally:
        pdf.close()
    text, removed = layout.page_text(pages)
    if ocr_pages:
        info, warnings = ocr.summary(rel, ocr_pages)
        if unmapped:
            listed = ", ".join(str(n + 1) for n in unmapped[:10]) + (" …" if len(unmapped) > 10 else "")
            warnings.append(f"{rel}: page(s) {listed}: the text layer's fonts give no Unicode characters "
                            f"(glyph codes only); read by OCR instead")
        if len(scanned) < len(pages):
            encoding = "PDF text layer, OCR for pages without usable text"
        elif unmapped:
            encoding = "PDF text layer without Unicode, OCR"
        else:
            encoding = "PDF scan, OCR"
        return raw_from_text(rel, data, text, "pdf", encoding=encoding, layout_removed=removed,
                             ocr=info, warnings=warnings)
    if not text.strip():
        raise SourceError(rel, "PDF without text: no text layer and no page images to read; not read")
    return raw_from_text(rel, data, text, "pdf", encoding="PDF text layer", layout_removed=removed)
