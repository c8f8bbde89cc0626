"""Which terms the trends page gets precomputed, from sums the previous build kept.

The choice (trends_counts.frequent_terms and phrase_terms) is a threshold on sums over the
documents: for each index character or pair, the cost of the documents holding it; for
each Latin word, the same; for each repeated phrase, the same; and which index words any
document holds. A new document only adds to those sums. Computing them read every
document's index terms and counts again (about 6 of the trends stage's 11 s after one new
document at 10,000), so the sums are kept in `.cache/trends/select.pickle` with the
documents they hold (by the key of their cached per-document results, pipeline.collect's
`doc_keys`) and each document's length; a rebuild whose documents are the kept ones plus
new ones adds the new ones' terms and applies the same thresholds. The costs are whole
numbers (a length times 2.0) summed in float64, exact far beyond any archive, so the sums
and the choice are those of a cold build, whatever the order documents came in
(tests/test_trends_memo.py compares them).

A document removed or changed (its key differs) cannot be subtracted without its old terms,
which the build no longer has: then every sum is computed again, as in a cold build, and
kept for the next one. So is anything unreadable in the file (with a note).
"""

from __future__ import annotations

import pickle
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from generator.link.trends_counts import (
    BYTES_PER_CHAR,
    DocCounts,
    _bigrams,
    _doc_words,
    _index_codes,
    _pair,
    _t2s,
)
from generator.model import Document
from generator.publish.search import DocTerms, compact_terms
from generator.runtime import dump_pickle, generator_version

MEMO = "select.pickle"
FORMAT = 1
MERGE_EVERY = 512  # documents' codes gathered before they are summed (as frequent_terms)


@dataclass
class SelectionSums:
    """The sums the choice of terms is made from, over a set of documents."""

    codes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))  # sorted
    cost: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float64))
    words: Counter[str] = field(default_factory=Counter)  # index words: documents holding each
    latin: Counter[str] = field(default_factory=Counter)  # Latin words: cost
    phrases: Counter[str] = field(default_factory=Counter)  # repeated phrases: cost
    _chunk_codes: list[np.ndarray] = field(default_factory=list, repr=False)
    _chunk_cost: list[np.ndarray] = field(default_factory=list, repr=False)

    def add(self, t: DocTerms, present: np.ndarray, phrases: str, phrase_length: int) -> None:
        """One document: its index terms, its index codes (characters and pairs), its
        repeated phrases (DocCounts.phrases) and the length they cost at (phrase_terms takes
        it from the index terms alone: 0 for a document without them)."""
        c = t.length * BYTES_PER_CHAR
        self._chunk_codes.append(present)
        self._chunk_cost.append(np.full(len(present), c))
        w, lat = _doc_words(t)
        self.words.update(set(w))
        for x in lat:
            self.latin[x] += c
        if phrases:
            pc = phrase_length * BYTES_PER_CHAR
            for p in phrases.split("\n"):
                self.phrases[p] += pc
        if len(self._chunk_codes) >= MERGE_EVERY:
            self.merge()

    def merge(self) -> None:
        if not self._chunk_codes:
            return
        allc = np.concatenate([self.codes, *self._chunk_codes])
        allw = np.concatenate([self.cost, *self._chunk_cost])
        self.codes, inverse = np.unique(allc, return_inverse=True)
        self.cost = np.bincount(inverse, weights=allw, minlength=len(self.codes))
        self._chunk_codes.clear()
        self._chunk_cost.clear()

    def frequent(self, limit: float) -> list[str]:
        """frequent_terms's choice from these sums."""
        self.merge()
        heavy_codes = self.codes[self.cost > limit]
        heavy = {chr(c) if c < (1 << 16) else _pair(c) for c in heavy_codes.tolist()}
        out = heavy | {w for w in self.words if all(b in heavy for b in _bigrams(w))}
        out |= {x for x, c in self.latin.items() if c > limit}
        return sorted(out)

    def frequent_phrases(self, limit: float) -> list[str]:
        """phrase_terms's choice from these sums (simplified and lowercased as the page
        queries them), sorted."""
        got = [p for p, c in self.phrases.items() if c > limit]
        return sorted({p.translate(_t2s()).lower() for p in got})

    def state(self) -> tuple:
        self.merge()
        return self.codes, self.cost, dict(self.words), dict(self.latin), dict(self.phrases)

    @classmethod
    def of_state(cls, state: tuple) -> SelectionSums:
        codes, cost, words, latin, phrases = state
        return cls(np.asarray(codes, np.uint32), np.asarray(cost, np.float64), Counter(words), Counter(latin),
                   Counter(phrases))


