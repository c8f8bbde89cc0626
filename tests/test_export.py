"""Downloads for researchers: they parse, and they agree with the catalog."""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, SITE_URL, collect_seeds

from generator.publish.export import CSV_FIELDS, FEED_SIZE, gzip_bytes, newest, write_downloads


def corpus_lines(site: Path) -> list[str]:
    """The published corpus is gzip'd JSON Lines (any gzip tool opens it)."""
    import gzip

    return gzip.decompress((site / "data" / "corpus.jsonl.gz").read_bytes()).decode("utf-8").splitlines()

ATOM = "{http://www.w3.org/2005/Atom}"


def test_catalog_csv_has_bom_and_one_row_per_document(built_site, catalog) -> None:
    raw = (built_site.online / "data" / "catalog.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM: spreadsheet programs would misread Chinese"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == CSV_FIELDS
    assert [r["id"] for r in rows] == [d["id"] for d in catalog["documents"]]
    by_id = {d["id"]: d for d in catalog["documents"]}
    for r in rows:
        d = by_id[r["id"]]
        assert r["title"] == d["title"] and r["url"] == d["url"] and r["sha256"] == d["sha256"]
        assert r["keywords"] == "; ".join(d["keywords"])
        assert r["date"] == (d["date"] or "")
        assert (built_site.online / r["source_download"]).is_file()


def test_corpus_jsonl_matches_catalog(built_site, catalog) -> None:
    lines = corpus_lines(built_site.online)
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [d["id"] for d in catalog["documents"]]
    by_id = {d["id"]: d for d in catalog["documents"]}
    for r in records:
        d = by_id[r["id"]]
        assert r["keywords"] == d["keywords"]
        # the catalog has each field's value and status; the evidence is in the corpus only
        assert {k: {"value": f["value"], "status": f["status"]} for k, f in r["metadata"].items()} == d["metadata"]
        assert all(set(f) == {"value", "status"} for f in d["metadata"].values())
        assert all("evidence" in f for f in r["metadata"].values())
        assert len(r["text"]) > 50
        if r["script"] == "zh-Hant":
            assert r["text_original"] and r["text_original"] != r["text"]
        else:
            assert r["text_original"] is None


def test_corpus_text_is_the_clean_text_of_the_page(built_site, catalog) -> None:
    """Every paragraph of the download is on the page (which may escape characters)."""
    import html as htmlmod
    import re

    for line in corpus_lines(built_site.online)[:5]:
        r = json.loads(line)
        page = htmlmod.unescape(re.sub(r"<[^>]+>", "", (built_site.online / r["url"]).read_text(encoding="utf-8")))
        for para in r["text"].split("\n\n")[:20]:
            assert para.strip() in page, (r["id"], para[:40])


def test_feed_parses_with_absolute_urls(built_site, catalog) -> None:
    root = ET.parse(built_site.online / "data" / "feed.xml").getroot()
    assert root.tag == ATOM + "feed"
    entries = root.findall(ATOM + "entry")
    assert len(entries) == min(FEED_SIZE, len(catalog["documents"]))
    urls = {SITE_URL + d["url"] for d in catalog["documents"]}
    for e in entries:
        link = e.find(ATOM + "link").get("href")
        assert link in urls and e.find(ATOM + "id").text == link
        assert e.find(ATOM + "title").text
        assert e.find(ATOM + "updated").text.endswith("Z")
    assert root.find(ATOM + "link[@rel='self']").get("href") == SITE_URL + "data/feed.xml"


def test_no_feed_without_site_url(tmp_path: Path, capsys) -> None:
    docs = collect_seeds().documents
    names = write_downloads(docs, tmp_path, {d.id: "x" for d in docs}, "", "t")
    assert names == ["catalog.csv", "corpus.jsonl.gz"]
    assert not (tmp_path / "feed.xml").exists()
    assert "SITE_URL" in capsys.readouterr().out


def test_newest_are_by_date_then_id() -> None:
    docs = collect_seeds().documents
    dates = [str(d.value("date") or "") for d in newest(docs)]
    assert dates == sorted(dates, reverse=True)


def test_corpus_gzip_is_reproducible_and_standard() -> None:
    import gzip

    data = "一行\n".encode() * 1000
    a, b = gzip_bytes(data), gzip_bytes(data)
    assert a == b and gzip.decompress(a) == data
    assert a[4:8] == b"\0\0\0\0"  # no time stamp in the header
    assert len(a) < len(data) / 10


# ---------------------------------------------------------------- analysis columns (issue 18)

README = ROOT / "README.md"
COLUMN_FIXTURES = ROOT / "tests" / "fixtures" / "catalog_columns"
ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
SHAPE = {4: "year", 7: "month", 10: "day"}


def _readme_section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(title)
    end = text.find("\n## ", start + len(title))
    return text[start:end if end >= 0 else None]


@pytest.fixture(scope="module")
def fixture_downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """catalog.csv and corpus.jsonl.gz as export.py writes them, for the column fixtures and
    the seeds together (every precision, a national document, a municipality, unknowns)."""
    from generator.pipeline import collect

    docs = sorted(collect(ROOT, progress=False, corpus=COLUMN_FIXTURES).documents + collect_seeds().documents,
                  key=lambda d: d.id)
    data = tmp_path_factory.mktemp("data")
    write_downloads(docs, data, {d.id: f"archive/sources/{d.id}.txt" for d in docs}, "", "t")
    return data


def _csv_rows(data: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((data / "catalog.csv").read_bytes().decode("utf-8-sig"))))


