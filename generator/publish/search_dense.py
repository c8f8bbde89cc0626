"""Postings of a term in most documents, as a bitmap or as the documents without it.

A term in most of the archive's documents (a bigram like 发展 or 经济 in a corpus of work
reports) costs about a character per document in varint postings: 100 KB at 100,000
documents, and a query of a few common bigrams loaded several of them (a query may load
1 MB in all). So a term in more than half of the documents whose postings are longer than
DENSE_MIN_CHARS is written as its documents, whichever is shorter of

- "!" + a bitmap, six documents a character (the characters of the index's varints, bit i
  of character j = document 6j + i), trailing empty characters left out: N/6 characters;
- "~" + the documents that do not hold it, as varints of the gaps (document − previous − 1):
  a few characters for a term in nearly every document;

then "!" and the tf codes of its documents in order, two a character (8 × first + second):
half a character a document where the varints took one. Nothing is lost: the documents
and tf codes are those of the varints, so ranking is the same. (Dropping the tf codes
would have saved half again, but the phrase check takes documents in the order ranked, and
without tf a phrase's holders no longer come first: a quoted phrase then checked
thousands of documents, 70 MB, at 100,000 synthetic documents.)
Small archives never use it (their postings are shorter than DENSE_MIN_CHARS).

NOT USED BY THE BUILD (search.iter_index dense_min=None). With this form, at 100,000
synthetic documents (bench_search100k), the quoted phrase `“坚持稳中求进”` loaded 34–37 MB, where
the same index without dense forms loaded 921 KB. The cause was not in these postings (the
client decodes every dense term of a 3,000-document index to exactly its varints' documents
and tf codes) but in the client's budget: a deflated d/ record reached search.js as a
promise (inflate.js), which its sizeOf counted as nothing, so a quoted phrase's check of
its candidates' texts never used up its budget once the postings themselves left room in
it; the varints' larger postings had filled the budget alone. Fixed there (the promise now
carries its size). Still off: turning it on wants the 100,000-document measurement again,
and a rebuild's shard patching (search_reuse) does not decode dense forms.
"""

from __future__ import annotations

import numpy as np

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"  # search.FINAL + CONT
DENSE_MIN_CHARS = 4_000  # postings shorter than this stay varints (a dense form saves little there)


def is_dense(df: int, n_docs: int, chars: int, min_chars: int = DENSE_MIN_CHARS) -> bool:
    return n_docs > 0 and 2 * df > n_docs and chars > min_chars


def dense_form(docs: np.ndarray, n_docs: int, codes: np.ndarray | None = None) -> str:
    """The shorter of the bitmap and the complement list of these (ascending, distinct)
    documents, then "!" and their tf codes two a character (none when codes is None)."""
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
    form = complement if len(complement) < len(bitmap) else bitmap
    if codes is None:
        return form
    c = np.asarray(codes, dtype=np.int64)
    if len(c) % 2:
        c = np.append(c, 0)
    pairs = c[0::2] * 8 + c[1::2]
    return form + "!" + "".join(DIGITS[v] for v in pairs.tolist())
