"""Command line: `python -m generator build|generate|check|serve|zip|evaluate`."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

# Stages are imported where they are used: `build` itself only starts `generate` and
# the render workers, and stays small in memory while they run.


def _mkdocs(root: Path, args: list[str]) -> int:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", *args, "-f", str(root / "mkdocs.yml")]
    return subprocess.call(cmd, env=env, cwd=root)


def _shard(value: str) -> tuple[int, int]:
    k, sep, n = value.partition("/")
    if not sep or not k.isdigit() or not n.isdigit() or not 0 <= int(k) < int(n):
        raise argparse.ArgumentTypeError(f"{value!r}: expected K/N with 0 <= K < N, e.g. 0/4")
    return int(k), int(n)


def cmd_generate(root: Path, shard: tuple[int, int] | None = None) -> int:
    from generator.pipeline import fill_cache, generate

    if shard is not None:
        report = fill_cache(root, shard)
        print(f"share {shard[0]}/{shard[1]}: {report.cache_misses} source(s) processed, "
              f"{report.cache_hits} already cached, {len(report.errors)} error(s) → {root / '.cache' / 'documents'}")
        return 0
    report = generate(root)
    print(report.summary())
    return 0


OFFLINE_ZIP = Path("dist") / "speech-archive-offline.zip"
ZIP_FOLDER = "speech-archive-offline"


def zip_tree(src: Path, dest: Path) -> None:
    """A reproducible zip: sorted entries, fixed timestamps and modes, so one site gives
    one file byte for byte."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in src.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{ZIP_FOLDER}/{path.relative_to(src).as_posix()}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    tmp.replace(dest)


def cmd_build(root: Path, full: bool = False) -> int:
    """generate, then render into site/ (MkDocs --strict, on every core, only the pages
    whose Markdown changed unless `full`): the same site is published on GitHub Pages
    and read from disk (its search loads with <script> tags)."""
    # generate in a child process: its documents, vectors and index (gigabytes at 10,000
    # speeches) are returned to the system before the render workers start
    sys.stdout.flush()
    code = subprocess.call([sys.executable, "-m", "generator", "--root", str(root), "generate"], cwd=root)
    if code:
        return code
    print(f"render (mkdocs build --strict) → {root / 'site'}", flush=True)
    from generator.publish.render import render
    from generator.publish.size import report

    code = render(root, root / "site", full=full)
    if code == 0:
        print(report(root / "site")[1])
    return code


def cmd_size(root: Path) -> int:
    """Fails when site/ is over GitHub Pages' limit: the Pages workflow runs it before
    uploading, so an oversized archive stops with the figure and the remedies."""
    from generator.publish.size import report

    if not (root / "site" / "index.html").is_file():
        print(f"no built site in {root / 'site'}: run `python -m generator build` first", file=sys.stderr)
        return 1
    fits, message = report(root / "site")
    print(message, file=sys.stdout if fits else sys.stderr)
    return 0 if fits else 1


def cmd_zip(root: Path) -> int:
    """site/ → dist/speech-archive-offline.zip, for readers who want the archive on disk.
    Kept out of site/ so the Pages site does not carry a second copy of itself."""
    site = root / "site"
    if not (site / "index.html").is_file():
        print(f"no built site in {site}: run `python -m generator build` first", file=sys.stderr)
        return 1
    zip_tree(site, root / OFFLINE_ZIP)
    print(f"offline copy → {root / OFFLINE_ZIP}")
    return 0


def cmd_check(root: Path) -> int:
    from generator.link import find_reposts
    from generator.pipeline import collect

    report = collect(root)
    known: set[str] = set()
    catalog = root / "docs" / "data" / "catalog.json"
    if catalog.exists():
        known = {d["id"] for d in json.loads(catalog.read_text(encoding="utf-8")).get("documents", [])}
    dups = find_reposts(report.documents)
    # Only new documents are reported: reposts already in the archive are shown on
    # their pages and need no warning at every check.
    for did, lst in sorted(dups.items()):
        if did in known:
            continue
        for d in lst:
            if d.id in known:
                report.warnings.append(
                    f"{did} duplicates {d.id}, already in the archive (5-gram Jaccard {d.similarity:.2f})")
            elif did < d.id:
                report.warnings.append(f"{did} and {d.id} are both new and duplicate each other "
                                       f"(5-gram Jaccard {d.similarity:.2f})")
    print(report.summary())
    return 1 if report.errors else 0


