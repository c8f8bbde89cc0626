"""The distinctive-terms stage's document × term count matrix, kept between builds.

Building it reads every document's term counts from the build's store and sorts each
document's terms: 2.5–4 s of an addition at 10,000 documents, the largest part of the
link stage after the link computations themselves, for a matrix of which one row changed.
So the matrix is kept in `.cache/distinctive/`, each row with the key of the cached
per-document results it was made from (pipeline.Report.doc_keys: the source's bytes, its
annotation, its path and id, the generator's version). The next build takes a row whose
document's key is unchanged from there and makes only the others; rows of documents no
longer in the archive are left out, and so are the terms only they used.

The result is the matrix counts_csr makes, up to the order of its columns (terms new since
the matrix was first made come last, not where first seen): every use of it
(distinctive.distinctive_terms) sums rows, which are in the same order, and orders
terms by score and then by the term itself, so the lists are the same (tests/test_distinctive.py).
An archive whose matrix holds more than MAX_CACHED_COUNTS counts builds it whole each
time, as before: holding the previous matrix beside the new one would add to the link
stage's peak memory, which sets the whole build's at 100,000 documents.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from scipy import sparse

from generator.link.shards import counts_csr
from generator.runtime import dump_pickle, generator_version

FORMAT = 1
FILE = "counts.pickle"
MAX_CACHED_COUNTS = 40_000_000  # nonzero counts, 12 bytes each: about 480 MB (some 35,000 documents)


def _load(cache_dir: Path) -> dict | None:
    try:
        with (cache_dir / FILE).open("rb") as fh:
            old = pickle.load(fh)
        if old.get("format") != FORMAT or old.get("version") != generator_version():
            return None
        return old
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return None


def count_matrix(doc_ids: list[str], counts: Mapping[str, Mapping[str, int]],
                 keys: Mapping[str, str] | None = None, cache_dir: Path | None = None,
                 ) -> tuple[sparse.csr_matrix, list[str]]:
    """The count matrix of these documents (rows in this order) and its terms, as
    counts_csr gives it; with `keys` (each document's cached results' key) and
    `cache_dir`, rows of documents whose key is unchanged come from the previous build."""
    if cache_dir is None or not keys:
        return counts_csr(doc_ids, counts)
    old = _load(cache_dir)
    row_of = {did: r for r, did in enumerate(old["ids"])} if old else {}
    reused = [r if (r := row_of.get(did)) is not None and old["keys"][r] == keys.get(did) else None
              for did in doc_ids]
    if old is None or sum(r is not None for r in reused) * 2 < len(doc_ids):
        x, terms = counts_csr(doc_ids, counts)  # mostly new: made whole, as before
    else:
        x, terms = _patched(doc_ids, counts, old, reused)
    changed = old is None or old["ids"] != list(doc_ids) or any(r is None for r in reused)
    if x.nnz <= MAX_CACHED_COUNTS and changed:
        dump_pickle(cache_dir / FILE, {"format": FORMAT, "version": generator_version(), "ids": list(doc_ids),
                                       "keys": [keys.get(did, "") for did in doc_ids], "terms": terms,
                                       "data": x.data, "indices": x.indices, "indptr": x.indptr})
    elif x.nnz > MAX_CACHED_COUNTS:
        (cache_dir / FILE).unlink(missing_ok=True)
    return x, terms


def _patched(doc_ids: list[str], counts: Mapping[str, Mapping[str, int]], old: dict,
             reused: list[int | None]) -> tuple[sparse.csr_matrix, list[str]]:
    """The previous matrix's rows where `reused` names one, new rows elsewhere, and the
    terms no row uses any more dropped."""
    terms: list[str] = list(old["terms"])
    number: dict[str, int] | None = None  # term → column, made only when a row is new
    data, indices, indptr = old["data"], old["indices"], old["indptr"]
    row_data: list[np.ndarray] = []
    row_cols: list[np.ndarray] = []
    for did, r in zip(doc_ids, reused, strict=True):
        if r is not None:
            row_data.append(data[indptr[r] : indptr[r + 1]])
            row_cols.append(indices[indptr[r] : indptr[r + 1]])
            continue
        if number is None:
            number = {t: i for i, t in enumerate(terms)}
        one, own = counts_csr([did], counts)
        cols = np.fromiter((number.setdefault(t, len(number)) for t in own), dtype=np.int32, count=len(own))
        cols = cols[one.indices]
        order = np.argsort(cols, kind="stable")
        row_data.append(one.data[order])
        row_cols.append(cols[order])
    if number is not None and len(number) > len(terms):
        terms += list(number)[len(terms) :]  # new terms, numbered in the order they were met
    new_ptr = np.zeros(len(doc_ids) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in row_cols], out=new_ptr[1:])
    cols = np.concatenate(row_cols) if row_cols else np.zeros(0, np.int32)
    vals = np.concatenate(row_data) if row_data else np.zeros(0, np.float64)
    used = np.bincount(cols, minlength=len(terms)) > 0
    if not used.all():  # terms of documents that left: dropped, the others renumbered in order
        renumber = np.cumsum(used, dtype=np.int64) - 1
        cols = renumber[cols].astype(np.int32)
        terms = [t for t, u in zip(terms, used.tolist(), strict=True) if u]
    return sparse.csr_matrix((vals, cols, new_ptr), shape=(len(doc_ids), len(terms))), terms
