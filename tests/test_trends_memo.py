"""The trends stage's choice of terms from kept sums (generator/link/trends_memo.py): the
same terms and phrases as frequent_terms and phrase_terms choose from every document, when
computed whole and when the previous build's sums are added to; a removed or changed
document, another budget or a damaged file makes it compute everything again."""

from __future__ import annotations

import pytest
from conftest import ROOT, SEEDS

from generator.link import trends_counts as tc
from generator.link import trends_memo
from generator.pipeline import collect
from generator.tools.bench import synthetic_corpus

N = 30


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """N synthetic speeches (the seeds' paragraphs recombined, so terms and phrases recur
    across documents) as the per-document stages leave them, with their cache keys."""
    root = tmp_path_factory.mktemp("trends-memo")
    synthetic_corpus(ROOT, root / "corpus", N, corpus=SEEDS)
    report = collect(root, progress=False, segment=True, cache_dir=root / ".cache" / "documents")
    docs = sorted(report.documents, key=lambda d: d.id)
    assert len(docs) == N and set(report.doc_keys) == {d.id for d in docs}
    return docs, report.search_terms, report.trend_counts, report.doc_keys


def limits(docs, terms_of) -> list[float]:
    """Budgets at which some but not all terms are chosen: a few documents' text, half
    the archive's, and 0 (every term)."""
    total = sum(terms_of[d.id].length for d in docs) * tc.BYTES_PER_CHAR
    return [0, total / N * 3, total / 2]


def old_choice(docs, terms_of, counts, limit) -> tuple[list[str], list[str]]:
    vocabulary = tc.frequent_terms(docs, terms_of, limit, counts)
    known = set(vocabulary)
    return vocabulary, [p for p in tc.phrase_terms(docs, terms_of, counts, limit) if p not in known]


def test_whole_choice_equals_frequent_terms_and_phrases(built) -> None:
    docs, terms_of, counts, _keys = built
    for limit in limits(docs, terms_of):
        got = trends_memo.select(docs, terms_of, counts, limit)
        vocabulary, phrases = old_choice(docs, terms_of, counts, limit)
        assert (got.vocabulary, got.phrases) == (vocabulary, phrases)
        assert got.lengths == {d.id: terms_of[d.id].length for d in docs}
        if limit:
            assert 0 < len(vocabulary) < len(tc.frequent_terms(docs, terms_of, 0, counts))
    assert trends_memo.select(docs, terms_of, counts, limits(docs, terms_of)[1]).phrases, \
        "no phrase chosen: the test would not see a phrase sum"


def test_added_documents_use_the_kept_sums(built, tmp_path) -> None:
    docs, terms_of, counts, keys = built
    limit = limits(docs, terms_of)[1]
    first = trends_memo.select(docs[:-3], terms_of, counts, limit, tmp_path, keys)
    assert (first.added, first.reused) == (N - 3, 0)
    again = trends_memo.select(docs, terms_of, counts, limit, tmp_path, keys)
    assert (again.added, again.reused) == (3, N - 3)
    assert (again.vocabulary, again.phrases) == old_choice(docs, terms_of, counts, limit)
    same = trends_memo.select(docs, terms_of, counts, limit, tmp_path, keys)
    assert (same.added, same.reused) == (0, N)
    assert (same.vocabulary, same.phrases) == (again.vocabulary, again.phrases)


def test_removed_or_changed_documents_compute_everything_again(built, tmp_path) -> None:
    docs, terms_of, counts, keys = built
    limit = limits(docs, terms_of)[1]
    trends_memo.select(docs, terms_of, counts, limit, tmp_path, keys)
    fewer = docs[1:]
    got = trends_memo.select(fewer, terms_of, counts, limit, tmp_path, keys)
    assert got.added == N - 1 and (got.vocabulary, got.phrases) == old_choice(fewer, terms_of, counts, limit)
    edited = dict(keys, **{docs[5].id: "another key"})
    got = trends_memo.select(fewer, terms_of, counts, limit, tmp_path, edited)
    assert got.added == N - 1
    got = trends_memo.select(fewer, terms_of, counts, limit / 2, tmp_path, edited)  # another budget
    assert got.added == N - 1 and (got.vocabulary, got.phrases) == old_choice(fewer, terms_of, counts, limit / 2)
    # a document without a key (no document cache) is never taken from the sums
    unkeyed = {k: v for k, v in edited.items() if k != docs[7].id}
    got = trends_memo.select(fewer, terms_of, counts, limit / 2, tmp_path, unkeyed)
    assert got.added == N - 1


def test_damaged_file_is_a_note_and_a_whole_computation(built, tmp_path, capsys) -> None:
    docs, terms_of, counts, keys = built
    limit = limits(docs, terms_of)[1]
    trends_memo.select(docs[:-1], terms_of, counts, limit, tmp_path, keys)
    (tmp_path / trends_memo.MEMO).write_bytes(b"\x80\x04 not a pickle")
    got = trends_memo.select(docs, terms_of, counts, limit, tmp_path, keys)
    assert got.added == N and (got.vocabulary, got.phrases) == old_choice(docs, terms_of, counts, limit)
    assert "select.pickle: unreadable" in capsys.readouterr().err
    (tmp_path / trends_memo.MEMO).unlink()
    assert trends_memo.select(docs, terms_of, counts, limit, tmp_path, keys).added == N
