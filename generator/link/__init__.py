"""Link stage: whole-archive computations — IDF, keyword tags, similar speeches,
reposts (near-duplicates) and siblings.

Everything here is deterministic: documents are processed in id order and every tie
is broken by id, so two builds of one corpus give identical tags and links.
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from datasketch import MinHash
from scipy import sparse

from generator.annotate.segment import is_candidate
from generator.link.estimate import DenseEstimates
from generator.link.idf import blended_idf
from generator.link.neighbours import EXTRA_MAX, NeighbourMemo, keep_best
from generator.link.repost_bands import band_layout, candidate_pairs
from generator.link.shards import code_point_order, prep_arrays, tfidf_csr, tfidf_two_passes
from generator.model import Document, Duplicate, Related

TOP_K = 5
MIN_SCORE = 0.08
KEYWORDS_MIN, KEYWORDS_MAX = 5, 10
SHINGLE = 5
NUM_PERM = 128
MINHASH_SCHEME = "affine32"  # datasketch 2.x default, named so stored signatures stay comparable
# Character 5-gram Jaccard above which two texts are the same speech republished.
# Reposts measured on the seeds score 0.86–1.00; different speeches of the same genre
# and place stay below 0.35, so 0.7 leaves room for changed headers and footers.
REPOST_JACCARD = 0.7
ESTIMATE_FLOOR = REPOST_JACCARD - 0.2  # MinHash estimate below which a proposed pair is not checked
BLOCK = 256  # rows per block of the similarity product: memory O(BLOCK·N + N·k)

_HAN_ONLY = re.compile(r"[^\u3400-\u9fff]")


PHRASE_MIN = 3  # times a two-word phrase must recur in one document
PHRASE_BOND = 0.8  # share of its rarer word's occurrences the phrase must account for


def phrases(tokens: list[str], single: Counter[str] | None = None) -> Counter[str]:
    """Slogans the dictionary does not know ('同心克难', '重振柳州'): two adjacent
    content words that recur together in one document and seldom apart. Added beside
    their parts, so similarity still sees the words and the tag picks the stronger."""
    pairs: Counter[tuple[str, str]] = Counter(zip(tokens, tokens[1:], strict=False))
    single = Counter(tokens) if single is None else single
    frequent = {key for key, n in pairs.items() if n >= PHRASE_MIN}
    context: dict[tuple[str, str], set[tuple[str, str]]] = {}
    # each pair tokens[i], tokens[i + 1] for 1 <= i < len - 2, with the words around it
    for before, a, b, after in zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False):
        key = (a, b)
        if key in frequent:
            context.setdefault(key, set()).add((before, after))
    out: Counter[str] = Counter()
    for (a, b), n in pairs.items():
        if n < PHRASE_MIN or not (is_candidate(a) and is_candidate(b)) or len(a) + len(b) > 6:
            continue
        ctx = context.get((a, b), set())
        # always the same word before (or after): a fragment of a longer fixed
        # expression ('新|时代中国|特色'), not a phrase of its own
        before, after = {c[0] for c in ctx}, {c[1] for c in ctx}
        if any(len(side) == 1 and _HAN_ONLY.sub("", next(iter(side))) for side in (before, after)):
            continue
        if n >= PHRASE_BOND * min(single[a], single[b]) and is_candidate(a + b):
            out[a + b] = n
    return out


def term_counts(tokens: list[str], single: Counter[str] | None = None) -> Counter[str]:
    """One document's candidate terms and phrases with their counts: the per-document
    part of the TF-IDF, computed by the pipeline's workers (and cached). `single`:
    Counter(tokens), when the caller has it (the search terms count the same tokens)."""
    single = Counter(tokens) if single is None else single
    # each distinct token checked once; the counts keep the order of first occurrence
    return Counter({t: n for t, n in single.items() if is_candidate(t)}) + phrases(tokens, single)


@dataclass
class LinkPrep:
    """What link needs of one document that depends on that document alone, compact:
    10,000 documents' term counts as Python dicts took gigabytes."""

    keys: str  # the document's candidate terms and phrases, newline-joined, in term_counts() order
    numbers: bytes  # their counts, uint32
    signature: np.ndarray | None  # MinHash of its character 5-grams; None when too short

    @property
    def counts(self) -> dict[str, int]:
        keys = self.keys.split("\n") if self.keys else []
        return dict(zip(keys, np.frombuffer(self.numbers, dtype=np.uint32).tolist(), strict=True))


