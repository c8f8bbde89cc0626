"""Relative and month-day dates read against the page's own publication stamp
(generator/annotate/dates.py). Each case is a fixture in tests/fixtures/page_dates/,
run through the real pipeline."""

from __future__ import annotations

import datetime

import pytest
from conftest import ROOT, fixture_documents

from generator.annotate.dates import stamp_of_line
from generator.model import Document

FIXTURES = ROOT / "tests" / "fixtures" / "page_dates"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return fixture_documents(FIXTURES)


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

def test_a_traditional_source_line_is_the_stamp(docs: dict[str, Document]) -> None:
    """'來源:某某縣政府2016-10-12' removed as chrome, in traditional script, still dates the page."""
    doc = docs["stamp_in_traditional_source_line.txt"]
    assert doc.value("date") == "2016-10-09"
    assert "來源" in doc.meta["date"].evidence


def test_a_day_first_stamp_dates_the_page(docs: dict[str, Document]) -> None:
    doc = docs["day_first_stamp.txt"]
    assert doc.value("date") == "2019-05-16"
    assert "18.05.2019" in doc.meta["date"].evidence


def test_the_just_past_year_is_the_year_before(docs: dict[str, Document]) -> None:
    doc = docs["just_past_year_at_a_session.txt"]
    assert (doc.value("date"), doc.value("date_precision")) == ("2020", "year")
    assert "刚刚过去的2019年" in doc.meta["date"].evidence


def test_early_in_the_year_a_meeting_is_in_the_later_of_two_years(docs: dict[str, Document]) -> None:
    doc = docs["turn_of_the_year_early.txt"]
    assert doc.value("date") == "2021-03-12"
    assert "2020" in doc.meta["date"].evidence and "2021" in doc.meta["date"].evidence


def test_at_year_end_a_meeting_is_in_the_earlier_of_two_years(docs: dict[str, Document]) -> None:
    assert docs["turn_of_the_year_late.txt"].value("date") == "2021-12-28"


def test_midyear_two_years_say_nothing(docs: dict[str, Document]) -> None:
    doc = docs["turn_of_the_year_midyear.txt"]
    assert doc.value("date") is None and doc.value("date_text") == "7月8日"


@pytest.mark.parametrize(("line", "day"), [
    ("來源:某某縣政府2014-03-21", datetime.date(2014, 3, 21)),
    ("發布時間:2020-08-04 09:15 瀏覽:86次", datetime.date(2020, 8, 4)),
    ("27.09.2018 11:05", datetime.date(2018, 9, 27)),
    ("05.06.2015 10:00", None),  # 5 June or 6 May: not guessed
    ("06.06.2015", datetime.date(2015, 6, 6)),
    ("共有27.09.2018条记录", None),  # not alone on its line
])
def test_traditional_and_day_first_stamp_lines(line: str, day: datetime.date | None) -> None:
    assert stamp_of_line(line) == day


def test_year_from_turn_units() -> None:
    from generator.annotate.dates import year_from_turn

    def run(head: str) -> object:
        doc = Document(id="x", file_id="x", part=None, parts_total=1, source_path="x.txt", sha256="",
                       encoding="utf-8", body_format="text", paragraphs=[head])
        year_from_turn(doc, head, head)
        return doc.value("date")

    assert run("1月5日，县政府召开会议，总结2018年工作，部署2019年任务。") == "2019-01-05"
    assert run("11月30日，县政府召开会议，总结2018年工作，部署2019年任务。") == "2018-11-30"
    assert run("6月5日，县政府召开会议，总结2018年工作，部署2019年任务。") is None
    assert run("1月5日，县政府召开会议，回顾2016年和2018年工作。") is None  # not consecutive
    assert run("1月5日，会议回顾了20世纪80年代以来的发展。") is None
    assert run("刚刚过去的1999年是不平凡的一年。") == "2000"


def test_the_event_a_meeting_studies_gives_its_year(docs: dict[str, Document]) -> None:
    doc = docs["lead_names_the_event_it_studies.txt"]
    assert doc.value("date") == "2023-03-15"
    assert "2023年全国两会" in doc.meta["date"].evidence


def test_a_year_glued_to_an_events_name(docs: dict[str, Document]) -> None:
    assert docs["lead_names_an_event_by_its_year.txt"].value("date") == "2023-11-20"


def test_a_sharing_sites_posting_time_does_not_date_the_speech(docs: dict[str, Document]) -> None:
    """'时间:2022-05-21 …' above '导语:…一文来源于网友上传,不代表本站观点': the upload's time,
    not the speech's; '今天' is not read against it."""
    doc = docs["sharing_site_posting_time.txt"]
    assert doc.value("date") is None


def test_a_template_sites_download_marks_make_its_time_an_upload_time(docs: dict[str, Document]) -> None:
    """'时间:2010-12-1 … [下载该文章] [会员注册]' on a 范文 page: not the speech's date."""
    assert docs["template_site_download_marks.txt"].value("date") is None


def test_a_month_day_weeks_before_the_stamp_leaves_the_year_unknown(docs: dict[str, Document]) -> None:
    """News is posted within days: a stamp two months after the stated day is a repost's."""
    doc = docs["month_day_long_before_a_repost_stamp.txt"]
    assert doc.value("date") is None
    assert doc.value("date_text") == "9月18日"
    assert doc.value("published") == "2021-11-20"


def test_a_speech_dated_only_by_its_stamp_gets_its_year_not_its_day(docs: dict[str, Document]) -> None:
    doc = docs["speech_dated_only_by_its_stamp.txt"]
    assert doc.value("published") == "2022-04-06"
    assert (doc.value("date"), doc.value("date_precision")) == ("2022", "year")



def test_a_speech_saying_today_on_a_stamped_page_gets_the_stamps_year_not_its_day(docs: dict[str, Document]) -> None:
    """`今天` in a speech is the day it was given; read against the page's stamp it would be
    the day the page was posted. News is posted the day it happens (yesterday_on_stamped_page
    keeps its day); a speech is not."""
    doc = docs["speech_says_today_on_a_stamped_page.txt"]
    assert doc.value("genre") != "会议报道"
    assert doc.value("published") == "2023-03-14"
    assert (doc.value("date"), doc.value("date_precision")) == ("2023", "year")
    news = docs["yesterday_on_stamped_page.txt"]
    assert (news.value("date"), news.value("date_precision")) == ("2022-02-18", "day")
