"""The side-by-side memory benchmark's arithmetic and parsing (the runs themselves take
minutes per size and are in BENCHMARKS.md): the summary lines it reads, the fitted slope,
the projection, and the cache linking that lets a second commit skip the per-document
stages (checked on a real cache entry of the seeds)."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT, SEEDS

from generator.tools.bench import summary_figures as _line
from generator.tools.bench_memory_compare import _keys, fit, link_cache, projection


def test_reads_the_summary_lines() -> None:
    out = ("stage CPU:         documents 4.5 s, link 38.8 s, search index 52.6 s (user + system, with the pool's workers)\n"
           "peak memory:       documents 250 MB, link 759 MB, search index 1700 MB (this process, highest so far)\n")
    assert _line(out, "peak memory:") == {"documents": 250.0, "link": 759.0, "search index": 1700.0}
    assert _line(out, "stage CPU:") == {"documents": 4.5, "link": 38.8, "search index": 52.6}
    assert _line("nothing", "peak memory:") == {}


def test_fit_and_projection() -> None:
    slope, icpt = fit([2000, 5000, 10000], [200.0, 350.0, 600.0])
    assert slope == pytest.approx(0.05) and icpt == pytest.approx(100.0)
    runs = {n: {"peaks_mb": {"documents": 100 + 0.05 * n, "link": 300 + 0.1 * n}, "process_peak_mb": 300 + 0.1 * n}
            for n in (2000, 10000)}
    got = projection({"x": runs})["x"]
    assert got["documents"] == {"mb_per_doc": 0.05, "at": 100_000, "projected_mb": 5100}
    assert got["link"]["projected_mb"] == got["process"]["projected_mb"] == 10300
    assert projection({"one size": {2000: runs[2000]}}) == {}


def test_link_cache_uses_each_commits_keys(tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for src in sorted(SEEDS.iterdir())[:2]:
        (corpus / src.name).write_bytes(src.read_bytes())
    keys = _keys(ROOT, corpus, sys.executable)
    assert len(keys) == 2 and all(len(k) == 64 for k in keys)
    src_cache, dst_cache = tmp_path / "a", tmp_path / "b"
    for k in keys:
        (src_cache / k[:2]).mkdir(parents=True, exist_ok=True)
        (src_cache / k[:2] / f"{k}.pickle").write_bytes(b"result")
    # the same commit on both sides: the same keys, so the files are linked under their own names
    assert link_cache(ROOT, src_cache, ROOT, dst_cache, corpus, sys.executable) == 2
    assert sorted(p.name for p in dst_cache.rglob("*.pickle")) == sorted(f"{k}.pickle" for k in keys)
    assert link_cache(ROOT, src_cache, ROOT, dst_cache, corpus, sys.executable) == 0  # already there
