"""Passages: a document's paragraphs as units a researcher can count, quote and link.

A report is one long string in corpus.jsonl.gz; comparing "the passages on industry" across
provinces needs smaller units with stable addresses. The unit is the paragraph as cleaning
left it, numbered from 1 in Document.paragraphs (the original script's order, which the
simplified text shares one to one), so paragraph 12 is `#p-12` on the speech page and
`n: 12` in data/passages.jsonl.gz, and a citation of a paragraph survives any rebuild that
leaves the cleaning unchanged.

Each passage carries the numbered section it belongs to (`三、（二）`), read from the same
outline that makes the page's headings (publish/outline.py), so the path and the page's
table of contents never disagree.

A passage's text is not repeated in passages.jsonl.gz: it carries `start` and `end`, the
paragraph's place in corpus.jsonl.gz's `text` (in characters, as Python, R and pandas count
them). A fourth copy of every text (the page, the search's snippet store and the corpus
download already hold one each) cost ~7 KB per document of a Pages site limited to 1 GB,
and one join on `doc` = `id` gives it back exactly (README, "Passages").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from generator.model import Document
from generator.publish.outline import KINDS, outline

PASSAGES_GZ = "passages.jsonl.gz"
# corpus.jsonl.gz's `text` joins the paragraphs with this; the passages join back into it
SEPARATOR = "\n\n"


def anchor(n: int) -> str:
    """The id of paragraph n (1-based) on its speech page."""
    return f"p-{n}"


def texts(doc: Document) -> list[str]:
    """The paragraphs as published in corpus.jsonl.gz's `text`: simplified script."""
    return doc.simplified if doc.simplified is not None else doc.paragraphs


def _prefix(paragraph: str, kind: str) -> str:
    """The numbering as written at the start of a heading line (三、, （二）, 第一部分)."""
    pattern = dict(KINDS)[kind]
    m = pattern.match(paragraph.strip())
    return m.group(0) if m else ""


def section_paths(paragraphs: list[str]) -> list[str]:
    """For each paragraph, the numbered section path it belongs to, or "" before the
    first heading. A heading belongs to its own section. Levels skipped by the text (a
    （一） with no 一、 above it) simply leave no prefix for that level."""
    heads = {h.index: h for h in outline(paragraphs)}
    stack: list[str] = []
    out: list[str] = []
    for i, p in enumerate(paragraphs):
        h = heads.get(i)
        if h is not None:
            stack = stack[: h.level - 1] + [""] * max(0, h.level - 1 - len(stack))
            stack.append(_prefix(p, h.kind))
        out.append("".join(stack))
    return out


def passages(doc: Document) -> list[dict[str, Any]]:
    """One record per paragraph: doc id, number from 1, section path, and where the
    paragraph is in the document's corpus text: text[start:end] (simplified script)."""
    paras = texts(doc)
    out, at = [], 0
    for n, (t, s) in enumerate(zip(paras, section_paths(paras), strict=True), start=1):
        out.append({"doc": doc.id, "n": n, "section": s, "start": at, "end": at + len(t)})
        at += len(t) + len(SEPARATOR)
    return out


def passages_jsonl(docs: Iterable[Document]) -> str:
    """JSON Lines, documents in the order given (the caller sorts by id), paragraphs in order."""
    return "".join(passages_lines(docs))


def passages_lines(docs: Iterable[Document]) -> Iterator[str]:
    """passages_jsonl's lines one document at a time (written as they come: the whole
    file at once grows with the archive)."""
    for d in docs:
        yield "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in passages(d))


def passage_link(n: int, with_id: bool = False) -> str:
    """The small link after paragraph n: its number drawn by CSS (archive.css, `.sa-pn`),
    so copying the text never copies the numbers, while the link's accessible name says
    which paragraph it is (第12段). On a heading the id sits on the link (the heading's own id is
    its section's); on a paragraph the id is the paragraph's (attr_list), so #p-n scrolls
    to the paragraph's start."""
    ident = f' id="{anchor(n)}"' if with_id else ""
    # short on purpose: one per paragraph, on every page of the site
    return f'<a class="sa-pn"{ident} href="#{anchor(n)}" data-n="{n}" aria-label="第{n}段"></a>'
