"""The per-document stages run in a process pool and are cached per source: a second run
reuses every result, adding one document recomputes one, and the pool gives the same
documents in the same order as a single process."""

from __future__ import annotations

import pytest
from conftest import ROOT, SEEDS, copy_project

from generator import pipeline
from generator.pipeline import collect, generate

SEARCH_CORPUS = ROOT / "tests" / "fixtures" / "search_corpus"


def test_second_run_reuses_cache_and_one_new_document_is_one_miss(tmp_path) -> None:
    root = copy_project(tmp_path / "p")
    first = generate(root, progress=False)
    n = first.sources
    assert (first.cache_hits, first.cache_misses) == (0, n)
    second = generate(root, progress=False)
    assert (second.cache_hits, second.cache_misses) == (n, 0)
    assert second.files_written == 0, "an unchanged corpus must rewrite nothing"
    (root / "corpus" / "zz_new_speech.txt").write_text(
        "全县秋季农业生产工作会议召开\n\n会议要求，各乡镇要抓紧秋收秋种，确保颗粒归仓。\n", encoding="utf-8")
    third = generate(root, progress=False)
    assert (third.cache_hits, third.cache_misses) == (n, 1)
    assert len(third.documents) == len(second.documents) + 1
    assert (root / "docs" / "archive" / "speeches" / "zz-new-speech.md").is_file()


def test_changed_annotation_invalidates_that_source_only(tmp_path) -> None:
    root = copy_project(tmp_path / "p")
    generate(root, progress=False)
    source = sorted((root / "corpus").iterdir())[0]
    source.with_name(source.name + ".meta.yml").write_text("note: 编辑说明。\n", encoding="utf-8")
    report = generate(root, progress=False)
    assert report.cache_misses == 1


def test_pool_gives_same_documents_in_same_order(monkeypatch, tmp_path) -> None:
    """spawn-context workers, results in source order; a broken file's error comes back."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for src in (*sorted(SEEDS.iterdir()), *sorted(SEARCH_CORPUS.iterdir())):
        (corpus / src.name).write_bytes(src.read_bytes())
    (corpus / "broken.md").write_text("---\ntitle: [unclosed\n---\n正文。\n", encoding="utf-8")
    serial = collect(ROOT, progress=False, corpus=corpus, segment=True, workers=1)
    monkeypatch.setattr(pipeline, "POOL_MIN", 1)
    pooled = collect(ROOT, progress=False, corpus=corpus, segment=True, workers=2)
    assert [d.id for d in pooled.documents] == [d.id for d in serial.documents]
    assert [d.paragraphs for d in pooled.documents] == [d.paragraphs for d in serial.documents]
    assert [pooled.link_prep[d.id].counts for d in pooled.documents] == [
        serial.link_prep[d.id].counts for d in serial.documents]
    assert pooled.search_terms == serial.search_terms
    assert pooled.errors == serial.errors and any("broken.md" in e for e in pooled.errors)
    # with a cache, the workers write the results and the parent reads them back after the
    # pool exits: the same documents, every one cached, and the next run all hits
    cached = collect(ROOT, progress=False, corpus=corpus, segment=True, workers=2, cache_dir=tmp_path / "cache")
    assert [d.id for d in cached.documents] == [d.id for d in serial.documents]
    assert [d.paragraphs for d in cached.documents] == [d.paragraphs for d in serial.documents]
    assert cached.search_terms == serial.search_terms
    assert cached.errors == serial.errors
    again = collect(ROOT, progress=False, corpus=corpus, segment=True, workers=2, cache_dir=tmp_path / "cache")
    assert again.cache_misses == 0 and again.cache_hits == cached.cache_misses > 0
    # a fresh pool every 3 documents a worker (DOCS_PER_WORKER, for memory): the same results
    monkeypatch.setattr(pipeline, "DOCS_PER_WORKER", 3)
    assert len(list(pipeline._pool_groups(list(range(len(serial.documents) + 1)), 2, False))) >= 3
    regrouped = collect(ROOT, progress=False, corpus=corpus, segment=True, workers=2, cache_dir=tmp_path / "cache2")
    assert [d.id for d in regrouped.documents] == [d.id for d in serial.documents]
    assert [d.paragraphs for d in regrouped.documents] == [d.paragraphs for d in serial.documents]
    assert regrouped.search_terms == serial.search_terms and regrouped.errors == serial.errors


def test_pool_groups_are_equal_and_cover_every_item(monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "DOCS_PER_WORKER", 10)
    for n in (0, 1, 19, 20, 21, 95):
        groups = list(pipeline._pool_groups(list(range(n)), 2, False))
        assert [x for g in groups for x in g] == list(range(n))
        assert all(len(g) <= 20 for g in groups) and len(groups) == -(-n // 20)
        assert max(map(len, groups), default=0) - min(map(len, groups), default=0) <= len(groups)
    assert len(list(pipeline._pool_groups(list(range(95)), 2, True))) == 1  # a cluster keeps its workers


@pytest.mark.parametrize("damage", [b"", b"not a pickle"])
def test_damaged_cache_entry_is_recomputed(tmp_path, damage) -> None:
    root = copy_project(tmp_path / "p")
    generate(root, progress=False)
    entry = sorted((root / ".cache" / "documents").rglob("*.pickle"))[0]
    entry.write_bytes(damage)
    report = generate(root, progress=False)
    assert report.cache_misses == 1 and not report.errors
