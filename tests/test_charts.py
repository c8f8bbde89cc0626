"""Charts: SVG from matplotlib, labels kept as text, deterministic, with their numbers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, linked_seed_docs, run_generator

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


# ---------------------------------------------------------------- legible at both widths (issue 18)

SPAN = ROOT / "tests" / "fixtures" / "year_span"  # 17 reports, 1953 to 2026: 74 years of axis
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
MIN_PX = 10  # smallest chart text as shown, in CSS pixels (the page's own small print is 12.8)


def test_years_are_a_few_integer_ticks_not_one_per_year() -> None:
    from generator.pipeline import collect

    docs = collect(ROOT, progress=False, corpus=SPAN).documents
    chart = charts.years_chart(docs)
    assert len(chart.rows) == 2026 - 1953 + 1  # the table keeps every year, gaps included
    for svg, most in ((chart.svg, charts.YEAR_TICKS[charts.WIDE]), (chart.svg_narrow, charts.YEAR_TICKS[charts.NARROW])):
        root = ET.fromstring(svg.encode("utf-8"))
        ticks = [t.text for g in root.iter() if g.get("id", "").startswith("xtick_")
                 for t in g.iter() if t.tag.endswith("text")]
        assert 2 <= len(ticks) <= most + 1, ticks
        assert all(re.fullmatch(r"\d{4}", t) for t in ticks), ticks


@pytest.fixture(scope="module")
def span_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("span"), SPAN)
    proc = run_generator(root, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "site"


MEASURE_SVG = """() => [...document.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    const axis = t.closest('g[id^="xtick_"]') ? 'x' : t.closest('g[id^="ytick_"]') ? 'y' : '';
    const m = t.getScreenCTM();  // rotated labels (the y-axis title) scale by the matrix's norm
    return {text: t.textContent, axis, px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b),
            box: [r.left, r.top, r.right, r.bottom]};
})"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.browser
@pytest.mark.parametrize("width", list(WIDTHS))
def test_charts_legible_at_both_widths(span_site, page, width) -> None:
    """Each chart on the home page, as the browser picks and scales it: every label at least
    MIN_PX pixels high as shown, and no two tick labels of an axis overlapping."""
    page.set_viewport_size(WIDTHS[width])
    page.goto((span_site / "index.html").as_uri())
    shown = []
    for img in page.locator("figure.sa-chart img").all():
        img.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
        shown.append(img.evaluate("img => ({src: img.currentSrc, shown: img.getBoundingClientRect().width,"
                                  " natural: img.naturalWidth})"))
    assert len(shown) == 3
    svg_page = page.context.new_page()
    for chart in shown:
        assert chart["src"].endswith("-narrow.svg") == (width == "phone"), chart["src"]
        assert chart["shown"] <= WIDTHS[width]["width"]
        scale = chart["shown"] / chart["natural"]
        svg_page.goto(chart["src"])
        texts = svg_page.evaluate(MEASURE_SVG)
        small = [(t["text"], round(t["px"] * scale, 1)) for t in texts if t["px"] * scale < MIN_PX]
        assert small == [], (chart["src"], small)
        for axis in ("x", "y"):
            boxes = [t for t in texts if t["axis"] == axis]
            clashes = [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                       if _overlap(a["box"], b["box"])]
            assert clashes == [], (chart["src"], axis, clashes)
    svg_page.close()
