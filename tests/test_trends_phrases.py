"""The phrases across tokens the trends stage precomputes (generator/link/trends_phrases.py):
the numpy n-grams equal a plain loop over the segmenter's tokens, and a phrase is taken
exactly when the documents repeating it hold more text than the budget."""

from __future__ import annotations

import re
from collections import Counter

import rjieba

from generator.annotate.segment import cut
from generator.link import trends_phrases as tp
from generator.model import Document

HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
# written for this test: repeated phrases across tokens, a heading without punctuation
# before a line break, spaces inside a sentence, Latin and digits between Han tokens
TEXTS = [
    "一、总体要求\n经济运行稳中向好，全年经济运行稳中向好。要求\n经济运行稳中向好；经济 运行稳中向好。"
    "推动产业转型升级，推动产业转型升级\n推动产业转型升级",
    "加快5G基站建设，加快5G基站建设。数字经济核心产业增加值增长，数字经济核心产业增加值增长8%左右。",
    "县委书记在会上讲话。",
    "",
]


def brute(text: str) -> list[str]:
    """Every run of 2–4 adjacent Han tokens (whitespace, punctuation, Latin and digits
    break a run), three characters or more, used twice or more."""
    raw = rjieba.cut(text, False)
    c: Counter[str] = Counter()
    for i in range(len(raw)):
        s = ""
        for k in range(tp.MAX_TOKENS):
            if i + k >= len(raw) or not HAN.match(raw[i + k]):
                break
            s += raw[i + k]
            if k + 1 >= tp.MIN_TOKENS and len(s) >= tp.MIN_CHARS:
                c[s] += 1
    return sorted(g for g, n in c.items() if n >= tp.REPEATS)


def test_repeated_ngrams_equal_a_loop_over_the_tokens() -> None:
    for text in TEXTS:
        assert tp.repeated_ngrams(cut(text), text) == brute(text), text
    got = tp.repeated_ngrams(cut(TEXTS[0]), TEXTS[0])
    assert "推动产业转型升级" in got and "稳中向好" in got
    assert not [g for g in got if "要求经济" in g or "升级推动" in g]  # across a line break: no phrase
    assert "数字经济核心产业" in tp.repeated_ngrams(cut(TEXTS[1]), TEXTS[1])
    assert not [g for g in tp.repeated_ngrams(cut(TEXTS[1]), TEXTS[1]) if "基站" in g and "加快" in g]  # 5G between


def test_frequent_phrases_cut_at_the_budget() -> None:
    docs = [Document(id=f"d{i}", file_id=f"d{i}", part=None, parts_total=1, source_path=f"d{i}.txt", sha256="",
                     encoding="utf-8", body_format="text", paragraphs=["x"]) for i in range(3)]
    phrases_of = {"d0": "稳中向好\n转型升级", "d1": "稳中向好", "d2": ""}
    length_of = {"d0": 100, "d1": 50, "d2": 1000}
    assert tp.frequent_phrases(docs, phrases_of, length_of, 299, 2.0) == ["稳中向好"]  # 300 bytes > 299
    assert tp.frequent_phrases(docs, phrases_of, length_of, 300, 2.0) == []  # not more than the budget
    assert tp.frequent_phrases(docs, phrases_of, length_of, 199, 2.0) == ["稳中向好", "转型升级"]
