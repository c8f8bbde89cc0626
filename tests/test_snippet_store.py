"""The deflated snippet store (generator/publish/snippet_store.py, docs/assets/inflate.js):
the text round-trips, is smaller on real text, and the browser gets every document's
packed text back, over http and from file://."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browserlib import Traffic, serve
from conftest import collect_seeds

from generator.publish.search import pack_text
from generator.publish.snippet_store import INFLATE, body, deflate, inflate, read_file

DEVCORPUS = Path(__file__).resolve().parents[2] / "shared" / "devcorpus"


def _serialize(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def test_round_trip_and_same_bytes_every_run() -> None:
    for text in ("", "一", "（一）全面深化改革。\n二是强化保障，GDP增长5.2%。", "abc<>\"\\ 𠀀 traditional 發展"):
        packed = pack_text(text)
        assert inflate(deflate(packed)) == packed
        assert deflate(packed) == deflate(packed)


def test_body_deflates_only_where_shorter_and_reads_back() -> None:
    long = {"id": "a", "title": "标题", "packed": pack_text("坚持稳中求进工作总基调，推动高质量发展。" * 40)}
    short = {"id": "b", "title": "标题", "packed": pack_text("短文。")}
    for record in (long, short):
        b = body(record, _serialize)
        assert len(b) <= len(_serialize(record))
        assert read_file(f'SearchArchive.put("d",7,{b});\n') == record
    assert body(long, _serialize).startswith(INFLATE + "(")
    assert body(short, _serialize) == _serialize(short)  # nothing to gain: written as before


def test_smaller_on_the_seeds_real_text() -> None:
    """Each seed's text alone (as d/ stores it) is smaller deflated than packed; the
    synthetic benchmark recombines paragraphs, so this is measured on real documents."""
    docs = collect_seeds().documents
    packed = [pack_text("\n".join(d.paragraphs)) for d in docs]
    total_packed = sum(len(p.encode()) for p in packed)
    total_z = sum(min(len(deflate(p)), len(p.encode())) for p in packed)
    assert total_z < 0.9 * total_packed, (total_z, total_packed)


@pytest.mark.skipif(not (DEVCORPUS / "corpus").is_dir(), reason="../shared/devcorpus is not on this machine")
def test_smaller_on_the_development_reports() -> None:
    from generator.pipeline import collect

    docs = collect(Path(__file__).resolve().parents[1], progress=False, corpus=DEVCORPUS / "corpus").documents[:30]
    packed = [pack_text("\n".join(d.paragraphs)) for d in docs]
    assert sum(len(deflate(p)) for p in packed) < 0.8 * sum(len(p.encode()) for p in packed)


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_browser_gets_every_documents_packed_text_back(built_site, page, via) -> None:
    """search.js's own loader (SearchArchive.load) on every d/ file of the built site: the
    packed text it resolves with is the generator's, deflated files and plain ones alike."""
    site = built_site.online
    files = sorted((site / "searchindex" / "d").glob("*.js"), key=lambda f: int(f.stem))
    expected = [read_file(f.read_text(encoding="utf-8"))["packed"] for f in files]
    deflated = sum(INFLATE in f.read_text(encoding="utf-8") for f in files)
    assert deflated >= len(files) // 2, (deflated, len(files))
    traffic: Traffic = Traffic().attach(page)
    with serve(site) as base:
        url = (base if via == "http" else site.as_uri() + "/") + "search.html"
        page.goto(url)
        origin = base if via == "http" else None
        got = page.evaluate("""n => Promise.all(Array.from({length: n}, (_, i) =>
            SearchArchive.load("d", i).then(d => d.packed)))""", len(files))
    assert got == expected
    assert traffic.page_errors == [] and traffic.failures == [], (traffic.page_errors, traffic.failures)
    assert traffic.leaving(origin) == [], traffic.leaving(origin)
