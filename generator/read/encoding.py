"""Decoding: bytes of a text source → text, the encoding chosen by how much the result
reads like Chinese (plausibility), line by line where a file mixes encodings."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
]

# Encodings Chinese sources come in, in order of preference when two read equally well.
# Big5 has two supersets (Microsoft's cp950, Hong Kong's HKSCS) for characters plain
# Big5 lacks; they are tried after it so that a plain Big5 file is reported as Big5.
CANDIDATES = ("utf-8", "gb18030", "big5", "cp950", "big5hkscs")

# How many of the most frequent characters count as "common" (covers 99.8% of the
# character occurrences in jieba's dictionary words).
COMMON_SIZE = 4000
COMMON_CHARS_FILE = "common_chars.txt"


def derive_common_chars() -> str:
    """The common-character set, derived from data installed with the project: the
    characters of jieba's dictionary words weighted by word frequency (single-character
    entries are left out, because that dictionary itself holds mojibake such as 锛 or
    銆 as one-character "words"), plus their traditional forms from OpenCC's tables.
    generator/data/common_chars.txt is this function's output, so a run does not parse
    a 5 MB dictionary; a test checks the file still matches."""
    from collections import Counter

    import jieba
    import opencc as opencc_pkg

    weights: Counter[str] = Counter()
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            word, freq, _ = line.split(" ", 2)
            if len(word) >= 2:
                for ch in word:
                    weights[ch] += int(freq)
    common = {ch for ch, _ in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:COMMON_SIZE]
              if HAN.match(ch)}
    tables = Path(opencc_pkg.__file__).parent / "dictionary"
    variants: set[str] = set()
    for name, simplified_first in (("STCharacters.txt", True), ("TSCharacters.txt", False)):
        for line in (tables / name).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) != 2:
                continue
            left, right = parts[0], parts[1].split()
            if simplified_first and left in common:
                variants.update(right)
            elif not simplified_first and any(r in common for r in right):
                variants.add(left)
    chars = sorted(common | {v for v in variants if len(v) == 1})
    return "".join(chars)


@lru_cache(maxsize=1)
def common_chars() -> frozenset[str]:
    from generator.annotate.segment import data_lines

    return frozenset("".join(data_lines(COMMON_CHARS_FILE)))


# Characters that say nothing about the encoding: ASCII, Latin letters (pinyin tone
# marks), punctuation, full-width forms, circled numbers, simple shapes, whitespace.
# Kana, Hangul, box drawing, private-use and rare Han characters are what wrong
# decodings produce, so everything else is judged.
_NEUTRAL = frozenset(
    chr(o) for lo, hi in ((0, 0x24F), (0x2000, 0x206F), (0x2100, 0x24FF), (0x25A0, 0x25FF),
                          (0x3000, 0x303F), (0xFF00, 0xFFEF))
    for o in range(lo, hi + 1)
) | frozenset("\u00a0\u1680\u180e\u2028\u2029\u205f\u3000\ufeff")


def _counts(text: str) -> tuple[int, int]:
    """(judged characters, common characters) of `text`; set lookups mapped over the
    string run at C speed, which matters because every line of a file is judged."""
    judged = len(text) - sum(map(_NEUTRAL.__contains__, text))
    return judged, sum(map(common_chars().__contains__, text))


def plausibility(text: str) -> float:
    """How much `text` reads like real Chinese: the share of its judged characters
    (everything but ASCII, punctuation and other neutral signs) that are common
    characters. Real prose scores about 0.99 (names and rare words cost a little);
    UTF-8 read as GBK (鏂囦欢 for 文件), Big5 read as GBK, or noise score far lower.
    Text with nothing to judge (an English title, digits) scores 1.0."""
    judged, good = _counts(text)
    return good / judged if judged else 1.0


def looks_like_mojibake(text: str) -> bool:
    """A line or title that no reader would take for Chinese: at least four judged
    characters, fewer than 60% of them common."""
    judged, good = _counts(text)
    return judged >= 4 and good < 0.6 * judged


def _score(text: str) -> float:
    """Plausibility, less a penalty for every byte sequence that could not be decoded."""
    judged, good = _counts(text)
    if not judged:
        return 1.0
    return (good - 2 * text.count("\ufffd")) / judged


def _decode_whole(data: bytes) -> str:
    """The file's encoding: the candidate under which the most characters sit on lines
    that decode cleanly and read as Chinese (a mixed file is judged by its majority, not
    by how badly its odd line garbles). When no line reads well in any candidate, the
    least damaged decoding wins. Judged on the first 16 KB, cut at a line end."""
    sample = data
    if len(data) > 16384:
        cut = data.rfind(b"\n", 0, 16384)
        sample = data[: cut if cut > 0 else 16384]
    lines = [line for line in sample.split(b"\n") if not line.isascii()]
    best: tuple[int, float, int, str] | None = None
    seen: dict[str, str] = {}
    for rank, enc in enumerate(CANDIDATES):
        texts = [line.decode(enc, errors="replace") for line in lines]
        joined = "\n".join(texts)
        if joined in seen.values():
            continue  # a superset (cp950, HKSCS) that reads this file exactly as Big5 does
        seen[enc] = joined
        good = judged = common = bad = 0
        for text in texts:
            j, c = _counts(text)
            f = text.count("\ufffd")
            judged, common, bad = judged + j, common + c, bad + f
            if not j or (c - 2 * f) / j >= 0.8:
                good += len(text)
        whole = (common - 2 * bad) / judged if judged else 1.0
        key = (good, round(whole, 6), -rank, enc)
        if best is None or key[:3] > best[:3]:
            best = key
        if good == sum(len(t) for t in texts):
            break  # every line reads well: no later candidate can do better
    assert best is not None
    return best[3]


def _valid_utf8(line: bytes) -> bool:
    """Lines in another encoding inside a UTF-8 file show as U+FFFD; inside a GB18030
    or Big5 file a pasted UTF-8 line decodes without error, as mojibake, and is found
    this way: real GB18030 or Big5 text is almost never valid UTF-8."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _redecode_line(line: bytes, main: str) -> tuple[str, str | None]:
    """One line that reads badly in the file's encoding: another candidate that
    decodes it strictly and reads as real Chinese wins (a GBK line pasted into a UTF-8
    file); otherwise the main decoding stays, its bad bytes shown as U+FFFD."""
    text = line.decode(main, errors="replace")
    own = _score(text)
    best: tuple[float, str, str | None] = (own, text, None)
    for enc in CANDIDATES:
        if enc == main:
            continue
        try:
            alt = line.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _score(alt)
        if score >= 0.9 and score > best[0] + 0.2:
            best = (score, alt, enc)
    return best[1], best[2]


