"""Length classes (generator/publish/search_lengths.py): the bound of the approximation, the
chunks' contents, and in Chromium (http and file://) a query ranked with classes loads the
m/q chunks instead of the exact lengths and finds the same documents, title matches first."""

from __future__ import annotations

import re

import pytest
from browserlib import Traffic, serve
from searchlib import index_data, index_files
from test_search import _ids, _matching, _q, _visit
from test_search_meta import _docs_with_all, chunked_site, corpus_lines  # noqa: F401

from generator.publish.search import decode_varints
from generator.publish.search_lengths import (
    CLASS_DIGITS,
    PER_OCTAVE,
    class_chunks,
    class_length,
    length_class,
)


def test_a_class_stands_for_its_lengths_within_a_sixth_of_an_octave() -> None:
    bound = 2 ** (1 / (2 * PER_OCTAVE))
    last = 0
    for n in list(range(1, 5000)) + [10**k + j for k in range(4, 7) for j in (-1, 0, 1, 12345)]:
        c = length_class(n)
        assert c >= last or n < last  # classes grow with the length
        assert 1 / bound - 1e-9 <= class_length(c) / n <= bound + 1e-9, (n, c)
        last = c
    assert length_class(0) == 0 and class_length(0) == 0
    assert length_class(10**9) == len(CLASS_DIGITS) - 1  # the longest share the last class


def test_class_chunks_hold_every_document_once_with_its_group() -> None:
    lengths = [0, 1, 17, 3000, 4100, 2**20, 55, 7]
    grouped = {4: 1, 7: 7}  # document 4 repeats 3, document 7 repeats 0
    chunks = class_chunks(lengths, grouped, 3)
    assert sorted(chunks) == ["q0", "q1", "q2"]
    got = "".join(chunks[f"q{k}"]["len"] for k in range(3))
    assert got == "".join(CLASS_DIGITS[length_class(n)] for n in lengths)
    pairs = {}
    for k in range(3):
        v = decode_varints(chunks[f"q{k}"]["groups"])
        pairs.update({3 * k + v[i]: v[i + 1] for i in range(0, len(v), 2)})
    assert pairs == grouped


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_a_query_ranked_by_length_classes_loads_them_and_finds_the_same(chunked_site, corpus_lines, page,  # noqa: F811
                                                                         via) -> None:
    site, files = chunked_site
    meta = index_data(files, "meta.js")
    page.add_init_script("window.SearchArchiveConfig = {exactLengthsBytes: 0}")
    with serve(site) as base:
        b = base if via == "http" else None
        traffic = Traffic().attach(page)
        status, results = _visit(page, site, b, _q(q="广东省政府工作报告"))
        # the title match first, as with exact lengths (tests/test_search_meta.py)
        assert _ids(results) == ["2026-guangdong-title-only", "2024-guangdong"], status
        cands = _docs_with_all(files, ["广东", "东省", "省政", "政府", "府工", "工作", "作报", "报告"])
        loaded = {f for f in index_files(traffic) if f.startswith("m/")}
        assert loaded == {f"m/q{k}.js" for k in {n // meta["qchunk"] for n in cands}}, loaded
        traffic = Traffic().attach(page)
        status, results = _visit(page, site, b, _q(q="“坚持稳中求进”"))
        assert sorted(_ids(results)) == sorted(_matching(corpus_lines, phrase="坚持稳中求进")), status
        assert not any(re.match(r"m/lf?\d", f) for f in index_files(traffic))
        assert traffic.page_errors == [] and traffic.failures == []
