"""The precomputed counts (generator/link/trends_counts.py, generator/publish/trends_out.py)
against str.count on each document's text, term by term: the definition trends.js uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from generator.link import trends_counts as tc
from generator.pipeline import collect
from generator.publish import trends_out
from generator.publish.search import decode_varints

FIXTURES = ROOT / "tests" / "fixtures" / "trends"
# a pair of one character twice: 常常常 holds it once as str.count counts (not twice)
REPEATS = "常常常抓好经济工作，常常常提醒。经济工作要常抓不懈，5G网络和5g基站建设要快。\n\n县委书记在会上讲话。"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[list, dict]:
    root = tmp_path_factory.mktemp("trends-counts")
    corpus = root / "corpus"
    corpus.mkdir()
    for p in FIXTURES.iterdir():
        (corpus / p.name).write_bytes(p.read_bytes())
    (corpus / "repeats.txt").write_text("某县经济工作会议讲话\n\n" + REPEATS + "\n", encoding="utf-8")
    report = collect(root, progress=False, corpus=corpus, segment=True)
    WORKER_COUNTS.update(report.trend_counts)
    return report.documents, report.search_terms


# each document's DocCounts as the pipeline's per-document stage made them (the fixture's collect)
WORKER_COUNTS: dict = {}


def brute(docs, terms_of, term: str) -> dict[tuple[str, str, str], list[int]]:
    """Per cell, documents containing `term` and its occurrences, by str.count in the
    page's text of every document the page would count it in."""
    out: dict[tuple[str, str, str], list[int]] = {}
    for d in docs:
        keys = set(terms_of[d.id].keys.split("\n"))
        text = tc.trend_text(d)
        need = [term] if len(term) <= 2 or not tc._HAN_ONLY.fullmatch(term) else tc._bigrams(term)
        if not all(k in keys for k in need):
            continue
        n = text.count(term)
        if not n:
            continue
        f = tc.facets_of(d)
        for cell in (("y", f.year, f.genre), ("p", f.place, f.genre)):
            row = out.setdefault(cell, [0, 0])
            row[0] += 1
            row[1] += n
    return out


def test_every_counted_term_equals_str_count(corpus) -> None:
    docs, terms_of = corpus
    vocabulary = tc.frequent_terms(docs, terms_of, 0)  # a budget of 0: every index term
    assert {"常常", "经济", "5g", "示范带"} <= set(vocabulary)
    phrases = tc.phrase_terms(docs, terms_of, WORKER_COUNTS, 0)  # and every repeated phrase
    assert "乡村振兴示范带" in phrases and not set(phrases) & set(vocabulary)
    counts = tc.count_terms(docs, terms_of, vocabulary + phrases, tc.keyword_terms(docs))
    assert set(counts) >= {"常常", "示范带", "5g", "乡村振兴示范带"}
    for term in sorted(counts):
        assert counts[term] == brute(docs, terms_of, term), term
    repeats = next(d for d in docs if "常常常" in tc.trend_text(d))
    f = tc.facets_of(repeats)
    assert counts["常常"][("y", f.year, f.genre)] == [1, 2]  # once in each 常常常 (not twice), none in 要常抓
    assert counts["5g"][("y", f.year, f.genre)] == [1, 2]  # 5G lowercased as the page does


def test_the_budget_chooses_the_terms(corpus) -> None:
    docs, terms_of = corpus
    total = sum(terms_of[d.id].length for d in docs) * tc.BYTES_PER_CHAR
    assert tc.frequent_terms(docs, terms_of, int(total) + 1) == []  # nothing costs more than all text
    few = tc.frequent_terms(docs, terms_of, int(total * 0.6))
    assert few and all(len(t) <= 2 or all(b in few for b in tc._bigrams(t)) for t in few)
    for term in few:  # each costs the page more than the budget: in most documents' text
        if len(term) <= 2:
            cost = sum(terms_of[d.id].length for d in docs if term in terms_of[d.id].keys.split("\n"))
            assert cost * tc.BYTES_PER_CHAR > total * 0.6, term


