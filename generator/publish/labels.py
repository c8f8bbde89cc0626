"""Labels readers expect for a document's place, level, speakers and date.

The metadata keeps what annotation found (province, city, county; each speaker's name as
the source writes it). Lists, search facets, indexes, pages and downloads need one short
label per fact, the same everywhere, so a reader can tell apart documents whose source
titles are identical (`政府工作报告`) and a filter finds what a list shows:

- place: 全国 for a national document (it belongs to no province; "unknown" would be
  false), one name for a municipality (北京市 is its own province and city, so the label
  is 北京市, not 北京市北京市), otherwise province + city + county as written on an
  envelope (广东省深圳市南山区);
- speakers: one name per person across scripts and spacing (李強 and 李强, 郑 建 新 and
  郑建新): the simplified form without spaces is the key; the forms the sources use are
  kept and shown as evidence (`speaker_variants`).

Unknown stays unknown: every function returns None (or an empty list) rather than a guess;
UNKNOWN_* are the words lists show in that case.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from generator.model import Document

NATIONAL = "全国"
PLACE_UNKNOWN = "地点不明"
SPEAKER_UNKNOWN = "讲话人不明"
DATE_UNKNOWN = "日期不明"
LEVELS = ("全国", "省", "市", "县区")

_SPACE = re.compile(r"[\s\u3000]+")
# the interpunct of transliterated names (艾尔肯·吐尼亚孜) comes in several code points
_DOTS = str.maketrans({c: "·" for c in "•‧・．･∙⋅"})


def is_national(doc: Document) -> bool:
    p = doc.value("place") or {}
    return p.get("scope") == NATIONAL and not p.get("province")


def place_parts(doc: Document) -> list[tuple[str, str]]:
    """(level, name) from province down to county; a name equal to the one above it is
    left out (a municipality is both province and city: 重庆市 / 重庆市 / 璧山区 reads
    重庆市 / 璧山区)."""
    p = doc.value("place") or {}
    out: list[tuple[str, str]] = []
    for lvl in ("province", "city", "county"):
        name = p.get(lvl)
        if name and (not out or out[-1][1] != name):
            out.append((lvl, str(name)))
    return out


def place_label(doc: Document) -> str | None:
    """全国, or the place's names joined (广东省深圳市), or None when unknown."""
    if is_national(doc):
        return NATIONAL
    return "".join(name for _lvl, name in place_parts(doc)) or None


def place_names(doc: Document) -> list[str]:
    """Every place a filter may name for this document: 全国, or each level's name."""
    if is_national(doc):
        return [NATIONAL]
    return [name for _lvl, name in place_parts(doc)]


def level_label(doc: Document) -> str | None:
    """全国/省/市/县区: the annotated level where known, else the lowest level of the
    place (a municipality's districts are 县区, the municipality itself 省)."""
    lvl = doc.value("level")
    if lvl in LEVELS:
        return str(lvl)
    if is_national(doc):
        return NATIONAL
    parts = place_parts(doc)
    if not parts:
        return None
    return {"province": "省", "city": "市", "county": "县区"}[parts[-1][0]]


@lru_cache(maxsize=4096)
def speaker_key(name: str) -> str:
    """One spelling per person: spaces removed (郑 建 新 → 郑建新, a layout habit of
    speaker lines), interpuncts unified, traditional characters simplified (李強 → 李强)."""
    from generator.clean.script import to_simplified

    return to_simplified(_SPACE.sub("", name).translate(_DOTS))


def speaker_names(doc: Document) -> list[str]:
    """The document's speakers, unified (speaker_key), each once, in the source's order."""
    names = (speaker_key(str(s["name"])) for s in (doc.value("speakers") or []) if s.get("name"))
    return list(dict.fromkeys(n for n in names if n))


def speaker_label(doc: Document) -> str | None:
    return "、".join(speaker_names(doc)) or None


def speaker_variants(docs: Iterable[Document]) -> dict[str, list[str]]:
    """Unified name → every form the sources write it in (sorted), for the names written
    in more than one way or in a form other than the unified one: the evidence that the
    unified entries are one person's."""
    forms: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        for s in d.value("speakers") or []:
            if s.get("name"):
                forms[speaker_key(str(s["name"]))].add(str(s["name"]))
    return {k: sorted(v) for k, v in sorted(forms.items()) if v != {k}}


def date_label(doc: Document) -> str | None:
    """The ISO date, or the date as the text writes it when its year is unknown."""
    if doc.value("date"):
        return str(doc.value("date"))
    if doc.value("date_text"):
        return f"{doc.value('date_text')}（年份不明）"
    return None


def list_facts(doc: Document) -> tuple[str, str, str]:
    """Date, place and speakers as a list shows them beside a title, unknowns said."""
    return (date_label(doc) or DATE_UNKNOWN, place_label(doc) or PLACE_UNKNOWN,
            speaker_label(doc) or SPEAKER_UNKNOWN)


def list_facts_text(doc: Document) -> str:
    """list_facts as one line (2026-01-27 · 广东省 · 温启航), for lists inside pages."""
    return " · ".join(list_facts(doc))
