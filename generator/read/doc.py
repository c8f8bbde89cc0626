"""DOC reader (Word 97-2003, still common on Chinese government sites): Debian's
antiword, run as a program, with its UTF-8 mapping so Chinese comes out as written.

antiword over catdoc: on the project's .doc (LibreOffice's Word 97 export of
tests/fixtures/formats/report.docx) antiword gave every Han character of the text and
the table, while catdoc silently lost a whole paragraph (107 characters) and printed the
running header into the text. antiword prints tables as rows of |-separated cells; they
are kept as rows (tab-separated, as the other readers give them). It leaves the running
header and footer out, as Word keeps them apart from the body.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from generator.model import RawDoc, SourceError
from generator.read.extracted import raw_from_text, require, source_bytes

INSTALL = "apt-get install antiword"
# Word files are built of 512-byte sectors. A file that carries a few bytes more (appended
# by a download or a mail program) is refused by antiword as "not a Word Document"
# although every sector is intact; such a file is read from a copy padded to whole
# sectors (the source itself is never changed).
SECTOR = 512


def read_doc(path: Path, corpus: Path) -> RawDoc:
    rel, data = source_bytes(path, corpus)
    tool = require("antiword", rel, "reading a Word 97-2003 .doc file", INSTALL)
    if len(data) % SECTOR:
        with tempfile.NamedTemporaryFile(suffix=".doc") as padded:
            padded.write(data + b"\0" * (-len(data) % SECTOR))
            padded.flush()
            raw = _read(rel, data, tool, Path(padded.name))
        raw.warnings.append(f"{rel}: ends in a partial 512-byte sector ({len(data) % SECTOR} byte(s)), which "
                            f"antiword refuses; read from a copy padded to whole sectors")
        return raw
    return _read(rel, data, tool, path)


def _read(rel: str, data: bytes, tool: str, path: Path) -> RawDoc:
    proc = subprocess.run([tool, "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True,
                          env={**os.environ, "LC_ALL": "C.UTF-8"}, check=False)
    if proc.returncode != 0:
        why = proc.stderr.decode("utf-8", "replace").replace(str(path), rel).strip().splitlines()
        raise SourceError(rel, f"antiword could not read this .doc ({why[-1] if why else 'exit ' + str(proc.returncode)}); not read")
    text = proc.stdout.decode("utf-8", "replace")
    lines: list[str] = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("|") and s.endswith("|") and s.count("|") >= 3:
            cells = [c.strip() for c in s.strip("|").split("|")]
            lines.append("\t".join(c or " " for c in cells))
        elif s:
            lines.append(s)
    warnings = []
    if "\ufffd" in text:
        warnings.append(f"{rel}: antiword gave {text.count(chr(0xFFFD))} unreadable character(s), shown as U+FFFD")
    return raw_from_text(rel, data, "\n".join(lines), "doc", encoding="DOC (Word 97-2003, antiword)",
                         warnings=warnings)
