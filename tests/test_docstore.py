"""The build's temporary store (generator/docstore.py): per-document results kept in a
file behave as the dict they replace, the file goes when the build ends, and a
build that reads its search terms and link data back from the store gives the documents
and per-document results of one that held them in memory."""

from __future__ import annotations

import pytest
from conftest import ROOT, SEEDS

from generator import pipeline
from generator.docstore import DocumentStore
from generator.pipeline import collect

SEARCH_CORPUS = ROOT / "tests" / "fixtures" / "search_corpus"


def test_spill_is_a_dict_of_its_values(tmp_path) -> None:
    store = DocumentStore(tmp_path)
    spill, plain = store.spill(), {}
    for k, v in [("b", {"词": 2}), ("a", ["一", "二"]), ("c", b"\x00\x01"), ("b", {"词": 3})]:
        spill[k] = v
        plain[k] = v
    assert list(spill) == list(plain) == ["b", "a", "c"]  # set again: keeps its place
    assert spill == plain and len(spill) == 3 and "a" in spill and "z" not in spill
    got = spill["b"]
    got["词"] = 99  # a copy: the stored value does not change
    assert spill["b"] == {"词": 3}
    assert spill.pop("a") == ["一", "二"] and "a" not in spill
    assert spill.get("a") is None and spill.pop("a", None) is None
    with pytest.raises(KeyError):
        spill["a"]
    other = store.spill()  # two spills share one file without mixing their values
    other["b"] = "other"
    assert spill["b"] == {"词": 3} and other["b"] == "other"
    store.close()


def test_store_file_is_gone_when_closed(tmp_path) -> None:
    store = DocumentStore(tmp_path / "cache")
    store.spill()["x"] = "值" * 10_000
    assert list((tmp_path / "cache").iterdir()) == []  # unnamed: nothing for a crash to leave
    store.close()
    assert list((tmp_path / "cache").iterdir()) == []


@pytest.mark.parametrize("workers", [1, 2])
def test_collect_with_store_equals_collect_in_memory(monkeypatch, tmp_path, workers) -> None:
    """cold (results written by the workers, read back one by one), warm (all from the
    cache) and with a damaged cache entry (done again, counted as a miss)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for src in (*sorted(SEEDS.iterdir()), *sorted(SEARCH_CORPUS.iterdir())):
        (corpus / src.name).write_bytes(src.read_bytes())
    (corpus / "broken.md").write_text("---\ntitle: [unclosed\n---\n正文。\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "POOL_MIN", 1)
    plain = collect(ROOT, progress=False, corpus=corpus, segment=True, workers=workers)
    cache = tmp_path / "cache"

    def stored() -> pipeline.Report:
        store = DocumentStore(tmp_path / "store")
        report = collect(ROOT, progress=False, corpus=corpus, segment=True, workers=workers, cache_dir=cache,
                         store=store)
        assert [d.id for d in report.documents] == [d.id for d in plain.documents]
        assert [d.paragraphs for d in report.documents] == [d.paragraphs for d in plain.documents]
        assert [d.meta for d in report.documents] == [d.meta for d in plain.documents]
        assert list(report.search_terms) == list(plain.search_terms)
        assert report.search_terms == plain.search_terms
        assert list(report.link_prep) == list(plain.link_prep)
        assert [report.link_prep[i].counts for i in plain.link_prep] == [p.counts for p in plain.link_prep.values()]
        assert report.errors == plain.errors and any("broken.md" in e for e in report.errors)
        store.close()
        return report

    cold = stored()
    assert cold.cache_hits == 0 and cold.cache_misses == cold.sources
    warm = stored()
    assert warm.cache_misses == 0 and warm.cache_hits == warm.sources
    sorted(cache.rglob("*.pickle"))[0].write_bytes(b"not a pickle")
    damaged = stored()
    assert (damaged.cache_hits, damaged.cache_misses) == (damaged.sources - 1, 1)


def test_stored_documents_read_their_text_from_the_store(tmp_path) -> None:
    """What collect gives with a store: documents whose texts live in the store's file,
    equal field for field to the plain ones, pickled and loaded as plain Documents, and
    only the last few documents' texts in memory."""
    import dataclasses
    import pickle

    from generator.docstore import TEXT_FIELDS, StoredDocument, TextSpill
    from generator.model import Document

    plain = collect(ROOT, progress=False, corpus=SEEDS, segment=True)
    store = DocumentStore(tmp_path / "store")
    report = collect(ROOT, progress=False, corpus=SEEDS, segment=True, cache_dir=tmp_path / "cache", store=store)
    docs = report.documents
    assert docs and all(type(d) is StoredDocument for d in docs)
    for a, b in zip(plain.documents, docs, strict=True):
        assert b == a and a == b
        assert not set(TEXT_FIELDS) & set(vars(b))  # not held by the object
        assert dataclasses.asdict(b) == dataclasses.asdict(a)
        assert b.search_text == a.search_text and b.chars == a.chars
        back = pickle.loads(pickle.dumps(b))
        assert type(back) is Document and back == a and vars(back) == vars(a)
        assert list(vars(back)) == list(vars(a))  # the plain Document's field order
    texts: TextSpill = docs[0]._texts
    assert len(texts._recent) <= TextSpill.CACHED
    first = docs[0]
    first.paragraphs = ["改过的一段。"]  # a stage that sets a text field writes it to the store
    texts._recent.clear()
    assert first.paragraphs == ["改过的一段。"] and first.removals == plain.documents[0].removals
    store.close()
