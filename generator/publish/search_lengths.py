"""Documents' lengths as classes, one character each, for a query with many candidates.

BM25 needs the length of every candidate it ranks. m/l<k>.js holds them exactly (a varint,
three characters for a few thousand characters of text), so a common term's query loaded
every chunk: 300 KB at 100,000 documents of the 1 MB a query may load, in 100 files (over
http, 100 requests six at a time). m/q<k>.js holds for QCHUNK_FACTOR times as many documents
each one's length class, one character: a third of an octave (a class's lengths are within
a factor 2^(1/3) of each other, so its representative, the geometric middle, is within
2^(±1/6), ±12%, of any length in it), and the repost groups, as the l chunks do. The
client ranks with them only when the exact lengths its candidates need would be larger
(search.js needLengths): a query with few candidates, and every query of a small archive,
ranks with exact lengths as before.

A document's class depends on its own length only, so adding a document changes only its
own chunk.
"""

from __future__ import annotations

import math

# the 64 characters of the index's varints (search.FINAL + search.CONT), one per class
CLASS_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"
PER_OCTAVE = 3  # classes per doubling of the length
QCHUNK_FACTOR = 10  # documents per m/q<k>.js: this many times search.META_CHUNK


def length_class(length: int) -> int:
    """0 for an empty text; else 1 + ⌊3·log2(length)⌋, at most 63 (1.6 million characters
    and longer share the last class)."""
    if length <= 0:
        return 0
    return min(len(CLASS_DIGITS) - 1, 1 + math.floor(PER_OCTAVE * math.log2(length)))


def class_length(c: int) -> float:
    """The length a class stands for (search.js classLength): its geometric middle."""
    return 0.0 if c <= 0 else 2 ** ((c - 0.5) / PER_OCTAVE)


def class_chunks(lengths: list[int], grouped: dict[int, int], size: int) -> dict[str, dict[str, str]]:
    """{"q<k>": {"len": a class digit per document k×size…, "groups": varint pairs
    (document − k×size, document − its group's first document) as in the l chunks}}."""
    from generator.publish.search import varint

    out = {}
    for start in range(0, len(lengths), size):
        span = range(start, min(len(lengths), start + size))
        out[f"q{start // size}"] = {
            "len": "".join(CLASS_DIGITS[length_class(lengths[n])] for n in span),
            "groups": "".join(varint(n - start) + varint(grouped[n]) for n in span if n in grouped),
        }
    return out
