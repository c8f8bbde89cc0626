"""The term-trends files: docs/searchindex/tc/ (exact counts of the frequent terms, for
docs/assets/trends.js) and docs/data/trends.csv (exact yearly counts of the keyword terms).

Why buckets: the page needs one term's counts, so the terms are spread over files by the
FNV-1a hash of the term (search.js's fnv1a), a power-of-two number of them chosen by the
total size, and a query loads tc/info.js and one bucket, a few KB. A term keeps its
bucket while the number of buckets stays the same, so adding a document rewrites only the
buckets whose terms' counts it changes. Every file is a script calling
SearchArchive.put, like the rest of the index, so it loads from file:// too.

A bucket is {"c": cells, "t": {term: counts}}: cells are [facet, value, genre] (facet
"y" for the year, "p" for the province or 全国; value and genre "" when unknown), sorted,
listed once per bucket; a term's counts are varints (search.py's), three per cell it
occurs in: the cell's position after the previous one's (position − previous − 1), the
documents containing the term, and its occurrences minus that number.
"""

from __future__ import annotations

import csv
import io
import math
import time
from collections import Counter
from pathlib import Path

from generator.link.trends_counts import budget, count_terms, facets_of, frequent_terms, keyword_terms
from generator.model import Document
from generator.publish.output import Output
from generator.publish.search import INDEX_DIR, DocTerms, compact_terms, fnv1a, script_file, varint

FORMAT = 1
BUCKET_TARGET = 16_000  # bytes per bucket the bucket count aims at
CSV_COLUMNS = ["term", "year", "documents", "containing", "occurrences", "han_chars", "per_10000"]


def bucket_count(total_bytes: int) -> int:
    k = 1
    while total_bytes / k > BUCKET_TARGET:
        k *= 2
    return k


def encode(cells: dict[tuple[str, str, str], list[int]], position: dict[tuple[str, str, str], int]) -> str:
    out, prev = [], -1
    for cell in sorted(cells, key=position.__getitem__):
        i = position[cell]
        containing, occurrences = cells[cell]
        out.append(varint(i - prev - 1) + varint(containing) + varint(occurrences - containing))
        prev = i
    return "".join(out)


def bucket_files(counts: dict[str, dict[tuple[str, str, str], list[int]]], limit: int) -> dict[str, str]:
    """tc/info.js and tc/<k>.js: path under docs/searchindex/ → content."""
    sizes = sum(len(t) * 3 + 4 * len(c) for t, c in counts.items())
    k = bucket_count(sizes) if counts else 1
    buckets: list[dict[str, dict]] = [{} for _ in range(k)]
    for term in sorted(counts):
        buckets[fnv1a(term) & (k - 1)][term] = counts[term]
    files = {"tc/info.js": script_file("tc", "info", {"format": FORMAT, "buckets": k, "budget": limit,
                                                      "terms": len(counts)})}
    for b, terms in enumerate(buckets):
        cells = sorted({cell for c in terms.values() for cell in c})
        position = {cell: i for i, cell in enumerate(cells)}
        files[f"tc/{b}.js"] = script_file("tc", b, {"c": [list(c) for c in cells],
                                                    "t": {t: encode(c, position) for t, c in terms.items()}})
    return files


def per_10000(occurrences: int, chars: int) -> str:
    """The page's rounding (trends.js fmt): half up, two decimals."""
    return f"{math.floor(occurrences / chars * 10000 * 100 + 0.5) / 100:.2f}" if chars else "0.00"


def trends_csv(docs: list[Document], terms_of: dict[str, DocTerms], keywords: list[str],
               counts: dict[str, dict[tuple[str, str, str], list[int]]]) -> str:
    """data/trends.csv: per keyword term and year where it occurs, the year's documents,
    those containing it, its occurrences, the year's Han characters and the rate."""
    docs_per_year: Counter[str] = Counter()
    chars_per_year: Counter[str] = Counter()
    for d in docs:
        y = facets_of(d).year
        docs_per_year[y] += 1
        t = terms_of.get(d.id)
        chars_per_year[y] += t.length if t is not None else compact_terms(d).length
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for term in keywords:
        years: dict[str, list[int]] = {}
        for (facet, value, _genre), (containing, occurrences) in counts.get(term, {}).items():
            if facet == "y":
                row = years.setdefault(value, [0, 0])
                row[0] += containing
                row[1] += occurrences
        for y in sorted(years):
            containing, occurrences = years[y]
            w.writerow([term, y, docs_per_year[y], containing, occurrences, chars_per_year[y],
                        per_10000(occurrences, chars_per_year[y])])
    return "\ufeff" + buf.getvalue()


def write_trends(docs: list[Document], docs_dir: Path, out: Output,
                 terms_of: dict[str, DocTerms], cache_dir: Path | None = None) -> dict[str, float]:
    """Choose the frequent terms, count them and the keywords, write tc/ and trends.csv.
    Returns sizes and seconds for the build summary and the benchmark. `cache_dir` keeps
    each document's counts (trends_counts), so a rebuild counts only what changed."""
    t0 = time.perf_counter()
    docs = sorted(docs, key=lambda d: d.id)
    limit = budget()
    vocabulary = frequent_terms(docs, terms_of, limit)
    keywords = keyword_terms(docs)
    t1 = time.perf_counter()
    stats: dict[str, int] = {}
    counts = count_terms(docs, terms_of, vocabulary, keywords, cache_dir, stats)
    t2 = time.perf_counter()
    files = bucket_files(counts, limit)
    index_bytes = 0
    for rel, text in sorted(files.items()):
        out.write_text(docs_dir / INDEX_DIR / rel, text)
        index_bytes += len(text.encode("utf-8"))
    table = trends_csv(docs, terms_of, keywords, counts)
    out.write_text(docs_dir / "data" / "trends.csv", table)
    return {"terms": len(counts), "frequent": len(vocabulary), "buckets": len(files) - 1,
            "bytes": index_bytes, "csv_bytes": len(table.encode("utf-8")),
            "select_seconds": round(t1 - t0, 2), "count_seconds": round(t2 - t1, 2),
            "seconds": round(time.perf_counter() - t0, 2), **stats}
