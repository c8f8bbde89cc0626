"""The published site's size against GitHub Pages' limit, said before deploying.

GitHub Pages refuses (or later disables) a site over 1 GB; finding that out from a failed
deployment, after a long CI build, tells an editor nothing about what to do. The build
prints the figure every time, and `python -m generator size` (the Pages workflow's step
before upload) fails with the figure, its parts and the remedies when the site is over.
"""

from __future__ import annotations

import json
from pathlib import Path

# "Published GitHub Pages sites may be no larger than 1 GB" (GitHub's documentation of
# Pages limits); decimal, the stricter reading.
PAGES_LIMIT = 1_000_000_000
WARN_SHARE = 0.9

PARTS = {
    "archive/speeches": "speech pages",
    "archive/sources": "original files",
    "searchindex": "search index",
    "data": "downloads",
}


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB" if n >= 1e6 else f"{n / 1e3:,.0f} KB"


def measure(site: Path) -> tuple[int, dict[str, int]]:
    """Total bytes of site/ and the bytes of each part readers would recognise."""
    parts = dict.fromkeys([*PARTS.values(), "everything else"], 0)
    total = 0
    for p in site.rglob("*"):
        if not p.is_file() or p.is_symlink():
            continue
        n = p.stat().st_size
        total += n
        rel = p.relative_to(site).as_posix()
        label = next((name for prefix, name in PARTS.items() if rel.startswith(prefix + "/")), "everything else")
        parts[label] += n
    return total, parts


def documents_in(site: Path) -> int:
    """Documents the site publishes, from its catalog (one document per line)."""
    try:
        return len(json.loads((site / "data" / "catalog.json").read_text(encoding="utf-8"))["documents"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def report(site: Path, limit: int = PAGES_LIMIT) -> tuple[bool, str]:
    """(fits, message): the figure with its parts, and what to do when it does not fit."""
    total, parts = measure(site)
    docs = documents_in(site)
    per_doc = f", {total / docs / 1e3:,.0f} KB per document" if docs else ""
    shown = ", ".join(f"{name} {_mb(n)}" for name, n in parts.items() if n)
    line = f"site: {_mb(total)}{per_doc} ({shown}); GitHub Pages allows {_mb(limit)}"
    if total <= limit:
        if total > WARN_SHARE * limit:
            line += f" — {total / limit:.0%} of the limit: see README, 'Size limits'"
        return True, line
    remedies = ["the site is over GitHub Pages' limit and would not deploy. What to do:"]
    if parts["original files"]:
        remedies.append("  - set SOURCE_URL (the Pages workflow does) so pages link their originals in the "
                        f"repository instead of copying them ({_mb(parts['original files'])} here);")
    corpus = site / "data" / "corpus.jsonl.gz"
    if corpus.is_file():
        remedies.append("  - set DOWNLOADS_URL (the Pages workflow does) so corpus.jsonl.gz is attached to a "
                        f"GitHub release instead of the site ({_mb(corpus.stat().st_size)} here);")
    remedies.append("  - publish the offline zip or the site from another host (any static server serves site/);")
    remedies.append("  - split the corpus into several archives (one per province or period), each its own site.")
    return False, line + "\n" + "\n".join(remedies)
