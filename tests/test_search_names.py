"""A large facet's names out of meta.js (generator/publish/search_names.py): a query loads no
name at all, a URL filter the one shard of its own value's key, the filter field every
shard only once the reader opens it; results are those of the oracle either way.

The site is the real build of the search-semantics fixtures with its index rebuilt by
build_index with inline_names=3, so that this small archive's places and speakers are split
the way 3,000 places and 12,500 speakers of a large one are."""

from __future__ import annotations

from pathlib import Path

import pytest
from browserlib import Traffic, serve
from conftest import copy_project, run_generator
from searchlib import index_data, index_files, published_corpus, replace_index
from test_search import SEMANTICS, _ids, _matching, _q, _settled, _visit

from generator.publish.search import build_index, fnv1a
from generator.publish.search_names import facet_key, name_files

INLINE = 3


def test_speaker_key_is_the_clients_across_scripts_spacing_and_dots() -> None:
    assert facet_key("speaker", "趙 國強") == facet_key("speaker", "赵国强") == "赵国强"
    assert facet_key("speaker", "Wang\u3000Li") == "wangli"
    assert facet_key("speaker", "阿卜杜•热西提") == facet_key("speaker", "阿卜杜·热西提")
    assert facet_key("place", "广东 省") == "广东 省"  # other facets compare as they are


def test_every_name_is_in_the_shard_of_its_key() -> None:
    names = [f"名字{i}" for i in range(2000)]
    k, files = name_files("speaker", names, list(range(2000)))
    assert k > 1 and len(files) == k
    seen = {}
    for key, data in files.items():
        j = int(key.rsplit("-", 1)[1])
        for i, (name, count) in data.items():
            assert fnv1a(facet_key("speaker", name)) & (k - 1) == j
            seen[int(i)] = (name, count)
    assert seen == {i: (n, i) for i, n in enumerate(names)}


@pytest.fixture(scope="module")
def names_site(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    from generator.link import link
    from generator.pipeline import collect

    root = copy_project(tmp_path_factory.mktemp("names-split"), corpus=SEMANTICS)
    proc = run_generator(root, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = collect(root, progress=False, corpus=root / "corpus", segment=True)
    assert not report.errors, report.errors
    link(report.documents)
    docs = sorted(report.documents, key=lambda d: d.id)
    files = build_index(docs, report.search_terms, inline_names=INLINE)
    site = root / "site"
    # the build's own index differs only in meta.js and the name shards
    inline = build_index(docs, report.search_terms)
    assert {r: t for r, t in files.items() if r != "meta.js" and not r.startswith("m/n-")} == {
        r: t for r, t in inline.items() if r != "meta.js"}
    replace_index(site, files)
    return site, files


@pytest.fixture(scope="module")
def corpus_lines(names_site) -> list[dict]:
    return published_corpus(names_site[0])



def test_meta_js_has_the_sizes_of_split_facets_not_their_names(names_site) -> None:
    _site, files = names_site
    meta = index_data(files, "meta.js")
    assert set(meta["nameShards"]) >= {"place", "speaker"}, meta["nameShards"]
    for f in meta["nameShards"]:
        assert meta["facets"][f] == [] and meta["counts"][f] == [] and meta["sizes"][f] > INLINE
        names = {}
        for j in range(meta["nameShards"][f]):
            names.update(index_data(files, f"m/n-{f}-{j}.js"))
        assert sorted(map(int, names)) == list(range(meta["sizes"][f]))
    for f in set(meta["facetOrder"]) - set(meta["nameShards"]):
        assert 0 < len(meta["facets"][f]) <= INLINE


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_filters_on_split_facets_load_one_name_shard(names_site, corpus_lines, page, via) -> None:
    site, files = names_site
    meta = index_data(files, "meta.js")
    traffic = Traffic().attach(page)
    with serve(site) as base:
        b = base if via == "http" else None
        # a query alone loads no name
        status, results = _visit(page, site, b, _q(q="政府工作报告"))
        assert results and not {f for f in index_files(traffic) if f.startswith("m/n-")}, status
        for value in ("赵国强", "趙 國強"):  # one name across scripts and spacing
            traffic.requests.clear()
            status, results = _visit(page, site, b, _q(speaker=value))
            assert sorted(_ids(results)) == ["2017-national-traditional", "2019-national-simplified"], (value, status)
            k = meta["nameShards"]["speaker"]
            assert {f for f in index_files(traffic) if f.startswith("m/n-")} == {
                f"m/n-speaker-{fnv1a('赵国强') & (k - 1)}.js"}
        for place in ("广东省", "全国"):
            status, results = _visit(page, site, b, _q(place=place))
            assert sorted(_ids(results)) == sorted(_matching(corpus_lines, place=place)), (place, status)
        # a name the archive has not: said on the page (every shard read to be sure)
        status, results = _visit(page, site, b, _q(q="政府工作报告", speaker="李强"))
        assert results == [] and "李强" in page.inner_text(".sa-notes")
    assert not traffic.page_errors and not traffic.failures, (traffic.page_errors, traffic.failures)


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_the_filter_field_offers_every_name_once_opened(names_site, corpus_lines, page, via) -> None:
    site, files = names_site
    meta = index_data(files, "meta.js")
    with serve(site) as base:
        page.goto(f"{base if via == 'http' else site.as_uri() + '/'}search.html?q=%E6%94%BF%E5%BA%9C")
        _settled(page)
        assert page.eval_on_selector_all("#sa-names-speaker option", "os => os.length") == 0
        page.focus("input[name=speaker]")
        page.wait_for_function(f"() => document.querySelectorAll('#sa-names-speaker option').length === "
                               f"{meta['sizes']['speaker']}")
        assert "赵国强" in page.eval_on_selector_all("#sa-names-speaker option", "os => os.map(o => o.value)")
        page.fill("input[name=speaker]", "赵国强")
        page.dispatch_event("input[name=speaker]", "change")
        page.wait_for_function("() => location.search.includes('speaker=')")
        status, results = _settled(page)
        assert sorted(_ids(results)) == ["2017-national-traditional", "2019-national-simplified"], status
