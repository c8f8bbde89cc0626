"""A rebuild's search-index shards patched from the previous build's (issue 22, "adding
a document in seconds").

A term's postings (search.encode_postings) depend only on the numbers of the documents
that hold it and their tf codes. So after a small change a shard file s/<k>.js differs
from the previous build's only where a document was added, removed, changed (its terms
differ) or renumbered (documents are numbered in id order: one added before others
shifts them), and the shard count is the same. Re-encoding every shard from every
document's postings (spilled to disk, sorted, encoded: most of the stage at 10,000
documents) is then mostly wasted: a rebuild here reads the previous shard files instead,
decodes the postings of the shards that change (vectorized, a batch of shards at a
time), drops the postings of removed and changed documents, renumbers the others, adds
the postings of new and changed documents, and encodes them again with the same
encode_postings. Shards no document touches are kept as they are (Output.keep).

What the previous build's shards were made from is kept in .cache/search/shards.pickle:
the shard count, the documents in their order with the digest of their terms
(search_merge.terms_digest), the token of the postings cache whose term ids those
digests refer to (a removed or changed document's old terms are read there), and each
shard file's size and mtime as written. Every shard is encoded from scratch, as in a
cold build, when that state is missing, unreadable or of another build, when a shard
file is not as the previous build left it (edited, deleted), when the shard count
changes (the index crossed a power of two); the reason is printed when there was a state
to use. Dense postings (search_dense) are decoded like varints (decode_dense) and written
again by the same rule; a term's form depends only on its postings, so a kept shard is
what a cold build would write too. The files are
the same bytes either way (tests/test_search_reuse.py compares rebuilds after adding,
removing and changing documents with cold builds).
"""

from __future__ import annotations

import json
import pickle
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from generator.publish.search_dense import DIGIT_VALUE, decode_dense, varint_values
from generator.publish.search_merge import PostingsCache, fnv1a_many, terms_digest
from generator.runtime import dump_pickle

STATE = "shards.pickle"
FORMAT = 2  # 2: shards may hold dense postings (search.FORMAT 7); a format-1 state's shards
# were written without them, so a rebuild encodes every shard once
EMPTY = terms_digest("")  # a document without index terms: none in the postings cache either
BATCH = 256  # shards decoded and encoded together (numpy's per-call cost shared)


@dataclass
class ShardState:
    """What one build's shards were made from (see the module's docstring)."""

    shards: int
    ids: list[str]  # the documents, in their numbering order
    digests: list[bytes]  # their terms digests, in the same order
    token: bytes  # the postings cache (search_merge.PostingsCache) the digests' ids are in
    files: list[tuple[int, int]] = field(default_factory=list)  # (size, mtime_ns) of s/<k>.js


@dataclass
class Patch:
    """How this build's shards follow from the previous build's (plan)."""

    shards: int
    dirty: np.ndarray  # mask over the shards: those to decode and encode again
    remap: np.ndarray  # previous document number → this build's (-1: removed or changed)
    added: dict[int, tuple[list[str], bytes]]  # this build's number → terms, tf codes of new/changed ones


def load(cache_dir: Path | None) -> tuple[ShardState | None, str]:
    """The previous build's state, or None and why not ("" when there is none at all)."""
    if cache_dir is None or not (cache_dir / STATE).exists():
        return None, ""
    try:
        with (cache_dir / STATE).open("rb") as fh:
            data = pickle.load(fh)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None, f"{cache_dir / STATE} is of another format"
        state = data["state"]
        if not isinstance(state, ShardState) or len(state.files) != state.shards \
                or len(state.ids) != len(state.digests):
            return None, f"{cache_dir / STATE} is incomplete"
        return state, ""
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, KeyError,
            IndexError, TypeError, ValueError) as exc:
        return None, f"{cache_dir / STATE} is unreadable ({type(exc).__name__})"


def save(cache_dir: Path, state: ShardState, index_dir: Path) -> None:
    """Keep `state` with the shard files as they are now on disk (after this build wrote them)."""
    files = []
    for k in range(state.shards):
        st = (index_dir / "s" / f"{k}.js").stat()
        files.append((st.st_size, st.st_mtime_ns))
    state.files = files
    dump_pickle(cache_dir / STATE, {"format": FORMAT, "state": state})


