"""The link stage after a small change: weights frozen per epoch, only what a new
document touches computed again.

Why. The exact weights depend on every document's terms: one new document adds 1 to the
document frequency (df) of its ~1,000 terms, which moves every vector a little, and a
cold link stage computes every vector, every keyword list and every similar-speech row
again (≈ 29 s at 10,000 documents). Here a cold link stage leaves a *snapshot* in
`.cache/link/epoch.pickle`: the IDF table F it used (with the df each entry was computed
from), every document's vector, keywords and similar speeches (with their unrounded
scores) and repost pairs. A later build with documents added, removed or changed:

- computes vectors only for the new and changed documents, with F. A term F does not
  know gets the weight a cold build would give it now (blended_idf of its df in the
  archive as it is), and that weight is frozen into F from then on;
- scores each of them against every document (one sparse product per document) and
  puts it into the similar lists where it now ranks; a row that listed a removed or
  changed document, or a member of a repost group that changed, is computed whole;
- picks keywords for those documents only;
- checks reposts exactly as a cold build, but computes the exact Jaccard only for
  proposed pairs involving them (a pair of unchanged documents has the Jaccard it had).

Existing documents' vectors, keywords and scores do not move, so their pages change only
when a new document really enters their list.

Error bound. Let x be a document's weights with F (x_t = (1 + ln tf_t)·F_t) and x* the
weights a cold build of the same corpus computes (F*_t from the exact df). With
r_t = (F*_t − F_t) / F_t, the difference e = x* − x has |e_t| = x_t·|r_t|, so

    ρ = ‖e‖ / ‖x‖ = sqrt(Σ_t u_t² r_t²)          (u = x / ‖x‖, the stored unit vector)

and, since ‖a/‖a‖ − b/‖b‖‖ ≤ 2‖a − b‖ / ‖a‖,

    ‖u − u*‖ ≤ 2ρ.

Every weight the keywords are chosen by (a component of u, on a [0, 1] scale) is
therefore off by at most 2ρ, and a cosine score of documents a and b by at most

    |u_a·u_b − u*_a·u*_b| ≤ ‖u_a − u*_a‖ + ‖u_b − u*_b‖ ≤ 2ρ_a + 2ρ_b ≤ 4·RHO.

A build measures ρ of every document (one sparse product: (u∘u)·r²) and renews the epoch
when any exceeds RHO (0.005: weights within 0.01, scores within 0.02, one step of the two
decimals a speech page prints). It also renews when N leaves its epoch (idf.py's grid:
the weights' N changes), when more than CHANGES_SHARE of the archive (at least one
document) was added, removed or changed since the snapshot, when the snapshot is missing,
unreadable or written by another generator version, and when asked
(GENERATOR_FULL_LINK=1, which `generate --full` and `build --full` set). A renewal is a
cold link stage: its output is the one a build from an empty cache gives, bit for bit.

The trade-off: between renewals an incremental build's similar lists, scores and keywords
may differ from a cold build of the same corpus, within the bound above (tests/
test_epoch_state.py checks it against cold builds, and that a renewal gives the cold
result again). Repost pairs and everything else are exact.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from scipy import sparse

from generator.link import (
    MIN_SCORE,
    TOP_K,
    LinkPrep,
    _pick,
    _ranked,
    dense_row,
    find_reposts,
    keywords,
    link,
    repost_groups,
    shared_terms,
)
from generator.link.idf import EPOCH_RATIO, blended_idf
from generator.model import Document, Related
from generator.runtime import dump_pickle, generator_version

FORMAT = 1
RHO = 0.005  # largest relative change ρ of a vector's weights before the epoch is renewed
CHANGES_SHARE = 0.01  # share of the archive added, removed or changed before it is renewed
STATE_FILE = "epoch.pickle"
FULL_ENV = "GENERATOR_FULL_LINK"


def epoch_index(n_docs: int) -> int:
    """Which epoch of idf.py's grid N + 1 lies in."""
    return round(math.log(n_docs + 1) / math.log(EPOCH_RATIO))


def changes_allowed(n_docs: int) -> int:
    return max(1, int(CHANGES_SHARE * n_docs))


