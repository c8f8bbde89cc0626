"""The term-trends files: docs/searchindex/tc/ (exact counts of the frequent terms, for
docs/assets/trends.js) and docs/data/trends.csv (exact yearly counts of the keyword terms).

Why buckets: the page needs one term's counts, so the terms are spread over files by the
FNV-1a hash of the term (search.js's fnv1a), a power-of-two number of them chosen by the
total size, and a query loads tc/info.js and one bucket, a few KB. A term keeps its
bucket while the number of buckets stays the same. Every file is a script calling
SearchArchive.put, like the rest of the index, so it loads from file:// too.

tc/info.js lists the cells: [facet, value, genre] (facet "y" for the year, "p" for the
province or 全国; value and genre "" when unknown), sorted. A bucket is {"t": {term:
counts}}; a term's counts are varints (search.py's), three per cell it occurs in: the
cell's number after the previous one's (number − previous − 1), the documents containing
the term, and its occurrences minus that number. (Adding a document changes the counts of
thousands of terms, so it rewrites nearly every bucket anyway: one list of cells in
info.js costs nothing more and keeps the buckets small.)
"""

from __future__ import annotations

import csv
import io
import math
import time
from collections import Counter
from pathlib import Path

import numpy as np

from generator.link.trends_counts import (
    DocCounts,
    TrendTable,
    budget,
    count_table,
    facets_of,
    keyword_terms,
)
from generator.link.trends_memo import select
from generator.model import Document
from generator.publish.output import Output
from generator.publish.search import INDEX_DIR, DocTerms, compact_terms, fnv1a, script_file
from generator.publish.search_dense import varints

FORMAT = 2
BUCKET_TARGET = 16_000  # bytes per bucket the bucket count aims at
CSV_COLUMNS = ["term", "year", "documents", "containing", "occurrences", "han_chars", "per_10000"]


def bucket_count(total_bytes: int) -> int:
    k = 1
    while total_bytes / k > BUCKET_TARGET:
        k *= 2
    return k


def encoded_terms(table: TrendTable) -> dict[str, str]:
    """{term: its counts as varints}: per cell it occurs in (sorted), the cell's number
    after the previous one's (number − previous − 1), the documents containing the term,
    its occurrences minus that."""
    n = len(table.term)
    if not n:
        return {}
    starts = np.flatnonzero(np.diff(table.term, prepend=-1))
    prev = np.empty(n, dtype=np.int64)
    prev[0] = -1
    prev[1:] = table.cell[:-1]
    prev[starts] = -1
    vals = np.stack([table.cell - prev - 1, table.containing, table.occurrences - table.containing], axis=1).ravel()
    text, ends = varints(vals)
    bounds = np.append(starts, n) * 3
    offsets = np.concatenate([[0], ends])[bounds].tolist()
    terms = table.term[starts].tolist()
    return {table.terms[t]: text[offsets[i] : offsets[i + 1]] for i, t in enumerate(terms)}


def bucket_files(table: TrendTable, limit: int) -> dict[str, str]:
    """tc/info.js and tc/<k>.js: path under docs/searchindex/ → content."""
    encoded = encoded_terms(table)
    k = bucket_count(sum(len(t) * 3 + len(e) + 6 for t, e in encoded.items()))
    buckets: list[dict[str, str]] = [{} for _ in range(k)]
    for term, enc in encoded.items():
        buckets[fnv1a(term) & (k - 1)][term] = enc
    files = {"tc/info.js": script_file("tc", "info", {"format": FORMAT, "buckets": k, "budget": limit,
                                                      "terms": len(encoded),
                                                      "cells": [list(c) for c in table.cells]})}
    for b, terms in enumerate(buckets):
        files[f"tc/{b}.js"] = script_file("tc", b, {"t": terms})
    return files


def per_10000(occurrences: int, chars: int) -> str:
    """The page's rounding (trends.js fmt): half up, two decimals."""
    return f"{math.floor(occurrences / chars * 10000 * 100 + 0.5) / 100:.2f}" if chars else "0.00"


