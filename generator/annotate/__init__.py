"""Annotate stage: per-document metadata with evidence.

Precedence: editor's annotation > source front matter > inferred from the text.
Every inferred value keeps the sentence it came from; what the text does not say
stays unknown (None), never filled with today's date or a guess.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from datetime import date as Date

from generator.annotate import dates, gazetteer, places, publisher, sessions, speaker
from generator.annotate.segment import data_lines
from generator.annotate.sentences import sentence_at
from generator.clean import SPEAKER_LINE, arabic_dates, collapse_spaced
from generator.clean.script import to_simplified
from generator.model import Document, Field, RawDoc
from generator.read.jekyll import given_tags, post_of

# 号 for the day is common in speech (2025年12月4号); after 年 and 月 it cannot be a file number
_FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{2}:?\d{2}|Z)?)?$")
_YEAR_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")


def _valid(y: int, m: int, d: int) -> bool:
    try:
        Date(y, m, d)
    except ValueError:
        return False
    return 1949 <= y <= 2100


def parse_given_date(value: object) -> tuple[str | None, str | None]:
    """Front-matter date → (ISO date, ISO datetime with zone when given)."""
    s = str(value).strip()
    m = _ISO_DATE.match(s)
    if not m:
        return None, None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not _valid(y, mo, d):
        return None, None
    day = f"{y:04d}-{mo:02d}-{d:02d}"
    if m.group(4):
        tz = m.group(7) or ""
        if tz and tz != "Z" and ":" not in tz:
            tz = tz[:3] + ":" + tz[3:]
        hh, mm, ss = int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)
        return day, f"{day}T{hh:02d}:{mm:02d}:{ss:02d}{tz}"
    return day, None


def month_day(doc: Document) -> tuple[int, int] | None:
    """(month, day) of a date_text such as '8月1日' that has no year."""
    m = _MONTH_DAY.fullmatch(str(doc.value("date_text") or ""))
    return (int(m.group(1)), int(m.group(2))) if m else None


# A date the sentence marks as a reference point is not the document's date:
# 截至2021年9月30日, 比2015年, 自…以来, 1998年3月就职, 同比.
_REF_BEFORE = re.compile(r"(?:截至|截止|截止到|比|较|自|从|直到|到|至|相比|同比|对比|将于)\s*$")
_REF_AFTER = re.compile(r"^\s*(?:以来|以前|之前|前|起|就职|就任|上任|至今|相比|同期|末|底)")
_REVIEW = re.compile(r"^[一1][、.．]\s*(?:[^。\n]{0,14}?[和与、])?(\d{4})\s*年(?:[^。\n]{0,14}?)?工作(?:的)?回顾")
# the same heading without its number, when it is a line of its own ('2016年工作回顾')
_REVIEW_BARE = re.compile(r"^(?:[^。\n]{0,14}?[和与、])?(\d{4})\s*年(?:[^。，\n]{0,14}?)?工作(?:的)?回顾$")
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")


def is_reference(text: str, start: int, end: int) -> bool:
    """True when the date at text[start:end] is named as a reference (a deadline, a
    starting point, a comparison, a past inauguration), not as the time of the text."""
    before = text[max(0, start - 4) : start]
    return bool(_REF_BEFORE.search(before) or _REF_AFTER.match(text[end : end + 4]))


def _set_date(doc: Document, value: str, precision: str, evidence: str | None, text: str | None = None) -> None:
    doc.meta["date"] = Field(value, "inferred", evidence)
    doc.meta["date_precision"] = Field(precision, "inferred", None)
    if text:
        doc.meta["date_text"] = Field(text, "inferred", evidence)


def date_from_head(doc: Document) -> bool:
    """The dateline (——2016年2月19日在…会议上) dates the speech to the day, before any
    other date the opening lines mention."""
    dl = doc.value("dateline")
    if dl:
        m = _FULL_DATE.search(arabic_dates(str(dl)))
        if m and _valid(*(int(x) for x in m.groups())):
            y, mo, d = (int(x) for x in m.groups())
            _set_date(doc, f"{y:04d}-{mo:02d}-{d:02d}", "day", str(dl), m.group(0))
            return True
    return False


# '2023年在全市…推进会讲话', '2021年干部在全区…会讲话稿': a year put before the whole
# 在…会上的讲话 frame, outside the meeting's name, is how 范文 and 文库 sites label a
# title for sale; an official title names the year in the meeting ('在2023年全市…会议上')
_LABEL_YEAR = re.compile(r"^\s*(?:19|20)\d\d\s*年[^在，,。\d]{0,8}?在(?!\s*(?:19|20)\d\d)[^，,。]{2,50}?(?:会|会议)上?的?(?:讲话|发言|致辞)")


def date_from_title(doc: Document) -> bool:
    """When neither the dateline nor the opening lines date the text, the one year its
    title states (2018年…政府工作报告) is the year of the document."""
    # a template site's recommended title is its own paraphrase, not the speech's
    title = str(doc.value("title") or "")
    if doc.value("title_from") != "file name" and "template_site" not in doc.meta and not _LABEL_YEAR.match(title):
        years = set(_TITLE_YEAR.findall(title))
        if len(years) == 1 and _valid(int(next(iter(years))), 1, 1):
            y = next(iter(years))
            _set_date(doc, y, "year", f"标题：{doc.value('title')}")
            return True
    return False


def date_from_name_or_review(doc: Document, text: str) -> bool:
    """Last resorts for the year: the one year of a file name that is the title or that
    writes it as a year ('…2017年…'), then a work report's review section (一、2016年工作
    回顾 → a 2017 report). A bare '2017.txt' is not evidence enough."""
    name = doc.source_path.rsplit("/", 1)[-1]
    years = set(re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", name))
    if len(years) == 1 and doc.value("title_from") == "file name" or (len(years) == 1 and re.search(r"(?:19|20)\d\d年", name)):
        y = next(iter(years))
        if _valid(int(y), 1, 1):
            _set_date(doc, y, "year", f"文件名：{name}")
            return True
    # a work report to a people's congress is delivered early in the year after the one
    # it reviews; a year-end speech that reviews its own year is not
    opening = str(doc.value("title") or "") + "\n" + text[:800]
    if not _WORK_REPORT.search(opening) or re.search(r"(?:决议|决定|公报)$", str(doc.value("title") or "")):
        return False
    for line in text.split("\n")[:400]:
        line = line.strip()
        m = _REVIEW.match(line) or (len(line) <= 30 and _REVIEW_BARE.match(line))
        if m and _valid(int(m.group(1)) + 1, 1, 1):
            y = int(m.group(1)) + 1
            _set_date(doc, str(y), "year", f"“{line[:30]}”回顾 {m.group(1)} 年，报告作于 {y} 年")
            return True
    return False


# A day named relative to the publication date, at the start of a sentence, with the day
# of the month often repeated in brackets: 昨日(14日)上午 / 今天（11月15日）/ 前天.
_RELATIVE_DAYS = {"今日": 0, "今天": 0, "昨日": 1, "昨天": 1, "前日": 2, "前天": 2}
_RELATIVE_DAY = re.compile(
    r"(?:^|[。！？\n])\s*(?:本报讯[^。]{0,20}?)?(今日|今天|昨日|昨天|前日|前天)\s*"
    r"(?:[（(]\s*(?:\d{1,2}月)?(\d{1,2})日\s*[）)])?(?:上午|下午|晚上|晚|早上)?[，,]?")


def infer_date(doc: Document, published: str | None) -> None:
    """The date of the speech or meeting as the text states it.

    A full date in the opening lines (a speech's '(2021年2月23日)' line) wins. A
    month-day in a dateline or the first sentence ('8月1日，市委召开…') takes its year
    from the publication date only when that is known and the month-day is not after
    it; otherwise the year stays unknown and only `date_text` is recorded. A year and
    month alone ('2021年12月') give a date of month precision.
    """
    head = "\n".join(doc.search_text.split("\n")[:6])[:600]
    m = next((x for x in _FULL_DATE.finditer(head) if not is_reference(head, x.start(), x.end())), None)
    if m and _valid(int(m.group(1)), int(m.group(2)), int(m.group(3))):
        y, mo, d = (int(x) for x in m.groups())
        doc.meta["date"] = Field(f"{y:04d}-{mo:02d}-{d:02d}", "inferred", sentence_at(head, m.start()))
        doc.meta["date_precision"] = Field("day", "inferred", None)
        doc.meta["date_text"] = Field(m.group(0), "inferred", sentence_at(head, m.start()))
        return
    m = next((x for x in _MONTH_DAY.finditer(head) if not is_reference(head, x.start(), x.end())), None)
    if m:
        mo, d = int(m.group(1)), int(m.group(2))
        ev = sentence_at(head, m.start())
        doc.meta["date_text"] = Field(m.group(0), "inferred", ev)
        if published:
            py, pm, pd = (int(x) for x in published.split("-"))
            year = py if (mo, d) <= (pm, pd) else py - 1
            if _valid(year, mo, d) and (
                    "published" in doc.meta and doc.meta["published"].status == "given"
                    or (datetime.date(py, pm, pd) - datetime.date(year, mo, d)).days <= dates.REPOST_DAYS):
                doc.meta["date"] = Field(f"{year:04d}-{mo:02d}-{d:02d}", "inferred", ev)
                doc.meta["date_precision"] = Field("day", "inferred", None)
                return
        doc.meta["date"] = Field(None, "inferred", ev)
        doc.meta["date_precision"] = Field(None, "inferred", None)
        return
    m = _RELATIVE_DAY.search(head)
    if m and published:
        # a news item dated by its publication: '昨日(14日)上午，市政协召开…' is the day before
        # it; a stated day that does not agree with that leaves the date unknown
        pub = datetime.date.fromisoformat(published)
        day = pub - datetime.timedelta(days=_RELATIVE_DAYS[m.group(1)])
        if m.group(2) is None or int(m.group(2)) == day.day:
            ev = sentence_at(head, m.start(1))
            doc.meta["date"] = Field(day.isoformat(), "inferred", f"{ev}（发布日期 {published}）")
            doc.meta["date_precision"] = Field("day", "inferred", None)
            doc.meta["date_text"] = Field(m.group(0), "inferred", ev)
            return
    m = next((x for x in _YEAR_MONTH.finditer(head) if not is_reference(head, x.start(), x.end())), None)
    if m and 1 <= int(m.group(2)) <= 12 and _valid(int(m.group(1)), int(m.group(2)), 1):
        ev = sentence_at(head, m.start())
        doc.meta["date"] = Field(f"{int(m.group(1)):04d}-{int(m.group(2)):02d}", "inferred", ev)
        doc.meta["date_precision"] = Field("month", "inferred", None)
        doc.meta["date_text"] = Field(m.group(0), "inferred", ev)


# ---------------------------------------------------------------- people

# A role is an organ (市委, 市人大常委会, 自治区党委 …) plus a post; a name is 2–3 Han
# characters directly after it, followed by what the person did at the meeting.
_ORGAN = r"(?:自治区|省|市|州|盟|区|县|旗|镇|乡)?(?:委|政府|人大常委会|人大|政协|纪委|监委|党委|党组|委员会)?"
_POST = r"(?:党组)?(?:常务)?副?(?:书记|市长|区长|县长|州长|省长|主席|主任|秘书长|常委|部长|局长|旗长|镇长|乡长|盟长)"
ROLE = rf"(?:{_ORGAN}{_POST}(?:、|，)?)+"
_ACT = r"(?:出席|到会|莅临|主持|在|讲话|指出|强调|要求|作|代表|传达|发表|通报|宣读|就|分别|参加|等)"
_ROLE_NAME = re.compile(rf"(?<!总)({ROLE})([\u4e00-\u9fff]{{2,3}}?)(?={_ACT}|[、，])")


def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    words = [w for line in data_lines("surnames.txt") for w in line.split()]
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) > 1)


_SURNAMES = _surnames()


def is_name(s: str) -> bool:
    single, double = _SURNAMES
    return 2 <= len(s) <= 4 and (s[0] in single or s[:2] in double)
# the speaker of a news report or speech is named near its start
_SPEAKER_SCAN = 8000
_LEADERS = re.compile(r"(?:市|区|县|省|州)领导((?:[\u4e00-\u9fff]{2,3}、)+[\u4e00-\u9fff]{2,3})等(?:出席|参加)")
_REPORTER = re.compile(r"记者\s*([\u4e00-\u9fff]{2,3}(?:[、\s]+[\u4e00-\u9fff]{2,3})*)")


def _clean_role(role: str) -> str:
    return role.strip("、，")


_PARTS = [("主持", "主持"), ("讲话", "讲话"), ("发言", "讲话"), ("传达", "传达"), ("出席", "出席"), ("参加", "出席")]


def meeting_part(text: str, pos: int) -> str | None:
    """What a named official did, read up to the end of the sentence: 主持 (presided),
    讲话 (spoke), 传达 (relayed a document) or 出席 (attended); a list '甲、乙、丙出席会议'
    gives every name the same part."""
    end = min([i for i in (text.find(c, pos) for c in "。；\n") if i >= 0] or [len(text)])
    clause = text[pos:end]
    # by weight, not position: '出席会议并讲话' means the person spoke
    return next((v for k, v in _PARTS if k in clause), None)


_ON_BEHALF = re.compile(r"受([\u4e00-\u9fff]{2,24}?)(?:的)?委托")
_TITLE_SPEAKER = re.compile(r"^(?:[^在]{0,20}?(?:长|主席|总理|书记|主任))?([\u4e00-\u9fff]{2,4}?)(?:同志)?在[^，。]{2,50}?(?:会议|大会)上作[^，。]{0,8}报告")


def speaker_from_head(doc: Document, text: str) -> bool:
    """The speaker line under a dateline ('某市市长 王 明', '某区人民政府区长　　李建国',
    or a bare name), else '…在…会议上作政府工作报告' in the title or file name. A report
    delivered '受…委托' (on behalf of an organ) by someone the head does not name has
    no known speaker: nothing is guessed from the text."""
    line = doc.value("speaker_line")
    if line:
        m = SPEAKER_LINE.match(str(line))
        name = collapse_spaced(m.group("name")) if m else collapse_spaced(str(line))
        role = m.group("role") if m else None
        # after a post the line's structure vouches for the name (minority names such
        # as 扎西多吉 have no Han surname); a bare line needs a known surname
        if is_name(name) or (m and re.fullmatch(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]+[·•][\u4e00-\u9fff·•]+", name)):
            doc.meta["speakers"] = Field([{"name": name, "role": role}], "inferred",
                                         " / ".join(str(x) for x in (doc.value("dateline"), line) if x))
            return True
    for source in (str(doc.value("title") or ""), doc.source_path.rsplit("/", 1)[-1]):
        m = _TITLE_SPEAKER.search(source)
        if m and is_name(m.group(1)):
            doc.meta["speakers"] = Field([{"name": m.group(1), "role": None}], "inferred", source)
            return True
    m = _ON_BEHALF.search(text[:400])
    if m:
        doc.meta["speaker_note"] = Field("受托作报告，报告人未署名", "inferred", sentence_at(text, m.start()))
        return True
    return False


def infer_people(doc: Document, text: str) -> None:
    """Speaker = whoever the text says delivered the speech ('…出席会议并讲话'); in a
    speech manuscript, the name line under the title. Everyone else named with a role
    is an official of the meeting."""
    pairs: list[tuple[str, str, str | None]] = []  # (name, role, part in the meeting)
    named = [m for m in _ROLE_NAME.finditer(text) if is_name(m.group(2))]  # one scan of the text
    for m in named:
        pairs.append((m.group(2), _clean_role(m.group(1)), meeting_part(text, m.end())))
    # who speaks (not who presides or attends): generator/annotate/speaker.py
    title = str(doc.value("title") or "")
    acts = speaker.speech_acts((title + "\n" + text)[:_SPEAKER_SCAN])
    roles = {name: role for name, role, _ in reversed(pairs)}  # the full post chain where the text has one
    speakers: list[dict[str, str | None]] = [{"name": a.name, "role": roles.get(a.name, a.role)} for a in acts]
    evidence = acts[0].evidence if acts else None
    if not speakers and (found := speaker.byline(text.split("\n"))):
        speakers, evidence = [found[0]], found[1]
    if "speakers" in doc.meta or "speaker_note" in doc.meta:
        # the head already named the speaker (or said the report was delivered on an
        # organ's behalf): the text's own pattern does not override it
        speakers = list(doc.value("speakers") or [])
    elif speakers:
        doc.meta["speakers"] = Field(speakers, "inferred", evidence)
    names = {s["name"] for s in speakers}
    officials: list[dict[str, str | None]] = []
    for name, role, part in pairs:
        if name not in names:
            names.add(name)
            officials.append({"name": name, "role": role, "part": part})
    for m in _LEADERS.finditer(text):
        for name in m.group(1).split("、"):
            if name not in names and is_name(name):
                names.add(name)
                officials.append({"name": name, "role": "市领导" if "市" in m.group(0)[:2] else "领导",
                                  "part": "出席"})
    if officials:
        doc.meta["officials"] = Field(officials, "inferred", "会议报道中的职务与姓名")
    reporters: list[str] = []
    for p in (doc.simplified or doc.paragraphs)[:3]:
        m = _REPORTER.search(p)
        if m and len(p) < 200:
            for n in re.split(r"[、\s]+", m.group(1)):
                if n and n not in reporters:
                    reporters.append(n)
            if reporters:
                doc.meta["reporters"] = Field(reporters, "inferred", p[:60])
                break


# ---------------------------------------------------------------- meeting

_MEETING = re.compile(
    r"((?:\d{4}年)?(?:全[市区县省州盟旗]|[市区县省]委|[市区县省]政府)[^，。；！？：\s“”]{0,36}?"
    r"(?:会议|大会|务虚会|座谈会|推进会|谈话会|动员会|部署会|联席会|调度会|观摩会|研讨会|报告会))"
)
MEETING_TYPES: list[tuple[str, str]] = [
    ("集体谈话", "集体谈话会"),
    ("务虚", "务虚会"),
    ("年中", "年中工作会议"),
    ("县域经济", "县域经济/城乡发展会议"),
    ("城乡", "县域经济/城乡发展会议"),
    ("高质量发展", "高质量发展会议"),
    ("经济工作", "经济工作会议"),
]
MEETING_TYPE_VOCAB = sorted({t for _, t in MEETING_TYPES} | {"其他"} | set(sessions.TYPES))
GENRES = ["工作报告", "讲话稿", "会议报道", "范文", "公报决议"]
# A work report says what it is: in its title, or in its opening words to the assembly.
_WORK_REPORT = re.compile(r"工作报告|向(?:本次)?大会(?:作|做)?(?:政府)?(?:工作)?报告(?:政府)?工作|向大会作(?:政府)?工作报告")


def _first_person_report(opening: str) -> re.Match[str] | None:
    """A report phrase in the opening makes the text a work report only when the
    speaker says it of themself (现在，我代表…向大会报告); a news item that says a mayor
    'delivered the work report' is a report about the meeting, not the report."""
    for m in _WORK_REPORT.finditer(opening):
        start = max(opening.rfind(c, 0, m.start()) for c in "。！？\n") + 1
        if re.search(r"我(?:代表|受|向)|现在[，,]\s*我", opening[start : m.start()]):
            return m
    return None


def meeting_type(name: str) -> str:
    for key, t in MEETING_TYPES:
        if key in name:
            return t
    return "其他"


def infer_meeting(doc: Document, text: str) -> None:
    """The meeting's own name: from the title ('在…会议上的讲话') first, then the first
    '召开…会议' or '…会议召开' in the text. A leading year is kept in the name only
    when the text gives it."""
    title = str(doc.value("title") or "")
    cands: list[tuple[str, str]] = []
    title_cands: list[tuple[str, str]] = []
    m = re.search(r"在(.{2,40}?(?:会议|大会|会))上的(?:讲话|发言|报告|致辞)", title)
    if m:
        title_cands.append((m.group(1), title))
    m = re.search(r"^((?:\d{4})?年?全[市区县省].{1,30}?(?:会议|大会))(?:讲话|发言)", title)
    if m:
        title_cands.append((m.group(1), title))
    for m in _MEETING.finditer(text[:3000]):
        name = m.group(1)
        before = text[max(0, m.start() - 4) : m.start()]
        after = text[m.end() : m.end() + 3]
        if "召开" in before or after.startswith("召开") or "召开" in name:
            name = re.sub(r"^.*召开", "", name)
            cands.append((name, sentence_at(text, m.start())))
    # the speech's own words ('今天我们召开…会议', or the opening sentence of a report)
    # outrank a title, which may be a template site's paraphrase; other meetings the
    # text mentions in passing ('X月X日，省委召开了…') come last
    own = [c for c in cands if re.search(r"今天|今日|这次|本次|此次", c[1])
           or (0 <= text.find(c[1]) < 120 and "召开了" not in c[1])]
    rest = [c for c in cands if c not in own]
    for name, ev in own + title_cands + rest:
        name = re.sub(r"^[^全市区县省\d]*", "", name)
        if len(name) >= 4:
            if re.match(r"\d{4}年?", name):
                doc.meta["meeting_year"] = Field(int(name[:4]), "inferred", ev)
            clean_name = re.sub(r"^\d{4}年?", "", name)
            doc.meta["meeting"] = Field(clean_name, "inferred", ev)
            doc.meta["meeting_type"] = Field(meeting_type(clean_name), "inferred", ev)
            return
    m = re.search(r"([市区县省]委)召开([^，。]{2,12}?会)", text[:600])
    if m:
        name = m.group(1) + m.group(2)
        doc.meta["meeting"] = Field(name, "inferred", sentence_at(text, m.start()))
        doc.meta["meeting_type"] = Field(meeting_type(name), "inferred", sentence_at(text, m.start()))


# ---------------------------------------------------------------- place, genre, source


# The organs of the central state: a document they deliver belongs to the whole country.
_NATIONAL = re.compile(
    r"国务院|全国人民代表大会|全国人大|中国共产党(?:第[一二三四五六七八九十]{1,3}次)?全国代表大会|党的全国代表大会"
    r"|中央委员会|[（(][一二三四五六七八九十]{1,3}大[)）]"
)
# A title speaks for an organ only when it names the document the organ delivers
# (国务院政府工作报告, 某区人民政府工作报告, 在…人民代表大会上…); a news headline that
# mentions 国务院 or another place does not.
_ORGAN_TITLE = re.compile(r"工作报告|人民代表大会|全国代表大会|[（(][一二三四五六七八九十]{1,3}大[)）]|代表大会上的")
_SELF_ORGAN = re.compile(r"我(?:代表|受)([^，。；]{0,30}?(?:人民政府|政府|国务院|委员会|常务委员会|党委|人大常委会))")


def organ_text(doc: Document, text: str, with_title: bool = True) -> str:
    """Where the text names the organ that speaks: the dateline's meeting, the speaker's
    post, '我代表…人民政府' near the start, and the title."""
    parts = [str(doc.value("dateline") or "")]
    m = _SELF_ORGAN.search(text[:1500])
    if m:
        parts.append(m.group(0))
    for s in (doc.value("speakers") or []) if doc.value("speaker_line") else []:
        # the post only: a name may look like a place (e.g. a surname + 川); only the
        # head's speaker line speaks for the document (a report's visitor does not)
        parts.append(str(s.get("role") or ""))
    title = str(doc.value("title") or "")
    if with_title and _ORGAN_TITLE.search(title):
        parts.append(title)
    return "\n".join(p for p in parts if p)


def infer_scope(doc: Document, text: str) -> bool:
    """National documents (国务院, 全国人民代表大会, 中国共产党全国代表大会 …) have the
    whole country as scope and no province, whatever places they mention."""
    organ = organ_text(doc, text)
    m = _NATIONAL.search(organ)
    if not m:
        return False
    if gazetteer.mentions(organ_text(doc, text, with_title=False)):
        # '在某省…人民代表大会上', '我代表某市人民政府': a local body that names the centre
        return False
    ev = next(line for line in organ.split("\n") if _NATIONAL.search(line))
    doc.meta["place"] = Field({"province": None, "city": None, "county": None, "code": None, "scope": "全国"},
                              "inferred", ev)
    doc.meta["level"] = Field("全国", "inferred", ev)
    return True


def place_from_organ(doc: Document, text: str) -> bool:
    """The organ that speaks decides the place (我代表某区人民政府, 在某市第十届
    人民代表大会…, 上海市市长); other places the text mentions never outweigh it."""
    organ = organ_text(doc, text)
    if not organ:
        return False
    # a name several divisions share (朝阳区) is read with the whole text, whose other
    # mentions tell which one; only the organ's own mentions decide the place
    both = organ + "\n" + text[:20000]
    found = [m for m in places.in_context(both, gazetteer.mentions(both)) if m[1] < len(organ)]
    div = gazetteer.resolve_mentions(found)
    if div is None:
        return False
    names = (div.name, *gazetteer.short_forms(div.name), *gazetteer.renamed())
    ev = next((line for line in organ.split("\n") if any(n in line for n in names)), organ.replace("\n", " / "))
    note = gazetteer.renamed_note(ev)
    ev = f"{ev}（{note}）" if note else ev
    place = {"province": div.province, "city": div.city, "county": div.county, "code": div.code}
    doc.meta["place"] = Field(place, "inferred", ev)
    doc.meta["level"] = Field(div.level, "inferred", ev)
    return True


def infer_place(doc: Document, text: str) -> None:
    if infer_scope(doc, text) or place_from_organ(doc, text):
        return
    found = places.in_context(text, gazetteer.mentions(text))
    div = gazetteer.resolve_mentions(found)
    if div is None:
        return
    meeting = str(doc.value("meeting") or "") + str(doc.value("title") or "")
    citywide = re.search(r"全市|市委|市政府", meeting)
    if div.level == "县区" and div.city and citywide:
        # a city-wide meeting that mentions its counties is the city's, not a county's
        parents = [d for d in gazetteer.lookup(div.city) if d.province == div.province and d.level == "市"]
        if parents:
            div = parents[0]
    prefix = {"省": 2, "市": 4}.get(div.level, 6)
    ev = None
    for d, start, _end in found:
        if d.code[:prefix] == div.code[:prefix]:
            ev = sentence_at(text, start)
            break
    place = {"province": div.province, "city": div.city, "county": div.county, "code": div.code}
    doc.meta["place"] = Field(place, "inferred", ev)
    # A province reached only as the common ground of several of its cities (武汉 and 黄石)
    # says where the text is, not that it is a provincial document: level stays unknown.
    if div.level == "省" and any(d.code[:2] == div.code[:2] and d.level != "省" for d, _s, _e in found):
        return
    doc.meta["level"] = Field(div.level, "inferred", ev)


def infer_genre(doc: Document, text: str) -> None:
    """The genre by how the text is built (`annotate.genre`): a communique or
    resolution, a work report, a template, a reporter's account of a meeting, or a
    speech in the first person; unknown when none of them shows."""
    from generator.annotate import genre

    ev = genre.communique(doc)
    if ev:
        doc.meta["genre"] = Field(genre.COMMUNIQUE, "inferred", ev)
        return
    opening = "\n".join((doc.simplified or doc.paragraphs)[:8])[:800]
    title = str(doc.value("title") or "")
    # a headline about a report ('代表分团审议政府工作报告', '召开《政府工作报告》征求意见会') is news
    report = (_WORK_REPORT.search(title) and not genre.NEWS_TITLE.search(title)) or _first_person_report(opening)
    if report and "template_site" not in doc.meta:
        ev = str(doc.value("title")) if _WORK_REPORT.search(str(doc.value("title") or "")) \
            else sentence_at(opening, report.start())
        doc.meta["genre"] = Field("工作报告", "inferred", ev)
        return
    for name, rule in (("范文", genre.template), ("会议报道", genre.news_report), ("讲话稿", genre.speech)):
        ev = rule(doc)
        if ev:
            doc.meta["genre"] = Field(name, "inferred", ev)
            return


def infer_source(doc: Document, sites: dict[str, str]) -> None:
    name = doc.value("source_name")
    url = doc.value("source_url")
    ev = doc.meta["source_name"].evidence if "source_name" in doc.meta else None
    if not name and doc.value("watermark_site"):
        domain = str(doc.value("watermark_site")).lower()
        bare = domain.removeprefix("www.")
        name = sites.get(bare) or sites.get(domain) or domain
        ev = doc.meta["watermark_site"].evidence
        url = url or f"http://{domain}"
    if not name and doc.value("template_site"):
        name = doc.value("template_site")
        ev = doc.meta["template_site"].evidence
    if not name:
        lead = " ".join((doc.simplified or doc.paragraphs)[:2])[:80]
        m = re.search(r"(本报|晚报|日报|早报|都市报)讯", lead)
        place = doc.value("place")
        if m and m.group(1) != "本报" and place and place.get("city"):
            city = re.sub(r"(市|地区|盟|自治州)$", "", place["city"])
            name = city + m.group(1)
            ev = f"电头“{m.group(0)}”与报道所在城市（{place['city']}）"
    if name or url:
        doc.meta["source"] = Field({"name": name, "url": url}, "inferred", ev)


def load_sites() -> dict[str, str]:
    """Known web sites by domain → the name readers know them by (data/sites.yml)."""
    from importlib import resources

    import yaml

    data = yaml.safe_load((resources.files("generator") / "data" / "sites.yml").read_text(encoding="utf-8"))
    return {str(k).lower(): str(v) for k, v in (data or {}).items()}


# ---------------------------------------------------------------- driver


def guarded(doc: Document, field: str, step: Callable[..., object], *args: object) -> bool:
    """Run one inference step; if it raises, undo what it wrote, leave `field` unknown
    and say so on the page and in the report. One odd sentence must not cost the
    archive a whole document (and a bug in one rule must not hide the others' results).
    Returns whether the step ran to the end."""
    before = dict(doc.meta)
    try:
        step(*args)
        return True
    except Exception as exc:  # any failure of one rule is reported, never fatal
        doc.meta.clear()
        doc.meta.update(before)
        doc.meta.setdefault(field, Field(None, "inferred", None))
        doc.warnings.append(f"{doc.source_path}: {field} left unknown: inferring it failed "
                            f"({type(exc).__name__}: {exc})")
        return False


def infer_dates(doc: Document, text: str, published: str | None) -> None:
    """The date rules in order of trust: the head's dateline, then the text's own date,
    then a year in the title, the file name or the review section."""
    if not date_from_head(doc):
        infer_date(doc, published)
        # a relative or month-day date read against the page's own stamp (annotate/dates.py)
        head = "\n".join(doc.search_text.split("\n")[:6])[:600]
        if published and "published" in doc.meta and str(doc.meta["published"].evidence) in str(doc.value("date_text") and doc.meta["date_text"].evidence):
            for key in ("date", "date_precision", "date_text"):
                doc.meta.pop(key, None)  # the 'date' read was the page's own stamp line
        given = "published" in doc.meta and doc.meta["published"].status == "given"
        # a date the front matter gives is the source's own fact: the page-stamp rules (which
        # read 近日 as 'some day of the stamp's year') must not weaken it to a year
        if published and not given and "年" not in str(doc.value("date_text") or ""):
            stamp_line = str(doc.meta["published"].evidence or published) if "published" in doc.meta else published
            dates.date_from_stamp(doc, head, published, stamp_line)
        if "date" not in doc.meta or (doc.value("date") is None and not published):
            dates.year_from_lead(doc, head, doc.search_text)
    if not doc.value("date") and not date_from_title(doc) and not date_from_name_or_review(doc, text):
        # 刚刚过去的2019年, or a meeting at the turn of two years (annotate/dates.py), then
        # the year the body states or implies (annotate/body_year.py)
        # (a page's own publication stamp, when there is one, dates it instead)
        if not dates.year_from_turn(doc, "\n".join(doc.search_text.split("\n")[:6])[:600], doc.search_text) \
                and not published:
            dates.year_from_text(doc, doc.search_text)
    dates.title_against_body(doc, doc.search_text)


def stamp_only_year(doc: Document) -> None:
    """A page's own stamp, found in its chrome (`发布时间：…`, `来源：… 2019-01-18`), dates a
    news report to the day: news is posted the day it happens. A speech, report or letter
    is posted days or weeks after it was given, so such a stamp gives only its year; so
    does a day the text gives only relative to the stamp (`今天的会议`, `14日`), which is
    the posting's day, not the speech's."""
    f = doc.meta.get("date")
    if not f or f.status != "inferred" or doc.value("genre") == "会议报道":
        return
    if dates.read_against_stamp_day(doc):
        doc.meta["date"] = Field(str(f.value)[:4], "inferred", f.evidence)
        doc.meta["date_precision"] = Field("year", "inferred", None)
        return
    if f.evidence != "publication date":
        return
    stamp = doc.meta.get("published")
    if stamp and _FULL_DATE.fullmatch(re.sub(r"[\s（()）]", "", str(stamp.evidence or ""))):
        return  # a bare date line under the title and speaker is the text's own date line
    doc.meta["date"] = Field(str(f.value)[:4], "inferred", "publication date")
    doc.meta["date_precision"] = Field("year", "inferred", None)


def annotate(doc: Document, raw: RawDoc, sites: dict[str, str] | None = None) -> None:
    """Fill metadata fields for one document from front matter and text."""
    fm = raw.front_matter
    text = doc.search_text
    published: str | None = None
    if "date" in fm:
        day, stamp = parse_given_date(fm["date"])
        if day:
            published = day
            doc.meta["published"] = Field(stamp or day, "given", "front matter")
    elif (post := post_of(raw)) and post.date:
        # Jekyll dates a post by its file name's prefix when front matter does not
        published = post.date
        doc.meta["published"] = Field(post.date, "inferred", f"Jekyll 文章文件名：{post.file_name}")
    elif "published" in doc.meta and doc.meta["published"].value:
        published = str(doc.meta["published"].value)
    elif found := dates.page_stamp(doc):
        published = found[0]
        doc.meta["published"] = Field(found[0], "inferred", found[1])
    if published and ("template_site" in doc.meta or doc.redacted or dates.posted_by_sharing_site(doc)) and "date" not in fm:
        published = None  # a 范文 site's posting time does not date the speech
    guarded(doc, "speakers", speaker_from_head, doc, text)
    guarded(doc, "speakers", infer_people, doc, text)
    guarded(doc, "speakers", speaker.mark_as_written, doc, raw.text)
    guarded(doc, "meeting", infer_meeting, doc, text)
    guarded(doc, "meeting", sessions.meeting_from_session, doc)
    guarded(doc, "date", infer_dates, doc, text, published)
    if doc.value("date") is None and "date_text" in doc.meta and "meeting_year" in doc.meta:
        # '8月1日，市委召开2024年全市年中工作会议': the meeting's name gives the year
        mo, d = month_day(doc) or (0, 0)
        y = int(doc.value("meeting_year"))
        if _valid(y, mo, d):
            doc.meta["date"] = Field(f"{y:04d}-{mo:02d}-{d:02d}", "inferred", doc.meta["meeting_year"].evidence)
            doc.meta["date_precision"] = Field("day", "inferred", None)
    if "date" not in doc.meta and "meeting_year" in doc.meta:
        # the text names the year of the meeting ('2021全区经济工作会议') and nothing finer
        doc.meta["date"] = Field(str(doc.value("meeting_year")), "inferred", doc.meta["meeting_year"].evidence)
        doc.meta["date_precision"] = Field("year", "inferred", None)
    if "date" not in doc.meta and published:
        status = "given" if "date" in fm else "inferred"
        doc.meta["date"] = Field(published, status, "publication date")
        doc.meta["date_precision"] = Field("day", status, None)
    if "date" not in doc.meta:
        doc.meta["date"] = Field(None, "inferred", None)
    # the page's own breadcrumb or source line ('泾县要闻', '来源：台前县政府') names the
    # place as well as the text does; cleaning moved those lines out of the text, so
    # place inference reads them after it
    chrome = "\n".join(r.text for r in doc.removals if r.rule in ("page-chrome", "source-line", "header-line"))
    guarded(doc, "place", infer_place, doc, text + ("\n" + to_simplified(chrome) if chrome else ""))
    guarded(doc, "place", places.refine, doc, text)
    guarded(doc, "genre", infer_genre, doc, text)
    stamp_only_year(doc)
    guarded(doc, "source", publisher.source_name, doc, fm, sites or {})
    guarded(doc, "source", infer_source, doc, sites or {})
    for t in given_tags(fm):  # Jekyll's rules: tags/categories split, tag/category whole
        if t not in doc.given_tags:
            doc.given_tags.append(t)
    if "source_url" not in doc.meta:
        for key in ("source_url", "url", "link", "permalink"):
            if isinstance(fm.get(key), str) and fm[key].startswith(("http://", "https://")):
                doc.meta["source_url"] = Field(fm[key], "given", "front matter")
                break
    doc.meta["script"] = Field(doc.script, "inferred", None)
    doc.meta["chars"] = Field(len(re.sub(r"\s", "", "".join(doc.paragraphs))), "inferred", None)
    # about 300 characters a minute, a common reading speed for Chinese prose
    doc.meta["reading_minutes"] = Field(max(1, round(doc.meta["chars"].value / 300)), "inferred", None)


def annotate_siblings(docs: list[Document]) -> None:
    """Articles printed on one newspaper page share its year: a month-day without a
    year takes the year of a sibling whose date is known and within a week of it."""
    # only day-precision dates can anchor a month-day; '2021-10' or '2021' cannot
    known = [d for d in docs if _DAY.fullmatch(str(d.value("date") or ""))]
    for d in docs:
        if d.value("date") or not d.value("date_text"):
            continue
        md = month_day(d)
        if md is None:
            continue
        mo, day = md
        for k in known:
            y, km, kd = (int(x) for x in str(k.value("date")).split("-"))
            if _valid(y, mo, day) and abs((Date(y, mo, day) - Date(y, km, kd)).days) <= 7:
                ev = f"同一版面的《{k.title}》日期为 {k.value('date')}"
                d.meta["date"] = Field(f"{y:04d}-{mo:02d}-{day:02d}", "inferred", ev)
                d.meta["date_precision"] = Field("day", "inferred", None)
                break
