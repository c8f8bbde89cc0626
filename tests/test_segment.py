"""Segmentation: domain dictionary, stop words, cache."""

from __future__ import annotations

from pathlib import Path

from generator.annotate.segment import TokenCache, cut, domain_terms, is_candidate, stopwords


def test_domain_terms_stay_whole() -> None:
    text = "推动县域经济高质量发展，优化营商环境，深化放管服改革，加快发展新质生产力，稳妥推进化债，实施乡村振兴，做好招商引资，开局十四五。"
    toks = cut(text)
    for term in ("县域经济", "高质量发展", "营商环境", "放管服", "新质生产力", "化债", "乡村振兴", "招商引资", "十四五"):
        assert term in toks, (term, toks)


def test_every_domain_term_has_a_reason() -> None:
    raw = (Path(__file__).resolve().parent.parent / "generator" / "data" / "userdict.txt").read_text(encoding="utf-8")
    for line in raw.splitlines():
        if line.strip() and not line.startswith("#"):
            assert "#" in line and line.split("#", 1)[1].strip(), f"no reason given: {line}"
    assert len(domain_terms()) >= 10


def test_stopwords_and_candidates() -> None:
    for w in ("同志们", "要", "进一步", "切实", "坚持", "加强", "推进", "工作"):
        assert w in stopwords()
        assert not is_candidate(w)
    assert not is_candidate("X")
    assert not is_candidate("XX")
    assert not is_candidate("2021")
    assert not is_candidate("县")
    assert is_candidate("县域经济")


def test_cache_hits_on_second_run(tmp_path: Path) -> None:
    cache = TokenCache(tmp_path)
    first = cache.tokens("全市县域经济高质量发展工作会议召开。")
    again = TokenCache(tmp_path)
    second = again.tokens("全市县域经济高质量发展工作会议召开。")
    assert first == second
    assert (cache.misses, again.hits, again.misses) == (1, 1, 0)
