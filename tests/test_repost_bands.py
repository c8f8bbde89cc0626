"""Repost candidates from one signature array (link/repost_bands.py) are exactly the pairs
datasketch's MinHashLSH index proposes with the same banding, on real signatures: the
seeds' and the search fixtures' texts, and edited copies of them near the threshold."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
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


@pytest.mark.parametrize("block", [1, 7, 1 << 18], ids=["one-pair-blocks", "ragged-blocks", "whole-buckets"])
def test_candidate_pairs_filtered_as_found_equal_the_filtered_candidates(monkeypatch: pytest.MonkeyPatch,
                                                                           block: int) -> None:
    """min_equal drops, bucket by bucket, exactly the pairs the caller would drop after
    the whole list (issue 22: the whole list was 7 GB at 100,000 documents); buckets large
    enough to be split into blocks included."""
    import generator.link.repost_bands as rb
    monkeypatch.setattr(rb, "_PAIR_BLOCK", block)
    rng = np.random.default_rng(5)
    # few distinct values per place: big buckets, and agreement counts spread around the cut
    sigs = rng.integers(0, 3, size=(60, NUM_PERM), dtype=np.uint32)
    sigs[40:] = sigs[:20]  # exact copies
    sigs[50:, : NUM_PERM // 2] = 7  # half-copies
    whole = candidate_pairs(sigs, 25, 4)
    for cut in (0, 45, 64, 100, NUM_PERM):
        same = np.count_nonzero(sigs[whole[:, 0]] == sigs[whole[:, 1]], axis=1)
        expected = whole[same >= cut] if cut else whole
        got = candidate_pairs(sigs, 25, 4, min_equal=cut)
        assert got.tolist() == expected.tolist(), cut
    assert 0 < len(candidate_pairs(sigs, 25, 4, min_equal=NUM_PERM)) < len(whole)
