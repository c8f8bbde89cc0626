"""Keyword tags, similar speeches, reposts and siblings on the real seeds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, collect_seeds, copy_project, run_generator

from generator import link as link_mod
from generator.annotate.segment import TokenCache, is_candidate, stopwords


@pytest.fixture(scope="module")
def docs():
    report = collect_seeds()
    cache = TokenCache(None)
    for d in report.documents:
        d.tokens = cache.tokens(d.search_text)
    link_mod.link(report.documents)
    return {d.id: d for d in report.documents}


def by_prefix(docs, prefix: str):
    return sorted((d for i, d in docs.items() if i.startswith(prefix)), key=lambda d: d.id)


def test_tags_are_clean(docs) -> None:
    for d in docs.values():
        assert 5 <= len(d.keywords) <= 10, (d.id, d.keywords)
        for k in d.keywords:
            assert len(k) >= 2 and k not in stopwords() and is_candidate(k), (d.id, k)
            assert not re.search(r"[X*＊×\d]", k), (d.id, k)
        for a in d.keywords:
            for b in d.keywords:
                assert a == b or a not in b, (d.id, a, b)


def test_newspaper_articles_are_each_others_first_similar(docs) -> None:
    a, b = by_prefix(docs, "004")
    assert a.related[0].id == b.id
    assert b.related[0].id == a.id
    assert a.related[0].shared_keywords


def test_template_reposts_are_reposts_not_similar(docs) -> None:
    parts = by_prefix(docs, "003")
    group = {parts[i].id for i in (2, 4, 6, 8)}  # 篇3, 篇5, 篇7, 篇9
    for pid in group:
        d = docs[pid]
        assert {x.id for x in d.duplicates} == group - {pid}, (pid, d.duplicates)
        assert all(0.8 <= x.similarity <= 1.0 for x in d.duplicates)
        assert not ({r.id for r in d.related} & group), (pid, d.related)
    for d in docs.values():
        if d.id not in group:
            assert len({r.id for r in d.related} & group) <= 1, (d.id, [r.id for r in d.related])


def test_repost_group_is_one_entry_near_the_top_for_bazhong(docs) -> None:
    bazhong = by_prefix(docs, "002")[0]
    parts = by_prefix(docs, "003")
    group = {parts[i].id for i in (2, 4, 6, 8)}
    hits = [r for r in bazhong.related if r.id in group]
    assert len(hits) == 1
    assert bazhong.related.index(hits[0]) <= 1
    assert hits[0].reposts == 3


def test_related_sorted_and_explained(docs) -> None:
    for d in docs.values():
        scores = [r.score for r in d.related]
        assert scores == sorted(scores, reverse=True)
        assert len(d.related) <= 5  # docs/about.md: "前 5 篇"
        assert all(r.score >= 0.08 for r in d.related)
        assert all(r.id != d.id for r in d.related)
        for r in d.related:
            assert r.shared_keywords, (d.id, r.id)


def test_siblings_in_order(docs) -> None:
    parts = by_prefix(docs, "003")
    assert parts[0].siblings == [p.id for p in parts[1:]]


def test_blockwise_similarity_equals_full(docs, monkeypatch) -> None:
    """Memory stays O(N·k): computing two rows at a time gives the same links."""
    ds = sorted(docs.values(), key=lambda d: d.id)
    mat, vocab, _ = link_mod.tfidf_vectors(ds)
    group = link_mod.repost_groups({d.id: d.duplicates for d in ds})
    link_mod.similar(ds, mat, vocab, group)
    full = {d.id: [(r.id, r.score) for r in d.related] for d in ds}
    monkeypatch.setattr(link_mod, "BLOCK", 2)
    link_mod.similar(ds, mat, vocab, group)
    assert {d.id: [(r.id, r.score) for r in d.related] for d in ds} == full


@pytest.fixture(scope="module")
def synthetic_docs(tmp_path_factory):
    """60 speeches recombined from the seeds' paragraphs: a small shared vocabulary, the
    case where the similarity vectors are nearly dense."""
    from generator.pipeline import collect
    from generator.tools.bench import synthetic_corpus

    folder = tmp_path_factory.mktemp("synthetic") / "corpus"
    synthetic_corpus(ROOT, folder, 60, corpus=SEEDS)
    report = collect(ROOT, progress=False, corpus=folder, segment=True, workers=1)
    ds = sorted(report.documents, key=lambda d: d.id)
    mat, vocab, _ = link_mod.tfidf_vectors(ds, report.link_prep)
    group = link_mod.repost_groups(link_mod.find_reposts(ds, report.link_prep))
    return ds, mat, vocab, group


def test_dense_estimates_then_exact_scores_equal_the_sparse_product(synthetic_docs, monkeypatch) -> None:
    """The dense path only chooses whom to score; the neighbours, their exact scores (to
    the last bit, before rounding) and the shared terms are those of the sparse product."""
    ds, mat, vocab, group = synthetic_docs
    monkeypatch.setattr(link_mod, "_dense_estimates", lambda m: None)
    link_mod.similar(ds, mat, vocab, group)
    sparse_result = [[(r.id, r.score, tuple(r.shared_keywords), r.reposts) for r in d.related] for d in ds]
    monkeypatch.undo()
    monkeypatch.setattr(link_mod, "DENSE_BLOCK", 8)  # 60 documents count as many here
    assert link_mod._dense_estimates(mat) is not None
    # a shortlist shorter than the documents, so the exact pass and the whole-row pass both run
    monkeypatch.setattr(link_mod, "SHORTLIST", 6)
    link_mod.similar(ds, mat, vocab, group)
    assert [[(r.id, r.score, tuple(r.shared_keywords), r.reposts) for r in d.related] for d in ds] == sparse_result
    assert sum(len(x) for x in sparse_result) >= 4 * len(ds)


def test_estimates_taken_a_column_chunk_at_a_time_give_the_same_neighbours(synthetic_docs, monkeypatch) -> None:
    """Past DENSE_MAX_BYTES the estimates are made a chunk of documents at a time (the
    memory of a 100,000-document archive); the neighbours and scores are the same."""
    ds, mat, vocab, group = synthetic_docs
    monkeypatch.setattr(link_mod, "DENSE_BLOCK", 8)
    monkeypatch.setattr(link_mod, "SHORTLIST", 6)
    link_mod.similar(ds, mat, vocab, group)
    whole = [[(r.id, r.score, tuple(r.shared_keywords), r.reposts) for r in d.related] for d in ds]
    assert link_mod._dense_estimates(mat).whole is not None
    monkeypatch.setattr(link_mod, "DENSE_MAX_BYTES", 4 * mat.shape[1] * 9)  # 9 documents a chunk: 7 chunks
    est = link_mod._dense_estimates(mat)
    assert est.whole is None and est.chunk == 9
    link_mod.similar(ds, mat, vocab, group)
    assert [[(r.id, r.score, tuple(r.shared_keywords), r.reposts) for r in d.related] for d in ds] == whole


def test_exact_row_matches_the_block_product_bit_for_bit(synthetic_docs) -> None:
    ds, mat, _, _ = synthetic_docs
    full = (mat @ mat.T.tocsc()).tocsr()
    for i in (0, 17, len(ds) - 1):
        cols, vals = link_mod._exact_row(mat, i)
        lo, hi = full.indptr[i], full.indptr[i + 1]
        order = sorted(range(lo, hi), key=lambda k: full.indices[k])
        assert cols.tolist() == [int(full.indices[k]) for k in order]
        assert vals.tolist() == [float(full.data[k]) for k in order]


def test_large_vocabulary_keeps_the_sparse_product() -> None:
    from scipy import sparse

    rng = __import__("numpy").random.default_rng(1)
    n, v = 3000, 200_000
    rows = rng.integers(0, n, 300_000)
    cols = rng.integers(0, v, 300_000)
    mat = sparse.csr_matrix((rng.random(300_000), (rows, cols)), shape=(n, v))
    assert link_mod._dense_estimates(mat) is None  # sparse: the terms' df² is far below n²·V


def make_repost(src: str) -> str:
    """Another site's copy: its own header and footer, two sentences reworded."""
    text = src.replace("会议强调", "会议明确").replace("同心克难", "同心协力克难")
    return "转自某某新闻网 2024-08-03 来源：网络\n\n" + text + "\n\n（责任编辑：某某）\n本站所有文章仅供学习参考\n"


