"""The year a text states or implies in its body, when its head, stamp and title do not.

Web pages (a speech re-posted without its dateline, a 范文 copy, an e-paper fragment, a
chronicle) often carry no dated head at all, yet a careful reader dates them from how such
texts are built. Each rule reads one such structure, never a literal string of one corpus,
and returns the year with the sentence that gives it:

- **an occasion**: a piece headed `写在…之际` dates that occasion in its body
  (`公元2018年8月6日，…取得了阶段性胜利`): it was written in that year;
- **a decision about a coming event**: a meeting dated by month and day that fixes an
  event `于2021年12月` stands a few months before it (`9月28日` → 2021, `12月` deciding
  `2022年1月` → 2021);
- **a founding and its anniversary**: `1985年…设立…县` and `县庆20周年` → 2005, when the
  text states the founding year itself (an anniversary of an event whose year the text does
  not give, `建党102周年`, `第36个教师节`, needs outside knowledge and is never counted);
- **a review at an annual session**: a speech at a people's congress or CPPCC session
  (held early in the year) that reviews `2014年` as done, and names no later year, is given
  the year after;
- **the speaker's own year**: `2015年是…之年` in the present tense (and no `明年` in the
  text, which a speech in the December before would say), or `今年` in the clause next to a
  stated year (`今年花更红。2012年，…`, `2018年、2019年…；今年，…`) when that year is the
  latest the text states;
- **last year named**: `去年…` followed by the sentence that gives its figures
  (`2020年区本级…`) → 2021, when `去年` is the time of the text's own account, not a
  comparison (`比去年`, `去年同期`);
- **a headline run into the body**: `长沙县委县政府2022年新春贺词金牛载誉…` opens with the
  title's year and its kind (贺词, 致辞, 讲话, 工作报告).

Plan-period arithmetic (`十四五开局之年`) and party-congress or festival numbering are
outside knowledge and are not used. When two rules give different years, the year stays
unknown. `title_conflict` compares a title's year with the body's own present year.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from generator.annotate import sentences
from generator.model import Document

# year, evidence (the sentence), the words that give it, and whether the year is that of the
# meeting the lead dates by month and day (so the day is known too)
Found = tuple[int, str, str, bool]

_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)\s*年(?!代)")
# a year named as a goal or a deadline is not a year the text looks back on or stands in
_AHEAD_BEFORE = re.compile(r"(?:到|至|力争|争取|确保|预计|计划|将)\s*$")
_AHEAD_AFTER = re.compile(r"^\s*(?:年?前|年?底前|以前|之前|远景|愿景|目标|规划|末)")
_SENTENCE_END = "。！？!?\n"


def sentence_at(text: str, pos: int) -> str:
    """A sentence here also ends at a half-width ! or ?, which body text carries."""
    return sentences.sentence_at(text, pos, _SENTENCE_END)


def _valid(year: int) -> bool:
    return 1949 <= year <= 2100


def _in_quoted_name(text: str, pos: int) -> bool:
    """Inside 《…》 (the name of a document, a work or a programme)."""
    opened = text.rfind("《", max(0, pos - 60), pos)
    return opened >= 0 and text.rfind("》", opened, pos) < 0 and text.find("》", pos, pos + 60) >= 0


def past_years(text: str) -> list[int]:
    """Years the text names as having happened or happening (not goals or deadlines: `到2025年`,
    `2035年远景目标`), in order of appearance."""
    out = []
    for m in _YEAR.finditer(text):
        if _in_quoted_name(text, m.start()):
            continue  # 《2015年…讲话》: the name of a text, not a year it speaks of
        before = text[max(0, m.start() - 4) : m.start()]
        if _AHEAD_BEFORE.search(before) or _AHEAD_AFTER.match(text[m.end() : m.end() + 4]):
            continue
        out.append(int(m.group(1)))
    return out


# ---------------------------------------------------------------- an occasion

_OCCASION = re.compile(r"(?:写在|写于|值此|在)([\u4e00-\u9fff“”、]{4,30}?)之际")
_FULL_DATE = re.compile(r"(?:公元)?((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _shared(a: str, b: str, n: int) -> str | None:
    """A run of at least n characters both strings contain."""
    for i in range(len(a) - n + 1):
        if a[i : i + n] in b:
            return a[i : i + n]
    return None


def occasion(doc: Document, text: str) -> Found | None:
    """A piece headed `写在…之际` is written in the year its body dates that occasion."""
    m = _OCCASION.search(str(doc.value("title") or ""))
    if not m:
        return None
    for d in _FULL_DATE.finditer(text[:3000]):
        s = sentence_at(text, d.start())
        common = _shared(m.group(1), s[s.find(d.group(0)) + len(d.group(0)) :], 5)
        if common and _valid(int(d.group(1))):
            return int(d.group(1)), f"{s}（标题“{m.group(0)}”，正文为此事记下的日期）", d.group(0), False
    return None


# ---------------------------------------------------------------- a decision about a coming event

_MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_DECIDED = re.compile(r"(?:决定|确定|定于|商定|议定)[^。；\n]{0,60}?(?:于|自|从)\s*((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月")


def decided_event(doc: Document, text: str) -> Found | None:
    """A meeting on month M that fixes an event in `YYYY年M2月` a few months ahead is held
    in YYYY when M2 follows M, in the year before when the event falls after the turn."""
    md = _MONTH_DAY.fullmatch(str(doc.value("date_text") or ""))
    if not md:
        return None
    month = int(md.group(1))
    for m in _DECIDED.finditer(text[:3000]):
        y, ahead = int(m.group(1)), int(m.group(2))
        if not 1 <= ahead <= 12 or (ahead - month) % 12 > 6:
            continue  # more than half a year ahead: too far to say which year the meeting is in
        year = y if ahead >= month else y - 1
        if _valid(year):
            return year, f"{sentence_at(text, m.start())}（会议在{month}月，议定的事在{y}年{ahead}月）", m.group(0), True
    return None


# ---------------------------------------------------------------- a founding and its anniversary

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}


def _number(s: str) -> int | None:
    """'20', '二十', '六十五' → the number (up to 99)."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_DIGITS.get(tens, 0) if tens else 1
        return t * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(s) if len(s) == 1 else None