def digest(prep: LinkPrep) -> bytes:
    """What the link stage reads of a document: its term counts and its MinHash."""
    h = hashlib.blake2b(digest_size=16)
    h.update(prep.keys.encode())
    h.update(b"\0")
    h.update(prep.numbers)
    h.update(b"\0")
    if prep.signature is not None:
        h.update(np.ascontiguousarray(prep.signature).tobytes())
    return h.digest()


@dataclass
class State:
    """One epoch's snapshot and what incremental builds added to it."""

    epoch: int
    changes: int  # documents added, removed or changed since the snapshot
    vocab: list[str]  # the matrix's columns
    idf: np.ndarray  # F, per column
    df_used: np.ndarray  # the df each F entry was computed from
    df_now: np.ndarray  # the df in the archive as the last build saw it
    ids: list[str]  # the matrix's rows
    digests: dict[str, bytes]
    mat: sparse.csr_matrix
    keywords: dict[str, list[str]]
    related: dict[str, list[tuple[Related, float]]]  # each entry with its unrounded score
    dups: dict[str, list]
    format: int = FORMAT
    version: str = field(default_factory=generator_version)


def load(directory: Path) -> State | None:
    path = directory / STATE_FILE
    try:
        with path.open("rb") as fh:
            state = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None
    if not isinstance(state, State) or state.format != FORMAT or state.version != generator_version():
        return None
    return state


def related_scores(mat: sparse.csr_matrix, docs: list[Document]) -> list[list[float]]:
    """The unrounded score of every listed similar speech, one document's row at a time:
    selecting all the listed pairs' rows at once took 1.5 GB at 10,000 documents."""
    row_of = {d.id: r for r, d in enumerate(docs)}
    ptr, idx, data = mat.indptr, mat.indices, mat.data
    out: list[list[float]] = []
    for r, d in enumerate(docs):
        if not d.related:
            out.append([])
            continue
        row = dense_row(mat, r)
        scores = []
        for x in d.related:
            j = row_of[x.id]
            scores.append(float(row[idx[ptr[j] : ptr[j + 1]]] @ data[ptr[j] : ptr[j + 1]]))
        out.append(scores)
    return out


def snapshot(docs: list[Document], mat: sparse.csr_matrix, vocab: list[str], idf: dict[str, float],
             digests: dict[str, bytes], n_docs: int) -> State:
    """The state a cold link stage leaves: its vectors, weights and lists as they are."""
    df = np.bincount(mat.indices, minlength=len(vocab)).astype(np.int64)
    scores = related_scores(mat, docs)
    related = {d.id: list(zip(d.related, sc, strict=True)) for d, sc in zip(docs, scores, strict=True)}
    return State(epoch_index(n_docs), 0, list(vocab), np.array([idf[t] for t in vocab], dtype=np.float64),
                 df, df.copy(), [d.id for d in docs], dict(digests), mat,
                 {d.id: list(d.keywords) for d in docs}, related, {d.id: list(d.duplicates) for d in docs})


DRIFT_ROWS = 8192  # rows squared at a time by drift()


def drift(mat: sparse.csr_matrix, idf: np.ndarray, exact: np.ndarray) -> np.ndarray:
    """ρ of every row (module docstring): how far its weights are from the exact ones.
    A block of rows at a time: the whole matrix squared at once was a second copy of it
    (1 GB at 100,000 documents). Each row's sum is the same either way."""
    r = (exact - idf) / idf
    rr = r * r
    out = np.empty(mat.shape[0], dtype=np.float64)
    for a in range(0, mat.shape[0], DRIFT_ROWS):
        block = mat[a : a + DRIFT_ROWS]
        out[a : a + block.shape[0]] = block.multiply(block) @ rr
    return np.sqrt(out)