def test_repost_made_for_the_test_is_detected(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    assert run_generator(root, "generate").returncode == 0  # the archive as it was
    original = (SEEDS / "001_9e70d2a127fe3adb.txt").read_text(encoding="utf-8")
    (root / "corpus" / "zz_repost.txt").write_text(make_repost(original), encoding="utf-8")
    check = run_generator(root, "check")
    assert check.returncode == 0
    assert "zz-repost duplicates 001-9e70d2a127fe3adb, already in the archive" in check.stdout, check.stdout
    assert "003-c16298974d168fd3-p03 duplicates" not in check.stdout  # old news is not repeated
    assert run_generator(root, "generate").returncode == 0
    cat = {d["id"]: d for d in json.loads((root / "docs/data/catalog.json").read_text(encoding="utf-8"))["documents"]}
    dup = cat["zz-repost"]
    assert [d["id"] for d in dup["duplicates"]] == ["001-9e70d2a127fe3adb"]
    assert dup["duplicates"][0]["similarity"] >= 0.7  # docs/about.md: "不低于 0.7"
    assert "001-9e70d2a127fe3adb" not in [r["id"] for r in dup["related"]]
    assert "zz-repost" not in [r["id"] for r in cat["001-9e70d2a127fe3adb"]["related"]]
    page = (root / "docs/archive/speeches/zz-repost.md").read_text(encoding="utf-8")
    assert "## 同文转载" in page


def test_catalog_link_fields(catalog) -> None:
    for d in catalog["documents"]:
        for key in ("keywords", "given_tags", "related", "duplicates", "siblings"):
            assert key in d
        for r in d["related"]:
            assert set(r) == {"id", "score", "shared_keywords"}
        for x in d["duplicates"]:
            assert set(x) == {"id", "similarity"}


def test_recurring_slogan_becomes_one_term_but_fragments_do_not() -> None:
    slogan = ["同心", "克难", "、", "改革", "向新", "。"]
    filler = ["我们", "推动", "产业", "发展", "。"]
    tokens = (slogan + filler) * 3 + ["同心", "协力", "。"]
    assert link_mod.phrases(tokens)["同心克难"] == 3
    # '新|时代中国|特色' every time: a piece of a longer fixed expression, not a phrase
    fixed = ["坚持", "新", "时代", "中国", "特色", "道路", "。"] * 3
    assert "时代中国" not in link_mod.phrases(fixed)
    assert not link_mod.phrases(["产业", "发展"] * 2)  # below the recurrence threshold


def test_links_match_golden() -> None:
    """Tags and links of every seed document, checked in; a change must be reviewed."""
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "golden"))
    from regenerate import links_golden

    golden = (ROOT / "tests" / "golden" / "links.json").read_text(encoding="utf-8")
    assert links_golden() == golden, "tags or links changed: run python tests/golden/regenerate.py to see the diff, --write if intended (reason in the commit message)"