_FOUNDED = re.compile(r"(?<![\d])((?:19|20)\d\d)\s*年[^。；\n]{0,30}?(?:设立|成立|建立|组建|创建|创办|建县|建市|建区|建州|撤县设|撤县建)")
# the anniversary of a county, city, district, prefecture, school, works or hospital
# (县庆, 建市, 建校 …), whose founding the text must state for the same kind of unit: a
# bare 成立N周年 is as often another body's (中国共产党成立100周年) as the text's own
_ANNIVERSARY = re.compile(r"(?:([县市区州校厂院])庆|[建设]([县市区州校院]))"
                          r"\s*([\d]{1,2}|[一二三四五六七八九十]{1,3})\s*周年")


def anniversary(doc: Document, text: str) -> Found | None:
    """`1985年…设立…自治县` and `县庆20周年` in the same text: the anniversary is in 2005.
    Only when the text states one founding year; an anniversary whose start the text does
    not give is outside knowledge."""
    head = text[:4000]
    anns = [(m, m.group(1) or m.group(2), _number(m.group(3))) for m in _ANNIVERSARY.finditer(head)]
    if len({(unit, n) for _, unit, n in anns}) != 1 or not anns[0][2]:
        return None
    m, unit, n = anns[0]
    # the founding names the same kind of unit (设立…自治县, 撤县设市, 建校)
    founded = [f for f in _FOUNDED.finditer(head) if unit in re.split(r"[。；，,\n]", head[f.start() + 5 : f.end() + 12])[0]]
    if len({f.group(1) for f in founded}) != 1:
        return None
    year = int(founded[0].group(1)) + int(n or 0)
    if not _valid(year) or any(y > year for y in past_years(head)):
        return None
    said = re.split(r"[。；，,\n]", head[founded[0].start() :])[0]
    return year, f"{sentence_at(head, m.start())}（{said}，{m.group(0)}：{year} 年）", m.group(0), False


