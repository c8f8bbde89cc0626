"""The search's per-document metadata is split (generator/publish/search.py meta_files):
in Chromium, over http and from file://, a query loads the length chunks of its own
candidates only, a filter its own values' document lists, dates only to sort by date, and
the results are exactly those of the oracle (the published corpus.jsonl.gz).

The index is the real generator's (build_index) for the real fixture documents, written
over a real build's search index with chunks of two documents, so that an archive of eight
documents has the several chunks a large one has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browserlib import Traffic, serve
from conftest import copy_project, run_generator
from searchlib import index_data, index_files, published_corpus, replace_index
from test_search import SEMANTICS, _ids, _matching, _q, _visit

from generator.publish.search import INDEX_DIR, build_index, decode_varints, fnv1a, shard_key

CHUNK = 2


@pytest.fixture(scope="module")
def chunked_site(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    return _site_with_chunks(tmp_path_factory.mktemp("meta-split"), CHUNK)


@pytest.fixture(scope="module")
def fine_site(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """Chunks of 20 documents (all eight in one) with fine chunks of two."""
    return _site_with_chunks(tmp_path_factory.mktemp("meta-fine"), 20)


def _site_with_chunks(tmp: Path, chunk: int) -> tuple[Path, dict[str, str]]:
    from generator.link import link
    from generator.pipeline import collect

    root = copy_project(tmp, corpus=SEMANTICS)
    proc = run_generator(root, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = collect(root, progress=False, corpus=root / "corpus", segment=True)
    assert not report.errors, report.errors
    link(report.documents)
    docs = sorted(report.documents, key=lambda d: d.id)
    files = build_index(docs, report.search_terms, chunk=chunk)
    site = root / "site"
    # the build's own index is the same apart from the chunk size
    built = {p.relative_to(site / INDEX_DIR).as_posix() for p in (site / INDEX_DIR).rglob("*.js")}
    # (tc/ holds the trends page's precomputed counts, written by the trends stage, not build_index)
    assert {f for f in files if not f.startswith("m/")} == {f for f in built if not f.startswith(("m/", "tc/"))}
    replace_index(site, files)
    return site, files


@pytest.fixture(scope="module")
def corpus_lines(chunked_site) -> list[dict]:
    return published_corpus(chunked_site[0])


def _docs_with_all(files: dict[str, str], terms: list[str]) -> set[int]:
    """Documents whose postings hold every term (title '#' terms count as the text's)."""
    shards = index_data(files, "meta.js")["shards"]
    out = None
    for t in terms:
        have = set()
        for term in (t, "#" + t):
            data = index_data(files, f"s/{fnv1a(shard_key(term)) & (shards - 1)}.js")
            prev = -1
            for v in decode_varints(data.get(term, "")):
                prev += v // 8 + 1
                have.add(prev)
        out = have if out is None else out & have
    return out or set()



@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_a_query_loads_only_its_candidates_chunks(chunked_site, corpus_lines, page, via) -> None:
    site, files = chunked_site
    meta = index_data(files, "meta.js")
    n_chunks = -(-meta["docs"] // CHUNK)
    assert n_chunks >= 4
    with serve(site) as base:
        b = base if via == "http" else None
        # a phrase in some documents: lengths of their chunks only, no dates, no facets
        traffic = Traffic().attach(page)
        status, results = _visit(page, site, b, _q(q="“坚持稳中求进”"))
        want = _matching(corpus_lines, phrase="坚持稳中求进")
        assert sorted(_ids(results)) == sorted(want), status
        cands = _docs_with_all(files, ["坚持", "持稳", "稳中", "中求", "求进"])
        loaded = {f for f in index_files(traffic) if f.startswith("m/")}
        assert loaded == {f"m/l{k}.js" for k in {n // CHUNK for n in cands}}, loaded
        assert traffic.page_errors == [] and traffic.failures == []
        # a query whose candidates are in some chunks leaves the others unloaded
        traffic = Traffic().attach(page)
        status, results = _visit(page, site, b, _q(q="广东省政府工作报告"))
        assert _ids(results) == ["2026-guangdong-title-only", "2024-guangdong"], status
        cands = _docs_with_all(files, ["广东", "东省", "省政", "政府", "府工", "工作", "作报", "报告"])
        loaded = {f for f in index_files(traffic) if f.startswith("m/")}
        assert loaded == {f"m/l{k}.js" for k in {n // CHUNK for n in cands}}, loaded
        assert 0 < len(loaded) < n_chunks

        # filters alone: the value's own list, and the dates (with the repost groups) of the
        # documents passing; no lengths, since nothing is ranked
        traffic = Traffic().attach(page)
        status, results = _visit(page, site, b, _q(place="广东省"))
        want = _matching(corpus_lines, place="广东省")
        assert sorted(_ids(results)) == sorted(want), status
        value = meta["facets"]["place"].index("广东省")
        passing = {int(n) for n in _positions(index_data(files, f"m/place-{value % meta['facetShards']['place']}.js")[str(value)])}
        loaded = {f for f in index_files(traffic) if f.startswith("m/")}
        chunks = {n // CHUNK for n in passing}
        assert loaded == {f"m/place-{value % meta['facetShards']['place']}.js"} | {f"m/t{k}.js" for k in chunks}, loaded
        assert not any(re.match(r"m/f\d", f) for f in loaded), "per-document facets are the trends page's"
        assert traffic.page_errors == [] and traffic.failures == []

        # a query sorted by date with a year range: dates of the candidates, the years' lists
        traffic = Traffic().attach(page)
        status, results = _visit(page, site, b, _q(q="政府工作报告", year="2016-2025", sort="date"))
        want = _matching(corpus_lines, year=(2016, 2025), phrase="政府工作报告")
        assert sorted(_ids(results)) == sorted(want), status
        loaded = {f for f in index_files(traffic) if f.startswith("m/")}
        assert any(f.startswith("m/t") for f in loaded) and any(f.startswith("m/year-") for f in loaded)
        assert not any(re.match(r"m/f\d", f) for f in loaded)

        # a two-character query sorted by date has no phrase to check and no score to use:
        # the candidates' dates and groups, no lengths
        traffic = Traffic().attach(page)
        status, results = _visit(page, site, b, _q(q="发展", sort="date"))
        cands = _docs_with_all(files, ["发展"])
        loaded = {f for f in index_files(traffic) if f.startswith("m/")}
        assert loaded == {f"m/t{k}.js" for k in {n // CHUNK for n in cands}}, loaded
        assert sorted(_ids(results)) == sorted(_matching(corpus_lines, phrase="发展")), status
        assert traffic.page_errors == [] and traffic.failures == []


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_few_documents_in_a_chunk_load_its_fine_chunks(fine_site, corpus_lines, page, via) -> None:
    site, files = fine_site
    meta = index_data(files, "meta.js")
    assert meta["chunk"] == 20 and meta["fine"] == 2 and meta["docs"] <= 20
    with serve(site) as base:
        b = base if via == "http" else None
        traffic = Traffic().attach(page)
        status, results = _visit(page, site, b, _q(q="广东省政府工作报告"))
        assert _ids(results) == ["2026-guangdong-title-only", "2024-guangdong"], status
        cands = _docs_with_all(files, ["广东", "东省", "省政", "政府", "府工", "工作", "作报", "报告"])
        loaded = {f for f in index_files(traffic) if f.startswith("m/")}
        assert loaded == {f"m/lf{k}.js" for k in {n // 2 for n in cands}}, loaded
        # filters alone: the dates of the passing documents' fine chunks
        traffic = Traffic().attach(page)
        status, results = _visit(page, site, b, _q(place="广东省"))
        assert sorted(_ids(results)) == sorted(_matching(corpus_lines, place="广东省")), status
        value = meta["facets"]["place"].index("广东省")
        facet_file = f"m/place-{value % meta['facetShards']['place']}.js"
        passing = {int(n) for n in _positions(index_data(files, facet_file)[str(value)])}
        loaded = {f for f in index_files(traffic) if f.startswith("m/")}
        fines = {n // 2 for n in passing}
        assert loaded == {facet_file} | {f"m/tf{k}.js" for k in fines}, loaded
        assert traffic.page_errors == [] and traffic.failures == []


def _positions(enc: str) -> list[int]:
    out, prev = [], -1
    for gap in decode_varints(enc):
        prev += gap + 1
        out.append(prev)
    return out


@pytest.mark.browser
def test_trends_page_counts_with_the_split_index(chunked_site, corpus_lines, page) -> None:
    """trends.js tabulates the whole archive: SearchArchive.meta() gathers every chunk,
    and its yearly document counts are those of the corpus."""
    site, _files = chunked_site
    page.goto(f"{site.as_uri()}/trends.html?q=%E5%8F%91%E5%B1%95")
    page.wait_for_function("() => document.querySelector('.sa-status') && "
                           "document.querySelector('.sa-status').getAttribute('data-state')")
    assert page.get_attribute(".sa-status", "data-state") in ("exact", "bounded")
    years: dict[str, int] = {}
    for d in corpus_lines:
        date = d["metadata"].get("date", {}).get("value")
        years[str(date)[:4] if date else "年份不明"] = years.get(str(date)[:4] if date else "年份不明", 0) + 1
    rows = page.eval_on_selector_all(
        "table.sa-trends-table[data-facet=year] tbody tr",
        "rs => rs.map(r => [r.cells[0].innerText, +r.cells[1].innerText])")
    assert dict(rows) == years, rows
