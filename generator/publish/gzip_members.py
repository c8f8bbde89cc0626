"""The big gzip downloads as one member per group of documents, each member kept by its content.

corpus.jsonl.gz is every text of the archive compressed (76 MB at 10,000 synthetic
documents); compressing it took 6 of the write stage's 18 s after one new document, all
of it to make again the bytes the previous build had made. A gzip file may hold several
members one after the other (RFC 1952, 2.2), and every reader of the format reads them as
one stream: Python's gzip module, `zcat`, `gzip -t`, pandas, jq. So the file is written as
members, one per group of consecutive documents (in id order, as before), and a member whose
uncompressed bytes are the previous build's is copied from the previous file instead of
being compressed again: one new document costs its group's member.

The groups are cut by content, not by count, so that a new document does not shift every
later group: a group begins before a document whose id hashes to one in GROUP_ONE_IN
(CRC32), once the group holds something; a run of GROUP_MAX documents without such an id
is cut at GROUP_MAX (and then by count up to the run's next hashed id), as
stable_pages.py cuts index lists. A cold build cuts and compresses the same groups, so it
writes the same bytes as a rebuild (tests/test_gzip_members.py). Groups of about 16
documents leave compression where it was: deflate's window is 32 KB, about one document.

Where a member can be found is kept in `.cache/members/<name>.json`: the previous file's
size and modification time, and for each member the SHA-256 of its uncompressed bytes,
its offset and length. A member is taken from the previous file only when that file still
has the recorded stamp and the member's own trailer (CRC32 and length of the data) matches
the data it should hold; anything else (no index, a damaged one, a file changed by hand)
compresses the member again, so the cache can only save time, never change a byte.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import struct
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from generator.publish.output import Output
from generator.publish.stream_out import same_bytes

GROUP_ONE_IN = 16
GROUP_MAX = 64
LEVEL = 6  # as the single-member file had (stream_out.write_chunks)


def starts_group(key: str) -> bool:
    """Whether a group begins before the item with this key (when the group is not empty)."""
    return zlib.crc32(key.encode("utf-8")) % GROUP_ONE_IN == 0


def groups(items: Iterable[tuple[str, str]]) -> Iterator[str]:
    """The texts of `items` ((key, text) in file order) joined into groups, cut as the
    module says. Empty texts still count as items: the cut depends on keys alone."""
    group: list[str] = []
    for key, text in items:
        if group and (starts_group(key) or len(group) >= GROUP_MAX):
            yield "".join(group)
            group = []
        group.append(text)
    if group:
        yield "".join(group)


def member(data: bytes) -> bytes:
    """One gzip member of `data`: the reproducible header (no name, time 0)."""
    return gzip.compress(data, compresslevel=LEVEL, mtime=0)


def holds(found: bytes, data: bytes) -> bool:
    """Whether a member read from the previous file is a gzip member whose trailer names
    `data` (its CRC32 and length): a cheap check that the bytes are the ones recorded."""
    return (len(found) >= 18 and found[:3] == b"\x1f\x8b\x08"
            and found[-8:] == struct.pack("<LL", zlib.crc32(data), len(data) & 0xFFFFFFFF))


class MemberIndex:
    """Where each member of the previous file is, if that file is still the one recorded."""

    def __init__(self, cache_dir: Path | None, path: Path) -> None:
        self.file = cache_dir / f"{path.name}.json" if cache_dir else None
        self.path = path
        self.members: dict[str, tuple[int, int]] = {}
        if self.file is None or not self.file.is_file():
            return
        try:
            saved = json.loads(self.file.read_text(encoding="utf-8"))
            st = path.stat()
            if (saved["path"] == str(path) and saved["size"] == st.st_size
                    and saved["mtime_ns"] == st.st_mtime_ns):
                self.members = {k: (int(v[0]), int(v[1])) for k, v in saved["members"].items()}
        except FileNotFoundError:
            return  # the file itself is gone: every member is made again
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            print(f"note: {self.file}: unreadable ({type(exc).__name__}: {exc}); "
                  f"{path.name} is compressed whole again", file=sys.stderr)
            self.members = {}

    def save(self, members: dict[str, tuple[int, int]]) -> None:
        if self.file is None:
            return
        st = self.path.stat()
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_name(f".{self.file.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"path": str(self.path), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                                   "members": members}, sort_keys=True), encoding="utf-8")
        tmp.replace(self.file)


def _reuse(old: BinaryIO | None, where: tuple[int, int] | None, data: bytes) -> bytes | None:
    if old is None or where is None:
        return None
    old.seek(where[0])
    found = old.read(where[1])
    return found if holds(found, data) else None


def write_members(path: Path, items: Iterable[tuple[str, str]], cache_dir: Path | None = None) -> tuple[bool, int]:
    """Write `items` ((key, UTF-8 text) in order) to the gzip file `path` as one member per
    group, copying from the previous file the members `cache_dir`'s index finds there.
    The file is replaced only when its bytes change (its time stamp then stays, as
    stream_out.write_chunks keeps it). Returns (written, members compressed now)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    index = MemberIndex(cache_dir, path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    made: dict[str, tuple[int, int]] = {}
    compressed = 0
    try:
        old = path.open("rb") if index.members else None
        try:
            with tmp.open("wb") as raw:
                at = 0
                for text in groups(items):
                    data = text.encode("utf-8")
                    key = hashlib.sha256(data).hexdigest()
                    piece = _reuse(old, index.members.get(key), data)
                    if piece is None:
                        piece, compressed = member(data), compressed + 1
                    raw.write(piece)
                    made.setdefault(key, (at, len(piece)))
                    at += len(piece)
                if at == 0:  # no document: still a valid gzip file (of nothing)
                    raw.write(member(b""))
        finally:
            if old is not None:
                old.close()
        written = not (path.is_file() and same_bytes(tmp, path))
        if written:
            tmp.replace(path)
        index.save(made)
        return written, compressed
    finally:
        tmp.unlink(missing_ok=True)


def output_members(out: Output, path: Path, items: Iterable[tuple[str, str]], cache_dir: Path | None = None) -> bool:
    """write_members for a file of the generator's own folders, counted by `out` as
    stream_out.output_chunks counts it."""
    written, _ = write_members(out.adopt(path), items, cache_dir)
    if written:
        out.written += 1
    else:
        out.unchanged += 1
    return written