def prepare(doc: Document, single: Counter[str] | None = None) -> LinkPrep:
    c = term_counts(doc.tokens, single)
    return LinkPrep("\n".join(c), np.array(list(c.values()), dtype=np.uint32).tobytes(), signature(doc.search_text))


def tfidf_vectors(docs: list[Document], prepared: dict[str, LinkPrep] | None = None,
                  ) -> tuple[sparse.csr_matrix, list[str], dict[str, float]]:
    """Sublinear-TF × blended-IDF vectors over candidate terms, L2-normalized.

    Terms become integer ids as documents are read, so memory holds one small array per
    document rather than a dict; weights and norms are computed term by term in each
    document's own order, as before, so the vectors are the same to the last bit."""
    prepared = prepared or {}
    if docs and all(d.id in prepared for d in docs):  # the pipeline's case: rows read twice, not held
        return tfidf_two_passes([d.id for d in docs], prepared, blended_idf)
    ids_of: dict[str, int] = {}
    rows_ids: list[np.ndarray] = []  # per document: its terms' ids (int32) and counts (uint32)
    rows_n: list[np.ndarray] = []
    for d in docs:
        if d.id in prepared:
            ids, ns = prep_arrays(prepared[d.id], ids_of)
        else:
            c = term_counts(d.tokens)
            ids = np.fromiter((ids_of.setdefault(k, len(ids_of)) for k in c), dtype=np.int32, count=len(c))
            ns = np.fromiter(c.values(), dtype=np.uint32, count=len(c))
        rows_ids.append(ids)
        rows_n.append(ns)
    terms = list(ids_of)
    del ids_of
    df_arr = np.zeros(len(terms), dtype=np.int64)
    for ids in rows_ids:
        df_arr[ids] += 1  # a document's term ids are distinct
    df: Counter[str] = Counter(dict(zip(terms, df_arr.tolist(), strict=True)))
    del df_arr
    vocab, rank = code_point_order(terms)
    idf = blended_idf(len(docs), df)
    del df
    idf_list = [idf[t] for t in terms]
    mat = tfidf_csr(rows_ids, rows_n, idf_list, rank, len(vocab))
    return mat, vocab, idf


def pick_keywords(weights: list[tuple[str, float]]) -> list[str]:
    """Strongest terms first; a term contained in a stronger one (or containing it) is a
    duplicate of that concept and skipped, so 高质量 never sits next to 高质量发展."""
    chosen: list[str] = []
    for term, _w in weights:
        if any(term in c or c in term for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) >= KEYWORDS_MAX:
            break
    return chosen


def keywords(docs: list[Document], mat: sparse.csr_matrix, vocab: list[str]) -> None:
    """Each document's tags from its strongest terms. Sorting all of a document's ~1,000
    terms to use ten is most of the cost: the strongest SHORTLIST (and all tied with the
    last of them) are sorted first, and the whole row only if they do not yield enough."""
    ptr, idx, data = mat.indptr, mat.indices, mat.data
    for r, doc in enumerate(docs):
        cols, vals = idx[ptr[r] : ptr[r + 1]], data[ptr[r] : ptr[r + 1]]
        chosen: list[str] = []
        for limit in (SHORTLIST, len(vals)):
            if limit < len(vals):
                sel = vals >= np.partition(vals, len(vals) - limit)[len(vals) - limit]
            else:
                sel = np.ones(len(vals), dtype=bool)
            pairs = sorted(((vocab[c], float(v)) for c, v in zip(cols[sel].tolist(), vals[sel].tolist(), strict=True)),
                           key=lambda p: (-p[1], p[0]))
            chosen = pick_keywords(pairs)
            if len(chosen) >= KEYWORDS_MAX or limit >= len(vals):
                break
        doc.keywords = chosen


