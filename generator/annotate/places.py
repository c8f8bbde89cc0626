"""Place mentions read in context: a place name that is a word or a person here, the
level a text speaks at, functional zones, and a county news site's name.

The gazetteer finds every string that can name a division; whether it does here depends
on the words around it:

- a short form that is an ordinary word (来宾 in 各位来宾, 大观 in 蔚为大观; jieba's
  dictionary tags it as a common noun, not a place) names the place only when the text
  also names something of its lineage (its city, province or another of its counties);
- a name right after a post or a surname (旗委书记兴安, 周玉龙) is a person's name, and one
  followed by 水库, 路, 公园, 公司 … names that feature, wherever it is (龙湾水库);
- a place inside a central leader's speech or instruction the text relays (总书记在上海
  考察时的重要讲话, 对某市某县山体滑坡作出的重要指示) is the speech's, not the text's;
- 和县, the one county whose name is 和 + 县, is read only with its city or province named
  (…的请示》和县妇联 is 和 + 县妇联);
- a text that speaks as a county (我县, 县委, 县政府 and no 我市/我省) is at county level even
  when the only place it names is its city or province (a province or national figure
  mentioned in passing does not make it a provincial document);
- a national or provincial new area, development zone or high-tech zone (大鹏新区,
  石嘴山经济开发区, XX高新区) is a functional area: it resolves to the division that hosts
  it (generator/data/zones.yml for the named ones, the place in its name otherwise) and
  its level is unknown;
- the page's own source line (来源：松阳新闻网) names the place whose news site it is.
"""

from __future__ import annotations

import re
from functools import cache

from generator.annotate import gazetteer, headline_place, own_county, place_phrases, speaker_place
from generator.annotate.gazetteer import Division
from generator.annotate.segment import data_lines
from generator.annotate.sentences import sentence_at as _sentence
from generator.annotate.speaker import has_surname, word_tags
from generator.model import Document, Field

Mention = tuple[Division, int, int]

_PLACE_TAGS = ("ns", "nr", "nz")
# characters that are rare surnames but far more often words of their own (各位来宾, 向来, 由于)
_FUNCTION_CHARS = frozenset("位和于向由全都才来")
_FEATURE = re.compile(r"水库|路|街(?!道)|大道|大桥|公园|广场|小区|宾馆|酒店|饭店|大厦|公司|集团|医院|学校|中学|小学|大学")
# 县直, 县委, 县级 …: a division's unit character starting a word of its own
_COUNTY_WORD = frozenset("直委级里城域政人属")
_DISPATCH = re.compile(r"\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[电讯]")
_AFTER_POST = re.compile(r"(?:书记|[省市区县旗州盟镇乡]长|主任|主席|委员|部长|局长|常委|同志)$")


@cache
def _place_words() -> dict[str, str]:
    """jieba's tags of the short forms of place names (来宾 n, 黑山 ns)."""
    from generator.annotate.gazetteer import _index

    forms = set(_index().short)
    return word_tags(lambda w: w in forms)


def _wordlike(form: str) -> bool:
    tag = _place_words().get(form)
    return tag is not None and not tag.startswith(_PLACE_TAGS)


# a central leader's speech or instruction the text relays, named by where it was given or
# what it is about (总书记在上海考察时的重要讲话, 对贵州毕节市黔西市游船倾覆事故作出的重要
# 指示): the places inside it are the speech's, not the text's
# (a list of them, 在…的重要讲话、对…作出的重要指示、给…的重要回信, is one span)
_RELAYED = re.compile(r"总书记(?:[^。；;！？\n]{0,60}?(?:重要讲话|重要指示|重要批示|指示批示|重要回信|贺信|贺词))+")


def in_context(text: str, found: list[Mention]) -> list[Mention]:
    """The mentions that name places here (see the module docstring)."""
    lineage_codes = {d.code for d, _s, _e in found}
    relayed = [m.span() for m in _RELAYED.finditer(text)] if "总书记" in text else []
    out = []
    for div, start, end in found:
        if any(s <= start and end <= e for s, e in relayed):
            continue  # 总书记在上海考察时的重要讲话: the speech's place
        form = text[start:end]
        short = end - start < len(div.name)
        before = text[start - 1 : start] if start else ""
        person = bool(before) and before not in _FUNCTION_CHARS and has_surname(before)
        if short and (_AFTER_POST.search(text[max(0, start - 3) : start]) or person):
            continue  # 旗委书记兴安, 周玉龙: a person
        related = any(c != div.code and (c[:4] == div.code[:4] or c == div.code[:2] + "0000") for c in lineage_codes)
        if len(form) == 2 and form[0] in _FUNCTION_CHARS and (text[end : end + 1] in _COUNTY_WORD or not related):
            # 各乡镇和县直部门, …的请示》和县妇联: 和 + a county office, not 和县; the county
            # itself is named with its city or province (马鞍山市和县, 安徽和县)
            continue
        if short and _FEATURE.match(text, end):
            continue  # 龙湾水库, 青山路: a reservoir, a street named after a place elsewhere
        if end - start < len(div.name) and _wordlike(re.sub(r"\s", "", form)) and not related:
            continue  # 各位来宾: a word
        out.append((div, start, end))
    # a news agency's dispatch line (新华社南宁5月3日电, 人民网南京3月1日电) names where the
    # story was filed, not where it happened: it counts only when nothing else is named
    told = [m for m in out if not _DISPATCH.match(text, m[2])]
    return told or out


