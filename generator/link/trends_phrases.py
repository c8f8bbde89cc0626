"""Phrases across tokens for the term-trends page: the token n-grams a document repeats.

Why: the page counts a term in the browser from its candidates' text, and the build
precomputes the index terms over the page's budget (trends_counts.py). A phrase the
segmenter cuts into several tokens (高质量/发展 where 高质量发展 is not one word) is no
index term, so a frequent one still cost the reader upper bounds and a button that loads
many MB. Like Google Books' Ngram Viewer, the build counts such n-grams ahead: the
strings of 2 to 4 adjacent Han tokens within a sentence (no punctuation, space or line
break between them), three characters or more.

Which ones: only the segmenter sees the tokens, in the per-document worker, and only the
parent sees the archive, so the worker keeps what it can judge alone: the n-grams the
document itself uses at least twice (REPEATS). A phrase is then precomputed when the
documents that repeat it hold more text than the page's budget: its candidates, a
superset of those documents, cost more still. A phrase many documents use only once each
is not taken (the page counts it as before). Which n-grams a document repeats is found
with numpy over the whole token stream (a 64-bit polynomial hash of each n-gram's
characters), not a Python loop over its ~10,000 n-grams; only the repeated ones become
strings. The counts are never taken from here: the chosen phrases are counted like every
other word (one Aho-Corasick pass over each document's text, str.count's definition).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import numpy as np

from generator.model import Document

MIN_TOKENS, MAX_TOKENS = 2, 4
MIN_CHARS = 3  # two characters are a pair, already an index term
REPEATS = 2  # a document keeps an n-gram it uses this many times or more
_B = np.uint64(0x100000001B3)  # odd, so it has an inverse modulo 2^64
_B_INV = np.uint64(pow(int(_B), -1, 1 << 64))


@lru_cache(maxsize=1)
def _space_table() -> np.ndarray:
    """Whether a code point is whitespace, for code points up to U+3001 (none above
    U+3000 is; larger codes are looked up at U+3001)."""
    return np.array([chr(c).isspace() for c in range(0x3002)], bool)


def _is_han(cp: np.ndarray) -> np.ndarray:
    return ((cp >= 0x3400) & (cp <= 0x9FFF)) | ((cp >= 0xF900) & (cp <= 0xFAFF))


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """B^i and B^-i modulo 2^64 for i < n (numpy's uint64 products wrap)."""
    with np.errstate(over="ignore"):
        up = np.cumprod(np.full(n, _B, np.uint64), dtype=np.uint64)
        down = np.cumprod(np.full(n, _B_INV, np.uint64), dtype=np.uint64)
    return np.concatenate([[np.uint64(1)], up[:-1]]), np.concatenate([[np.uint64(1)], down[:-1]])


def repeated_ngrams(tokens: list[str], text: str) -> list[str]:
    """The n-grams of 2–4 adjacent Han tokens (MIN_CHARS or more) that occur REPEATS or
    more times in the token stream, sorted. `tokens`: segment.cut(text), which drops
    whitespace tokens; two tokens are adjacent only where nothing stood between them in
    `text`."""
    if len(tokens) < MIN_TOKENS:
        return []
    stream = "".join(tokens)
    cp = np.frombuffer(stream.encode("utf-32-le"), dtype=np.uint32)
    lengths = np.fromiter(map(len, tokens), np.int64, len(tokens))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    han = _is_han(cp)
    # a token is Han when all its characters are: none of them is not
    tok_han = np.add.reduceat((~han).astype(np.int64), starts) == 0
    # contiguous with the next token in `text`: the stream is `text` without the dropped
    # whitespace; map each stream position back to its place in the text
    tcp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    kept = np.flatnonzero(~_space_table()[np.minimum(tcp, 0x3001)])
    if len(kept) == len(cp):
        joined = kept[starts[1:]] == kept[ends[:-1] - 1] + 1
    else:  # a token held whitespace after all: adjacency unknown, so take none
        return []
    link = tok_han[:-1] & tok_han[1:] & joined  # token i and i+1 can be in one n-gram
    n = len(cp)
    up, down = _powers(n + 1)
    with np.errstate(over="ignore"):
        prefix = np.concatenate([[np.uint64(0)], np.cumsum(cp.astype(np.uint64) * down[:n], dtype=np.uint64)])
    found_a: list[np.ndarray] = []
    found_b: list[np.ndarray] = []
    ok = np.ones(len(tokens) - 1, bool)
    for k in range(MIN_TOKENS, MAX_TOKENS + 1):
        ok = (ok[:-1] & link[k - 2 :]) if k > MIN_TOKENS else link.copy()
        if not len(ok):
            break
        i = np.flatnonzero(ok)
        a, b = starts[i], ends[i + k - 1]
        keep = (b - a) >= MIN_CHARS
        found_a.append(a[keep])
        found_b.append(b[keep])
    a = np.concatenate(found_a) if found_a else np.zeros(0, np.int64)
    b = np.concatenate(found_b) if found_b else np.zeros(0, np.int64)
    if not len(a):
        return []
    with np.errstate(over="ignore"):
        h = (prefix[b] - prefix[a]) * up[b - 1] ^ (b - a).astype(np.uint64)
    values, first, counts = np.unique(h, return_index=True, return_counts=True)
    pick = first[counts >= REPEATS]
    return sorted({stream[x:y] for x, y in zip(a[pick].tolist(), b[pick].tolist(), strict=True)})


def frequent_phrases(docs: list[Document], phrases_of: dict[str, str], length_of: dict[str, int],
                     limit: float, bytes_per_char: float) -> list[str]:
    """The phrases whose repeating documents' text costs the page more than `limit`
    bytes, sorted. `phrases_of`: per document id, its repeated n-grams joined by newlines
    (DocCounts.phrases); `length_of`: its length in Han characters, as the page counts
    the cost (DocTerms.length)."""
    cost: Counter[str] = Counter()
    for d in docs:
        got = phrases_of.get(d.id)
        if not got:
            continue
        c = length_of.get(d.id, 0) * bytes_per_char
        for p in got.split("\n"):
            cost[p] += c
    return sorted(p for p, c in cost.items() if c > limit)
