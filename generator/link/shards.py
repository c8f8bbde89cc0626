"""The link stage's whole-archive arrays, built one document at a time.

Memory at 100,000 documents is the reason (issue 22, "flat memory"): the stage used to
gather every document's term counts as Python lists and dicts (each count a pointer and
each term a string, 80–140 KB per document at its peak) before building its matrices.
Here each document's counts are read from its LinkPrep (one at a time, so they can be
loaded from the document cache on demand) and turned at once into two small arrays, a
term id (int32) per term and its count (the LinkPrep's own uint32 bytes, not copied);
the matrices are filled in place from those. What stays per document is 8 bytes per
distinct term while reading and the matrix itself (12 bytes per nonzero).

The arithmetic is unchanged, term for term and in the same order, so the vectors, and
everything computed from them, are the same to the last bit as before.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

if TYPE_CHECKING:
    from generator.link import LinkPrep


class TermCounts(Mapping[str, dict[str, int]]):
    """Each document's term counts (LinkPrep.counts) by id, made when asked for: the
    distinctive-terms stage reads them one document at a time, so only one document's
    dict exists at once instead of the whole archive's."""

    def __init__(self, prepared: Mapping[str, LinkPrep]) -> None:
        self.prepared = prepared

    def __getitem__(self, did: str) -> dict[str, int]:
        return self.prepared[did].counts

    def __iter__(self) -> Iterator[str]:
        return iter(self.prepared)

    def __len__(self) -> int:
        return len(self.prepared)

    def size_of(self, did: str) -> int:
        """How many terms the document's counts hold, without making them."""
        prep = self.prepared.get(did)
        return len(prep.numbers) // 4 if prep is not None else 0

    def sorted_arrays(self, did: str) -> tuple[list[str], np.ndarray]:
        """The document's terms in code point order and their counts (float64), without
        the dict: numpy sorts the terms (a 'U' array compares by code points, as str
        does), where sorted(dict.items()) and a generator step per term took most of the
        distinctive stage."""
        prep = self.prepared.get(did)
        if prep is None or not prep.keys:
            return [], np.zeros(0, np.float64)
        keys = np.array(prep.keys.split("\n"))
        order = np.argsort(keys, kind="stable")
        return keys[order].tolist(), np.frombuffer(prep.numbers, dtype=np.uint32)[order].astype(np.float64)


def code_point_order(terms: list[str]) -> tuple[list[str], np.ndarray]:
    """The terms sorted (the matrices' column order) and, for each term id (its position
    in `terms`), its column."""
    order = sorted(range(len(terms)), key=terms.__getitem__)
    rank = np.empty(len(terms), dtype=np.int64)
    rank[order] = np.arange(len(terms))
    return [terms[i] for i in order], rank


