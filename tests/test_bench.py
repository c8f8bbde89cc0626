"""A small-N smoke run of the benchmark: every figure BENCHMARKS.md reports is produced,
including the search measurements in Chromium. No timing is asserted (speed is measured in
the benchmark itself, on an idle machine, never in a test)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from browserlib import chromium_path
from conftest import ROOT


@pytest.mark.browser
def test_bench_smoke_writes_every_figure(tmp_path) -> None:
    chromium_path()  # skips outside CI when there is no browser; fails in CI
    out = tmp_path / "BENCHMARKS.md"
    proc = subprocess.run(
        [sys.executable, "-m", "generator.tools.bench", "--docs", "12", "--out", str(out), "--queries", "2"],
        capture_output=True, text=True, cwd=ROOT, timeout=900, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    for figure in ("machine:", "date:", "floor", "cold build", "rebuild after adding one document", "peak RSS",
                   "published site", "KB/doc", "bytes per source character", "| http |", "| file |",
                   "first results", "longest block", "speech pages", "search index", "dt (text table)"):
        assert figure in text, figure
