"""Lost characters: text a site or a copy converted through an encoding that lacked some
characters shows each lost one as '?' ('??? 本報訊', '以?十年磨一劍?的'). Nothing can
bring them back, but a reader must know the text is damaged: the file gets a warning
(on the page and in report.json), so the report no longer calls it clean. U+FFFD from
undecodable bytes is warned about where the file is read (`read`)."""

from __future__ import annotations

import re

_HAN = "\u3400-\u9fff"
# a run of '?' (never a question: Chinese questions end with '？'), or one '?' between
# two Han characters after a character that does not end a question
_LOST = re.compile(rf"\?{{2,}}|(?<=[{_HAN}])(?<![吗呢么吧啊呀嘛])\?(?=[{_HAN}])")


def lost_characters(text: str, source_path: str, first_line: int = 1) -> str | None:
    """A warning naming the file, the first damaged line and how many characters were
    lost, or None for an undamaged text."""
    count = 0
    first: int | None = None
    for n, line in enumerate(text.split("\n")):
        found = sum(len(m.group(0)) for m in _LOST.finditer(line))
        if found and first is None:
            first = n
        count += found
    # a single '?' may be a half-width question mark ('…在减弱?差距就在…'); only runs
    # show damage for certain, and then the single ones around them are damage too
    if not count or first is None or not re.search(r"\?{2,}", text):
        return None
    return (f"{source_path}:{first_line + first}: {count} character(s) lost before the archive received the text "
            f"(shown as '?'); the text is damaged there")
