"""Stated targets: the coming year's main targets a work report or an economic-work speech sets.

Chinese government work reports state their targets in one recognizable structure: an
announcing phrase ending in a colon (`今年经济社会发展的主要预期目标是：`, `主要预期目标建议为：`,
`今年国民经济宏观调控的主要目标是：`) followed by a list of clauses, one per indicator
(`地区生产总值增长5.5%左右；城镇调查失业率5.5%以内；…`). Reviews of the past year use the same
indicators and numbers (`地区生产总值增长5.2%`, `完成`, `实现`, `比上年`) but never that structure,
so only clauses inside an announced list (or a sentence that names a growth *target* for the
year itself, `今年经济增长预期目标为7%左右`) are taken. Everything else is left out: a missed
target costs less than a review figure published as a target.

Five-year plans (`"十五五"时期的主要目标`, `年均增长`, `到2030年`) announce targets in the same way
but not for one year; their announcing sentences are rejected.

The year a target is for: `今年` is the document's year, `明年` the year after, `2026年` itself;
with no word for the year in the announcing sentence, a work report's targets are for its own
year (the report is delivered at the start of the year it plans) and any other document's
year is left unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.model import Document

# full-width digits and signs → ASCII, character for character (positions stay the same)
_HALF = str.maketrans("０１２３４５６７８９．％－—–～~〜", "0123456789.%------")

_YEAR_WORD = re.compile(r"(今年|明年|本年|(?<!\d)(?:19|20)\d\d年)")
# an announcing phrase: …目标(任务)(建议)是/为：
_INTRO = re.compile(r"目标(?:任务)?(?:建议)?(?:是|为|定为|如下|包括)?[：:]")
# a plan over several years, not one year's targets
_PLAN = re.compile(r"五年|十[一二三四五六七八九]五|期间|年均|今后|规划|纲要|远景|到(?:19|20)\d\d年|(?:19|20)\d\d年前")
# one sentence naming the year's growth target without a list
_GDP_SENTENCE = re.compile(
    r"(今年|明年|(?<!\d)(?:19|20)\d\d年)[^。；！？\d]{0,30}?"
    r"(?P<ind>经济增长(?:速度)?|(?:国内|地区)?生产总值增长(?:速度)?)的?"
    r"(?:预期目标|预期|调控目标|增长目标|目标)(?:定)?(?:为|是|按)\s*(?P<num>\d)")

_NUM = r"\d+(?:\.\d+)?"
_UNIT = (r"(?:%|个百分点|万亿元|亿元|万元|元|万人次|万人|人|万亿斤|亿斤|万斤|亿公斤|万吨|吨|千瓦时|万千瓦|"
         r"微克/立方米|克/千克|公斤|万亩|亩|平方米|万平方米|公里|个|家|户|套|万)")
_CLAUSE = re.compile(
    rf"^(?P<head>[^\d]*?)(?P<lo>{_NUM})\s*(?P<u1>{_UNIT})?\s*(?:-\s*(?P<hi>{_NUM})\s*)?(?P<unit>{_UNIT})?\s*"
    r"(?P<qual>左右|以上|以内|以下|上下)?")
_CLAUSE_SPLIT = re.compile(r"[；;，,]")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")
# words linking an indicator to its number, dropped from the indicator's name
_LINK_TAIL = re.compile(r"(?:控制在|保持在|稳定在|维持在|继续保持|保持|继续|力争|努力|争取|达到|达|按|为|在|要|预期|目标|安排|"
                        r"左右|总体|全年|同口径|可比口径|完成|同比|比上年)$")
_LINK_HEAD = re.compile(r"^(?:——|--|－－|[一二三四五六七八九十]是|其他|以及|和|及|、)")
_QUAL_BEFORE = re.compile(r"(不低于|不高于|不超过|低于|高于|超过)$")
_CHANGE = re.compile(r"(上涨幅度|增长速度|增速|增幅|涨幅|增长|上涨|下降|降低|减少|提高|提升|增加)$")
# a clause that speaks of the past or of something else than its own target
_NOT_TARGET = re.compile(r"去年|过去|已经|完成了|实现了|分别|其中|累计")

# a sentence recalling how a past target went
_REVIEW = re.compile(r"实际|完成|实现|去年|上年|过去|超过|低于|高于")

# the main indicators, so places and years compare on one column each
KEYS: list[tuple[str, re.Pattern[str]]] = [
    ("生产总值", re.compile(r"^(?:全[省市区县国])?(?:国内|地区)?生产总值$|^经济$")),
    ("居民消费价格", re.compile(r"^(?:居民)?消费价格|^物价|^商品零售价格")),
    ("城镇调查失业率", re.compile(r"^城镇调查失业率$")),
    ("城镇登记失业率", re.compile(r"^城镇登记失业率$")),
    ("城镇新增就业", re.compile(r"^城镇新增就业")),
    ("一般公共预算收入", re.compile(r"预算收入$|财政(?:总)?收入$")),
    ("固定资产投资", re.compile(r"^(?:全社会)?固定资产投资$")),
    ("社会消费品零售总额", re.compile(r"^社会消费品零售总额$")),
    ("进出口", re.compile(r"^(?:外贸)?进出口(?:总额|总值)?$")),
    ("粮食产量", re.compile(r"^粮食(?:总)?产量$")),
]


@dataclass(frozen=True)
class Target:
    """One stated target, with the sentence it was read from."""

    doc: str
    n: int  # paragraph number (passages.py), the evidence's anchor #p-n
    year: int | None  # the year the target is for; None when the text does not say
    indicator: str  # as written, linking words removed (城镇调查失业率)
    key: str  # one of KEYS' names for the main indicators, else ""
    change: str  # 增长, 涨幅, 降低 …; "" for a level (失业率5.5%)
    low: str  # the number as written (ASCII digits)
    high: str  # upper end of a range (5.5%-6%), else ""
    unit: str
    qualifier: str  # 左右, 以上, 以内, 以下, or a word before the number (不低于)
    clause: str  # the clause as written
    sentence: str  # the whole sentence as written: the evidence


def _doc_year(doc: Document) -> int | None:
    d = str(doc.value("date") or "")
    return int(d[:4]) if re.match(r"^\d{4}", d) else None


def _year_for(head: str, doc: Document) -> int | None:
    words = _YEAR_WORD.findall(head)
    base = _doc_year(doc)
    if words:
        w = words[-1]
        if w in ("今年", "本年"):
            return base
        if w == "明年":
            return base + 1 if base else None
        return int(w[:4])
    return base if doc.value("genre") == "工作报告" else None


def key_for(indicator: str) -> str:
    for name, pattern in KEYS:
        if pattern.search(indicator):
            return name
    return ""


def parse_clause(clause: str, previous: str = "") -> dict[str, str] | None:
    """One list clause → its parts, or None when it is not one clear
    numeric target. `previous` is the indicator of the clause before, for `同比增长21%`
    after `地区生产总值达到240亿元`."""
    c = _LINK_HEAD.sub("", clause.translate(_HALF).strip()).strip()
    m = _CLAUSE.match(c) if c else None
    if not m or not (m.group("unit") or m.group("u1")) or _NOT_TARGET.search(c[: m.end()]):
        return None
    if m.group("u1") and m.group("unit") and m.group("u1") != m.group("unit"):
        return None
    rest = c[m.end():].strip()
    if re.match(r"^[\d%]", rest):  # a second number right after: not one clear value
        return None
    head = re.sub(r"\s+", "", m.group("head"))
    qualifier = m.group("qual") or ""
    q = _QUAL_BEFORE.search(head)
    if q:
        head = head[: q.start()]
        qualifier = qualifier or q.group(1)
    while t := _LINK_TAIL.search(head):
        head = head[: t.start()]
    change = ""
    ch = _CHANGE.search(head)
    if ch:
        change, head = ch.group(1), head[: ch.start()]
        while t := _LINK_TAIL.search(head):
            head = head[: t.start()]
    if "、" in head or head.endswith("均"):  # several indicators, one number: not one clear target
        return None
    # `达到282亿元` or `同比增长21%` after `地区生产总值增长20%`: the same indicator again
    indicator = head or previous
    if not (2 <= len(indicator) <= 30) or not re.search(r"[\u4e00-\u9fff]", indicator):
        return None
    return {"indicator": indicator, "change": change, "low": m.group("lo"), "high": m.group("hi") or "",
            "unit": m.group("unit") or m.group("u1"), "qualifier": qualifier, "clause": c}


def _sentences(paragraph: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in _SENTENCE.finditer(paragraph) if m.group(0).strip()]


def _clauses(list_text: str) -> list[tuple[int, str]]:
    """The list's clauses with their offsets: split at ；，, and at 、 between two numbered
    clauses (`城镇新增就业47万人以上、城镇调查失业率控制在5.5%以内`), never inside one
    (`城镇、农村居民人均可支配收入分别增长…`)."""
    out: list[tuple[int, str]] = []
    pos = 0
    for piece in _CLAUSE_SPLIT.split(list_text):
        start = list_text.index(piece, pos)
        pos = start + len(piece)
        bits = re.split(r"、(?=[\u4e00-\u9fff])", piece)
        if len(bits) > 1 and all(re.search(r"\d", b) for b in bits):
            off = start
            for b in bits:
                out.append((off, b))
                off += len(b) + 1
        else:
            out.append((start, piece))
    return out


def _list_targets(doc: Document, n: int, list_text: str, list_orig: str, sentence: str,
                  year: int | None) -> list[Target]:
    out: list[Target] = []
    previous = ""
    for start, piece in _clauses(list_text):
        parts = parse_clause(piece.rstrip("。"), previous)
        if parts is None:
            previous = ""  # an orphan number never borrows an indicator across a rejected clause
            continue
        previous = parts["indicator"]
        clause = list_orig[start : start + len(piece)].strip().rstrip("。")
        out.append(Target(doc.id, n, year, parts["indicator"], key_for(parts["indicator"]), parts["change"],
                          parts["low"], parts["high"], parts["unit"], parts["qualifier"], clause, sentence.strip()))
    return out


def _continues_list(sentence: str) -> bool:
    """A sentence after the announced list still belongs to it when its first clause is
    itself a target, or one the extractor leaves out as ambiguous (…分别增长…)."""
    first = _clauses(sentence)[0][1] if sentence.strip() else ""
    return parse_clause(first.rstrip("。")) is not None or bool(re.search(r"分别|其中", first))


# a paragraph that continues a sentence a scraped page broke over lines (…发展的 / 主要预期目标 / 是：…)
_CONTINUES = re.compile(r"^(?:是|为|定为|如下)?[：:]")
_ENDS = re.compile(r"[。！？；：:!?;…”』」）)]$")


def _joined(paras: list[str], i: int) -> str:
    """Paragraph i, with the fragments before it joined when it continues their sentence:
    up to three short paragraphs ending without punctuation, the way a page whose key
    words were links or bold lines breaks. Nothing is joined otherwise."""
    p = paras[i]
    if not _CONTINUES.match(p.strip()):
        return p
    k = i
    while k > 0 and i - k < 3 and len(paras[k - 1]) <= 80 and not _ENDS.search(paras[k - 1].rstrip()):
        k -= 1
    return "".join(x.strip() for x in paras[k:i]) + p.strip()


def _following_list(doc: Document, paras: list[str], i: int, year: int | None) -> list[Target]:
    """An announcing sentence that ends its paragraph: the list is the next paragraph's
    first sentence, or a run of paragraphs each starting with a list mark (——, 一是)."""
    out: list[Target] = []
    for j in range(i + 1, min(len(paras), i + 16)):
        nxt = paras[j]
        first = _sentences(nxt.translate(_HALF))[:1]
        if not first:
            break
        s0 = first[0][1]
        out += _list_targets(doc, j + 1, s0, nxt[: len(s0)], nxt[: len(s0)], year)
        after = paras[j + 1] if j + 1 < len(paras) else ""
        if not (_LINK_HEAD.match(nxt.translate(_HALF).strip()) and _LINK_HEAD.match(after.translate(_HALF).strip())):
            break
    return out


def _gdp_sentence(doc: Document, n: int, sent: str, sent_orig: str) -> Target | None:
    """`今年经济增长预期目标为7%左右`: a year's growth target stated in one sentence."""
    g = _GDP_SENTENCE.search(sent)
    if not g or _PLAN.search(sent[: g.start("num")]):
        return None
    clause_norm = _CLAUSE_SPLIT.split(sent[g.start("ind"):])[0]
    if _REVIEW.search(sent[: g.start("num")]) or _REVIEW.search(clause_norm):
        return None
    parts = parse_clause(re.sub(r"的?(?:预期目标|预期|调控目标|增长目标|目标)(?:定)?(?:为|是|按)", "", clause_norm))
    if parts is None:
        return None
    end = g.start("ind") + len(clause_norm)
    return Target(doc.id, n, _year_for(g.group(1), doc), parts["indicator"], key_for(parts["indicator"]),
                  parts["change"] or "增长", parts["low"], parts["high"], parts["unit"], parts["qualifier"],
                  sent_orig[g.start("ind"):end].rstrip("。"), sent_orig.strip())


