"""The tail of a copied page: a licence notice, the site's footer and stray link words.

A page copied from a wiki or a government site often ends with what the site prints
under every article: a licence notice ('本作品来自…依据《著作权法》…属于公有领域',
'Public domain'), the footer (版权所有, ICP备案, 网站地图) and the text of buttons and
template switches the copy kept ('false', 'Public domain'). None of it is the speech; it
is removed like other boilerplate and listed on the page, so it never becomes a keyword
or a chart label. The rules read the shape of such a tail, never one site's wording:
only a block at the very end, opened by a notice's own first words and holding a
licence term, or footer lines after the last sentence of the text.
"""

from __future__ import annotations

import re
from typing import Protocol

_LICENCE = re.compile(r"著作权|版权|公有领域|知识共享|许可协议|Public\s+domain|Creative\s+Commons|CC[- ]BY|GFDL|GNU",
                      re.IGNORECASE)
# the first words of a notice about the page itself
_NOTICE_START = re.compile(r"^(?:本作品|本文(?:档|章)?(?:来自|是|在|属于|采用|根据|依据|由|遵循)|本条目|本页面?|This\s+work\b)",
                           re.IGNORECASE)
# a button's or a template switch's text left alone on a line
_LINK_WORD = re.compile(r"^(?:false|true|null|undefined|none|Public\s+domain|[A-Za-z][A-Za-z .'\-]{0,24})$", re.IGNORECASE)
_FOOTER = re.compile(r"版权所有|Copyright|©|ICP\s*备|公网安备|网站标识码|网站地图|主办单位|承办单位|技术支持|页面执行")
_MAX_BLOCK_LINES = 40
_MAX_BLOCK_CHARS = 2500


class Remover(Protocol):
    def remove(self, rule: str, text: str, kept_as: str | None = None) -> None: ...


def strip_tail(lines: list[str], cl: Remover) -> list[str]:
    """Blank the licence notice, the footer and the stray link words at the end of the
    text; each removed line is recorded under the `page-footer` rule."""
    idx = [i for i, s in enumerate(lines) if s.strip()]
    if len(idx) < 2:
        return lines
    cut = len(idx)
    # stray link words after the last line of text
    while cut > 1 and _LINK_WORD.match(lines[idx[cut - 1]].strip()) and not re.search(r"[\u4e00-\u9fff]", lines[idx[cut - 1]]):
        cut -= 1
    link_words = cut < len(idx)
    window = idx[max(1, cut - _MAX_BLOCK_LINES):cut]
    start = None
    # a notice about the page that names a licence term, running to the end
    for n, i in enumerate(window):
        if _NOTICE_START.match(lines[i].strip()):
            block = [lines[j] for j in window[n:]]
            if any(_LICENCE.search(s) for s in block) and sum(len(s) for s in block) <= _MAX_BLOCK_CHARS:
                start = idx.index(i)
                break
    if start is None:
        # footer lines after the last sentence: short, and at least one a footer mark
        k = cut
        while k > 1 and len(lines[idx[k - 1]].strip()) <= 100 and not lines[idx[k - 1]].strip().endswith("。"):
            k -= 1
        tail = idx[k:cut]
        marks = [n for n, i in enumerate(tail) if _FOOTER.search(lines[i])]
        if marks and len(tail) <= 8:
            start = k + marks[0]
    if start is None and not link_words:
        return lines
    out = list(lines)
    for i in idx[start if start is not None else cut:]:
        cl.remove("page-footer", lines[i])
        out[i] = ""
    return out
