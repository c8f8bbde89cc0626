"""The sentence around a position: the unit every fact's evidence quotes.

One definition for every annotator, so the evidence a page shows is cut the same way
whichever rule found the fact (a date, a place, a speaker). Its own module because the
annotators are imported by `generator.annotate` itself and cannot import from it.
"""

from __future__ import annotations

SENTENCE_END = "。！？\n"


def sentence_at(text: str, pos: int, ends: str = SENTENCE_END) -> str:
    """The sentence of `text` that holds `pos`, its closing mark included, stripped."""
    start = max(text.rfind(c, 0, pos) for c in ends) + 1
    found = [i for i in (text.find(c, pos) for c in ends) if i >= 0]
    return text[start : (min(found) + 1 if found else len(text))].strip()