def extract(doc: Document) -> list[Target]:
    """The targets a document states, in text order (simplified script)."""
    paras = doc.simplified if doc.simplified is not None else doc.paragraphs
    out: list[Target] = []
    for i in range(len(paras)):
        orig = _joined(paras, i)
        if "目标" not in orig and "预期" not in orig:
            continue
        norm = orig.translate(_HALF)
        in_list: tuple[int | None] | None = None  # the year of the list the last sentence belonged to
        for start, sent in _sentences(norm):
            sent_orig = orig[start : start + len(sent)]
            if in_list is not None:
                if _continues_list(sent):
                    out += _list_targets(doc, i + 1, sent, sent_orig, sent_orig, in_list[0])
                    continue
                in_list = None
            m = _INTRO.search(sent)
            head = sent[: m.start()] if m else ""
            if m and ("预期目标" in sent[: m.end()] or "调控目标" in sent[: m.end()] or _YEAR_WORD.search(head)) \
                    and not _PLAN.search(head):
                year = _year_for(head, doc)
                if sent[m.end():].strip("。 "):
                    out += _list_targets(doc, i + 1, sent[m.end():], sent_orig[m.end():], sent_orig, year)
                    in_list = (year,)
                elif start + len(sent) >= len(norm.rstrip()):
                    out += _following_list(doc, paras, i, year)
                continue
            t = _gdp_sentence(doc, i + 1, sent, sent_orig)
            if t is not None:
                out.append(t)
    return _dedupe(out, _doc_year(doc))


def _dedupe(found: list[Target], doc_year: int | None) -> list[Target]:
    """The first statement of each target; a past year's targets recalled are not stated."""
    out: list[Target] = []
    keys: set[tuple] = set()
    for t in found:
        if t.year is not None and doc_year is not None and t.year < doc_year:
            continue
        k = (t.year, t.key or t.indicator, t.change, t.low, t.high, t.unit)
        if k not in keys:
            keys.add(k)
            out.append(t)
    return out