# ---------------------------------------------------------------- the level a text speaks at

_SELF = {
    "县区": re.compile(r"我(?:县|旗|区(?!域))|本县|全县(?!市)|县委(?!书记处)|县政府|县人大|县政协|旗委|旗政府|区委|区政府"),
    "市": re.compile(r"我市|本市|全市|市委|市政府"),
    "省": re.compile(r"我省|本省|全省|省委|省政府"),
}


def self_level(text: str) -> tuple[str, str] | None:
    """The level a text speaks at, by how it names itself: 我县 and no 我市/我省 is a
    county's text, and so is one that names county organs bare and no city or province
    organ. Returns (level, the sentence that says so) or None."""
    own = {lvl: len(re.findall(r"我" + c, text)) for lvl, c in (("县区", "[县旗]"), ("市", "市"), ("省", "省"))}
    if own["县区"] and not own["市"] and not own["省"]:
        m = re.search(r"我[县旗]", text)
        assert m
        return "县区", _sentence(text, m.start())
    if own["市"] or own["省"]:
        return None
    # a county's news names its own organs bare (`，县政府第三次常务会议召开，县委副书记、
    # 县长…`), as a city's does 市委 and 市政府; a city's text that instructs its counties
    # names its own organs bare too, so any bare 市/省 organ leaves the level as found
    bare = {lvl: list(re.finditer(_BARE_ORGAN + c + _ORGAN_WORD, text)) for lvl, c in
            (("县区", "[县旗]"), ("市", "[市州盟]"), ("省", "(?:省|自治区)"))}
    if len(bare["县区"]) >= 2 and not bare["市"] and not bare["省"]:
        return "县区", _sentence(text, bare["县区"][0].start())
    return None


_BARE_ORGAN = r"(?:^|(?<=[，,、。；;：:\s（(“]))"
_ORGAN_WORD = r"(?:委(?!员)|政府|人大|政协|长(?![江城沙春安治]))"




# ---------------------------------------------------------------- functional zones

_ZONE = re.compile(r"([\u4e00-\u9fff]{2,8}?)(新区|经济技术开发区|经济开发区|高新技术产业开发区|高新区|经开区|开发区|工业园区|产业园区)")


@cache
def zones() -> dict[str, dict[str, str]]:
    """generator/data/zones.yml: functional zone → {host: division name, province, note}."""
    import yaml

    data = yaml.safe_load("\n".join(data_lines("zones.yml"))) or {}
    return {str(k): {kk: str(vv) for kk, vv in dict(v).items()} for k, v in data.items() if isinstance(v, dict)}


def zone_host(text: str) -> tuple[Division, str, str] | None:
    """(host division, zone name, evidence) of the first functional zone the text is
    about: a zone of zones.yml, else a zone whose name begins with a division's name
    (石嘴山经济开发区 → 石嘴山市)."""
    for name, entry in zones().items():
        i = text.find(name)
        if i >= 0:
            hosts = [d for d in gazetteer.lookup(entry["host"]) if d.province == entry.get("province")]
            if hosts:
                return hosts[0], name, f"{_sentence(text, i)}（{name}：{entry.get('note', '')}）"
    for m in _ZONE.finditer(text[:3000]):
        prefix = m.group(1)
        if any(gazetteer.lookup(prefix[k:] + m.group(2)) or prefix[k:] + m.group(2) in gazetteer.renamed()
               for k in range(len(prefix) - 1)):
            continue  # 浦东新区, 坪山新区 (now 坪山区): a division, not a functional zone
        for k in range(len(prefix) - 1):
            hits = gazetteer.lookup(prefix[k:])
            if len(hits) == 1 and len(prefix[k:]) >= 2:
                return hits[0], prefix[k:] + m.group(2), _sentence(text, m.start())
    return None


def _speaks_for(zone: str, text: str, doc: Document) -> bool:
    """The text is the zone's own: its title names it, or its bodies (党工委, 管委会) act."""
    return zone in str(doc.value("title") or "") or bool(re.search(re.escape(zone) + r"(?:党工委|管委会|管理委员会|新闻中心)", text[:2000]))


# ---------------------------------------------------------------- a news site's name

