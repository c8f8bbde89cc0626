"""The write stage's page cache (publish/page_cache.py): a speech page is made again
exactly when something it shows changed, including what it shows of other documents,
and kept (not made, not read) otherwise."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, copy_project
from test_incremental import cold, generate, same, tree

from generator.publish.write import reading_order
from generator.tools.bench import synthetic_corpus

N = 16


def test_reading_order_is_the_texts_order() -> None:
    text = "我们要推进乡村振兴，稳住经济大盘，再谈乡村振兴。"
    assert reading_order(["经济大盘", "乡村振兴", "高质量发展", "安全生产"], text) == [
        "乡村振兴", "经济大盘", "安全生产", "高质量发展"]  # absent terms last, by code point


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("corpus")
    synthetic_corpus(ROOT, base, N, corpus=SEEDS)
    return base


def catalog(root: Path) -> dict[str, dict]:
    data = json.loads((root / "docs" / "data" / "catalog.json").read_text(encoding="utf-8"))
    return {d["id"]: d for d in data["documents"]}


def test_a_neighbours_new_date_remakes_the_pages_that_list_it(corpus: Path, tmp_path: Path) -> None:
    work = copy_project(tmp_path / "work", corpus)
    generate(work)
    docs = catalog(work)
    listed = {r["id"] for d in docs.values() for r in d["related"]}
    target = sorted(listed)[0]
    listers = sorted(i for i, d in docs.items() if target in {r["id"] for r in d["related"]})
    speeches = work / "docs" / "archive" / "speeches"
    before = {i: (speeches / f"{i}.md").read_bytes() for i in listers}
    # an editor's date changes what the neighbours' pages print of it, not its text or weights
    source = work / "corpus" / docs[target]["source_path"]
    source.with_name(source.name + ".meta.yml").write_text("date: 2021-05-06\n", encoding="utf-8")
    generate(work)
    for i in listers:
        after = (speeches / f"{i}.md").read_bytes()
        assert after != before[i] and "2021" in after.decode("utf-8"), i
    same(tree(work), cold(tmp_path, "cold", work / "corpus"))


def test_an_unchanged_page_is_kept_without_being_made(corpus: Path, tmp_path: Path) -> None:
    work = copy_project(tmp_path / "work", corpus)
    generate(work)
    page = sorted((work / "docs" / "archive" / "speeches").glob("*.md"))[2]
    original = page.read_bytes()
    st = page.stat()
    # same size and modification time, other bytes: only a build that did not make the page keeps them
    page.write_bytes(original[:-1] + b" ")
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    generate(work)
    assert page.read_bytes() == original[:-1] + b" "
    # a file whose stamp is not the recorded one is made again
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    generate(work)
    assert page.read_bytes() == original


def test_the_key_follows_what_the_page_prints_not_the_bits_behind_it() -> None:
    """A similar speech's score moving below its printed two decimals (every new document
    does that through the document frequencies) or tokens changing leave both the page
    and its key as they were; a score moving in the printed second decimal changes both."""
    import copy
    import dataclasses

    from conftest import linked_seed_docs

    from generator.publish.page_cache import shown_digest
    from generator.publish.write import shown_related, speech_page

    docs = linked_seed_docs()
    by_id = {d.id: d for d in docs}
    doc = next(d for d in docs if d.related)

    def key(d):
        return shown_digest(d, reading_order(d.keywords, d.search_text), shown_related(d))

    def moved(score):
        d = copy.copy(doc)
        d.related = [dataclasses.replace(r, score=score(r.score)) for r in doc.related]
        d.tokens = doc.tokens[::-1]
        return d

    # the printed value itself: the same two decimals, other bits (the link stage keeps three)
    drift, real = moved(lambda s: float(f"{s:.2f}")), moved(lambda s: s + 0.05)
    assert [r.score for r in drift.related] != [r.score for r in doc.related]
    assert speech_page(drift, by_id) == speech_page(doc, by_id) and key(drift) == key(doc)
    assert speech_page(real, by_id) != speech_page(doc, by_id) and key(real) != key(doc)
    edited = copy.copy(doc)
    edited.paragraphs = doc.paragraphs[:-1]
    assert key(edited) != key(doc)
