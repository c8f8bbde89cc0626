"""generator/publish/search_merge.py: the search index assembled from per-document parts
and a cache of the previous build's term ids writes the same bytes as a cold build, after
a document is added, removed or edited, and whatever state the cache file is in."""

from __future__ import annotations

import copy
import pickle
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT
from searchlib import linked_archive, linked_copies

from generator.publish.search import build_index, compact_terms, fnv1a
from generator.publish.search_merge import PostingsCache, Vocabulary, compact, fnv1a_many

CORPUS = ROOT / "tests" / "fixtures" / "search_corpus"


def test_fnv1a_many_equals_fnv1a() -> None:
    terms = ["", "a", "foobar", "县", "县域", "#县域", "高质量发展", "gdp2023", "𠀋字", "县域", "x" * 40]
    assert fnv1a_many(terms).tolist() == [fnv1a(t) for t in terms]
    assert fnv1a_many([]).tolist() == []


def test_vocabulary_numbers_terms_by_first_occurrence() -> None:
    v = Vocabulary(["乙", "甲"])
    assert v.add(["甲", "丙"]).tolist() == [1, 2]
    assert v.add(["丁", "乙", "丙"]).tolist() == [3, 0, 2]
    assert v.terms() == ["乙", "甲", "丙", "丁"]
    assert Vocabulary(["乙"]).terms() == ["乙"]  # no dictionary made when nothing is added


def test_compact_drops_unused_terms_and_renumbers() -> None:
    terms, tids = compact(["a", "b", "c", "d"], np.array([3, 1, 3], dtype=np.int32))
    assert terms == ["b", "d"] and tids.tolist() == [1, 0, 1]


@pytest.fixture(scope="module")
def archive():
    return linked_archive(CORPUS)


def _linked(docs):
    return linked_copies(docs)


def test_cached_ids_give_the_cold_build_after_add_remove_and_edit(archive, tmp_path: Path) -> None:
    docs = sorted(archive.documents, key=lambda d: d.id)
    terms = archive.search_terms
    cache = tmp_path / "search"
    cold = build_index(docs, terms)
    # built without one document, then with it: only the new document's ids are looked up
    fewer = _linked(docs[:2] + docs[3:])
    assert build_index(fewer, terms, cache_dir=cache) == build_index(fewer, terms)
    assert build_index(docs, terms, cache_dir=cache) == cold
    saved = pickle.loads((cache / "postings.pickle").read_bytes())
    assert len(saved["slices"]) == len({terms[d.id].keys for d in docs})  # a repost's terms once
    # removed: the terms only it held leave the index
    assert build_index(fewer, terms, cache_dir=cache) == build_index(fewer, terms)
    # edited: a document whose terms changed is looked up again, under its new terms
    edited = copy.deepcopy(docs)
    edited[0].paragraphs = [*edited[0].paragraphs, "新增一段关于数字乡村建设的说明。"]
    from generator.annotate.segment import cut

    edited[0].tokens = cut(edited[0].search_text)
    terms2 = {**terms, edited[0].id: compact_terms(edited[0])}
    assert build_index(edited, terms2, cache_dir=cache) == build_index(edited, terms2)
    assert build_index(docs, terms, cache_dir=cache) == cold


def test_unreadable_or_foreign_cache_is_ignored(archive, tmp_path: Path) -> None:
    docs = sorted(archive.documents, key=lambda d: d.id)
    cold = build_index(docs, archive.search_terms)
    cache = tmp_path / "search"
    cache.mkdir()
    (cache / "postings.pickle").write_bytes(b"not a pickle")
    assert build_index(docs, archive.search_terms, cache_dir=cache) == cold
    (cache / "postings.pickle").write_bytes(pickle.dumps({"format": 0, "terms": ["x"]}))
    assert PostingsCache(cache).terms == []
    assert build_index(docs, archive.search_terms, cache_dir=cache) == cold


def test_records_made_by_the_worker_are_the_ones_written(archive) -> None:
    docs = sorted(archive.documents, key=lambda d: d.id)
    with_records = build_index(docs, archive.search_terms)
    without = {k: replace(v, record="") for k, v in archive.search_terms.items()}
    assert build_index(docs, without) == with_records


@pytest.mark.parametrize("groups", [2, 64])
def test_postings_built_in_spill_groups_equal_one_pass(archive, groups) -> None:
    """The index stage spills postings by term-hash group and encodes a group at a time
    (search_shards): fewer groups than shards (2) or more (64, several groups per shard),
    the files are those of one group holding everything."""
    docs = sorted(archive.documents, key=lambda d: d.id)
    one = build_index(docs, archive.search_terms, groups=1)
    assert build_index(docs, archive.search_terms, groups=groups) == one


def test_group_count_follows_the_archive() -> None:
    from generator.publish.search_shards import MAX_GROUPS, group_count

    assert group_count(10) == 1 and group_count(401) == 2
    assert group_count(100_000) == MAX_GROUPS == 256
