"""Trends and search index run in a forked process beside reuse and write (beside.py):
the child's value and its failures come back to the parent, the child may not write the
build's store, and the generated site is byte for byte the one a single process makes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading

import pytest
from conftest import ROOT, copy_project

from generator import beside
from generator.beside import Beside, Mailbox, affordable, early_fits, possible, remember, resident_mb
from generator.docstore import Spill
from generator.publish.output import Output

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX fork only")


def test_value_comes_back_from_the_child_and_is_computed_there() -> None:
    parent = os.getpid()
    got = Beside(lambda: (os.getpid(), list(range(100_000))), "test").result()
    assert got[0] != parent  # ran in another process
    assert got[1] == list(range(100_000))  # larger than a pipe's buffer, read before waiting


def test_child_exception_is_raised_in_the_parent_with_its_traceback() -> None:
    def fails() -> None:
        raise ValueError("bad source in the child")

    with pytest.raises(ValueError, match="bad source in the child") as caught:
        Beside(fails, "test").result()
    assert any("raised in the test process" in n and "fails" in n for n in caught.value.__notes__)


def test_child_killed_without_a_result_is_an_error_naming_the_signal() -> None:
    def dies() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(RuntimeError, match="ended without a result.*SIGKILL"):
        Beside(dies, "test").result()


def test_stop_ends_a_child_that_is_still_running() -> None:
    import time

    side = Beside(lambda: time.sleep(60), "test")
    t = time.perf_counter()
    side.stop()
    assert time.perf_counter() - t < 10
    side.stop()  # twice is harmless


def test_child_may_read_the_store_but_not_write_it() -> None:
    with tempfile.TemporaryFile() as fh:
        spill: Spill[str] = Spill(fh)
        spill["a"] = "written by the parent"
        fh.flush()
        assert Beside(lambda: spill["a"], "test").result() == "written by the parent"

        def writes() -> None:
            spill["b"] = "from the child"

        with pytest.raises(RuntimeError, match="forked process wrote to the build's store"):
            Beside(writes, "test").result()
        spill["b"] = "the parent still writes"
        assert spill["b"] == "the parent still writes" and spill["a"] == "written by the parent"


def test_output_merge_adds_files_and_counts_and_refuses_a_file_made_twice(tmp_path) -> None:
    one, two = Output(tmp_path), Output(tmp_path)
    one.write_text(tmp_path / "archive" / "a.md", "a")
    two.write_text(tmp_path / "searchindex" / "b.js", "b")
    one.merge(two)
    assert one.produced == {tmp_path / "archive" / "a.md", tmp_path / "searchindex" / "b.js"}
    assert one.written == 2
    three = Output(tmp_path)
    three.write_text(tmp_path / "archive" / "a.md", "a")
    with pytest.raises(ValueError, match="two stages produced .*a.md"):
        one.merge(three)


def _tree(root) -> dict[str, bytes]:
    docs = root / "docs"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def _generate(root, workers: int, **env: str) -> str:
    """`python -m generator generate` in a process of its own: a fork is made only from a
    process running one thread, and the test process may be running others (Playwright's)."""
    run = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "generate"], cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "GENERATOR_WORKERS": str(workers), **env},
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return run.stdout


def _beside(summary: str) -> str:
    return next((line.split(":", 1)[1].strip() for line in summary.splitlines() if line.startswith("beside:")), "")


def _written(summary: str) -> str:
    return next(line for line in summary.splitlines() if line.startswith("files written:"))


def test_site_is_the_same_with_the_stages_beside_and_in_one_process(tmp_path) -> None:
    alone, both, late = (copy_project(tmp_path / n) for n in ("alone", "beside", "after_link"))
    one, two = _generate(alone, 1), _generate(both, 2)
    assert _beside(one) == ""
    # a first build of a small archive: the bound on what link adds fits, so the child
    # begins before link
    assert _beside(two) == "search index, charts and trends ran in a second process beside link, reuse and write"
    assert _tree(alone) == _tree(both)
    assert _written(one) == _written(two)
    # a budget too small for that bound (512 MB for link, twice) but not for the parent
    # after link: the child begins after link
    three = _generate(late, 2, GENERATOR_MEMORY_MB="1000")
    assert _beside(three) == "search index, charts and trends ran in a second process beside reuse and write"
    assert _tree(late) == _tree(alone)
    assert _written(three) == _written(one)
    # the rebuild after a new document: the first build's record shows the pair fits, so
    # this time the child begins before link, and the site still agrees
    for root in (alone, both):
        (root / "corpus" / "zz_new_speech.txt").write_text(
            "全县秋季农业生产工作会议召开\n\n会议要求，各乡镇要抓紧秋收秋种，确保颗粒归仓。\n", encoding="utf-8")
    one, two = _generate(alone, 1), _generate(both, 2)
    # a rebuild: the side process writes the downloads too (catalog.csv, corpus.jsonl.gz)
    assert _beside(two) == ("search index, charts, trends and downloads ran in a second process "
                            "beside link, reuse and write")
    assert _tree(alone) == _tree(both)
    assert _written(one) == _written(two)


