"""Dates a news page gives relative to its own publication: 昨天, 今日（14日）, 日前, 1月2日下午.

A news item rarely states its year: it says `昨天下午` or `1月2日` and relies on the page
it is printed on. So the page's own publication stamp is found first, among the lines
cleaning removed as chrome and the head lines of the text: a labelled stamp
(`发布时间：2022-02-19`, `更新时间:2019年1月3日`), a date on the page's source/info line
(`来源：XX日报 2019-01-18`, `| 2022-12-12 阅读量`) or an e-paper's edition line
(`2022年02月19日 星期六`). Not a publication stamp: an e-reader's clock widget (a weekday
with a time of day to the second), a template or document-sharing site's posting or
download time (`下载文档`, `免费试读`, `文章大小`), and a stamp on a 范文 site (one that says
so in its head: `一文来源于网友上传，不代表本站观点`, `小编为大家整理`, `[下载该文章] [会员注册]`).

With the stamp, a relative day counts back from it, a bare day (`14日`) is in the stamp's
month, and a month-day takes the stamp's year (the year before when it falls after the
stamp). A day the text states that contradicts the stamp (`14日` on a page stamped the 9th)
leaves the date unknown; the evidence always names the stamp.

Without a stamp, a month-day in the lead takes its year only from the lead (500
characters from the month-day on), when that names exactly one year, as the meeting's or its business's own (`9月30日，召开…
2025年第三次会议`, `…2020年度…调度会议`, `2005年上半年工作总结`).
"""

from __future__ import annotations

import datetime
import re

from generator.annotate.sentences import sentence_at as _sentence
from generator.model import Document, Field

_Y = r"((?:19|20)\d\d)"
_STAMP_DATE = re.compile(
    _Y + r"\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|\s+(\d{1,2})/(\d{1,2}))(?!\d)"
)
# day first, as aggregators write it ('18.05.2019 08:30'); read only when the day cannot
# be a month (over 12) or both are the same, so 05.06.2015 is never guessed either way
_DAY_FIRST = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)(?![\d.])")
_LABEL = re.compile(r"(?:发布|更新|刊发|发稿|上传)?(?:时间|日期)\s*[:：]?\s*$")
_INFO = re.compile(r"来源|浏览|阅读|点击|作者|发布者|编辑|查看|评论|稿源|您的位置|当前位置|[>|｜]")
_EDITION = re.compile(r"星期[一二三四五六日天]")
_CLOCK = re.compile(r"\d{1,2}:\d{2}:\d{2}|今天是|北京时间")
_NOT_PAGE = re.compile(r"下载|字节|页数|文档|免费|试读|\d元|会员|发表时间|投稿|收藏本")
_TIME = re.compile(r"^\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*$")


def _date(m: re.Match[str]) -> datetime.date | None:
    y = int(m.group(1))
    mo, d = next((int(m.group(i)), int(m.group(i + 1))) for i in (2, 4, 6) if m.group(i))
    try:
        return datetime.date(y, mo, d)
    except ValueError:
        return None


def stamp_of_line(line: str) -> datetime.date | None:
    """The publication date a head line states, or None when the line is not a stamp."""
    from generator.clean.script import to_simplified

    # chrome lines are recorded as the source wrote them: 來源/發布時間 label a stamp too
    line = to_simplified(line.strip())
    if len(line) > 140 or "。" in line or _NOT_PAGE.search(line):
        return None
    m = _STAMP_DATE.search(line)
    if not m:
        return _day_first(line)
    before, after = line[: m.start()], line[m.end() :]
    if _EDITION.search(line) and _CLOCK.search(line):
        return None  # a clock widget: weekday and time to the second
    labelled = bool(_LABEL.search(before))
    info = bool(_INFO.search(before + after))
    alone = not before.strip() and (_TIME.match(after) or _EDITION.search(after))
    if labelled or info or alone:
        return _date(m)
    return None


