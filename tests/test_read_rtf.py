"""The RTF reader (generator/read/rtf.py, striprtf) on RTF files of the known report
written by the project in each way Chinese RTF carries its text (tests/fixtures/formats/,
made by make_fixtures.py): the text must be the known text, line for line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.clean import clean
from generator.model import SourceError
from generator.read import read
from generator.read.formats import detect

FORMATS = Path(__file__).parent / "fixtures" / "formats"
KNOWN = [s for s in (FORMATS / "known_report.txt").read_text(encoding="utf-8").splitlines() if s.strip()]


@pytest.mark.parametrize("name", ["rtf_unicode_escapes.rtf", "rtf_unicode_gbk_fallback.rtf", "rtf_gbk_bytes.rtf"])
def test_both_escape_styles_give_the_known_text(name: str) -> None:
    assert detect(FORMATS / name) == "rtf"
    raw = read(FORMATS / name, FORMATS)
    assert raw.text.split("\n") == KNOWN
    assert raw.source_format == "rtf" and raw.encoding == "RTF (cp936)" and not raw.warnings


@pytest.mark.parametrize("name,warning", [
    ("rtf_raw_gbk_bytes.rtf", "unescaped 8-bit bytes"),
    ("rtf_font_charset_mojibake.rtf", "Latin mojibake"),
])
def test_gbk_bytes_outside_escapes_or_under_a_latin_font(name: str, warning: str) -> None:
    """Bytes some writers leave unescaped, or escape under a Latin font (¸÷Î» for 各位),
    are read in the document's code page, and the report says so."""
    raw = read(FORMATS / name, FORMATS)
    assert raw.text.split("\n") == KNOWN[:3]
    assert any(warning in w for w in raw.warnings)


def test_header_footer_recorded_footnote_kept_table_and_beyond_the_bmp() -> None:
    raw = read(FORMATS / "rtf_header_footnote_table.rtf", FORMATS)
    assert raw.text.split("\n") == [
        "各位代表：", "指标\t2023年\t增长", "地区生产总值\t286亿元\t6.2%", "一般公共预算收入\t15.4亿元\t4.8%",
        "𠀀字号在扩展B区。", "注：数据为初步统计数。"]
    assert raw.layout_removed == [("running-header", "清河县人民政府工作报告（2024年）"), ("page-number", "- 1 -")]
    doc = clean(raw)[0]
    assert {"running-header", "page-number"} <= set(doc.rules_run)


def test_metadata_is_found_as_for_the_text_source() -> None:
    from generator.annotate import annotate, load_sites

    def facts(name: str) -> dict:
        raw = read(FORMATS / name, FORMATS)
        doc = clean(raw)[0]
        annotate(doc, raw, load_sites())
        return {k: doc.value(k) for k in ("title", "date", "place", "speakers", "meeting", "genre")}

    assert facts("rtf_unicode_escapes.rtf") == facts("known_report.txt")


def test_a_file_named_rtf_that_is_not_rtf_is_read_by_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "notice.rtf"
    path.write_text("各位代表：现在我代表县人民政府向大会报告工作，请予审议。", encoding="utf-8")
    assert detect(path) is None
    assert "请予审议" in read(path, tmp_path).text


def test_rtf_without_text_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.rtf"
    path.write_text("{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0 SimSun;}}\\pard\\par}", encoding="ascii")
    with pytest.raises(SourceError) as err:
        read(path, tmp_path)
    assert err.value.path == "empty.rtf" and "without text" in err.value.message


@pytest.mark.parametrize("body", ["\\u9999999999?", "\\uc \\u20320?", "{\\pict\\bin}"])
def test_damaged_rtf_is_an_error_naming_the_file(body: str, tmp_path: Path) -> None:
    """striprtf raises on some damaged input (\\u beyond Unicode, \\uc without its number,
    \\bin without a length); the reader turns that into the file's error, never a crash."""
    path = tmp_path / "damaged.rtf"
    path.write_text("{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0 SimSun;}}\\pard " + body + "\\par}", encoding="ascii")
    with pytest.raises(SourceError) as err:
        read(path, tmp_path)
    assert err.value.path == "damaged.rtf" and "not a readable RTF" in err.value.message