def stack_rows(old: sparse.csr_matrix, keep_rows: np.ndarray, new: list[tuple[np.ndarray, np.ndarray]],
               ncols: int) -> sparse.csr_matrix:
    """The rows `keep_rows` (ascending) of `old`, then the `new` rows (columns ascending,
    values), as one matrix of `ncols` columns: what slicing the old matrix and stacking the
    new rows under it gives, with the kept values copied once, into the result. Slicing
    and then stacking made two copies, each 1 GB at 100,000 documents, while the old
    matrix was still held: with the snapshot and the documents, 5.9 GB in the link stage
    of an addition there."""
    lengths = np.diff(old.indptr)[keep_rows]
    n_kept = int(lengths.sum())
    n_new = sum(len(c) for c, _ in new)
    idx = np.int32 if max(n_kept + n_new, ncols) < 2**31 else np.int64
    data = np.empty(n_kept + n_new, dtype=np.float64)
    indices = np.empty(n_kept + n_new, dtype=idx)
    # the kept rows are a few runs of consecutive rows (a build changes few documents within
    # an epoch): each run is one slice copy, with no index or mask array of every value
    at = 0
    if len(keep_rows):
        breaks = np.flatnonzero(np.diff(keep_rows) != 1) + 1
        for first, last in zip(np.concatenate([[0], breaks]).tolist(),
                               np.concatenate([breaks, [len(keep_rows)]]).tolist(), strict=True):
            a, b = int(old.indptr[keep_rows[first]]), int(old.indptr[keep_rows[last - 1] + 1])
            data[at : at + b - a] = old.data[a:b]
            indices[at : at + b - a] = old.indices[a:b]
            at += b - a
    for cols, values in new:
        data[at : at + len(cols)] = values
        indices[at : at + len(cols)] = cols
        at += len(cols)
    indptr = np.concatenate([[0], np.cumsum(lengths), n_kept + np.cumsum([len(c) for c, _ in new], dtype=np.int64)])
    return sparse.csr_matrix((data, indices, indptr.astype(idx)),
                             shape=(len(keep_rows) + len(new), ncols))


class Renew(Exception):
    """The snapshot cannot serve this build; the reason is printed in the build summary."""


def link_with_state(docs: list[Document], prepared: dict[str, LinkPrep], directory: Path,
                    full: bool | None = None, rho: float = RHO) -> dict[str, object]:
    """The link stage, incremental within an epoch (module docstring), cold otherwise."""
    docs.sort(key=lambda d: d.id)
    if not docs:
        return {}
    if full is None:
        full = os.environ.get(FULL_ENV, "") not in ("", "0")
    digests: dict[str, bytes] = {}
    signatures: dict[str, SimpleNamespace] = {}  # what find_reposts reads, so each LinkPrep is read once here
    for d in docs:
        prep = prepared[d.id]
        digests[d.id] = digest(prep)
        signatures[d.id] = SimpleNamespace(signature=prep.signature)
    reason = "asked (--full)" if full else ""
    state = None if full else load(directory)
    if state is None and not reason:
        reason = "no snapshot"
    if state is not None:
        try:
            stats = _incremental(docs, prepared, digests, signatures, state, rho)
            dump_pickle(directory / STATE_FILE, state)
            return stats
        except Renew as exc:
            reason = str(exc)
    stats = _cold(docs, prepared, digests, directory)
    stats["link_epoch"] = f"renewed: {reason}"
    return stats


def _cold(docs: list[Document], prepared: dict[str, LinkPrep], digests: dict[str, bytes],
          directory: Path) -> dict[str, object]:
    from generator.link import tfidf_vectors

    kept: dict[str, object] = {}

    def keep(mat: sparse.csr_matrix, vocab: list[str], idf: dict[str, float]) -> None:
        kept.update(mat=mat, vocab=vocab, idf=idf)

    stats = link(docs, prepared, vectors=lambda: _keep(tfidf_vectors(docs, prepared), keep))
    state = snapshot(docs, kept["mat"], kept["vocab"], kept["idf"], digests, len(docs))  # type: ignore[arg-type]
    dump_pickle(directory / STATE_FILE, state)
    return stats


def _keep(result: tuple, keep) -> tuple:
    keep(*result)
    return result


