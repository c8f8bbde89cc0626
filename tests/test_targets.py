"""Stated targets: read from the sentence that announces them, never from a review of the
past year, a five-year plan or an ambiguous "分别" clause; shown on the page, on the targets
page and in data/targets.csv, each linked to its paragraph.

The expectations below were written by reading the fixtures (tests/fixtures/targets/,
texts written for these cases), not copied from the generator's output."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from browserlib import Traffic, serve
from conftest import ROOT, SITE_URL, copy_project, run_generator

from generator.annotate.targets import parse_clause

FIXTURES = ROOT / "tests" / "fixtures" / "targets"

# (indicator, change, low, high, unit, qualifier) per file, and the year they are for
EXPECTED = {
    "province_work_report_2025.txt": (2025, [
        ("地区生产总值", "增长", "5.5", "", "%", "左右"),
        ("一般公共预算收入", "增长", "3", "", "%", ""),
        ("城镇新增就业", "", "40", "", "万人", "以上"),
        ("城镇调查失业率", "", "5.5", "", "%", "以内"),
        ("居民消费价格", "涨幅", "3", "", "%", "左右"),
        ("粮食产量", "", "430", "", "亿斤", "以上"),
    ]),
    # a December speech: 明年 is the year after the speech
    "city_economic_work_conference_2024.txt": (2025, [
        ("全市生产总值", "增长", "6", "", "%", "左右"),
        ("固定资产投资", "增长", "8", "", "%", ""),
        ("社会消费品零售总额", "增长", "6.5", "", "%", "左右"),
        ("居民消费价格", "涨幅", "3", "", "%", "以内"),
    ]),
    # the announcing sentence broken over three lines by a scraped page; the one-sentence
    # restatement of the growth target is the same target, the 2024 target recalled is none
    "county_report_wrapped_intro_2026.txt": (2026, [
        ("地区生产总值", "增长", "6", "6.5", "%", ""),
        ("一般公共预算收入", "增长", "4", "", "%", "左右"),
    ]),
}
# review figures and plan figures of the fixtures that must never be read as targets
NEVER = ["5.2", "3100", "4.1", "5.3", "0.4", "6.1", "5.8", "210", "5.9"]


@pytest.fixture(scope="module")
def found():
    from generator.annotate.targets import extract
    from generator.pipeline import collect

    docs = collect(ROOT, progress=False, corpus=FIXTURES, workers=1).documents
    return {d.source_path: (d, extract(d)) for d in docs}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_targets_read_from_the_announcing_sentence(found, name) -> None:
    year, expected = EXPECTED[name]
    doc, targets = found[name]
    got = [(t.indicator, t.change, t.low, t.high, t.unit, t.qualifier) for t in targets]
    assert got == expected
    assert {t.year for t in targets} == {year}
    paragraphs = doc.simplified or doc.paragraphs
    for t in targets:
        assert t.clause in paragraphs[t.n - 1], "the evidence paragraph holds the clause"
        assert t.clause in t.sentence


def test_review_and_plan_figures_are_not_targets(found) -> None:
    for _doc, targets in found.values():
        for t in targets:
            assert t.low not in NEVER and "年均" not in t.clause and "分别" not in t.clause, t


@pytest.mark.parametrize("clause,expected", [
    ("城镇调查失业率控制在5.5%以内", ("城镇调查失业率", "", "5.5", "", "%", "以内")),
    ("国内生产总值增长6%－6.5%", ("国内生产总值", "增长", "6", "6.5", "%", "")),
    ("城镇新增就业人数不低于900万人", ("城镇新增就业人数", "", "900", "", "万人", "不低于")),
    ("居民消费价格总水平上涨幅度控制在2%左右", ("居民消费价格总水平", "上涨幅度", "2", "", "%", "左右")),
    ("地区生产总值按增长5%安排", ("地区生产总值", "增长", "5", "", "%", "")),
])
def test_parse_clause(clause, expected) -> None:
    p = parse_clause(clause)
    assert p is not None
    assert (p["indicator"], p["change"], p["low"], p["high"], p["unit"], p["qualifier"]) == expected


@pytest.mark.parametrize("clause", [
    "城乡居民人均可支配收入分别增长5%和6%",  # one number, two indicators
    "城镇、农村居民人均可支配收入均增长8%",
    "去年地区生产总值增长5.2%",
    "进出口稳中提质",  # no number
    "其中一二三产增加值增长3%左右",
])
def test_ambiguous_or_past_clauses_are_left_out(clause) -> None:
    assert parse_clause(clause) is None


# ---------------------------------------------------------------- on the site


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("targets"), corpus=FIXTURES)
    proc = run_generator(root, "build", site_url=SITE_URL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "site"


def test_targets_csv(site) -> None:
    raw = (site / "data" / "targets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == sum(len(v[1]) for v in EXPECTED.values())
    for r in rows:
        assert r["url"].startswith("archive/speeches/") and re.search(r"\.html#p-\d+$", r["url"]), r["url"]
        page = (site / r["url"].split("#")[0]).read_text(encoding="utf-8")
        assert f'id="{r["url"].split("#")[1]}"' in page
        assert r["clause"] in r["sentence"]
    gdp = [r for r in rows if r["key"] == "生产总值"]
    assert sorted((r["year"], r["low"], r["high"]) for r in gdp) == [("2025", "5.5", ""), ("2025", "6", ""),
                                                                    ("2026", "6", "6.5")]


def test_targets_table_on_the_page(site) -> None:
    csv_rows = list(csv.DictReader(io.StringIO((site / "data/targets.csv").read_text(encoding="utf-8-sig"))))
    url = next(r["url"] for r in csv_rows if r["indicator"] == "粮食产量").split("#")[0]
    page = (site / url).read_text(encoding="utf-8")
    assert 'id="targets"' in page and "主要预期目标" in page
    assert "430亿斤以上" in page and 'href="#p-' in page


@pytest.mark.browser
@pytest.mark.parametrize("flavour", ["http", "file"])
def test_targets_page_links_each_value_to_its_sentence(page, site, flavour) -> None:
    with serve(site) as http:
        base = http if flavour == "http" else site.as_uri() + "/"
        traffic = Traffic().attach(page)
        page.goto(f"{base}archive/targets.html", wait_until="load")
        table = page.locator("article table").first
        text = table.inner_text()
        assert "2026" in text and "2025" in text and "增长6–6.5%" in text
        # newest year first
        assert text.index("2026") < text.index("2025")
        link = table.locator("a", has_text="增长5.5%左右").first
        link.click()
        page.wait_for_load_state("load")
        assert re.search(r"/speeches/[^/]+\.html#p-\d+$", page.url), page.url
        n = page.url.rsplit("#", 1)[1]
        assert "地区生产总值增长5.5%左右" in page.locator(f"[id='{n}']").inner_text()
        assert traffic.page_errors == [] and traffic.leaving(http if flavour == "http" else None) == []
