"""Which reader reads a file: by its content (magic bytes) first, then by extension.

Like Apache Tika's detection, the bytes decide, because files arrive misnamed (a .doc
that is a saved web page, a PDF without an extension). Formats that are not text are
registered here, one line each; anything else goes to the text readers (text, Markdown,
HTML) in generator/read/__init__.py. Adding a format is one module with a
`read(path, corpus) -> RawDoc` function and one line in READERS (and in EXTENSIONS or
sniff when it has a name or a signature).
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


def _unsupported(name: str, advice: str) -> Callable[[Path, Path], RawDoc]:
    def read(path: Path, corpus: Path) -> RawDoc:
        raise SourceError(path.relative_to(corpus).as_posix(), f"unsupported format: {name}; {advice}")

    return read


READERS: dict[str, Callable[[Path, Path], RawDoc]] = {
    "pdf": read_pdf,
    "docx": read_docx,
    "doc": read_doc,
    "image": read_image,
    "mhtml": read_mhtml,
    "wps": _unsupported("WPS Office document (.wps)", "no maintained library reads it; save it as .docx or PDF"),
    "rtf": _unsupported("RTF", "no reader for RTF here yet; save it as .docx or PDF"),
    "ole": _unsupported("Office file that is not a Word document (Excel, PowerPoint?)",
                        "save the text as .docx or PDF"),
    "zip": _unsupported("ZIP archive that is not a Word .docx", "unpack it into corpus/"),
}

EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".wps": "wps", ".rtf": "rtf",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image", ".bmp": "image",
    ".mht": "mhtml", ".mhtml": "mhtml",
}


def sniff(head: bytes, suffix: str) -> str | None:
    """The format the first bytes say, or None for text (and anything unknown)."""
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in head[:4096] or suffix == ".docx" else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: Word 97-2003, WPS, Excel
        return "wps" if suffix == ".wps" else "doc" if suffix in ("", ".doc", ".dot") else "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")):
        return "image" if not head.startswith(b"BM") or suffix == ".bmp" else None
    if looks_like_mhtml(head):
        return "mhtml"
    return None


def detect(path: Path) -> str | None:
    """The registered format of `path`, or None for the text readers. Content wins; a
    name alone (an empty .pdf) is believed only when the content says nothing either."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError:
        return None
    found = sniff(head, path.suffix.lower())
    if found:
        return found
    by_name = EXTENSIONS.get(path.suffix.lower())
    if by_name in ("pdf", "docx", "image") and head.strip():
        return by_name  # a damaged file of a binary format: its reader says what is wrong
    return None
