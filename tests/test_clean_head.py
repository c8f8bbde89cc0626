"""Tests for the head of a document (clean.read_head): title, dateline, source/time
line, speaker line and salutation found by their roles after any page chrome, on small
fixtures written for the project (tests/fixtures/heads, tests/fixtures/filename_title)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.clean import (
    arabic_dates,
    clean,
    collapse_spaced,
    looks_mojibake,
    title_from_file_name,
)
from generator.model import Document
from generator.read import read

FIXTURES = Path(__file__).parent / "fixtures"


def cleaned(folder: str, name: str) -> Document:
    raw = read(FIXTURES / folder / name, FIXTURES / folder)
    raw.file_id = name.rsplit(".", 1)[0]
    docs = clean(raw)
    assert len(docs) == 1
    return docs[0]


def test_page_chrome_is_removed_and_recorded_before_the_title() -> None:
    doc = cleaned("heads", "page_chrome_before_title.txt")
    assert doc.title == "2031年浙江省政府工作报告"
    chrome = [r.text for r in doc.removals if r.rule == "page-chrome"]
    assert {"下载", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】", "来源：", "浙江日报",
            "您的位置：首页 > 政务公开 > 政府工作报告"} <= set(chrome)
    assert doc.value("source_name") == "浙江日报"
    assert doc.value("published") == "2031-01-28"
    assert "page-chrome" in doc.rules_run
    # the dateline and the speaker line stay in the text as printed
    assert doc.paragraphs[0].startswith("——2031年1月20日")
    assert doc.paragraphs[1] == "浙江省省长 王 明"
    assert doc.value("dateline").startswith("——2031年1月20日在浙江省")
    assert doc.value("speaker_line") == "浙江省省长 王 明"


def test_spaced_out_title_is_collapsed_and_the_original_kept_as_evidence() -> None:
    doc = cleaned("heads", "spaced_title_county_report_gb18030.txt")
    assert doc.title == "政府工作报告"
    assert doc.meta["title"].evidence == "政 府 工 作 报 告"
    assert doc.value("speaker_line") == "桐庐县人民政府县长\u3000\u3000李建国"
    assert doc.value("dateline").startswith("----2015年2月5日")


def test_salutation_after_a_title_line_is_never_the_title() -> None:
    doc = cleaned("heads", "title_then_comrades.txt")
    assert doc.title == "在全县农村工作会议上的讲话"
    assert doc.paragraphs[0] == "同志们："


def test_a_dateline_in_chinese_numerals_is_a_dateline() -> None:
    doc = cleaned("heads", "dateline_chinese_numerals.txt")
    assert doc.value("dateline").startswith("——二〇三二年一月二十七日")
    assert arabic_dates("二〇三二年一月二十七日") == "2032年1月27日"


def test_file_name_is_the_title_when_the_text_has_none() -> None:
    doc = cleaned("filename_title", "XX县2017年政府工作报告_2017.txt")
    assert doc.title == "XX县2017年政府工作报告"
    assert doc.value("title_from") == "file name"
    assert "XX县2017年政府工作报告_2017.txt" in doc.meta["title"].evidence


def test_an_id_file_name_is_never_a_title() -> None:
    doc = cleaned("filename_title", "3f9a2c71e0b4.txt")
    assert "title" not in doc.meta and doc.title == doc.id


@pytest.mark.parametrize(("name", "title"), [
    ("2031_某省_政府工作报告.txt", "2031 某省 政府工作报告"),
    ("12345_关于加强基层治理的讲话.txt", "关于加强基层治理的讲话"),
    ("000_37eb0cade54b8aaa.txt", None),
    ("2017.txt", None),
    ("报告.txt", None),
])
def test_title_from_file_name(name: str, title: str | None) -> None:
    assert title_from_file_name(name) == title


def test_collapse_spaced_only_touches_single_spaced_characters() -> None:
    assert collapse_spaced("王 明") == "王明"
    assert collapse_spaced("政 府 工 作 报 告") == "政府工作报告"
    assert collapse_spaced("坚定信心 实干争先") == "坚定信心 实干争先"


@pytest.mark.parametrize(("text", "garbled"), [
    ("娣峰悎缂栫爜鏂囦欢", True),  # UTF-8 read as GBK
    ("2030い地チ㎝瓣瓣叭", True),  # Big5 read as GBK
    ("廣州共產黨報告", False),  # traditional script is not mojibake
    ("高举旗帜 团结奋斗", False),
])
def test_looks_mojibake(text: str, garbled: bool) -> None:
    assert looks_mojibake(text) is garbled


def test_a_garbled_title_line_is_not_published(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("娣峰悎缂栫爜鏂囦欢\n\n各位代表：现在我向大会报告工作。\n", encoding="utf-8")
    raw = read(tmp_path / "x.txt", tmp_path)
    raw.file_id = "x"
    doc = clean(raw)[0]
    assert doc.title == "x"
    assert any("garbled" in w for w in doc.warnings)


def test_a_slogan_title_with_a_comma_before_the_salutation_is_the_title() -> None:
    doc = cleaned("heads", "slogan_title_with_comma.txt")
    assert doc.title == "团结一心，为建设美好家园而奋斗"
    assert doc.paragraphs[0] == "同志们："


def test_a_title_that_names_a_post_is_not_a_speaker_line() -> None:
    doc = cleaned("heads", "title_names_a_post.txt")
    assert doc.title == "县委书记在全县农村工作会议上的讲话"
    assert "speaker_line" not in doc.meta


def test_a_date_line_under_the_title_is_text_not_page_chrome() -> None:
    doc = cleaned("heads", "speech_date_line_under_title.txt")
    assert "2021年12月30日" in doc.paragraphs
    assert not [r for r in doc.removals if r.rule == "page-chrome"]
