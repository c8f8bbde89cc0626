"""Who published a page: front matter's `source`, the page's own source line, a known site.

The publisher is a fact the page states (`来源：XX日报`, a Jekyll post's `source:`) or that
its address gives away (a domain listed in generator/data/sites.yml). Nothing else is
taken as the source: a page that names none has an unknown source.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from generator.annotate.places import source_line
from generator.model import Document, Field

# the next label of an info line read as the value of an empty 来源： (来源： 发布时间：…)
_LABEL = re.compile(r"^(?:.*[:：]|(?:发布|更新)?(?:时间|日期)|作者|浏览(?:次数)?|点击|阅读|编辑|责任编辑|来源|字号)$")


def source_name(doc: Document, front_matter: dict[str, object], sites: dict[str, str]) -> None:
    """Fill `source_name` when cleaning found none: front matter, then the source line,
    then the site of the page's address."""
    current = str(doc.value("source_name") or "")
    if current and not _LABEL.match(current):
        bare = re.sub(r"^[【\[]+|[】\]]+$", "", current)
        if bare != current:
            doc.meta["source_name"].value = bare
        return
    doc.meta.pop("source_name", None)  # a label read as a value (来源：浏览次数:) is no source
    given = front_matter.get("source") or front_matter.get("publisher")
    if isinstance(given, str) and given.strip():
        doc.meta["source_name"] = Field(given.strip(), "given", "front matter")
        return
    found = source_line(doc)
    if found and not _LABEL.match(found[0]):
        doc.meta["source_name"] = Field(found[0], "inferred", found[1])
        return
    url = str(doc.value("source_url") or front_matter.get("url") or front_matter.get("source_url") or "")
    host = (urlsplit(url).hostname or "").lower() if url.startswith(("http://", "https://")) else ""
    name = sites.get(host) or sites.get(host.removeprefix("www."))
    if name:
        doc.meta["source_name"] = Field(name, "inferred", f"网址 {url}（data/sites.yml）")
