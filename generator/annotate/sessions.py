"""The meeting a speech or report was delivered at, where its dateline or title names it.

A work report's dateline (`——2024年1月20日在广东省第十四届人民代表大会第二次会议上`) or a
speech's title (`在政协XX县第九届委员会第三次会议开幕式上的讲话`) names the session it was
delivered at. People's congress, political consultative conference and party congress
sessions are meetings of their own types; the session's full name is kept as written.
"""

from __future__ import annotations

import re

from generator.model import Document, Field

_AT = re.compile(r"在([^在，。；！？\n]{2,60}?(?:会议|大会|全会))(?:开幕式|闭幕式|开幕会|闭幕会|全体会议|预备会议)?上")
# a resolution's title or adoption line (…第三次会议关于…的决议, 2023年3月13日…会议通过), a
# speaker's own words (向第十四届…会议作报告)
_OTHER = [re.compile(r"^((?:第|中国共产党)[^，。；\n]{2,40}?(?:会议|大会))关于"),
          re.compile(r"\d日((?:第|中国共产党)?[^，。；（）()\n]{2,40}?(?:会议|大会))通过"),
          re.compile(r"向((?:党的)?第[^，。；\n]{2,40}?(?:会议|大会))(?:作|报告|提出)")]
# (pattern on the session's name, meeting type), most specific first
SESSION_TYPES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"人民代表大会常务委员会|人大常委会"), "人大常委会会议"),
    (re.compile(r"人民代表大会|人大(?:第[一二三四五六七八九十\d]+次)?会议|届人大"), "人民代表大会"),
    (re.compile(r"政治协商会议|政协"), "政协会议"),
    (re.compile(r"(?:中国共产党|中共|党的)[^，。]{0,30}?代表大会|党代会|党代表大会"), "党代表大会"),
]
TYPES = sorted({t for _, t in SESSION_TYPES})


def session_type(name: str) -> str | None:
    for pattern, kind in SESSION_TYPES:
        if pattern.search(name):
            return kind
    return None


def meeting_from_session(doc: Document) -> bool:
    """Set the meeting from the dateline, else the title or the opening lines, when they
    name a congress, conference or party congress session. The dateline is the document's
    own statement and wins over a meeting the text mentions; the title and the opening
    (a resolution's adoption line, 向第…会议作报告) only fill an unknown meeting
    or one of no known type."""
    from generator.clean.script import to_simplified

    sources = [to_simplified(str(doc.value("dateline") or ""))]
    if not doc.value("meeting") or doc.value("meeting_type") == "其他":
        sources.append(str(doc.value("title") or ""))
        sources += (doc.simplified or doc.paragraphs)[:5]
    for source in sources:
        matches = [*_AT.finditer(source), *(m for p in _OTHER for m in p.finditer(source))]
        for m in matches:
            kind = session_type(m.group(1))
            if kind:
                doc.meta["meeting"] = Field(m.group(1), "inferred", source)
                doc.meta["meeting_type"] = Field(kind, "inferred", source)
                return True
    return False