def _day_first(line: str) -> datetime.date | None:
    """'18.05.2019 08:30' alone on its line (a time at most after it)."""
    m = _DAY_FIRST.search(line)
    if not m or line[: m.start()].strip() or not _TIME.match(line[m.end() :]):
        return None
    d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if d <= 12 and d != mo:
        return None  # 05.06.2015: 5 June or 6 May; the stamp says nothing sure
    try:
        return datetime.date(y, mo, d)
    except ValueError:
        return None


# a template or document-sharing site says what it is in its head: its posting time is
# the upload's, not the speech's ('时间:2022-05-21 … 导语:…一文来源于网友上传,不代表本站观点')
_SHARING_SITE = re.compile(r"网友上传|不代表本站观点|本站为你精心整理|小编为大家|小编为您|参考范文|范文网|公文网|文秘网"
                           r"|下载该文章|会员注册|请先登录|立即下载|下载文档")


def posted_by_sharing_site(doc: Document) -> bool:
    """The page's head says it is a template or document-sharing site's copy."""
    from generator.clean.script import to_simplified

    lines = [r.text for r in doc.removals if r.rule in ("header-line", "page-chrome", "source-line", "editor-intro")]
    lines += [x for x in doc.search_text.split("\n")[:15] if x.strip()]
    return any(_SHARING_SITE.search(to_simplified(x)) for x in lines)


def page_stamp(doc: Document) -> tuple[str, str] | None:
    """(ISO date, the stamp line) of the page's own publication, or None."""
    if "template_site" in doc.meta or doc.redacted or posted_by_sharing_site(doc):
        return None  # a 范文 site's posting time says nothing about the speech
    lines = [r.text for r in doc.removals if r.rule in ("header-line", "page-chrome", "source-line")]
    lines += [x for x in doc.search_text.split("\n")[:15] if x.strip()]
    for line in lines:
        for part in line.split("\n"):
            day = stamp_of_line(part)
            if day and 1990 <= day.year <= 2100:
                return day.isoformat(), part.strip()
    return None


# ---------------------------------------------------------------- dates read against the stamp

_RELATIVE = {"今日": 0, "今天": 0, "当天": 0, "昨日": 1, "昨天": 1, "前日": 2, "前天": 2}
_REL = re.compile(
    r"(?:^|[。！？\n，,\s）)])\s*(?:本报讯|[^。\n]{0,16}?讯)?[^。\n]{0,24}?(今日|今天|昨日|昨天|前日|前天|日前|近日)\s*"
    r"(?:[（(]\s*(?:(\d{1,2})月)?(\d{1,2})日\s*[）)]|[是为]\s*(?:(\d{1,2})月)?(\d{1,2})日)?")
_BARE_DAY = re.compile(r"(?:^|[。！？\n）)\s])\s*(?:[^。\n]{0,16}?讯\s*)?(?<![月\d])(\d{1,2})\s*[日号](?:上午|下午|晚上|晚|早上|凌晨|中午)?[，,]?")
# a month-day followed by 讯/电 is the news dateline's dispatch date, not the event's
_MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号](?!\s*(?:讯|电))")


def _set(doc: Document, value: str, precision: str, evidence: str, text: str) -> None:
    doc.meta["date"] = Field(value, "inferred", evidence)
    doc.meta["date_precision"] = Field(precision, "inferred", None)
    doc.meta["date_text"] = Field(text, "inferred", evidence)


# News is posted within days of the event; a stated day further before the page's stamp
# than this means the stamp is a repost's, and the year stays unknown (as it does when the
# stated day and the stamp disagree, _day_in_stamp_month)
REPOST_DAYS = 31