# ---------------------------------------------------------------- reposts


def shingles(text: str) -> set[str]:
    han = _HAN_ONLY.sub("", text)
    n = max(0, len(han) - SHINGLE + 1)
    return set(map(han.__getitem__, map(slice, range(n), range(SHINGLE, n + SHINGLE))))


# Odd 64-bit multipliers, one per position of a 5-gram (fixed, so keys are stable).
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD], dtype=np.uint64)


def shingle_keys(text: str) -> np.ndarray:
    """The same character 5-grams as shingles(), as sorted unique 64-bit keys: exact set
    arithmetic on them is a merge of two arrays instead of hashing thousands of Python
    strings. (Five Han characters need 74 bits, so a key is a mixed hash: two distinct
    5-grams share one with probability about 2^-64, never seen in practice.)"""
    han = _HAN_ONLY.sub("", text)
    if len(han) < SHINGLE:
        return np.zeros(0, dtype=np.uint64)
    cp = np.frombuffer(han.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cp) - SHINGLE + 1
    with np.errstate(over="ignore"):
        key = np.zeros(n, dtype=np.uint64)
        for k in range(SHINGLE):
            key = (key ^ cp[k : k + n]) * _MIX[k]
        key ^= key >> np.uint64(29)
    key.sort()
    return key[np.concatenate(([True], key[1:] != key[:-1]))]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard of two sorted unique key arrays, without building the union."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return 0.0
    pos = np.searchsorted(b, a)
    pos[pos == len(b)] = 0
    inter = int(np.count_nonzero(b[pos] == a))
    return inter / (len(a) + len(b) - inter)


_UTF8_WIDTH = 3  # bytes of every character _HAN_ONLY keeps (U+3400..U+9FFF) in UTF-8


@functools.lru_cache(maxsize=1)
def _crc_tables() -> tuple[int, np.ndarray]:
    """CRC-32 of a zero 5-gram, and per byte position the change one byte value makes.

    CRC-32 is linear over XOR for messages of one length: crc(x ^ y) = crc(x) ^ crc(y) ^
    crc(0). Every 5-gram of Han characters is 15 bytes of UTF-8, so its CRC is the zero
    message's CRC with fifteen table entries XORed in: numpy computes every 5-gram's CRC
    of a document at once, the value zlib.crc32 gives its UTF-8 bytes."""
    width = SHINGLE * _UTF8_WIDTH
    zero = zlib.crc32(bytes(width))
    table = np.zeros((width, 256), dtype=np.uint32)
    for pos in range(width):
        msg = bytearray(width)
        for value in range(1, 256):
            msg[pos] = value
            table[pos, value] = zlib.crc32(msg) ^ zero
    return zero, table


def shingle_crcs(text: str) -> np.ndarray:
    """zlib.crc32 of the UTF-8 of each character 5-gram of shingles(), in text order
    (repeats included), as uint32."""
    han = _HAN_ONLY.sub("", text)
    n = len(han) - SHINGLE + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint32)
    zero, table = _crc_tables()
    raw = np.frombuffer(han.encode(), dtype=np.uint8)
    out = np.full(n, zero, dtype=np.uint32)
    for pos in range(SHINGLE * _UTF8_WIDTH):
        out ^= table[pos][raw[pos : pos + _UTF8_WIDTH * n : _UTF8_WIDTH]]
    return out


def signature(text: str) -> np.ndarray | None:
    """MinHash of a text's character 5-grams (None for texts too short to compare).

    The hash of a 5-gram is zlib.crc32 of its UTF-8 (a deterministic C hash, several
    times faster than the default sha1), computed for the whole text in one array pass
    (shingle_crcs) instead of one Python call per 5-gram; the signature is the one
    datasketch gives when it hashes the 5-grams itself (tests/test_link.py)."""
    crcs = shingle_crcs(text)
    if len(crcs) < 20:
        return None
    crcs = np.unique(crcs)
    # distinct hashes are distinct 5-grams; only a text near the limit needs its strings
    if len(crcs) < 20 and len(shingles(text)) < 20:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int, scheme=MINHASH_SCHEME)
    m.update_batch(crcs.tolist())  # order does not matter to a MinHash
    return m.hashvalues