def decode(data: bytes, path: str) -> tuple[str, str, list[str]]:
    """Bytes → text, the encoding name, and warnings.

    A BOM is authoritative, and strict UTF-8 almost never decodes another encoding by
    accident. Otherwise every candidate encoding decodes the file and the one whose
    text reads most like Chinese wins (plausibility: share of common characters), not a
    detector's first guess. Then each line that still reads badly is tried in the other
    encodings, so a UTF-8 file with one GBK line stays UTF-8 with that line decoded
    on its own, and a warning names the line. Undecodable bytes are replaced (U+FFFD)
    and reported, never silently dropped.
    """
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "") + " (BOM)", warnings
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    if len(data) % 2 == 0:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _plausible_text(text) and plausibility(text) >= 0.8:
                return text, enc, warnings
    main = _decode_whole(data)
    lines: list[str] = []
    for n, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            lines.append(line.decode("ascii"))
            continue
        text = line.decode(main, errors="replace")
        if "\ufffd" in text or (main != "utf-8" and _valid_utf8(line) and looks_like_mojibake(text)):
            text, other = _redecode_line(line, main)
            if other:
                warnings.append(f"{path}:{n}: this line is {other}, not {main} like the rest of the file; "
                                f"decoded as {other}")
        bad = text.count("\ufffd")
        if bad:
            warnings.append(f"{path}:{n}: {bad} undecodable byte sequence(s) in {main}; shown as U+FFFD")
        lines.append(text)
    return "\n".join(lines), main, warnings


def _plausible_text(text: str) -> bool:
    """Chinese or ASCII text, not the noise that other encodings decode to as UTF-16:
    random byte pairs land on Han characters only about a third of the time."""
    if not text:
        return False
    sample = text[:5000]
    good = sum(
        1 for c in sample
        if (c.isascii() and (c.isprintable() or c in "\r\n\t"))
        or "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
        or "\u00c0" <= c <= "\u024f" or c in "“”‘’…—·"
    )
    return good >= 0.97 * len(sample)


def normalize_newlines(text: str) -> str:
    """CRLF/CR → LF. No Unicode normalization: NFC would replace CJK compatibility
    ideographs with other code points, and the archive keeps the source's characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return text.replace("\x00", "")
