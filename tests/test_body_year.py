"""Years the body states or implies (generator/annotate/body_year.py, applied by
annotate/dates.py). Each rule has a fixture in tests/fixtures/body_years/ that it must
date, and a trap it must not, run through the real pipeline."""

from __future__ import annotations

import pytest
from conftest import ROOT, fixture_documents

from generator.annotate import body_year
from generator.model import Document

FIXTURES = ROOT / "tests" / "fixtures" / "body_years"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return fixture_documents(FIXTURES)


def _year(doc: Document) -> str | None:
    value = doc.value("date")
    return str(value)[:4] if value else None


@pytest.mark.parametrize(("name", "date", "said"), [
    # an occasion the headline names, dated in the body (past the head's first lines)
    ("occasion_dated_in_the_body.txt", "2019", "公元2019年4月28日"),
    # a meeting that fixes a coming event a few months ahead, and one across the turn
    ("decided_event_months_ahead.txt", "2016-10-26", "于2016年12月"),
    ("decided_event_after_the_turn.txt", "2016-12-18", "于2017年1月"),
    # a founding year and the anniversary of the same unit
    ("founding_and_its_anniversary.txt", "2019", "1994年"),
    # a review of the year just ended at an annual CPPCC session
    ("session_reviews_the_past_year.txt", "2018", "2017年"),
    # the speaker's own year: 'YYYY年是…之年', 今年 beside the latest stated year
    ("present_year_is_a_landmark.txt", "2020", "2020年是"),
    ("this_year_beside_a_stated_year.txt", "2016", "今年更喜人"),
    ("a_list_of_years_then_this_year.txt", "2018", "今年，我们又"),
    # 去年 told, then that year's figures
    ("last_year_before_its_figures.txt", "2021", "2020年全区"),
    # a headline run into the first body line
    ("headline_run_into_the_body.txt", "2023", "2023年新春贺词"),
    # a midyear meeting that adopts a year's plan is in that year
    ("midyear_meeting_adopts_its_plan.txt", "2021-08-05", "2021"),
    # a headline's year and the lead's month-day of the same event
    ("headline_year_for_the_lead_day.txt", "2021-09-26", "2021年全县职工运动会"),
])
def test_the_body_dates_the_text(docs: dict[str, Document], name: str, date: str, said: str) -> None:
    doc = docs[name]
    assert doc.value("date") == date
    assert doc.value("date_precision") == ("day" if len(date) == 10 else "year")
    assert said in doc.meta["date"].evidence  # the sentence that gives it is on the page


@pytest.mark.parametrize("name", [
    # a full date of another event under a 写在…之际 headline
    "occasion_with_another_events_date.txt",
    # an event fixed ten months ahead: which year the meeting is in is not said
    "decided_event_too_far_ahead.txt",
    # 中国共产党成立100周年 is not the anniversary of the association founded in 1998
    "anniversary_of_another_founding.txt",
    # a standing committee meets all year round: a review there does not date it
    "standing_committee_is_not_an_annual_session.txt",
    # a December meeting says 'YYYY年是…之年' of the coming year (and says 明年)
    "december_before_says_next_year.txt",
    # 'YYYY年是极不平凡的一年' looks back from the next year
    "a_year_looked_back_on.txt",
    # 今年 beside last year's figures, in a plan: the year before's review
    "this_year_beside_a_plan.txt",
    # 比去年同期: a comparison, not the time of the account
    "last_year_in_a_comparison.txt",
    # a summary of 2014 with its '2015年工作计划' section: written at the turn, either year
    "summary_and_plan_at_the_turn.txt",
    # '今年是…，2020年是…收官之年': the numbered year is another than the text's own
    "this_year_is_named_apart.txt",
])
def test_traps_leave_the_year_unknown(docs: dict[str, Document], name: str) -> None:
    assert _year(docs[name]) is None, docs[name].meta["date"].evidence


def test_a_templates_title_year_yields_to_the_body(docs: dict[str, Document]) -> None:
    """A 范文 site titles its copy itself: the body's '今年…2013年' dates the speech."""
    doc = docs["template_title_yields_to_the_body.txt"]
    assert (doc.value("date"), doc.value("date_precision")) == ("2013", "year")
    assert "2016" in doc.meta["date"].evidence and "今年花开分外红" in doc.meta["date"].evidence


def test_a_title_and_body_that_disagree_leave_the_year_unknown(docs: dict[str, Document]) -> None:
    doc = docs["title_and_body_disagree.txt"]
    assert doc.value("date") is None
    assert "2019" in doc.meta["date"].evidence and "2017年是" in doc.meta["date"].evidence


def test_a_review_headline_does_not_date_the_lead_day(docs: dict[str, Document]) -> None:
    """'召开2020年度工作总结表彰大会' over '3月20日…': such a meeting is often held the
    next spring, so the headline's year is not given to the lead's day."""
    assert docs["review_headline_year_is_not_the_lead_day.txt"].value("date") != "2020-03-20"


def _doc(text: str, title: str | None = None) -> Document:
    from generator.model import Field

    doc = Document(id="x", file_id="x", part=None, parts_total=1, source_path="x.txt", sha256="",
                   encoding="utf-8", body_format="text", paragraphs=text.split("\n"))
    if title:
        doc.meta["title"] = Field(title, "inferred", None)
    return doc


def test_rules_that_disagree_give_no_year() -> None:
    """A session's review (2015 → 2016) and a present-tense landmark year (2017) in one
    text: the year stays unknown; rules that agree give it."""
    text = ("在县政协十届四次会议闭幕会上的讲话\n各位委员：\n2015年，全县上下全面完成了各项目标任务。"
            "2017年是全面深化改革的关键之年。")
    doc = _doc(text)
    assert body_year.session_review(doc, text) is None  # 2017 is named later: no review
    assert body_year.year_from_body(doc, text, (body_year.present_year,))[0] == 2017
    both = "在县政协十届四次会议闭幕会上的讲话\n各位委员：\n2015年，全县上下全面完成了各项目标任务。"
    assert body_year.year_from_body(_doc(both), both)[0] == 2016
    assert body_year.year_from_body(doc, text, (lambda d, t: (2016, "", "", False), body_year.present_year)) is None


@pytest.mark.parametrize(("text", "years"), [
    ("2015年，全县完成投资100亿元；到2020年，力争翻一番。", [2015]),
    ("《2016年政府工作报告》指出，2015年经济平稳。", [2015]),
    ("2012年以来，全县累计投入资金5亿元。", [2012]),
    ("实现2035年远景目标。", []),
])
def test_past_years_leave_out_goals_and_names(text: str, years: list[int]) -> None:
    assert body_year.past_years(text) == years


@pytest.mark.parametrize(("s", "n"), [("20", 20), ("二十", 20), ("二十五", 25), ("十", 10), ("六十五", 65), ("五", 5)])
def test_anniversary_numbers(s: str, n: int) -> None:
    assert body_year._number(s) == n