def date_from_stamp(doc: Document, head: str, stamp: str, stamp_line: str) -> bool:
    """A relative day, a bare day or a month-day in the lead, read against the stamp.
    Returns True when it decided (a date, or unknown because the text contradicts the
    stamp); False when the lead has no such date."""
    pub = datetime.date.fromisoformat(stamp)
    note = f"（据本页发布时间“{stamp_line}”）"
    m = _REL.search(head)
    md = _MONTH_DAY.search(head)
    if m and m.group(5):  # 今天是9月10日: the day it states, like 今日（14日）
        md = None
    if m and (not md or m.start(1) < md.start()):
        ev = _sentence(head, m.start(1)) + note
        month, stated = (m.group(2) or m.group(4)), (m.group(3) or m.group(5))
        if m.group(1) in ("日前", "近日"):
            if stated:  # 日前（14日）: the stated day, in the stamp's month
                return _day_in_stamp_month(doc, pub, int(month or pub.month), int(stated), ev, m.group(0))
            _set(doc, str(pub.year), "year", ev, m.group(1))
            return True
        day = pub - datetime.timedelta(days=_RELATIVE[m.group(1)])
        if stated and (int(stated) != day.day or (month and int(month) != day.month)):
            # 今天（8月1日） on a page stamped the next day: the stated day wins if it is
            # not after the stamp; otherwise the two disagree and the date stays unknown
            return _day_in_stamp_month(doc, pub, int(month or pub.month), int(stated), ev, m.group(0))
        _set(doc, day.isoformat(), "day", ev, m.group(0).strip("，,。 \n"))
        return True
    if md:
        mo, d = int(md.group(1)), int(md.group(2))
        year = pub.year if (mo, d) <= (pub.month, pub.day) else pub.year - 1
        try:
            day = datetime.date(year, mo, d)
        except ValueError:
            return False
        if (pub - day).days > REPOST_DAYS:
            # a month-day weeks before the stamp: the stamp is a later repost's (a portal,
            # a travel site, a 范文 copy), not the page's own news, so it dates nothing
            doc.meta["date"] = Field(None, "inferred", _sentence(head, md.start()) + note)
            doc.meta["date_precision"] = Field(None, "inferred", None)
            doc.meta["date_text"] = Field(md.group(0), "inferred", _sentence(head, md.start()))
            return True
        _set(doc, day.isoformat(), "day", _sentence(head, md.start()) + note, md.group(0))
        return True
    b = _BARE_DAY.search(head)
    if b:
        ev = _sentence(head, b.start(1)) + note
        return _day_in_stamp_month(doc, pub, pub.month, int(b.group(1)), ev, b.group(0).strip("，,。 \n"))
    return False


def read_against_stamp_day(doc: Document) -> bool:
    """Whether the document's day is one date_from_stamp read from the stamp's own day or
    month (a relative day, 今天/昨天, or a bare day, 14日), not a month-day the text states."""
    f, text = doc.meta.get("date"), doc.meta.get("date_text")
    if not f or not f.value or doc.value("date_precision") != "day" or not text or not text.value:
        return False
    return "（据本页发布时间“" in str(f.evidence or "") and "月" not in str(text.value)


def _day_in_stamp_month(doc: Document, pub: datetime.date, month: int, day: int, ev: str, text: str) -> bool:
    try:
        when = datetime.date(pub.year, month, day)
    except ValueError:
        when = None
    if when is None or when > pub or (pub - when).days > 31:
        # a day after the page was published, or not in its month: the text and the
        # stamp disagree, and neither is guessed
        doc.meta["date"] = Field(None, "inferred", ev)
        doc.meta["date_precision"] = Field(None, "inferred", None)
        doc.meta["date_text"] = Field(text, "inferred", ev)
        return True
    _set(doc, when.isoformat(), "day", ev, text)
    return True


# ---------------------------------------------------------------- a year the lead sentence names

_OWN_YEAR = re.compile(_Y + r"\s*年?(?:度|第[一二三四五六七八九十\d]+次|上半年|下半年|前三季度|第?[一二三四]季度|全年|年中|年终|[^，。；\n]{0,20}?(?:会议|大会|两会|工作|方案|计划|要点))")


