"""Whether the incremental similar-speech stage (link/neighbours.py) pays: the link stage
after one new document, with the previous build's memo and without, side by side.

`python -m generator.tools.bench_neighbours --docs 4000 --rounds 2` generates a synthetic
archive (bench.synthetic_corpus), runs the per-document stages once (cached in the work
folder), runs the link stage cold with a memo, adds one document and then runs the link
stage again both ways, alternating which goes first in each round. Each run is timed in
CPU seconds of this process (user + system: the link stage is one process, and CPU time
is what a loaded shared machine does not inflate), and the two results are compared:
the similar-speech lists must be equal, or the memo is wrong.
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from generator.link import link
from generator.pipeline import collect
from generator.tools.bench import synthetic_corpus

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = ROOT / "tests" / "corpus" / "seeds"


def cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def timed_link(report, cache_dir: Path | None) -> tuple[float, dict[str, object], dict[str, list]]:
    """One link stage on copies of the collected documents: CPU seconds, its statistics
    and every document's similar list (ids and scores)."""
    docs = copy.deepcopy(report.documents)
    t = cpu()
    stats = link(docs, report.link_prep, cache_dir)
    seconds = cpu() - t
    return seconds, stats, {d.id: [(r.id, r.score, r.shared_keywords) for r in d.related] for d in docs}


def measure(n: int, work: Path, rounds: int = 1, log=print) -> dict[str, object]:
    corpus, cache = work / "corpus", work / "cache"
    if not corpus.exists():
        synthetic_corpus(ROOT, corpus, n, corpus=SEEDS)
    report = collect(work, progress=False, corpus=corpus, segment=True, cache_dir=cache / "documents")
    memo_dir = work / "link"
    shutil.rmtree(memo_dir, ignore_errors=True)
    cold, _stats, _ = timed_link(report, memo_dir)  # the previous build, leaving its memo
    log(f"[{n}] cold link with memo: {cold:.1f} s")
    synthetic_corpus(ROOT, corpus, 1, start=n, corpus=SEEDS)
    report = collect(work, progress=False, corpus=corpus, segment=True, cache_dir=cache / "documents")
    saved = memo_dir.with_name("link-saved")
    shutil.rmtree(saved, ignore_errors=True)
    shutil.copytree(memo_dir, saved)
    out: dict[str, list] = {"whole": [], "memo": []}
    for rnd in range(rounds):
        for way in (("whole", "memo") if rnd % 2 == 0 else ("memo", "whole")):
            if way == "memo":
                shutil.rmtree(memo_dir, ignore_errors=True)
                shutil.copytree(saved, memo_dir)
            seconds, stats, related = timed_link(report, memo_dir if way == "memo" else None)
            out[way].append(seconds)
            out.setdefault(f"{way}_related", related)
            log(f"[{n}] round {rnd} {way}: {seconds:.1f} s {json.dumps(stats)}")
    assert out.pop("whole_related") == out.pop("memo_related"), "the memo changed a similar list"
    return {"docs": len(report.documents), "cold_with_memo": round(cold, 1),
            **{k: [round(s, 1) for s in v] for k, v in out.items()}}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[1000])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--work", type=Path, help="keep the archive and its caches here (default: a temporary folder)")
    args = ap.parse_args(argv)
    for n in args.docs:
        with tempfile.TemporaryDirectory() as tmp:
            work = (args.work / str(n)) if args.work else Path(tmp)
            work.mkdir(parents=True, exist_ok=True)
            t = time.strftime("%H:%M")
            print(json.dumps({"n": n, "start": t, **measure(n, work, args.rounds)}), flush=True)


if __name__ == "__main__":
    main()
