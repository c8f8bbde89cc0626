"""Per-document results kept on disk for the length of one build and read back when a
stage asks for them (issue 22, "flat memory").

The per-document stages leave, besides each Document, its search-index terms and its
d/<n>.js record (publish.search.DocTerms, about 55 KB a document) and its term counts
and MinHash signature (link.LinkPrep, about 11 KB). The whole-archive stages read them
one document at a time, each in its own pass, so holding all of them at once made
memory grow with the archive: 66 of the 90 KB per document the generate process held
after the per-document stages, measured at 1,000 documents. A Spill holds in memory only
where each value lies in one temporary file (an offset and a length per document);
reading one back is a pread and a pickle load of that value alone.

The file is unnamed (tempfile.TemporaryFile), so it disappears when the build ends or
fails, and it lives beside the document cache rather than in /tmp, which may be a
memory-backed filesystem. Pickle is safe here: the file is written and read by this
process only.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import IO, TypeVar

V = TypeVar("V")


class Spill(MutableMapping[str, V]):
    """A dict of per-document values whose values live in a file: same keys, same order
    of insertion, same values (each read is a fresh copy, so mutating one changes
    nothing stored)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self._at: dict[str, tuple[int, int]] = {}

    def __setitem__(self, key: str, value: V) -> None:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        end = self._fh.seek(0, os.SEEK_END)
        self._fh.write(data)
        self._at[key] = (end, len(data))  # set again: keeps its place, as in a dict

    def __getitem__(self, key: str) -> V:
        off, n = self._at[key]
        self._fh.flush()
        data = os.pread(self._fh.fileno(), n, off)
        if len(data) != n:
            raise OSError(f"the build's temporary store {getattr(self._fh, 'name', '')} was cut short")
        return pickle.loads(data)

    def __delitem__(self, key: str) -> None:
        del self._at[key]  # the bytes stay in the file until the build ends

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


class DocumentStore:
    """The temporary file one build's Spills share; closed (and so removed) by close()
    or when the build's process ends."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._fh = tempfile.TemporaryFile(dir=directory, prefix="build-store-")

    def spill(self) -> Spill:
        return Spill(self._fh)

    def close(self) -> None:
        self._fh.close()