def test_bucket_files_decode_and_are_stable(corpus) -> None:
    docs, terms_of = corpus
    vocabulary = tc.frequent_terms(docs, terms_of, 0)
    table = tc.count_table(docs, terms_of, vocabulary)
    counts = table.as_dict()
    assert counts == tc.count_terms(docs, terms_of, vocabulary)
    files = trends_out.bucket_files(table, 0)
    assert files == trends_out.bucket_files(tc.count_table(list(reversed(docs)), terms_of, vocabulary), 0)
    import json

    info = json.loads(files["tc/info.js"].split(",", 2)[2].rsplit(")", 1)[0])
    assert info["terms"] == len(counts) and info["buckets"] == len(files) - 1
    seen = 0
    for rel, text in files.items():
        if rel == "tc/info.js":
            continue
        data = json.loads(text.split(",", 2)[2].rsplit(")", 1)[0])
        for term, enc in data["t"].items():
            nums, at, got = decode_varints(enc), -1, {}
            for i in range(0, len(nums), 3):
                at += nums[i] + 1
                got[tuple(info["cells"][at])] = [nums[i + 1], nums[i + 1] + nums[i + 2]]
            assert got == counts[term], term
            assert int(rel[3:-3]) == tc_bucket(term, info["buckets"])
            seen += 1
    assert seen == len(counts)


def tc_bucket(term: str, k: int) -> int:
    from generator.publish.search import fnv1a

    return fnv1a(term) & (k - 1)


def test_budget_from_the_environment(monkeypatch) -> None:
    monkeypatch.delenv(tc.BUDGET_ENV, raising=False)
    assert tc.budget() == tc.DEFAULT_BUDGET
    monkeypatch.setenv(tc.BUDGET_ENV, "2000")
    assert tc.budget() == 2000
    for bad in ("lots", "-1"):
        monkeypatch.setenv(tc.BUDGET_ENV, bad)
        with pytest.raises(ValueError, match=tc.BUDGET_ENV):
            tc.budget()


def test_self_overlap() -> None:
    assert tc._self_overlapping("常常") and tc._self_overlapping("发展发") and not tc._self_overlapping("发展")



def test_cached_counts_equal_fresh_ones(corpus, tmp_path) -> None:
    """A rebuild reads each document's counts from the cache; when the vocabulary gained
    words since, only those are counted again, and the result is what a fresh count gives."""
    docs, terms_of = corpus
    vocabulary = tc.frequent_terms(docs, terms_of, 0)
    fewer = [t for t in vocabulary if t != "示范带"]
    stats: dict[str, int] = {}
    first = tc.count_terms(docs, terms_of, fewer, None, tmp_path, stats)
    assert stats == {"cached": 0, "words_added": 0, "counted": len(docs)}
    assert tc.count_terms(docs, terms_of, fewer, None, tmp_path, stats) == first
    assert stats == {"cached": len(docs), "words_added": 0, "counted": 0}
    grown = tc.count_terms(docs, terms_of, vocabulary, None, tmp_path, stats)
    assert stats == {"cached": 0, "words_added": len(docs), "counted": 0}
    assert grown == tc.count_terms(docs, terms_of, vocabulary) and "示范带" in grown
    # the build chooses its terms and counts from the workers' DocCounts: the same result
    assert set(WORKER_COUNTS) == {d.id for d in docs}
    for limit in (0, 2000):
        assert tc.frequent_terms(docs, terms_of, limit, WORKER_COUNTS) == tc.frequent_terms(docs, terms_of, limit)
    assert tc.count_terms(docs, terms_of, vocabulary, None, None, None, WORKER_COUNTS) == grown
    # the word counts of the documents of the last run are all the cache holds
    assert len(tc._load(tmp_path / tc.WORDS_CACHE)) == len(docs)


def test_readme_documents_every_trends_csv_column() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("**`data/trends.csv`**: UTF-8"):]
    section = section[:section.index("\n\n", section.index("| --- |"))]
    documented = [line.split(" | ")[0].strip("| `") for line in section.splitlines() if line.startswith("| `")]
    assert documented == trends_out.CSV_COLUMNS


def test_doc_counts_pack_round_trip() -> None:
    """DocCounts keeps codes as 16-bit steps and counts as bytes, with the larger ones
    apart: any codes and counts come back as they went in."""
    import numpy as np

    values = np.array([0x4E00, 0x4E01, 0x4E00 << 16 | 0x4E8C, 0x9FA5 << 16 | 0x4E00, 0x9FA5 << 16 | 0x9FA5], np.uint32)
    counts = np.array([1, 254, 255, 70_000, 3], np.uint32)
    packed = tc.DocCounts.pack(values, counts, None, False, "k")
    assert packed.values.tolist() == values.tolist() and packed.counts.tolist() == counts.tolist()
    assert packed.big_at.tolist() == [2, 3] and packed.over_at.tolist() == [2, 3]
    assert packed.index_codes().tolist() == values.tolist()


