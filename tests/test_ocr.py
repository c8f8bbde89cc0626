"""OCR (generator/read/ocr.py) on a clean scan rendered from known text: at least 95%
of the Han characters right, the engine and its confidence recorded, low-confidence
pages listed. The reference is the text layer of the PDF the scan was rendered from."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from programslib import require_programs

from generator.read import read
from generator.read.ocr import LOW_CONFIDENCE, PageResult, summary

FORMATS = Path(__file__).parent / "fixtures" / "formats"
# Han characters by Unicode block, the tests' own definition (as in fidelitylib)
HAN = re.compile(r"[\u4e00-\u9fff]")


def reference_page_one() -> str:
    """Page 1 of report.pdf as its text layer holds it (scan.png is that page at 200 dpi),
    running header included: the scan shows it too."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(FORMATS / "report.pdf"))
    text = pdf[0].get_textpage().get_text_range()
    pdf.close()
    return "".join(HAN.findall(text))


def char_accuracy(reference: str, got: str) -> float:
    """Share of the reference's Han characters found in order in the OCR text."""
    got_han = "".join(HAN.findall(got))
    sm = difflib.SequenceMatcher(None, reference, got_han, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks()) / len(reference)


@pytest.mark.parametrize("name,source_format", [("scan.png", "image"), ("scan.pdf", "pdf")])
def test_clean_scan_is_read_at_least_95_percent_right(name: str, source_format: str) -> None:
    require_programs("tesseract")
    raw = read(FORMATS / name, FORMATS)
    assert raw.source_format == source_format and raw.ocr is not None
    # the running header is on the scan; with one page nothing says it repeats, so it stays
    removed_han = "".join(HAN.findall("".join(t for _r, t in raw.layout_removed)))
    accuracy = char_accuracy(reference_page_one(), removed_han + raw.text)
    assert accuracy >= 0.95, f"{accuracy:.3f}"
    assert raw.ocr.engine.startswith("Tesseract ") and "chi_sim" in raw.ocr.engine
    assert 60 <= raw.ocr.confidence <= 100 and len(raw.ocr.pages) == 1
    assert "OCR" in raw.encoding


def test_ocr_keeps_paragraphs_and_the_table() -> None:
    require_programs("tesseract")
    text = read(FORMATS / "scan.png", FORMATS).text
    lines = text.split("\n")
    # paragraphs, not the scan's lines: the first paragraph of the report is one line
    assert any(s.startswith("现在，我代表县人民政府") and s.endswith("提出意见。") for s in lines)
    assert sum("\t" in s for s in lines) >= 2  # table rows stay rows


def test_low_confidence_pages_are_listed() -> None:
    good, bad = PageResult(confidence=93.0, chars=500), PageResult(confidence=LOW_CONFIDENCE - 20, chars=300)
    info, warnings = summary("scans/x.pdf", {0: good, 1: bad, 2: good})
    assert info.low_pages == [2]
    assert info.confidence == round((93 * 1000 + (LOW_CONFIDENCE - 20) * 300) / 1300, 1)
    assert len(warnings) == 1 and warnings[0].startswith("scans/x.pdf: OCR page 2:")


def test_ocr_runs_once_per_file(tmp_path: Path, monkeypatch) -> None:
    """The document cache keys on the file's bytes: a second run reads the scan's text
    from the cache, with the same OCR record, and never starts Tesseract again."""
    import shutil

    from generator.pipeline import collect

    require_programs("tesseract")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FORMATS / "scan.png", corpus / "scan.png")
    first = collect(tmp_path, progress=False, corpus=corpus, cache_dir=tmp_path / "cache", workers=1)
    assert (first.cache_hits, first.cache_misses) == (0, 1)
    bare = tmp_path / "bin"  # without tesseract on PATH, only the cache can give the text
    bare.mkdir()
    monkeypatch.setenv("PATH", str(bare))
    second = collect(tmp_path, progress=False, corpus=corpus, cache_dir=tmp_path / "cache", workers=1)
    assert (second.cache_hits, second.cache_misses) == (1, 0)
    assert second.documents[0].ocr == first.documents[0].ocr
    assert second.documents[0].paragraphs == first.documents[0].paragraphs


def test_pdf_text_layer_without_unicode_is_read_by_ocr() -> None:
    """A PDF whose fonts carry no ToUnicode map (pdfTeX's CJK package, old converters) has
    a text layer of glyph codes; published as text it would be noise. The page is read by
    OCR like a scan, and the report says why."""
    import pypdfium2 as pdfium

    require_programs("tesseract")
    pdf = pdfium.PdfDocument(str(FORMATS / "no_unicode_map.pdf"))
    layer = pdf[0].get_textpage().get_text_range()
    pdf.close()
    assert not HAN.search(layer)  # the case: the text layer holds no characters
    raw = read(FORMATS / "no_unicode_map.pdf", FORMATS)
    assert raw.source_format == "pdf" and raw.ocr is not None and "OCR" in raw.encoding
    assert any("no Unicode" in w and "page(s) 1" in w for w in raw.warnings)
    removed_han = "".join(HAN.findall("".join(t for _r, t in raw.layout_removed)))
    assert char_accuracy(reference_page_one(), removed_han + raw.text) >= 0.95
