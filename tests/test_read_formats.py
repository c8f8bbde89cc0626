"""The readers of formats that are not text (generator/read/formats.py and one module
per format), on fixtures generated from known text (tests/fixtures/formats/, made by
make_fixtures.py): what each reader gives must be the known text, line for line, with
the running header and the page numbers recorded as removed, never in the text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from programslib import require_programs

from generator.clean import clean
from generator.model import SourceError
from generator.publish.outline import outline
from generator.read import read
from generator.read.formats import BY_EXTENSION, READERS, detect, sniff

FORMATS = Path(__file__).parent / "fixtures" / "formats"
KNOWN = [s for s in (FORMATS / "known_report.txt").read_text(encoding="utf-8").splitlines() if s.strip()]
HEADER = "清河县人民政府工作报告（2024年）"
TABLE = ["指标\t2023年\t增长", "地区生产总值\t286亿元\t6.2%", "一般公共预算收入\t15.4亿元\t4.8%"]


def body_and_table(text: str) -> tuple[list[str], list[str]]:
    lines = text.split("\n")
    return [s for s in lines if "\t" not in s], [s for s in lines if "\t" in s]


@pytest.mark.parametrize("name,fmt", [
    ("report.pdf", "pdf"), ("two_columns.pdf", "pdf"), ("scan.pdf", "pdf"), ("report.docx", "docx"),
    ("report.doc", "doc"), ("scan.png", "image"), ("saved_page.mhtml", "mhtml"), ("known_report.txt", None),
])
def test_format_is_chosen_by_content(name: str, fmt: str | None, tmp_path: Path) -> None:
    assert detect(FORMATS / name) == fmt
    # a misnamed file is still read by its bytes
    renamed = tmp_path / "download.txt"
    shutil.copy(FORMATS / name, renamed)
    assert detect(renamed) == fmt


def test_text_named_like_a_binary_format_goes_to_the_text_readers(tmp_path: Path) -> None:
    path = tmp_path / "speech.pdf"
    path.write_text("各位代表：现在我代表县人民政府向大会报告工作，请予审议。", encoding="utf-8")
    assert detect(path) is None
    raw = read(path, tmp_path)
    assert "请予审议" in raw.text and any("unknown extension" in w for w in raw.warnings)


@pytest.mark.parametrize("head,suffix,fmt", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8, ".wps", "wps"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8, ".xls", "ole"),
    (b"PK\x03\x04" + b"\0" * 26 + b"mimetype", ".zip", "zip"),
])
def test_formats_without_a_reader_say_unsupported(head: bytes, suffix: str, fmt: str, tmp_path: Path) -> None:
    assert sniff(head, suffix) == fmt
    path = tmp_path / f"file{suffix}"
    path.write_bytes(head)
    with pytest.raises(SourceError) as err:
        read(path, tmp_path)
    assert err.value.path == f"file{suffix}" and "unsupported format" in err.value.message


def test_every_registered_format_has_a_reader() -> None:
    assert set(READERS) >= {"text", "markdown", "html", "pdf", "docx", "doc", "image", "mhtml", "wps", "rtf"}
    assert all(callable(r) for r in READERS.values())
    assert set(BY_EXTENSION.values()) <= set(READERS)


@pytest.mark.parametrize(("name", "fmt"), [("a.txt", "text"), ("a.md", "markdown"), ("a.htm", "html")])
def test_text_formats_are_chosen_by_name_in_the_same_registry(name: str, fmt: str, tmp_path: Path) -> None:
    """Text has no signature: its extension picks the registered text reader."""
    path = tmp_path / name
    path.write_text("<p>某市召开会议。</p>" if fmt == "html" else "# 标题\n\n某市召开会议。\n", encoding="utf-8")
    assert detect(path) is None and BY_EXTENSION[path.suffix] == fmt
    raw = read(path, tmp_path)
    assert raw.body_format == fmt and "某市召开会议。" in raw.text


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "report.doc"])
def test_text_is_the_known_text_with_its_table(name: str) -> None:
    if name.endswith(".doc"):
        require_programs("antiword")
    raw = read(FORMATS / name, FORMATS)
    body, table = body_and_table(raw.text)
    assert body == KNOWN
    assert table == TABLE


def test_pdf_running_header_and_page_numbers_are_removed_and_recorded() -> None:
    raw = read(FORMATS / "report.pdf", FORMATS)
    assert raw.source_format == "pdf" and raw.encoding == "PDF text layer"
    assert [t for r, t in raw.layout_removed if r == "running-header"] == [HEADER] * 3
    assert [t for r, t in raw.layout_removed if r == "page-number"] == ["— 1 —", "— 2 —", "— 3 —"]
    assert HEADER not in raw.text and "— 1 —" not in raw.text
    doc = clean(raw)[0]
    assert [r.text for r in doc.removals if r.rule == "page-number"] == ["— 1 —", "— 2 —", "— 3 —"]
    assert {"running-header", "page-number"} <= set(doc.rules_run)


def test_two_column_page_is_read_column_by_column() -> None:
    raw = read(FORMATS / "two_columns.pdf", FORMATS)
    assert raw.text.split("\n") == KNOWN


def test_docx_headings_and_running_header() -> None:
    raw = read(FORMATS / "report.docx", FORMATS)
    assert raw.headings["一、二〇二三年工作回顾"] == 1
    assert raw.headings["（三）聚力民生福祉"] == 2
    assert ("running-header", HEADER) in raw.layout_removed


def test_word_headings_without_numbers_become_the_outline(tmp_path: Path) -> None:
    """A Word file says which lines are headings; the outline follows it even where the
    headings carry no numbers (outline.py would never guess those)."""
    import docx

    d = docx.Document()
    d.add_paragraph("关于乡村振兴工作的讲话")
    d.add_heading("总体要求", level=1)
    d.add_paragraph("今年乡村振兴工作要坚持农业农村优先发展，守住不发生规模性返贫底线。")
    d.add_heading("产业发展", level=2)
    d.add_paragraph("发展特色种植业和农产品加工业，带动农民增收。")
    d.add_heading("保障措施", level=1)
    d.add_paragraph("各级各部门要压实责任，加强督导检查，确保各项任务落到实处。")
    d.save(str(tmp_path / "speech.docx"))
    doc = clean(read(tmp_path / "speech.docx", tmp_path))[0]
    heads = outline(doc.paragraphs, doc.given_headings)
    assert [(doc.paragraphs[h.index], h.level, h.anchor) for h in heads] == [
        ("总体要求", 1, "sec-1"), ("产业发展", 2, "sec-1-1"), ("保障措施", 1, "sec-2")]


def test_doc_reader_names_the_file_and_the_install_when_antiword_is_missing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without antiword
    with pytest.raises(SourceError) as err:
        read(FORMATS / "report.doc", FORMATS)
    assert err.value.path == "report.doc"
    assert "antiword" in err.value.message and "apt-get install antiword" in err.value.message


def test_ocr_reader_names_the_file_and_the_install_when_tesseract_is_missing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SourceError) as err:
        read(FORMATS / "scan.png", FORMATS)
    assert err.value.path == "scan.png" and "tesseract-ocr-chi-sim" in err.value.message


def test_mhtml_is_read_as_the_saved_page(tmp_path: Path) -> None:
    raw = read(FORMATS / "saved_page.mhtml", FORMATS)
    assert raw.source_format == "mhtml" and raw.encoding == "MHTML (gb18030)"
    assert raw.html_title == KNOWN[0]
    text = [s.lstrip("# ").strip() for s in raw.text.split("\n") if s.strip()]
    assert text == KNOWN[:6]
    # the page's chrome is recorded as removed, not silently lost
    assert any("版权所有" in r for r in raw.markup_removed)


def test_damaged_pdf_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes((FORMATS / "report.pdf").read_bytes()[:400])
    with pytest.raises(SourceError) as err:
        read(path, tmp_path)
    assert err.value.path == "broken.pdf"


def test_metadata_is_found_as_for_the_text_source() -> None:
    """The same report as text and as PDF, Word and DOC: the same facts are found."""
    from generator.annotate import annotate, load_sites

    require_programs("antiword")

    def facts(name: str) -> dict:
        raw = read(FORMATS / name, FORMATS)
        doc = clean(raw)[0]
        annotate(doc, raw, load_sites())
        return {k: doc.value(k) for k in ("title", "date", "place", "speakers", "meeting", "genre")}

    text = facts("known_report.txt")
    assert text["date"] == "2024-01-16" and text["place"]["county"] == "清河县"
    for name in ("report.pdf", "report.docx", "report.doc", "two_columns.pdf"):
        assert facts(name) == text, name


def test_doc_with_bytes_after_its_last_sector_is_read(tmp_path: Path) -> None:
    """A .doc with a stray byte appended (as downloads leave them) is refused by antiword
    as "not a Word Document"; it is read from a padded copy, the source left as it is."""
    require_programs("antiword")
    data = (FORMATS / "report.doc").read_bytes() + b"\n"
    (tmp_path / "report.doc").write_bytes(data)
    raw = read(tmp_path / "report.doc", tmp_path)
    body, table = body_and_table(raw.text)
    assert body == KNOWN and table == TABLE
    assert any("partial 512-byte sector" in w for w in raw.warnings)
    assert (tmp_path / "report.doc").read_bytes() == data


def test_docx_cell_merged_down_keeps_its_text_once() -> None:
    """A cell merged over two rows holds its text in the first row; the later row gets an
    empty cell, not a second copy (which would add words to the source)."""
    raw = read(FORMATS / "docx_vertical_merge.docx", FORMATS)
    assert raw.text.split("\n") == ["全县主要经济指标完成情况如下。", "指标\t单位\t完成",
                                    "地区生产总值\t亿元\t286", " \t增长\t6.2%", "以上数据为初步统计数。"]


def test_docx_text_boxes_are_read_once_where_they_stand() -> None:
    """Text boxes (a flowchart's labels) are text of the document: read after the
    paragraph that anchors them, once, although Word saves each twice (mc:Fallback)."""
    raw = read(FORMATS / "docx_text_box.docx", FORMATS)
    assert raw.text.split("\n") == ["评价工作按以下流程进行。", "收集运行记录", "编制差异项清单", "提出纠正行动",
                                    "流程中的每一步都应形成记录。"]


def test_docx_content_controls_are_read_and_the_table_of_contents_recorded() -> None:
    """Text in a content control (w:sdt, here a cover title) is body text; Word's table of
    contents, also a content control, repeats the headings with page numbers: it is
    recorded as removed, listed on the page, never silently dropped."""
    raw = read(FORMATS / "docx_table_of_contents.docx", FORMATS)
    assert raw.text.split("\n") == ["关于乡村振兴工作的实施意见", "一、总体要求", "坚持农业农村优先发展，守住不发生规模性返贫底线。",
                                    "二、重点任务", "发展特色种植业和农产品加工业，带动农民增收。"]
    assert raw.layout_removed == [("table-of-contents", "目录"), ("table-of-contents", "一、总体要求\t1"),
                                  ("table-of-contents", "二、重点任务\t2")]
    doc = clean(raw)[0]
    assert "table-of-contents" in doc.rules_run
    assert [r.text for r in doc.removals if r.rule == "table-of-contents"] == ["目录", "一、总体要求\t1", "二、重点任务\t2"]


def test_docx_tracked_insertion_is_part_of_the_text() -> None:
    raw = read(FORMATS / "docx_tracked_insertion.docx", FORMATS)
    assert raw.text.split("\n") == ["今年要完成农村公路改造一百公里，新建桥梁五座。", "各乡镇要抓好落实。"]


def test_docx_one_column_table_is_a_frame_of_paragraphs() -> None:
    """Word users box a notice's head in a one-column table; its paragraphs are lines of
    the text, not one table row glued together with spaces."""
    raw = read(FORMATS / "docx_frame_table.docx", FORMATS)
    assert raw.text.split("\n") == ["关于做好防汛准备工作的通知", "县防汛抗旱指挥部办公室", "2024年5月10日",
                                    "各乡镇人民政府，县直有关部门：入汛以来降雨偏多，请立即开展隐患排查。"]
    assert clean(raw)[0].title == "关于做好防汛准备工作的通知"


def test_table_row_at_the_top_is_not_the_title() -> None:
    doc = clean(read(FORMATS / "docx_table_first.docx", FORMATS))[0]
    assert doc.title != "2022年\t2023年\t2024年" and "\t" not in doc.title
    assert doc.paragraphs[:2] == ["2022年\t2023年\t2024年", "6.1%\t5.8%\t6.2%"]