def year_from_lead(doc: Document, head: str, text: str) -> bool:
    """A month-day without a year: the year of the meeting the lead names (the 500
    characters from the month-day on), when the lead names exactly one year and names it as the meeting's or its business's
    own (2025年第三次会议, 2020年度…会议, 2005年上半年工作总结, 2022年…实施方案), or as the
    event the meeting studies or greets (2023年全国两会, 向2023世界智能产业博览大会致贺信)."""
    md = _MONTH_DAY.search(head)
    if not md or doc.value("date"):
        return False
    para = text[text.find(md.group(0)) :][:500]
    # a year is written with 年, or glued to the name of its event (2023世界智能产业博览大会)
    years = {m.group(1) for m in re.finditer(_Y + r"(?=\s*年|[\u4e00-\u9fff])", para)}
    own = [m for m in _OWN_YEAR.finditer(para)]
    if len(years) != 1 or not own or re.search(r"(?:19|20)\d\d(?!\s*年)(?=\D)", para.replace(own[0].group(1), "")):
        return False
    y, mo, d = int(own[0].group(1)), int(md.group(1)), int(md.group(2))
    try:
        day = datetime.date(y, mo, d)
    except ValueError:
        return False
    ev = _sentence(head, md.start())
    _set(doc, day.isoformat(), "day", f"{ev}（年份据同段“{own[0].group(0)}”）", md.group(0))
    return True


# ---------------------------------------------------------------- the turn of the year

# a year's plan adopted at the meeting (审议…2021年工作要点): plans are drawn up late in the
# year before at the earliest, so a meeting from May to August adopting one is in its year
_PLAN_OF = re.compile(r"(?:审议|研究|讨论|通过|印发|部署|制定|安排)[^。；\n]{0,30}?" + _Y + r"\s*年[^。；，,\n]{0,16}?(?:工作要点|工作计划|要点)")
_JUST_PAST = re.compile(r"(?:刚刚|刚|已经)过去的\s*" + _Y + r"\s*年(?!代)")
_YEAR_WORD = re.compile(_Y + r"\s*年(?!代)")


def year_from_turn(doc: Document, head: str, text: str) -> bool:
    """A year the text places itself after, when nothing else dates it.

    `刚刚过去的2019年` is said in 2020: the speaker stands just after that year. A meeting
    dated by month and day whose lead names exactly two years, one after the other, stands
    at their turn (`2020年…计划执行情况与2021年计划草案`, `2021年工作回顾和2022年工作安排`,
    `2020年度…2021年新年献词`): early in the year (January to April) it reviews the
    past year and plans the current one, so it is in the later year; in November or
    December it reviews its own year and plans the next, so it is in the earlier one.
    Between May and October the two readings are equally likely and nothing is said,
    unless the meeting adopts the later year's plan (`研究审议…2021年工作要点`): a year's plan
    is not adopted half a year or more before that year, so until August the meeting is in
    the later year.
    """
    md = _MONTH_DAY.search(head)
    m = _JUST_PAST.search(text[:3000])
    if m:
        year = int(m.group(1)) + 1
        ev = f"{_sentence(text, m.start())}（“{m.group(0)}”：讲于 {year} 年）"
    elif md:
        mo = int(md.group(1))
        para = text[text.find(md.group(0)) :][:600]
        years = sorted({int(y) for y in _YEAR_WORD.findall(para)})
        if len(years) != 2 or years[1] != years[0] + 1:
            return False
        plan = _PLAN_OF.search(para, 0) if 5 <= mo <= 8 else None
        if 5 <= mo <= 10 and not (plan and int(plan.group(1)) == years[1]):
            return False
        year = years[1] if mo <= 8 else years[0]
        when = "年初" if mo <= 4 else "年中，审议的是当年的计划" if mo <= 8 else "年末"
        ev = (f"{_sentence(head, md.start())}（同段只写 {years[0]} 年和 {years[1]} 年；"
              f"{mo}月是{when}，会议在 {year} 年）")
    else:
        return False
    if not (md and _set_day(doc, year, md, ev)):
        _set(doc, str(year), "year", ev, m.group(0) if m else str(year))
    return True


