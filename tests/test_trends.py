"""Term trends (trends.html?q=TERM) in a real browser, over http and from file://: the
page's tables equal counts computed here, independently, from data/corpus.jsonl.gz.

The fixture corpus (tests/fixtures/trends/, texts written for this test) plants the term
in known documents: three times in one, once in two, twice in a traditional-script one,
and in one document only in pieces (乡村振兴示范区…生态示范带: every character pair of the
term, so a candidate for the index, but no occurrence), so a count taken from the index's character pairs instead of the text fails."""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browserlib import Traffic, serve
from conftest import ROOT, SITE_URL, copy_project, run_generator

FIXTURES = ROOT / "tests" / "fixtures" / "trends"
TERM = "乡村振兴示范带"
PLANTED = {"jiangxi-2023-planted-three-times": 3, "jiangxi-2024-planted-once": 1,
           "hunan-2025-traditional": 2, "undated-planted-once": 1, "hunan-2024-characters-apart": 0}
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("trends"), corpus=FIXTURES)
    proc = run_generator(root, "build", site_url=SITE_URL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "site"


def expected(site: Path, term: str, genre: str | None = None) -> dict[str, dict[str, list[int]]]:
    """{facet: {value: [documents, containing, occurrences, han characters]}} from the
    published corpus: the oracle, sharing no code with the page."""
    out: dict[str, dict[str, list[int]]] = {"year": defaultdict(lambda: [0, 0, 0, 0]),
                                            "place": defaultdict(lambda: [0, 0, 0, 0])}
    for line in gzip.decompress((site / "data/corpus.jsonl.gz").read_bytes()).decode("utf-8").splitlines():
        rec = json.loads(line)
        meta = rec["metadata"]
        if genre and (meta.get("genre") or {}).get("value") != genre:
            continue
        date = (meta.get("date") or {}).get("value")
        place = (meta.get("place") or {}).get("value") or {}
        n = rec["text"].count(term)
        for facet, key in (("year", str(date)[:4] if date else "年份不明"), ("place", place.get("province") or "地点不明")):
            row = out[facet][key]
            row[0] += 1
            row[1] += n > 0
            row[2] += n
            row[3] += len(HAN.findall(rec["text"]))
    return out


def test_the_planted_counts_are_what_the_corpus_says(site) -> None:
    """The oracle itself, checked against the fixture as written."""
    for line in gzip.decompress((site / "data/corpus.jsonl.gz").read_bytes()).decode("utf-8").splitlines():
        rec = json.loads(line)
        assert rec["text"].count(TERM) == PLANTED[rec["id"]], rec["id"]


def read_tables(page, term: str) -> dict[str, dict[str, list]]:
    out: dict[str, dict[str, list]] = {}
    for facet in ("year", "place"):
        rows = page.eval_on_selector_all(
            f"table.sa-trends-table[data-term='{term}'][data-facet='{facet}'] tbody tr",
            "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))")
        out[facet] = {r[0]: r[1:] for r in rows}
    return out


def links(page, term: str, facet: str) -> dict[str, str]:
    return dict(page.eval_on_selector_all(
        f"table.sa-trends-table[data-term='{term}'][data-facet='{facet}'] tbody tr",
        "rows => rows.filter(r => r.cells[2].querySelector('a'))"
        ".map(r => [r.cells[0].innerText.trim(), r.cells[2].querySelector('a').href])"))


def check(page, site: Path, term: str, genre: str | None = None) -> None:
    want = expected(site, term, genre)
    got = read_tables(page, term)
    for facet in ("year", "place"):
        assert set(got[facet]) == set(want[facet]), (facet, got[facet], dict(want[facet]))
        for key, (docs, containing, occ, chars) in want[facet].items():
            rate = f"{math.floor(occ / chars * 10000 * 100 + 0.5) / 100:.2f}" if chars else "0.00"
            assert got[facet][key] == [str(docs), str(containing), str(occ), rate], (facet, key, got[facet][key])
        for key, href in links(page, term, facet).items():
            params = parse_qs(urlsplit(href).query)
            assert params["q"] == [term] and params[facet] == [key], href
            if genre:
                assert params["genre"] == [genre]


@pytest.mark.parametrize("flavour", ["http", "file"])
def test_trend_tables_equal_independent_counts(page, site, flavour) -> None:
    with serve(site) as http:
        base = http if flavour == "http" else site.as_uri() + "/"
        traffic = Traffic().attach(page)
        page.goto(f"{base}trends.html?q={TERM}，示范", wait_until="load")
        page.wait_for_selector("#sa-trends-page .sa-status[data-state='exact']")
        check(page, site, TERM)
        check(page, site, "示范")  # a second term: a second line and its own tables
        assert page.locator("svg.sa-trends-chart polyline").count() == 2
        # the count links to the documents behind it: the search page with the filters set
        href = links(page, TERM, "year")["2023"]
        page.goto(href, wait_until="load")
        page.wait_for_selector("ol.sa-results li.sa-result")
        found = page.eval_on_selector_all("ol.sa-results a.md-search-result__link", "a => a.map(x => x.href)")
        assert len(found) == 1 and "jiangxi-2023-planted-three-times" in found[0]
        assert traffic.page_errors == [] and traffic.leaving(http if flavour == "http" else None) == []


def test_genre_filter_and_csv(page, site) -> None:
    page.goto(f"{site.as_uri()}/trends.html?q={TERM}&genre=工作报告", wait_until="load")
    page.wait_for_selector("#sa-trends-page .sa-status[data-state='exact']")
    assert page.locator("select[name='genre']").input_value() == "工作报告"
    check(page, site, TERM, genre="工作报告")
    href = page.get_attribute("a.sa-trends-csv", "href")
    assert href and href.startswith("data:text/csv")
    from urllib.parse import unquote

    rows = unquote(href.split(",", 1)[1]).lstrip("\ufeff").split("\r\n")
    assert rows[0] == "term,facet,value,documents,containing,occurrences,han_chars,per_10000"
    want = expected(site, TERM, "工作报告")
    for r in filter(None, rows[1:]):
        term, facet, value, docs, containing, occ, chars, _ = r.split(",")
        key = value or ("年份不明" if facet == "year" else "地点不明")
        assert [int(docs), int(containing), int(occ), int(chars)] == want["year" if facet == "year" else "place"][key]


def test_keyword_pages_link_their_trend(site) -> None:
    # the keywords' lists, on pages chosen by a hash of the keyword (keywords.html is their overview)
    page = "".join(p.read_text(encoding="utf-8") for p in sorted((site / "archive").glob("keywords-b*.html")))
    found = re.findall(r'class="sa-trend-link" href="\.\./trends\.html\?q=([^"]+)"', page)
    assert found, "each keyword section links its trend"
    assert 'href="trends.html"' in (site / "search.html").read_text(encoding="utf-8")


def test_over_budget_shows_an_upper_bound_then_exact_counts(page, site) -> None:
    """When the candidates' text is more than the page loads unasked, it shows the
    candidates as "至多" (never as counts) and counts exactly on request."""
    page.add_init_script("window.SA_TRENDS_BUDGET = 0;")
    page.goto(f"{site.as_uri()}/trends.html?q={TERM}", wait_until="load")
    page.wait_for_selector("#sa-trends-page .sa-status[data-state='bounded']")
    got = read_tables(page, TERM)
    assert got["year"]["2024"] == ["2", "至多 2", "待核对", "待核对"]  # both 2024 documents are candidates
    assert page.locator("svg.sa-trends-chart polyline").count() == 0 and page.locator("a.sa-trends-csv").count() == 0
    page.click("button.sa-trends-exact")
    page.wait_for_selector("#sa-trends-page .sa-status[data-state='exact']")
    check(page, site, TERM)


# ---------------------------------------------------------------- precomputed counts
# The same fixture built with a budget of 100 bytes: every term in these documents costs
# more than that, as 发展 costs more than 1.5 MB at 10,000 documents, so the build counts
# them (searchindex/tc/) and the page must show exact counts without loading any text.
FREQUENT = ["示范", "示范带", "乡村振兴"]  # a character pair, a word, a keyword; each in every document
SMALL_BUDGET = "100"


@pytest.fixture(scope="module")
def frequent_site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("trends-frequent"), corpus=FIXTURES)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GENERATOR_TRENDS_BUDGET", SMALL_BUDGET)
        proc = run_generator(root, "build", site_url=SITE_URL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "site"


def loaded_bytes(site: Path, traffic: Traffic, base: str) -> tuple[int, list[str]]:
    """Bytes of the site's files the page requested, and the search-index files among them."""
    total, index = 0, []
    for url in traffic.requests:
        if not url.startswith(base):
            continue
        rel = urlsplit(url[len(base):]).path
        path = site / rel
        if path.is_file():
            total += path.stat().st_size
        if rel.startswith("searchindex/"):
            index.append(rel)
    return total, index


@pytest.mark.parametrize("flavour", ["http", "file"])
def test_frequent_terms_are_exact_at_once_without_text(page, frequent_site, flavour) -> None:
    site = frequent_site
    for line in gzip.decompress((site / "data/corpus.jsonl.gz").read_bytes()).decode("utf-8").splitlines():
        rec = json.loads(line)
        assert all(term in rec["text"] for term in FREQUENT), rec["id"]  # the case this test is for
    with serve(site) as http:
        base = http if flavour == "http" else site.as_uri() + "/"
        traffic = Traffic().attach(page)
        page.goto(f"{base}trends.html?q={'，'.join(FREQUENT)}", wait_until="load")
        page.wait_for_selector("#sa-trends-page .sa-status[data-state='exact']")
        for term in FREQUENT:
            check(page, site, term)
        assert page.locator("button.sa-trends-exact").count() == 0
        assert page.locator("svg.sa-trends-chart polyline").count() == len(FREQUENT)
        total, index = loaded_bytes(site, traffic, base)
        assert not [f for f in index if f.startswith("searchindex/d/")], index  # no document text
        assert any(f.startswith("searchindex/tc/") for f in index), index
        assert total < 2_000_000, total
        assert traffic.page_errors == [] and traffic.leaving(http if flavour == "http" else None) == []


# 示范带/建设: a phrase across tokens each document holding it uses once, so the build does
# not count it ahead (trends_phrases takes the phrases a document repeats)
ONCE = "示范带建设"


def test_a_phrase_over_the_budget_says_so_and_counts_on_request(page, frequent_site) -> None:
    """A phrase across words that no document repeats is no index term and not counted
    ahead: over the budget the page shows upper bounds, says which terms are counted
    ahead, and counts on request."""
    page.goto(f"{frequent_site.as_uri()}/trends.html?q={ONCE}&genre=工作报告", wait_until="load")
    page.wait_for_selector("#sa-trends-page .sa-status[data-state='bounded']")
    assert "词组" in page.inner_text("#sa-trends-page .sa-status")
    page.click("button.sa-trends-exact")
    page.wait_for_selector("#sa-trends-page .sa-status[data-state='exact']")
    check(page, frequent_site, ONCE, genre="工作报告")


@pytest.mark.parametrize("flavour", ["http", "file"])
def test_a_repeated_phrase_across_tokens_is_exact_at_once(page, frequent_site, flavour) -> None:
    """乡村振兴示范带, which the segmenter cuts into 乡村振兴/示范带, is used three times in one
    document: the build counts it ahead (tc/), so the page shows exact counts without
    loading any document's text, equal to the independent count, also in the documents
    that hold it only once or in traditional script."""
    site = frequent_site
    with serve(site) as http:
        base = http if flavour == "http" else site.as_uri() + "/"
        traffic = Traffic().attach(page)
        page.goto(f"{base}trends.html?q={TERM}", wait_until="load")
        page.wait_for_selector("#sa-trends-page .sa-status[data-state='exact']")
        check(page, site, TERM)
        assert page.locator("button.sa-trends-exact").count() == 0
        total, index = loaded_bytes(site, traffic, base)
        assert not [f for f in index if f.startswith("searchindex/d/")], index  # no document text
        assert any(f.startswith("searchindex/tc/") for f in index), index
        assert traffic.page_errors == [] and traffic.leaving(http if flavour == "http" else None) == []


def test_genre_filter_on_precomputed_counts(page, frequent_site) -> None:
    page.goto(f"{frequent_site.as_uri()}/trends.html?q=示范&genre=讲话稿", wait_until="load")
    page.wait_for_selector("#sa-trends-page .sa-status[data-state='exact']")
    check(page, frequent_site, "示范", genre="讲话稿")


def test_trends_csv_equals_independent_counts(site) -> None:
    """data/trends.csv: exact yearly counts of every keyword term, against corpus.jsonl.gz."""
    import csv
    import io

    text = (site / "data/trends.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0]) == ["term", "year", "documents", "containing", "occurrences", "han_chars", "per_10000"]
    keywords = set()
    for line in gzip.decompress((site / "data/corpus.jsonl.gz").read_bytes()).decode("utf-8").splitlines():
        keywords.update(json.loads(line)["keywords"])
    assert {r["term"] for r in rows} == keywords
    for term in sorted(keywords):
        want = expected(site, term)["year"]
        got = {r["year"] or "年份不明": r for r in rows if r["term"] == term}
        assert set(got) == {y for y, v in want.items() if v[1]}, term
        for year, r in got.items():
            docs, containing, occ, chars = want[year]
            assert [int(r["documents"]), int(r["containing"]), int(r["occurrences"]), int(r["han_chars"])] == \
                [docs, containing, occ, chars], (term, year)
            assert r["per_10000"] == f"{math.floor(occ / chars * 10000 * 100 + 0.5) / 100:.2f}"
