"""Tests for generator.read.entries: every entry of corpus/ is in report.json with its
fate, and nothing in corpus/ makes the generator read outside it.

Built on a corpus made in the test (symlinks, a FIFO, a socket, hidden files, annotations,
unreadable files and folders cannot be checked into git). Permissions do not stop root,
so the unreadable cases run the real pipeline in a child process as an unprivileged user
when the tests run as root (as they do in CI)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from generator.pipeline import collect
from generator.read.entries import list_corpus, read_source_bytes
from generator.report import report_data, write_report

SPEECH = "同志们：今天召开全区经济工作会议，总结去年工作，部署今年任务，大家要认真抓好落实。\n"
SECRET = "机密内容：这一段文字在语料库之外，档案绝不能读到它，也不能发布它的任何内容。\n"


def _corpus(base: Path) -> tuple[Path, Path]:
    """corpus/ with one entry of every kind, and a file and folder outside it."""
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    corpus = base / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "speech.txt").write_text(SPEECH, encoding="utf-8")
    (corpus / "sub" / "report.txt").write_text(SPEECH.replace("经济", "农业"), encoding="utf-8")
    (corpus / "speech.txt.meta.yml").write_text("note: 编辑说明。\n", encoding="utf-8")
    (corpus / "gone.txt.meta.yml").write_text("note: 原文件已删除。\n", encoding="utf-8")
    (corpus / "README.md").write_text("说明这个文件夹。\n", encoding="utf-8")
    (corpus / ".draft.txt").write_text(SPEECH, encoding="utf-8")
    (corpus / ".git").mkdir()
    (corpus / ".git" / "config").write_text("x", encoding="utf-8")
    (corpus / "link-inside.txt").symlink_to(corpus / "speech.txt")
    (corpus / "link-dir-inside").symlink_to(corpus / "sub", target_is_directory=True)
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)
    (corpus / "link-outside.txt").symlink_to(outside / "secret.txt")
    (corpus / "link-dir-outside").symlink_to(outside, target_is_directory=True)
    (corpus / "broken.txt").symlink_to(corpus / "no-such-file.txt")
    (corpus / "relative-escape.txt").symlink_to(Path("..") / "outside" / "secret.txt")
    os.mkfifo(corpus / "pipe.txt")
    return corpus, outside


EXPECTED = {
    # path: (error?, words in the reason)
    ".draft.txt": (False, "hidden"),
    ".git": (False, "hidden"),
    "README.md": (False, "README"),
    "speech.txt.meta.yml": (False, "annotation of speech.txt"),
    "gone.txt.meta.yml": (False, "no gone.txt"),
    "link-inside.txt": (False, "symbolic link to speech.txt inside"),
    "link-dir-inside": (False, "symbolic link to sub inside"),
    "loop": (False, "symbolic link to . inside"),
    "link-outside.txt": (True, "outside the corpus"),
    "link-dir-outside": (True, "outside the corpus"),
    "relative-escape.txt": (True, "outside the corpus"),
    "broken.txt": (True, "broken symbolic link"),
    "pipe.txt": (True, "FIFO"),
}


def test_every_entry_has_a_fate_and_nothing_outside_is_read(tmp_path: Path) -> None:
    corpus, _ = _corpus(tmp_path)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(corpus / "sock.txt"))
    try:
        report = collect(tmp_path, progress=False, corpus=corpus)
        data = report_data(report)
        written = json.loads(write_report(report, tmp_path / "docs").read_text(encoding="utf-8"))
    finally:
        sock.close()
    assert written == data
    files = {f["source_path"]: f for f in data["files"]}
    # every entry of corpus/ is listed (a folder through its entries)
    top = {p.name for p in corpus.iterdir() if p.is_symlink() or not p.is_dir()}
    assert top <= set(files), top - set(files)
    assert "sub/report.txt" in files and files["sub/report.txt"]["status"] == "built"
    assert files["speech.txt"]["status"] == "built"
    assert files["sock.txt"]["status"] == "skipped" and "socket" in files["sock.txt"]["reason"]
    for path, (error, words) in EXPECTED.items():
        f = files[path]
        assert f["status"] == "skipped" and f["documents"] == [], path
        assert words in f["reason"], (path, f["reason"])
        is_error = any(path in e for e in report.errors)
        assert is_error == error, (path, report.errors)
    assert "sock.txt" in " ".join(report.errors)
    # links are never followed: the sources are the two real files, each once
    assert sorted(d.source_path for d in report.documents) == ["speech.txt", "sub/report.txt"]
    # nothing from outside corpus/ reached a document or the report
    everything = json.dumps(data, ensure_ascii=False) + "".join("".join(d.paragraphs) for d in report.documents)
    assert "机密" not in everything and str(tmp_path / "outside") not in everything
    # a hidden folder is one entry: its contents are not walked
    assert not any(p.startswith(".git/") for p in files)
    assert data["summary"]["sources"] == 2 and data["summary"]["documents"] == 2


def test_reading_never_follows_a_link_or_opens_a_fifo(tmp_path: Path) -> None:
    corpus, outside = _corpus(tmp_path)
    with pytest.raises(OSError):
        read_source_bytes(corpus / "link-outside.txt")
    with pytest.raises(OSError, match="FIFO"):
        read_source_bytes(corpus / "pipe.txt")  # returns at once instead of blocking
    assert read_source_bytes(corpus / "speech.txt") == SPEECH.encode("utf-8")
    assert [p.relative_to(corpus).as_posix() for p in list_corpus(corpus).sources] == ["speech.txt", "sub/report.txt"]


def test_annotation_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "evil.yml").write_text("note: 来自语料库之外的说明。\n", encoding="utf-8")
    (corpus / "speech.txt").write_text(SPEECH, encoding="utf-8")
    (corpus / "speech.txt.meta.yml").symlink_to(tmp_path / "evil.yml")
    report = collect(tmp_path, progress=False, corpus=corpus)
    (doc,) = report.documents
    assert doc.editor_note is None
    assert any("speech.txt.meta.yml" in e and "symbolic link" in e for e in report.errors)


_CHILD = """
import json, sys
from pathlib import Path
from generator.pipeline import collect
from generator.report import report_data
print(json.dumps(report_data(collect(Path(sys.argv[1]), progress=False, corpus=Path(sys.argv[2]))),
                 ensure_ascii=False))