# ---------------------------------------------------------------- a review at an annual session

_SESSION = re.compile(r"(?:人民代表大会|人大|政协|政治协商会议)[^。，\n]{0,14}?[第届][一二三四五六七八九十\d]+次(?:全体)?会议"
                      r"|[一二三四五六七八九十\d]+届(?:人大|政协)第?[一二三四五六七八九十\d]+次(?:全体)?会议"
                      r"|[一二三四五六七八九十\d]+届[一二三四五六七八九十\d]+次(?:人代会|政协会议)")
_DONE = re.compile(r"完成|实现|取得|突破|增长|提升|达到|位居|荣获")
_REVIEW_OPEN = re.compile(r"(?:^|[。！？\n])\s*(?:[^。，,\n]{0,12}?[，,])?\s*((?:19|20)\d\d)\s*年\s*[，,]")


def _looking_back(text: str) -> tuple[str, int] | None:
    """The text's head and the latest year it states as past, for the rules that read a
    review of that year as given the year after. None when the head speaks of `明年` or
    says `今年是`: such a text names the coming or present year by number, so its latest
    stated year is not necessarily the one just ended."""
    head = text[:4000]
    years = past_years(head)
    if not years or re.search(r"明年|今年是", head):
        return None
    return head, max(years)


def session_review(doc: Document, text: str) -> Found | None:
    """A speech at an annual people's congress or CPPCC session (held early in the year) that
    opens a sentence with `2014年，…` and says it was done, naming no later year, is
    given the year after: it looks back on the year just ended."""
    opening = str(doc.value("title") or "") + "\n" + text[:600]
    s = _SESSION.search(opening)
    if not s or "常委会" in opening[max(0, s.start() - 8) : s.end()]:
        return None
    looked_back = _looking_back(text)
    if not looked_back:
        return None
    head, last = looked_back
    for m in _REVIEW_OPEN.finditer(head):
        sentence = sentence_at(head, m.start(1))
        if int(m.group(1)) == last and _DONE.search(sentence) and not re.search(r"上半年|前三季度|\d+\s*[-—至~]\s*\d+\s*月", sentence):
            year = last + 1
            return year, f"{sentence}（{s.group(0)}上回顾 {last} 年：会议在 {year} 年）", m.group(0).strip("。！？\n "), False
    return None


# ---------------------------------------------------------------- the speaker's own year

_PRESENT = re.compile(r"(?:^|[。！？\n；;，,])\s*((?:19|20)\d\d)\s*年(?:[，,]?\s*)是[^。；\n]{2,40}?之年")
_PLAN = re.compile(r"将要|将会|将(?!军)|力争|预期|预计|目标|计划|争取|确保|努力|希望|要(?:把|在|以|坚持|加快|抓好|做好|实现|进一步|继续|全力|大力)")


def present_year(doc: Document, text: str) -> Found | None:
    """`2015年是…开局之年` in the present tense; not in a text that says `明年` (a meeting in
    the December before speaks of the coming year that way) or names a later year.
    `2022年是极不平凡的一年` is not read: it is how a year is looked back on from the next."""
    head = text[:4000]
    if re.search(r"明年|下一年|来年|今年是", head):
        return None  # a text that says 今年是 names other years by number
    found = [m for m in _PRESENT.finditer(head)]
    if not found:
        return None
    year = max(int(m.group(1)) for m in found)
    if any(y > year for y in past_years(head)) or not _valid(year):
        return None
    if re.search(str(year) + r"\s*年[^。，,；\n]{0,4}?(?:工作)?(?:计划|打算|思路|要点|安排)", head):
        return None  # '二、2015年工作计划': a summary of one year planning the next, written at the turn
    m = next(m for m in found if int(m.group(1)) == year)
    return year, sentence_at(head, m.start(1)), f"{year}年是", False


_THIS_YEAR = re.compile(r"今年(?!以来|年初|上半年|前|1|一季度|\d)")
_CLAUSE = re.compile(r"[。！？；;\n]")