def _datasketch_signature(text: str):
    """The signature as datasketch computes it when it hashes each 5-gram's UTF-8 itself."""
    import zlib

    from datasketch import MinHash

    sh = link_mod.shingles(text)
    if len(sh) < 20:
        return None
    m = MinHash(num_perm=link_mod.NUM_PERM, seed=1, hashfunc=zlib.crc32, scheme=link_mod.MINHASH_SCHEME)
    m.update_batch([s.encode() for s in sh])
    return m.hashvalues


def test_signature_equals_datasketch_hashing_each_five_gram() -> None:
    import random

    rng = random.Random(7)
    seeds = [d.search_text for d in collect_seeds().documents]
    # extremes of the kept range, Latin and digits between Han, repeats, and lengths
    # around the 20-distinct-5-gram limit
    alphabet = "\u3400\u9fff\u4e00的经济发展abc 123，。\n" + "".join(chr(rng.randrange(0x3400, 0xA000)) for _ in range(60))
    texts = seeds + ["", "经济" * 40, "一二三四五" * 10, "\u3400\u9fff" * 3]
    for n in (22, 23, 24, 25, 30, 200, 3000):
        texts += ["".join(rng.choice(alphabet) for _ in range(n)) for _ in range(20)]
    texts += ["".join(rng.choice("甲乙丙") for _ in range(n)) for n in (30, 60, 400)]  # few distinct 5-grams
    for text in texts:
        want, got = _datasketch_signature(text), link_mod.signature(text)
        assert (want is None) == (got is None), text[:40]
        if want is not None:
            assert got.dtype == want.dtype and got.tolist() == want.tolist(), text[:40]
        crcs = link_mod.shingle_crcs(text)
        assert sorted(set(crcs.tolist())) == sorted({zlib_crc(s) for s in link_mod.shingles(text)})


def zlib_crc(s: str) -> int:
    import zlib

    return zlib.crc32(s.encode())
