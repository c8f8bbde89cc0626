"""Peak memory of `generate` per stage at several archive sizes, for one or more commits
side by side (issue 22, "flat memory").

Why a script of its own: the target is a figure at 100,000 documents, which is too slow
to build on a 2-core machine, so it is projected from slopes (MB per document) fitted
over sizes that can be built. Peak RSS does not depend on the machine's load, so the
sizes may be run on a shared machine; CPU seconds (getrusage of the child) are given
for comparison, interleaved commit by commit.

The per-document stages' results come from one shared document cache per commit: the
synthetic corpora are prefixes of each other (syn_00000…), so the largest size fills it
and the smaller ones only read it back, as a build after a pool run does. A second
commit's cache is the first one's files linked under its own keys (its generator
version differs), which is right only while the per-document stages make the same
results; the generate step's output tree is compared between the commits to check.

    python -m generator.tools.bench_memory_compare --work /tmp/bench-mem --tree base=/tmp/base \
        --tree after=. --sizes 2000 5000 10000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from generator.tools.bench import summary_figures

# the synthetic corpus builds on the seeds, as generator.tools.bench does
SEEDS = Path("tests/corpus/seeds")


def _keys(tree: Path, corpus: Path, python: str) -> list[str]:
    """The document-cache keys of every source in `corpus` under `tree`'s generator."""
    code = (
        "import sys, json; from pathlib import Path\n"
        "from generator.pipeline import DocumentCache\n"
        "from generator.read import assign_file_ids\n"
        "from generator.read.entries import list_corpus\n"
        "c = Path(sys.argv[1]); src = list_corpus(c).sources\n"
        "ids = assign_file_ids([p.relative_to(c).as_posix() for p in src])\n"
        "k = DocumentCache(Path('.'))\n"
        "print(json.dumps([k.key(p, p.relative_to(c).as_posix(), ids[p.relative_to(c).as_posix()], True) "
        "for p in src]))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(tree))
    out = subprocess.run([python, "-c", code, str(corpus)], cwd=tree, env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def link_cache(src_tree: Path, src_cache: Path, dst_tree: Path, dst_cache: Path, corpus: Path,
               python: str) -> int:
    """Hard-link src_cache's results under dst_tree's keys; returns how many were linked."""
    n = 0
    for a, b in zip(_keys(src_tree, corpus, python), _keys(dst_tree, corpus, python), strict=True):
        pa, pb = src_cache / a[:2] / f"{a}.pickle", dst_cache / b[:2] / f"{b}.pickle"
        if pa.exists() and not pb.exists():
            pb.parent.mkdir(parents=True, exist_ok=True)
            os.link(pa, pb)
            n += 1
    return n


def _project(tree: Path, proj: Path, corpus: Path, n: int, cache: Path) -> None:
    shutil.rmtree(proj, ignore_errors=True)
    (proj / "corpus").mkdir(parents=True)
    for i in range(n):
        name = f"syn_{i:05d}.txt"
        os.link(corpus / name, proj / "corpus" / name)
    shutil.copytree(tree / "docs", proj / "docs", ignore=shutil.ignore_patterns("archive", "data", "searchindex"))
    shutil.copytree(tree / "overrides", proj / "overrides")
    shutil.copy(tree / "mkdocs.yml", proj / "mkdocs.yml")
    (proj / ".cache").mkdir()
    cache.mkdir(parents=True, exist_ok=True)
    (proj / ".cache" / "documents").symlink_to(cache)


def run_generate(tree: Path, proj: Path, python: str) -> dict:
    """One `generate` of proj by tree's generator: its stages' peaks and CPU seconds,
    the whole process's peak (wait4) and CPU seconds."""
    env = dict(os.environ, PYTHONPATH=str(tree), NO_MKDOCS_2_WARNING="1")
    load = os.getloadavg()[0]
    t = time.perf_counter()
    proc = subprocess.Popen([python, "-m", "generator", "--root", str(proj), "generate"], cwd=tree, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"generate of {proj} by {tree} failed:\n{out[-3000:]}")
    return {"peaks_mb": summary_figures(out, "peak memory:"), "stage_cpu": summary_figures(out, "stage CPU:"),
            "process_peak_mb": round(ru.ru_maxrss / 1024), "cpu_s": round(ru.ru_utime + ru.ru_stime, 1),
            "wall_s": round(time.perf_counter() - t, 1), "load": [round(load, 2), round(os.getloadavg()[0], 2)]}


def docs_digest(proj: Path) -> str:
    """One hash of the generated docs/ tree, to check two commits wrote the same files."""
    h = hashlib.sha256()
    for p in sorted((proj / "docs").rglob("*")):
        if p.is_file():
            h.update(p.relative_to(proj).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def fit(sizes: list[int], values: list[float]) -> tuple[float, float]:
    """Least-squares slope (MB per document) and intercept."""
    n = len(sizes)
    mx, my = sum(sizes) / n, sum(values) / n
    sxx = sum((x - mx) ** 2 for x in sizes)
    slope = sum((x - mx) * (y - my) for x, y in zip(sizes, values, strict=True)) / sxx if sxx else 0.0
    return slope, my - slope * mx


def projection(results: dict[str, dict[int, dict]], at: int = 100_000) -> dict[str, dict[str, dict]]:
    """Per commit and stage: the fitted slope and the peak it projects at `at` documents."""
    out: dict[str, dict[str, dict]] = {}
    for name, by_n in results.items():
        sizes = sorted(by_n)
        if len(sizes) < 2:
            continue
        stages = list(by_n[sizes[-1]]["peaks_mb"]) + ["process"]
        for stage in stages:
            vals = [by_n[n]["process_peak_mb"] if stage == "process" else by_n[n]["peaks_mb"].get(stage, 0.0)
                    for n in sizes]
            slope, icpt = fit(sizes, vals)
            out.setdefault(name, {})[stage] = {"mb_per_doc": round(slope, 4), "at": at,
                                               "projected_mb": round(icpt + slope * at)}
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--tree", action="append", required=True, help="NAME=PATH of a generator checkout")
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000, 10000])
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--keep", action="store_true", help="keep each project's docs/ (for comparing)")
    args = ap.parse_args(argv)
    trees = [(n, Path(p).resolve()) for n, p in (t.split("=", 1) for t in args.tree)]
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus"
    if not corpus.exists():
        first = trees[0][1]
        env = dict(os.environ, PYTHONPATH=str(first))
        subprocess.run([args.python, "-c", "import sys; from pathlib import Path; "
                        "from generator.tools.bench import synthetic_corpus; "
                        f"synthetic_corpus(Path('.'), Path(sys.argv[1]), {max(args.sizes)}, corpus=Path('{SEEDS}'))",
                        str(corpus)], cwd=first, env=env, check=True)
    results: dict[str, dict[int, dict]] = {}
    log = work / "results.jsonl"
    for n in sorted(args.sizes, reverse=True):  # the largest first fills the shared caches
        order = trees if len(results.get(trees[0][0], {})) % 2 == 0 else trees[::-1]
        for name, tree in order:
            cache = work / f"cache-{name}"
            if name != trees[0][0] and (work / f"cache-{trees[0][0]}").exists():
                sub = work / "keys-corpus"
                if not sub.exists():
                    sub.mkdir()
                    for i in range(max(args.sizes)):
                        os.link(corpus / f"syn_{i:05d}.txt", sub / f"syn_{i:05d}.txt")
                link_cache(trees[0][1], work / f"cache-{trees[0][0]}", tree, cache, sub, args.python)
            proj = work / f"proj-{name}-{n}"
            _project(tree, proj, corpus, n, cache)
            r = run_generate(tree, proj, args.python)
            r["docs"] = docs_digest(proj)
            r["start"] = time.strftime("%H:%M:%S", time.gmtime())
            results.setdefault(name, {})[n] = r
            with log.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps({"tree": name, "n": n, **r}, ensure_ascii=False) + "\n")
            print(name, n, json.dumps(r, ensure_ascii=False), flush=True)
            if not args.keep:
                shutil.rmtree(proj, ignore_errors=True)
    print(json.dumps(projection(results), indent=1))


if __name__ == "__main__":
    main()
