"""Benchmark of the reuse stage alone (generator/link/reuse.py), on synthetic archives.

`python -m generator.tools.bench_reuse --docs 1000` times find_reuse on two workloads
of N documents each, built in memory from the corpus's paragraphs (the pipeline's
per-document stages are measured by generator/tools/bench.py and are not repeated here):

- recombined: bench.synthetic_corpus's recipe, every document 8–30 paragraphs drawn
  from the corpus's paragraphs. Every paragraph then recurs in about 6% of the archive,
  so at this size they are the archive's formulas: the cost of the seed index and the
  formula pass at scale.
- planted: every document written fresh, character by character, from a bigram model of
  the corpus (text that shares nothing by chance, as different speeches mostly do), and
  one paragraph in ten copied from an earlier document with 3% of its characters changed:
  the cost of candidates and alignments when reuse is common.

For each: the cold run (no alignment cache), a rebuild after one new document (the
alignment cache of the cold run in place), each as wall time and as the process's CPU
time (one core; on a shared machine the CPU time is the steadier figure), and the peak
resident memory the stage added (each workload runs in a fresh process, so the peak is
its own).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.model import Document, Field

ROOT = Path(__file__).resolve().parent.parent.parent


def _pool(corpus: Path) -> list[str]:
    from generator.pipeline import collect

    return [p for d in collect(ROOT, progress=False, corpus=corpus, workers=1).documents
            for p in (d.simplified or d.paragraphs) if len(p) > 40]


def _doc(i: int, paras: list[str], rng: random.Random) -> Document:
    d = Document(id=f"syn_{i:05d}", file_id=f"syn_{i:05d}", part=None, parts_total=1,
                 source_path=f"syn_{i:05d}.txt", sha256="", encoding="utf-8", body_format="text",
                 paragraphs=paras)
    day = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))
    d.meta["date"] = Field(day.isoformat(), "given")
    return d


def recombined(pool: list[str], n: int, seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    return [_doc(i, rng.sample(pool, k=min(len(pool), rng.randint(8, 30))), rng) for i in range(n)]


def planted(pool: list[str], n: int, seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    text = "".join(pool)
    follow: dict[str, list[str]] = {}
    for a, b in zip(text, text[1:], strict=False):
        follow.setdefault(a, []).append(b)
    starts = [p[0] for p in pool]

    def fresh(length: int) -> str:
        ch = rng.choice(starts)
        out = [ch]
        for _ in range(length - 1):
            ch = rng.choice(follow.get(ch) or starts)
            out.append(ch)
        return "".join(out)

    docs: list[Document] = []
    for i in range(n):
        paras = []
        for _ in range(rng.randint(8, 30)):
            if docs and rng.random() < 0.1:
                src = rng.choice(docs).paragraphs
                p = list(rng.choice(src))
                for k in rng.sample(range(len(p)), k=len(p) * 3 // 100):
                    p[k] = rng.choice(text)
                paras.append("".join(p))
            else:
                paras.append(fresh(rng.randint(60, 700)))
        docs.append(_doc(i, paras, rng))
    return docs


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="utf-8") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def run_one(kind: str, n: int, corpus: Path) -> dict[str, object]:
    """One workload in this process: build, time the cold run, the rebuild after one
    more document, and report the peak memory the stage added."""
    from generator.link.reuse import find_reuse

    pool = _pool(corpus)
    make = recombined if kind == "recombined" else planted
    docs = make(pool, n + 1)
    new, docs = docs[-1], docs[:-1]
    chars = sum(len(p) for d in docs for p in d.paragraphs)
    base = _rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        t, c = time.perf_counter(), time.process_time()
        r = find_reuse(docs, Path(tmp))
        cold, cold_cpu = time.perf_counter() - t, time.process_time() - c
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB → MB on Linux
        t, c = time.perf_counter(), time.process_time()
        r2 = find_reuse([*docs, new], Path(tmp))
        again, again_cpu = time.perf_counter() - t, time.process_time() - c
    return {"kind": kind, "docs": n, "chars": chars, "cold_s": round(cold, 2), "cold_cpu_s": round(cold_cpu, 2),
            "rebuild_s": round(again, 2), "rebuild_cpu_s": round(again_cpu, 2),
            "peak_added_mb": round(peak - base, 1), "stats": r.stats, "rebuild_stats": r2.stats,
            "formula_docs": r.formula_docs, "formulas": len(r.formulas)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[1000])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--kind", choices=["recombined", "planted"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.kind:  # the child process: one workload, JSON on stdout
        print(json.dumps(run_one(args.kind, args.docs[0], args.corpus)))
        return 0
    for n in args.docs:
        for kind in ("recombined", "planted"):
            res = subprocess.run([sys.executable, "-m", "generator.tools.bench_reuse", "--kind", kind,
                                  "--docs", str(n), "--corpus", str(args.corpus)],
                                 capture_output=True, text=True, check=True, cwd=ROOT)
            print(res.stdout.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
