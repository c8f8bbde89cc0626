"""The division the main speaker's post names, where the text's place stops above it.

A provincial paper's interview with a delegate (`省第十三次党代会代表、佳木斯市汤原县委书记
某某` … `他说` … `汤原县将…`) names the province far more often than the county, so the
gazetteer's count settles on the province; the page is the county secretary's, and his post
says which county. The place narrows to the division the main speaker's post names when:

- the post names it in full, with its unit (`汤原县委书记`, `某市市长`), not by a bare short
  name, and names no division outside its lineage;
- it lies inside the place already found, below it (a province narrows to a city or a
  county, a city to a county), never beside it.

A speaker is someone the text has speak (`speaker.py`); an official only listed as present
is not, so a visitor's post does not move the place.
"""

from __future__ import annotations

from generator.annotate import gazetteer
from generator.annotate.gazetteer import Division
from generator.model import Document


def post_division(doc: Document, code: str) -> tuple[Division, str] | None:
    """(the division, evidence) the main speaker's post names inside the place `code`
    already found, or None (see the module docstring)."""
    speakers = doc.value("speakers") or []
    if not code or not speakers or not isinstance(speakers[0], dict):
        return None
    role = str(speakers[0].get("role") or "")
    found = gazetteer.mentions(role)
    if not found:
        return None
    idx = gazetteer._index()
    full = [d for d, s, e in found if e - s >= len(d.name)]
    if not full or len(full) != len(found):
        return None  # a bare short name in a post may be a word or a person
    deepest = max(full, key=lambda d: idx.depth(d.code))
    lineage = idx.lineage[deepest.code]
    if any(d.code not in lineage for d in full) or code not in lineage or code == deepest.code:
        return None
    name = speakers[0].get("name")
    return deepest, f"{role}{name or ''}（讲话人的职务所在）"