def _incremental(docs: list[Document], prepared: dict[str, LinkPrep], digests: dict[str, bytes],
                 signatures: dict[str, SimpleNamespace], state: State, rho: float) -> dict[str, object]:
    n = len(docs)
    if epoch_index(n) != state.epoch:
        raise Renew("a new IDF epoch")
    old = set(state.ids)
    now = {d.id for d in docs}
    removed = old - now
    touched = sorted(i for i in now if i not in old or state.digests[i] != digests[i])  # added or changed
    changes = state.changes + len(removed) + len(touched)
    if changes > changes_allowed(n):
        raise Renew(f"{changes} documents changed since the snapshot (at most {changes_allowed(n)})")
    if not removed and not touched:
        _restore(docs, state)
        return {"vocabulary": int(np.count_nonzero(state.df_now)),
                "repost_pairs": sum(len(d.duplicates) for d in docs) // 2, "link_epoch": "kept: nothing changed"}
    gone = removed | set(touched) & old
    row_of = {did: r for r, did in enumerate(state.ids)}
    # document frequencies as they are now; new terms get columns after the known ones
    df_now = state.df_now.copy()
    for did in sorted(gone):
        r = row_of[did]
        df_now[state.mat.indices[state.mat.indptr[r] : state.mat.indptr[r + 1]]] -= 1
    col_of = {t: c for c, t in enumerate(state.vocab)}
    vocab = list(state.vocab)
    new_rows: list[tuple[np.ndarray, np.ndarray]] = []
    grow: list[int] = []
    for did in touched:
        prep = prepared[did]
        keys = prep.keys.split("\n") if prep.keys else []
        cols = []
        for k in keys:
            c = col_of.get(k)
            if c is None:
                c = col_of[k] = len(vocab)
                vocab.append(k)
            cols.append(c)
        new_rows.append((np.array(cols, dtype=np.int64), np.frombuffer(prep.numbers, dtype=np.uint32)))
        grow.extend(cols)
    extra = len(vocab) - len(state.vocab)
    df_now = np.concatenate([df_now, np.zeros(extra, np.int64)])
    np.add.at(df_now, np.array(grow, dtype=np.int64), 1)
    # F, extended by the new terms at their weight now (then frozen)
    fresh = blended_idf(n, Counter({vocab[c]: int(df_now[c]) for c in range(len(state.vocab), len(vocab))}))
    idf = np.concatenate([state.idf, np.array([fresh[t] for t in vocab[len(state.vocab):]], dtype=np.float64)])
    df_used = np.concatenate([state.df_used, df_now[len(state.vocab):]])
    # the rows: unchanged documents' stored vectors, then the touched documents' new ones
    keep_ids = [did for did in state.ids if did not in gone]
    keep_rows = np.array([row_of[did] for did in keep_ids], dtype=np.int64)
    weighted: list[tuple[np.ndarray, np.ndarray]] = []
    for cols, ns in new_rows:
        w = (1.0 + np.log(ns.astype(np.float64))) * idf[cols]
        norm = math.sqrt(float(w @ w)) or 1.0
        order = np.argsort(cols, kind="stable")
        weighted.append((cols[order], w[order] / norm))
    mat = stack_rows(state.mat, keep_rows, weighted, len(vocab))
    state.mat = mat  # the old matrix goes now, before the drift check's arrays are made
    ids = keep_ids + touched
    # how far every vector is from the exact weights of this corpus
    moved = np.flatnonzero(df_now != df_used)
    exact = idf.copy()
    if len(moved):
        now_idf = blended_idf(n, Counter({vocab[c]: int(df_now[c]) for c in moved.tolist()}))
        exact[moved] = [now_idf[vocab[c]] for c in moved.tolist()]
    worst = float(drift(mat, idf, exact).max()) if mat.shape[0] else 0.0
    if worst > rho:
        raise Renew(f"weights drifted by ρ = {worst:.4f} (at most {rho})")
    # from here on the build is incremental: documents get what the snapshot kept
    by_id = {d.id: d for d in docs}
    for did in keep_ids:
        by_id[did].keywords = list(state.keywords[did])
    new_docs = [by_id[did] for did in touched]
    keywords(new_docs, mat[len(keep_ids):], vocab)
    # reposts: exact Jaccard only for proposed pairs involving a touched document
    stored = {did: [x for x in state.dups[did] if x.id not in gone] for did in keep_ids}
    dups = find_reposts(docs, signatures, only=set(touched), known=stored)  # type: ignore[arg-type]
    old_group = repost_groups({did: state.dups[did] for did in state.ids})
    for d in docs:
        d.duplicates = dups[d.id]
    group = repost_groups(dups)
    members: Counter[str] = Counter(group[i] for i in ids)
    # repost groups whose membership changed: rows involving their members are redone
    changed_groups = {group[t] for t in touched if dups[t]}
    changed_groups |= {g for did in gone for g in [old_group[did]]}
    old_members: dict[str, set[str]] = {}
    for did, g in old_group.items():
        old_members.setdefault(g, set()).add(did)
    new_members: dict[str, set[str]] = {}
    for did, g in group.items():
        new_members.setdefault(g, set()).add(did)
    unsettled = {did for g in changed_groups for did in old_members.get(g, set()) | new_members.get(g, set())}
    unsettled |= {did for did in keep_ids if len(new_members[group[did]]) != len(old_members.get(old_group.get(did, did), {did}))}
    row = {did: r for r, did in enumerate(ids)}
    related: dict[str, list[tuple[Related, float]]] = {}
    redo: set[str] = set(touched)
    for did in keep_ids:
        entries = state.related[did]
        if did in unsettled or any(x.id in gone or x.id in unsettled for x, _ in entries):
            redo.add(did)
        else:
            related[did] = list(entries)
    # each touched document enters the lists where it now ranks
    for t in touched:
        col = (mat @ mat[row[t]].T).tocoo()
        g = group[t]
        for r, s in zip(col.row.tolist(), col.data.tolist(), strict=True):
            did = ids[r]
            if did in redo or s < MIN_SCORE:
                continue
            entries = related[did]
            if any(group[x.id] == g for x, _ in entries) or group[did] == g:
                redo.add(did)  # a repost of a listed speech: the group's best member decides
                del related[did]
                continue
            key = (-round(s, 6), t)
            if len(entries) >= TOP_K and key >= (-round(entries[-1][1], 6), entries[-1][0].id):
                continue
            shared = shared_terms(mat, vocab, r, row[t])
            entries.append((Related(t, round(s, 3), shared, members[g] - 1), s))
            entries.sort(key=lambda e: (-round(e[1], 6), e[0].id))
            del entries[TOP_K:]
    for did in sorted(redo):
        i = row[did]
        cols_i, vals_i = _exact(mat, i)
        out, _exhausted, _last = _pick(_ranked(cols_i, vals_i, ids, i, None), ids, i, group, members, mat, vocab)
        score_of = dict(zip(cols_i.tolist(), vals_i.tolist(), strict=True))
        related[did] = [(x, score_of[row[x.id]]) for x in out]
    for d in docs:
        d.related = [x for x, _ in related[d.id]]
    # the new state: same epoch and F (extended), these vectors and lists
    state.changes = changes
    state.vocab, state.idf, state.df_used, state.df_now = vocab, idf, df_used, df_now
    state.ids, state.mat = ids, mat
    state.digests = dict(digests)
    state.keywords = {d.id: list(d.keywords) for d in docs}
    state.related = related
    state.dups = {d.id: list(d.duplicates) for d in docs}
    return {"vocabulary": int(np.count_nonzero(df_now)), "repost_pairs": sum(len(v) for v in dups.values()) // 2,
            "link_epoch": f"kept: {len(touched)} new or changed, {len(removed)} removed, {len(redo)} rows redone, "
                          f"ρ ≤ {worst:.4f}"}


def _exact(mat: sparse.csr_matrix, i: int) -> tuple[np.ndarray, np.ndarray]:
    col = (mat @ mat[i].T).tocoo()
    order = np.argsort(col.row, kind="stable")
    rows, vals = col.row[order], col.data[order]
    keep = vals != 0
    return rows[keep].astype(np.int64), vals[keep]


def _restore(docs: list[Document], state: State) -> None:
    for d in docs:
        d.keywords = list(state.keywords[d.id])
        d.related = [x for x, _ in state.related[d.id]]
        d.duplicates = list(state.dups[d.id])


