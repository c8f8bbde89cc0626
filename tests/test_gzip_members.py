"""The big downloads as gzip members (publish/gzip_members.py): every standard reader reads
the file as the one text it holds; a rebuild that copies unchanged members from the previous
file writes the bytes a cold write gives; one new document compresses only its group again;
a damaged, missing or stale member index only costs the compression, with a note."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import zlib

import pytest
from conftest import ROOT, SEEDS

from generator.pipeline import collect
from generator.publish.export import corpus_lines
from generator.publish.gzip_members import GROUP_MAX, groups, starts_group, write_members
from generator.publish.output import Output
from generator.publish.passages import passages_lines


@pytest.fixture(scope="module")
def records() -> list[tuple[str, str]]:
    """Many (id, line) items made of the seeds' real corpus records, under distinct ids, so
    the file has many groups (the seeds alone are five documents)."""
    docs = sorted(collect(ROOT, progress=False, corpus=SEEDS).documents, key=lambda d: d.id)
    lines = list(corpus_lines(docs, {d.id: f"https://example.org/{d.id}" for d in docs}))
    lines += list(passages_lines(docs))
    return [(f"doc-{n:04d}", lines[n % len(lines)].replace('"id": "', f'"id": "{n}-', 1)) for n in range(300)]


def text_of(items: list[tuple[str, str]]) -> str:
    return "".join(t for _, t in items)


def test_standard_readers_read_every_member_as_one_text(records, tmp_path) -> None:
    path = tmp_path / "corpus.jsonl.gz"
    written, compressed = write_members(path, records, tmp_path / "cache")
    assert written and compressed > 10  # many members
    want = text_of(records)
    assert gzip.decompress(path.read_bytes()).decode("utf-8") == want
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        assert fh.read() == want
    if shutil.which("gzip") is None:
        pytest.skip("no gzip command")  # Debian always has it; CI runs on Debian
    subprocess.run(["gzip", "-t", str(path)], check=True)
    assert subprocess.run(["zcat", str(path)], check=True, capture_output=True).stdout == want.encode("utf-8")


def test_groups_are_cut_by_keys_not_by_count() -> None:
    keys = [f"doc-{n:05d}" for n in range(2000)]
    items = [(k, k + "\n") for k in keys]
    cut = list(groups(items))
    assert "".join(cut) == text_of(items)
    for g in cut:
        lines = g.splitlines()
        assert 1 <= len(lines) <= GROUP_MAX
    # one new item changes at most the group it lands in (and splits it at most once)
    extra = ("doc-00999x", "doc-00999x\n")
    after = list(groups(sorted([*items, extra])))
    assert len(set(after) - set(cut)) <= 2
    assert len(set(cut) - set(after)) <= 1
    assert any(starts_group(k) for k in keys) and not all(starts_group(k) for k in keys)


def test_rebuild_equals_cold_write_and_compresses_only_what_changed(records, tmp_path) -> None:
    before = [r for n, r in enumerate(records) if n != 150]
    edited = [(k, t.replace("。", "．", 1)) if n == 40 else (k, t) for n, (k, t) in enumerate(records)]
    work = tmp_path / "work" / "c.gz"
    write_members(work, before, tmp_path / "cache")
    for step in (records, edited, before):
        written, compressed = write_members(work, step, tmp_path / "cache")
        cold = tmp_path / "cold" / "c.gz"
        shutil.rmtree(cold.parent, ignore_errors=True)
        write_members(cold, step, None)
        assert written and work.read_bytes() == cold.read_bytes()
        assert 1 <= compressed <= 3, compressed  # the changed group (and one split)
    stamp = work.stat().st_mtime_ns
    assert write_members(work, before, tmp_path / "cache") == (False, 0)  # nothing to compress or write
    assert work.stat().st_mtime_ns == stamp


def test_damaged_or_stale_index_compresses_again_with_a_note(records, tmp_path, capsys) -> None:
    path, cache = tmp_path / "data" / "c.gz", tmp_path / "cache"
    write_members(path, records, cache)
    good = path.read_bytes()
    index = cache / "c.gz.json"
    index.write_text("{not json", encoding="utf-8")
    written, compressed = write_members(path, records, cache)
    assert not written and compressed > 10 and path.read_bytes() == good
    assert "c.gz.json: unreadable" in capsys.readouterr().err
    # the index points at the right places of a file whose bytes were changed and whose
    # stamp was put back: each member's trailer is checked against the data it should hold
    saved = json.loads(index.read_text(encoding="utf-8"))
    offset, length = next(iter(saved["members"].values()))
    st = path.stat()
    damaged = bytearray(good)
    damaged[offset + length - 8] ^= 0xFF
    path.write_bytes(bytes(damaged))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    written, compressed = write_members(path, records, cache)
    assert written and compressed == 1 and path.read_bytes() == good
    # a file changed by hand (new stamp) or gone: every member again, no crash
    path.write_bytes(b"not gzip")
    assert write_members(path, records, cache)[1] > 10 and path.read_bytes() == good
    path.unlink()
    assert write_members(path, records, cache)[1] > 10 and path.read_bytes() == good
    shutil.rmtree(cache)
    assert write_members(path, records, cache) == (False, len(list(groups(records))))


def test_nothing_is_still_a_gzip_file(tmp_path) -> None:
    path = tmp_path / "empty.gz"
    write_members(path, [], None)
    assert gzip.decompress(path.read_bytes()) == b""
    assert zlib.decompress(path.read_bytes(), 31) == b""


def test_output_members_counts_and_refuses_foreign_paths(records, tmp_path) -> None:
    from generator.publish.gzip_members import output_members

    out = Output(tmp_path)
    assert output_members(out, tmp_path / "data" / "p.gz", records[:20])
    assert not output_members(out, tmp_path / "data" / "p.gz", records[:20])
    assert (out.written, out.unchanged) == (1, 1)
    with pytest.raises(ValueError):
        output_members(out, tmp_path / "elsewhere.gz", records[:3])