def test_counting_in_a_process_pool_gives_the_same_table(corpus, monkeypatch) -> None:
    """A cold build counts the words in the executor's processes, a block at a time while
    the parent sums the previous block: the table is the one counted in this process,
    whatever the block size."""
    docs, terms_of = corpus
    vocabulary = tc.frequent_terms(docs, terms_of, 0)
    here = tc.count_terms(docs, terms_of, vocabulary, None, None, None, WORKER_COUNTS, workers=1)
    monkeypatch.setattr(tc, "POOL_MIN_JOBS", 1)
    monkeypatch.setattr(tc, "BLOCK", 3)  # several blocks in flight
    tc._WORKER_COUNTER.clear()
    pooled = tc.count_terms(docs, terms_of, vocabulary, None, None, None, WORKER_COUNTS, workers=2)
    assert pooled == here and len(docs) > 3
    assert not tc._WORKER_COUNTER  # counted in the pool's processes, not in this one


def test_cell_totals_equal_one_bincount() -> None:
    """Documents added one at a time to a cell give the sums of one bincount over all of
    them: the documents containing each term and its occurrences, terms with none left out."""
    import numpy as np

    rng = np.random.default_rng(5)
    docs = []
    for _ in range(20):
        ids = np.sort(rng.choice(50, size=rng.integers(0, 12), replace=False)).astype(np.int64)
        docs.append((ids, rng.integers(1, 9, size=len(ids)).astype(np.int64)))
    sums = tc._CellTotals(50)
    for ids, occ in docs:
        sums.add(("y", "2024", ""), ids, occ)
    got_ids, got_k, got_o = sums.pop(("y", "2024", ""))
    all_ids = np.concatenate([d[0] for d in docs])
    containing = np.bincount(all_ids, minlength=50)
    occurrences = np.bincount(all_ids, weights=np.concatenate([d[1] for d in docs]), minlength=50)
    nz = np.flatnonzero(containing)
    assert got_ids.tolist() == nz.tolist()
    assert got_k.tolist() == containing[nz].tolist()
    assert got_o.tolist() == np.rint(occurrences[nz]).astype(np.int64).tolist()
    assert not sums.cells


def test_word_store_keeps_records_on_disk_and_replaces_the_cache_whole(tmp_path: Path) -> None:
    """The trends word-count cache (2.34 GB as one pickle at 100,000 documents): records
    on disk, offsets in memory; a store that is not committed (a build stopped midway)
    leaves the previous cache readable; a commit leaves exactly its own records."""
    import numpy as np

    rec = ("fp", np.array([1, 5, 9], np.int32), np.array([2, 1, 7], np.uint32))
    first = tc._WordStore.new(tmp_path)
    first.put("a", rec)
    first.put("b", ("fp", np.array([], np.int32), np.array([], np.uint32)))
    assert all(isinstance(off, int) and isinstance(n, int) for off, n in first.index.values())
    first.commit()
    old = tc._WordStore.open(tmp_path)
    assert len(old) == 2 and old.get("a")[1].tolist() == [1, 5, 9] and old.get("zz") is None
    stopped = tc._WordStore.new(tmp_path)
    stopped.put("c", rec)  # never committed
    stopped.close()
    assert sorted(tc._load(tmp_path / tc.WORDS_CACHE)) == ["a", "b"]
    unchanged = tc._WordStore.new(tmp_path)
    unchanged.copy_from(old, "a")
    unchanged.copy_from(old, "b")
    assert len(unchanged) == 2 and unchanged.data.stat().st_size == 0  # kept records are copied on commit only
    unchanged.discard()
    second = tc._WordStore.new(tmp_path)
    second.copy_from(old, "a")
    second.put("c", rec)
    second.commit()
    old.close()
    now = tc._load(tmp_path / tc.WORDS_CACHE)
    assert sorted(now) == ["a", "c"] and now["a"][2].tolist() == [2, 1, 7]
    assert len(list(tmp_path.glob("words-*.data"))) == 1  # the stopped store's file went too
    (tmp_path / tc.WORDS_INDEX).write_bytes(b"not a pickle")
    assert len(tc._WordStore.open(tmp_path)) == 0  # damaged: counted again, never an error