def forget(cache_dir: Path | None) -> None:
    """Drop the state before shards are rewritten: a build that stops midway leaves none."""
    if cache_dir is not None:
        (cache_dir / STATE).unlink(missing_ok=True)


def shards_of(terms: Sequence[str], shards: int) -> np.ndarray:
    """The shard of each term (search.shard_key, FNV-1a, low bits), as in iter_index."""
    keys = [t[1:] if t[:1] == "#" else t for t in terms]
    return (fnv1a_many(keys) & np.uint32(shards - 1)).astype(np.int64)


def _old_shards(cache: PostingsCache, digest: bytes, k: int) -> np.ndarray | None:
    """The shards of a previous document's terms (by its digest), or None if unknown."""
    if digest == EMPTY:
        return np.zeros(0, np.int64)
    old = cache.peek(digest)
    return None if old is None else shards_of([cache.terms[i] for i in old.tolist()], k)


def plan(state: ShardState | None, ids: list[str], digests: list[bytes],
         fresh: dict[str, tuple[list[str], bytes]], cache: PostingsCache,
         index_dir: Path | None) -> tuple[Patch | None, str]:
    """How to patch the previous shards into this build's, whose documents are `ids` (in
    numbering order) with `digests`; `fresh` holds the terms and tf codes of every document
    the previous build did not have with that digest. None (and why, "" when it is simply
    the first build) when every shard must be encoded."""
    if state is None or index_dir is None:
        return None, ""
    if cache.token != state.token or not cache.terms:
        return None, "the postings cache is not the one the shards were made from"
    k = state.shards
    for j, (size, mtime) in enumerate(state.files):
        try:
            st = (index_dir / "s" / f"{j}.js").stat()
        except OSError:
            return None, f"{index_dir / 's' / f'{j}.js'} is missing"
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            return None, f"{index_dir / 's' / f'{j}.js'} is not as the previous build left it"
    dirty = np.zeros(k, bool)
    remap = np.full(len(state.ids), -1, np.int64)
    number = {d: n for n, d in enumerate(ids)}
    added: dict[int, tuple[list[str], bytes]] = {}
    for m, (d, g) in enumerate(zip(state.ids, state.digests, strict=True)):
        n = number.get(d)
        if n is not None and digests[n] == g:
            remap[m] = n
            continue
        old = _old_shards(cache, g, k)  # removed or changed: its old terms' shards
        if old is None:
            return None, "a previous document's terms are missing from the postings cache"
        dirty[old] = True
    kept = remap >= 0
    if not np.array_equal(remap[kept], np.arange(len(remap))[kept]):
        dirty[:] = True  # documents renumbered: their postings are in nearly every shard
    for n, d in enumerate(ids):
        if d in fresh:
            keys, codes = fresh[d]
            added[n] = (keys, codes)
            dirty[shards_of(keys, k)] = True
    return Patch(k, dirty, remap, added), ""


def explain(reason: str) -> None:
    """Say why a rebuild encodes every shard when a previous state was there to use."""
    if reason:
        print(f"search index: every shard encoded again: {reason}", file=sys.stderr)


def read_shard(path: Path) -> dict[str, str]:
    """A shard file's {term: postings} (search.script_file's format)."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index("{"), text.rindex("}") + 1
    data = json.loads(text[start:end])
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a shard")
    return data


def decode(values: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The postings strings of terms 0, 1, … → (term, document, tf code) per posting, by
    term, documents ascending within a term: encode_postings inverted, dense forms too."""
    dense = [i for i, v in enumerate(values) if v[:1] in ("!", "~")]
    if not dense:
        return _decode_varints(values)
    at = set(dense)
    rest = [i for i in range(len(values)) if i not in at]
    term, docs, codes = _decode_varints([values[i] for i in rest])
    parts = [(np.array(rest, np.int64)[term] if len(term) else term, docs, codes)]
    for i in dense:
        d, c = decode_dense(values[i])
        parts.append((np.full(len(d), i, np.int64), d, c))
    term, docs, codes = (np.concatenate(x) for x in zip(*parts, strict=True))
    return _by_term_and_document(term, docs, codes)


