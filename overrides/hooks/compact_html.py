"""MkDocs hook: collapse the theme's indentation between tags in every page.

Material's templates indent every tag and leave runs of blank lines; in a speech page
that is about 3 KB of whitespace, 7% of the page, repeated in each of 10,000 pages
(~30 MB of a Pages site limited to 1 GB). Only whitespace between a '>' and the next
'<' that contains a line break is touched, and it becomes one line break: such a run
renders as one space or nothing either way. Text, attribute values and the contents of
<pre>, <textarea>, <script> and <style> (where whitespace means something) are kept
byte for byte. Registered under `hooks:` in mkdocs.yml, so `mkdocs build`, `mkdocs
serve` and the archive's own render stage give the same pages.
"""

from __future__ import annotations

import re

_RAW = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_GAP = re.compile(r">[ \t]*\n\s*<")


def compact(html: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _RAW.finditer(html):
        out.append(_GAP.sub(">\n<", html[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_GAP.sub(">\n<", html[pos:]))
    return "".join(out)


def on_post_page(output: str, page, config) -> str:  # noqa: ANN001 - MkDocs' hook signature
    return compact(output)
