"""generator/link/neighbours.py: similar speeches started from the previous build's
candidates and bounds are exactly the ones a cold link stage computes, after documents
are added, removed or edited; rows the bound cannot settle are computed whole."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, SEEDS

from generator.link import link, tfidf_vectors
from generator.link.neighbours import KEEP, NeighbourMemo, keep_best
from generator.tools.bench import synthetic_corpus


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory):
    from generator.pipeline import collect

    corpus = tmp_path_factory.mktemp("syn") / "corpus"
    synthetic_corpus(ROOT, corpus, 40, corpus=SEEDS)
    report = collect(ROOT, progress=False, corpus=corpus, segment=True)
    assert not report.errors
    return sorted(report.documents, key=lambda d: d.id), report.link_prep


def linked(docs, prep, cache: Path | None = None):
    docs = copy.deepcopy(docs)
    stats = link(docs, prep, cache)
    return {d.id: (d.related, d.keywords, d.duplicates) for d in docs}, stats


def test_small_archives_are_computed_whole(archive, tmp_path: Path) -> None:
    docs, prep = archive
    linked(docs[:-1], prep, tmp_path / "link")
    # 40 documents: each row's share of the block product is cheaper than its candidates
    assert linked(docs, prep, tmp_path / "link")[1]["similar_rows_reused"] == 0


def test_memo_gives_the_cold_result_after_add_remove_and_edit(archive, tmp_path: Path, monkeypatch) -> None:
    # every row tried from the memo whatever it costs, so the proof path runs on 40 documents
    monkeypatch.setattr("generator.link.neighbours.COST_FACTOR", 0)
    docs, prep = archive
    cache = tmp_path / "link"
    first, stats = linked(docs[:-1], prep, cache)
    assert first == linked(docs[:-1], prep)[0]
    assert stats["similar_rows_recomputed"] == len(docs) - 1  # nothing kept yet
    assert any(r for r, _k, _d in first.values())
    added, stats = linked(docs, prep, cache)
    assert added == linked(docs, prep)[0]
    assert stats["similar_rows_reused"] > len(docs) // 2, stats
    fewer = docs[:5] + docs[6:]
    assert linked(fewer, prep, cache)[0] == linked(fewer, prep)[0]
    edited = copy.deepcopy(docs)
    other = prep[docs[7].id]
    prep2 = {**prep, edited[3].id: other}  # document 3 now has document 7's terms
    assert linked(edited, prep2, cache)[0] == linked(edited, prep2)[0]
    # unchanged archive: every row settled by its kept candidates
    linked(docs, prep, cache)
    again, stats = linked(docs, prep, cache)
    assert again == linked(docs, prep)[0] and stats["similar_rows_recomputed"] == 0


def test_memo_of_another_generator_version_is_ignored(archive, tmp_path: Path) -> None:
    docs, prep = archive
    cache = tmp_path / "link"
    linked(docs, prep, cache)
    path = cache / "neighbours.pickle"
    data = pickle.loads(path.read_bytes())
    data["version"] = "other"
    path.write_bytes(pickle.dumps(data))
    mat, vocab, _ = tfidf_vectors(docs, prep)
    memo = NeighbourMemo(cache, [d.id for d in docs], mat, vocab)
    assert not memo.old and memo.candidates(0) is None
    path.write_bytes(b"garbage")
    assert linked(docs, prep, cache)[0] == linked(docs, prep)[0]


def test_moved_documents_are_measured_against_their_previous_vectors(archive, tmp_path: Path) -> None:
    docs, prep = archive
    cache = tmp_path / "link"
    linked(docs[:-1], prep, cache)
    mat, vocab, _ = tfidf_vectors(docs, prep)
    memo = NeighbourMemo(cache, [d.id for d in docs], mat, vocab)
    assert np.isinf(memo.moved[-1])  # new: always rescored
    assert (memo.moved[:-1] >= 0).all() and np.isfinite(memo.moved[:-1]).all()
    assert memo.by_moved[0] == len(docs) - 1  # the most moved first
    assert len(docs) - 1 in memo.moved_over(1.0, len(docs)).tolist()
    # the bound: |u·v − u'·v'| ≤ ‖u − u'‖ + ‖v − v'‖ for every pair kept from the previous build
    old = pickle.loads((cache / "neighbours.pickle").read_bytes())
    old_mat = old["mat"]
    for r, row in memo.old.items():
        for c, s in zip(row.cands.tolist(), row.scores.tolist(), strict=True):
            now = float(mat[r].multiply(mat[c]).sum())
            assert abs(now - s) <= memo.moved[r] + memo.moved[c] + 1e-9
    assert old_mat.shape[0] == len(docs) - 1


def test_keep_best_raises_the_bound_by_what_it_drops() -> None:
    cols = np.arange(KEEP + 10)
    vals = np.linspace(0.9, 0.1, KEEP + 10)
    row = keep_best(cols, vals, i=3)
    assert len(row.cands) == KEEP and 3 not in row.cands.tolist()
    assert row.bound == pytest.approx(sorted(np.delete(vals, 3), reverse=True)[KEEP])
    assert keep_best(cols[:5], vals[:5], i=99, bound=0.05).bound == 0.05