def this_year_beside(doc: Document, text: str) -> Found | None:
    """`今年` in the clause next to a stated year that is the latest the text states:
    `年年花似锦，今年花更红。2012年，我县…` or `2018年、2019年，…；今年，…`. The two
    clauses must both tell of things done (a plan for `今年` beside last year's figures,
    `2015年增长8%；今年预期7%`, is the year before's review)."""
    head = text[:4000]
    years = past_years(head)
    if not years or re.search(r"去年|明年|今年是", head):
        return None  # '今年是…，2020年是…': a year named by number beside 今年 is another one
    last = max(years)
    bounds = [0] + [m.end() for m in _CLAUSE.finditer(head)] + [len(head) + 1]
    clauses = [head[a : b - 1] for a, b in zip(bounds, bounds[1:], strict=False)]
    for i, c in enumerate(clauses):
        t = _THIS_YEAR.search(c)
        if not t or _PLAN.search(c):
            continue
        for j in (i - 1, i, i + 1):
            if not 0 <= j < len(clauses):
                continue
            near = [int(y) for y in _YEAR.findall(clauses[j])]
            if near and max(near) == last and not _PLAN.search(clauses[j]) and last in past_years(clauses[j]):
                ev = head[bounds[min(i, j)] : bounds[max(i, j) + 1] - 1].strip()
                return last, f"{ev}（“今年”与 {last} 年相邻）", f"今年…{last}年", False
    return None


# ---------------------------------------------------------------- last year named

_LAST_YEAR = re.compile(r"(?<![比较与和同])去年(?!同期|底|末|同比|以来)")
_TOPIC_YEAR = re.compile(r"(?:^|[。！？\n])\s*((?:19|20)\d\d)\s*年(?!上半年|下半年|前|\s*\d+\s*[-—至~]|\d*月|第?[一二三四]季度|度)")


def last_year_named(doc: Document, text: str) -> Found | None:
    """`去年…` then, within the next sentences, one opening with `2020年` (the figures of
    that year): the text is of 2021. The year must be the latest the text states, and
    `去年` the time of the account (not `比去年`, `去年同期`)."""
    looked_back = _looking_back(text)
    if not looked_back:
        return None
    head, last = looked_back
    for m in _LAST_YEAR.finditer(head):
        window = head[m.end() : m.end() + 240]
        between = _YEAR.findall(window)
        t = _TOPIC_YEAR.search(window)
        if t and int(t.group(1)) == last and {int(y) for y in between[:1]} == {last}:
            year = last + 1
            ev = sentence_at(head, m.start()) + sentence_at(window, t.start(1))
            return year, f"{ev}（“去年”即 {last} 年：讲于 {year} 年）", f"去年…{last}年", False
    return None


# ---------------------------------------------------------------- a headline run into the body

_RUN_IN = re.compile(r"^[^。，,！!？?：:\n]{0,30}?((?:19|20)\d\d)\s*年[^。，,！!？?\n]{0,10}?"
                     r"(?:贺词|致辞|致词|献词|贺信|慰问信|讲话|工作报告)")


def run_in_title(doc: Document, text: str) -> Found | None:
    """A page without a headline whose first words are the title run into the body
    (`…2022年新春贺词金牛载誉…`): the title's year, as a headline's year would be."""
    if doc.value("title"):
        return None
    m = _RUN_IN.match(text.lstrip())
    if not m or not _valid(int(m.group(1))):
        return None
    return int(m.group(1)), f"首行标题：{m.group(0)}", m.group(0), False


RULES: tuple[Callable[[Document, str], Found | None], ...] = (
    run_in_title, occasion, decided_event, anniversary, session_review, present_year, this_year_beside, last_year_named)
# the speaker's own "now": what a title's year must agree with
PRESENT_RULES = (present_year, this_year_beside)


def year_from_body(doc: Document, text: str, rules: tuple[Callable[[Document, str], Found | None], ...] = RULES) -> Found | None:
    """The year the rules agree on, with the first rule's evidence; None when no rule
    applies or two of them give different years."""
    found = [f for rule in rules if (f := rule(doc, text))]
    if not found or len({f[0] for f in found}) > 1:
        return None
    return found[0]
