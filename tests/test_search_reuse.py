"""A rebuild patches the previous build's shards (search_reuse) and writes the same bytes
as a cold build: after adding a document (at the end of the numbering and in the
middle), removing one, changing one; and with a broken state or an edited shard it says
so and encodes everything again."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT
from searchlib import linked_archive, linked_copies

from generator.publish.output import Output
from generator.publish.search import INDEX_DIR, compact_terms, encode_postings, write_search_index
from generator.publish.search_reuse import STATE, decode

CORPUS = ROOT / "tests" / "fixtures" / "search_corpus"
SHARDS = 256  # enough shards that one document leaves some untouched


@pytest.fixture(scope="module")
def archive():
    return linked_archive(CORPUS)


def _linked(docs):
    return linked_copies(docs)


def _build(root: Path, docs, terms) -> dict[str, bytes]:
    """The generator's way: through Output, with the search cache, stale files removed."""
    out = Output(root / "docs")
    write_search_index(docs, root / "docs", out, dict(terms), cache_dir=root / ".cache" / "search",
                       min_shards=SHARDS)
    out.remove_stale()
    top = root / "docs" / INDEX_DIR
    return {p.relative_to(top).as_posix(): p.read_bytes() for p in sorted(top.rglob("*")) if p.is_file()}


def _cold(tmp_path: Path, name: str, docs, terms) -> dict[str, bytes]:
    return _build(tmp_path / name, docs, terms)


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


def test_rebuilds_equal_cold_builds(archive, tmp_path: Path, capsys) -> None:
    docs = sorted(archive.documents, key=lambda d: d.id)
    terms = archive.search_terms
    live = tmp_path / "live"
    cold_all = _cold(tmp_path, "cold_all", docs, terms)
    # the last document added: only its terms' shards are made again, the rest kept
    head = _linked(docs[:-1])
    assert _build(live, head, terms) == _cold(tmp_path, "cold_head", head, terms)
    before = _mtimes(live)
    assert _build(live, docs, terms) == cold_all
    after = _mtimes(live)
    kept = sum(before[name] == after[name] for name in before)
    assert 0 < kept < SHARDS
    # removed again: its postings leave the shards it touched
    assert _build(live, head, terms) == _cold(tmp_path, "cold_head2", head, terms)
    # a document added in the middle: every later document is renumbered
    middle = _linked(docs[:2] + docs[3:])
    assert _build(live, middle, terms) == _cold(tmp_path, "cold_middle", middle, terms)
    assert _build(live, docs, terms) == cold_all
    # a document changed: its old postings out, its new ones in
    edited = copy.deepcopy(docs)
    edited[1].paragraphs = [*edited[1].paragraphs, "新增一段关于数字乡村建设的说明。"]
    from generator.annotate.segment import cut

    edited[1].tokens = cut(edited[1].search_text)
    terms2 = {**terms, edited[1].id: compact_terms(edited[1])}
    assert _build(live, edited, terms2) == _cold(tmp_path, "cold_edited", edited, terms2)
    assert _build(live, docs, terms) == cold_all
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
