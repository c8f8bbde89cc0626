"""Benchmark of the term-trends page with and without the precomputed counts.

`python -m generator.tools.bench_trends --docs 1000` builds a synthetic archive (bench.py's
speeches recombined from the seeds' paragraphs) once, then opens trends.html?q=TERM in
headless Chromium, over http and from file://, a fresh browser context per query:

- "precomputed": the site as built (searchindex/tc/ present);
- "in the browser": the same site with searchindex/tc/ removed, so trends.js counts every
  term from the candidates' text, as it did before the counts were precomputed (its
  loader finds no tc/info.js and falls back).

For each it records the time from navigation to the chart (the status line says exact or
bounded), the bytes of every site file the page loaded, and, when the page showed upper
bounds, the time and bytes until the exact counts after pressing 逐篇核对. Then it adds one
document and runs `generate` alone: the trends stage's seconds and how many of the
tc/ files changed. Ratios side by side in one run; the machine is shared.

`--counting PROJECT` times the counting of the frequent words and keywords in each
document of PROJECT's corpus: one Aho-Corasick pass against one str.count per word.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from generator.tools.bench import BENCH_SOURCE_URL, ROOT, dir_bytes, run_measured, synthetic_corpus

TERMS = ["发展", "高质量发展", "数字经济", "新质生产力"]


def _stage(output: str, name: str) -> float | None:
    for line in output.splitlines():
        if line.startswith("stages:"):
            m = re.search(rf"{re.escape(name)} ([0-9.]+)", line)
            return float(m.group(1)) if m else None
    return None


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.js"))}


def browse(site: Path, terms: list[str]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from browserlib import CHROMIUM_ARGS, chromium_path, serve

    rows = []
    with sync_playwright() as pw, serve(site) as http:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for mode in ("http", "file"):
            base = http if mode == "http" else site.as_uri() + "/"
            for term in terms:
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                page = ctx.new_page()
                urls: list[str] = []
                page.on("request", lambda r, urls=urls: urls.append(r.url))

                def loaded(urls: list[str] = urls, base: str = base) -> int:
                    total = 0
                    for u in set(urls):
                        if u.startswith(base):
                            p = site / unquote(urlsplit(u[len(base):]).path)
                            total += p.stat().st_size if p.is_file() else 0
                    return total

                page.goto(f"{base}trends.html?q={quote(term)}")
                page.wait_for_selector("#sa-trends-page .sa-status[data-state]", timeout=120_000)
                first = page.evaluate("performance.now()")
                state = page.get_attribute("#sa-trends-page .sa-status", "data-state")
                row = {"mode": mode, "term": term, "state": state, "ms": first, "bytes": loaded(),
                       "containing": page.eval_on_selector_all(
                           "table.sa-trends-table[data-facet='year'] tbody tr td:nth-child(3)",
                           "tds => tds.map(t => t.innerText)")}
                if state == "bounded":
                    t0 = page.evaluate("performance.now()")
                    page.click("button.sa-trends-exact")
                    page.wait_for_selector("#sa-trends-page .sa-status[data-state='exact']", timeout=300_000)
                    row["exact_ms"] = page.evaluate("performance.now()") - t0
                    row["exact_bytes"] = loaded()
                rows.append(row)
                ctx.close()
        browser.close()
    return rows


def compare_counting(root: Path, cache: Path | None = None, limit: int = 1_500_000) -> dict[str, float]:
    """Seconds to count the frequent words and keywords of a corpus, per document: one
    Aho-Corasick pass (what the build does) against one str.count per word, with the same
    results checked equal."""
    import time

    from generator.link import trends_counts as tc
    from generator.pipeline import collect

    report = collect(root, progress=False, segment=True, cache_dir=cache)
    docs, terms_of = report.documents, report.search_terms
    vocab = tc._Vocabulary.of(sorted(set(tc.frequent_terms(docs, terms_of, limit)) | set(tc.keyword_terms(docs))))
    counter = tc._WordCounter(vocab.words)
    texts = [tc.trend_text(d) for d in docs]
    t = time.perf_counter()
    found = [Counter(v for _end, v in counter.automaton.iter(x)) if counter.automaton else Counter() for x in texts]
    ac = time.perf_counter() - t
    t = time.perf_counter()
    plain = [{i: n for i, w in enumerate(vocab.words) if (n := x.count(w))} for x in texts]
    sc = time.perf_counter() - t
    for f, p, x in zip(found, plain, texts, strict=True):
        for i, n in p.items():
            assert (f[i] if i not in counter.overlap else x.count(vocab.words[i])) == n
    return {"documents": len(docs), "words": len(vocab.words), "aho_corasick": ac, "str_count": sc}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it")
    ap.add_argument("--terms", nargs="*", default=TERMS)
    ap.add_argument("--counting", type=Path, metavar="PROJECT",
                    help="only compare Aho-Corasick with str.count on PROJECT/corpus (its .cache/documents)")
    args = ap.parse_args(argv)
    if args.counting:
        r = compare_counting(args.counting, args.counting / ".cache" / "documents")
        print(f"{r['documents']} documents, {r['words']} words and keywords of 3+ characters: Aho-Corasick "
              f"{r['aho_corasick']:.2f} s, str.count {r['str_count']:.2f} s (same counts)")
        return 0
    tmp = None
    if args.keep:
        proj = args.keep
        proj.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory()
        proj = Path(tmp.name)
    try:
        n = args.docs
        seeds = ROOT / "tests" / "corpus" / "seeds"
        if not (proj / "corpus").is_dir():
            synthetic_corpus(ROOT, proj / "corpus", n, corpus=seeds)
        for name in ("docs", "overrides"):
            shutil.rmtree(proj / name, ignore_errors=True)
        shutil.copytree(ROOT / "docs", proj / "docs", ignore=shutil.ignore_patterns("archive", "data", "searchindex"))
        shutil.copytree(ROOT / "overrides", proj / "overrides")
        shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_URL=BENCH_SOURCE_URL)
        py = sys.executable
        print(f"[{n}] cold build", flush=True)
        secs, rss, out = run_measured([py, "-m", "generator", "--root", str(proj), "build"], ROOT, env)
        stages = next((x for x in out.splitlines() if x.startswith("stages:")), "")
        site = proj / "site"
        tc = site / "searchindex" / "tc"
        csv_bytes = (site / "data" / "trends.csv").stat().st_size
        print(f"cold build {secs:.0f} s, peak RSS {rss / 2**30:.2f} GB; {stages}")
        print(f"trends stage (cold): {_stage(out, 'trends')} s; tc/: {len(list(tc.glob('*.js')))} files, "
              f"{dir_bytes(tc) / 1e6:.2f} MB; trends.csv {csv_bytes / 1e6:.2f} MB; site {dir_bytes(site) / 1e6:.1f} MB")
        before = proj / "site-in-browser"
        shutil.rmtree(before, ignore_errors=True)
        shutil.copytree(site, before)
        shutil.rmtree(before / "searchindex" / "tc")
        results = {"precomputed": browse(site, args.terms), "in the browser": browse(before, args.terms)}
        shutil.rmtree(before)
        print("\n| term | mode | in the browser (before) | precomputed (after) |\n| --- | --- | --- | --- |")
        for i, row in enumerate(results["precomputed"]):
            old = results["in the browser"][i]

            def cell(r: dict) -> str:
                s = f"{r['state']} in {r['ms'] / 1000:.2f} s, {r['bytes'] / 1e6:.2f} MB"
                if "exact_ms" in r:
                    s += f"; button: exact {r['exact_ms'] / 1000:.2f} s later, {r['exact_bytes'] / 1e6:.1f} MB in all"
                return s

            print(f"| {row['term']} | {row['mode']} | {cell(old)} | {cell(row)} |")
            if row["state"] == "exact" and old.get("exact_ms") is None and old["state"] == "exact":
                assert row["containing"] == old["containing"], (row, old)
        old_hashes = _hashes(proj / "docs" / "searchindex" / "tc")
        synthetic_corpus(ROOT, proj / "corpus", 1, start=n, corpus=seeds)
        print(f"\n[{n}] generate after adding one document", flush=True)
        secs, rss, out = run_measured([py, "-m", "generator", "--root", str(proj), "generate"], ROOT, env)
        new_hashes = _hashes(proj / "docs" / "searchindex" / "tc")
        changed = sum(1 for k, v in new_hashes.items() if old_hashes.get(k) != v)
        print(f"generate {secs:.0f} s; {next((x for x in out.splitlines() if x.startswith('stages:')), '')}")
        print(f"trends stage (one new document): {_stage(out, 'trends')} s; tc/ files changed: {changed} of "
              f"{len(new_hashes)}; tc/ {dir_bytes(proj / 'docs' / 'searchindex' / 'tc') / 1e6:.2f} MB")
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
