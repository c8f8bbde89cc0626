"""Read stage: corpus bytes → decoded text + given metadata.

One registry (formats.py) of readers by format, the format found by the file's bytes
and, for text, its extension; every reader honours the same contract
`read(path, corpus_root) -> RawDoc`. Sources are never modified. The readers live in
one module each (text.py, pdf.py, docx.py, …); this package keeps the dispatch and
re-exports what the other stages import.
"""

from __future__ import annotations

from pathlib import Path

from generator.model import RawDoc
from generator.read.encoding import (
    HAN,
    common_chars,
    decode,
    derive_common_chars,
    looks_like_mojibake,
    normalize_newlines,
    plausibility,
)
from generator.read.front_matter import NoDatesLoader, split_front_matter
from generator.read.html import extract_web_page, html_to_text, markdown_to_html
from generator.read.ids import assign_file_ids, file_id_for, iter_sources
from generator.read.text import read_html, read_markdown, read_text

# Editors' sidecar annotations live beside sources and are not sources themselves.
ANNOTATION_SUFFIX = ".meta.yml"

__all__ = [
    "ANNOTATION_SUFFIX", "HAN", "NoDatesLoader", "assign_file_ids", "common_chars", "decode",
    "derive_common_chars", "extract_web_page", "file_id_for", "html_to_text", "iter_sources",
    "looks_like_mojibake", "markdown_to_html", "normalize_newlines", "plausibility", "read", "read_html",
    "read_markdown", "read_text", "split_front_matter",
]


def read(path: Path, corpus: Path) -> RawDoc:
    """Dispatch on the format the bytes say, else on the extension; unknown extensions
    are read as plain text with a warning rather than skipped, because a source that
    silently vanishes is worse."""
    from generator.read.formats import BY_EXTENSION, READERS, detect

    fmt = detect(path) or BY_EXTENSION.get(path.suffix.lower())
    if fmt is None:
        doc = read_text(path, corpus)
        doc.warnings.append(f"{doc.source_path}: unknown extension {path.suffix!r}, read as plain text")
        return doc
    return READERS[fmt](path, corpus)
