"""Exact counts of the archive's frequent strings, per year and per province (each by
genre), precomputed for the term-trends page.

Why: the page (docs/assets/trends.js) counts a term in the browser by loading the text
of every document that holds all of its character pairs. For a term in a few dozen
documents that is fast; for 发展, in nearly every document, it is the whole archive's
text (about 150 MB at 10,000 documents). Those are exactly the strings whose counts can
be computed once here: every search-index term (a Han character, a Han character pair,
a segmented word of three or more characters, a Latin or number word) whose candidate
documents' text is more than the page's budget; the phrases across tokens that
documents repeat, when those documents' text is more than the budget (trends_phrases.py);
and every keyword term, for data/trends.csv (and so that a keyword page's trend link is
exact at once).

Counts follow trends.js's definition exactly, so a precomputed count and one counted in
the browser never differ: the text is the document's paragraphs joined by newlines,
converted to simplified script character by character with the same OpenCC table
(t2s.js) and lowercased; a term is counted as a string, non-overlapping (Python's
str.count), and only in the documents the page would count it in (those holding each of
its character terms in the search index: for a character pair that is every document
holding it).

The vocabulary is decided from the corpus alone (which terms, sorted), so the same
corpus gives the same files byte for byte. A word of three or more characters is counted
in every document with one Aho-Corasick pass over the document's text for all such
words (pyahocorasick), not one str.count per word and document.

Where the work is done: the vocabulary is known only once every document is in, but most
of the counting is not tied to it. Each document's characters and pairs (with their
counts, as the page takes them) and the phrases it repeats are made in the per-document
worker (DocCounts, pipeline.process_source) and cached with the document
(.cache/documents), so the parent only merges them, applies the budget's cut and runs the
one Aho-Corasick pass for the chosen words, in the per-document stages' executor (the
local process pool, or the cluster with --cluster) when many documents are to be counted;
the words' counts per document are cached (.cache/trends/words.index and words-*.data), as
word numbers and occurrences, so a rebuild counts the words in new documents only, and in
the others only the words that became frequent since.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import ahocorasick
import numpy as np

from generator.cluster import executor
from generator.link.trends_phrases import frequent_phrases, repeated_ngrams
from generator.model import Document
from generator.publish import labels
from generator.publish.indexes import year_of
from generator.publish.search import DocTerms, compact_terms, t2s_table
from generator.runtime import default_workers, dump_pickle, generator_version

# Bytes of document text the trends page loads without asking (trends.js's default), and
# what one character of packed text costs it (trends.js's BYTES_PER_CHAR).
DEFAULT_BUDGET = 1_500_000
BYTES_PER_CHAR = 2.0
BUDGET_ENV = "GENERATOR_TRENDS_BUDGET"
_HAN = r"\u3400-\u9fff\uf900-\ufaff"
_HAN_ONLY = re.compile(f"[{_HAN}]+")


def budget() -> int:
    """The page's budget in bytes: a site may lower or raise it (GENERATOR_TRENDS_BUDGET);
    the same number goes to the page (tc/info.js), so both sides agree which terms are
    precomputed."""
    raw = os.environ.get(BUDGET_ENV, "").strip()
    if not raw:
        return DEFAULT_BUDGET
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{BUDGET_ENV}={raw!r}: expected a number of bytes") from exc
    if value < 0:
        raise ValueError(f"{BUDGET_ENV}={raw!r}: expected a number of bytes, not below 0")
    return value


@lru_cache(maxsize=1)
def _t2s() -> dict[int, str]:
    pairs = t2s_table()
    return {ord(pairs[i]): pairs[i + 1] for i in range(0, len(pairs) - 1, 2)}


@lru_cache(maxsize=1)
def _t2s_chars() -> re.Pattern[str]:
    """One character class of every character the table converts: a regex search tests a
    text in C without hashing each character (frozenset.isdisjoint took 0.8 ms a document)."""
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_t2s())) + "]")


def trend_text(doc: Document, convert: bool | None = None) -> str:
    """The text trends.js counts in: the d/ file's text (paragraphs joined by newlines),
    simplified character by character, then lowercased. `convert`: whether the text holds
    a character to convert, when the document's counts already say (DocCounts.convert)."""
    text = "\n".join(doc.paragraphs)
    if convert if convert is not None else _t2s_chars().search(text) is not None:
        text = text.translate(_t2s())
    return text.lower()


def _bigrams(term: str) -> list[str]:
    return [term[i : i + 2] for i in range(len(term) - 1)]


def _self_overlapping(term: str) -> bool:
    """Whether two occurrences of `term` can overlap (a proper prefix equals a suffix):
    only then does counting every match differ from str.count's non-overlapping count."""
    return any(term[:k] == term[-k:] for k in range(1, len(term)))


@dataclass(frozen=True)
class Facets:
    """What the page groups a document by: the first value of each facet in meta.js
    (year, place: its province or 全国, genre), '' when unknown."""

    year: str
    place: str
    genre: str


