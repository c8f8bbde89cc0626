"""Read stage: corpus bytes → decoded text + given metadata.

A small registry keyed by file extension; every reader honours the same contract
`read(path, corpus_root) -> RawDoc`. Sources are never modified. The readers live in
one module each (text.py, formats.py and the format modules); this package keeps the
dispatch and re-exports what the other stages import.
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
from generator.read.text import READERS, read_html, read_markdown, read_text

# Editors' sidecar annotations live beside sources and are not sources themselves.
ANNOTATION_SUFFIX = ".meta.yml"

__all__ = [
    "ANNOTATION_SUFFIX", "HAN", "READERS", "NoDatesLoader", "assign_file_ids", "common_chars", "decode",
    "derive_common_chars", "extract_web_page", "file_id_for", "html_to_text", "iter_sources",
    "looks_like_mojibake", "markdown_to_html", "normalize_newlines", "plausibility", "read", "read_html",
    "read_markdown", "read_text", "split_front_matter",
]


def read(path: Path, corpus: Path) -> RawDoc:
    """Dispatch on extension; unknown extensions are read as plain text with a warning
    rather than skipped, because a source that silently vanishes is worse. Formats that
    are not text (PDF, Word, scans, MHTML) are recognized by content in formats.py."""
    from generator.read.formats import READERS as FORMAT_READERS
    from generator.read.formats import detect

    fmt = detect(path)
    if fmt is not None:
        return FORMAT_READERS[fmt](path, corpus)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        doc = read_text(path, corpus)
        doc.warnings.append(f"{doc.source_path}: unknown extension {path.suffix!r}, read as plain text")
        return doc
    return reader(path, corpus)
