"""Files written a record at a time (publish/stream_out.py) hold the bytes the whole-string
way gave, gzip'd or not, on real records (the seeds' passages and corpus lines); an
unchanged file is not written again (its time stamp stays); a target outside the
generator's folders is refused."""

from __future__ import annotations

import os

import pytest
from conftest import ROOT, SEEDS

from generator.pipeline import collect
from generator.publish.export import corpus_jsonl, corpus_lines, gzip_bytes
from generator.publish.output import Output
from generator.publish.passages import passages_jsonl, passages_lines
from generator.publish.stream_out import joined, output_chunks, same_bytes, write_chunks


@pytest.fixture(scope="module")
def docs():
    return sorted(collect(ROOT, progress=False, corpus=SEEDS).documents, key=lambda d: d.id)


def test_streamed_gzip_is_the_whole_string_gzip(docs, tmp_path) -> None:
    downloads = {d.id: f"https://example.org/{d.id}" for d in docs}
    whole = corpus_jsonl(docs, downloads)
    assert len(whole) > 10_000 and "".join(corpus_lines(docs, downloads)) == whole
    assert write_chunks(tmp_path / "c.jsonl.gz", corpus_lines(docs, downloads), compress=True)
    assert (tmp_path / "c.jsonl.gz").read_bytes() == gzip_bytes(whole.encode("utf-8"))
    # many small pieces or one: the same deflate stream
    text = passages_jsonl(docs)
    assert write_chunks(tmp_path / "p.gz", passages_lines(docs), compress=True)
    assert write_chunks(tmp_path / "q.gz", list(text), compress=True)
    assert (tmp_path / "p.gz").read_bytes() == (tmp_path / "q.gz").read_bytes() == gzip_bytes(text.encode("utf-8"))


def test_unchanged_file_keeps_its_time_stamp(tmp_path) -> None:
    path = tmp_path / "data" / "x.json"
    assert write_chunks(path, joined("[", ["1", "2", "3"], ",", "]\n"))
    assert path.read_text(encoding="utf-8") == "[1,2,3]\n"
    os.utime(path, (1_000_000, 1_000_000))
    assert not write_chunks(path, ["[1,2", ",3]\n"])
    assert path.stat().st_mtime == 1_000_000
    assert write_chunks(path, ["[1,2,4]\n"]) and path.read_text(encoding="utf-8") == "[1,2,4]\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.json"]  # no temporary file left


def test_output_counts_and_owns_streamed_files(tmp_path) -> None:
    out = Output(tmp_path)
    assert output_chunks(out, tmp_path / "data" / "a.json", ["{}", "\n"])
    assert not output_chunks(out, tmp_path / "data" / "a.json", ["{}\n"])
    assert (out.written, out.unchanged) == (1, 1) and tmp_path / "data" / "a.json" in out.produced
    with pytest.raises(ValueError):
        output_chunks(out, tmp_path / "elsewhere.json", ["x"])
    with pytest.raises(ValueError):
        output_chunks(out, tmp_path / "data" / ".." / ".." / "x.json", ["x"])


def test_a_failing_record_leaves_the_target_as_it_was(tmp_path) -> None:
    path = tmp_path / "data" / "x.jsonl.gz"
    write_chunks(path, ["old\n"], compress=True)
    before = path.read_bytes()

    def records():
        yield "new\n"
        raise RuntimeError("a record failed")

    with pytest.raises(RuntimeError):
        write_chunks(path, records(), compress=True)
    assert path.read_bytes() == before and sorted(p.name for p in path.parent.iterdir()) == ["x.jsonl.gz"]


def test_same_bytes(tmp_path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    a.write_bytes(b"x" * 3_000_000)
    b.write_bytes(b"x" * 3_000_000)
    c.write_bytes(b"x" * 2_999_999 + b"y")
    assert same_bytes(a, b) and not same_bytes(a, c)
    (tmp_path / "d").write_bytes(b"x")
    assert not same_bytes(a, tmp_path / "d")
