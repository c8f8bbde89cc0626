"""A rebuild patches the previous build's shards (search_reuse) and writes the same bytes
as a cold build: after adding a document (at the end of the numbering and in the
middle), removing one, changing one, with dense postings (search_dense) as with varints;
a shard whose "~" form was written before a document without its term was added is kept,
and is what a cold build writes; and with a broken state or an edited shard it says so
and encodes everything again."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT
from searchlib import linked_archive, linked_copies

from generator.publish.output import Output
from generator.publish.search import (
    INDEX_DIR,
    compact_terms,
    decode_varints,
    encode_postings,
    write_search_index,
)
from generator.publish.search_dense import DENSE_MIN_CHARS
from generator.publish.search_reuse import STATE, decode

CORPUS = ROOT / "tests" / "fixtures" / "search_corpus"
SEMANTICS = ROOT / "tests" / "fixtures" / "search_semantics"
# a document numbered after the semantics corpus's seven, holding none of their common terms
NOTE = ("2027_spring_tree_planting.txt",
        "2027年春季植树简讯\n——2027年3月12日\n"
        "春风送暖，植树添绿。市民来到西山公园种下松柏杨柳，孩子们提着水桶浇灌新苗。\n")
SHARDS = 256  # enough shards that one document leaves some untouched


@pytest.fixture(scope="module")
def archive():
    return linked_archive(CORPUS)


def _linked(docs):
    return linked_copies(docs)


def _build(root: Path, docs, terms, **kw) -> dict[str, bytes]:
    """The generator's way: through Output, with the search cache, stale files removed."""
    out = Output(root / "docs")
    write_search_index(docs, root / "docs", out, dict(terms), cache_dir=root / ".cache" / "search",
                       min_shards=SHARDS, **kw)
    out.remove_stale()
    top = root / "docs" / INDEX_DIR
    return {p.relative_to(top).as_posix(): p.read_bytes() for p in sorted(top.rglob("*")) if p.is_file()}


def _cold(tmp_path: Path, name: str, docs, terms, **kw) -> dict[str, bytes]:
    return _build(tmp_path / name, docs, terms, **kw)


def _mtimes(root: Path) -> dict[str, int]:
    top = root / "docs" / INDEX_DIR / "s"
    return {p.name: p.stat().st_mtime_ns for p in top.iterdir()}


def test_decode_inverts_encode() -> None:
    rng = np.random.default_rng(1)
    tids = np.sort(rng.integers(0, 50, 3000)).astype(np.int32)
    docs = rng.integers(0, 100_000, 3000).astype(np.int32)
    pairs = sorted(set(zip(tids.tolist(), docs.tolist(), strict=True)))
    tids = np.array([t for t, _ in pairs], np.int32)
    docs = np.array([d for _, d in pairs], np.int32)
    codes = rng.integers(0, 8, len(pairs)).astype(np.uint8)
    text, order, offsets, _ = encode_postings(tids, docs, codes)
    values = [text[offsets[i]: offsets[i + 1]] for i in range(len(order))]
    term, got_docs, got_codes = decode(values)
    assert (order[term] == tids).all() and (got_docs == docs).all() and (got_codes == codes).all()


def test_dense_forms_round_trip_through_decode() -> None:
    """Bitmaps, complements and varints in one batch of shards: decode gives back every
    posting encode_postings wrote, in the order encode_postings takes them."""
    rng = np.random.default_rng(2)
    lists = [np.arange(500), np.delete(np.arange(900), [3, 400, 899 - 1]),  # complements
             np.flatnonzero(rng.random(3000) < 0.6), np.flatnonzero(rng.random(3000) < 0.7),  # bitmaps
             np.flatnonzero(rng.random(5000) < 0.05), np.array([7])]  # varints (sparse; one posting)
    tids = np.concatenate([np.full(len(x), t) for t, x in enumerate(lists)]).astype(np.int32)
    docs = np.concatenate(lists).astype(np.int32)
    codes = rng.integers(0, 8, len(docs)).astype(np.uint8)
    text, order, offsets, dense = encode_postings(tids, docs, codes, dense_min=0)
    values = [dense.get(i) or text[offsets[i]: offsets[i + 1]] for i in range(len(order))]
    assert [v[0] for v in values[:2]] == ["~", "~"] and [v[0] for v in values[2:4]] == ["!", "!"]
    assert not {v[0] for v in values[4:]} & {"~", "!"}
    term, got_docs, got_codes = decode(values)
    assert (order[term] == tids).all() and (got_docs == docs).all() and (got_codes == codes).all()
    # the same postings with dense forms off
    text, order, offsets, dense = encode_postings(tids, docs, codes, dense_min=None)
    assert not dense and len(text) > sum(map(len, values))