def find_reposts(docs: list[Document], prepared: dict[str, LinkPrep] | None = None,
                 only: set[str] | None = None, known: dict[str, list[Duplicate]] | None = None,
                 ) -> dict[str, list[Duplicate]]:
    """MinHash-LSH proposes candidate pairs cheaply; exact Jaccard on the shingles then
    decides, so the reported similarity is the real one, not an estimate. Signatures
    come precomputed from the pipeline's workers where available; shingle sets are
    built only for documents in a candidate pair.

    With `only`, the exact Jaccard is computed only for pairs involving those ids, and
    the other documents' pairs are taken from `known` (what an earlier build found: a
    pair's Jaccard depends on its two texts alone, so the result is the same)."""
    prepared = prepared or {}
    by_id = {d.id: d for d in docs}
    # LSH only proposes; a missed candidate is a missed repost, so the banding is weighted
    # against false negatives (25 bands of 4: a pair at Jaccard 0.7 is proposed with
    # probability 0.999; with the default weights it was 0.79, and a measured 0.72 repost
    # went unreported). Extra candidates cost one exact Jaccard each.
    bands, rows = band_layout(REPOST_JACCARD * 0.85, NUM_PERM, (0.05, 0.95))
    signed: list[str] = []  # ids with a signature, in id order, and the signatures as one array
    sigs: list[np.ndarray] = []
    for d in sorted(docs, key=lambda d: d.id):
        sig = prepared[d.id].signature if d.id in prepared else signature(d.search_text)
        if sig is not None:
            signed.append(d.id)
            sigs.append(sig)
    table = np.stack(sigs) if sigs else np.zeros((0, NUM_PERM), dtype=np.uint32)
    del sigs

    @functools.lru_cache(maxsize=512)  # ≤ 512 × 8 bytes × a document's 5-grams
    def shingles_of(did: str) -> np.ndarray:
        return shingle_keys(by_id[did].search_text)

    out: dict[str, list[Duplicate]] = {d.id: [] for d in docs}
    if only is not None:
        for did, found in (known or {}).items():
            out[did].extend(x for x in found if x.id not in only)
    # each unordered pair once, by the first id and then the second
    # The banding proposes many pairs far below the threshold (it is tuned against
    # misses); their signatures already say so, and candidate_pairs drops them as it finds
    # them. A pair at the threshold shows an estimate under ESTIMATE_FLOOR with probability
    # < 1e-6 (128 permutations, standard error 0.04), far below the banding's own miss rate
    # (1e-3).
    for a, b in candidate_pairs(table, bands, rows, min_equal=math.ceil(ESTIMATE_FLOOR * NUM_PERM)).tolist():
        did, other = signed[a], signed[b]
        if only is not None and did not in only and other not in only:
            continue
        j = jaccard(shingles_of(did), shingles_of(other))
        if j >= REPOST_JACCARD:
            out[did].append(Duplicate(other, round(j, 3)))
            out[other].append(Duplicate(did, round(j, 3)))
    for dups in out.values():
        dups.sort(key=lambda x: (-x.similarity, x.id))
    return out


def repost_groups(dups: dict[str, list[Duplicate]]) -> dict[str, str]:
    """Union-find over repost pairs → id of the group's representative (smallest id)."""
    parent = {k: k for k in dups}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, lst in dups.items():
        for d in lst:
            ra, rb = find(a), find(d.id)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {k: find(k) for k in dups}


# ---------------------------------------------------------------- similarity


def dense_row(mat: sparse.csr_matrix, a: int) -> np.ndarray:
    row = np.zeros(mat.shape[1], dtype=mat.dtype)
    lo, hi = mat.indptr[a], mat.indptr[a + 1]
    row[mat.indices[lo:hi]] = mat.data[lo:hi]
    return row


