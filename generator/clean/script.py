"""Traditional/simplified script: detection and conversion with OpenCC's tables.

The original text is always kept; the simplified version feeds segmentation, keywords,
similarity and search so that a traditional-script speech is found with simplified
queries and compared with simplified speeches.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from opencc import OpenCC


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> OpenCC:
    return OpenCC("s2t")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


@lru_cache(maxsize=1)
def _char_tables() -> tuple[frozenset[str], frozenset[str]]:
    """Characters OpenCC's character tables change from traditional to simplified,
    and the other way round. Counting them is linear in the text; running the full
    phrase converter both ways just to detect the script took a third of a build."""
    import opencc as opencc_pkg

    base = Path(opencc_pkg.__file__).parent / "dictionary"

    def changed(name: str) -> frozenset[str]:
        out: set[str] = set()
        for line in (base / name).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 2 and parts[0] not in parts[1].split():
                out.add(parts[0])
        return frozenset(out)

    return changed("TSCharacters.txt"), changed("STCharacters.txt")


def detect_script(text: str) -> Literal["zh-Hans", "zh-Hant"]:
    """Traditional when clearly more characters are traditional-only than
    simplified-only. Counting both directions keeps characters shared by both scripts
    (most of them) out of the vote, so short texts are judged on evidence."""
    trad, simp = _char_tables()
    trad_only = simp_only = 0
    for ch in text:
        if ch in trad:
            trad_only += 1
        elif ch in simp:
            simp_only += 1
    if trad_only >= 3 and trad_only > 3 * simp_only:
        return "zh-Hant"
    return "zh-Hans"
