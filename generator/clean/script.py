"""Traditional/simplified script: detection and conversion with OpenCC's tables.

The original text is always kept; the simplified version feeds segmentation, keywords,
similarity and search so that a traditional-script speech is found with simplified
queries and compared with simplified speeches.
"""

from __future__ import annotations

from collections.abc import Iterator
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


def _dictionary(name: str) -> Iterator[tuple[str, str]]:
    """(key, value) of each line of one of OpenCC's dictionary files, the value as written
    (several candidates are separated by spaces)."""
    import opencc as opencc_pkg

    path = Path(opencc_pkg.__file__).parent / "dictionary" / name
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and parts[0] and parts[1].strip():
            yield parts[0], parts[1]


def _t2s_entries() -> Iterator[tuple[str, str]]:
    """Every (key, value) of the dictionaries OpenCC's t2s chain reads, with the value
    the converter writes: the first of several candidates."""
    for name in ("TSPhrases.txt", "TSCharacters.txt"):
        for key, value in _dictionary(name):
            yield key, value.strip().split(" ")[0]


@lru_cache(maxsize=1)
def _t2s_triggers() -> frozenset[str]:
    """One character of every dictionary key that OpenCC's t2s would rewrite.

    OpenCC only changes text where a key matches, and a matching key's characters are all
    in the text. So a stretch holding none of these characters comes back unchanged, and
    need not be run through the pure-Python converter, which cost half of the documents
    stage (every head line, junk rule and genre test converts its line). The character
    chosen is the one the key actually rewrites where the value says so (覆 of 反覆, not
    反), else a traditional-only character, so that ordinary simplified text holds almost
    none of them; which one is chosen never changes the result, only how often the slow
    path runs.
    """
    entries = list(_t2s_entries())
    changed = {k for k, v in entries if len(k) == 1 and v != k}
    out: set[str] = set()
    for key, value in entries:
        if value == key:
            continue
        if len(key) == len(value):
            out.add(next(a for a, b in zip(key, value, strict=True) if a != b))
        else:
            out.add(next((c for c in key if c in changed), key[0]))
    return frozenset(out)


def to_simplified(text: str) -> str:
    """OpenCC's t2s, byte for byte, without running it where it would change nothing.

    OpenCC converts each stretch between its separators on its own, so only the stretches
    holding a trigger character go through it (`tests/test_script.py` compares the two on
    every dictionary key and on real text)."""
    triggers = _t2s_triggers()
    if triggers.isdisjoint(text):
        return text
    conv = _t2s()
    parts = conv.split_chars_re.split(text)
    return "".join(conv.convert(part) if i % 2 == 0 and not triggers.isdisjoint(part) else part
                   for i, part in enumerate(parts))


@lru_cache(maxsize=1)
def _char_tables() -> tuple[frozenset[str], frozenset[str]]:
    """Characters OpenCC's character tables change from traditional to simplified,
    and the other way round. Counting them is linear in the text; running the full
    phrase converter both ways just to detect the script took a third of a build."""
    def changed(name: str) -> frozenset[str]:
        return frozenset(key for key, value in _dictionary(name) if key not in value.split())

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
