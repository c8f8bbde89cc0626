"""Citations of one speech: GB/T 7714-2015, BibTeX and CSL-JSON.

Researchers quote these speeches in papers, so every page carries a reference they can
paste. Only what the archive knows goes in: an unknown speaker, source or date is left
out rather than guessed (GB/T 7714 allows omitting an unknown element). The access date
([引用日期]) is the reader's to add: a build date inside pages would make two builds of
one corpus differ.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from generator.model import Document


def site_url() -> str:
    """The site's base URL as mkdocs.yml gets it (`site_url: !ENV [SITE_URL, ""]`), with a
    trailing slash; "" when unset (a local build), in which case URLs stay relative."""
    url = os.environ.get("SITE_URL", "").strip()
    return url if not url or url.endswith("/") else url + "/"


def page_path(doc: Document) -> str:
    return f"archive/speeches/{doc.id}.html"


def page_url(doc: Document, base: str | None = None) -> str:
    """The page's permanent URL, or its site-relative path when no site_url is set."""
    return (site_url() if base is None else base) + page_path(doc)


def speakers(doc: Document) -> list[str]:
    return [str(s["name"]) for s in (doc.value("speakers") or []) if s.get("name")]


def source_name(doc: Document) -> str | None:
    src = doc.value("source")
    if isinstance(src, dict) and src.get("name"):
        return str(src["name"])
    return None


def date_parts(doc: Document) -> list[int]:
    """[year, month, day] as far as the date is known (precision respected)."""
    d = doc.value("date")
    if not d:
        return []
    parts = [int(x) for x in re.findall(r"\d+", str(d))[:3]]
    keep = {"year": 1, "month": 2}.get(str(doc.value("date_precision") or "day"), 3)
    return parts[:keep]


def date_text(doc: Document) -> str | None:
    parts = date_parts(doc)
    if not parts:
        return None
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))


def gbt7714(doc: Document, url: str) -> str:
    """主要责任者. 题名[EB/OL]. 出版者, 日期. 获取和访问路径."""
    out = []
    names = speakers(doc)
    if names:
        out.append(", ".join(names) + ". ")
    out.append(f"{doc.title}[EB/OL]. ")
    tail = ", ".join(x for x in (source_name(doc), date_text(doc)) if x)
    if tail:
        out.append(tail + ". ")
    out.append(url + ".")
    return "".join(out)


def _bib(value: str) -> str:
    """BibTeX field text: braces and TeX specials escaped, so a title cannot break the entry."""
    value = value.replace("\\", r"\textbackslash{}")
    value = re.sub(r"([{}%&$#_^~])", r"\\\1", value)
    return value.replace(r"\textbackslash\{\}", r"\textbackslash{}")


def bibtex_key(doc: Document) -> str:
    return "speech-" + re.sub(r"[^A-Za-z0-9-]", "-", doc.id)


def bibtex(doc: Document, url: str) -> str:
    fields: list[tuple[str, str]] = []
    names = speakers(doc)
    if names:
        fields.append(("author", " and ".join("{" + _bib(n) + "}" for n in names)))
    fields.append(("title", "{" + _bib(doc.title) + "}"))
    if source_name(doc):
        fields.append(("howpublished", "{" + _bib(str(source_name(doc))) + "}"))
    dt = date_text(doc)
    if dt:
        fields.append(("year", "{" + dt[:4] + "}"))
        fields.append(("date", "{" + dt + "}"))
    fields.append(("url", "{" + url + "}"))
    fields.append(("note", "{[EB/OL]}"))
    body = ",\n".join(f"  {k} = {v}" for k, v in fields)
    return f"@misc{{{bibtex_key(doc)},\n{body}\n}}"


def csl(doc: Document, url: str) -> dict[str, Any]:
    """CSL-JSON item (type speech), the format Zotero and pandoc read."""
    item: dict[str, Any] = {"id": bibtex_key(doc), "type": "speech", "title": doc.title}
    names = speakers(doc)
    if names:
        item["author"] = [{"literal": n} for n in names]
    if date_parts(doc):
        item["issued"] = {"date-parts": [date_parts(doc)]}
    if source_name(doc):
        item["publisher"] = source_name(doc)
    if doc.value("meeting"):
        item["event-title"] = str(doc.value("meeting"))
    place = doc.value("place") or {}
    where = "".join(str(place[k]) for k in ("province", "city", "county") if place.get(k))
    if where:
        item["event-place"] = where
    if doc.value("genre"):
        item["genre"] = str(doc.value("genre"))
    item["URL"] = url
    item["language"] = doc.script
    return item


def csl_json(doc: Document, url: str) -> str:
    return json.dumps([csl(doc, url)], ensure_ascii=False, indent=2)
