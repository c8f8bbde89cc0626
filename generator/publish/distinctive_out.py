"""Distinctive terms in print: a line of the top terms under each province, city, year
and genre on its index page, each term linked to its trend, and data/distinctive.csv.
The scoring is link/distinctive.py."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from generator.link.distinctive import Distinctive, facet_values
from generator.model import Document
from generator.publish.indexes import anchor, trend_link

DISTINCTIVE_CSV = "distinctive.csv"
CSV_FIELDS = ["facet", "value", "rank", "term", "score", "count"]
_INDEX = {"province": "places", "city": "places", "year": "years", "genre": "genres"}


def distinctive_csv(rows: list[Distinctive]) -> bytes:
    """UTF-8 with BOM and CRLF rows, like catalog.csv; by facet, value, rank."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow({"facet": r.facet, "value": r.value, "rank": r.rank, "term": r.term,
                    "score": f"{r.score:.3f}", "count": r.count})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def index_notes(rows: list[Distinctive], docs: list[Document]) -> dict[str, list[str]]:
    """Index anchor → lines to add under that heading."""
    # a city's index anchor is keyed by its province too
    city_anchor: dict[str, str] = {}
    for d in docs:
        f = facet_values(d)
        if "city" in f:
            city_anchor.setdefault(f["city"], anchor("places", f["province"] + f["city"]))
    grouped: dict[tuple[str, str], list[Distinctive]] = defaultdict(list)
    for r in rows:
        grouped[(r.facet, r.value)].append(r)
    notes: dict[str, list[str]] = {}
    for (facet, value), items in grouped.items():
        key = city_anchor.get(value) if facet == "city" else anchor(_INDEX[facet], value)
        if not key:
            continue
        # shown by the count printed beside each (then by code point), not by z-score: a new
        # document moves every group's z-scores a little (it joins "the rest" of every other
        # group), near-tied terms swapped places, and the index pages of groups it is not in
        # changed with each swap; a group's own counts change only when it gains a document
        shown = sorted(items, key=lambda r: (-r.count, r.term))
        terms = " · ".join(f"{trend_link(r.term)} {r.count}" for r in shown)
        notes[key] = [f'<p class="sa-distinctive"><b>特色词</b>（与档案其余部分相比，前 {len(items)} 个，'
                      f'按出现次数排列；<a href="../about.html#distinctive">怎样计算</a>）：{terms}</p>', ""]
    return notes
