"""Peak memory of `generate` against the archive's size (issue 22, "flat memory").

`python -m generator.tools.bench_memory --docs 1000 4000` generates each synthetic
archive (bench.synthetic_corpus) once in a fresh project and prints, per N, the peak
resident memory of the generate process after each stage (the build summary's
`peak memory:` line) and of the whole run (`getrusage` of the child), then the slope in
MB per document between the smallest and the largest N and what it projects at 100,000.
Peak RSS does not depend on the machine's load, so these figures hold on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.tools.bench import ROOT, summary_figures, synthetic_corpus


def stage_peaks(output: str) -> dict[str, int]:
    """{stage: MB} from the build summary's `peak memory:` line."""
    return {k: int(v) for k, v in summary_figures(output, "peak memory:").items()}


def measure(n: int, work: Path) -> tuple[dict[str, int], int]:
    """Generate a fresh N-document archive; (per-stage peaks, whole-process peak), in MB."""
    proj = work / f"proj-{n}"
    shutil.rmtree(proj, ignore_errors=True)
    synthetic_corpus(ROOT, proj / "corpus", n, corpus=ROOT / "tests" / "corpus" / "seeds")
    shutil.copytree(ROOT / "docs", proj / "docs", ignore=shutil.ignore_patterns("archive", "data", "searchindex"))
    shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run([sys.executable, "-m", "generator", "--root", str(proj), "generate"], cwd=ROOT,
                          capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    if proc.returncode != 0:
        raise SystemExit(f"generate failed at N = {n}:\n{proc.stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far, in KB
    shutil.rmtree(proj, ignore_errors=True)
    return stage_peaks(proc.stdout), (after if after > before else 0) // 1024


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[1000, 4000])
    args = ap.parse_args(argv)
    sizes = sorted(args.docs)
    rows: dict[int, dict[str, int]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        for n in sizes:
            peaks, whole = measure(n, Path(tmp))
            rows[n] = peaks
            print(f"N = {n}: " + ", ".join(f"{k} {v} MB" for k, v in peaks.items())
                  + (f"; process peak {whole} MB" if whole else ""), flush=True)
    if len(sizes) >= 2 and rows[sizes[0]] and rows[sizes[-1]]:
        lo, hi = max(rows[sizes[0]].values()), max(rows[sizes[-1]].values())
        slope = (hi - lo) / (sizes[-1] - sizes[0])
        print(f"slope {slope:.3f} MB per document; projected at 100,000: {(hi + slope * (100_000 - sizes[-1])) / 1024:.1f} GB")


if __name__ == "__main__":
    main()
