"""Passage-level text reuse: which paragraphs of a speech appear, copied with a few
changes, in other speeches of the archive, and which are the archive's common formulas.

Whole-document reposts are found in generator/link/__init__.py (Jaccard of 5-gram
shingles); this module looks inside documents, the way passim (Smith, Cordell and Mullen),
ARTFL's TextPAIR and the BLAST-based method of Vierthaler and Gelein (2019) do: a cheap,
sub-quadratic candidate step proposes pairs of passages that share rare character
n-grams (seeds), and only those pairs are aligned. The alignment tolerates changed
names, numbers and a few words, so a county report that repeats its city's passage with
its own name in it is still found.

The unit is the paragraph: paragraph number n is the 1-based index into
Document.paragraphs, the anchor `#p-N` on the speech page. Everything is compared in
simplified script and on Han characters only (numbers, Latin letters and punctuation
are the first things a copier changes, and they carry no wording), so a traditional
copy of a simplified passage aligns with itself.

Formulas that a large share of the archive repeats (以习近平新时代中国特色社会主义思想为指导…)
would link every speech with every other; their n-grams are recognised by their document
frequency, never used as seeds, and matched characters inside them do not count towards
a reuse. They are reported apart, as common formulas.

Alignments depend only on the two passages' texts, so they are cached per pair of text
hashes (.cache/reuse/): after one new document only the pairs it takes part in are aligned.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz.distance import LCSseq

from generator.model import Document

SEED = 8  # characters per seed n-gram: rare enough to be evidence, short enough to survive edits
SAMPLE = 4  # one n-gram in SAMPLE is indexed (chosen by its hash, so the same in every text)
MIN_SEEDS = 2  # sampled seeds two passages must share to be aligned
MIN_PIECE = 20  # Han characters an aligned piece inside one paragraph pair needs
MIN_CHARS = 50  # Han characters (outside formulas) a reuse between two documents needs
MIN_IDENTITY = 0.8  # matched characters / aligned length
MAX_GAP = 12  # characters of difference bridged inside one aligned span (a name, a few words)
EDGE_BLOCK = 4  # an aligned span starts and ends with a match at least this long
GAP_COST = 3  # score of a character of difference (a match scores 1): spans stay above 75% identity
XDROP = 30  # how far a span's score may fall below its best before the span ends
# A seed n-gram held by at least FORMULA_SHARE of the archive's documents, never fewer than
# FORMULA_MIN_DOCS and never more than FORMULA_MAX_DOCS, is formulaic: the archive's common
# language, not one speech copying another. The cap keeps the cost near linear: with a
# threshold growing with N, a phrase that many speeches share would pair more documents
# as the archive grows (size² pairs per seed); held by 50 documents, a passage is common
# language whatever the archive's size.
FORMULA_SHARE = 0.03
FORMULA_MIN_DOCS = 8
FORMULA_MAX_DOCS = 50
FORMULA_MIN_RUN = 16  # Han characters of formulaic n-grams in a row that make a listed formula
FORMULAS_LISTED = 50
NOTE_LINKS = 8  # other documents a paragraph's note links at most (earliest first)

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NOT_HAN = re.compile(r"[^\u3400-\u9fff\uf900-\ufaff]+")
_MIX = np.uint64(0x9E3779B97F4A7C15)
_FINAL = np.uint64(0xFF51AFD7ED558CCD)


@lru_cache(maxsize=1)
def _t2s() -> np.ndarray:
    """OpenCC's one-to-one traditional → simplified characters as a code point table. The
    Document's simplified text is converted only when the whole document is traditional;
    a traditional passage pasted into a simplified speech must unify with its source too,
    and a table lookup in numpy does that for millions of characters in milliseconds."""
    import opencc as opencc_pkg

    table = np.arange(0x30000, dtype=np.uint32)
    path = Path(opencc_pkg.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            simp = parts[1].split()[0]
            if len(simp) == 1 and simp != parts[0] and max(ord(parts[0]), ord(simp)) < len(table):
                table[ord(parts[0])] = ord(simp)
    return table


def simplify_chars(text: str) -> str:
    """Each traditional character replaced by its simplified form, one for one (so
    positions stay the same)."""
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    table = _t2s()
    inside = cp < len(table)
    out = np.where(inside, table[np.where(inside, cp, 0)], cp)
    return out.astype(np.uint32).tobytes().decode("utf-32-le")


def han(text: str) -> str:
    """The Han characters of a text in simplified script, in order: what reuse is
    measured on."""
    return simplify_chars(_NOT_HAN.sub("", text))


def han_paragraphs(paragraphs: list[str]) -> list[str]:
    """han() of each paragraph, the whole document converted in one array pass: a
    conversion per paragraph cost more in numpy's per-call overhead than in converting."""
    if not paragraphs:
        return []
    # a newline is not Han, so none survives _NOT_HAN, and the table maps Han to Han
    return simplify_chars("\n".join(_NOT_HAN.sub("", p) for p in paragraphs)).split("\n")


