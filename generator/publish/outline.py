"""Outline: a speech's numbered section lines (一、 （一） 第一部分 …) become headings.

Long speeches are built from numbered sections, and a reader skims them by those
numbers; as headings they give Material's table of contents the speech's outline.
The heading text is the paragraph exactly as written (nothing added, nothing dropped).

Conservative by design, because a wrong heading hides a sentence in the outline:
- only short lines (at most MAX_CHARS) with no sentence break inside,
- only numbering schemes that form a sequence in the document (一 and 二 both present),
- the first paragraph (usually a title or dateline) is never a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CHARS = 40
_NUM = "一二三四五六七八九十百零〇两"

# rank order: a higher kind contains the lower ones
KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(rf"^第([{_NUM}]+)(?:部分|篇|章)")),
    ("chinese", re.compile(rf"^([{_NUM}]+)、")),
    ("paren", re.compile(rf"^[（(]([{_NUM}]+)[）)]")),
]
# a sentence break inside the line means it is a paragraph, not a heading
_SENTENCE_INSIDE = re.compile(r"[。！？；!?;][^\s”’」』）)]")
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20: enough for section numbers (under a hundred)."""
    text = text.replace("〇", "零").replace("两", "二")
    if not text or any(c not in _DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return _DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    t = _DIGITS.get(tens, -1) if tens else 1
    o = _DIGITS.get(ones, -1) if ones else 0
    if t < 0 or o < 0 or len(ones) > 1 or len(tens) > 1:
        return None
    return t * 10 + o


@dataclass(frozen=True)
class Heading:
    index: int  # paragraph index
    kind: str
    number: int
    level: int  # 1 = top level of this document's outline
    anchor: str  # stable id from the section numbers, e.g. sec-2-3


def _candidate(paragraph: str) -> tuple[str, int] | None:
    p = paragraph.strip()
    if not p or len(p) > MAX_CHARS or _SENTENCE_INSIDE.search(p):
        return None
    for kind, pattern in KINDS:
        m = pattern.match(p)
        if m:
            n = cn_number(m.group(1))
            if n is not None and len(p) > m.end():
                return kind, n
    return None


def outline(paragraphs: list[str], given: dict[str, int] | None = None) -> list[Heading]:
    """The headings among `paragraphs`, with levels by rank of the kinds present.

    `given` holds headings the source itself marks (a Word file's heading styles: text →
    level); those paragraphs are headings at their level whatever their numbering, and
    numbered lines are not guessed in such a document, since its author said which
    lines are headings."""
    if given:
        return _given_outline(paragraphs, given)
    found = [(i, *c) for i, p in enumerate(paragraphs) if i > 0 and (c := _candidate(p))]
    present = []
    for kind, _ in KINDS:
        numbers = {n for _, k, n in found if k == kind}
        if {1, 2} <= numbers:
            present.append(kind)
    levels = {k: n + 1 for n, k in enumerate(present)}
    out: list[Heading] = []
    path: list[int] = []
    used: set[str] = set()
    for i, kind, n in found:
        if kind not in levels:
            continue
        level = levels[kind]
        path = path[: level - 1] + [0] * max(0, level - 1 - len(path)) + [n]
        anchor = "sec-" + "-".join(str(x) for x in path)
        while anchor in used:  # a repeated number (a restarted list) keeps ids unique
            anchor += "x"
        used.add(anchor)
        out.append(Heading(i, kind, n, level, anchor))
    return out


def _given_outline(paragraphs: list[str], given: dict[str, int]) -> list[Heading]:
    """Headings marked in the source, levels renumbered from 1 by rank, anchors from
    their position in the outline (sec-2-1 is the first subheading of the second). The
    first paragraph may be one too: the source says so, nothing is guessed."""
    found = [(i, given[p.strip()]) for i, p in enumerate(paragraphs) if p.strip() in given]
    ranks = {lvl: n + 1 for n, lvl in enumerate(sorted({lvl for _, lvl in found}))}
    out: list[Heading] = []
    counters: list[int] = []
    used: set[str] = set()
    for i, lvl in found:
        level = ranks[lvl]
        counters = counters[:level] + [0] * max(0, level - len(counters))
        counters[level - 1] += 1
        anchor = "sec-" + "-".join(str(x) for x in counters[:level])
        while anchor in used:
            anchor += "x"
        used.add(anchor)
        out.append(Heading(i, "given", counters[level - 1], level, anchor))
    return out
