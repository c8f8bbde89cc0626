"""Index lists cut where their lines say (generator/publish/stable_pages.py): one new
document changes the index pages its entries land on, the first page of a list that
split (it lists every page) and the neighbours of a new page (their previous/next
links), and no other index page."""

from __future__ import annotations

import copy
import random
import re

import pytest
from conftest import ROOT, SEEDS

from generator.publish.indexes import Group
from generator.publish.stable_pages import cut, paginate_stable

LISTS = ("years", "places", "speakers", "meeting-types", "genres", "index")
_COUNT = re.compile(r"（\d+）")
SMALL = {"average": 8, "minimum": 2, "maximum": 20}  # many pages from a few dozen documents


def _list_of(page: str) -> str | None:
    for name in LISTS:
        if page == name or re.fullmatch(re.escape(name) + r"-([0-9a-f]{8}(-\d+)?|\d+)", page):
            return name
    return None


def _unexplained(before: dict[str, str], after: dict[str, str], new_line: str) -> list[str]:
    """Pages of the six lists that changed although they do not hold the new entry, are
    not a list's first page, and are not next to a page that appeared or went."""
    born = (set(after) - set(before)) | (set(before) - set(after))
    out = []
    for page, text in after.items():
        if _list_of(page) is None or before.get(page) == text or new_line in text or page in LISTS:
            continue
        if page in before and _COUNT.sub("", before[page]) == _COUNT.sub("", text):
            continue  # a section's heading counts its entries (讲话稿（12）): a real change
        if page not in before:
            continue  # a new page: a split, which holds the new entry or follows it
        if any(f"({b}.md)" in text or f"({b}.md)" in before[page] for b in born):
            continue  # its previous/next link names the new (or gone) page
        out.append(page)
    return out


def _groups(n: int, rng: random.Random) -> list[Group]:
    return [Group(2, f"组{g}", f"a-{g}", entries=[f"- 条目 {g}-{rng.random():.12f}" for _ in range(n)])
            for g in range(6)]


def test_one_new_line_changes_only_its_page() -> None:
    """Insert a line at random into lists of 6 sections × 300 lines, 200 times: besides the
    page it lands on, only the first page (on a split) and a new page's neighbours change."""
    rng = random.Random(3)
    for trial in range(200):
        groups = _groups(300, rng)
        before = paginate_stable("x", "列表", "说明", groups).text
        g = rng.randrange(len(groups))
        line = f"- 新条目 {trial}"
        groups[g].entries.insert(rng.randrange(len(groups[g].entries) + 1), line)
        after = paginate_stable("x", "列表", "说明", groups).text
        changed = [p for p in after if before.get(p) != after[p]]
        holding = [p for p in after if line in after[p]]
        assert len(holding) == 1
        others = [p for p in changed if p not in holding and p != "x"]
        born = set(after) - set(before)
        assert all(p in born or any(f"({b}.md)" in after[p] for b in born) for p in others), (trial, others)


def test_pages_are_sized_and_headings_start_where_they_link() -> None:
    rng = random.Random(5)
    groups = _groups(700, rng)
    chunks = cut(groups, cut_level=0, average=250, minimum=20, maximum=500)
    assert all(sum(len(e) + (1 if g.heading and first else 0) for g, e, first in c) <= 500 for c in chunks)
    assert 6 <= len(chunks) <= 40  # 4,206 lines at 250 on average
    for c in chunks:  # a heading never ends a page without one of its lines
        g, entries, first = c[-1]
        assert entries or not first
    pages = paginate_stable("x", "列表", "说明", groups)
    for g in groups:
        assert f"{{#{g.anchor}}}" in pages.text[pages.where[g.anchor]]
    first = pages.text["x"]
    assert first.count("](x-") == len(pages.text) - 1  # the first page lists every other page
    for name, text in pages.text.items():
        if name != "x":
            assert "[第 1 页（全部页面）](x.md)" in text and "共 " not in text


def test_a_heading_of_cut_level_starts_its_own_page() -> None:
    rng = random.Random(7)
    groups = _groups(90, rng)  # 546 lines: more than a page holds
    pages = paginate_stable("years", "按年份", "说明", groups, cut_level=2)
    assert len(pages.text) >= len(groups)
    assert pages.where["a-0"] == "years" and len(set(pages.where.values())) == len(groups)


