"""The document cache's layout (cache_pack.py): a cached source read whole gives back what
was processed, read into a build's store it gives the same documents and per-document
values without loading them, and a file of another layout or cut short reads as missing."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from conftest import ROOT

from generator import cache_pack
from generator.docstore import DocumentStore, StoredDocument, TextSpill
from generator.pipeline import DocumentCache, process_source

CORPUS = ROOT / "tests" / "fixtures" / "search_corpus"


@pytest.fixture(scope="module")
def result():
    path = CORPUS / "repost_original_night_market.md"
    got = process_source(path, CORPUS, "night-market", True)
    assert got.documents and got.search_terms and got.link_prep and got.trend_counts
    return got


def test_read_gives_back_what_was_written(result, tmp_path: Path) -> None:
    path = tmp_path / "x.pickle"
    cache_pack.write(path, result)
    back = cache_pack.read(path)
    assert back is not None
    assert back.documents == result.documents
    assert back.status == result.status and back.rel == result.rel
    assert back.search_terms == result.search_terms
    assert pickle.dumps(back.link_prep) == pickle.dumps(result.link_prep)
    assert pickle.dumps(back.trend_counts) == pickle.dumps(result.trend_counts)


def test_read_into_leaves_the_parts_in_the_file(result, tmp_path: Path) -> None:
    path = tmp_path / "x.pickle"
    cache_pack.write(path, result)
    store = DocumentStore(tmp_path / "store")
    try:
        spills = {"search": store.spill(), "link": store.spill(), "trend": store.spill()}
        texts = TextSpill(store.spill())
        back = cache_pack.read_into(path, spills, texts)
        assert back is not None and not back.search_terms and not back.link_prep
        assert all(isinstance(d, StoredDocument) for d in back.documents)
        assert back.documents == result.documents  # texts read from the cache file
        assert dict(spills["search"]) == result.search_terms
        assert pickle.dumps(dict(spills["link"])) == pickle.dumps(result.link_prep)
        assert pickle.dumps(dict(spills["trend"])) == pickle.dumps(result.trend_counts)
        # a stage that changes a text changes the store, never the cache file
        before = path.read_bytes()
        doc = back.documents[0]
        doc.paragraphs = [*doc.paragraphs, "补充一段。"]
        assert doc.paragraphs[-1] == "补充一段。" and path.read_bytes() == before
        # pickled, a stored document is the plain Document it stands for
        assert pickle.loads(pickle.dumps(back.documents[1 if len(back.documents) > 1 else 0])) is not None
    finally:
        store.close()


def test_other_layouts_and_cut_files_read_as_missing(result, tmp_path: Path) -> None:
    cache = DocumentCache(tmp_path)
    key = "ab" + "0" * 62
    cache.put(key, result)
    path = tmp_path / "ab" / f"{key}.pickle"
    assert cache.get(key) is not None
    data = path.read_bytes()
    path.write_bytes(pickle.dumps(result))  # the former layout: one pickle
    assert cache.get(key) is None
    path.write_bytes(data[: len(data) // 2])
    assert cache.get(key) is None
    path.write_bytes(data[:-3])
    assert cache.get(key) is None
