"""What adding one document rewrites: the incremental-build measurement of issue 22.

`python -m generator.tools.churn --docs 1000` generates a synthetic archive of N documents
(bench.synthetic_corpus), adds one more, generates again, and compares the two outputs
file by file. A rebuild renders exactly the pages whose Markdown changed
(publish/render.py), so the changed pages are the cost of the addition. Each changed
speech page is put in the first class that explains it, from the two catalogs:

- `new`: the added document's own page;
- `related`: its list of similar speeches names other documents, or in another order;
- `keywords`: its keyword tags changed;
- `reuse`: its text-reuse notes changed (the new document copies one of its passages);
- `scores`: the same neighbours, but a printed score or shared keyword moved: drift;
- `other`: anything else, e.g. a link into an index page that moved: drift.

The first four are changes a reader should see; `scores` and `other` are what stable
outputs remove. `generate` only (no MkDocs render): the render costs in proportion to
the changed pages counted here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = ROOT / "tests" / "corpus" / "seeds"
CLASSES = ("new", "related", "keywords", "reuse", "scores", "other")


@dataclass
class Churn:
    """Pages of one archive before and after one document was added."""

    docs: int  # documents after the addition
    speech_pages: int  # speech pages after the addition (a long text's parts included)
    pages: int  # every generated Markdown page after the addition (speech and index pages)
    changed: dict[str, str] = field(default_factory=dict)  # changed speech page → class
    changed_index: list[str] = field(default_factory=list)  # changed or new index pages
    # CPU seconds per generate stage (pipeline.cpu_seconds), of the first build and the rebuild
    cpu: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def counts(self) -> Counter[str]:
        return Counter(self.changed.values())

    @property
    def drift(self) -> int:
        """Changed speech pages nothing real explains."""
        return self.counts["scores"] + self.counts["other"]

    @property
    def changed_pages(self) -> int:
        return len(self.changed) + len(self.changed_index)

    def summary(self) -> str:
        c = self.counts
        by = ", ".join(f"{k} {c[k]}" for k in CLASSES if c[k])
        return (f"{self.docs} documents: {self.changed_pages} of {self.pages} pages changed "
                f"({self.changed_pages / max(1, self.pages):.1%}): {len(self.changed)} of {self.speech_pages} "
                f"speech pages ({len(self.changed) / max(1, self.speech_pages):.1%}; {by}), "
                f"{len(self.changed_index)} index pages")


def _pages(docs_dir: Path) -> dict[str, str]:
    """Every generated Markdown page (dot files included: the home page's snippet) by
    its path under docs/archive, with the hash of its bytes."""
    base = docs_dir / "archive"
    return {p.relative_to(base).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(base.rglob("*.md"))}


def _catalog(docs_dir: Path) -> dict[str, dict]:
    data = json.loads((docs_dir / "data" / "catalog.json").read_text(encoding="utf-8"))
    return {d["id"]: d for d in data["documents"]}


def _reuse_notes(docs_dir: Path, page: str) -> list[str]:
    """The lines of a speech page's text-reuse section."""
    lines = (docs_dir / "archive" / page).read_text(encoding="utf-8").splitlines()
    out, inside = [], False
    for line in lines:
        if line.startswith("## "):
            inside = line.startswith("## 文本复用")
        elif inside:
            out.append(line)
    return out


def classify(page: str, before: dict[str, dict], after: dict[str, dict], new_ids: set[str],
             reuse_changed: bool) -> str:
    doc_id = page.removeprefix("speeches/").removesuffix(".md")
    entry_after = after.get(doc_id)
    if entry_after is None:  # a long text's continuation page: judged by its document
        doc_id = doc_id.rsplit("-", 1)[0]
        entry_after = after.get(doc_id)
    if doc_id in new_ids or entry_after is None or doc_id not in before:
        return "new"
    a, b = before[doc_id], entry_after
    if [r["id"] for r in a["related"]] != [r["id"] for r in b["related"]]:
        return "related"
    if a["keywords"] != b["keywords"]:
        return "keywords"
    if reuse_changed:
        return "reuse"
    if a["related"] != b["related"]:
        return "scores"
    return "other"


def measure(n: int, work: Path, seed: int = 7, corpus: Path = SEEDS, workers: int | None = None,
            log=print) -> Churn:
    """Generate N synthetic documents in `work`, add one, generate again, and compare."""
    from generator.pipeline import generate
    from generator.tools.bench import synthetic_corpus

    proj = work
    if proj.exists():
        shutil.rmtree(proj)
    shutil.copytree(ROOT / "docs", proj / "docs", ignore=shutil.ignore_patterns("archive", "data", "searchindex"))
    synthetic_corpus(ROOT, proj / "corpus", n, seed=seed, corpus=corpus)
    log(f"[{n}] generate")
    first = generate(proj, progress=False, workers=workers)
    docs_dir = proj / "docs"
    pages_before, catalog_before = _pages(docs_dir), _catalog(docs_dir)
    reuse_before = {p: _reuse_notes(docs_dir, p) for p in pages_before if p.startswith("speeches/")}
    synthetic_corpus(ROOT, proj / "corpus", 1, seed=seed, start=n, corpus=corpus)
    log(f"[{n}] generate after adding one document")
    again = generate(proj, progress=False, workers=workers)
    pages_after, catalog_after = _pages(docs_dir), _catalog(docs_dir)
    new_ids = set(catalog_after) - set(catalog_before)
    churn = Churn(docs=len(catalog_after), speech_pages=sum(p.startswith("speeches/") for p in pages_after),
                  pages=len(pages_after),
                  cpu={"cold": first.stats.get("stage_cpu_seconds", {}), "add one": again.stats.get("stage_cpu_seconds", {})})
    for page, digest in pages_after.items():
        if pages_before.get(page) == digest:
            continue
        if page.startswith("speeches/"):
            reuse_changed = reuse_before.get(page) != _reuse_notes(docs_dir, page)
            churn.changed[page] = classify(page, catalog_before, catalog_after, new_ids, reuse_changed)
        else:
            churn.changed_index.append(page)
    return churn


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[200], help="archive sizes before the addition")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--list", action="store_true", help="print every changed page with its class")
    args = ap.parse_args(argv)
    for n in args.docs:
        with tempfile.TemporaryDirectory() as tmp:
            churn = measure(n, Path(tmp) / "proj", seed=args.seed)
            if args.list:
                for page, cls in sorted(churn.changed.items()):
                    print(f"  {cls:9} {page}")
                for page in sorted(churn.changed_index):
                    print(f"  index     {page}")
            print(churn.summary(), flush=True)
            for run, stages in churn.cpu.items():
                print(f"  CPU seconds, {run}: " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
                      + f" (total {sum(stages.values()):.1f})", flush=True)


if __name__ == "__main__":
    main()
