"""The format measurement tool (generator/tools/formats_check.py) on the project's own
format fixtures, against its real reference extractors (Poppler's pdftotext, the DOCX
XML, wvWare): the numbers it reports for BENCHMARKS.md are right where the answer is
known, and a file that loses text is caught."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from programslib import require_programs

from generator.tools.formats_check import check, main, markdown, sentences

FORMATS = Path(__file__).parent / "fixtures" / "formats"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    for name in ("report.pdf", "report.docx", "report.doc", "two_columns.pdf"):
        shutil.copy(FORMATS / name, tmp_path / name)
    return tmp_path


def test_pdf_matches_pdftotext_once_the_recorded_removals_are_counted(folder: Path) -> None:
    require_programs("pdftotext")
    row = check(folder / "report.pdf", folder, None)
    # pdftotext keeps the running header and page numbers of every page; the archive
    # records them as removed: together they are exactly the reference
    assert row["pages"] == 3 and row["ratio"] < 1 and row["ratio_with_removed"] == 1.0
    assert row["first_sentence"] and row["last_sentence"]
    assert row["headers"] == 1 and row["headers_left"] == 0 and row["page_numbers_left"] == 0
    assert row["metadata_differs"] == [] and "date" in row["metadata_known"]


def test_docx_and_doc_match_their_references(folder: Path) -> None:
    require_programs("antiword", "wvWare")
    docx = check(folder / "report.docx", folder, None)
    assert docx["ratio"] == 1.0 and docx["headers_left"] == 0 and docx["first_sentence"] and docx["last_sentence"]
    doc = check(folder / "report.doc", folder, None)
    # wvWare prints the running header, which antiword leaves out: within 2%
    assert abs(doc["ratio"] - 1) <= 0.02 and doc["first_sentence"] and doc["last_sentence"]


def test_a_lost_last_paragraph_is_caught(folder: Path) -> None:
    """A DOCX whose last paragraph the reader does not publish (here: text marked as a
    tracked deletion, which the reader rightly leaves out but which a careless tool wrote
    as w:t): the tool must report the loss."""
    import docx

    d = docx.Document(str(folder / "report.docx"))
    last = d.paragraphs[-1]._p
    for run in list(last.iterchildren("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}r")):
        deleted = last.makeelement("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}del", {})
        run.addprevious(deleted)
        deleted.append(run)
    d.save(str(folder / "lost.docx"))
    row = check(folder / "lost.docx", folder, None, metadata=False)
    assert row["last_sentence"] is False and row["ratio"] < 1


def test_sentences_do_not_run_across_paragraphs_or_short_lines() -> None:
    assert sentences("通知\n各单位要抓好落实。\n") == ["各单位要抓好落实"]
    # a short title line, then a paragraph broken at the line ends of a PDF page
    wrapped = "关于春耕的通知\n各乡镇要组织农户及时备足种子化\n肥，做好农机检修和技术培训，确\n保不误农时。\n"
    assert sentences(wrapped, wrapped=True) == ["各乡镇要组织农户及时备足种子化肥做好农机检修和技术培训确保不误农时"]


def test_markdown_table_and_summary(folder: Path, capsys) -> None:
    require_programs("pdftotext")
    rows = [check(folder / "report.pdf", folder, None, metadata=False)]
    table = markdown(rows, {"report.pdf": "owner/repo: report.pdf"})
    assert "| owner/repo: report.pdf | pdf | 3 |" in table and "0 of 1" in table
    assert main([str(folder), "--no-metadata"]) == 0
    err = capsys.readouterr().err
    assert "pdf: 2 files, 0 not read" in err and "first sentence 2/2" in err
