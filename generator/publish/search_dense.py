"""Postings of a term in most documents, as a bitmap or as the documents without it.

A term in most of the archive's documents (a bigram like 发展 or 经济 in a corpus of work
reports) costs about a character per document in varint postings: 100 KB at 100,000
documents, and a query of a few common bigrams loaded several of them (a query may load
1 MB in all). Such a term ranks by little: its idf is below log 2 where it is in more than
half of the documents, against 2–5 for the rarer terms of the same query. So a term in more
than half of the documents whose postings are longer than DENSE_MIN_CHARS is written
without its tf codes, as whichever is shorter of

- "!" + a bitmap, six documents a character (the characters of the index's varints, bit i
  of character j = document 6j + i), trailing empty characters left out: N/6 characters;
- "~" + the documents that do not hold it, as varints of the gaps (document − previous − 1):
  a few characters for a term in nearly every document.

The client (search.js postings) gives every document of a dense term the tf of code 0
(once). Matching is exact; only the dense term's share of the BM25 score loses its tf.
Small archives never use it (their postings are shorter than DENSE_MIN_CHARS).
"""

from __future__ import annotations

import numpy as np

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"  # search.FINAL + CONT
DENSE_MIN_CHARS = 4_000  # postings shorter than this stay as they are (tf codes kept)


def is_dense(df: int, n_docs: int, chars: int, min_chars: int = DENSE_MIN_CHARS) -> bool:
    return n_docs > 0 and 2 * df > n_docs and chars > min_chars


def dense_form(docs: np.ndarray, n_docs: int) -> str:
    """The shorter of the bitmap and the complement list of these (ascending, distinct) documents."""
    from generator.publish.search import varint

    have = np.zeros(-(-n_docs // 6) * 6, dtype=np.uint8)
    have[docs] = 1
    values = (have.reshape(-1, 6) << np.arange(6, dtype=np.uint8)).sum(axis=1)
    nz = np.flatnonzero(values)
    values = values[: nz[-1] + 1] if len(nz) else values[:0]
    bitmap = "!" + "".join(DIGITS[v] for v in values.tolist())
    missing = np.flatnonzero(have[:n_docs] == 0)
    gaps = np.diff(missing, prepend=-1) - 1
    complement = "~" + "".join(varint(int(g)) for g in gaps.tolist())
    return complement if len(complement) < len(bitmap) else bitmap
