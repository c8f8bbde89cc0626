"""Citations hold only what the archive knows, with the page's URL."""

from __future__ import annotations

import json

import pytest
from conftest import collect_seeds

from generator.model import Document, Field
from generator.publish.cite import bibtex, csl, gbt7714, page_url


def doc(**meta) -> Document:
    d = Document(id="010-abc-p02", file_id="010-abc", part=2, parts_total=3, source_path="010.txt", sha256="0" * 64,
                 encoding="utf-8", body_format="text", paragraphs=["正文。"])
    for k, v in meta.items():
        d.meta[k] = Field(v, "inferred", None)
    return d


FULL = dict(title="在全市经济工作会议上的讲话", speakers=[{"name": "王某某", "role": "市长"}], date="2023-01-05",
            date_precision="day", source={"name": "某某日报", "url": "http://example.com/a"}, meeting="全市经济工作会议",
            genre="讲话稿", place={"province": "甘肃省", "city": "庆阳市"})
URL = "https://example.org/speech-archive/archive/speeches/010-abc-p02.html"


def test_gbt7714_full() -> None:
    assert gbt7714(doc(**FULL), URL) == f"王某某. 在全市经济工作会议上的讲话[EB/OL]. 某某日报, 2023-01-05. {URL}."


def test_gbt7714_leaves_out_what_is_unknown() -> None:
    d = doc(title="某县经济工作会议召开", date=None)
    assert gbt7714(d, URL) == f"某县经济工作会议召开[EB/OL]. {URL}."


def test_date_precision_is_respected() -> None:
    d = doc(**{**FULL, "date": "2023-01-01", "date_precision": "year"})
    assert ", 2023. " in gbt7714(d, URL)
    assert csl(d, URL)["issued"] == {"date-parts": [[2023]]}


def test_bibtex_escapes_and_parses_as_one_entry() -> None:
    d = doc(**{**FULL, "title": "讲话{草稿}_100%"})
    b = bibtex(d, URL)
    assert b.startswith("@misc{speech-010-abc-p02,\n") and b.endswith("\n}")
    assert r"讲话\{草稿\}\_100\%" in b
    assert "author = {王某某}" in b and f"url = {{{URL}}}" in b
    assert b.count("{") - b.count(r"\{") == b.count("}") - b.count(r"\}")


def test_csl_json() -> None:
    item = csl(doc(**FULL), URL)
    assert item["type"] == "speech" and item["URL"] == URL
    assert item["author"] == [{"literal": "王某某"}]
    assert item["issued"] == {"date-parts": [[2023, 1, 5]]}
    assert item["publisher"] == "某某日报" and item["event-place"] == "甘肃省庆阳市"
    json.dumps(item)


def test_page_url_from_site_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://example.org/repo")
    assert page_url(doc(**FULL)) == "https://example.org/repo/archive/speeches/010-abc-p02.html"
    monkeypatch.setenv("SITE_URL", "")
    assert page_url(doc(**FULL)) == "archive/speeches/010-abc-p02.html"


def test_every_seed_has_a_citation() -> None:
    for d in collect_seeds().documents:
        ref = gbt7714(d, "U")
        assert d.title in ref and ref.endswith("U.")
