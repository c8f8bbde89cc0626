"""Analysis-ready columns for the downloads (catalog.csv, corpus.jsonl.gz).

A researcher loading the catalog into pandas or R wants one column per question: which
year, how exact is the date, which place (one label), which level of government. The
metadata keeps what annotation found, with its evidence; these functions only reshape it,
and never fill a gap: an unknown stays an empty cell (None).

- `date` is ISO 8601 at the precision the source gives (2025, 2025-03, 2025-03-05); a
  shorter date is never padded to a day the text does not name. `date_precision`
  (year/month/day) always stands beside it and is read off the date's own shape, so the
  two cannot disagree; `year` is its first four digits, the column most analyses group by.
- `place` is the label lists show (labels.place_label: 全国 for national documents, a
  municipality named once). `level` is 全国/省/市/县区 as annotation decided it, or empty:
  labels.level_label would fill a missing level from the place's lowest part, but on the
  development pages (144 hand-checked scraped pages) that guess was right once and wrong
  twice where the gold knows the level, so a download does not carry it.
"""

from __future__ import annotations

import re

from generator.model import Document
from generator.publish.labels import LEVELS, place_label

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
PRECISIONS = ("year", "month", "day")


def iso_date(doc: Document) -> tuple[str | None, str | None]:
    """(date, precision): the ISO date as far as the source gives it, and which part it has.
    A value with a time or zone after the day keeps the day (the time is `published`)."""
    v = doc.value("date")
    m = _ISO.match(str(v)) if v else None
    if not m:
        return None, None
    parts = [p for p in m.groups() if p]
    return "-".join(parts), PRECISIONS[len(parts) - 1]


def year(doc: Document) -> int | None:
    date, _precision = iso_date(doc)
    return int(date[:4]) if date else None


def level(doc: Document) -> str | None:
    lvl = doc.value("level")
    return str(lvl) if lvl in LEVELS else None


def analysis_columns(doc: Document) -> dict[str, str | int | None]:
    """The columns both downloads add, in the order the CSV shows them."""
    date, precision = iso_date(doc)
    return {"year": year(doc), "date": date, "date_precision": precision, "place": place_label(doc),
            "level": level(doc)}
