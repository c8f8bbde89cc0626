"""Every entry of corpus/, with its fate: a source to read, or why it is not one.

An archive that silently passes over a file loses it: the editor never learns that a
symlink, a pipe or an unreadable folder was there. So the walk lists every entry, and
each one that is not read as a source carries the reason the report shows.

Symbolic links are never followed. A link to a file or folder inside corpus/ would
publish the same text twice (its target is read under its own path); a link leaving
corpus/ would let a source publish /etc/passwd; a broken link has nothing to read.
Folders are entered without following links, so a link loop cannot hang the walk, and
files are opened with O_NOFOLLOW and checked to be regular files, so a FIFO cannot block
the run and a file swapped for a link after the walk is not read either.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

ANNOTATION_SUFFIX = ".meta.yml"  # the same as generator.read.ANNOTATION_SUFFIX
README_NAMES = frozenset({"readme.md", "readme"})


@dataclass(frozen=True)
class Entry:
    """One entry of corpus/ that is not read as a source, and why. `error` entries are
    problems for the editor (a source that could not be read); the rest are not sources."""

    rel: str
    reason: str
    error: bool


@dataclass
class Listing:
    sources: list[Path] = field(default_factory=list)
    others: list[Entry] = field(default_factory=list)


_SPECIAL = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
            (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def _special_kind(mode: int) -> str:
    for test, name in _SPECIAL:
        if test(mode):
            return name
    return "not a regular file"


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def list_corpus(corpus: Path) -> Listing:
    """Walk corpus/ in path order (deterministic) without following links."""
    root_path = corpus.resolve()
    root = str(root_path)
    out = Listing()

    def walk(folder: Path, rel_folder: str) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            out.others.append(Entry(rel_folder, f"{rel_folder}: not read: cannot list this folder "
                                                f"({exc.strerror or exc})", True))
            return
        names = {e.name for e in entries}
        for e in entries:
            rel = f"{rel_folder}/{e.name}" if rel_folder else e.name
            path = folder / e.name
            if e.name.startswith("."):
                out.others.append(Entry(rel, "not a source: a hidden file or folder (its name starts with "
                                             "'.'); not read", False))
                continue
            if e.is_symlink():
                out.others.append(_link_entry(path, rel, root))
                continue
            try:
                mode = e.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                out.others.append(Entry(rel, f"{rel}: not read: {exc.strerror or exc}", True))
                continue
            if stat.S_ISDIR(mode):
                walk(path, rel)
            elif not stat.S_ISREG(mode):
                out.others.append(Entry(rel, f"{rel}: not read: {_special_kind(mode)}, not a regular file", True))
            elif e.name.endswith(ANNOTATION_SUFFIX):
                target = e.name[: -len(ANNOTATION_SUFFIX)]
                if target in names:
                    out.others.append(Entry(rel, f"not a source: the editor's annotation of {target}, "
                                                 "applied to its page(s)", False))
                else:
                    out.others.append(Entry(rel, f"not a source: an editor's annotation, but there is no "
                                                 f"{target} beside it to apply it to", False))
            elif e.name.lower() in README_NAMES:
                out.others.append(Entry(rel, "not a source: a README describes its folder", False))
            else:
                out.sources.append(path)

    walk(corpus, "")
    return out


def _link_entry(path: Path, rel: str, root: str) -> Entry:
    target = os.path.realpath(path)
    if not os.path.exists(path):
        return Entry(rel, f"{rel}: not read: a broken symbolic link (its target does not exist)", True)
    if _inside(target, root):
        inner = Path(target).relative_to(root).as_posix()
        return Entry(rel, f"not a source: a symbolic link to {inner} inside the corpus; links are never "
                          "followed, the target is listed under its own path", False)
    return Entry(rel, f"{rel}: not read: a symbolic link to a target outside the corpus; the archive never "
                      "reads outside corpus/ (copy the file in instead)", True)


def read_source_bytes(path: Path) -> bytes:
    """A source's bytes, never through a link and never from a FIFO or device: the
    walk checked this already, and the open checks it again at the moment of reading."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(0, f"{_special_kind(mode)}, not a regular file")
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            return fh.read()
    finally:
        if fd >= 0:
            os.close(fd)
