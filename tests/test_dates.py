"""Relative and month-day dates read against the page's own publication stamp
(generator/annotate/dates.py). Each case is a fixture in tests/fixtures/page_dates/,
run through the real pipeline."""

from __future__ import annotations

import datetime

import pytest
from conftest import ROOT

from generator.annotate.dates import stamp_of_line
from generator.model import Document
from generator.pipeline import collect

FIXTURES = ROOT / "tests" / "fixtures" / "page_dates"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    report = collect(ROOT, progress=False, corpus=FIXTURES)
    assert not report.errors, report.errors
    return {d.source_path: d for d in report.documents}


def test_yesterday_counts_back_from_the_stamp(docs: dict[str, Document]) -> None:
    doc = docs["yesterday_on_stamped_page.txt"]
    assert doc.value("date") == "2022-02-18"
    assert "2022-02-19" in doc.meta["date"].evidence and "昨天" in doc.meta["date"].evidence


def test_a_month_day_takes_the_year_of_a_traditional_stamp(docs: dict[str, Document]) -> None:
    doc = docs["month_day_on_traditional_stamp.txt"]
    assert doc.value("date") == "2019-01-02"
    assert "更新时间" in doc.meta["date"].evidence or "更新時間" in doc.meta["date"].evidence


def test_today_with_its_day_in_brackets(docs: dict[str, Document]) -> None:
    assert docs["today_with_its_day.txt"].value("date") == "2023-05-14"


def test_a_day_that_contradicts_the_stamp_leaves_the_date_unknown(docs: dict[str, Document]) -> None:
    doc = docs["day_contradicts_stamp.txt"]
    assert doc.value("date") is None
    assert doc.value("published") == "2026-01-09"


def test_a_clock_widget_is_not_a_publication_stamp(docs: dict[str, Document]) -> None:
    doc = docs["clock_widget_is_not_a_stamp.txt"]
    assert doc.value("date") is None and doc.value("published") is None


def test_a_template_sites_posting_time_does_not_date_the_speech(docs: dict[str, Document]) -> None:
    doc = docs["template_posting_time.txt"]
    assert not str(doc.value("date") or "").startswith("2015")


def test_today_is_a_day_that_contradicts_the_stamp(docs: dict[str, Document]) -> None:
    """'今天是9月10日' on a page stamped in July: neither is guessed."""
    assert docs["today_is_a_day_the_stamp_contradicts.txt"].value("date") is None


def test_an_e_paper_edition_date_is_the_stamp(docs: dict[str, Document]) -> None:
    assert docs["epaper_edition_date.txt"].value("date") == "2022-02-18"


def test_without_a_stamp_the_lead_names_the_meetings_year(docs: dict[str, Document]) -> None:
    doc = docs["lead_names_the_year.txt"]
    assert doc.value("date") == "2025-09-30"
    assert "2025年第三次" in doc.meta["date"].evidence


def test_recently_gives_the_stamps_year_only(docs: dict[str, Document]) -> None:
    doc = docs["recently_gives_the_year.txt"]
    assert (doc.value("date"), doc.value("date_precision")) == ("2021", "year")


@pytest.mark.parametrize(("line", "day"), [
    ("发布时间：2022-02-19 10:20", datetime.date(2022, 2, 19)),
    ("您的位置:某某网 > 时政新闻 > 正文   |   2022-12-12   阅读量:", datetime.date(2022, 12, 12)),
    ("2023 11/18 13:38:20", datetime.date(2023, 11, 18)),
    ("2022年02月19日 星期六", datetime.date(2022, 2, 19)),
    ("2018/12/28 上午9:27:28 星期五", None),  # a clock
    ("2024-11-22下载文档一键复制全文", None),  # a document-sharing site
    ("发布时间:2023-4-25文章大小:4482字节页数:7页", None),
    ("2019年1月3日，县委召开会议。", None),  # a sentence, not a stamp
])
def test_stamp_lines(line: str, day: datetime.date | None) -> None:
    assert stamp_of_line(line) == day


def test_recently_does_not_weaken_a_date_the_front_matter_gives(docs: dict[str, Document]) -> None:
    """近日 on a page stamped by the source gives only the stamp's year; a source whose front
    matter states the day keeps that day (given metadata outranks the text's vaguer word)."""
    doc = docs["recently_with_front_matter_date.md"]
    assert doc.value("date") == "2021-11-26"
    assert doc.meta["date"].status == "given"