@pytest.mark.parametrize("dense_min", [DENSE_MIN_CHARS, 0])  # 0: every term in most documents up to its last is dense
def test_rebuilds_equal_cold_builds(archive, tmp_path: Path, capsys, dense_min) -> None:
    docs = sorted(archive.documents, key=lambda d: d.id)
    terms = archive.search_terms
    live = tmp_path / "live"
    cold_all = _cold(tmp_path, "cold_all", docs, terms, dense_min=dense_min)
    forms = {v[:1] for rel, text in cold_all.items() if rel.startswith("s/") for v in _shard(text).values()}
    assert forms >= {"!", "~"} if dense_min == 0 else not forms & {"!", "~"}
    # the last document added: only its terms' shards are made again, the rest kept
    head = _linked(docs[:-1])
    assert _build(live, head, terms, dense_min=dense_min) == _cold(tmp_path, "cold_head", head, terms,
                                                                   dense_min=dense_min)
    before = _mtimes(live)
    assert _build(live, docs, terms, dense_min=dense_min) == cold_all
    after = _mtimes(live)
    kept = sum(before[name] == after[name] for name in before)
    assert 0 < kept < SHARDS
    # removed again: its postings leave the shards it touched
    assert _build(live, head, terms, dense_min=dense_min) == _cold(tmp_path, "cold_head2", head, terms,
                                                                   dense_min=dense_min)
    # a document added in the middle: every later document is renumbered
    middle = _linked(docs[:2] + docs[3:])
    assert _build(live, middle, terms, dense_min=dense_min) == _cold(tmp_path, "cold_middle", middle, terms,
                                                                     dense_min=dense_min)
    assert _build(live, docs, terms, dense_min=dense_min) == cold_all
    # a document changed: its old postings out, its new ones in
    edited = copy.deepcopy(docs)
    edited[1].paragraphs = [*edited[1].paragraphs, "新增一段关于数字乡村建设的说明。"]
    from generator.annotate.segment import cut

    edited[1].tokens = cut(edited[1].search_text)
    terms2 = {**terms, edited[1].id: compact_terms(edited[1])}
    assert _build(live, edited, terms2, dense_min=dense_min) == _cold(tmp_path, "cold_edited", edited, terms2,
                                                                      dense_min=dense_min)
    assert _build(live, docs, terms, dense_min=dense_min) == cold_all
    assert "every shard encoded again" not in capsys.readouterr().err


def _shard(text: bytes) -> dict[str, str]:
    import json

    s = text.decode("utf-8")
    return json.loads(s[s.index("{"): s.rindex("}") + 1])


def note_archive(tmp: Path):
    """The semantics corpus and NOTE after it, collected and linked."""
    import shutil

    corpus = tmp / "corpus"
    shutil.copytree(SEMANTICS, corpus)
    (corpus / NOTE[0]).write_text(NOTE[1], encoding="utf-8")
    return linked_archive(corpus)


def kept_complements(live: Path, docs, terms, **kw) -> tuple[dict[str, bytes], list[tuple[str, str, int]]]:
    """docs without their last built into `live`, then all of them (a rebuild): the files,
    and the "~" forms (shard, term, span) in the shards the rebuild kept whose span is
    smaller than the archive: written before the last document was added."""
    _build(live, _linked(docs[:-1]), terms, **kw)
    before = _mtimes(live)
    files = _build(live, docs, terms, **kw)
    after = _mtimes(live)
    out = []
    for name in sorted(n for n in before if before[n] == after[n]):
        for term, form in _shard(files[f"s/{name}"]).items():
            if form[:1] == "~" and decode_varints(form[1:].partition("!")[0])[0] < len(docs):
                out.append((name, term, decode_varints(form[1:].partition("!")[0])[0]))
    return files, out


def test_a_complement_written_before_a_document_was_added_is_kept_and_is_a_cold_builds(tmp_path: Path, capsys) -> None:
    """Dense forms depend only on their own postings: after adding a document that lacks a
    term, the "~" form written for the smaller archive is kept (its shard not made again)
    and is byte for byte what a cold build of the larger archive writes."""
    archive = note_archive(tmp_path)
    docs = sorted(archive.documents, key=lambda d: d.id)
    assert docs[-1].id == "2027-spring-tree-planting"
    files, kept = kept_complements(tmp_path / "live", docs, archive.search_terms, dense_min=0)
    assert files == _cold(tmp_path, "cold", docs, archive.search_terms, dense_min=0)
    assert any(not t.startswith("#") for _s, t, _n in kept), kept
    assert {n for _s, _t, n in kept} == {len(docs) - 1}
    assert "every shard encoded again" not in capsys.readouterr().err


def test_broken_state_or_edited_shard_encodes_everything(archive, tmp_path: Path, capsys) -> None:
    docs = sorted(archive.documents, key=lambda d: d.id)
    terms = archive.search_terms
    live = tmp_path / "live"
    cold_all = _cold(tmp_path, "cold_all", docs, terms)
    head = _linked(docs[:-1])
    _build(live, head, terms)
    capsys.readouterr()
    (live / ".cache" / "search" / STATE).write_bytes(b"not a pickle")
    assert _build(live, docs, terms) == cold_all
    assert "shards.pickle is unreadable" in capsys.readouterr().err
    _build(live, head, terms)
    shard = live / "docs" / INDEX_DIR / "s" / "3.js"
    shard.write_text(shard.read_text(encoding="utf-8").replace('"', "'", 1), encoding="utf-8")
    os.utime(shard, ns=(1, 1))
    assert _build(live, docs, terms) == cold_all
    assert "s/3.js is not as the previous build left it" in capsys.readouterr().err