def _unique_sorted(k: np.ndarray) -> np.ndarray:
    k = np.sort(k)
    return k[np.concatenate(([True], k[1:] != k[:-1]))] if len(k) else k


def seed_hashes(text: str) -> np.ndarray:
    """64-bit hashes of every SEED-character n-gram of a Han-only text, by start position.
    A polynomial hash in wrapping uint64 arithmetic, mixed once at the end: fixed
    constants, so the same text gives the same hashes in every process and build."""
    if len(text) < SEED:
        return np.zeros(0, dtype=np.uint64)
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cp) - SEED + 1
    with np.errstate(over="ignore"):
        key = np.zeros(n, dtype=np.uint64)
        for k in range(SEED):
            key = key * _MIX + cp[k : k + n]
        key ^= key >> np.uint64(31)
        key *= _FINAL
        key ^= key >> np.uint64(29)
    return key


def sampled(keys: np.ndarray) -> np.ndarray:
    """The n-grams chosen for the index: those whose hash is 0 modulo SAMPLE. The choice
    depends on the n-gram alone, so two copies of a passage index the same n-grams."""
    return keys[keys % np.uint64(SAMPLE) == 0]


# ---------------------------------------------------------------- alignment

Block = tuple[int, int, int]  # (start in a, start in b, length) of an exact match


@dataclass(frozen=True)
class Span:
    """One aligned stretch of two passages (Han-only coordinates): a[a0:a1] ~ b[b0:b1]."""

    a0: int
    a1: int
    b0: int
    b1: int
    blocks: tuple[Block, ...]

    @property
    def matched(self) -> int:
        return sum(n for _, _, n in self.blocks)

    @property
    def length(self) -> int:
        return max(self.a1 - self.a0, self.b1 - self.b0)


def align(a: str, b: str) -> list[Span]:
    """Local alignments of two Han-only passages.

    rapidfuzz's LCS (bit-parallel, C++) gives the matching blocks of the best global
    alignment; the local ones are cut out of it as BLAST's X-drop extension does: each
    matched character scores +1 and each character of a gap between two blocks
    -GAP_COST; a span runs while its score stays positive and within XDROP of its best,
    never across a gap longer than MAX_GAP (a changed name, number or few words), and
    ends at its best point. It is then trimmed to start and end on a solid match, and
    kept when long and identical enough. Like a banded Smith-Waterman, it never bridges
    a long stretch of unrelated text, where a global alignment scatters single matches."""
    if a == b:
        return [Span(0, len(a), 0, len(b), ((0, 0, len(a)),))] if len(a) >= MIN_PIECE else []
    blocks = [(bl.a, bl.b, bl.size) for bl in LCSseq.editops(a, b).as_matching_blocks() if bl.size]
    spans: list[Span] = []

    def close(run: list[Block]) -> None:
        lo, hi = 0, len(run)
        while lo < hi and run[lo][2] < EDGE_BLOCK:
            lo += 1
        while hi > lo and run[hi - 1][2] < EDGE_BLOCK:
            hi -= 1
        if lo == hi:
            return
        kept = tuple(run[lo:hi])
        span = Span(kept[0][0], kept[-1][0] + kept[-1][2], kept[0][1], kept[-1][1] + kept[-1][2], kept)
        if span.matched >= MIN_PIECE and span.matched >= MIN_IDENTITY * span.length:
            spans.append(span)

    run: list[Block] = []
    score = best = best_end = 0
    for blk in blocks:
        if run:
            pa, pb, pn = run[-1]
            gap = max(blk[0] - pa - pn, blk[1] - pb - pn)
            score -= GAP_COST * gap
            if gap > MAX_GAP or score <= 0 or best - score > XDROP:
                close(run[:best_end])
                run = []
        if not run:
            score = 0
            best = best_end = 0
        run.append(blk)
        score += blk[2]
        if score > best:
            best, best_end = score, len(run)
    close(run[:best_end])
    return spans