def facets_of(doc: Document) -> Facets:
    places = labels.place_names(doc)
    genre = doc.value("genre")
    return Facets(year_of(doc) or "", places[0] if places else "", str(genre) if genre else "")


_HAN_MASK_LO, _HAN_MASK_HI = 0x3400, 0x9FFF
_HAN2_LO, _HAN2_HI = 0xF900, 0xFAFF
_WORDS = re.compile(f"^[{_HAN}]{{3,}}$", re.M)
_LATIN_WORDS = re.compile(r"^[a-z0-9]{2,}$", re.M)


def _codes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The Han characters of `text` (code points) and the Han pairs within its runs
    (first × 2^21 + second), each as a sorted array of distinct values with counts laid
    out as (values, counts) pairs: the same characters and pairs search.py indexes."""
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    han = ((cp >= _HAN_MASK_LO) & (cp <= _HAN_MASK_HI)) | ((cp >= _HAN2_LO) & (cp <= _HAN2_HI))
    chars = cp[han]
    both = han[:-1] & han[1:]
    pairs = (cp[:-1][both] << 16) | cp[1:][both]  # Han characters here are all below U+10000
    return chars, pairs


def _code(term: str) -> int:
    """A character's or pair's code as _codes writes it."""
    return ord(term) if len(term) == 1 else (ord(term[0]) << 16) | ord(term[1])


def _pair(code: int) -> str:
    return chr(code >> 16) + chr(code & 0xFFFF)


def _doc_words(t: DocTerms) -> tuple[list[str], list[str]]:
    """A document's index words: Han words of three or more characters, Latin words."""
    return _WORDS.findall(t.keys), list(_latin_of(t.keys))


@lru_cache(maxsize=16)
def _latin_of(keys: str | None) -> tuple[str, ...]:
    """A document's Latin index words. Cached for the asks about one document in a row
    (its trends key and its words): a cache of every document's asks kept each keys string
    (about 12 KB) alive, so a pool worker grew by some 25 MB per 1,000 documents and the
    trends stage held up to 16,384 of them, for 0.08 ms a findall."""
    return tuple(_LATIN_WORDS.findall(keys)) if keys else ()


def _index_codes(doc: Document) -> np.ndarray:
    """The Han characters and pairs the search index has for a document (its candidates)."""
    chars, pairs = _codes(doc.search_text)
    return np.unique(np.concatenate([chars, pairs]))


CACHE_FORMAT = 3


@dataclass
class DocCounts:
    """One document's counts as the page would take them, for every vocabulary: each Han
    character and pair of its text (codes, occurrences; only those the search index has
    for it), and what counting the frequent words in it needs. Computed in the
    per-document worker (pipeline.process_source) and cached with the document in
    .cache/documents, so a build computes them once per new document and the parent only
    merges them: the vocabulary of words is known only once every document is in, so the
    words are counted afterwards (count_table).

    Held for every document until the trends stage, so packed: sorted codes as 16-bit
    steps (the few larger steps apart), counts as bytes (the few larger counts apart);
    3 bytes a code instead of 8."""

    steps: np.ndarray  # uint16: each code minus the previous one, low 16 bits
    big_at: np.ndarray  # int32: where a step is larger
    big: np.ndarray  # uint32: those steps
    low_counts: np.ndarray  # uint8: occurrences, at most 255
    over_at: np.ndarray  # int32: where a count is 255 or more
    over: np.ndarray  # uint32: those counts
    index: np.ndarray | None  # the index's codes where they differ from the text's (OpenCC)
    convert: bool  # whether the text holds a character t2s.js converts (trend_text)
    key: str  # of the text, the index and its Latin words: the word counts' cache key
    phrases: str = ""  # the token n-grams it repeats, joined by newlines (trends_phrases)

    @classmethod
    def pack(cls, values: np.ndarray, counts: np.ndarray, index: np.ndarray | None, convert: bool,
             key: str, phrases: str = "") -> DocCounts:
        steps = np.diff(values.astype(np.uint32), prepend=np.uint32(0))
        big_at = np.flatnonzero(steps > 0xFFFF).astype(np.int32)
        over_at = np.flatnonzero(counts >= 255).astype(np.int32)
        return cls(steps.astype(np.uint16), big_at, steps[big_at], np.minimum(counts, 255).astype(np.uint8),
                   over_at, counts[over_at].astype(np.uint32), index, convert, key, phrases)

    @property
    def values(self) -> np.ndarray:
        """The codes, sorted (uint32)."""
        steps = self.steps.astype(np.uint32)
        steps[self.big_at] = self.big
        return np.cumsum(steps, dtype=np.uint32)

    @property
    def counts(self) -> np.ndarray:
        """Each code's occurrences (uint32)."""
        counts = self.low_counts.astype(np.uint32)
        counts[self.over_at] = self.over
        return counts

    def index_codes(self) -> np.ndarray:
        return self.values if self.index is None else self.index