def shared_terms(mat: sparse.csr_matrix, vocab: list[str], a: int, b: int, n: int = 4,
                 row_a: np.ndarray | None = None) -> list[str]:
    """The strongest terms two documents share (product of their weights), read straight
    from the CSR arrays: scipy's getrow/multiply cost more than the arithmetic here."""
    ia, ib = mat.indptr, mat.indices
    if row_a is None:
        row_a = dense_row(mat, a)
    cb, vb = ib[ia[b] : ia[b + 1]], mat.data[ia[b] : ia[b + 1]]
    prod = row_a[cb] * vb  # nonzero exactly on the shared terms, in column order
    keep = prod != 0
    common, prod = cb[keep], prod[keep]
    # the chosen terms nearly always come from the strongest few: sort those (with every
    # term tied with the last of them), and everything only if they do not suffice
    few = SHORTLIST if len(prod) > SHORTLIST else len(prod)
    for limit in (few, len(prod)):
        if limit < len(prod):
            cut = np.partition(prod, len(prod) - limit)[len(prod) - limit]
            sel = prod >= cut
        else:
            sel = np.ones(len(prod), dtype=bool)
        pairs = sorted(((vocab[c], float(v)) for c, v in zip(common[sel].tolist(), prod[sel].tolist(), strict=True)),
                       key=lambda p: (-p[1], p[0]))
        chosen = pick_keywords(pairs)
        if len(chosen) >= n or limit == len(prod):
            return chosen[:n]
    return []


SHORTLIST = 64  # candidates sorted exactly per row (and per shared-terms pair) before falling back


def _ranked(row_cols: np.ndarray, row_vals: np.ndarray, ids: list[str], i: int,
            limit: int | None) -> list[tuple[float, str, int]]:
    """Candidates of row i, best first by (score rounded to 6 places, id): the `limit`
    strongest (and any tied with the last) sorted exactly, or all when limit is None."""
    mask = row_cols != i
    cols, vals = row_cols[mask], row_vals[mask]
    if limit is not None and len(vals) > limit:
        cut = np.partition(vals, len(vals) - limit)[len(vals) - limit] - 1e-6
        sel = vals >= cut
        cols, vals = cols[sel], vals[sel]
    return sorted(((float(v), ids[c], c) for c, v in zip(cols.tolist(), vals.tolist(), strict=True)),
                  key=lambda p: (-round(p[0], 6), p[1]))


DENSE_BLOCK = 1024  # rows per block when scores are first estimated densely
DENSE_MAX_BYTES = 512 * 2**20  # the float32 vectors estimating holds at once (whole, or a column chunk)
# Estimated scores within this of the shortlist's last one are rescored exactly: float32
# dot products of unit vectors are off by well under 1e-5.
DENSE_MARGIN = 1e-3


def _dense_estimates(mat: sparse.csr_matrix) -> DenseEstimates | None:
    """The vectors as float32 for estimating (link/estimate.py: whole, or a column chunk
    at a time past DENSE_MAX_BYTES) when a dense product is the cheaper way to find each
    document's strongest candidates, else None.

    A sparse product costs the sum over terms of df², a dense one n²·V multiply-adds done
    by BLAS about fifty times faster each. A small vocabulary shared by most documents (a
    genre's own language, or synthetic text) makes the sparse product nearly dense and
    the dense one much faster; a large vocabulary keeps the sparse product."""
    n, v = mat.shape
    if n < 2 * DENSE_BLOCK:
        return None
    df = np.bincount(mat.indices, minlength=v).astype(np.float64)
    if float(df @ df) * 50 < float(n) * n * v:
        return None
    return DenseEstimates(mat, DENSE_MAX_BYTES, DENSE_BLOCK)


