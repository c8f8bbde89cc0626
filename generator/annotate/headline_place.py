"""A page whose headline names one city or county below the province the text settles on.

A prefecture's page about a province-wide event (`——黔西南州干部群众在全省…脱贫时刻的
心声`) names the province and counties of several prefectures in its body, so the
gazetteer's count settles on the province as their common ground. The headline says whose
page it is. The place narrows to the division the headline names when:

- the place found is a province (not a municipality, whose districts `own_county.py` reads);
- the headline names exactly one division below it, with its unit (`黔西南州`, `遵义市`,
  `湄潭县`; not a bare short name, which may be a word), and no place outside it;
- everything the text names lies inside the province.

The headline's division is the answer, never a county below it that the body names: a
prefecture's page quoting counties of several prefectures has no county of its own.
"""

from __future__ import annotations

from generator.annotate import gazetteer
from generator.annotate.gazetteer import Division
from generator.clean.script import to_simplified
from generator.model import Document

_UNITS = ("省", "市", "州", "县", "区", "旗", "盟")


def headline_division(doc: Document, text: str, code: str) -> tuple[Division, str] | None:
    """(the division, evidence) the headline names below the province `code`, or None."""
    from generator.annotate.places import in_context

    if not code or code[2:] != "0000":
        return None
    place = doc.value("place") or {}
    if place.get("city"):  # a municipality: its city is itself
        return None
    title = to_simplified(str(doc.value("title") or ""))
    named = in_context(title, gazetteer.mentions(title))
    below = {d.code: (d, title[s:e]) for d, s, e in named if d.code != code}
    if len(below) != 1:
        return None
    div, form = next(iter(below.values()))
    if not div.code.startswith(code[:2]) or not form.endswith(_UNITS):
        return None
    if any(d.code[:2] != code[:2] for d, _s, _e in in_context(text, gazetteer.mentions(text))):
        return None  # another province named too
    return div, f"{title}（标题所称{form}）"