# the outlets counties run (a daily paper is usually a city's, and may be named after a river: 右江日报)
_SITE = re.compile(r"^(今日)?([\u4e00-\u9fff]{2,8}?)(?:新闻网|在线|融媒体中心|广播电视台|电视台|宣传|发布|乡音报|(?<=..)网)")


def source_place(source_name: str | None) -> Division | None:
    """The county whose own news outlet the source line names (松阳新闻网, 今日竹山网,
    闽侯乡音报): a name the gazetteer knows as exactly one county-level division."""
    if not source_name:
        return None
    m = _SITE.match(source_name.strip())
    if not m or (m.group(0).endswith("网") and not m.group(1) and not m.group(0).endswith("新闻网")):
        return None  # a bare 'X网' is any site; 今日X网 and X新闻网 are a place's own
    name = m.group(2)
    # 'X新闻网', 'X融媒体中心', 'X电视台' name their place even when X is also a word (铜梁)
    outlet = bool(re.search(r"新闻网|融媒体中心|电视台$", m.group(0)))
    for cut in (name, *(name[:k] for k in range(len(name) - 1, 1, -1))):
        hits = gazetteer.lookup(cut)
        if len(hits) == 1 and hits[0].level == "县区" and (outlet and cut == name or not _wordlike(cut)):
            return hits[0]
    return None


# ---------------------------------------------------------------- after the gazetteer


_SOURCE_LINE = re.compile(r"(?:^|[\s|｜])(?:文章|稿件|新闻|信息)?来源\s*[:：]\s*([^\s|｜:：]{2,24})")


def source_line(doc: Document) -> tuple[str, str] | None:
    """(publisher, the line) from the page's own source line, where cleaning kept none."""
    for line in [r.text for r in doc.removals] + doc.search_text.split("\n")[:15]:
        m = _SOURCE_LINE.search(line)
        if m and len(line) <= 160 and "。" not in line:
            name = re.sub(r"\d{4}[-/.年].*$", "", m.group(1))
            if len(name) >= 2 and not re.search(r"网友|网络|互联网|本站|原创", name):
                return name, line.strip()
    return None


def _place_field(div: Division) -> dict[str, str | None]:
    return {"province": div.province, "city": div.city, "county": div.county, "code": div.code}


def refine(doc: Document, text: str) -> None:
    """What the gazetteer's reading leaves: the page's news site naming its county, a
    functional zone's host, and the level the text speaks at."""
    place = doc.value("place") or {}
    if place.get("scope") == "全国":
        return
    site_name = doc.value("source_name") or (source_line(doc) or (None, None))[0] or own_county.lead_outlet(text)
    site = source_place(site_name)
    code = str(place.get("code") or "")
    if site and (not code or (site.code != code and site.code.startswith(code.rstrip("0")[:4] if len(code.rstrip("0")) > 2 else code[:2]))):
        ev = f"来源：{site_name}（{site.name}的新闻网站）"
        doc.meta["place"] = Field(_place_field(site), "inferred", ev)
        doc.meta["level"] = Field(site.level, "inferred", ev)
    elif (zone := zone_host(text)) and (not code or _speaks_for(zone[1], text, doc)):
        host, name, ev = zone
        doc.meta["place"] = Field({**_place_field(host), "zone": name}, "inferred", ev)
        doc.meta["level"] = Field(None, "inferred", f"{name}是功能区，没有行政级别")
        return
    elif own := own_county.county_of(doc, text):
        # a county's own page that names its city more often than itself (own_county.py)
        doc.meta["place"] = Field(_place_field(own[0]), "inferred", own[1])
        doc.meta["level"] = Field(own[0].level, "inferred", own[1])
    elif not code and (former := own_county.former_county(doc, text)):
        div, written, ev = former  # 璧山县, now 璧山区: the name the text gives it
        doc.meta["place"] = Field({**_place_field(div), "county": written}, "inferred", ev)
        doc.meta["level"] = Field(div.level, "inferred", ev)
    elif head := headline_place.headline_division(doc, text, code):
        # the headline names one division below the province found (headline_place.py)
        doc.meta["place"] = Field(_place_field(head[0]), "inferred", head[1])
        doc.meta["level"] = Field(head[0].level, "inferred", head[1])
    elif not place.get("county") and (post := speaker_place.post_division(doc, code)):
        # the main speaker's post names a division below the place found (speaker_place.py)
        doc.meta["place"] = Field(_place_field(post[0]), "inferred", post[1])
        doc.meta["level"] = Field(post[0].level, "inferred", post[1])
    elif not place.get("county") and (named := place_phrases.named_in_phrase(text, code or None)):
        # a county's own page naming itself only in a place-only phrase (place_phrases.py)
        doc.meta["place"] = Field(_place_field(named[0]), "inferred", named[1])
        doc.meta["level"] = Field(named[0].level, "inferred", named[1])
    mine = self_level(text)
    if mine and doc.value("level") in ("市", "省"):
        doc.meta["level"] = Field(mine[0], "inferred", mine[1])
