"""The link stage's arrays built one document at a time (generator/link/shards.py) hold
the values the whole-archive construction gave, to the last bit."""

from __future__ import annotations

import math

import numpy as np
from conftest import ROOT, SEEDS
from scipy import sparse

from generator.link import LinkPrep, tfidf_vectors
from generator.link.shards import TermCounts, counts_csr, prep_arrays, tfidf_csr
from generator.pipeline import collect


def _prep(counts: dict[str, int]) -> LinkPrep:
    return LinkPrep("\n".join(counts), np.array(list(counts.values()), dtype=np.uint32).tobytes(), None)


def test_tfidf_csr_equals_the_reference_construction() -> None:
    """Against the construction the link stage used before (Python lists, one concatenation)."""
    docs = [{"发展": 3, "经济": 1, "乡村振兴": 2}, {}, {"经济": 5, "改革": 1}, {"发展": 1}]
    ids_of: dict[str, int] = {}
    rows = [prep_arrays(_prep(c), ids_of) for c in docs]
    terms = list(ids_of)
    order = sorted(range(len(terms)), key=terms.__getitem__)
    rank = np.empty(len(terms), dtype=np.int64)
    rank[order] = np.arange(len(terms))
    idf_list = [0.3, 0.7, 1.1, 0.05][: len(terms)]
    indptr, cols_parts, vals_parts = [0], [], []
    for ids, ns in rows:
        weights = [(1 + math.log(n)) * idf_list[i] for i, n in zip(ids.tolist(), ns.tolist(), strict=True)]
        norm = math.sqrt(sum(v * v for v in weights)) or 1.0
        cols = rank[ids]
        srt = np.argsort(cols, kind="stable")
        cols_parts.append(cols[srt])
        vals_parts.append(np.array(weights, dtype=np.float64)[srt] / norm)
        indptr.append(indptr[-1] + len(ids))
    ref = sparse.csr_matrix((np.concatenate(vals_parts), np.concatenate(cols_parts), np.array(indptr)),
                            shape=(len(docs), len(terms)))
    got = tfidf_csr([r[0] for r in rows], [r[1] for r in rows], idf_list, rank, len(terms))
    assert got.indices.dtype == np.int32
    assert got.data.tobytes() == ref.data.tobytes()
    assert got.indices.tolist() == ref.indices.tolist() and got.indptr.tolist() == ref.indptr.tolist()
    assert got.shape == ref.shape


def test_counts_csr_and_term_counts_on_real_documents() -> None:
    report = collect(ROOT, progress=False, corpus=SEEDS, segment=True, workers=1)
    ids = sorted(report.link_prep)
    view = TermCounts(report.link_prep)
    assert len(view) == len(report.link_prep) and list(view) == list(report.link_prep)
    x, terms = counts_csr(ids, view)
    # the reference: every (document, term) in code point order, terms numbered as first
    # seen, through the COO → CSR conversion the distinctive terms used before
    vocab: dict[str, int] = {}
    ref = [(r, vocab.setdefault(t, len(vocab)), n) for r, did in enumerate(ids)
           for t, n in sorted(report.link_prep[did].counts.items())]
    rows, cols, vals = (np.array(c) for c in zip(*ref, strict=True))
    want = sparse.csr_matrix((vals.astype(np.float64), (rows, cols)), shape=(len(ids), len(vocab)))
    assert x.shape == want.shape and x.dtype == want.dtype == np.float64
    assert x.indptr.tolist() == want.indptr.tolist() and x.indices.tolist() == want.indices.tolist()
    assert x.data.tobytes() == want.data.tobytes()
    assert terms == sorted(vocab, key=vocab.__getitem__)
    # filled in place from TermCounts' sizes, or joined from per-row arrays of a plain dict: the same
    y, terms_y = counts_csr(ids + ["no such document"], {i: report.link_prep[i].counts for i in ids})
    z, terms_z = counts_csr(ids + ["no such document"], view)
    assert terms_y == terms_z == terms and y.shape == z.shape == (len(ids) + 1, len(terms))
    assert y.indptr.tolist() == z.indptr.tolist() and y.indices.tolist() == z.indices.tolist()
    assert y.data.tobytes() == z.data.tobytes() == x.data.tobytes()
    # and the vectors from streamed LinkPreps equal those from the tokens themselves
    docs = sorted(report.documents, key=lambda d: d.id)
    mat, vocab_list, _ = tfidf_vectors(docs, report.link_prep)
    assert mat.shape[0] == len(docs) and mat.nnz == sum(len(report.link_prep[d.id].counts) for d in docs)
    norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
    assert np.allclose(norms[norms > 0], 1.0)
    assert vocab_list == sorted(vocab_list)


def test_counts_csr_of_nothing() -> None:
    x, terms = counts_csr(["a", "b"], {})
    assert x.shape == (2, 0) and x.nnz == 0 and terms == []


def test_group_sums_equal_the_sums_of_the_group_rows() -> None:
    """group_sums against the copies it replaces: the same float64 values, bit for bit,
    with explicit zeros stored and a group read over several chunks."""
    import numpy as np
    from scipy import sparse

    from generator.link.shards import group_sums

    rng = np.random.default_rng(5)
    dense = rng.integers(0, 4, size=(300, 70)) * (rng.random((300, 70)) < 0.3)
    x = sparse.csr_matrix(dense.astype(np.float64))
    x.data[::7] = 0.0  # stored zeros: counted by neither
    for idx in ([0], [3, 5, 299], sorted(rng.choice(300, 170, replace=False).tolist()), list(range(300))):
        sums, having = group_sums(x, idx, chunk=16)
        assert np.array_equal(sums, np.asarray(x[idx].sum(axis=0)).ravel())
        assert np.array_equal(having, np.asarray((x > 0).astype(np.float64).tocsr()[idx].sum(axis=0)).ravel())


def test_tfidf_in_two_passes_equals_one_pass() -> None:
    """The pipeline's construction (every document has a LinkPrep, read twice) against the
    one that held every row's arrays (as tfidf_vectors built it before): the same
    vocabulary, IDF and doubles."""
    from collections import Counter

    from generator.link.idf import blended_idf

    report = collect(ROOT, progress=False, corpus=SEEDS, segment=True, workers=1)
    docs = sorted(report.documents, key=lambda d: d.id)
    ids_of: dict[str, int] = {}
    rows = [prep_arrays(report.link_prep[d.id], ids_of) for d in docs]
    terms = list(ids_of)
    df_arr = np.zeros(len(terms), dtype=np.int64)
    for ids, _ in rows:
        df_arr[ids] += 1
    order = sorted(range(len(terms)), key=terms.__getitem__)
    rank = np.empty(len(terms), dtype=np.int64)
    rank[order] = np.arange(len(terms))
    idf_ref = blended_idf(len(docs), Counter(dict(zip(terms, df_arr.tolist(), strict=True))))
    ref = tfidf_csr([r[0] for r in rows], [r[1] for r in rows], [idf_ref[t] for t in terms], rank, len(terms))
    got, vocab, idf = tfidf_vectors(docs, report.link_prep)
    assert vocab == [terms[i] for i in order] and idf == idf_ref and len(vocab) > 100
    assert got.data.tobytes() == ref.data.tobytes() and got.indices.tolist() == ref.indices.tolist()
    assert got.indptr.tolist() == ref.indptr.tolist() and got.shape == ref.shape
