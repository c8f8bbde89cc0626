"""Downloads for researchers: they parse, and they agree with the catalog."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import SITE_URL, collect_seeds

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
        assert r["keywords"] == d["keywords"] and r["metadata"] == d["metadata"]
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
