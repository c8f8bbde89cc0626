"""Lost characters: text a site or a copy converted through an encoding that lacked some
characters shows each lost one as '?' ('??? 本報訊', '以?十年磨一劍?的'). Nothing can
bring them back, but a reader must know the text is damaged: the file gets a warning
(on the page and in report.json), so the report no longer calls it clean. A U+FFFD the
file itself carries (a copy that replaced what it could not encode) is lost text too;
U+FFFD from bytes the archive could not decode is warned about where the file is read
(`read`), so the caller says whether to count it here."""

from __future__ import annotations

import re

_HAN = "\u3400-\u9fff"
# a run of '?' (never a question: Chinese questions end with '？'), or one '?' between
# two Han characters after a character that does not end a question
_LOST = re.compile(rf"\?{{2,}}|(?<=[{_HAN}])(?<![吗呢么吧啊呀嘛])\?(?=[{_HAN}])")


def lost_characters(text: str, source_path: str, first_line: int = 1, replacement: bool = True) -> str | None:
    """A warning naming the file, the first damaged line and how many characters were
    lost, or None for an undamaged text. `replacement`: count U+FFFD as well."""
    count = 0
    first: int | None = None
    # a single '?' may be a half-width question mark ('…在减弱?差距就在…'); only runs
    # show damage for certain, and then the single ones around them are damage too
    runs = bool(re.search(r"\?{2,}", text))
    for n, line in enumerate(text.split("\n")):
        found = sum(len(m.group(0)) for m in _LOST.finditer(line)) if runs else 0
        found += line.count("\ufffd") if replacement else 0
        if found and first is None:
            first = n
        count += found
    if not count or first is None:
        return None
    return (f"{source_path}:{first_line + first}: {count} character(s) lost before the archive received the text "
            f"(shown as '?' or U+FFFD); the text is damaged there")
