"""Compare the golden files tests/golden/seeds/<seed stem>.json and tests/golden/links.json
(tags, similar speeches, reposts of every seed document) with the current generator.

    python tests/golden/regenerate.py          # print a unified diff, write nothing
    python tests/golden/regenerate.py --write  # rewrite the files that differ

Without --write nothing changes, so a regression is never hidden by a habit of
regenerating. Every change written must be an intended consequence of a generator change,
and the commit that changes a golden file says why in its message (README, "Tests").
tests/golden/metadata.json is not written here: it holds values reviewed by hand.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(TESTS.parent), str(TESTS)]

from fidelitylib import GOLDEN, SEEDS, render, summarize  # noqa: E402


def expected_files() -> dict[Path, str]:
    """Every golden file this script owns → the text the generator gives now."""
    out = {GOLDEN / f"{seed.stem}.json": render(summarize(seed)) + "\n" for seed in SEEDS}
    out[GOLDEN.parent / "links.json"] = links_golden()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the golden files that differ")
    args = parser.parse_args(argv)
    changed = 0
    for path, text in expected_files().items():
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if old == text:
            continue
        changed += 1
        name = path.relative_to(TESTS.parent).as_posix()
        sys.stdout.writelines(difflib.unified_diff(
            old.splitlines(keepends=True), text.splitlines(keepends=True), f"a/{name}", f"b/{name}"))
        if args.write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    verb = "rewritten" if args.write else "differ (run with --write to rewrite them)"
    print(f"{changed} golden files {verb}" if changed else "golden files are up to date")
    return 0


def links_golden() -> str:
    """What the link stage makes of the seeds: the reader-visible tags and links."""
    import json

    from generator import link
    from generator.annotate.segment import TokenCache
    from generator.pipeline import collect

    docs = collect(TESTS.parent, progress=False, corpus=TESTS / "corpus" / "seeds").documents
    cache = TokenCache(None)
    for d in docs:
        d.tokens = cache.tokens(d.search_text)
    link.link(docs)
    out = {
        d.id: {
            "keywords": d.keywords,
            "related": [[r.id, r.score, r.shared_keywords] for r in d.related],
            "duplicates": [[x.id, x.similarity] for x in d.duplicates],
            "siblings": d.siblings,
        }
        for d in docs
    }
    return json.dumps(out, ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
