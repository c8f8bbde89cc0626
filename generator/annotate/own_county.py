"""The county a county's own page speaks for, where counting place names stops short of it.

A county's news names its city and province more often than itself (`传达学习X市委全会
精神和X市有关文件精神…`, then once `魅力Y`, and `我旗`), and a district of a municipality
names the municipality everywhere (`重庆` three times, `推动荣昌高质量发展` once), so the
gazetteer's count settles on the city or the municipality. How the page speaks
settles it on the county, when both hold:

- the page speaks as a county: it says `我县`/`我旗` (and not `我市`/`我省`), or its headline
  or first sentence has a county organ act with no place before it (`区委常委会举行会议`,
  `县政府召开第十二次常务会议`, `区人大常委会召开…`), or its headline names the county with
  its unit (`石林县残联参加自治县…`);
- it names exactly one county-level division inside the place already found (inside its
  city; inside a municipality), or, when no place was found, exactly one county-level
  division and nothing outside that county's own lineage. A county the page visits, learns
  from or helps (`赴X考察学习`, `学习X…经验`, `对口帮扶X`) is another county, not counted.

The place names read here are the text's, its headline's and the chrome lines cleaning
removed (a breadcrumb `…> 今日石门 >`, a stamp line `作者:中国·依安`), each read in context
(`places.in_context`: words, people and features are not places). A county's news outlet
that opens the lead (`今日郧西网消息`, `XX新闻网讯`) is the page's source line in another
form: `lead_outlet` returns it for `places.source_place`.
"""

from __future__ import annotations

import re

from generator.annotate import gazetteer
from generator.annotate.gazetteer import Division
from generator.clean.script import to_simplified
from generator.model import Document

# a county organ acting, with nothing before it that names another place
_COUNTY_ACTS = re.compile(
    r"(?:^|[，,\s：:、。])(?:区|县|旗)(?:委常委会|委|人民政府|政府|人大常委会|人大|政协|纪委)"
    r"[^，,。]{0,8}?(?:召开|举行|主持召开)")
_UNIT = ("县", "旗", "区")
# an outlet's dateline opening the lead: 今日X网消息, X新闻网讯, 某县融媒体中心讯
_LEAD_OUTLET = re.compile(r"^\s*((?:今日)?[\u4e00-\u9fff]{2,8}?(?:新闻网|融媒体中心|网))\s*(?:消息|讯)")


def lead_outlet(text: str) -> str | None:
    """The outlet a lead's dateline names (`今日郧西网消息 5月8日，…` → 今日郧西网)."""
    for line in text.split("\n")[:6]:
        m = _LEAD_OUTLET.match(line)
        if m:
            return m.group(1)
    return None


def _speaks_as_county(doc: Document, text: str, title: str) -> str | None:
    """The line that shows the page speaking as a county, or None."""
    from generator.annotate.places import self_level

    mine = self_level(text)
    if mine:
        return mine[1]
    first = text.split("。", 1)[0][:200]
    for line in (title, first):
        if _COUNTY_ACTS.search(line):
            return line
    return None


def county_of(doc: Document, text: str) -> tuple[Division, str] | None:
    """(the county, evidence) a county's page speaks for, or None (see the module doc)."""
    from generator.annotate.place_phrases import elsewhere
    from generator.annotate.places import in_context

    place = doc.value("place") or {}
    if place.get("county") or place.get("scope") or place.get("zone"):
        return None
    code = str(place.get("code") or "")
    title = to_simplified(str(doc.value("title") or ""))
    chrome = "\n".join(r.text for r in doc.removals if r.rule in ("page-chrome", "source-line", "header-line"))
    full = "\n".join((title, text, to_simplified(chrome)))
    found = in_context(full, gazetteer.mentions(full))
    counties: dict[str, tuple[Division, int, int]] = {}
    for d, s, e in found:
        if d.level == "县区" and not elsewhere(full, s):  # 学习X经验, 赴X考察: another county
            counties.setdefault(d.code, (d, s, e))  # its first mention: the headline's, if any
    if code:
        level = doc.value("level")
        prefix = code[:4] if code[2:4] != "00" else code[:2]
        if level not in (None, "市", "省", "县区") or (code[2:] == "0000" and place.get("city") != place.get("province")):
            return None  # a province's text (not a municipality's) is not narrowed to a county
        inside = [c for c in counties if c.startswith(prefix)]
    else:
        inside = list(counties)
        if len(inside) == 1:
            lineage = gazetteer._index().lineage[inside[0]]
            if any(d.code not in lineage for d, _s, _e in found):
                return None  # other places named too: no single county
    if len(inside) != 1:
        return None
    div, start, end = counties[inside[0]]
    why = _speaks_as_county(doc, text, title)
    note = "以县区自称，只提到这一个县区"
    if why is None and start < len(title) and full[start:end].endswith(_UNIT):
        why, note = title, f"标题称“{full[start:end]}”，只提到这一个县区"
    if why is None:
        return None
    line_start = max(full.rfind(c, 0, start) for c in "。！？\n") + 1
    line_end = min([i for i in (full.find(c, end) for c in "。！？\n") if i >= 0] or [len(full)])
    named = full[line_start : line_end + 1].strip()
    ev = named if named == why else f"{named} / {why}"
    return div, f"{ev}（{note}）"


# ---------------------------------------------------------------- a county under its former name

_COUNTY_CHAR = re.compile("县")


def former_county(doc: Document, text: str) -> tuple[Division, str, str] | None:
    """(the division, the county's name as written, evidence) for a county the text names
    by a name it had before it became a district or a city (`璧山县`, now 璧山区; `X县`
    撤县设市): the gazetteer knows only today's name, and reads `璧山县` as nothing.

    `X县` counts when no division is called that today, X is the short form of exactly one
    county-level division (whose name now ends in 区, 市 or 旗), and the page's headline or
    chrome names it, or the text names it twice. The county keeps the name the text gives
    it, which was its official name then; the evidence says what it is now.
    """
    from generator.annotate.places import _wordlike

    title = to_simplified(str(doc.value("title") or ""))
    chrome = to_simplified("\n".join(r.text for r in doc.removals if r.rule in ("page-chrome", "source-line",
                                                                                "header-line")))
    full = "\n".join((title, text[:5000], chrome))
    seen: dict[str, list[int]] = {}
    for m in _COUNTY_CHAR.finditer(full):
        i = m.start()
        for k in range(5, 1, -1):
            short = full[max(0, i - k) : i]
            if len(short) < k or gazetteer.lookup(short + "县"):
                continue
            hits = gazetteer.lookup(short)
            if (len(hits) == 1 and hits[0].level == "县区" and not hits[0].name.endswith("县")
                    and short in gazetteer.short_forms(hits[0].name) and not _wordlike(short)):
                seen.setdefault(short, []).append(i - k)
                break
    if len(seen) != 1:
        return None
    short, starts = next(iter(seen.items()))
    in_head = any(s < len(title) or s > len(full) - len(chrome) - 1 for s in starts)
    if not (in_head or len(starts) >= 2):
        return None
    div = gazetteer.lookup(short)[0]
    s = starts[0]
    line_start = max(full.rfind(c, 0, s) for c in "。！？\n") + 1
    line_end = min([i for i in (full.find(c, s) for c in "。！？\n") if i >= 0] or [len(full)])
    ev = f"{full[line_start : line_end + 1].strip()}（{short}县今为{div.city or div.province}{div.name}，县名照原文）"
    return div, short + "县", ev
