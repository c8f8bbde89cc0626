"""Page ids from corpus paths, and the list of sources: what every reader and the
pipeline agree on before any file is read."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path


def file_id_for(rel_path: str) -> str:
    """Stable page id from the corpus path only, so better cleaning never moves a URL.

    ASCII path parts are kept readable; anything else (Chinese file names, spaces) is
    replaced by a short hash of the full path so ids stay URL-safe and unique.
    """
    stem = rel_path.rsplit(".", 1)[0] if "." in rel_path.rsplit("/", 1)[-1] else rel_path
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    pure = re.fullmatch(r"[A-Za-z0-9._/-]+", stem) is not None
    if not slug or not pure:
        digest = hashlib.sha1(rel_path.encode("utf-8")).hexdigest()[:10]
        slug = f"{slug}-{digest}" if slug and len(slug) >= 3 else f"doc-{digest}"
    return slug


def assign_file_ids(rel_paths: list[str]) -> dict[str, str]:
    """Unique ids for a whole corpus. The first file (in path order) keeps the plain
    id; a later file whose name differs only by extension or punctuation gets the
    extension appended, then a path hash, so two sources never share a page."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for rel in sorted(rel_paths):
        fid = file_id_for(rel)
        if fid in taken:
            ext = re.sub(r"[^a-z0-9]", "", rel.rsplit(".", 1)[-1].lower()) if "." in rel else ""
            fid = f"{fid}-{ext}" if ext else fid
        if fid in taken:
            fid = f"{fid}-{hashlib.sha1(rel.encode('utf-8')).hexdigest()[:8]}"
        taken.add(fid)
        out[rel] = fid
    return out


def iter_sources(corpus: Path) -> list[Path]:
    """Every source file under corpus/, sorted by path for deterministic output.

    Hidden files, annotations, READMEs, links and special files are not sources; the
    walk (entries.list_corpus) says why for each, and the pipeline reports them.
    """
    from generator.read.entries import list_corpus

    return list_corpus(corpus).sources