def test_a_list_that_fits_on_a_page_is_one_page() -> None:
    groups = _groups(80, random.Random(7))  # 486 lines
    pages = paginate_stable("years", "按年份", "说明", groups, cut_level=2)
    assert list(pages.text) == ["years"] and set(pages.where.values()) == {"years"}
    assert "共 " not in pages.text["years"]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """41 synthetic speeches (the seeds' paragraphs recombined, bench.synthetic_corpus)
    through the real read → clean → annotate pipeline."""
    from generator.pipeline import collect
    from generator.tools.bench import synthetic_corpus

    folder = tmp_path_factory.mktemp("stable") / "corpus"
    synthetic_corpus(ROOT, folder, 41, seed=11, corpus=SEEDS)
    report = collect(ROOT, progress=False, corpus=folder)
    assert not report.errors, report.errors
    return sorted(report.documents, key=lambda d: d.id)


def test_adding_a_document_leaves_the_other_index_pages_byte_identical(synthetic) -> None:
    """The real index builder on real documents, with small pages so each list has many:
    add each of several documents in turn to the others and compare every list page."""
    from generator.publish.indexes import build_indexes
    from generator.publish.write import esc

    docs = synthetic
    assert any(d.value("date") for d in docs) and any(d.value("place") for d in docs)
    for new in docs[::8]:
        rest = [d for d in docs if d is not new]
        before = build_indexes(rest, esc, sizes=SMALL).text
        after = build_indexes(docs, esc, sizes=SMALL).text
        assert sum(_list_of(p) is not None for p in after) > 2 * len(LISTS)  # the lists do have pages
        assert not _unexplained(before, after, f"(speeches/{new.id}.md)"), new.id
        changed = [p for p in after if _list_of(p) and before.get(p) != after[p]]
        # at most: the pages holding its entries, each list's first page, and a split's neighbours
        holding = [p for p in after if _list_of(p) and f"(speeches/{new.id}.md)" in after[p]]
        assert len(changed) <= len(holding) + len(LISTS) + 2 * (len(set(after) - set(before))), (new.id, changed)


def test_paginated_by_count_a_new_document_moved_many_pages(synthetic) -> None:
    """The same measurement of the old pagination: shows the test above can fail."""
    from generator.publish.indexes import Group, _by_date, _entry, paginate
    from generator.publish.write import esc

    def index(docs):
        return paginate("index", "全部讲话", "说明", [Group(2, "", "all", entries=[_entry(d, esc) for d in _by_date(docs)])],
                        per_page=4).text

    newest = max(synthetic, key=lambda d: (str(d.value("date") or ""), d.id))
    before, after = index([d for d in synthetic if d is not newest]), index(synthetic)
    assert len(_unexplained(before, after, f"(speeches/{newest.id}.md)")) > 3


def test_the_pages_do_not_depend_on_the_order_documents_arrive_in(synthetic) -> None:
    """A copy of the documents makes the same pages: the cuts depend on the lines alone."""
    from generator.publish.indexes import build_indexes
    from generator.publish.write import esc

    twin = [copy.copy(d) for d in reversed(synthetic)]
    assert build_indexes(twin, esc, sizes=SMALL).text == build_indexes(synthetic, esc, sizes=SMALL).text


def test_the_main_index_shows_the_four_strongest_tags_in_reading_order() -> None:
    """Their weight order swaps between near ties when a document is added; the reading
    order does not, so the row (and its page) stays the same."""
    from conftest import linked_seed_docs

    from generator.publish.indexes import all_speeches
    from generator.publish.write import esc, reading_order

    docs = linked_seed_docs()
    text = "\n".join(all_speeches(docs, esc).text.values())
    for d in docs:
        if len(d.keywords) >= 4:
            shown = reading_order(d.keywords[:4], d.search_text)
            assert f"| {'、'.join(esc(k) for k in shown)} |" in text
            swapped = [d.keywords[1], d.keywords[0], *d.keywords[2:]]
            assert reading_order(swapped[:4], d.search_text) == shown