def corpus_snapshot(corpus: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple(sorted((p.relative_to(corpus).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
                        for p in corpus.rglob("*") if p.is_file()))


def cmd_serve(root: Path, addr: str, poll: float = 1.0) -> int:
    """Generate, start MkDocs' live preview, and regenerate whenever corpus/ changes:
    the rewritten docs/archive/ makes the preview rebuild and reload the browser."""
    import time

    cmd_generate(root)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", addr, "-f", str(root / "mkdocs.yml")],
                            env=env, cwd=root)
    snapshot = corpus_snapshot(root / "corpus")
    try:
        while proc.poll() is None:
            time.sleep(poll)
            now = corpus_snapshot(root / "corpus")
            if now != snapshot:
                snapshot = now
                print("corpus/ changed: regenerating")
                from generator.pipeline import generate

                print(generate(root, progress=False).summary())
    except KeyboardInterrupt:
        proc.terminate()
    return proc.wait()


def cmd_evaluate(corpus: Path, gold: Path, min_right: list[str], max_wrong: str | None, as_json: bool,
                 null_dates: bool = False) -> int:
    """Compare the pipeline's metadata with a hand-checked sample; exit 1 when a
    threshold fails (for CI), 2 when the command cannot run."""
    from generator.tools.evaluate import GoldError, evaluate, failures, parse_min_right, parse_rate, table

    try:
        wanted = parse_min_right(min_right)
        limit = parse_rate(max_wrong, "--max-wrong") if max_wrong is not None else None
        ev = evaluate(corpus, gold, null_dates=null_dates)
    except GoldError as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2
    failed = failures(ev, wanted, limit)
    if as_json:
        print(json.dumps(dict(ev.as_json(), failed=failed), ensure_ascii=False, indent=1))
    else:
        print(table(ev))
        for f in failed:
            print(f"FAILED  {f}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="project folder holding corpus/, docs/ and mkdocs.yml (default: .)")
    sub = parser.add_subparsers(dest="verb", required=True)
    b = sub.add_parser("build", help="generate pages, then build the site into site/ (for the web and file://)")
    # kept so that older scripts still run; there is one build for both uses now
    b.add_argument("--full", action="store_true",
                   help="render every page again (by default only pages whose Markdown changed) "
                        "and compute the link stage whole (a new IDF epoch)")
    b.add_argument("--flavour", choices=["online", "offline", "both"], help=argparse.SUPPRESS)
    b.add_argument("--cluster", metavar="ADDRESS",
                   help="run the per-document stages and the render shares on a Dask cluster "
                        "(scheduler address, e.g. tcp://10.0.0.5:8786; default: this machine's cores)")
    g = sub.add_parser("generate", help="generate pages and data into docs/ only")
    g.add_argument("--cluster", metavar="ADDRESS", help="as for build")
    g.add_argument("--full", action="store_true",
                   help="compute the link stage whole (a new IDF epoch) instead of from .cache/link")
    g.add_argument("--shard", metavar="K/N", type=_shard,
                   help="only the per-document stages for share K of N of corpus/, into .cache/documents "
                        "(nothing else is written): one job of a CI matrix")
    sub.add_parser("zip", help="site/ → dist/speech-archive-offline.zip (reproducible)")
    sub.add_parser("size", help="say the built site's size; fail when it is over GitHub Pages' 1 GB limit")
    sub.add_parser("check", help="validate every corpus document without writing anything")
    s = sub.add_parser("serve", help="generate, then live preview")
    s.add_argument("--addr", default="127.0.0.1:8000")
    e = sub.add_parser("evaluate", help="compare metadata with a hand-checked gold file (nothing is written)")
    e.add_argument("corpus", type=Path, help="folder of sources")
    e.add_argument("gold", type=Path, help="gold.json with the facts known for certain")
    e.add_argument("--min-right", action="append", default=[], metavar="[FIELD=]RATE",
                   help="minimum share of known values right, for every field or one (repeatable)")
    e.add_argument("--max-wrong", metavar="RATE", help="maximum share of wrong values among all checked facts")
    e.add_argument("--json", action="store_true", help="print the result as JSON")
    e.add_argument("--null-dates", action="store_true",
                   help="the gold's null year or date means the text does not determine it (as in "
                        "devcorpus/pages): list the years and days given there")
    args = parser.parse_args(argv)
    if args.verb == "evaluate":
        return cmd_evaluate(args.corpus.resolve(), args.gold.resolve(), args.min_right, args.max_wrong, args.json,
                            args.null_dates)
    root = args.root.resolve()
    if getattr(args, "full", False):
        # read by the link stage (link/epoch_state.py), in this process or build's generate child
        os.environ["GENERATOR_FULL_LINK"] = "1"
    if getattr(args, "cluster", None):
        # the generate child process and the render stage read it from the environment
        os.environ["GENERATOR_CLUSTER"] = args.cluster
    from generator.cluster import ClusterError, cluster_address

    try:
        cluster_address()
    except ClusterError as exc:
        print(f"generator: {exc}", file=sys.stderr)
        return 2
    try:
        return _run(args, root)
    except ClusterError as exc:
        print(f"generator: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, root: Path) -> int:
    if args.verb == "build":
        return cmd_build(root, full=args.full)
    if args.verb == "zip":
        return cmd_zip(root)
    if args.verb == "size":
        return cmd_size(root)
    if args.verb == "generate":
        return cmd_generate(root, args.shard)
    if args.verb == "check":
        return cmd_check(root)
    return cmd_serve(root, args.addr)