def _set_day(doc: Document, year: int, md: re.Match[str], ev: str) -> bool:
    """The meeting's month-day with the year a rule found: the day when that date exists."""
    try:
        day = datetime.date(year, int(md.group(1)), int(md.group(2)))
    except ValueError:
        return False
    _set(doc, day.isoformat(), "day", ev, md.group(0))
    return True


# ---------------------------------------------------------------- a year the body states or implies


def year_from_text(doc: Document, text: str) -> bool:
    """The year `annotate/body_year.py` reads from the body, when nothing else dated the
    text. The day is known too when the rule dates the meeting the lead names by its
    month and day (a meeting that fixes a coming event)."""
    from generator.annotate import body_year

    found = body_year.year_from_body(doc, text)
    if not found:
        return False
    year, ev, words, meeting = found
    md = _MONTH_DAY.fullmatch(str(doc.value("date_text") or ""))
    if not (meeting and md and _set_day(doc, year, md, ev)):
        _set(doc, str(year), "year", ev, words)
    return True


# a headline that names a year's review or record (2020年度…, 2020年工作总结会) may be held
# early in the next year: its year is not the lead's day's
_TITLE_REVIEW = re.compile(r"年度|总结|回顾|述职|考核|考评|年终|全年|报告|盘点")


def _title_year_to_lead_day(doc: Document, text: str) -> None:
    """`举办2020年“七·一”表彰大会` over the lead `6月30日晚上，…举办…表彰大会`: the headline's
    year and the lead's month-day are the one event's, so the day is known. Only when the
    lead opens with the month-day, tells of the event the headline names (five characters
    in common after the year), and the month is from March on: a headline naming a year's
    review (2020年度…, …总结会) is often held early the next year, and is not read."""
    from generator.annotate.body_year import _shared

    md = _MONTH_DAY.fullmatch(str(doc.value("date_text") or ""))
    title = str(doc.value("title") or "")
    y = re.search(_Y + r"\s*年", title)
    if not md or not y or int(md.group(1)) < 3 or _TITLE_REVIEW.search(title):
        return
    lead = text.lstrip().split("\n", 1)[0]
    if not lead.startswith(md.group(0)) or not _shared(title[y.end() :], lead, 5):
        return
    try:
        day = datetime.date(int(y.group(1)), int(md.group(1)), int(md.group(2)))
    except ValueError:
        return
    _set(doc, day.isoformat(), "day", f"{_sentence(lead, 0)}（年份据标题“{title}”）", md.group(0))


def title_against_body(doc: Document, text: str) -> None:
    """A year taken from the title must agree with the year the body speaks in (`今年…2012年`,
    `2015年是…之年`). When they differ, a template's title (written by the site that
    posted it) yields to the body; any other title and body leave the year unknown."""
    from generator.annotate import body_year, genre

    f = doc.meta.get("date")
    if not f or not f.value or not str(f.evidence or "").startswith("标题："):
        return
    found = body_year.year_from_body(doc, text, body_year.PRESENT_RULES)
    if not found or str(found[0]) == str(f.value)[:4]:
        _title_year_to_lead_day(doc, text)
        return
    year, ev, words, _ = found
    if genre.template(doc):
        _set(doc, str(year), "year", f"{ev}（标题写 {str(f.value)[:4]} 年，是范文网站的标题；正文说的是 {year} 年）", words)
        return
    doc.meta["date"] = Field(None, "inferred", f"{f.evidence}；正文：{ev}（两者年份不同，不作推断）")
    doc.meta["date_precision"] = Field(None, "inferred", None)
