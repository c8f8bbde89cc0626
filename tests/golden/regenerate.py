"""Rewrite the golden files tests/golden/seeds/<seed stem>.json and
tests/golden/links.json (tags, similar speeches, reposts of every seed document) from the
current generator. Run `python tests/golden/regenerate.py`, then review `git diff tests/golden`:
every change must be an intended consequence of a change to read/clean."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(TESTS.parent), str(TESTS)]

from fidelitylib import GOLDEN, SEEDS, render, summarize  # noqa: E402


def main() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    changed = 0
    for seed in SEEDS:
        out = GOLDEN / f"{seed.stem}.json"
        text = render(summarize(seed)) + "\n"
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            out.write_text(text, encoding="utf-8")
            changed += 1
            print(f"updated {out.relative_to(TESTS.parent)}")
    links = GOLDEN.parent / "links.json"
    text = links_golden()
    if not links.exists() or links.read_text(encoding="utf-8") != text:
        links.write_text(text, encoding="utf-8")
        changed += 1
        print(f"updated {links.relative_to(TESTS.parent)}")
    print(f"{changed} golden files changed")
    return 0


def links_golden() -> str:
    """What the link stage makes of the seeds: the reader-visible tags and links."""
    import json

    from generator import link
    from generator.pipeline import collect
    from generator.segment import TokenCache

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
