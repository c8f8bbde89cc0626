"""Annotate stage: per-document metadata with evidence.

Precedence: editor's annotation > source front matter > inferred from the text.
Every inferred value keeps the sentence it came from; what the text does not say
stays unknown (None), never filled with today's date or a guess.
"""

from __future__ import annotations

import re
from datetime import date as Date

from .model import Document, Field, RawDoc

_FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{2}:?\d{2}|Z)?)?$")
_MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SENT = re.compile(r"[^。！？!?\n]*[。！？!?]?")


def _valid(y: int, m: int, d: int) -> bool:
    try:
        Date(y, m, d)
    except ValueError:
        return False
    return 1949 <= y <= 2100


def parse_given_date(value: object) -> tuple[str | None, str | None]:
    """Front-matter date → (ISO date, ISO datetime with zone when given)."""
    s = str(value).strip()
    m = _ISO_DATE.match(s)
    if not m:
        return None, None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not _valid(y, mo, d):
        return None, None
    day = f"{y:04d}-{mo:02d}-{d:02d}"
    if m.group(4):
        tz = m.group(7) or ""
        if tz and tz != "Z" and ":" not in tz:
            tz = tz[:3] + ":" + tz[3:]
        hh, mm, ss = int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)
        return day, f"{day}T{hh:02d}:{mm:02d}:{ss:02d}{tz}"
    return day, None


def sentence_at(text: str, pos: int) -> str:
    start = max(text.rfind(c, 0, pos) for c in "。！？\n") + 1
    ends = [i for i in (text.find(c, pos) for c in "。！？\n") if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()


def infer_date(doc: Document, published: str | None) -> None:
    """The date of the speech or meeting as the text states it.

    A full date in the opening lines (a speech's '(2021年2月23日)' line) wins. A
    month-day in a dateline or the first sentence ('8月1日，市委召开…') takes its year
    from the publication date only when that is known and the month-day is not after
    it; otherwise the year stays unknown and only `date_text` is recorded.
    """
    head = "\n".join(doc.search_text.split("\n")[:6])[:600]
    m = _FULL_DATE.search(head)
    if m and _valid(int(m.group(1)), int(m.group(2)), int(m.group(3))):
        y, mo, d = (int(x) for x in m.groups())
        doc.meta["date"] = Field(f"{y:04d}-{mo:02d}-{d:02d}", "inferred", sentence_at(head, m.start()))
        doc.meta["date_precision"] = Field("day", "inferred", None)
        doc.meta["date_text"] = Field(m.group(0), "inferred", None)
        return
    m = _MONTH_DAY.search(head)
    if m:
        mo, d = int(m.group(1)), int(m.group(2))
        ev = sentence_at(head, m.start())
        doc.meta["date_text"] = Field(m.group(0), "inferred", ev)
        if published:
            py, pm, pd = (int(x) for x in published.split("-"))
            year = py if (mo, d) <= (pm, pd) else py - 1
            if _valid(year, mo, d):
                doc.meta["date"] = Field(f"{year:04d}-{mo:02d}-{d:02d}", "inferred", ev)
                doc.meta["date_precision"] = Field("day", "inferred", None)
                return
        doc.meta["date"] = Field(None, "inferred", ev)
        doc.meta["date_precision"] = Field(None, "inferred", None)


def annotate(doc: Document, raw: RawDoc) -> None:
    """Fill metadata fields for one document from front matter and text."""
    fm = raw.front_matter
    published: str | None = None
    if "date" in fm:
        day, stamp = parse_given_date(fm["date"])
        if day:
            published = day
            doc.meta["published"] = Field(stamp or day, "given", "front matter")
    elif "published" in doc.meta and doc.meta["published"].value:
        published = str(doc.meta["published"].value)
    infer_date(doc, published)
    if "date" not in doc.meta and published:
        status = "given" if "date" in fm else "inferred"
        doc.meta["date"] = Field(published, status, "publication date")
        doc.meta["date_precision"] = Field("day", status, None)
    for key in ("categories", "tags"):
        val = fm.get(key)
        if isinstance(val, str):
            val = val.split()
        if isinstance(val, list):
            for t in val:
                t = str(t).strip()
                if t and t not in doc.given_tags:
                    doc.given_tags.append(t)
    if "source_url" not in doc.meta:
        for key in ("source_url", "url", "link", "permalink"):
            if isinstance(fm.get(key), str) and fm[key].startswith(("http://", "https://")):
                doc.meta["source_url"] = Field(fm[key], "given", "front matter")
                break
    doc.meta["chars"] = Field(len(re.sub(r"\s", "", "".join(doc.paragraphs))), "inferred", None)
    # about 300 characters a minute, a common reading speed for Chinese prose
    doc.meta["reading_minutes"] = Field(max(1, round(doc.meta["chars"].value / 300)), "inferred", None)