"""


def test_unreadable_file_and_unlistable_folder_are_reported(tmp_path: Path) -> None:
    """chmod 000 on a file and a folder; the rest of the corpus still builds. Root reads
    through permissions, so as root the child process runs without the capabilities that
    allow it (util-linux's setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH)."""
    corpus = tmp_path / "corpus"
    (corpus / "locked").mkdir(parents=True)
    (corpus / "speech.txt").write_text(SPEECH, encoding="utf-8")
    (corpus / "secret.txt").write_text(SPEECH, encoding="utf-8")
    (corpus / "locked" / "inner.txt").write_text(SPEECH, encoding="utf-8")
    os.chmod(corpus / "secret.txt", 0)
    os.chmod(corpus / "locked", 0)
    cmd = [sys.executable, "-c", _CHILD, str(tmp_path), str(corpus)]
    if os.geteuid() == 0:
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    finally:
        os.chmod(corpus / "locked", 0o755)
        os.chmod(corpus / "secret.txt", 0o644)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    files = {f["source_path"]: f for f in data["files"]}
    assert files["speech.txt"]["status"] == "built"
    assert files["secret.txt"]["status"] == "skipped" and "cannot read" in files["secret.txt"]["reason"]
    assert files["locked"]["status"] == "skipped" and "cannot list this folder" in files["locked"]["reason"]
    assert data["summary"]["errors"] == 2