def test_readme_documents_every_csv_column() -> None:
    section = _readme_section("**`data/catalog.csv`**")
    table = section[:section.index("**`data/corpus.jsonl.gz`**")]
    first_cells = [line.split(" | ")[0] for line in table.splitlines() if line.startswith("| `")]
    documented = re.findall(r"`([a-z_0-9]+)`", "\n".join(first_cells))
    assert sorted(documented) == sorted(CSV_FIELDS)
    analysis = _readme_section("### Analysing the downloads")
    for column in ("year", "date", "date_precision", "place", "level"):
        assert re.search(rf"^\| `{column}` \|", analysis, re.M), column


def test_analysis_columns_are_well_formed(fixture_downloads, built_site) -> None:
    for data in (fixture_downloads, built_site.online / "data"):
        rows = _csv_rows(data)
        assert {r["date_precision"] for r in rows} >= ({"year", "month", "day", ""} if data == fixture_downloads
                                                       else {"day", ""})
        for r in rows:
            if r["date"]:
                assert ISO.fullmatch(r["date"]), r
                assert r["date_precision"] == SHAPE[len(r["date"])], r
                assert r["year"] == r["date"][:4], r
                datetime.date.fromisoformat((r["date"] + "-01-01")[:10])  # a real date
            else:
                assert r["date_precision"] == "" and r["year"] == "", r
            assert r["level"] in {"", "全国", "省", "市", "县区"}, r
            if r["level"] == "全国":
                assert r["place"] == "全国" and not r["province"], r
            parts = [r["province"], r["city"], r["county"]]
            if r["place"] and r["place"] != "全国":
                # the label is the parts, each once: 北京市, not 北京市北京市
                assert r["place"] == "".join(p for i, p in enumerate(parts) if p and p not in parts[:i]), r
            assert bool(r["place"]) == (bool(r["province"]) or r["level"] == "全国"), r
        records = {json.loads(line)["id"]: json.loads(line) for line in
                   gzip.decompress((data / "corpus.jsonl.gz").read_bytes()).decode("utf-8").splitlines()}
        for r in rows:
            rec = records[r["id"]]
            for column in ("year", "date", "date_precision", "place", "level"):
                assert ("" if rec[column] is None else str(rec[column])) == r[column], (column, r["id"])


def test_readme_pandas_snippet_runs_on_the_downloads(fixture_downloads, monkeypatch) -> None:
    pd = pytest.importorskip("pandas")  # a test dependency (pyproject.toml); never missing in CI
    blocks = re.findall(r"```python\n(.*?)```", _readme_section("### Analysing the downloads"), re.S)
    assert len(blocks) == 1
    monkeypatch.chdir(fixture_downloads)
    ns: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), ns)  # noqa: S102 - the README's own snippet
    cat, days, corpus = ns["catalog"], ns["days"], ns["corpus"]
    rows = _csv_rows(fixture_downloads)
    assert len(cat) == len(corpus) == len(rows)
    assert str(cat["year"].dtype) == "Int64"
    assert ns["per_year"].to_dict() == {int(y): sum(r["year"] == y for r in rows) for y in {r["year"] for r in rows}
                                        if y}
    assert set(days["id"]) == {r["id"] for r in rows if r["date_precision"] == "day"}
    assert pd.api.types.is_datetime64_any_dtype(days["date"])
    assert ns["per_level"][("全国", "全国")] == sum(r["level"] == "全国" for r in rows) >= 1
    assert corpus.loc[corpus["date_precision"] == "year", "date"].tolist() == [
        r["date"] for r in rows if r["date_precision"] == "year"]
