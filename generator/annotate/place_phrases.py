"""A county's own page that names itself only by its bare short name, in a phrase that
only a place fills.

A county's speech or news says `我县`, `县委、县政府`, `区委常委会` and names itself once,
by its short name and inside a phrase of the kind every county writes about itself:
`刚刚过去的一年，是X经济建设大发展的一年`, `打造更多具有X辨识度的成果`, `建设锦绣X`,
`为X的经济发展做出贡献`. The gazetteer's count does not take such a name: a bare county
name said once, with nothing else of its lineage, may be a word, a person or a company
(`places.in_context`, `gazetteer.resolve`). Here it is taken when all of these hold:

- the phrase is one only a place fills: an epithet before it (`锦绣`, `美丽`, `魅力` …) or
  its economy, people, land or distinctiveness after it (`X经济社会`, `X人民`,
  `X辨识度` …); a word cannot stand there (`网上商城建设` is not such a phrase);
- the name is the short form of exactly one county-level division;
- the phrase is not about a place the text visits, learns from or helps (`学习X经济社会
  发展的经验`, `赴X考察`);
- the text speaks as a division of that unit (`县委`, `县政府`, `我县`, `全县` for a 县;
  `区委`, `区政府`, `我区` for a 区; `旗委`, `我旗` for a 旗), and never as a city or a
  province (`我市`, `我省`);
- nothing else it names lies outside that county's lineage (its city and province may be
  named; another county, city or province may not), and the place already found, if any,
  is that lineage;
- a short name that is also a common word (`商城`, a shopping mall; one jieba's dictionary
  knows at least 100 times as an ordinary word) needs two such phrases, any other one.
"""

from __future__ import annotations

import re
from functools import cache

from generator.annotate import gazetteer
from generator.annotate.gazetteer import Division

# an epithet that slogans put before a place's name (建设锦绣X, 魅力X, 奋力谱写美丽X新篇章)
_EPITHETS = "锦绣|美丽|魅力|幸福|活力|大美|秀美|富美|富裕|宜居|实力|品质|和美"
# what only a place has after its name: its economy and society, its people, its land, its
# distinctiveness; `经济` alone is not enough (双城经济圈, 商城经济 of an online shop)
_OWN = "经济社会|经济建设|经济和社会|的经济发展|的经济社会|人民|儿女|大地|辨识度|高质量发展"
_HAN = r"[\u4e00-\u9fff]"
_BEFORE = re.compile(rf"(?:{_EPITHETS})({_HAN}{{2,4}})")
_AFTER = re.compile(rf"({_HAN}{{2,4}}?)(?:{_OWN})")
# how the text speaks of itself, by unit; a title (县委书记) is a post, not the voice
_VOICE = {
    "县": re.compile(r"我县|本县|全县(?!市)|县委(?!书记)|县政府|县人民政府|县人大|县政协"),
    "区": re.compile(r"我区(?!域)|本区|区委(?!书记)|区政府|区人民政府|区人大|区政协"),
    "旗": re.compile(r"我旗|本旗|全旗|旗委(?!书记)|旗政府|旗人民政府"),
}
_HIGHER_VOICE = re.compile(r"我市|本市|我省|本省|我州|我盟")
# a place the text visits, learns from or helps is another county (学习长兴经济社会发展经验)
_ELSEWHERE = re.compile(r"(?:学习|借鉴|赴|对口|帮扶|援建|支援|结对|兄弟)[^，,。；;！？]{0,4}$")
# a word jieba's dictionary counts this often is an ordinary word as well as a name
# (商城 1270, 来宾 166); rarer ones (铜梁 10) are names the dictionary mistags
_ORDINARY_MIN_FREQ = 100


@cache
def _ordinary_words() -> frozenset[str]:
    """County short forms that are also common words: the gazetteer's hand list, and the
    ones jieba tags as a common word at least _ORDINARY_MIN_FREQ times."""
    from generator.annotate.gazetteer import _index, _package_file

    forms = set(_index().short)
    out = {w for w in gazetteer.COMMON_WORDS if w in forms}
    path = _package_file("jieba", "dict.txt")
    if path is not None:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                word, freq, tag = (line.split() + ["", "", ""])[:3]
                if word in forms and int(freq) >= _ORDINARY_MIN_FREQ and not tag.startswith(("ns", "nr", "nz")):
                    out.add(word)
    return frozenset(out)


def elsewhere(text: str, start: int) -> bool:
    """The place named at `start` is one the text visits, learns from or helps
    (学习X…经验, 赴X考察, 对口帮扶X): another county than the text's own."""
    return bool(_ELSEWHERE.search(text[max(0, start - 8) : start]))


def _unit(div: Division) -> str | None:
    return next((u for u in _VOICE if div.name.endswith(u)), None)


def _county(name: str) -> Division | None:
    hits = gazetteer.lookup(name)
    if len(hits) == 1 and hits[0].level == "县区" and name in gazetteer.short_forms(hits[0].name):
        return hits[0]
    return None


def _phrases(text: str, taken: list[tuple[int, int]]) -> dict[str, list[int]]:
    """Short county names in place-only phrases: name → the positions of those phrases.
    A name that overlaps another place name the gazetteer found (龙江 in 黑龙江) is not one;
    a county the text visits or learns from is another county's, kept under "" so that the
    caller can refuse the page."""
    seen: dict[str, list[int]] = {}

    def add(name: str, start: int) -> None:
        end = start + len(name)
        if any(s < end and start < e and (s, e) != (start, end) for s, e in taken) or not _county(name):
            return
        if elsewhere(text, start):
            seen.setdefault("", []).append(start)  # another county's phrase: the text is not its own
            return
        seen.setdefault(name, []).append(start)

    for m in _BEFORE.finditer(text):
        run = m.group(1)
        for k in range(len(run), 1, -1):  # the longest name the run begins with
            if _county(run[:k]):
                add(run[:k], m.start(1))
                break
    for m in _AFTER.finditer(text):
        run = m.group(1)
        for k in range(len(run), 1, -1):  # the longest name the run ends with
            if _county(run[-k:]):
                add(run[-k:], m.end(1) - k)
                break
    return seen


def named_in_phrase(text: str, place_code: str | None) -> tuple[Division, str] | None:
    """(the county, evidence) when a county's own page names itself only in place-only
    phrases (see the module docstring), else None."""
    from generator.annotate.places import _sentence, in_context

    if _HIGHER_VOICE.search(text) or not _phrases(text, []):
        return None  # a city's or province's voice, or no phrase at all: no need to scan names
    found = gazetteer.mentions(text)
    seen = _phrases(text, [(s, e) for _d, s, e in found])
    if len(seen) != 1 or "" in seen:
        return None  # no phrase, phrases naming several counties, or one naming another
    name, starts = next(iter(seen.items()))
    div = _county(name)
    assert div is not None
    unit = _unit(div)
    if unit is None or not _VOICE[unit].search(text):
        return None
    lineage = gazetteer._index().lineage[div.code]
    if any(d.code not in lineage for d, _s, _e in in_context(text, found)):
        return None  # another place is named: the phrase may be about it
    if place_code and place_code not in lineage:
        return None
    if name in _ordinary_words() and len(starts) < 2:
        return None
    voice = _VOICE[unit].search(text)
    assert voice is not None
    ev = " / ".join(dict.fromkeys(_sentence(text, s) for s in starts[:2]))
    why = _sentence(text, voice.start())
    if why not in ev:
        ev = f"{ev} / {why}"
    return div, f"{ev}（{name}只见于地名才用的说法，全文以{voice.group(0)}自称）"
