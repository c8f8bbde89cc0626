"""Charts: SVG from matplotlib, labels kept as text, deterministic, with their numbers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from conftest import linked_seed_docs

from generator.publish import charts


@pytest.fixture(scope="module")
def docs():
    return linked_seed_docs()


def test_three_charts_svg_with_text_labels(docs) -> None:
    out = charts.all_charts(docs)
    assert set(out) == {"years", "provinces", "keywords"}
    for c in out.values():
        root = ET.fromstring(c.svg.encode("utf-8"))
        assert root.tag.endswith("svg")
        texts = "".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
        assert re.search(r"[\u4e00-\u9fff]", texts), f"{c.name}: labels are not SVG text"
        assert c.rows and all(len(r) == len(c.header) for r in c.rows)
        assert "<script" not in c.svg and "Date" not in c.svg.split("</metadata>")[0].split("<metadata>")[-1]


def test_numbers_match_the_archive(docs) -> None:
    years = charts.years_chart(docs)
    assert sum(int(r[1]) for r in years.rows) == len(docs)
    provinces = charts.provinces_chart(docs)
    assert sum(int(r[1]) for r in provinces.rows) == len(docs)
    for row in provinces.rows:
        if row[0] != "地点不明":
            assert row[0] in re.sub(r"<[^>]+>", " ", provinces.svg)


def test_deterministic(docs) -> None:
    a = charts.all_charts(docs)
    b = charts.all_charts(docs)
    assert all(a[k].svg == b[k].svg for k in a)
