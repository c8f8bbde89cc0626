"""Postings of a term in most documents, as a bitmap or as the documents without it.

A term in most of the archive's documents (a bigram like 发展 or 经济 in a corpus of work
reports) costs about a character per document in varint postings: 100 KB at 100,000
documents, and a query of a few common bigrams loaded several of them (a query may load
1 MB in all). So a term whose postings are longer than DENSE_MIN_CHARS and that is in more
than half of the documents up to its last one (its span: last document + 1) is written as
its documents, whichever is shorter of

- "!" + a bitmap, six documents a character (the characters of the index's varints, bit i
  of character j = document 6j + i), up to the character of its last document;
- "~" + varint(span) + the documents below the span that do not hold it, as varints of the
  gaps (document − previous − 1): a few characters for a term in nearly every document;
  documents at or beyond the span do not hold it (format 7; format 6 listed them up to the
  archive's size, meta.docs);

then "!" and the tf codes of its documents in order, two a character (8 × first + second):
half a character a document where the varints took one. Nothing is lost: the documents
and tf codes are those of the varints, so ranking is the same. (Dropping the tf codes
would have saved half again, but the phrase check takes documents in the order ranked, and
without tf a phrase's holders no longer come first: a quoted phrase then checked
thousands of documents, 70 MB, at 100,000 synthetic documents.)

Whether a term is dense, and its form, depend only on its own postings (documents and tf
codes), never on the archive's size: a rebuild after adding a document keeps the shards of
the terms it does not hold as they are (search_reuse), and those are the bytes a cold build
of the larger archive writes (tests/test_search_reuse.py). A form written for a smaller
archive stays right when documents are added after it: they lie beyond its span.
search_reuse.decode reads these forms back (decode_dense) to patch a shard.

The build writes them for postings longer than DENSE_MIN_CHARS (search.iter_index
dense_min); small archives never have such postings. At 100,000 synthetic documents
(bench_search100k, BENCHMARKS.md) they bring the two queries over 1 MB, 高质量发展 and
营商环境 改革, under it, with the same results in the same order. (An earlier try loaded
34–37 MB for a quoted phrase: the client's budget counted a deflated d/ record, a promise,
as nothing; fixed in search.js, the promise now carries its size.)
"""

from __future__ import annotations

import numpy as np

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"  # search.FINAL + CONT
DENSE_MIN_CHARS = 4_000  # postings shorter than this stay varints (a dense form saves little there)
_DIGIT_BYTES = np.frombuffer(DIGITS.encode("ascii"), np.uint8)
DIGIT_VALUE = np.full(256, -1, np.int64)
DIGIT_VALUE[_DIGIT_BYTES] = np.arange(64)


def is_dense(df: int, span: int, chars: int, min_chars: int = DENSE_MIN_CHARS) -> bool:
    """Whether postings of `df` documents, the last of them span − 1, written in `chars`
    varint characters, are written dense."""
    return span > 0 and 2 * df > span and chars > min_chars


def dense_form(docs: np.ndarray, codes: np.ndarray | None = None) -> str:
    """The shorter of the bitmap and the complement list of these (ascending, distinct, at
    least one) documents, then "!" and their tf codes two a character (none when codes is None).
    Every part is made in array passes: a rebuild writes the dense terms of each shard it
    patches again, hundreds of terms of thousands of documents each."""
    docs = np.asarray(docs, dtype=np.int64)
    span = int(docs[-1]) + 1
    have = np.zeros(-(-span // 6) * 6, dtype=np.uint8)
    have[docs] = 1
    values = (have.reshape(-1, 6) << np.arange(6, dtype=np.uint8)).sum(axis=1)
    missing = np.flatnonzero(have[:span] == 0)
    gaps = np.diff(missing, prepend=-1) - 1
    complement = "~" + varints(np.concatenate([[span], gaps]))[0]
    form = complement if len(complement) < len(values) + 1 else "!" + _DIGIT_BYTES[values].tobytes().decode("ascii")
    if codes is None:
        return form
    c = np.asarray(codes, dtype=np.int64)
    if len(c) % 2:
        c = np.append(c, 0)
    pairs = c[0::2] * 8 + c[1::2]
    return form + "!" + _DIGIT_BYTES[pairs].tobytes().decode("ascii")


def varints(vals: np.ndarray) -> tuple[str, np.ndarray]:
    """Every (non-negative) value as search.varint, joined in one array pass, and the end
    offset of each value in the string (the trends file uses them)."""
    vals = np.asarray(vals, dtype=np.int64)
    ndig = np.ones(len(vals), dtype=np.int64)
    for k in range(1, 13):
        ndig += vals >= (1 << (5 * k))
    ends = np.cumsum(ndig)
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    out[ends - 1] = _DIGIT_BYTES[vals & 31]  # the last digit: search.FINAL
    for k in range(1, 13):
        more = ndig > k
        if not more.any():
            break
        out[ends[more] - 1 - k] = _DIGIT_BYTES[32 + ((vals[more] >> (5 * k)) & 31)]  # search.CONT
    return out.tobytes().decode("ascii"), ends


def decode_varints(text: str) -> np.ndarray:
    """The values of a run of varints (search.decode_varints), in one array pass."""
    digit = DIGIT_VALUE[np.frombuffer(text.encode("ascii"), np.uint8)]
    if (digit < 0).any() or (len(digit) and digit[-1] >= 32):
        raise ValueError("not a run of varints")
    return varint_values(digit)[0]


def varint_values(digit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each varint's value, and the position of its last digit, of a run of digits given
    as DIGIT_VALUE of its characters (0–31 the last digit of a number, 32–63 the others); the
    run ends with a last digit. Shared with search_reuse's reading of postings."""
    ends = np.flatnonzero(digit < 32)
    starts = np.empty_like(ends)
    if len(ends):
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
    low = digit & 31
    vals = low[ends].copy()
    for k in range(1, 13):
        at = ends - k
        has = at >= starts
        if not has.any():
            break
        vals[has] += low[at[has]] << (5 * k)
    return vals, ends


def decode_dense(form: str) -> tuple[np.ndarray, np.ndarray]:
    """A dense form's (documents, tf codes), as search.js decodePostings reads it."""
    head, _, tail = form[1:].partition("!")
    if form[:1] == "!":
        bits = DIGIT_VALUE[np.frombuffer(head.encode("ascii"), np.uint8)]
        if (bits < 0).any():
            raise ValueError("not a dense bitmap")
        docs = np.flatnonzero(((bits[:, None] >> np.arange(6)) & 1).reshape(-1))
    elif form[:1] == "~":
        nums = decode_varints(head)
        if not len(nums):
            raise ValueError("a complement without its span")
        have = np.ones(int(nums[0]), bool)
        have[np.cumsum(nums[1:] + 1) - 1] = False
        docs = np.flatnonzero(have)
    else:
        raise ValueError("not a dense form")
    pairs = DIGIT_VALUE[np.frombuffer(tail.encode("ascii"), np.uint8)]
    if (pairs < 0).any() or len(pairs) != -(-len(docs) // 2):
        raise ValueError("a dense form's tf codes do not match its documents")
    codes = np.stack([pairs >> 3, pairs & 7], axis=1).reshape(-1)[: len(docs)]
    return docs.astype(np.int64), codes.astype(np.int64)
