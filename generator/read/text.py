"""Readers of text sources (plain text, Markdown, saved HTML pages): decoded by
plausibility, front matter split off, HTML and Markdown turned to text."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from generator.model import RawDoc, SourceError
from generator.read.encoding import decode, normalize_newlines
from generator.read.entries import read_source_bytes
from generator.read.front_matter import split_front_matter
from generator.read.html import extract_web_page, html_to_text, looks_like_html, markdown_to_html
from generator.read.ids import file_id_for


def _raw(path: Path, corpus: Path) -> tuple[str, str, bytes, str, str, list[str]]:
    rel = path.relative_to(corpus).as_posix()
    try:
        data = read_source_bytes(path)
    except OSError as exc:
        raise SourceError(rel, f"cannot read file: {exc.strerror or exc}") from None
    text, enc, warnings = decode(data, rel)
    if looks_binary(text):
        raise SourceError(rel, f"not a text file (mostly control or undecodable bytes in {enc}); not read")
    return rel, file_id_for(rel), data, normalize_newlines(text), enc, warnings


def looks_binary(text: str) -> bool:
    """A PDF, image or archive dropped into corpus/ would decode to a page of noise;
    it is reported instead. More than a tenth of control or replacement characters
    never happens in a real text, even a damaged one."""
    sample = text[:8000]
    if not sample:
        return False
    bad = sum(1 for c in sample if (c < " " and c not in "\t\n\r\f\v") or c == "\ufffd" or c == "\x7f")
    return bad > max(16, 0.1 * len(sample))


def _build(
    path: Path, corpus: Path, default_format: str, web_page: bool = False
) -> RawDoc:
    rel, fid, data, text, enc, warnings = _raw(path, corpus)
    fm, body, body_line = split_front_matter(text, rel)
    markup_removed: list[str] = []
    html_title = None
    fmt = default_format
    if web_page and not fm and re.search(r"<html|<body|<head", body[:5000], re.I):
        html_title, main, markup_removed = extract_web_page(body)
        body, lost = html_to_text(main)
        markup_removed += lost
        fmt = "html"
    elif looks_like_html(body) and default_format != "markdown-strict":
        body, lost = html_to_text(body)
        markup_removed += lost
        fmt = "html"
    elif default_format == "markdown":
        body, lost = html_to_text(markdown_to_html(body))
        markup_removed += lost
        fmt = "markdown"
    return RawDoc(
        source_path=rel,
        file_id=fid,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding=enc,
        text=body,
        body_format=fmt,  # type: ignore[arg-type]
        body_line=body_line,
        front_matter=fm,
        warnings=warnings,
        markup_removed=markup_removed,
        html_title=html_title,
    )


def read_text(path: Path, corpus: Path) -> RawDoc:
    return _build(path, corpus, "text")


def read_markdown(path: Path, corpus: Path) -> RawDoc:
    return _build(path, corpus, "markdown")


def read_html(path: Path, corpus: Path) -> RawDoc:
    return _build(path, corpus, "html", web_page=True)