class AlignmentCache:
    """Alignments by the pair of passage texts (their hashes): they depend on nothing
    else, so a rebuild aligns only pairs it has not seen. Pickle is safe here: the file
    is written only by this program into the project's own .cache/ folder."""

    def __init__(self, directory: Path | None) -> None:
        self.path = directory / "alignments.pickle" if directory else None
        self.old: dict[bytes, list[Span]] = {}
        self.used: dict[bytes, list[Span]] = {}
        self.hits = self.misses = 0
        if self.path and self.path.exists():
            try:
                with self.path.open("rb") as fh:
                    data = pickle.load(fh)
                if isinstance(data, dict):
                    self.old = data
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                self.old = {}

    def get(self, a: str, b: str) -> list[Span]:
        key = hashlib.blake2b(a.encode(), digest_size=12).digest() + hashlib.blake2b(b.encode(), digest_size=12).digest()
        spans = self.old.get(key)
        if spans is None:
            self.misses += 1
            spans = align(a, b)
        else:
            self.hits += 1
        self.used[key] = spans
        return spans

    def save(self) -> None:
        """Keep only the pairs this run used, so the file tracks the archive."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(self.used, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(self.path)


# ---------------------------------------------------------------- results


@dataclass
class ReusePair:
    """One reused passage: paragraphs a_n of document a reappear as paragraphs b_n of b.
    a is the earlier document when both dates are known and differ (by_date), else the
    smaller id, and the direction is unknown."""

    a: str
    a_n: list[int]
    b: str
    b_n: list[int]
    chars: int  # aligned length, Han characters
    identity: float  # matched characters / aligned length
    by_date: bool

    def record(self) -> dict[str, object]:
        return {"a": self.a, "a_n": self.a_n, "b": self.b, "b_n": self.b_n, "chars": self.chars,
                "identity": self.identity, "by_date": self.by_date}


@dataclass
class Formula:
    """A stretch of text that a large share of the archive repeats."""

    text: str  # as the earliest document holding it writes it (simplified script)
    han: str  # its Han characters, what was matched
    docs: int  # documents holding it
    first: tuple[str, int]  # (document id, paragraph number) of the earliest occurrence


@dataclass
class Reuse:
    pairs: list[ReusePair] = field(default_factory=list)
    formulas: list[Formula] = field(default_factory=list)
    formula_docs: int = 0  # the document frequency from which an n-gram is formulaic
    # per document id, per paragraph number: the other (document id, paragraph numbers),
    # earliest first
    notes: dict[str, dict[int, list[tuple[str, list[int]]]]] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)


def chronology(docs: list[Document]) -> dict[str, tuple[int, str, str]]:
    """Sort key per document: dated documents by date, then undated, ties by id."""
    out = {}
    for d in docs:
        date = d.value("date")
        out[d.id] = (0, str(date), d.id) if date else (1, "", d.id)
    return out


def direction(x: Document, y: Document) -> tuple[Document, Document, bool]:
    """(earlier, later, whether the dates decided). Dates of different precision that
    overlap (2021 and 2021-05-03) do not decide; the smaller id goes first then."""
    dx, dy = x.value("date"), y.value("date")
    if dx and dy:
        sx, sy = str(dx), str(dy)
        if not (sx.startswith(sy) or sy.startswith(sx)):
            return (x, y, True) if sx < sy else (y, x, True)
    return (x, y, False) if x.id < y.id else (y, x, False)


def _groups(docs: list[Document]) -> dict[str, str]:
    """Repost group of each document (smallest id of the group)."""
    from generator.link import repost_groups

    return repost_groups({d.id: d.duplicates for d in docs})


def _pairs_of_groups(starts: np.ndarray, size: int, tid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of passage ids inside each seed group of one size, vectorized."""
    members = tid[starts[:, None] + np.arange(size)[None, :]]
    i, j = np.triu_indices(size, k=1)
    return members[:, i].ravel(), members[:, j].ravel()


