"""Postings of a term in most documents written dense (generator/publish/search_dense.py):
the bitmap and the complement list with the tf codes say exactly what the varints said, what
a form says does not depend on the archive's size (a "~" form holds its own span), and in
Chromium (http and file://) queries over an index with every such term dense find the same
documents, in the same order, with the same counts, as over the index without."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from browserlib import Traffic, serve
from conftest import copy_project, run_generator
from searchlib import index_data, replace_index
from test_search import SEMANTICS, _ids, _visit

from generator.publish.search import build_index, decode_varints
from generator.publish.search_dense import DIGITS, decode_dense, dense_form, is_dense


def _postings_of(form: str) -> list[tuple[int, int]]:
    """search.js decodePostings (format 7): (document, tf code) pairs."""
    head, _, tail = form[1:].partition("!")
    codes = [c for ch in tail for c in divmod(DIGITS.index(ch), 8)]
    if form[0] == "!":
        docs = [6 * i + b for i, ch in enumerate(head) for b in range(6) if DIGITS.index(ch) >> b & 1]
    else:
        span, *gaps = decode_varints(head)
        missing, prev = set(), -1
        for gap in gaps:
            prev += gap + 1
            missing.add(prev)
        docs = [d for d in range(span) if d not in missing]
    return list(zip(docs, codes[: len(docs)], strict=True))


@pytest.mark.parametrize("n_docs,docs", [
    (20, [d for d in range(20) if d not in (4, 6)]),  # nearly all: the complement is shorter
    (600, list(range(0, 600, 2)) + [1, 3, 599]),  # half: the bitmap is
    (7, [6]),
    (12, list(range(12))),
])
def test_dense_forms_hold_exactly_the_documents(n_docs, docs) -> None:
    docs = sorted(docs)
    codes = [d * 5 % 8 for d in docs]
    form = dense_form(np.array(docs), np.array(codes))
    assert _postings_of(form) == list(zip(docs, codes, strict=True))
    got_docs, got_codes = decode_dense(form)  # what a rebuild reads back (search_reuse)
    assert got_docs.tolist() == docs and got_codes.tolist() == codes
    assert form[0] == ("~" if n_docs == 20 or len(docs) == n_docs else "!") or n_docs == 7


def test_dense_forms_of_random_postings_read_back_as_the_client_reads_them() -> None:
    """dense_form and decode_dense work in array passes; on random postings (both forms,
    varints of one to several digits) they agree with the client's reading written out
    character by character (_postings_of), and the array varints with search.varint."""
    from generator.publish.search import varint
    from generator.publish.search_dense import decode_varints as array_decode
    from generator.publish.search_dense import varints

    rng = np.random.default_rng(11)
    for _ in range(300):
        n = int(rng.integers(1, 5000))
        docs = np.flatnonzero(rng.random(n) < rng.random())
        if not len(docs):
            continue
        codes = rng.integers(0, 8, len(docs))
        form = dense_form(docs, codes)
        assert _postings_of(form) == list(zip(docs.tolist(), codes.tolist(), strict=True))
        got_docs, got_codes = decode_dense(form)
        assert got_docs.tolist() == docs.tolist() and got_codes.tolist() == codes.tolist()
    values = rng.integers(0, 2**40, 2000)
    assert varints(values)[0] == "".join(varint(int(v)) for v in values.tolist())
    assert array_decode(varints(values)[0]).tolist() == values.tolist() == decode_varints(varints(values)[0])


def test_a_form_does_not_depend_on_the_archives_size() -> None:
    # written for 20 documents, read in an archive of 30: documents 20… do not hold it
    docs = np.array([d for d in range(20) if d != 4])
    form = dense_form(docs, np.zeros(len(docs), int))
    assert form.startswith("~") and [d for d, _c in _postings_of(form)] == docs.tolist()
    assert dense_form(np.array([0, 2, 3, 5, 6, 9, 11]), None).startswith("!")


def test_only_long_postings_of_terms_in_most_documents_up_to_their_last_are_dense() -> None:
    assert is_dense(60, 100, 5000) and not is_dense(50, 100, 5000) and not is_dense(60, 100, 100)
    assert not is_dense(60, 0, 5000)


def _site(tmp: Path, **kw) -> tuple[Path, dict[str, str]]:
    from generator.link import link
    from generator.pipeline import collect

    root = copy_project(tmp, corpus=SEMANTICS)
    proc = run_generator(root, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = collect(root, progress=False, corpus=root / "corpus", segment=True)
    link(report.documents)
    files = build_index(sorted(report.documents, key=lambda d: d.id), report.search_terms, **kw)
    site = root / "site"
    replace_index(site, files)
    return site, files


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[tuple[Path, dict[str, str]], tuple[Path, dict[str, str]]]:
    return _site(tmp_path_factory.mktemp("dense"), dense_min=0), _site(tmp_path_factory.mktemp("sparse"), dense_min=None)


def test_the_dense_index_writes_common_terms_dense_and_the_same_documents(sites) -> None:
    (_s, dense), (_t, sparse) = sites
    n_dense = 0
    for rel in (r for r in dense if r.startswith("s/")):
        d, s = index_data(dense, rel), index_data(sparse, rel)
        assert d.keys() == s.keys()
        for term, form in d.items():
            if form[:1] in "!~" and form:
                n_dense += 1
                prev, postings = -1, []
                for v in decode_varints(s[term]):
                    prev += v // 8 + 1
                    postings.append((prev, v % 8))
                assert _postings_of(form) == postings and 2 * len(postings) > postings[-1][0] + 1, term
            else:
                assert form == s[term]
    assert n_dense > 50


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_queries_find_the_same_over_dense_postings(sites, page, via) -> None:
    (dense_site, _d), (sparse_site, _s) = sites
    traffic = Traffic().attach(page)
    for query in ("q=%E5%8F%91%E5%B1%95", "q=%E6%94%BF%E5%BA%9C%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A",
                  "q=%E2%80%9C%E5%9D%9A%E6%8C%81%E7%A8%B3%E4%B8%AD%E6%B1%82%E8%BF%9B%E2%80%9D",
                  "q=%E5%B9%BF%E4%B8%9C%E7%9C%81%E6%94%BF%E5%BA%9C%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A"):
        got = []
        for site in (dense_site, sparse_site):
            with serve(site) as base:
                status, results = _visit(page, site, base if via == "http" else None, query)
            got.append((status, _ids(results)))  # the same order: the tf codes are kept
        assert got[0] == got[1], (query, got)
    assert not traffic.page_errors and not traffic.failures, (traffic.page_errors, traffic.failures)


@pytest.mark.browser
def test_trends_page_reads_dense_postings(sites, page) -> None:
    (dense_site, _d), (sparse_site, _s) = sites
    rows = []
    for site in (dense_site, sparse_site):
        page.goto(f"{site.as_uri()}/trends.html?q=%E5%8F%91%E5%B1%95")
        page.wait_for_function("() => document.querySelector('.sa-status') && "
                               "document.querySelector('.sa-status').getAttribute('data-state')")
        rows.append(page.eval_on_selector_all("table.sa-trends-table tbody tr", "rs => rs.map(r => r.innerText)"))
    assert rows[0] == rows[1] and rows[0]


@pytest.fixture(scope="module")
def note_sites(tmp_path_factory) -> tuple[Path, Path, list[str]]:
    """The semantics corpus and a later note without its common terms, built by the
    generator; in one copy the index of a rebuild with dense postings (every term in most
    documents up to its last) after the note was added, so shards of "~" forms written for
    the seven documents before it are kept; in the other a cold build's without dense
    postings. And the terms of those kept "~" forms."""
    import shutil

    from test_search_reuse import kept_complements, note_archive

    tmp = tmp_path_factory.mktemp("note")
    archive = note_archive(tmp)
    root = copy_project(tmp / "project", corpus=tmp / "corpus")
    proc = run_generator(root, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    docs = sorted(archive.documents, key=lambda d: d.id)
    files, kept = kept_complements(tmp / "live", docs, archive.search_terms, dense_min=0)
    sparse = build_index(docs, archive.search_terms, dense_min=None)
    dense_site, sparse_site = root / "site", tmp / "sparse-site"
    shutil.copytree(dense_site, sparse_site)
    replace_index(dense_site, {rel: b.decode("utf-8") for rel, b in files.items()})
    replace_index(sparse_site, sparse)
    return dense_site, sparse_site, [t for _s, t, _n in kept if not t.startswith("#")]


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_a_complement_written_before_a_document_was_added_leaves_it_out(note_sites, page, via) -> None:
    """A "~" form lists the documents without the term up to the span it was written for;
    the note, numbered after it, is not counted as holding the term: the page shows what
    the same archive's index without dense postings shows."""
    from test_search import _q

    dense_site, sparse_site, terms = note_sites
    assert {"坚持", "人民", "审议"} <= set(terms), terms
    traffic = Traffic().attach(page)
    for term in ("坚持", "人民", "审议"):
        got = []
        for site in (dense_site, sparse_site):
            with serve(site) as base:
                status, results = _visit(page, site, base if via == "http" else None, _q(q=term))
            got.append((status, _ids(results)))
        assert got[0] == got[1] and got[0][1], (term, got)
        assert "2027-spring-tree-planting" not in got[0][1], (term, got)
    assert not traffic.page_errors and not traffic.failures, (traffic.page_errors, traffic.failures)
