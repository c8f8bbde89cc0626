"""A small-N run of the memory benchmark: every stage's peak comes back from the build
summary, and a slope is printed. No figure is asserted beyond being there."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

from generator.tools.bench_memory import stage_peaks


def test_stage_peaks_reads_the_summary_line() -> None:
    line = "peak memory:       documents 177 MB, link 270 MB, search index 544 MB (this process, highest so far)"
    assert stage_peaks("x\n" + line + "\n") == {"documents": 177, "link": 270, "search index": 544}
    assert stage_peaks("no such line") == {}


def test_bench_memory_smoke() -> None:
    proc = subprocess.run([sys.executable, "-m", "generator.tools.bench_memory", "--docs", "6", "12"],
                          capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    for n in (6, 12):
        line = next(x for x in lines if x.startswith(f"N = {n}:"))
        for stage in ("documents", "link", "reuse", "write", "trends", "search index"):
            assert f" {stage} " in line, (stage, line)
    assert any(x.startswith("slope ") and "projected at 100,000" in x for x in lines)
