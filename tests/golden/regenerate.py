"""Rewrite the golden files tests/golden/seeds/<seed stem>.json from the current
generator. Run `python tests/golden/regenerate.py`, then review `git diff tests/golden`:
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
    print(f"{changed} of {len(SEEDS)} golden files changed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