def _exact_row(mat: sparse.csr_matrix, i: int, cands: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosines of document i with `cands` (all documents when None), nonzero only.
    Each sum runs over the shared terms in column order, as in the block product, so the
    scores are the same to the last bit whichever way they were found."""
    sub = mat if cands is None else mat[cands]
    col = (sub @ mat[i].T).tocoo()
    rows = col.row if cands is None else cands[col.row]
    order = np.argsort(rows, kind="stable")
    rows, vals = rows[order], col.data[order]
    keep = vals != 0
    return rows[keep].astype(np.int64), vals[keep]


DENSE_ERROR = 1e-4  # bound of a float32 estimate's error, for the bounds kept for the next build


def _pick(cand: list[tuple[float, str, int]], ids: list[str], i: int, group: dict[str, str],
          members: Counter[str], mat: sparse.csr_matrix, vocab: list[str]) -> tuple[list[Related], bool, float]:
    """Row i's similar speeches from ranked candidates: the list, whether the candidates
    ran out before it was full (and before MIN_SCORE), and the last accepted score."""
    seen_groups = {group[ids[i]]}
    out: list[Related] = []
    exhausted = True
    row_i = None
    last = 0.0
    for score, oid, c in cand:
        if score < MIN_SCORE:
            exhausted = False
            break
        g = group[oid]
        if g in seen_groups:
            continue
        seen_groups.add(g)
        if row_i is None:
            row_i = dense_row(mat, i)
        out.append(Related(oid, round(score, 3), shared_terms(mat, vocab, i, c, row_a=row_i), members[g] - 1))
        last = score
        if len(out) >= TOP_K:
            exhausted = False
            break
    return out, exhausted, last


def _from_memo(memo: NeighbourMemo, i: int, mat: sparse.csr_matrix, ids: list[str], group: dict[str, str],
               members: Counter[str], vocab: list[str]) -> list[Related] | None:
    """Row i from its candidates of the previous build (see link/neighbours.py), or None
    when the bound does not rule out every other document."""
    found = memo.candidates(i)
    if found is None:
        return None
    cands, base = found
    # scoring the candidates costs their terms; the whole row, the document frequencies of
    # its own terms (the block product): when the first is not clearly cheaper, do the second
    if not memo.cheaper(cands, i):
        return None
    cols, vals = _exact_row(mat, i, cands)
    out, _exhausted, last = _pick(_ranked(cols, vals, ids, i, None), ids, i, group, members, mat, vocab)
    # document j outside the candidates scores at most base + Δ_j: rescore every j for
    # which that reaches the threshold (ranks use scores rounded to 6 places, hence 1e-6)
    threshold = last - 1e-6 if len(out) >= TOP_K else MIN_SCORE
    need = memo.moved_over(threshold - base, EXTRA_MAX + len(cands))
    if need is None:
        return None
    extra = np.setdiff1d(need[need != i], cands)
    if len(extra) > EXTRA_MAX:
        return None
    if len(extra):
        cands = np.union1d(cands, extra)
        more_cols, more_vals = _exact_row(mat, i, extra)  # the ranking's order does not depend on the input's
        cols, vals = np.concatenate([cols, more_cols]), np.concatenate([vals, more_vals])
        out, _exhausted, last = _pick(_ranked(cols, vals, ids, i, None), ids, i, group, members, mat, vocab)
        # more candidates never lower a full list's last score; a list that only now
        # filled must not end below the threshold the left-out documents were held to
        if (last - 1e-6 if len(out) >= TOP_K else MIN_SCORE) < threshold:
            return None
    memo.rows[i] = keep_best(cols, vals, i, base + memo.most_moved_outside(cands, i))
    return out


def similar(docs: list[Document], mat: sparse.csr_matrix, vocab: list[str], group: dict[str, str],
            memo: NeighbourMemo | None = None) -> None:
    """Top-k cosine neighbours, computed a block of rows at a time so memory grows
    with N·k rather than N². A document's own reposts are skipped; any other repost
    group contributes only its best-matching member.

    Where the vectors are nearly dense (_dense_estimates), a float32 BLAS product first
    estimates every score, and only the shortlist it yields is scored exactly; the ranking
    then uses exact scores only, so the result is the one the sparse product gives.

    With a `memo` of the previous build, a row is first rescored over its old candidates
    and the documents that changed, and computed whole only when that cannot be proved
    to give the same list (link/neighbours.py); each row's candidates are kept in it."""
    n = len(docs)
    ids = [d.id for d in docs]
    members: Counter[str] = Counter(group[i] for i in ids)
    todo = list(range(n))
    if memo is not None:
        todo = []
        for i in range(n):
            found = _from_memo(memo, i, mat, ids, group, members, vocab)
            if found is None:
                todo.append(i)
            else:
                docs[i].related = found
        memo.reused, memo.recomputed = n - len(todo), len(todo)
    # a few rows left: each scored whole on its own rather than estimating the archive densely
    dense = _dense_estimates(mat) if len(todo) >= 2 * DENSE_BLOCK or memo is None else None
    mat_t = mat.T.tocsc() if dense is None else None
    step = BLOCK if dense is None else DENSE_BLOCK
    for start in range(0, len(todo), step):
        rows = todo[start : start + step]
        if dense is None:
            block = (mat[rows] @ mat_t).tocsr()
        else:
            shortlists = dense.shortlists(rows, SHORTLIST, DENSE_MARGIN)
        for r, i in enumerate(rows):
            if dense is None:
                lo, hi = block.indptr[r], block.indptr[r + 1]
                full_cols, full_vals = block.indices[lo:hi], block.data[lo:hi]
                passes = ((full_cols, full_vals, SHORTLIST, True), (full_cols, full_vals, None, True))
                if memo is not None:
                    memo.rows[i] = keep_best(full_cols, full_vals, i)
            else:
                short, cut = shortlists[r]
                short_cols, short_vals = _exact_row(mat, i, short)
                passes = ((short_cols, short_vals, SHORTLIST, False), None)
                if memo is not None:
                    memo.rows[i] = keep_best(short_cols, short_vals, i, cut + DENSE_ERROR)
            # Sorting every other document per row is N² log N at 10,000 documents: rank
            # a shortlist exactly, and the whole row only if the shortlist runs out.
            for k in range(2):
                if passes[k] is None:
                    full_cols, full_vals = _exact_row(mat, i)
                    passes = (passes[0], (full_cols, full_vals, None, True))
                    if memo is not None:
                        memo.rows[i] = keep_best(full_cols, full_vals, i)
                row_cols, row_vals, limit, whole = passes[k]
                cand = _ranked(row_cols, row_vals, ids, i, limit)
                out, exhausted, _last = _pick(cand, ids, i, group, members, mat, vocab)
                if not exhausted or (whole and len(cand) >= len(row_cols) - 1):
                    break
            docs[i].related = out


def link(docs: list[Document], prepared: dict[str, LinkPrep] | None = None,
         cache_dir: Path | None = None, vectors=None) -> dict[str, object]:
    """Run every archive-wide computation; returns statistics for the build summary.
    `prepared` holds prepare() per document id, computed by the pipeline's workers.
    With `cache_dir`, similar speeches start from the previous build's (neighbours.py).
    `vectors` makes the TF-IDF matrix instead of tfidf_vectors (epoch_state.py keeps it)."""
    docs.sort(key=lambda d: d.id)
    if not docs:
        return {}
    mat, vocab, _idf = vectors() if vectors is not None else tfidf_vectors(docs, prepared)
    keywords(docs, mat, vocab)
    dups = find_reposts(docs, prepared)
    for d in docs:
        d.duplicates = dups[d.id]
    group = repost_groups(dups)
    memo = NeighbourMemo(cache_dir, [d.id for d in docs], mat, vocab) if cache_dir is not None else None
    similar(docs, mat, vocab, group, memo)
    stats: dict[str, object] = {"vocabulary": len(vocab), "repost_pairs": sum(len(v) for v in dups.values()) // 2}
    if memo is not None:
        memo.save()
        stats["similar_rows_reused"], stats["similar_rows_recomputed"] = memo.reused, memo.recomputed
    return stats
