"""Benchmarks, reported as ratios measured side by side in one run (the machines are
shared and noisy, so absolute seconds mean little).

`python -m generator.tools.bench` compares jieba with rjieba and a cold with a warm cache on
the corpus. `python -m generator.tools.bench --docs 1000 10000 [--out BENCHMARKS.md]` builds
synthetic archives of those sizes and writes, for each: cold build, rebuild after one
new document, the floor (a plain `mkdocs build` of the same generated pages, without
theme overrides, search client or search index), peak RSS of the whole process tree,
site size, search index bytes per source character, and search in headless Chromium
over http and file:// (time from opening the page to the first results, bytes loaded,
longest main-thread block). `make test` runs it at a small N (tests/test_bench.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
# what the Pages workflow passes as SOURCE_URL (github.com/<owner>/<repo>/blob/<commit>/)
BENCH_SOURCE_URL = "https://github.com/owner/speech-archive/blob/0000000000000000000000000000000000000000/"
QUERIES = ["高质量发展", "县域经济", "营商环境", "经济", "招商引资项目", "高質量發展"]


def _time(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def synthetic_corpus(root: Path, dest: Path, n: int, seed: int = 7, start: int = 0,
                     corpus: Path | None = None) -> int:
    """n documents recombined from the seeds' paragraphs (deterministic), so the
    archive-wide stages can be measured at scale without a corpus we may not ship.
    Returns the number of characters written."""
    import random

    from generator.pipeline import collect

    pool = [p for d in collect(root, progress=False, corpus=corpus).documents
            for p in (d.simplified or d.paragraphs) if len(p) > 40]
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    chars = 0
    for i in range(start + n):
        paras = rng.sample(pool, k=min(len(pool), rng.randint(8, 30)))
        if i < start:
            continue
        text = f"第{i}号合成讲话\n\n" + "\n\n".join(paras) + "\n"
        chars += len(text)
        (dest / f"syn_{i:05d}.txt").write_text(text, encoding="utf-8")
    return chars


def summary_figures(output: str, label: str) -> dict[str, float]:
    """{stage: figure} from a build summary's line that starts with `label` ("stage CPU:",
    "peak memory:", "stages:"): what every benchmark reads of a build's own account."""
    for line in output.splitlines():
        if line.startswith(label):
            body = re.sub(r"\(.*\)$", "", line.split(":", 1)[1]).strip()
            return {m.group(1).strip(): float(m.group(2)) for m in re.finditer(r"([a-z ]+) ([\d.]+) (?:MB|s)\b", body)}
    return {}


# ---------------------------------------------------------------- measuring processes


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    total, stack, page = 0, [pid], os.sysconf("SC_PAGE_SIZE")
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm", encoding="utf-8") as fh:
                total += int(fh.read().split()[1]) * page
        except OSError:
            pass
        stack.extend(children.get(p, []))
    return total


