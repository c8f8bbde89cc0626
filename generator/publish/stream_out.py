"""Whole-archive files written a document at a time, so no stage holds one of them whole.

catalog.json, passages.jsonl.gz and corpus.jsonl.gz were each made as one string of every
document's record, then encoded (and compressed) as one bytes object: at 10,000 documents
the corpus file alone was about 0.3 GB as a string and as much again as bytes, and it
grows with the archive (issue 22, "flat memory"). Here the records go straight into a
temporary file beside the target, compressed as they come when the file is gzip; the
result replaces the target only when its bytes differ, so an unchanged file keeps its
time stamp (the incremental render skips it), as Output.write_bytes does.

The bytes are the ones the whole-string way gave: deflate without flushes does not
depend on how its input is cut into pieces, and the gzip header is the same reproducible
one (no file name, zero time stamp) as export.gzip_bytes.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterable
from pathlib import Path

from generator.publish.output import Output


def write_chunks(path: Path, chunks: Iterable[str], compress: bool = False) -> bool:
    """Write the UTF-8 of `chunks` (gzip'd if `compress`) to `path` unless it already
    holds exactly those bytes; True if written. The temporary file is removed whatever
    happens, so a failed build leaves the target as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as raw:
            if compress:
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) as gz:
                    for chunk in chunks:
                        gz.write(chunk.encode("utf-8"))
            else:
                for chunk in chunks:
                    raw.write(chunk.encode("utf-8"))
        if path.is_file() and same_bytes(tmp, path):
            return False
        tmp.replace(path)
        return True
    finally:
        tmp.unlink(missing_ok=True)


def same_bytes(a: Path, b: Path, block: int = 1 << 20) -> bool:
    """Whether two files hold the same bytes, read a block at a time."""
    if a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            x, y = fa.read(block), fb.read(block)
            if x != y:
                return False
            if not x:
                return True


def output_chunks(out: Output, path: Path, chunks: Iterable[str], compress: bool = False) -> bool:
    """write_chunks for a file of the generator's own folders, counted by `out` as
    Output.write_bytes counts (produced, written or unchanged)."""
    path = out.adopt(path)
    written = write_chunks(path, chunks, compress)
    if written:
        out.written += 1
    else:
        out.unchanged += 1
    return written


def joined(first: str, parts: Iterable[str], sep: str, last: str) -> Iterable[str]:
    """first + sep.join(parts) + last, one piece at a time."""
    yield first
    for n, part in enumerate(parts):
        yield part if n == 0 else sep + part
    yield last