def _doc_key(doc: Document, t: DocTerms) -> str:
    h = hashlib.sha256(f"{CACHE_FORMAT}\0{generator_version()}\0".encode())
    h.update("\n".join(doc.paragraphs).encode("utf-8"))
    h.update(b"\0" + (doc.search_text.encode("utf-8") if doc.simplified is not None else b""))
    h.update(b"\0" + "\n".join(_latin_of(t.keys)).encode("utf-8"))
    return h.hexdigest()


def doc_counts(doc: Document, t: DocTerms, tokens: list[str] | None = None) -> DocCounts:
    """The document's DocCounts: one pass of numpy over its text; with its `tokens`
    (segment.cut of its search text), the n-grams it repeats."""
    raw = "\n".join(doc.paragraphs)
    convert = _t2s_chars().search(raw) is not None
    text = (raw.translate(_t2s()) if convert else raw).lower()
    chars, pairs = _codes(text)
    values, counts = np.unique(np.concatenate([chars, pairs]), return_counts=True)
    index = None
    if doc.simplified is not None:  # converted by OpenCC: the index may differ from the text
        index = _index_codes(doc)
        keep = np.isin(values, index, assume_unique=True)
        values, counts = values[keep], counts[keep]
    counts = counts.astype(np.uint32)
    same = (values >= (1 << 16)) & ((values >> 16) == (values & 0xFFFF))
    for k in np.flatnonzero(same).tolist():  # 'aa': non-overlapping, as str.count
        counts[k] = text.count(_pair(int(values[k])))
    phrases = "\n".join(repeated_ngrams(tokens, doc.search_text)) if tokens else ""
    return DocCounts.pack(values, counts, index, convert, _doc_key(doc, t), phrases)


class _LazyTerms:
    """A document's index terms, read from the build's store the first time they are asked for."""

    def __init__(self, terms_of: dict[str, DocTerms], doc: Document) -> None:
        self.terms_of, self.doc = terms_of, doc
        self.got: DocTerms | None = None

    def get(self) -> DocTerms:
        if self.got is None:
            self.got = self.terms_of.get(self.doc.id) or compact_terms(self.doc)
        return self.got


def _counts_of(doc: Document, t: DocTerms, counts: dict[str, DocCounts] | None) -> DocCounts:
    got = counts.get(doc.id) if counts is not None else None
    return got if got is not None else doc_counts(doc, t)


def frequent_terms(docs: list[Document], terms_of: dict[str, DocTerms], limit: int,
                   counts: dict[str, DocCounts] | None = None) -> list[str]:
    """Index terms whose candidates' text costs the page more than `limit` bytes, sorted.

    A character or a character pair: its candidates are the documents holding it. A word
    of three or more characters: the documents holding all of its pairs, at most as many
    as hold its rarest pair, so every word whose pairs are all over the limit is taken (a
    few more than needed, never one too few). A Latin word: the documents holding it.
    `counts`: the documents' DocCounts from the workers (each one's index codes), when
    the pipeline has them; computed here otherwise."""
    chunk_codes: list[np.ndarray] = []
    chunk_cost: list[np.ndarray] = []
    codes = np.zeros(0, np.uint32)
    cost = np.zeros(0, np.float64)
    latin: Counter[str] = Counter()
    words: set[str] = set()

    def merge() -> None:
        nonlocal codes, cost
        allc = np.concatenate([codes, *chunk_codes])
        allw = np.concatenate([cost, *chunk_cost])
        codes, inverse = np.unique(allc, return_inverse=True)
        cost = np.bincount(inverse, weights=allw, minlength=len(codes))
        chunk_codes.clear()
        chunk_cost.clear()

    for n, d in enumerate(docs):
        t = terms_of.get(d.id) or compact_terms(d)
        got = counts.get(d.id) if counts is not None else None
        present = got.index_codes() if got is not None else _index_codes(d)
        chunk_codes.append(present)
        chunk_cost.append(np.full(len(present), t.length * BYTES_PER_CHAR))
        w, lat = _doc_words(t)
        words.update(w)
        for x in lat:
            latin[x] += t.length * BYTES_PER_CHAR
        if n % 512 == 511:
            merge()
    merge()
    heavy_codes = codes[cost > limit]
    heavy = {chr(c) if c < (1 << 16) else _pair(c) for c in heavy_codes.tolist()}
    out = heavy | {w for w in words if all(b in heavy for b in _bigrams(w))}
    out |= {x for x, c in latin.items() if c > limit}
    return sorted(out)


def _automaton(words: list[str]) -> ahocorasick.Automaton | None:
    if not words:
        return None
    a = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for i, w in enumerate(words):
        a.add_word(w, i)
    a.make_automaton()
    return a


