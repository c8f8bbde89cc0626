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


def synthetic_corpus(root: Path, dest: Path, n: int, seed: int = 7) -> int:
    """n documents recombined from the seeds' paragraphs (deterministic), so the
    archive-wide stages can be measured at scale without a corpus we may not ship."""
    import random

    pool = [p for d in collect(root, progress=False).documents for p in (d.simplified or d.paragraphs)
            if len(p) > 40]
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    chars = 0
    for i in range(n):
        paras = rng.sample(pool, k=min(len(pool), rng.randint(8, 30)))
        text = f"第{i}号合成讲话\n\n" + "\n\n".join(paras) + "\n"
        chars += len(text)
        (dest / f"syn_{i:05d}.txt").write_text(text, encoding="utf-8")
    return chars


def scale(root: Path, n: int) -> None:
    import os
    import subprocess
    import sys

    with tempfile.TemporaryDirectory() as tmp:
        proj = Path(tmp)
        chars = synthetic_corpus(root, proj / "corpus", n)
        shutil.copytree(root / "docs", proj / "docs", ignore=shutil.ignore_patterns("archive", "data"))
        shutil.copy(root / "mkdocs.yml", proj / "mkdocs.yml")
        t = time.perf_counter()
        generate(proj, progress=False)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        generate(proj, progress=False)
        warm = time.perf_counter() - t
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", OFFLINE="false")
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(proj / "site")], cwd=proj,
                       env=env, check=True)
        site = time.perf_counter() - t
        pages = list((proj / "site" / "archive" / "speeches").glob("*.html"))
        avg = sum(p.stat().st_size for p in pages) / len(pages) / 1024
        index = (proj / "site" / "search" / "search_index.json").stat().st_size / 1e6
        print(f"{n} synthetic documents ({chars / 1e6:.1f} M chars): generate cold {cold:.1f} s, "
              f"warm cache {warm:.1f} s (ratio {cold / warm:.2f}×); mkdocs build {site:.1f} s "
              f"= {site / warm:.1f}× a warm generate; speech page {avg:.0f} KB on average; search index {index:.0f} MB")


def main() -> None:
    import sys

    root = Path(__file__).resolve().parent.parent
    if len(sys.argv) > 2 and sys.argv[1] == "--docs":
        scale(root, int(sys.argv[2]))
        return
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
