"""Which reader reads a file: by its content (magic bytes) first, then by extension.

Like Apache Tika's detection, the bytes decide, because files arrive misnamed (a .doc
that is a saved web page, a PDF without an extension). Formats that are not text are
registered here, one line each, the text readers (text, Markdown, HTML: read/text.py)
among them. Text has no signature, so for text alone the extension decides
(BY_EXTENSION). The name helps the other formats only where the bytes are shared by
several formats (an OLE2 file is a .doc, a .wps or a spreadsheet; a ZIP is a .docx or an
archive). Adding a format is one module with a `read(path, corpus) -> RawDoc` function,
one line in READERS and its signature in sniff.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.model import RawDoc, SourceError
from generator.read.doc import read_doc
from generator.read.docx import read_docx
from generator.read.mhtml import looks_like_mhtml, read_mhtml
from generator.read.ocr import read_image
from generator.read.pdf import read_pdf
from generator.read.rtf import read_rtf
from generator.read.text import read_html, read_markdown, read_text


def _unsupported(name: str, advice: str) -> Callable[[Path, Path], RawDoc]:
    def read(path: Path, corpus: Path) -> RawDoc:
        raise SourceError(path.relative_to(corpus).as_posix(), f"unsupported format: {name}; {advice}")

    return read


READERS: dict[str, Callable[[Path, Path], RawDoc]] = {
    "text": read_text,
    "markdown": read_markdown,
    "html": read_html,
    "pdf": read_pdf,
    "docx": read_docx,
    "doc": read_doc,
    "image": read_image,
    "mhtml": read_mhtml,
    "wps": _unsupported("WPS Office document (.wps)", "no maintained library reads it; save it as .docx or PDF"),
    "rtf": read_rtf,
    "ole": _unsupported("Office file that is not a Word document (Excel, PowerPoint?)",
                        "save the text as .docx or PDF"),
    "zip": _unsupported("ZIP archive that is not a Word .docx", "unpack it into corpus/"),
}

# Text sources carry no signature: their extension says how to read them.
BY_EXTENSION: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    "": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(head: bytes, suffix: str) -> str | None:
    """The format the first bytes say, or None for text (and anything unknown)."""
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in head[:4096] or suffix == ".docx" else "zip"
    if head.startswith(OLE):  # OLE2: Word 97-2003, WPS, Excel, PowerPoint
        if "WordDocument".encode("utf-16-le") in head:
            return "doc"  # a Word stream (WPS Office saves Word-compatible files so too)
        return "wps" if suffix == ".wps" else "doc" if suffix in (".doc", ".dot") else "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")):
        return "image" if not head.startswith(b"BM") or suffix == ".bmp" else None
    if looks_like_mhtml(head):
        return "mhtml"
    return None


def detect(path: Path) -> str | None:
    """The registered format of `path`, or None for the text readers. The bytes decide:
    a text file named .pdf is read as text (with the text readers' warning about its
    name), and a damaged binary file is reported by the text reader as not text."""
    from generator.read.entries import read_source_bytes

    try:
        data = read_source_bytes(path)  # as the readers open it: no link, no FIFO
    except OSError:
        return None  # the text reader reports the file it cannot open
    # an OLE2 stream directory can sit anywhere in the file
    head = data if data.startswith(OLE) else data[:8192]
    return sniff(head, path.suffix.lower())
