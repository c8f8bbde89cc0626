"""RTF reader (striprtf): Chinese RTF as Word, WordPad and WPS write it.

RTF is plain ASCII holding its text in two ways, both common in Chinese files: `\\uN?`
escapes (the Unicode code point, then a fallback the reader skips, `\\ucN` long) and
`\\'hh` bytes in the document's or the font's code page (`\\ansicpg936`, `\\fcharset134`:
GBK). striprtf reads both faithfully (measured on fixtures of each style, README). What
it leaves out without a word is handled here:

- the running header and footer (`{\\header …}`, `{\\footer …}`) are taken out before it
  runs and recorded as removed, like a PDF's or a Word file's;
- footnotes (`{\\footnote …}`) are text of the document: they follow the body, one
  paragraph each, instead of vanishing;
- a character beyond the BMP comes as two `\\u` escapes (a surrogate pair): joined;
- raw 8-bit bytes (some converters write GBK unescaped) are decoded in the declared code
  page, and `\\'hh` bytes that a Latin font's charset turns into mojibake (¸÷Î» for 各位)
  are decoded in the document's Chinese code page instead, with a warning;
- table cells (`\\cell`, `\\row`) become rows of tab-separated cells, as other readers give.
Text boxes (`\\shptxt`) and comments are not read; a file that has them gets a warning.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from generator.model import RawDoc, SourceError
from generator.read.extracted import raw_from_text, source_bytes
from generator.read.layout import PAGE_NUMBER

_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")
# header, footer and footnote groups; \* may precede the control word
_SET_APART = re.compile(r"\{\s*(?:\\\*\s*)?\\(header[lrf]?|footer[lrf]?|footnote)(?![a-z])")
_NOT_READ = re.compile(r"\\(shptxt|annotation)(?![a-z])")
_CJK_PAGES = {"936", "950", "932", "949", "54936"}
_LATIN1 = re.compile(r"[\x80-\xff]")


def _group_end(src: str, start: int) -> int:
    """The index after the brace that closes the group opened at `start`."""
    depth = 0
    i = start
    n = len(src)
    while i < n:
        c = src[i]
        if c == "\\":
            i += 2  # an escaped brace or backslash is text, not structure
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def _text(rel: str, src: str, codepage: str | None, force_codepage: bool) -> str:
    from striprtf.striprtf import rtf_to_text

    if force_codepage and codepage:
        # fonts' charsets give way to the document's code page for \'hh bytes
        src = re.sub(r"\\fcharset\d+", "", src)
    try:
        text = rtf_to_text(src, encoding=f"cp{codepage}" if codepage else "cp1252", errors="replace")
    except (ValueError, TypeError, LookupError, OverflowError, IndexError) as exc:
        # a damaged file: \u beyond Unicode, a code page no codec knows, broken groups
        raise SourceError(rel, f"not a readable RTF ({type(exc).__name__}: {exc}); not read") from None
    # a character beyond the BMP arrives as a surrogate pair of \u escapes
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _rows(text: str) -> list[str]:
    """Lines, with striprtf's table rows (cells ended by "|") as tab-separated cells."""
    out: list[str] = []
    for line in text.split("\n"):
        s = line.strip()
        if s.endswith("|") and s.count("|") >= 2:
            out.append("\t".join(c.strip() or " " for c in s[:-1].split("|")))
        elif s:
            out.append(s)
    return out


def read_rtf(path: Path, corpus: Path) -> RawDoc:
    rel, data = source_bytes(path, corpus)
    m = _CODEPAGE.search(data[:4096])
    codepage = m.group(1).decode() if m else None
    if codepage is not None:
        try:
            codecs.lookup(f"cp{codepage}")
        except LookupError:
            warnings_cp = f"{rel}: unknown code page \\ansicpg{codepage}; read as cp1252"
            codepage = None
        else:
            warnings_cp = ""
    else:
        warnings_cp = ""
    warnings: list[str] = [warnings_cp] if warnings_cp else []
    try:
        src = data.decode("ascii")
    except UnicodeDecodeError:
        # RTF is 7-bit; raw 8-bit bytes are text in the declared code page
        src = data.decode(f"cp{codepage}" if codepage else "cp1252", errors="replace")
        warnings.append(f"{rel}: unescaped 8-bit bytes in the RTF, decoded as cp{codepage or '1252'}")
    if not src.lstrip().startswith("{\\rtf"):
        raise SourceError(rel, "not an RTF file (no {\\rtf header); not read")
    from striprtf.striprtf import font_table_group

    fonts = font_table_group(src)
    prefix = "{\\rtf1\\ansi" + (f"\\ansicpg{codepage}" if codepage else "") + fonts
    body_parts: list[str] = []
    removed: list[tuple[str, str]] = []
    notes: list[str] = []
    pos = 0
    for g in _SET_APART.finditer(src):
        if g.start() < pos:
            continue  # inside a group already taken
        end = _group_end(src, g.start())
        body_parts.append(src[pos : g.start()])
        pos = end
        inner = src[g.end() : end - 1]
        lines = _rows(_text(rel, prefix + "\\pard " + inner + "}", codepage, False))
        word = g.group(1)
        if word == "footnote":
            notes.extend(lines)
        else:
            rule = "running-header" if word.startswith("header") else "running-footer"
            removed.extend(("page-number" if PAGE_NUMBER.match(s) else rule, s) for s in lines
                           if (rule, s) not in removed)
    body_parts.append(src[pos:])
    body_src = "".join(body_parts)
    text = _text(rel, body_src, codepage, False)
    if codepage in _CJK_PAGES and len(_LATIN1.findall(text)) > 0.1 * max(len(text.strip()), 1):
        again = _text(rel, body_src, codepage, True)
        if len(_LATIN1.findall(again)) < len(_LATIN1.findall(text)):
            text = again
            warnings.append(f"{rel}: bytes that the fonts' charsets decoded as Latin mojibake were read in "
                            f"the document's code page cp{codepage}")
    lines = _rows(text) + notes
    if _NOT_READ.search(body_src):
        warnings.append(f"{rel}: the RTF has text boxes or comments (\\shptxt, \\annotation), which are not read")
    bad = sum(s.count("\ufffd") for s in lines)
    if bad:
        warnings.append(f"{rel}: {bad} undecodable character(s) in the RTF, shown as U+FFFD")
    if not any(s.strip() for s in lines):
        raise SourceError(rel, "RTF without text; not read")
    return raw_from_text(rel, data, "\n".join(lines), "rtf", encoding="RTF" + (f" (cp{codepage})" if codepage else ""),
                         layout_removed=removed, warnings=warnings)
