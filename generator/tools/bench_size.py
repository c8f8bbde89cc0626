"""Where a built site's bytes go, per document and by part: `python -m generator.tools.bench_size SITE [SITE…]`.

GitHub Pages' 1 GB is a budget per document (issue 22: at most 45 KB at 10,000), and a
cut is only worth making where the bytes are. The speech pages are split three ways
(the theme's frame outside <article>, the text section, the rest of the article) because
each is cut by a different means: templates, nothing (the text is the archive), and the
page writer. Byte counts do not depend on the machine's load, so two sites built from the
same corpus by two commits compare exactly. Prints one Markdown table, a column per site.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from generator.publish.size import documents_in

_ARTICLE = re.compile(rb"<article\b.*?</article\s*>", re.S)
# the text section runs from its heading to the next h2 (or the article's end)
_TEXT = re.compile(rb'<h2 id="text".*?(?=<h2\b|</article)', re.S)


def _speech_page(raw: bytes) -> tuple[int, int, int]:
    """(chrome, text, rest of article) bytes of one speech page."""
    art = _ARTICLE.search(raw)
    if art is None:
        return len(raw), 0, 0
    inner = art.group(0)
    text = _TEXT.search(inner)
    t = len(text.group(0)) if text else 0
    return len(raw) - len(inner), t, len(inner) - t


def parts(site: Path) -> dict[str, int]:
    """Bytes by part, in the order the table shows them (rows starting with two spaces
    are shares of the row above)."""
    out: dict[str, int] = dict.fromkeys([
        "speech pages", "  theme chrome (outside <article>)", "  text section (正文)",
        "  rest of <article> (facts, evidence, cite, details, related, provenance)",
        "search index", "  meta.js", "  m/ (meta chunks, facet lists)", "  s/ (postings)", "  d/ (snippet text)",
        "  other index files", "downloads (data/)"], 0)
    downloads: dict[str, int] = {}
    rest = 0
    total = 0
    for p in sorted(site.rglob("*")):
        if not p.is_file() or p.is_symlink():
            continue
        n = p.stat().st_size
        total += n
        rel = p.relative_to(site).as_posix()
        if rel.startswith("archive/speeches/") and rel.endswith(".html"):
            chrome, text, article = _speech_page(p.read_bytes())
            out["speech pages"] += n
            out["  theme chrome (outside <article>)"] += chrome
            out["  text section (正文)"] += text
            out["  rest of <article> (facts, evidence, cite, details, related, provenance)"] += article
        elif rel.startswith("searchindex/"):
            out["search index"] += n
            sub = rel.split("/")[1]
            key = {"meta.js": "  meta.js", "m": "  m/ (meta chunks, facet lists)", "s": "  s/ (postings)",
                   "d": "  d/ (snippet text)"}.get(sub, "  other index files")
            out[key] += n
        elif rel.startswith("data/"):
            out["downloads (data/)"] += n
            name = "  " + rel.split("/", 1)[1]
            downloads[name] = downloads.get(name, 0) + n
        else:
            rest += n
    out.update(sorted(downloads.items()))
    out["everything else (index pages, charts, theme assets)"] = rest
    out["whole site"] = total
    return out


def table(sites: dict[str, Path]) -> str:
    """One Markdown table: KB per document by part, a column per site."""
    measured = {name: (parts(site), max(documents_in(site), 1)) for name, site in sites.items()}
    rows: list[str] = []
    for d, _ in measured.values():
        rows += [r for r in d if r not in rows]
    head = "| part | " + " | ".join(f"{name} (KB/doc)" for name in sites) + " |"
    lines = [head, "|" + " --- |" * (len(sites) + 1)]
    for r in rows:
        cells = [f"{d.get(r, 0) / docs / 1e3:.2f}" for d, docs in measured.values()]
        lines.append(f"| {r.replace('  ', '&nbsp;&nbsp;', 1) if r.startswith('  ') else r} | " + " | ".join(cells) + " |")
    docs = " / ".join(str(n) for _, n in measured.values())
    lines.append(f"\n(documents: {docs})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sites", nargs="+", type=Path)
    ap.add_argument("--names", nargs="*", help="column names (default: the folders' names)")
    a = ap.parse_args(argv)
    names = a.names or [s.parent.name if s.name == "site" else s.name for s in a.sites]
    print(table(dict(zip(names, a.sites, strict=True))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