def _by_term_and_document(term: np.ndarray, docs: np.ndarray, codes: np.ndarray,
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The postings ordered by term, then document. They come as a few runs already in
    that order (the varint terms, each dense term, the new document's postings), so one
    stable sort of a combined key merges the runs (timsort) where a two-key lexsort sorted
    everything twice: with dense terms of thousands of documents in most shards, two
    lexsorts were a third of a rebuild's search index stage at 10,000 documents."""
    if not len(term):
        return term, docs, codes
    key = term.astype(np.int64) * (int(docs.max()) + 1) + docs
    order = np.argsort(key, kind="stable")
    return term[order], docs[order], codes[order]


def _decode_varints(values: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """decode of varint postings only."""
    raw = np.frombuffer("".join(values).encode("ascii"), np.uint8)
    if not len(raw):
        return (np.zeros(0, np.int64),) * 3  # type: ignore[return-value]
    lens = np.fromiter(map(len, values), np.int64, len(values))
    term_of_char = np.repeat(np.arange(len(values)), lens)
    digit = DIGIT_VALUE[raw]
    if (digit < 0).any():
        raise ValueError("a shard holds postings this build does not decode (dense or foreign)")
    vals, ends = varint_values(digit)
    term = term_of_char[ends]
    gaps = (vals >> 3) + 1
    csum = np.cumsum(gaps)
    first = np.flatnonzero(np.diff(term, prepend=-1))
    base = np.zeros(len(values), np.int64)
    base[term[first]] = csum[first] - gaps[first]
    docs = csum - base[term] - 1
    return term, docs, vals & 7


def patch_shards(index_dir: Path, patch: Patch, encode: Callable) -> Iterator[tuple[int, dict[str, str]]]:
    """(shard number, {term: postings}) of every dirty shard, patched (see the module's
    docstring); `encode` is search.encode_postings (with the build's dense_min)."""
    k = patch.shards
    by_shard: dict[int, list[tuple[str, int, int]]] = {}  # shard → (term, doc, tf code) added
    for n, (keys, codes) in sorted(patch.added.items()):
        for term, s, c in zip(keys, shards_of(keys, k).tolist(), codes, strict=True):
            by_shard.setdefault(s, []).append((term, n, c))
    dirty = np.flatnonzero(patch.dirty).tolist()
    for b in range(0, len(dirty), BATCH):
        batch = dirty[b: b + BATCH]
        terms: list[str] = []
        values: list[str] = []
        for s in batch:
            old = read_shard(index_dir / "s" / f"{s}.js")
            terms.extend(old)
            values.extend(old.values())
        term, docs, codes = decode(values)
        docs = patch.remap[docs] if len(docs) else docs
        alive = docs >= 0
        term, docs, codes = term[alive], docs[alive], codes[alive]
        index = dict(zip(terms, range(len(terms)), strict=True))
        new_t, new_d, new_c = [], [], []
        for s in batch:
            for t, n, c in by_shard.get(s, ()):
                i = index.get(t)
                if i is None:
                    i = index[t] = len(terms)
                    terms.append(t)
                new_t.append(i)
                new_d.append(n)
                new_c.append(c)
        term = np.concatenate([term, np.array(new_t, np.int64)])
        docs = np.concatenate([docs, np.array(new_d, np.int64)])
        codes = np.concatenate([codes, np.array(new_c, np.int64)])
        term, docs, codes = _by_term_and_document(term, docs, codes)  # what encode_postings expects
        out: dict[int, dict[str, str]] = {s: {} for s in batch}
        if len(term):
            text, tids, offsets, dense = encode(term.astype(np.int32), docs.astype(np.int32), codes.astype(np.uint8))
            names = [terms[i] for i in tids.tolist()]
            shard = shards_of(names, k).tolist()
            offs = offsets.tolist()
            for i, name in enumerate(names):
                out[shard[i]][name] = dense.get(i) or text[offs[i]: offs[i + 1]]
        yield from out.items()