@dataclass
class _Vocabulary:
    """The terms to count, numbered in sorted order, with lookup tables for one pass."""

    terms: list[str]
    short_codes: np.ndarray  # sorted codes of the characters and pairs
    short_ids: np.ndarray  # their term numbers
    words: list[str]  # longer Han words and Latin words, for the automaton
    word_terms: np.ndarray  # each word's term number
    fingerprint: str  # of `words`: which words a cached document was counted for

    @classmethod
    def of(cls, terms: list[str]) -> _Vocabulary:
        short = [(i, t) for i, t in enumerate(terms) if len(t) <= 2 and _HAN_ONLY.fullmatch(t)]
        codes = np.array([_code(t) for _, t in short], dtype=np.uint32)
        order = np.argsort(codes)
        ids = np.array([i for i, _ in short], dtype=np.int64)
        long = [(i, t) for i, t in enumerate(terms) if not (len(t) <= 2 and _HAN_ONLY.fullmatch(t))]
        words = [t for _, t in long]
        fp = hashlib.sha256("\n".join(words).encode("utf-8")).hexdigest()[:32]
        return cls(terms, codes[order], ids[order], words, np.array([i for i, _ in long], dtype=np.int64), fp)


_SECOND = itemgetter(1)
_NONE = (np.zeros(0, np.int32), np.zeros(0, np.int32))