def run_measured(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Run a command; return (wall seconds, peak RSS of its process tree in bytes, its
    output), sampling the tree every 0.2 s (the pool's workers and mkdocs count together)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            stop.wait(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, err = proc.communicate()
    stop.set()
    th.join()
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return seconds, peak, out


def _stages(output: str) -> str:
    """The generate step's per-stage seconds, from the build summary's `stages:` line."""
    for line in output.splitlines():
        if line.startswith("stages:"):
            return line.split(":", 1)[1].strip()
    return ""


def _generate_seconds(output: str) -> float:
    """The generate step's own time, from the summary `python -m generator build` prints."""
    for line in output.splitlines():
        if line.startswith("time:"):
            return float(line.split()[1])
    return float("nan")


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# ---------------------------------------------------------------- the browser


@dataclass
class SearchRun:
    query: str
    first_results_ms: float | None
    bytes_loaded: int
    index_bytes_loaded: int
    longest_block_ms: float
    results: int
    # every site file the page loaded: path relative to the site → bytes (what the totals add up)
    files: dict[str, int] = field(default_factory=dict)
    # the results shown, in order: each one's link without the site's address
    shown: list[str] = field(default_factory=list)


INIT_SCRIPT = """
window.__bench = {first: null, longest: 0};
try {
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) window.__bench.longest = Math.max(window.__bench.longest, e.duration);
  }).observe({type: "longtask", buffered: true});
} catch (e) {}
new MutationObserver(() => {
  if (window.__bench.first === null && document.querySelector("ol.sa-results li"))
    window.__bench.first = performance.now();
}).observe(document, {childList: true, subtree: true});
"""


def browser_search(site: Path, queries: list[str], settled: bool = False) -> dict[str, list[SearchRun]]:
    """Open search.html?q=… for each query over http and from file://, in a fresh
    browser context each time (nothing cached); time to the first result, bytes of
    every file the page loaded (site files, so file:// counts too) and the longest task.
    With `settled`, bytes are counted once the page has finished (its status line no
    longer says 正在…: the phrase check of the other candidates included), not 300 ms
    after the first results."""
    from urllib.parse import quote, unquote, urlsplit

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from browserlib import CHROMIUM_ARGS, chromium_path, serve

    out: dict[str, list[SearchRun]] = {"http": [], "file": []}
    queries = ["", *queries]  # first the page without a query: what loading the page alone blocks
    with sync_playwright() as pw, serve(site) as base:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for mode in ("http", "file"):
            for q in queries:
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                page = ctx.new_page()
                page.add_init_script(INIT_SCRIPT)
                urls: list[str] = []
                page.on("request", lambda r, urls=urls: urls.append(r.url))
                start = base if mode == "http" else site.as_uri() + "/"
                # a query, or (starting with "?") a whole query string: filters alone
                page.goto(f"{start}search.html" + (q if q.startswith("?") else f"?q={quote(q)}" if q else ""))
                first = None
                if not q:
                    page.wait_for_timeout(2000)
                else:
                    try:
                        page.wait_for_function("window.__bench && window.__bench.first !== null", timeout=60_000)
                        page.wait_for_timeout(300)
                        if settled:
                            page.wait_for_function("!/正在/.test((document.querySelector('.sa-status') || {}).textContent"
                                                   " || '')", timeout=60_000)
                        first = page.evaluate("window.__bench.first")
                    except Exception:  # noqa: BLE001 - a query may have no result; recorded as such
                        first = None
                longest = page.evaluate("window.__bench.longest")
                results = page.locator("ol.sa-results li").count()
                shown = [h.split("/archive/", 1)[-1] for h in page.eval_on_selector_all(
                    "ol.sa-results li a", "links => links.map(a => a.href)")]
                total = index = 0
                files: dict[str, int] = {}
                for url in dict.fromkeys(urls):
                    path = unquote(urlsplit(url).path)
                    rel = path[len(urlsplit(start).path):] if path.startswith(urlsplit(start).path) else None
                    f = site / rel if rel is not None else None
                    if f is not None and f.is_file():
                        size = f.stat().st_size
                        files[rel] = size
                        total += size
                        if rel.startswith("searchindex/"):
                            index += size
                out[mode].append(SearchRun(q, first, total, index, float(longest or 0), results, files, shown))
                ctx.close()
        browser.close()
    return out


# ---------------------------------------------------------------- one size


@dataclass
class ScaleResult:
    n: int
    chars: int
    cold: float
    rebuild: float
    floor: float
    generate_cold: float
    generate_rebuild: float
    peak_rss: int
    site_bytes: int
    speech_page_bytes: float
    index_bytes: int
    index_parts: dict[str, int]
    site_parts: dict[str, int] = field(default_factory=dict)
    stages_cold: str = ""
    stages_rebuild: str = ""
    search: dict[str, list[SearchRun]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _floor_config(proj: Path) -> Path:
    """mkdocs.yml without the theme override, the search client and the index: what
    rendering the same pages costs with nothing of search."""
    import yaml

    text = (proj / "mkdocs.yml").read_text(encoding="utf-8")
    out = []
    skip = False
    for line in text.splitlines():
        if line.startswith(("extra_css:", "extra_javascript:")):
            skip = True
            continue
        if skip and line.startswith("  - "):
            continue
        skip = False
        if line.strip().startswith("custom_dir:"):
            continue
        out.append(line)
    out.append("exclude_docs: |\n  searchindex/\n  search.md\n")
    cfg = "\n".join(out)
    cfg = cfg.replace("  - 搜索: search.md\n", "")
    yaml.safe_load(cfg.replace("!ENV", ""))  # still valid YAML
    path = proj / "mkdocs-floor.yml"
    path.write_text(cfg, encoding="utf-8")
    return path


def scale(n: int, browser: bool = True, log=print, queries: list[str] | None = None) -> ScaleResult:
    from generator.publish.search import index_bytes

    with tempfile.TemporaryDirectory() as tmp:
        proj = Path(tmp)
        chars = synthetic_corpus(ROOT, proj / "corpus", n, corpus=ROOT / "tests" / "corpus" / "seeds")
        shutil.copytree(ROOT / "docs", proj / "docs", ignore=shutil.ignore_patterns("archive", "data", "searchindex"))
        shutil.copytree(ROOT / "overrides", proj / "overrides")
        shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
        # built as the Pages workflow builds it: originals linked to the repository, not copied
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_URL=BENCH_SOURCE_URL)
        py = sys.executable
        log(f"[{n}] cold build (python -m generator build, empty cache)")
        cold, rss_cold, out = run_measured([py, "-m", "generator", "--root", str(proj), "build"], ROOT, env)
        gen_cold = _generate_seconds(out)
        stages_cold = _stages(out)
        log(f"[{n}] floor ({cold:.0f} s cold build, generate {gen_cold:.0f} s [{_stages(out)}], "
            f"peak RSS {rss_cold / 2**30:.2f} GB)")
        floor_cfg = _floor_config(proj)
        floor, _, _ = run_measured([py, "-m", "mkdocs", "build", "-q", "-f", str(floor_cfg), "-d",
                                    str(proj / "site-floor")], proj, env)
        shutil.rmtree(proj / "site-floor")
        chars += synthetic_corpus(ROOT, proj / "corpus", 1, start=n, corpus=ROOT / "tests" / "corpus" / "seeds")
        log(f"[{n}] rebuild after one new document (floor {floor:.0f} s)")
        rebuild, rss_re, out = run_measured([py, "-m", "generator", "--root", str(proj), "build"], ROOT, env)
        gen_re = _generate_seconds(out)
        stages_re = _stages(out)
        site = proj / "site"
        pages = list((site / "archive" / "speeches").glob("*.html"))
        idx = site / "searchindex"
        parts = {
            "meta": (idx / "meta.js").stat().st_size,
            "meta chunks and facet lists (m/)": dir_bytes(idx / "m") if (idx / "m").is_dir() else 0,
            "shards (postings)": dir_bytes(idx / "s"),
            "documents (snippet text)": dir_bytes(idx / "d"),
            "t2s": (idx / "t2s.js").stat().st_size,
            "dt (text table)": (idx / "dt.js").stat().st_size,
        }
        site_parts = {
            "speech pages": sum(p.stat().st_size for p in pages),
            "search index": dir_bytes(idx),
            "data (catalog, downloads, report)": dir_bytes(site / "data"),
            "index pages, charts, theme and the rest": 0,
        }
        site_parts["index pages, charts, theme and the rest"] = dir_bytes(site) - sum(site_parts.values())
        result = ScaleResult(
            n=n + 1, chars=chars, cold=cold, rebuild=rebuild, floor=floor, generate_cold=gen_cold,
            generate_rebuild=gen_re, peak_rss=max(rss_cold, rss_re), site_bytes=dir_bytes(site),
            speech_page_bytes=sum(p.stat().st_size for p in pages) / max(1, len(pages)),
            index_bytes=index_bytes(site), index_parts=parts, stages_cold=stages_cold, stages_rebuild=stages_re,
            site_parts=site_parts,
        )
        log(f"[{n}] rebuild {rebuild:.0f} s, generate {gen_re:.0f} s [{stages_re}], peak RSS {rss_re / 2**30:.2f} GB; "
            f"site {dir_bytes(site) / 1e6:.0f} MB; index {index_bytes(site) / chars:.2f} B/char")
        if browser:
            log(f"[{n}] search in Chromium")
            result.search = browser_search(site, queries or QUERIES)
        return result


# ---------------------------------------------------------------- report


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} cores ({cpu}), {mem:.0f} GB RAM, Python {platform.python_version()}, {platform.system()}"


def _ms(v: float | None) -> str:
    return "none" if v is None else f"{v:.0f} ms"


def report(results: list[ScaleResult], pending: list[int] | None = None) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `python -m generator.tools.bench --docs " + " ".join(str(r.n - 1) for r in results)
        + "` (synthetic speeches recombined from the seeds' paragraphs).",
        "",
        f"- machine: {_machine()}",
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        "- the machine is shared with other jobs, so ratios measured side by side in one run mean more "
        "than absolute seconds",
        "",
        "## Build",
        "",
        "| figure | " + " | ".join(f"N = {r.n - 1:,}" for r in results) + " | target at 10,000 |",
        "| --- | " + " | ".join("---" for _ in results) + " | --- |",
    ]

    def row(name: str, values: list[str], target: str = "") -> None:
        lines.append(f"| {name} | " + " | ".join(values) + f" | {target} |")

    row("source characters", [f"{r.chars / 1e6:.1f} M" for r in results])
    row("floor: plain `mkdocs build` of the same pages, no search", [f"{r.floor:.0f} s" for r in results])
    row("cold build (`python -m generator build`, empty cache)",
        [f"{r.cold:.0f} s = {r.cold / r.floor:.2f}× floor" for r in results], "≤ 2× floor")
    row("  of which generate (cold cache)", [f"{r.generate_cold:.0f} s" for r in results])
    row("  of which generate (warm cache, one new document)", [f"{r.generate_rebuild:.0f} s" for r in results])
    row("rebuild after adding one document", [f"{r.rebuild:.0f} s = {r.rebuild / r.floor:.2f}× floor"
                                              for r in results], "≤ 1.2× floor")
    row("  generate stages, cold", [r.stages_cold or "–" for r in results])
    row("  generate stages, rebuild", [r.stages_rebuild or "–" for r in results])
    row("peak RSS (whole process tree)", [f"{r.peak_rss / 2**30:.2f} GB" for r in results], "≤ 2 GB")
    row("published site (as the Pages workflow builds it: originals linked, not copied)",
        [f"{r.site_bytes / 1e6:.0f} MB, {r.site_bytes / 1e3 / r.n:.0f} KB/doc" for r in results], "≤ 800 MB")
    for part in results[0].site_parts:
        row(f"  {part}", [f"{r.site_parts[part] / 1e6:.0f} MB, {r.site_parts[part] / 1e3 / r.n:.1f} KB/doc"
                          for r in results])
    row("speech page (average)", [f"{r.speech_page_bytes / 1e3:.1f} KB" for r in results], "flat in N")
    row("search index, bytes per source character", [f"{r.index_bytes / r.chars:.2f}" for r in results], "≤ 5")
    for part in results[0].index_parts:
        row(f"  {part}", [f"{r.index_parts[part] / 1e6:.1f} MB ({r.index_parts[part] / r.chars:.2f} B/char)"
                          for r in results])
    if any(r.search for r in results):
        lines += ["", "## Search in headless Chromium", "",
                  "Each query opens `search.html?q=…` in a fresh browser context (nothing cached). "
                  "Time is from navigation start to the first result in the list; bytes are every file "
                  "the page loaded (HTML, CSS, JS, index), of which the search index; the longest "
                  "main-thread block is the longest `longtask` a PerformanceObserver saw (none = no task "
                  "over 50 ms).", ""]
        for r in results:
            if not r.search:
                continue
            lines += [f"### N = {r.n - 1:,}", "", "| query | via | first results | bytes loaded (index) "
                      "| longest block | results shown |", "| --- | --- | --- | --- | --- | --- |"]
            for mode in ("http", "file"):
                for s in r.search[mode]:
                    lines.append(f"| {s.query or '(page alone, no query)'} | {mode} | {_ms(s.first_results_ms)} | "
                                 f"{s.bytes_loaded / 1e3:.0f} KB ({s.index_bytes_loaded / 1e3:.0f} KB) | "
                                 f"{s.longest_block_ms:.0f} ms | {s.results} |")
            for mode in ("http", "file"):
                runs = [s for s in r.search[mode] if s.query]
                firsts = [s.first_results_ms for s in runs if s.first_results_ms is not None]
                if firsts:
                    lines.append(f"| **median / worst** | {mode} | {statistics.median(firsts):.0f} / "
                                 f"{max(firsts):.0f} ms | max {max(s.bytes_loaded for s in runs) / 1e3:.0f} KB "
                                 f"| max {max(s.longest_block_ms for s in runs):.0f} ms | |")
            lines.append("")
    for r in results:
        for note in r.notes:
            lines.append(f"- {note}")
    if pending:
        lines += ["", "Not measured in this run: N = " + ", ".join(f"{p:,}" for p in pending)
                  + " (did not finish within the time given to the run)."]
    return "\n".join(lines) + "\n"


def segmentation_and_cache() -> None:
    import jieba

    from generator.annotate.segment import cut
    from generator.pipeline import collect, generate

    text = "\n".join(d.search_text for d in collect(ROOT, progress=False).documents)
    jieba.initialize()
    cut(text[:100])
    t_jieba = _time(lambda: jieba.lcut(text, HMM=False))
    t_rjieba = _time(lambda: cut(text))
    print(f"segmentation of {len(text):,} characters: jieba {len(text) / t_jieba / 1e6:.2f} M chars/s, "
          f"rjieba {len(text) / t_rjieba / 1e6:.2f} M chars/s, ratio {t_jieba / t_rjieba:.1f}×")
    with tempfile.TemporaryDirectory() as tmp:
        proj = Path(tmp)
        shutil.copytree(ROOT / "corpus", proj / "corpus")
        shutil.copytree(ROOT / "docs", proj / "docs", ignore=shutil.ignore_patterns("archive", "data", "searchindex"))
        cold = _time(lambda: (shutil.rmtree(proj / ".cache", ignore_errors=True), generate(proj, progress=False)),
                     repeat=2)
        warm = _time(lambda: generate(proj, progress=False), repeat=2)
        print(f"generate: cold cache / warm cache = {cold / warm:.2f}× ({cold:.2f} s vs {warm:.2f} s)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m generator.tools.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, nargs="*", help="synthetic archive sizes, e.g. 1000 10000")
    parser.add_argument("--out", type=Path, help="write the report here (e.g. BENCHMARKS.md)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium search measurements")
    parser.add_argument("--queries", type=int, default=len(QUERIES), help="how many of the sample queries to run")
    args = parser.parse_args(argv)
    if not args.docs:
        segmentation_and_cache()
        return
    results: list[ScaleResult] = []
    for i, n in enumerate(args.docs):
        results.append(scale(n, browser=not args.no_browser, log=lambda m: print(m, flush=True),
                             queries=QUERIES[: max(1, args.queries)]))
        text = report(results, pending=args.docs[i + 1 :])
        if args.out:
            args.out.write_text(text, encoding="utf-8")  # after each size, so a long run leaves figures
        print(text, flush=True)


if __name__ == "__main__":
    main()
