"""Bytes per character of the snippet store's text: `python -m generator.tools.bench_snippets FOLDER…`.

The synthetic benchmark corpus recombines the seeds' paragraphs, so what compresses well
there may not on real text; this reads real folders through the real pipeline (read,
clean) and measures each document's text alone, as d/<n>.js stores it: UTF-8, packed
(search.pack_text), and packed then deflated (snippet_store.deflate, what is published
where shorter). Prints one Markdown row per folder (BENCHMARKS.md, "Site size").
"""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.pipeline import collect
from generator.publish.search import pack_text
from generator.publish.snippet_store import deflate

ROOT = Path(__file__).resolve().parents[2]


def measure(folder: Path) -> dict[str, float]:
    docs = collect(ROOT, progress=False, corpus=folder).documents
    chars = utf8 = packed = stored = 0
    for d in docs:
        text = "\n".join(d.paragraphs)
        p = pack_text(text)
        chars += len(text)
        utf8 += len(text.encode("utf-8"))
        packed += len(p.encode("utf-8"))
        stored += min(len(deflate(p)), len(p.encode("utf-8")))
    c = max(chars, 1)
    return {"documents": len(docs), "characters": chars, "utf8": utf8 / c, "packed": packed / c,
            "stored": stored / c}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path)
    a = ap.parse_args(argv)
    print("| folder | documents | characters | UTF-8 | packed | packed and deflated, as stored |")
    print("| --- | --- | --- | --- | --- | --- |")
    for folder in a.folders:
        m = measure(folder)
        print(f"| {folder} | {m['documents']} | {m['characters']:,} | {m['utf8']:.2f} | {m['packed']:.2f} | "
              f"{m['stored']:.2f} ({m['stored'] / m['packed'] - 1:+.0%}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