class _WordCounter:
    """Counts a list of words in texts with one Aho-Corasick automaton, keeping for each
    word what the count needs: the index codes a document must hold for the page to
    count the word in it (all its pairs), any Latin words it must hold, and whether two of
    its occurrences can overlap. The codes of all words are one array and the rest are
    masks, so a document's check is a few numpy calls: the automaton's hits are the only
    per-occurrence work, and nothing is done per word in Python but for the rare words
    with Latin parts or self-overlaps (a Counter and a loop over each document's distinct
    words took half the stage's time at 10,000 documents)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        need = [_must(w) for w in words]
        lengths = np.array([len(c) for c, _ in need], dtype=np.int64)
        self.start = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        self.codes = np.array([c for cs, _ in need for c in cs], dtype=np.uint32)
        self.latin = {i: lat for i, (_c, lat) in enumerate(need) if lat}
        # the page finds no candidate for a word with neither codes nor Latin parts
        self.never = np.array([not (c or lat) for c, lat in need], dtype=bool)
        self.special = np.zeros(len(words), dtype=bool)  # Latin parts to check, or overlaps to recount
        self.overlap = {i for i, w in enumerate(words) if _self_overlapping(w)}
        self.special[list(self.overlap | set(self.latin))] = True
        self.automaton = _automaton(words)

    def count(self, text: str, values: np.ndarray | None, latin: set[str]) -> tuple[np.ndarray, np.ndarray]:
        """(word numbers, occurrences) in `text` of the words the page would count in this
        document (`values`: its sorted index codes, None when they are the text's own;
        `latin`: its Latin index words), by word number."""
        if self.automaton is None:
            return _NONE
        hits = np.fromiter(map(_SECOND, self.automaton.iter(text)), np.int64)
        if not len(hits):
            return _NONE
        ids, n = np.unique(hits, return_counts=True)
        keep = ~self.never[ids]
        if values is not None:
            # the index differs from the text (converted by OpenCC): a word is a candidate
            # when the index holds all its codes. Otherwise every word found in the text has
            # its characters and pairs there, so the check cannot fail and is skipped.
            lo, hi = self.start[ids], self.start[ids + 1]
            lengths = hi - lo
            pos = (np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
                   + np.repeat(lo, lengths))
            need = self.codes[pos]
            at = np.searchsorted(values, need)
            at[at >= len(values)] = 0
            held = values[at] == need if len(values) else np.zeros(len(need), bool)
            missing = np.bincount(np.repeat(np.arange(len(ids)), lengths)[~held], minlength=len(ids))
            keep &= missing == 0
        for j in np.flatnonzero(keep & self.special[ids]).tolist():
            i = int(ids[j])
            if i in self.latin and not all(x in latin for x in self.latin[i]):
                keep[j] = False  # not a candidate for the page: it would not count it here
            elif i in self.overlap:
                n[j] = text.count(self.words[i])  # non-overlapping, as str.count
        return ids[keep].astype(np.int32), n[keep].astype(np.int32)


_PART = re.compile(f"[{_HAN}]+|[a-z0-9]+")


def _must(term: str) -> tuple[list[int], list[str]]:
    """The index terms the page requires of a candidate for `term` (search.js's
    parseQuery): each Han run's pairs (or its one character), each Latin run of two or
    more letters or digits. Neither: the page finds no candidate."""
    codes: list[int] = []
    latin: list[str] = []
    for part in _PART.findall(term):
        if _HAN_ONLY.fullmatch(part):
            codes.extend([ord(part)] if len(part) == 1 else [_code(b) for b in _bigrams(part)])
        elif len(part) >= 2:
            latin.append(part)
    return codes, latin


WORDS_CACHE = "words.pickle"  # the layout before _WordStore, removed when seen
WORDS_INDEX = "words.index"
WORDS_FORMAT = 3  # (fingerprint, word numbers, occurrences) per document, one record each

# One document's word counts: the fingerprint of the word list they index, word numbers
# in that list (int32) and occurrences (int32). Arrays, not {word: n}: 8 bytes a word
# where a dict took about 100, and they are held for every document until the cache is
# written.
WordCounts = tuple[str, np.ndarray, np.ndarray]


class _Counting:
    """The words' counts of one run: per document (by DocCounts.key) the vocabulary's
    fingerprint and its word numbers with occurrences, all in one file of the cache
    folder, so a rebuild counts the words in new documents only, and in the others only
    the words that became frequent since."""

    def __init__(self, vocab: _Vocabulary, cache_dir: Path | None) -> None:
        self.vocab = vocab
        self.cache_dir = cache_dir
        self.word_number = {w: i for i, w in enumerate(vocab.words)}
        # per old fingerprint: its words' numbers now (-1: no longer counted), and a
        # counter of the words new since with their numbers now
        self.since: dict[str, tuple[np.ndarray, _WordCounter, np.ndarray] | None] = {}
        self.hits = self.partial = self.misses = 0
        self.cached = _WordStore.open(cache_dir)
        self.now = _WordStore.new(cache_dir)
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            words_file = cache_dir / f"words-{vocab.fingerprint}.txt"
            if not words_file.exists():
                words_file.write_text("\n".join(vocab.words), encoding="utf-8")

    def _since(self, fp: str) -> tuple[np.ndarray, _WordCounter, np.ndarray] | None:
        if fp not in self.since:
            old_file = self.cache_dir / f"words-{fp}.txt" if self.cache_dir else None
            if old_file is None or not old_file.exists():
                self.since[fp] = None
            else:
                old = old_file.read_text(encoding="utf-8").split("\n")
                renumber = np.array([self.word_number.get(w, -1) for w in old], dtype=np.int32)
                added = sorted(set(self.word_number) - set(old))
                self.since[fp] = (renumber, _WordCounter(added),
                                  np.array([self.word_number[w] for w in added], dtype=np.int32))
        return self.since[fp]

    def known(self, doc: Document, t: DocTerms | _LazyTerms, dc: DocCounts, values: np.ndarray,
              ) -> tuple[np.ndarray, np.ndarray] | None:
        """The vocabulary's words in the document from the cache (`values`: dc.values,
        decoded once), counting only the words new since it was cached; None when the
        document is to be counted whole (a miss: `record` takes its counts)."""
        cached = self.cached.get(dc.key)
        fp = self.vocab.fingerprint
        if cached is None:
            return None
        if cached[0] == fp:
            self.hits += 1
            got = cached[1], cached[2]
            self.now.copy_from(self.cached, dc.key)
            return got
        elif (since := self._since(cached[0])) is not None:
            # count only the words new since; drop those no longer counted
            self.partial += 1
            renumber, added, added_numbers = since
            old_ids = renumber[cached[1]]
            kept = old_ids >= 0
            keys = t.get().keys if isinstance(t, _LazyTerms) else t.keys
            new_ids, new_n = added.count(trend_text(doc, dc.convert), _check(dc, values), set(_latin_of(keys)))
            ids = np.concatenate([old_ids[kept], added_numbers[new_ids]])
            order = np.argsort(ids, kind="stable")
            got = ids[order], np.concatenate([cached[2][kept], new_n])[order]
        else:
            return None
        self.now.put(dc.key, (fp, got[0], got[1]))
        return got

    def record(self, dc: DocCounts, got: tuple[np.ndarray, np.ndarray]) -> None:
        """A missed document's counts, counted whole."""
        self.misses += 1
        self.now.put(dc.key, (self.vocab.fingerprint, got[0], got[1]))

    def save(self) -> None:
        """Write the word counts when they changed (the cache then holds exactly this
        run's documents)."""
        if self.cache_dir is None or (not self.partial and not self.misses and len(self.now) == len(self.cached)):
            self.now.discard()
            self.cached.close()
            return
        self.now.commit()  # reads the records it keeps from self.cached: before closing it
        self.cached.close()

    def ids(self, values: np.ndarray, counts: np.ndarray, words: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """A document's vocabulary term numbers and occurrences."""
        vocab = self.vocab
        if len(vocab.short_codes) and len(values):
            pos = np.searchsorted(vocab.short_codes, values)
            pos[pos >= len(vocab.short_codes)] = 0
            hit = vocab.short_codes[pos] == values
            ids, occ = vocab.short_ids[pos[hit]], counts[hit].astype(np.int64)
        else:
            ids, occ = np.zeros(0, np.int64), np.zeros(0, np.int64)
        if not len(words[0]):
            return ids, occ
        return (np.concatenate([ids, vocab.word_terms[words[0]]]),
                np.concatenate([occ, words[1].astype(np.int64)]))


def _load(path: Path) -> dict[str, WordCounts]:
    """Every document's word counts in the cache at `path`'s folder (for tests and tools;
    the build reads them one at a time)."""
    store = _WordStore.open(path.parent)
    try:
        return {key: store.get(key) for key in store.index}
    finally:
        store.close()


class _WordStore:
    """The word counts of the trends cache, one pickled record per document in a data
    file, found by an index of offsets and read one record at a time (os.pread).

    They were one dict pickled whole: 2.34 GB at 100,000 documents, held in memory while
    the stage counted and read back whole by the next build, which made the trends stage
    the build's peak (5.2 GB; BENCHMARKS.md, "Fifth session"). Now memory holds the
    offsets. A new store writes its records to a data file of its own name, and its index
    (which names that file) replaces the old index whole at the end, so a build stopped
    midway leaves the previous cache as it was."""

    def __init__(self, folder: Path | None, data: Path | None, index: dict[str, tuple[int, int]]) -> None:
        self.folder = folder
        self.data = data
        self.index = index
        self._fh = None
        # records another store holds, copied only on commit: a rebuild that changes
        # nothing discards this store and so writes nothing
        self._refs: dict[str, tuple[int, int]] = {}
        self._source: _WordStore | None = None

    @classmethod
    def open(cls, folder: Path | None) -> _WordStore:
        """The cache as the last build left it (empty when missing, old or unreadable)."""
        if folder is None:
            return cls(None, None, {})
        try:
            with (folder / WORDS_INDEX).open("rb") as fh:
                fmt, name, index = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            return cls(folder, None, {})
        data = folder / str(name)
        if fmt != WORDS_FORMAT or not isinstance(index, dict) or not data.exists():
            return cls(folder, None, {})  # an older layout: counted again
        store = cls(folder, data, index)
        store._fh = data.open("rb")
        return store

    @classmethod
    def new(cls, folder: Path | None) -> _WordStore:
        if folder is None:
            return cls(None, None, {})
        folder.mkdir(parents=True, exist_ok=True)
        store = cls(folder, folder / f"words-{os.getpid()}-{time.time_ns()}.data", {})
        store._fh = store.data.open("wb")
        return store

    def __len__(self) -> int:
        return len(self.index) + len(self._refs)

    def _raw(self, key: str) -> bytes | None:
        where = self.index.get(key)
        if where is None or self._fh is None:
            return None
        return os.pread(self._fh.fileno(), where[1], where[0])

    def get(self, key: str) -> WordCounts | None:
        raw = self._raw(key)
        if raw is None:
            return None
        try:
            return pickle.loads(raw)
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return None  # a damaged record: the document is counted again

    def put(self, key: str, value: WordCounts) -> None:
        self._append(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def copy_from(self, other: _WordStore, key: str) -> None:
        """Keep another store's record as it is: its bytes are copied on commit, while
        `other` is still open (no unpickling and pickling again)."""
        where = other.index.get(key)
        if where is None:
            return
        if self._fh is None:
            self.index[key] = (0, 0)
            return
        self._refs[key] = where
        self._source = other

    def _append(self, key: str, raw: bytes) -> None:
        if self._fh is None:  # no cache folder: only the count matters
            self.index[key] = (0, 0)
            return
        off = self._fh.tell()
        self._fh.write(raw)
        self.index[key] = (off, len(raw))

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def discard(self) -> None:
        self.close()
        if self.data is not None:
            self.data.unlink(missing_ok=True)

    def commit(self) -> None:
        """Make this store the cache: the records it keeps from the old store are copied,
        its index replaces the old one, then every other data file of the folder goes."""
        if self._refs and self._source is not None and self._source._fh is not None:
            fd = self._source._fh.fileno()
            for key, (off, n) in self._refs.items():
                self._append(key, os.pread(fd, n, off))
        self._refs.clear()
        self.close()
        if self.folder is None or self.data is None:
            return
        dump_pickle(self.folder / WORDS_INDEX, (WORDS_FORMAT, self.data.name, self.index))
        for old in self.folder.glob("words-*.data"):
            if old != self.data:
                old.unlink(missing_ok=True)
        (self.folder / WORDS_CACHE).unlink(missing_ok=True)  # the whole-dict layout before


def _check(dc: DocCounts, values: np.ndarray) -> np.ndarray | None:
    """The codes a word's candidates are checked against: only where the index differs
    from the text (converted by OpenCC); see _WordCounter.count."""
    return values if dc.index is not None else None


# One document to count whole, as sent to a worker: its paragraphs joined, whether its
# text has characters to convert, the codes to check words against, its Latin words.
CountJob = tuple[str, bool, "np.ndarray | None", tuple[str, ...]]

_WORKER_COUNTER: dict[str, _WordCounter] = {}


def count_jobs(fingerprint: str, words: list[str], jobs: list[CountJob]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Count the words in a batch of documents (in a pool worker or in the parent). The
    automaton is built once per worker and vocabulary, not once per batch."""
    counter = _WORKER_COUNTER.get(fingerprint)
    if counter is None:
        _WORKER_COUNTER.clear()
        counter = _WORKER_COUNTER[fingerprint] = _WordCounter(words)
    out = []
    for raw, convert, check, latin in jobs:
        text = (raw.translate(_t2s()) if convert else raw).lower()
        out.append(counter.count(text, check, set(latin)))
    return out


# Documents read at a time, and how many of them must be counted whole for a pool of
# workers to pay for its start (about a second a worker: imports and the automaton).
BLOCK = 512
POOL_MIN_JOBS = 256


class _Counters:
    """Where the words are counted: in this process, or, once a block holds enough
    documents to count (a cold build), in the per-document stages' executor (the local
    process pool, or the cluster's workers with --cluster), a block's documents split in
    batches. The automaton's pass over each text is the trends stage's largest cost (two
    thirds of it at 10,000 documents), and one core of two sat idle during it. A block is
    submitted before the previous one is summed, so the parent's summing overlaps the
    workers' counting; results are taken in document order, so the table is the same
    whatever the number of workers."""

    def __init__(self, vocab: _Vocabulary, workers: int) -> None:
        self.vocab = vocab
        self.workers = workers
        self.stack = contextlib.ExitStack()
        self.pool: tuple[Executor, int] | None = None

    def submit(self, jobs: list[CountJob]) -> Callable[[], list[tuple[np.ndarray, np.ndarray]]]:
        if not jobs:  # every document of the block came from the cache
            return lambda: []
        fp, words = self.vocab.fingerprint, self.vocab.words
        if self.pool is None and self.workers > 1 and len(jobs) >= POOL_MIN_JOBS:
            self.pool = self.stack.enter_context(executor(self.workers))
        if self.pool is None:
            done = count_jobs(fp, words, jobs)
            return lambda: done
        pool, slots = self.pool
        size = max(1, -(-len(jobs) // (slots * 2)))
        futures = [pool.submit(count_jobs, fp, words, jobs[i : i + size]) for i in range(0, len(jobs), size)]
        return lambda: [r for f in futures for r in f.result()]

    def close(self) -> None:
        self.stack.close()


class _CellTotals:
    """Per cell of the table (year or place × genre): for every term of the vocabulary,
    the documents containing it and its occurrences, as two dense int32 arrays over the
    vocabulary's term numbers, a document added by two fancy-index increments (its term
    numbers are distinct). Summing by sorted merges of each cell's ids (CellSums, before)
    took 8 of the stage's 21 s at 10,000 documents, most of it sorting; dense arrays
    cost 8 bytes per term and cell (42 cells × 43,000 terms: 14 MB for the benchmark's
    archive; about 400 cells in a national one) and no sort. int32 holds any count of one
    cell: a character's occurrences in 100,000 documents stay far below 2^31."""

    def __init__(self, n_terms: int) -> None:
        self.n_terms = n_terms
        self.cells: dict[tuple[str, str, str], tuple[np.ndarray, np.ndarray]] = {}

    def add(self, cell: tuple[str, str, str], ids: np.ndarray, occ: np.ndarray) -> None:
        got = self.cells.get(cell)
        if got is None:
            got = self.cells[cell] = (np.zeros(self.n_terms, np.int32), np.zeros(self.n_terms, np.int32))
        got[0][ids] += 1
        got[1][ids] += occ.astype(np.int32)

    def pop(self, cell: tuple[str, str, str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(term numbers with an occurrence, documents containing, occurrences)."""
        containing, occurrences = self.cells.pop(cell)
        nz = np.flatnonzero(containing)
        return nz, containing[nz].astype(np.int64), occurrences[nz].astype(np.int64)


@dataclass
class TrendTable:
    """The counts of a run as arrays, one row per (term, cell) with any occurrence, sorted
    by term then cell: `terms` and `cells` (facet 'y' or 'p', value, genre) are sorted
    lists, rows point into them."""

    terms: list[str]
    cells: list[tuple[str, str, str]]
    term: np.ndarray
    cell: np.ndarray
    containing: np.ndarray
    occurrences: np.ndarray

    def as_dict(self) -> dict[str, dict[tuple[str, str, str], list[int]]]:
        """{term: {cell: [containing, occurrences]}}: for the tests and small tables."""
        out: dict[str, dict[tuple[str, str, str], list[int]]] = defaultdict(dict)
        for t, c, k, o in zip(self.term.tolist(), self.cell.tolist(), self.containing.tolist(),
                              self.occurrences.tolist(), strict=True):
            out[self.terms[t]][self.cells[c]] = [k, o]
        return dict(out)


def count_table(docs: list[Document], terms_of: dict[str, DocTerms], vocabulary: list[str],
                extra: list[str] | None = None, cache_dir: Path | None = None,
                stats: dict[str, int] | None = None, counts: dict[str, DocCounts] | None = None,
                workers: int | None = None) -> TrendTable:
    """Exact counts of `vocabulary` (and of `extra` strings, e.g. the keywords for
    trends.csv) per year × genre and province × genre: the characters and pairs from each
    document's DocCounts (`counts`, from the workers; computed here when missing), the
    words by one Aho-Corasick pass over each document or from the cache (`cache_dir`),
    in `workers` processes (default: as many as the per-document stages use)."""
    vocab = _Vocabulary.of(sorted(set(vocabulary) | set(extra or [])))
    counting = _Counting(vocab, cache_dir)
    counters = _Counters(vocab, default_workers() if workers is None else workers)
    by_cell = _CellTotals(len(vocab.terms))  # summed as read: flat in the documents

    def finish(block: list[list], result: Callable[[], list[tuple[np.ndarray, np.ndarray]]]) -> None:
        counted = iter(result())
        for f, values, occurrences, dc, got in block:
            if got is None:
                got = next(counted)
                counting.record(dc, got)
            ids, occ = counting.ids(values, occurrences, got)
            keep = occ > 0
            ids, occ = ids[keep], occ[keep]
            by_cell.add(("y", f.year, f.genre), ids, occ)
            by_cell.add(("p", f.place, f.genre), ids, occ)

    try:
        pending: tuple[list[list], Callable[[], list[tuple[np.ndarray, np.ndarray]]]] | None = None
        for start in range(0, len(docs), BLOCK):
            block: list[list] = []
            jobs: list[CountJob] = []
            for d in docs[start : start + BLOCK]:
                # the index terms only when needed: reading every document's took a second at 10,000
                t = _LazyTerms(terms_of, d)
                dc = counts.get(d.id) if counts is not None else None
                if dc is None:
                    dc = doc_counts(d, t.get())
                values = dc.values
                got = counting.known(d, t, dc, values)
                if got is None:
                    jobs.append(("\n".join(d.paragraphs), dc.convert, _check(dc, values), _latin_of(t.get().keys)))
                block.append([facets_of(d), values, dc.counts, dc, got])
            submitted = counters.submit(jobs)
            if pending is not None:
                finish(*pending)
            pending = (block, submitted)
        if pending is not None:
            finish(*pending)
    finally:
        counters.close()
    counting.save()
    if stats is not None:
        stats.update(cached=counting.hits, words_added=counting.partial, counted=counting.misses)
    cells = sorted(by_cell.cells)
    rows_t, rows_c, rows_k, rows_o = [], [], [], []
    for c, cell in enumerate(cells):
        nz, containing, occurrences = by_cell.pop(cell)
        rows_t.append(nz)
        rows_c.append(np.full(len(nz), c, dtype=np.int64))
        rows_k.append(containing)
        rows_o.append(occurrences)
    cat = (lambda xs: np.concatenate(xs) if xs else np.zeros(0, np.int64))  # noqa: E731
    term, cell, k, o = cat(rows_t), cat(rows_c), cat(rows_k), cat(rows_o)
    order = np.lexsort((cell, term))
    return TrendTable(vocab.terms, cells, term[order], cell[order], k[order], o[order])


def count_terms(docs: list[Document], terms_of: dict[str, DocTerms], vocabulary: list[str],
                extra: list[str] | None = None, cache_dir: Path | None = None,
                stats: dict[str, int] | None = None, counts: dict[str, DocCounts] | None = None,
                workers: int | None = None) -> dict[str, dict[tuple[str, str, str], list[int]]]:
    """count_table as {term: {cell: [containing, occurrences]}}."""
    return count_table(docs, terms_of, vocabulary, extra, cache_dir, stats, counts, workers).as_dict()


def phrase_terms(docs: list[Document], terms_of: dict[str, DocTerms], counts: dict[str, DocCounts] | None,
                 limit: float) -> list[str]:
    """The repeated phrases (trends_phrases) over the budget, as the page would query
    them (simplified by its table, lowercased), sorted."""
    if not counts:
        return []
    got = frequent_phrases(docs, {i: c.phrases for i, c in counts.items()},
                           {i: t.length for i, t in terms_of.items()}, limit, BYTES_PER_CHAR)
    return sorted({p.translate(_t2s()).lower() for p in got})


def keyword_terms(docs: list[Document]) -> list[str]:
    """The keyword index's terms (every document's keyword tags), simplified and lowercased
    as the page would count them."""
    return sorted({k.translate(_t2s()).lower() for d in docs for k in d.keywords if k.strip()})
