"""Traditional/simplified script: detection and conversion with OpenCC's tables.

The original text is always kept; the simplified version feeds segmentation, keywords,
similarity and search so that a traditional-script speech is found with simplified
queries and compared with simplified speeches.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from opencc import OpenCC

from .read import HAN


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> OpenCC:
    return OpenCC("s2t")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def detect_script(text: str) -> Literal["zh-Hans", "zh-Hant"]:
    """Traditional when clearly more characters are traditional-only than
    simplified-only. Counting both directions keeps characters shared by both scripts
    (most of them) out of the vote, so short texts are judged on evidence."""
    han = "".join(HAN.findall(text))
    if not han:
        return "zh-Hans"
    sample = han[:20000]
    to_s = _t2s().convert(sample)
    to_t = _s2t().convert(sample)
    trad_only = sum(1 for a, b in zip(sample, to_s, strict=False) if a != b)
    simp_only = sum(1 for a, b in zip(sample, to_t, strict=False) if a != b)
    if trad_only >= 3 and trad_only > 3 * simp_only:
        return "zh-Hant"
    return "zh-Hans"
