"""Repost candidates from one signature array (link/repost_bands.py) are exactly the pairs
datasketch's MinHashLSH index proposes with the same banding, on real signatures: the
seeds' and the search fixtures' texts, and edited copies of them near the threshold."""

from __future__ import annotations

import zlib

import numpy as np
from conftest import ROOT, SEEDS
from datasketch import MinHash, MinHashLSH

from generator.link import MINHASH_SCHEME, NUM_PERM, REPOST_JACCARD, signature
from generator.link.repost_bands import band_layout, candidate_pairs
from generator.pipeline import collect

SEARCH_CORPUS = ROOT / "tests" / "fixtures" / "search_corpus"


def _texts() -> list[str]:
    texts = [d.search_text for c in (SEEDS, SEARCH_CORPUS) for d in collect(ROOT, progress=False, corpus=c).documents]
    rng = np.random.default_rng(3)
    edited = []
    for t in texts[:8]:  # copies with a share of their characters changed: some pairs collide, some not
        for share in (0.01, 0.05, 0.15):
            chars = list(t)
            for k in rng.choice(len(chars), size=int(len(chars) * share), replace=False):
                chars[k] = "改"
            edited.append("".join(chars))
    return texts + edited


def test_candidate_pairs_are_the_lsh_index_pairs() -> None:
    weights = (0.05, 0.95)
    bands, rows = band_layout(REPOST_JACCARD * 0.85, NUM_PERM, weights)
    sigs = [s for s in map(signature, _texts()) if s is not None]
    assert len(sigs) > 30
    lsh = MinHashLSH(threshold=REPOST_JACCARD * 0.85, num_perm=NUM_PERM, weights=weights)
    hashes = []
    for i, s in enumerate(sigs):
        m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32, hashvalues=s, scheme=MINHASH_SCHEME)
        hashes.append(m)
        lsh.insert(i, m)
    expected = sorted((i, j) for i, m in enumerate(hashes) for j in lsh.query(m) if j > i)
    got = candidate_pairs(np.stack(sigs), bands, rows)
    assert [tuple(p) for p in got.tolist()] == expected
    assert len(expected) >= 8  # the near copies are proposed: the comparison is not empty


def test_no_signatures_no_pairs() -> None:
    assert candidate_pairs(np.zeros((0, NUM_PERM), np.uint32), 25, 4).shape == (0, 2)
    one = np.arange(NUM_PERM, dtype=np.uint32)[None, :]
    assert candidate_pairs(one, 25, 4).shape == (0, 2)