def test_fork_only_when_twice_what_the_parent_holds_and_what_follows_fits_the_budget() -> None:
    held = resident_mb()
    assert held > 0
    assert affordable(0, 2 * held + 64) == (True, affordable(0, 2 * held + 64)[1])
    assert affordable(0, held)[0] is False  # the child could come to copy it all: twice is over
    # what the stages after the fork add for each document counts too: at 100,000 documents
    # twice the parent's 1.7 GB fitted 4 GB, and the pair reached 4.5 GB
    per_doc = beside.AFTER_FORK_KB_PER_DOC / 1024
    assert affordable(1000, 2 * held + 1000 * per_doc + 64)[0]
    assert not affordable(100_000, 2 * held + 64)[0]
    assert not affordable(100_000, 2 * held + 100_000 * per_doc - 64)[0]


def test_build_over_the_memory_budget_runs_the_stages_in_one_process_and_says_so(tmp_path) -> None:
    root = copy_project(tmp_path / "p")
    summary = _generate(root, 2, GENERATOR_MEMORY_MB="1")
    assert _beside(summary).startswith("not used: this process holds")
    assert "past the 1 MB budget" in _beside(summary)
    assert (root / "docs" / "searchindex" / "meta.js").is_file()


def test_budget_comes_from_the_environment_when_set(monkeypatch) -> None:
    monkeypatch.delenv(beside.BUDGET_ENV, raising=False)
    assert beside.budget() == beside.MEMORY_BUDGET_MB
    monkeypatch.setenv(beside.BUDGET_ENV, "2048")
    assert beside.budget() == 2048
    monkeypatch.setenv(beside.BUDGET_ENV, "lots")
    assert beside.budget() == beside.MEMORY_BUDGET_MB


def test_mailbox_carries_a_value_sent_after_the_fork_without_waiting_for_the_child(tmp_path) -> None:
    box = Mailbox(tmp_path)
    side = Beside(lambda: box.receive(), "test", box)
    big = {f"d{i}": (["关键词"] * 20, list(range(50))) for i in range(5000)}  # far beyond a pipe's buffer
    box.send(big)  # returns at once: the child may not be reading yet
    assert side.result() == big
    box.close()


def test_mailbox_child_learns_when_the_parent_never_sends(tmp_path) -> None:
    box = Mailbox(tmp_path)
    side = Beside(lambda: box.receive(), "test", box)
    box.close()  # the parent gives up (its link stage failed): the child's read sees end of file
    with pytest.raises(RuntimeError, match="ended before it sent"):
        side.result()


def test_early_fork_follows_the_previous_builds_peaks_scaled_to_the_archive(tmp_path) -> None:
    # no record: a first build forks early only if twice (now + 512 MB + 40 KB a document)
    # and what the stages after the fork add (32 KB a document) fit
    assert early_fits(tmp_path, 10_000, budget_mb=4096, held_mb=250)  # 2 × 1,153 + 313 MB
    assert early_fits(tmp_path, 20_000, budget_mb=4096, held_mb=250)  # 2 × 1,543 + 625 MB
    assert not early_fits(tmp_path, 25_000, budget_mb=4096, held_mb=250)  # 2 × 1,739 + 781 MB
    assert not early_fits(tmp_path, 40_000, budget_mb=4096, held_mb=500)  # 2 × 2,574 MB
    assert not early_fits(tmp_path, 100, budget_mb=1000, held_mb=100)  # 2 × 616 MB
    remember(tmp_path, 1000, 600, 500)
    assert early_fits(tmp_path, 1000, budget_mb=4096)
    assert early_fits(tmp_path, 3000, budget_mb=4096)  # 1,100 MB × 3
    assert not early_fits(tmp_path, 4000, budget_mb=4096)  # 1,100 MB × 4 is over
    assert not early_fits(tmp_path, 500, budget_mb=1000)  # never scaled below the record
    (tmp_path / beside.RECORD).write_bytes(b"not a pickle")
    assert not early_fits(tmp_path, 10)


def test_fork_is_refused_while_another_thread_runs() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert not possible()
    finally:
        stop.set()
        other.join()