def trends_csv(docs: list[Document], terms_of: dict[str, DocTerms], keywords: list[str],
               table: TrendTable, lengths: dict[str, int] | None = None) -> str:
    """data/trends.csv: per keyword term and year where it occurs, the year's documents,
    those containing it, its occurrences, the year's Han characters and the rate.
    `lengths`: each document's DocTerms.length when known (trends_memo.Selection), so the
    index terms are not read again."""
    docs_per_year: Counter[str] = Counter()
    chars_per_year: Counter[str] = Counter()
    for d in docs:
        y = facets_of(d).year
        docs_per_year[y] += 1
        if lengths is not None and d.id in lengths:
            chars_per_year[y] += lengths[d.id]
            continue
        t = terms_of.get(d.id)
        chars_per_year[y] += t.length if t is not None else compact_terms(d).length
    keyset = set(keywords)
    wanted = {i for i, t in enumerate(table.terms) if t in keyset}
    years: dict[tuple[str, str], list[int]] = {}
    rows = np.flatnonzero(np.isin(table.term, np.fromiter(wanted, dtype=np.int64, count=len(wanted))))
    for r in rows.tolist():
        facet, value, _genre = table.cells[int(table.cell[r])]
        if facet == "y":
            row = years.setdefault((table.terms[int(table.term[r])], value), [0, 0])
            row[0] += int(table.containing[r])
            row[1] += int(table.occurrences[r])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for (term, y), (containing, occurrences) in sorted(years.items()):
        w.writerow([term, y, docs_per_year[y], containing, occurrences, chars_per_year[y],
                    per_10000(occurrences, chars_per_year[y])])
    return "\ufeff" + buf.getvalue()


def write_trends(docs: list[Document], docs_dir: Path, out: Output,
                 terms_of: dict[str, DocTerms], cache_dir: Path | None = None,
                 counts: dict[str, DocCounts] | None = None,
                 doc_keys: dict[str, str] | None = None, workers: int | None = None) -> dict[str, float]:
    """Choose the frequent terms, count them and the keywords, write tc/ and trends.csv.
    Returns sizes and seconds for the build summary and the benchmark. `counts`: each
    document's character and pair counts, made by the per-document workers
    (trends_counts.DocCounts); `cache_dir` keeps each document's word counts, so a rebuild
    counts only what changed, and the sums the terms are chosen by, which a rebuild that
    only adds documents (`doc_keys`: each one's cached results' key) adds to (trends_memo.py).
    `workers`: processes for the counting (count_table's default otherwise)."""
    t0 = time.perf_counter()
    docs = sorted(docs, key=lambda d: d.id)
    limit = budget()
    chosen = select(docs, terms_of, counts, limit, cache_dir, doc_keys)
    phrases = chosen.phrases
    vocabulary = sorted(set(chosen.vocabulary) | set(phrases))
    keywords = keyword_terms(docs)
    t1 = time.perf_counter()
    stats: dict[str, int] = {}
    table = count_table(docs, terms_of, vocabulary, keywords, cache_dir, stats, counts, workers)
    t2 = time.perf_counter()
    files = bucket_files(table, limit)
    index_bytes = 0
    for rel, text in sorted(files.items()):
        out.write_text(docs_dir / INDEX_DIR / rel, text)
        index_bytes += len(text.encode("utf-8"))
    csv_text = trends_csv(docs, terms_of, keywords, table, chosen.lengths)
    out.write_text(docs_dir / "data" / "trends.csv", csv_text)
    return {"terms": int(len(np.unique(table.term))), "frequent": len(vocabulary), "phrases": len(phrases),
            "buckets": len(files) - 1,
            "bytes": index_bytes, "csv_bytes": len(csv_text.encode("utf-8")),
            "select_seconds": round(t1 - t0, 2), "count_seconds": round(t2 - t1, 2),
            "seconds": round(time.perf_counter() - t0, 2), **stats}
