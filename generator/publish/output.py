"""Writing generated files only when their bytes change, and removing stale ones.

MkDocs' live preview, rsync-like deploys and the benchmark's rebuild all pay for every
file touched. After adding one document to 10,000, nearly every page, index and search
shard has the same bytes as before; rewriting them anyway would make a rebuild as slow
as a cold build. The generator owns a fixed set of folders (docs/archive/,
docs/searchindex/, docs/data/): anything found there that this run did not produce is
stale (a removed document's page) and is deleted.
"""

from __future__ import annotations

import os
from pathlib import Path

# Folders under docs/ the generator writes; hand-written pages live elsewhere.
OWNED = ("archive", "searchindex", "data")


class Output:
    """Collects the files of one run under `docs_dir`, writing only changed bytes."""

    def __init__(self, docs_dir: Path, owned: tuple[str, ...] = OWNED) -> None:
        self.docs_dir = docs_dir
        self.owned = owned
        self.produced: set[Path] = set()
        self.written = 0
        self.unchanged = 0
        self.removed = 0

    def _check(self, path: Path) -> Path:
        path = path if path.is_absolute() else self.docs_dir / path
        rel = path.relative_to(self.docs_dir)  # raises for a path outside docs/
        if rel.parts[0] not in self.owned or ".." in rel.parts:
            raise ValueError(f"the generator does not own {rel}")
        return path

    def write_bytes(self, path: Path, data: bytes) -> bool:
        """Write `data` unless the file already holds exactly it; True if written."""
        path = self._check(path)
        self.produced.add(path)
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                self.unchanged += 1
                return False
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        self.written += 1
        return True

    def adopt(self, path: Path) -> Path:
        """The checked path of a file this run writes by other means (stream_out.py)."""
        path = self._check(path)
        self.produced.add(path)
        return path

    def keep(self, path: Path) -> None:
        """A file this run produced by other means (written directly); not stale."""
        self.produced.add(self._check(path))

    def write_text(self, path: Path, text: str) -> bool:
        return self.write_bytes(path, text.encode("utf-8"))

    def copy(self, source: Path, path: Path) -> bool:
        from generator.read.entries import read_source_bytes  # a source, never through a link

        return self.write_bytes(path, read_source_bytes(source))

    def merge(self, other: Output) -> None:
        """Add the files another Output of this run produced (a stage run in a forked
        process, beside.py), so that remove_stale keeps them. Two stages producing one file
        would leave it to whichever wrote last: an error, not a race."""
        both = self.produced & other.produced
        if both:
            raise ValueError(f"two stages produced {min(both)}")
        self.produced |= other.produced
        self.written += other.written
        self.unchanged += other.unchanged

    def remove_stale(self) -> None:
        """Delete every file in the owned folders that this run did not produce, and
        the folders left empty. Walked with os.walk on strings: a Path per file of an
        archive's 26,000 cost seconds of every rebuild."""
        produced = {str(p) for p in self.produced}
        for name in self.owned:
            top = self.docs_dir / name
            if not top.is_dir():
                continue
            for dirpath, dirnames, filenames in os.walk(top, topdown=False):
                for f in filenames:
                    path = os.path.join(dirpath, f)
                    if path not in produced and os.path.isfile(path):
                        os.unlink(path)
                        self.removed += 1
                for d in dirnames:
                    path = os.path.join(dirpath, d)
                    if not os.path.islink(path) and not os.listdir(path):
                        os.rmdir(path)
