"""MkDocs hook: collapse the theme's indentation between tags in every page.

Material's templates indent every tag and leave runs of blank lines; in a speech page
that is about 3 KB of whitespace, 7% of the page, repeated in each of 10,000 pages
(~30 MB of a Pages site limited to 1 GB). Only whitespace between a '>' and the next
'<' that contains a line break is touched, and it becomes one line break: such a run
renders as one space or nothing either way. Text, attribute values and the contents of
<pre>, <textarea>, <script> and <style> (where whitespace means something) are kept
byte for byte. Registered under `hooks:` in mkdocs.yml, so `mkdocs build`, `mkdocs
serve` and the archive's own render stage give the same pages.

Two more savings of the same kind (issue 22: at most 45 KB per document):
- outside <article> (the theme's header, nav, table of contents and footer), a run of
  white space with a line break that touches a tag on one side also becomes one line
  break: Material's templates pad every nav label with blank lines and indentation
  (`<span class="md-ellipsis">\n    \n  \n    首页\n  \n\n    \n  </span>`), about 1 KB per
  page. None of the theme's chrome keeps white space (no `pre`/`pre-line` there); inside
  <article> nothing changes.
- a numeric character reference of printable ASCII other than & < > " ' (`&#40;`, `&#46;`,
  which the generator writes so that Markdown reads `(`, `.` or `*` in a speech as text)
  becomes the character itself: in HTML it means the same, in text and in attribute values,
  and it is 4 bytes shorter (about 0.6 KB per page of numbers and brackets).
"""

from __future__ import annotations

import re

_RAW = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_GAP = re.compile(r">[ \t]*\n\s*<")


_EDGE = re.compile(r"(?<=>)[ \t]*\n\s*|\s*\n[ \t]*(?=<)")
_ARTICLE = re.compile(r"<article\b.*?</article\s*>", re.S | re.I)
_NCR = re.compile(r"&#(\d{2,3});")
_PLAIN = frozenset(range(0x20, 0x7F)) - {ord(c) for c in "&<>\"'"}


def _char(m: re.Match[str]) -> str:
    n = int(m.group(1))
    return chr(n) if n in _PLAIN else m.group(0)


def _text(part: str, inside: bool) -> str:
    """One stretch of markup outside the raw elements; `inside`: it starts inside an
    <article> (opened before a raw element), left as it is up to the article's end."""
    part = _NCR.sub(_char, _GAP.sub(">\n<", part))
    if inside:
        close = re.search(r"</article\s*>", part, re.I)
        if close is None:
            return part
        return part[: close.end()] + _text(part[close.end() :], False)
    out: list[str] = []
    pos = 0
    for m in _ARTICLE.finditer(part):
        out.append(_EDGE.sub("\n", part[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    rest = part[pos:]
    cut = rest.lower().find("<article")  # opened here, closed after a raw element: left as it is
    cut = len(rest) if cut < 0 else cut
    out.append(_EDGE.sub("\n", rest[:cut]) + rest[cut:])
    return "".join(out)


def compact(html: str) -> str:
    out: list[str] = []
    pos = 0
    # an <article> holding a raw element spans several stretches: the chrome rule waits
    # until the article has ended
    for m in _RAW.finditer(html):
        out.append(_text(html[pos : m.start()], _inside_article(html, pos)))
        out.append(m.group(0))
        pos = m.end()
    out.append(_text(html[pos:], _inside_article(html, pos)))
    return "".join(out)


def _inside_article(html: str, at: int) -> bool:
    """Whether position `at` is inside an <article> (opened before it, not yet closed)."""
    opened = html.rfind("<article", 0, at)
    return opened >= 0 and html.rfind("</article", 0, at) < opened


def on_post_page(output: str, page, config) -> str:  # noqa: ANN001 - MkDocs' hook signature
    return compact(output)
