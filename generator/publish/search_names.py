"""The names of a large facet (speakers, places) out of meta.js, in shards by their key.

meta.js is loaded by every search. At 100,000 documents it held 12,500 speaker names and
3,000 place names with their counts (183 KB of the 1 MB a query may load), though a query
needs none of them: results show the names their own d/ records carry. A facet with more
than INLINE_NAMES values therefore keeps only its size in meta.js; its names and counts
are in m/n-<facet>-<j>.js, a value in shard j = fnv1a(facet_key(facet, value)) & (shards − 1).
A URL filter (`speaker=趙 國強`) loads the one shard its own key names; the filter field
loads every shard only when the reader opens it; the trends page loads them all.

facet_key is search.js's facetKey, character for character: a speaker is one name across
scripts and spacing (the character table of t2s.js, white space as JavaScript's \\s,
interpuncts unified), any other value is itself. If the two ever disagreed for a value, the
client would find it in no shard and then read every shard (search.js needNames), so a
filter never fails for it, it only costs more bytes.
"""

from __future__ import annotations

import re
from functools import lru_cache

INLINE_NAMES = 300  # values of a facet kept in meta.js; a larger facet's names are sharded
NAME_SHARD_TARGET = 4_000  # bytes of names per m/n-<facet>-<j>.js the shard count aims at
MAX_NAME_SHARDS = 1 << 10
# JavaScript's \s (search.js uses /[\s\u3000]+/g), not Python's, which differs by a few
# control characters and U+FEFF
_JS_SPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")
_DOTS = str.maketrans({c: "·" for c in "•‧・．･∙⋅"})


@lru_cache(maxsize=1)
def _t2s() -> dict[int, str]:
    from generator.publish.search import t2s_table

    pairs = t2s_table()
    return {ord(pairs[i]): pairs[i + 1] for i in range(0, len(pairs) - 1, 2)}


def facet_key(facet: str, value: str) -> str:
    """The value as a filter compares it (search.js facetKey)."""
    if facet != "speaker":
        return str(value)
    return _JS_SPACE.sub("", value.lower().translate(_t2s())).translate(_DOTS)


def name_shards(names: list[str], counts: list[int]) -> int:
    """How many shards a facet's names go in: a power of two, ~NAME_SHARD_TARGET bytes each."""
    total = sum(len(n.encode("utf-8")) + 12 for n in names) + 8 * len(counts)
    k = 1
    while k < MAX_NAME_SHARDS and total / k > NAME_SHARD_TARGET:
        k *= 2
    return k


def name_files(facet: str, names: list[str], counts: list[int]) -> tuple[int, dict[str, dict[str, list]]]:
    """The shard count and {m/n-<facet>-<j>.js key: {value index: [name, documents]}}."""
    from generator.publish.search import fnv1a

    k = name_shards(names, counts)
    out: dict[str, dict[str, list]] = {f"n-{facet}-{j}": {} for j in range(k)}
    for i, (name, count) in enumerate(zip(names, counts, strict=True)):
        out[f"n-{facet}-{fnv1a(facet_key(facet, name)) & (k - 1)}"][str(i)] = [name, count]
    return k, out
