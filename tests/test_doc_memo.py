"""Per-document values kept by the document's cache key (publish/doc_memo.py): a value
comes from the previous build only for a document of the same key, equals what making it
gives, and a damaged or foreign file only costs making every value again."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

from generator.annotate.targets import extract
from generator.pipeline import collect
from generator.publish.doc_memo import DocMemo
from generator.publish.passages import passages_lines

FIXTURES = ROOT / "tests" / "fixtures" / "targets"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The targets fixtures as the pipeline leaves them, with their cache keys."""
    root = tmp_path_factory.mktemp("doc-memo")
    shutil.copytree(FIXTURES, root / "corpus")
    report = collect(root, progress=False, cache_dir=root / ".cache" / "documents", workers=1)
    docs = sorted(report.documents, key=lambda d: d.id)
    assert docs and set(report.doc_keys) == {d.id for d in docs}
    assert any(extract(d) for d in docs), "no document states a target: the memo would hold nothing"
    return docs, report.doc_keys


def run(docs, keys, directory, name, make):
    memo = DocMemo(directory, name, keys)
    values = {d.id: memo.get(d, make) for d in docs}
    memo.save()
    return values, memo


def test_values_come_back_for_the_same_key_only(built, tmp_path) -> None:
    docs, keys = built
    first, memo = run(docs, keys, tmp_path, "targets", extract)
    assert (memo.made, memo.kept) == (len(docs), 0)
    again, memo = run(docs, keys, tmp_path, "targets", lambda d: pytest.fail("made again"))
    assert again == first == {d.id: extract(d) for d in docs} and memo.kept == len(docs)
    # one document's key changes (its source was edited): that one is made again
    edited = dict(keys, **{docs[0].id: "edited"})
    _, memo = run(docs, edited, tmp_path, "targets", extract)
    assert (memo.made, memo.kept) == (1, len(docs) - 1)
    lines, _ = run(docs, keys, tmp_path, "passages", lambda d: "".join(passages_lines([d])))
    assert "".join(lines[d.id] for d in docs) == "".join(passages_lines(docs))


def test_no_keys_or_no_folder_makes_everything(built, tmp_path) -> None:
    docs, keys = built
    _, memo = run(docs, None, tmp_path, "targets", extract)
    assert memo.made == len(docs) and not (tmp_path / "targets.pickle").exists()
    _, memo = run(docs, keys, None, "targets", extract)
    assert memo.made == len(docs)


def test_damaged_or_foreign_file_makes_everything_again(built, tmp_path, capsys) -> None:
    docs, keys = built
    run(docs, keys, tmp_path, "targets", extract)
    (tmp_path / "targets.pickle").write_bytes(b"garbage")
    values, memo = run(docs, keys, tmp_path, "targets", extract)
    assert memo.made == len(docs) and values == {d.id: extract(d) for d in docs}
    assert "targets.pickle: unreadable" in capsys.readouterr().err
    import pickle

    (tmp_path / "targets.pickle").write_bytes(pickle.dumps({"version": "another generator", "values": {}}))
    _, memo = run(docs, keys, tmp_path, "targets", extract)
    assert memo.made == len(docs)


def test_term_positions_give_the_reading_order_without_the_text(built, tmp_path) -> None:
    from generator.publish.doc_memo import TermPositions
    from generator.publish.write import reading_order

    docs, keys = built
    # terms of each document: some it uses (its own characters), some it does not
    wanted = {d.id: [[d.search_text[5:7], d.search_text[2:4], "不在文中的词"], [d.search_text[9:11]]] for d in docs}
    first = TermPositions(tmp_path, keys)
    for d in docs:
        order = first.order(d, wanted[d.id])
        for terms in wanted[d.id]:
            assert order(terms) == reading_order(terms, d.search_text)
    first.save()
    again = TermPositions(tmp_path, keys)
    for d in docs:
        order = again.order(d, wanted[d.id][:1])
        assert order(wanted[d.id][0]) == reading_order(wanted[d.id][0], d.search_text)
    assert (again.memo.kept, again.memo.made) == (len(docs), 0)
    # a term never placed: the text is read again, and the earlier terms stay placed
    d = docs[0]
    order = again.order(d, [["新词", d.search_text[:2]]])
    assert order(["新词", d.search_text[:2]]) == reading_order(["新词", d.search_text[:2]], d.search_text)
    assert order(wanted[d.id][1]) == reading_order(wanted[d.id][1], d.search_text)
    assert again.memo.made == 1


def test_the_text_key_stands_for_the_text_in_the_page_key(built) -> None:
    import copy

    from generator.model import Field
    from generator.publish.page_cache import shown_digest

    docs, keys = built
    d = docs[0]
    base = shown_digest(d, d.keywords, [], keys[d.id])
    assert base == shown_digest(d, list(d.keywords), [], keys[d.id])
    assert base != shown_digest(d, d.keywords, [], "another text")
    assert base != shown_digest(d, d.keywords[::-1] + ["x"], [], keys[d.id])
    assert base != shown_digest(d, d.keywords, [("x", "0.50", [], 0)], keys[d.id])
    other = copy.copy(d)
    other.meta = dict(d.meta, date=Field("1999-01-01", "given"))
    assert base != shown_digest(other, d.keywords, [], keys[d.id])