@dataclass
class Selection:
    """The trends stage's choice and what it knows of each document's length."""

    vocabulary: list[str]  # frequent terms, sorted
    phrases: list[str]  # frequent phrases not among them, sorted
    lengths: dict[str, int]  # document id → its Han length (DocTerms.length)
    added: int  # documents whose terms were read this run
    reused: int  # documents whose sums came from the previous build


def _add(sums: SelectionSums, lengths: dict[str, int], d: Document, terms_of: Mapping[str, DocTerms],
         counts: Mapping[str, DocCounts] | None) -> None:
    given = terms_of.get(d.id)
    t = given or compact_terms(d)
    got = counts.get(d.id) if counts is not None else None
    present = got.index_codes() if got is not None else _index_codes(d)
    sums.add(t, present, got.phrases if got is not None else "", given.length if given is not None else 0)
    lengths[d.id] = t.length


def _load(path: Path, limit: float) -> tuple[dict[str, str], dict[str, int], SelectionSums] | None:
    if not path.exists():
        return None
    try:
        with path.open("rb") as fh:
            saved = pickle.load(fh)
        if saved["format"] != FORMAT or saved["version"] != generator_version() or saved["limit"] != limit:
            return None  # another generator or budget: computed again
        return dict(saved["keys"]), dict(saved["lengths"]), SelectionSums.of_state(saved["sums"])
    except Exception as exc:  # noqa: BLE001 - any damage only costs the recomputation
        print(f"note: {path}: unreadable ({type(exc).__name__}: {exc}); the trends terms are chosen "
              f"from every document again", file=sys.stderr)
        return None


def select(docs: list[Document], terms_of: Mapping[str, DocTerms], counts: Mapping[str, DocCounts] | None,
           limit: float, cache_dir: Path | None = None, doc_keys: Mapping[str, str] | None = None) -> Selection:
    """The frequent terms and phrases of `docs` (as frequent_terms and phrase_terms choose
    them), from the previous build's sums when its documents are all still here,
    unchanged (`doc_keys`: each document's key), else from every document."""
    keyed = doc_keys is not None and cache_dir is not None and all(doc_keys.get(d.id) for d in docs)
    path = cache_dir / MEMO if cache_dir is not None else None
    kept = _load(path, limit) if keyed and path is not None else None
    assert doc_keys is not None or not keyed
    if kept is not None:
        keys, lengths, sums = kept
        now = {d.id for d in docs}
        if not all(i in now and doc_keys[i] == k for i, k in keys.items()):  # type: ignore[index]
            kept = None
    if kept is None:
        keys, lengths, sums = {}, {}, SelectionSums()
    fresh = [d for d in docs if d.id not in keys]
    for d in sorted(fresh, key=lambda d: d.id):
        _add(sums, lengths, d, terms_of, counts)
    if keyed and path is not None and fresh:
        keys.update({d.id: doc_keys[d.id] for d in fresh})  # type: ignore[index]
        path.parent.mkdir(parents=True, exist_ok=True)
        dump_pickle(path, {"format": FORMAT, "version": generator_version(), "limit": limit,
                           "keys": keys, "lengths": lengths, "sums": sums.state()})
    vocabulary = sums.frequent(limit)
    known = set(vocabulary)
    phrases = [p for p in sums.frequent_phrases(limit) if p not in known] if counts else []
    return Selection(vocabulary, phrases, {d.id: lengths[d.id] for d in docs}, len(fresh), len(docs) - len(fresh))