def formula_threshold(n_docs: int) -> int:
    """How many documents must hold an n-gram for it to be formulaic."""
    return min(FORMULA_MAX_DOCS, max(FORMULA_MIN_DOCS, int(np.ceil(FORMULA_SHARE * n_docs))))


def doc_frequency(keys: list[np.ndarray], occ: list[list[tuple[int, int]]], doc_tids: list[list[int]],
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(sorted n-gram hashes, how many documents hold each) from each distinct passage's
    sorted unique hashes. A passage counts once per document holding it, and a document
    holding one n-gram in several passages is corrected back to one. Memory follows the
    distinct passages, not one array per document, and the one large array is sorted in
    place: this is the reuse stage's largest allocation. Each passage's hashes appear once,
    weighted by the documents holding it (copying them once per document made this array
    grow with the archive's text, 93 KB a document at 4,000, issue 22)."""
    parts = [k for k in keys if len(k)]
    holders = [np.full(len(k), len({di for di, _ in o}), dtype=np.int64)  # verbatim copies count
               for k, o in zip(keys, occ, strict=True) if len(k)]
    if not parts:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    allk = np.concatenate(parts)
    weight = np.concatenate(holders)
    del parts, holders
    order = np.argsort(allk, kind="stable")
    allk, weight = allk[order], weight[order]
    del order
    starts = np.flatnonzero(np.concatenate(([True], allk[1:] != allk[:-1])))
    uk = allk[starts]
    df = np.add.reduceat(weight, starts) if len(starts) else np.zeros(0, np.int64)
    del allk, weight, starts
    repeats = []
    for tids in doc_tids:
        mine = sorted({t for t in tids if len(keys[t])})
        if len(mine) < 2:
            continue
        cat = np.sort(np.concatenate([keys[t] for t in mine]))
        extra = cat[1:][cat[1:] == cat[:-1]]  # every occurrence after a hash's first
        if len(extra):
            repeats.append(extra)
    if repeats:
        rk, rc = np.unique(np.concatenate(repeats), return_counts=True)
        df[np.searchsorted(uk, rk)] -= rc
    return uk, df


def find_reuse(docs: list[Document], cache_dir: Path | None = None) -> Reuse:
    """Seeds → candidate passage pairs → alignment → reuse between documents.

    Deterministic: passages are numbered in (document id, paragraph) order, candidate
    pairs are sorted, and every tie is broken by id."""
    docs = sorted(docs, key=lambda d: d.id)
    n_docs = len(docs)
    out = Reuse()
    if n_docs < 2:
        return out
    by_id = {d.id: d for d in docs}
    group = _groups(docs)
    fdf = formula_threshold(n_docs)
    out.formula_docs = fdf

    # distinct passages (Han-only, simplified) and where each occurs
    text_id: dict[str, int] = {}
    texts: list[str] = []
    occ: list[list[tuple[int, int]]] = []  # per passage: (document index, paragraph number)
    doc_tids: list[list[int]] = []
    for di, d in enumerate(docs):
        mine: list[int] = []
        paragraphs = d.simplified if d.simplified is not None else d.paragraphs
        for n, h in enumerate(han_paragraphs(paragraphs), start=1):
            if len(h) < MIN_PIECE:
                continue
            t = text_id.get(h)
            if t is None:
                t = text_id[h] = len(texts)
                texts.append(h)
                occ.append([])
            occ[t].append((di, n))
            mine.append(t)
        doc_tids.append(mine)
    del text_id
    keys = [_unique_sorted(sampled(seed_hashes(t))) for t in texts]

    # document frequency of every sampled n-gram → the formulaic ones
    uk, df = doc_frequency(keys, occ, doc_tids)
    formulaic = np.sort(uk[df >= fdf])
    del uk, df

    def is_formula(k: np.ndarray) -> np.ndarray:
        if not len(formulaic) or not len(k):
            return np.zeros(len(k), dtype=bool)
        pos = np.minimum(np.searchsorted(formulaic, k), len(formulaic) - 1)
        return formulaic[pos] == k

    # the seed index: (n-gram, passage) for every non-formulaic sampled n-gram
    # (int32 passage numbers and one array alive at a time: this is the stage's peak memory)
    lens = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    hk = np.concatenate(keys) if keys else np.zeros(0, np.uint64)
    tid = np.repeat(np.arange(len(keys), dtype=np.int32), lens)
    del keys, lens
    formula_hit = is_formula(hk)
    holds = set(np.unique(tid[formula_hit]).tolist())  # passages holding a formulaic n-gram
    hk, tid = hk[~formula_hit], tid[~formula_hit]
    del formula_hit
    order = np.argsort(hk, kind="stable")  # stable: passage numbers stay ascending in a group
    hk = hk[order]
    tid = tid[order]
    del order
    bounds = np.flatnonzero(np.concatenate(([True], hk[1:] != hk[:-1], [True])))
    starts, sizes = bounds[:-1], np.diff(bounds)
    del hk
    lefts, rights = [], []
    # a seed in more passages than a formula is in documents repeats inside documents
    # (a speech's own refrain); it is no evidence of copying and would cost size² pairs
    for size in np.unique(sizes[(sizes >= 2) & (sizes < fdf)]).tolist():
        li, ri = _pairs_of_groups(starts[sizes == size], size, tid)
        lefts.append(li)
        rights.append(ri)
    cand: list[tuple[int, int]] = []
    if lefts:
        left, right = np.concatenate(lefts), np.concatenate(rights)
        left, right = left.astype(np.int64), right.astype(np.int64)
        pk = np.minimum(left, right) * len(texts) + np.maximum(left, right)
        upk, cnt = np.unique(pk, return_counts=True)
        upk = upk[cnt >= MIN_SEEDS]
        cand = list(zip((upk // len(texts)).tolist(), (upk % len(texts)).tolist(), strict=True))
    del tid, starts, sizes, lefts, rights
    # a passage copied verbatim into other documents is its own candidate
    # (held by as many documents as a formula, it is one: reported as such, never paired)
    cand += [(t, t) for t in range(len(texts)) if 1 < len({di for di, _ in occ[t]}) < fdf]
    out.stats["passages"] = len(texts)
    out.stats["candidate_pairs"] = len(cand)

    def crosses(x: int, y: int) -> bool:
        """Whether two passages occur in two documents that are not reposts of each other."""
        gx = {group[docs[di].id] for di, _ in occ[x]}
        gy = {group[docs[di].id] for di, _ in occ[y]}
        return len(gx | gy) > 1

    cache = AlignmentCache(cache_dir)
    # paragraph-level links per (earlier doc, later doc): (a_n, b_n, aligned length, matched)
    links: dict[tuple[str, str, bool], list[tuple[int, int, int, int, int]]] = defaultdict(list)

    # Formulaic n-grams at full resolution, for the passages that hold a sampled one:
    # which characters of a passage are formula (and whether a reuse is more than a
    # shared formula) must not depend on which n-grams the sampling happened to pick.
    empty = np.zeros(0, np.uint64)
    ufk, fdfc = doc_frequency([_unique_sorted(seed_hashes(texts[t])) if t in holds else empty
                               for t in range(len(texts))], occ, doc_tids)
    formulaic_full = ufk[fdfc >= fdf]
    del ufk, fdfc
    masks: dict[int, np.ndarray] = {}

    def formula_mask(t: int) -> np.ndarray:
        """Characters of passage t covered by a formulaic n-gram."""
        if t not in masks:
            m = np.zeros(len(texts[t]), dtype=bool)
            if t in holds and len(formulaic_full):
                k = seed_hashes(texts[t])
                pos = np.minimum(np.searchsorted(formulaic_full, k), len(formulaic_full) - 1)
                for s in np.flatnonzero(formulaic_full[pos] == k).tolist():
                    m[s : s + SEED] = True
            masks[t] = m
        return masks[t]

    for x, y in sorted(cand):
        if not crosses(x, y):
            continue
        spans = cache.get(texts[x], texts[y])
        if not spans:
            continue
        mx = formula_mask(x)
        length = sum(s.length for s in spans)
        matched = sum(s.matched for s in spans)
        own = sum(int(np.count_nonzero(~mx[a : a + n])) for s in spans for a, _b, n in s.blocks)
        if own < MIN_PIECE:
            continue  # a shared formula and little else
        for dx, nx in occ[x]:
            for dy, ny in occ[y]:
                if dx == dy or group[docs[dx].id] == group[docs[dy].id]:
                    continue
                if x == y and (dx, nx) > (dy, ny):
                    continue  # each pair of occurrences of one passage once
                first, _second, by_date = direction(docs[dx], docs[dy])
                if first is docs[dx]:
                    links[(docs[dx].id, docs[dy].id, by_date)].append((nx, ny, length, matched, own))
                else:
                    links[(docs[dy].id, docs[dx].id, by_date)].append((ny, nx, length, matched, own))
    cache.save()
    out.stats["aligned_pairs"] = cache.misses
    out.stats["cached_alignments"] = cache.hits

    # adjacent paragraph links of one document pair make one passage (a passage split
    # into paragraphs differently in the two copies)
    for (a, b, by_date), lst in sorted(links.items()):
        lst = sorted(set(lst))
        runs: list[list[tuple[int, int, int, int, int]]] = []
        for item in lst:
            if runs:
                pa, pb = runs[-1][-1][0], runs[-1][-1][1]
                if item[0] in (pa, pa + 1) and item[1] in (pb, pb + 1):
                    runs[-1].append(item)
                    continue
            runs.append([item])
        for run in runs:
            length = sum(r[2] for r in run)
            matched = sum(r[3] for r in run)
            own = sum(r[4] for r in run)
            if own < MIN_CHARS or length < MIN_CHARS:
                continue
            out.pairs.append(ReusePair(a, sorted({r[0] for r in run}), b, sorted({r[1] for r in run}), length,
                                       round(matched / length, 3), by_date))
    out.pairs.sort(key=lambda p: (p.a, p.a_n, p.b, p.b_n))
    out.stats["reuse_pairs"] = len(out.pairs)

    when = chronology(docs)
    notes: dict[str, dict[int, dict[str, set[int]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    for p in out.pairs:
        for n in p.a_n:
            notes[p.a][n][p.b].update(p.b_n)
        for n in p.b_n:
            notes[p.b][n][p.a].update(p.a_n)
    out.notes = {did: {n: sorted(((o, sorted(ns)) for o, ns in others.items()), key=lambda e: when[e[0]])
                       for n, others in sorted(paras.items())}
                 for did, paras in sorted(notes.items())}
    out.formulas = _formulas(texts, occ, docs, formula_mask, when, by_id, fdf)
    return out


def _formulas(texts: list[str], occ: list[list[tuple[int, int]]], docs: list[Document],
              formula_mask: Callable[[int], np.ndarray], when: dict[str, tuple[int, str, str]],
              by_id: dict[str, Document], min_docs: int) -> list[Formula]:
    """Runs of formulaic n-grams at least FORMULA_MIN_RUN characters long, by how many
    documents hold the same run; a run inside a more widely held one is not listed again."""
    holders: dict[str, set[int]] = defaultdict(set)
    where: dict[str, tuple[tuple[int, str, str], str, int]] = {}
    for t, text in enumerate(texts):
        m = formula_mask(t) if len(text) >= SEED else np.zeros(0, dtype=bool)
        if not m.any():
            continue
        edges = np.flatnonzero(np.diff(np.concatenate(([0], m.astype(np.int8), [0]))))
        for s, e in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
            if e - s < FORMULA_MIN_RUN:
                continue
            run = text[s:e]
            for di, n in occ[t]:
                holders[run].add(di)
                key = when[docs[di].id]
                if run not in where or key < where[run][0]:
                    where[run] = (key, docs[di].id, n)
    ranked = sorted((r for r in holders if len(holders[r]) >= min_docs), key=lambda r: (-len(holders[r]), -len(r), r))
    chosen: list[Formula] = []
    for run in ranked:
        if any(run in c.han for c in chosen):
            continue
        _key, did, n = where[run]
        chosen.append(Formula(_original(by_id[did], n, run), run, len(holders[run]), (did, n)))
        if len(chosen) >= FORMULAS_LISTED:
            break
    return chosen


def _original(doc: Document, n: int, run: str) -> str:
    """The stretch of paragraph n (simplified) whose Han characters are `run`, with its
    punctuation and numbers as written: a formula is shown as the text has it."""
    para = (doc.simplified if doc.simplified is not None else doc.paragraphs)[n - 1]
    idx = [m.start() for m in _HAN.finditer(para)]
    h = simplify_chars("".join(para[i] for i in idx))
    s = h.find(run)
    if s < 0:
        return run
    return para[idx[s] : idx[s + len(run) - 1] + 1]
