"""Benchmarks, reported as ratios measured side by side in one run (the machines are
shared and noisy, so absolute seconds mean little). Run with `make bench`."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import jieba

from .pipeline import collect, generate
from .segment import cut


def _time(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    text = "\n".join(d.search_text for d in collect(root, progress=False).documents)
    jieba.initialize()
    cut(text[:100])
    t_jieba = _time(lambda: jieba.lcut(text, HMM=False))
    t_rjieba = _time(lambda: cut(text))
    print(f"segmentation of {len(text):,} characters: jieba {len(text) / t_jieba / 1e6:.2f} M chars/s, "
          f"rjieba {len(text) / t_rjieba / 1e6:.2f} M chars/s, ratio {t_jieba / t_rjieba:.1f}×")
    with tempfile.TemporaryDirectory() as tmp:
        proj = Path(tmp)
        shutil.copytree(root / "corpus", proj / "corpus")
        shutil.copytree(root / "docs", proj / "docs", ignore=shutil.ignore_patterns("archive", "data"))
        cold = _time(lambda: (shutil.rmtree(proj / ".cache", ignore_errors=True), generate(proj, progress=False)),
                     repeat=2)
        warm = _time(lambda: generate(proj, progress=False), repeat=2)
        print(f"generate: cold cache / warm cache = {cold / warm:.2f}× ({cold:.2f} s vs {warm:.2f} s)")


if __name__ == "__main__":
    main()
