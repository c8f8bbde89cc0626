"""The documents and search-index stages' CPU seconds, cold and after adding one document,
for two checkouts of the generator side by side (issue 22, "search index and documents
stage").

    python -m generator.tools.bench_add_one N WORK SRC_A SRC_B [--rounds R] [--check]

For each checkout (interleaved, A B then B A, …): a project with N synthetic documents
(bench.synthetic_corpus) is generated cold, then document N is added (its id sorts last:
no other document is renumbered) and generated again, then a copy of it is added whose id
sorts second (every later document is renumbered) and generated again. Each `generate`
runs in its own process (`python -m generator --root … generate` with PYTHONPATH=SRC);
the stages' CPU seconds (user + system, with the pool's workers) are read from its
summary, which loaded-machine wall seconds would not give. With --check, a cold build
of the final corpus is made too and its docs/searchindex compared byte for byte with the
rebuilt one.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.tools.bench import BENCH_SOURCE_URL, summary_figures, synthetic_corpus

ROOT = Path(__file__).resolve().parents[2]


def stage_cpu(output: str) -> dict[str, float]:
    """The `stage CPU:` line of a build summary as {stage: seconds}."""
    found = summary_figures(output, "stage CPU:")
    if not found:
        raise RuntimeError("no stage CPU line in the build's output:\n" + output[-2000:])
    return found


def generate(src: Path, proj: Path) -> dict[str, float]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_URL=BENCH_SOURCE_URL, PYTHONPATH=str(src))
    run = subprocess.run([sys.executable, "-m", "generator", "--root", str(proj), "generate"], cwd=src,
                         env=env, capture_output=True, text=True)
    if run.returncode:
        raise RuntimeError(f"generate failed in {proj}:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    return stage_cpu(run.stdout)


def project(src: Path, proj: Path, corpus: Path) -> None:
    shutil.rmtree(proj, ignore_errors=True)
    proj.mkdir(parents=True)
    shutil.copytree(corpus, proj / "corpus")
    shutil.copytree(src / "docs", proj / "docs", ignore=shutil.ignore_patterns("archive", "data", "searchindex"))


def same_tree(a: Path, b: Path) -> bool:
    fa = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    fb = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    return fa == fb and all(filecmp.cmp(a / f, b / f, shallow=False) for f in fa)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("work", type=Path)
    ap.add_argument("sources", type=Path, nargs=2)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    corpus = args.work / f"corpus-{args.n}"
    extra = args.work / f"extra-{args.n}"
    if not corpus.exists():
        synthetic_corpus(ROOT, corpus, args.n)
    if not extra.exists():
        synthetic_corpus(ROOT, extra, 1, start=args.n)
    new = extra / f"syn_{args.n:05d}.txt"
    results: dict[str, list[dict]] = {}
    for rnd in range(args.rounds):
        order = args.sources if rnd % 2 == 0 else args.sources[::-1]
        for src in order:
            proj = args.work / f"proj-{src.name}"
            project(src, proj, corpus)
            row = {"cold": generate(src, proj)}
            shutil.copy(new, proj / "corpus" / new.name)
            row["add last"] = generate(src, proj)
            shutil.copy(new, proj / "corpus" / "syn_00000a.txt")
            row["add second"] = generate(src, proj)
            if args.check:
                cold = args.work / f"cold-{src.name}"
                project(src, cold, proj / "corpus")
                generate(src, cold)
                row["same as cold"] = same_tree(proj / "docs" / "searchindex", cold / "docs" / "searchindex")
                shutil.rmtree(cold, ignore_errors=True)
            shutil.rmtree(proj, ignore_errors=True)
            print(src, json.dumps(row, ensure_ascii=False), flush=True)
            results.setdefault(str(src), []).append(row)
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