def prep_arrays(prep: LinkPrep, ids_of: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """One document's terms as ids (new terms numbered in order of first appearance
    across the archive) and their counts, both in the document's own term order."""
    keys = prep.keys.split("\n") if prep.keys else []
    ids = np.fromiter((ids_of.setdefault(k, len(ids_of)) for k in keys), dtype=np.int32, count=len(keys))
    return ids, np.frombuffer(prep.numbers, dtype=np.uint32)


def tfidf_csr(rows_ids: list[np.ndarray], rows_n: list[np.ndarray], idf_list: list[float],
              rank: np.ndarray, n_cols: int) -> sparse.csr_matrix:
    """The L2-normalized sublinear-TF × IDF rows as one CSR matrix, filled in place.

    Each row's weights are computed in Python floats in the document's own term order
    and its norm summed in that order, exactly as before this module, so every value is
    the same double; only where it is stored changed (one preallocated array, int32
    column ids). Each row's arrays are released as soon as it is written."""
    total = int(sum(len(ids) for ids in rows_ids))

    def row(r: int) -> tuple[np.ndarray, np.ndarray]:
        ids, ns = rows_ids[r], rows_n[r]
        rows_ids[r] = rows_n[r] = None  # type: ignore[call-overload]  # written: no longer needed
        return ids, ns

    return _fill_rows(row, len(rows_ids), total, idf_list, rank, n_cols)


def _fill_rows(row: Callable[[int], tuple[np.ndarray, np.ndarray]], n_rows: int, total: int,
               idf_list: list[float], rank: np.ndarray, n_cols: int) -> sparse.csr_matrix:
    index_dtype = np.int32 if max(total, n_cols) < 2**31 else np.int64
    data = np.empty(total, dtype=np.float64)
    indices = np.empty(total, dtype=index_dtype)
    indptr = np.zeros(n_rows + 1, dtype=index_dtype)
    at = 0
    for r in range(n_rows):
        ids, ns = row(r)
        weights = [(1 + math.log(n)) * idf_list[i] for i, n in zip(ids.tolist(), ns.tolist(), strict=True)]
        norm = math.sqrt(sum(v * v for v in weights)) or 1.0
        cols = rank[ids]
        srt = np.argsort(cols, kind="stable")
        end = at + len(ids)
        if end > total:
            raise ValueError("a document has more terms than when they were counted")
        indices[at:end] = cols[srt]
        data[at:end] = np.array(weights, dtype=np.float64)[srt] / norm
        at = end
        indptr[r + 1] = at
    if at != total:
        raise ValueError("the documents have fewer terms than when they were counted")
    return sparse.csr_matrix((data, indices, indptr), shape=(n_rows, n_cols), copy=False)


def tfidf_two_passes(ids: list[str], prepared: Mapping[str, LinkPrep],
                     idf_of: Callable[[int, Counter[str]], dict[str, float]],
                     ) -> tuple[sparse.csr_matrix, list[str], dict[str, float]]:
    """tfidf_vectors for documents that all have a LinkPrep, without holding every
    document's term ids and counts between the two things that need them: a first pass
    numbers the terms and counts document frequencies, a second reads each document's
    LinkPrep again (from the build's store) and writes its row.

    The held arrays were 8 bytes per (document, term), as much again as the float64 part
    of the matrix: about 0.7 GB at 100,000 documents of 900 terms. The second pass looks
    each term's id up again; the ids, weights and their order are those of one pass, so
    every value is the same double."""
    ids_of: dict[str, int] = {}
    df_arr = np.zeros(0, dtype=np.int64)
    total = 0
    for did in ids:
        term_ids, _ = prep_arrays(prepared[did], ids_of)
        if len(ids_of) > len(df_arr):
            df_arr = np.concatenate([df_arr, np.zeros(max(len(ids_of) - len(df_arr), len(df_arr)), np.int64)])
        df_arr[term_ids] += 1  # a document's term ids are distinct
        total += len(term_ids)
    terms = list(ids_of)
    df = Counter(dict(zip(terms, df_arr[: len(terms)].tolist(), strict=True)))
    del df_arr
    vocab, rank = code_point_order(terms)
    idf = idf_of(len(ids), df)
    del df
    idf_list = [idf[t] for t in terms]

    def row(r: int) -> tuple[np.ndarray, np.ndarray]:
        return prep_arrays(prepared[ids[r]], ids_of)

    mat = _fill_rows(row, len(ids), total, idf_list, rank, len(vocab))
    return mat, vocab, idf


def counts_csr(docs_ids: list[str], counts: Mapping[str, Mapping[str, int]],
               ) -> tuple[sparse.csr_matrix, list[str]]:
    """The document × term count matrix (float64) and its terms, term ids in order of
    first appearance over the documents' terms in code point order, read one document at
    a time into one int32 and one float64 array per document; each row's columns sorted,
    as a COO → CSR conversion leaves them. Built as CSR directly: the (row, column,
    value) lists this replaced took 3 × 8 bytes per count plus a conversion copy."""
    vocab: dict[str, int] = {}
    sizer = getattr(counts, "size_of", None)
    if sizer is not None:
        # the counts' sizes are known without making them: one array of each, filled in
        # place, where gathering per-row arrays and joining them held everything twice
        total = sum(sizer(did) for did in docs_ids)
        data, indices = np.empty(total, dtype=np.float64), np.empty(total, dtype=np.int32)
    cols, vals = [], []
    indptr = np.zeros(len(docs_ids) + 1, dtype=np.int64)
    arrays = getattr(counts, "sorted_arrays", None)
    get = vocab.get
    for r, did in enumerate(docs_ids):
        if arrays is not None:
            keys, v = arrays(did)
            got = list(map(get, keys))  # a C-level lookup per term; new terms numbered below
            if None in got:
                for j, k in enumerate(keys):
                    if got[j] is None:
                        got[j] = vocab.setdefault(k, len(vocab))
            c = np.array(got, dtype=np.int32)
        else:
            items = sorted(counts.get(did, {}).items())
            c = np.fromiter((vocab.setdefault(t, len(vocab)) for t, _ in items), dtype=np.int32, count=len(items))
            v = np.fromiter((n for _, n in items), dtype=np.float64, count=len(items))
        order = np.argsort(c, kind="stable")
        indptr[r + 1] = indptr[r] + len(c)
        if sizer is not None:
            if indptr[r + 1] > total:
                raise ValueError(f"{did}: more term counts than its size said")
            indices[indptr[r] : indptr[r + 1]] = c[order]
            data[indptr[r] : indptr[r + 1]] = v[order]
        else:
            cols.append(c[order])
            vals.append(v[order])
    terms = sorted(vocab, key=vocab.__getitem__)
    if sizer is not None:
        if indptr[-1] != total:
            raise ValueError("fewer term counts than their sizes said")
    else:
        data = np.concatenate(vals) if vals else np.zeros(0)
        del vals
        indices = np.concatenate(cols) if cols else np.zeros(0, np.int32)
        del cols
    return sparse.csr_matrix((data, indices, indptr), shape=(len(docs_ids), len(terms))), terms

def group_sums(x: sparse.csr_matrix, rows: list[int], chunk: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """For the documents `rows` of a count matrix: each term's total count and the number
    of those documents that contain it, both float64 as `x[rows].sum(axis=0)` and
    `(x > 0)[rows].sum(axis=0)` gave them.

    Those made a copy of the group's rows (a genre can hold most of the archive) and a
    second matrix of ones as large as the counts; here the rows are read a chunk at a time.
    The counts are integers, so float64 sums are exact in any order: the same values."""
    n_cols = x.shape[1]
    sums = np.zeros(n_cols, dtype=np.float64)
    having = np.zeros(n_cols, dtype=np.float64)
    for at in range(0, len(rows), chunk):
        sub = x[rows[at : at + chunk]]
        sums += np.bincount(sub.indices, weights=sub.data, minlength=n_cols)
        having += np.bincount(sub.indices[sub.data > 0], minlength=n_cols)
    return sums, having
