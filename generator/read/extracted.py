"""What every reader of a non-text format shares: the RawDoc made from extracted text,
and a clear error when the tool a format needs is not on the machine."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from generator.model import OcrInfo, RawDoc, SourceError


def source_bytes(path: Path, corpus: Path) -> tuple[str, bytes]:
    """(corpus-relative path, the file's bytes), or the error naming the file."""
    from generator.read.entries import read_source_bytes

    rel = path.relative_to(corpus).as_posix()
    try:
        return rel, read_source_bytes(path)  # no link followed, a regular file only (entries.py)
    except OSError as exc:
        raise SourceError(rel, f"cannot read file: {exc.strerror or exc}") from None


def require(tool: str, rel: str, what: str, install: str) -> str:
    """The path of `tool`, or a SourceError that names the file and what to install, so
    one missing program costs the files that need it, never the build."""
    found = shutil.which(tool)
    if not found:
        raise SourceError(rel, f"{what} needs the program '{tool}', which is not installed here "
                               f"(missing tool; install: {install})")
    return found


def raw_from_text(rel: str, data: bytes, text: str, source_format: str, *, encoding: str,
                  layout_removed: list[tuple[str, str]] | None = None, headings: dict[str, int] | None = None,
                  ocr: OcrInfo | None = None, warnings: list[str] | None = None,
                  body_format: str = "text") -> RawDoc:
    """A RawDoc for text taken out of a binary format. The id is set by the pipeline
    (assign_file_ids); `encoding` says how the text was obtained (e.g. "PDF text layer")."""
    from generator.read import file_id_for, normalize_newlines

    return RawDoc(
        source_path=rel,
        file_id=file_id_for(rel),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding=encoding,
        text=normalize_newlines(text),
        body_format=body_format,  # type: ignore[arg-type]
        body_line=1,
        warnings=list(warnings or []),
        source_format=source_format,
        layout_removed=list(layout_removed or []),
        headings=dict(headings or {}),
        ocr=ocr,
    )
