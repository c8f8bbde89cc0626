"""The whole run: read every source, clean, annotate, link, write.

Links and keywords need the whole archive, so each stage runs over every document
before the next starts. A broken source is reported with its path (and line) and
skipped; the rest of the archive still builds.
"""

from __future__ import annotations

import re
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .annotate import annotate, annotate_siblings, load_sites
from .clean import clean
from .link import link
from .model import Document, SourceError
from .read import assign_file_ids, iter_sources, read
from .report import write_report
from .segment import TokenCache, write_search_dictionary
from .write import write_all

# A file with fewer Han characters and letters than this is not a speech (an empty
# file, a stray line, a saved error page); it is reported and never becomes a page.
MIN_CHARS = 20
_CONTENT = re.compile(r"[A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass
class FileStatus:
    """What became of one source file, for docs/data/report.json."""

    source_path: str
    status: Literal["built", "warned", "skipped"]
    reason: str | None = None
    line: int | None = None
    documents: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Report:
    sources: int = 0
    documents: list[Document] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[FileStatus] = field(default_factory=list)
    files_written: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    seconds: float = 0.0
    stats: dict[str, object] = field(default_factory=dict)
    report_path: Path | None = None

    def summary(self) -> str:
        skipped = [f for f in self.files if f.status == "skipped"]
        lines = [
            f"sources read:      {self.sources}",
            f"documents:         {len(self.documents)}",
            f"files skipped:     {len(skipped)}",
            f"files written:     {self.files_written}",
            f"segmentation cache: {self.cache_hits} hit(s), {self.cache_misses} miss(es)",
            f"errors:            {len(self.errors)}",
            f"warnings:          {len(self.warnings)}",
            f"time:              {self.seconds:.1f} s",
        ]
        for e in self.errors:
            lines.append(f"ERROR   {e}")
        for f in skipped:
            if f.reason and f.reason.startswith("not published"):
                lines.append(f"SKIPPED {f.source_path}: {f.reason}")
        for w in self.warnings[:30]:
            lines.append(f"WARNING {w}")
        if len(self.warnings) > 30:
            lines.append(f"... and {len(self.warnings) - 30} more warning(s)")
        if self.report_path is not None:
            lines.append(f"every source file with its status, reason and line: {self.report_path}")
        return "\n".join(lines)


def _progress(done: int, total: int, label: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\x1b[K[{done}/{total}] {label[:70]}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def too_short(text: str, size: int) -> str | None:
    """Why a decoded body (of a file of `size` bytes) must not become a page, or None."""
    if size == 0:
        return "not published: the file is empty"
    if not text.strip():
        return "not published: the file holds only whitespace"
    n = len(_CONTENT.findall(text))
    if n < MIN_CHARS:
        return f"not published: too short ({n} Han characters or letters; a document needs at least {MIN_CHARS})"
    return None


def process_source(path: Path, corpus: Path, file_id: str, sites: dict[str, str]) -> tuple[list[Document], FileStatus]:
    """read → clean → annotate for one source file. Never raises: whatever goes wrong
    is the file's status (skipped, with the reason and line), and the rest of the
    archive builds."""
    from .annotations import apply_annotations

    rel = path.relative_to(corpus).as_posix()
    status = FileStatus(rel, "built")
    try:
        raw = read(path, corpus)
        raw.file_id = file_id
        why = too_short(raw.text, raw.size)
        if why:
            status.status, status.reason = "skipped", why
            status.warnings = list(raw.warnings)
            return [], status
        docs = clean(raw)
        left = sum(len(_CONTENT.findall(p)) for d in docs for p in d.paragraphs)
        if left < MIN_CHARS:
            removed = sum(len(d.removals) for d in docs[:1])
            status.status = "skipped"
            status.reason = (f"not published: only {left} Han characters or letters left after cleaning "
                             f"removed {removed} line(s) of page chrome or boilerplate")
            status.warnings = list(raw.warnings)
            return [], status
        for d in docs:
            annotate(d, raw, sites)
        try:
            annotate_siblings(docs)
        except Exception as exc:  # siblings only lend each other a year; never fatal
            for d in docs:
                d.warnings.append(f"{rel}: dates from sibling articles not used ({type(exc).__name__}: {exc})")
        try:
            apply_annotations(docs, path, corpus)
        except SourceError as exc:
            # a broken annotation must not hide the document; it is built without it
            status.reason, status.line = str(exc), exc.line
            status.warnings.append(str(exc))
    except SourceError as exc:
        status.status, status.reason, status.line = "skipped", str(exc), exc.line
        return [], status
    except Exception as exc:  # a bug must not take the archive down; it is reported
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        status.status = "skipped"
        status.reason = f"{rel}: unexpected {type(exc).__name__}: {exc} (at {tb.filename}:{tb.lineno})"
        return [], status
    for w in raw.warnings + [w for d in docs for w in d.warnings]:
        if w not in status.warnings:
            status.warnings.append(w)
    status.documents = [d.id for d in docs]
    if status.warnings:
        status.status = "warned"
    return docs, status


def collect(root: Path, progress: bool = True, corpus: Path | None = None) -> Report:
    """read → clean → annotate for every source; nothing is written.

    `corpus` defaults to `root/corpus`; tests pass a pinned corpus of their own.
    """
    t0 = time.perf_counter()
    report = Report()
    corpus = corpus or root / "corpus"
    sources = iter_sources(corpus) if corpus.is_dir() else []
    report.sources = len(sources)
    sites = load_sites()
    ids = assign_file_ids([p.relative_to(corpus).as_posix() for p in sources])
    for n, path in enumerate(sources, start=1):
        rel = path.relative_to(corpus).as_posix()
        if progress:
            _progress(n, len(sources), rel)
        docs, status = process_source(path, corpus, ids[rel], sites)
        record(report, docs, status)
    doc_ids = [d.id for d in report.documents]
    if len(doc_ids) != len(set(doc_ids)):
        raise RuntimeError("two documents got the same id; this is a bug in assign_file_ids")
    report.seconds = time.perf_counter() - t0
    return report


def record(report: Report, docs: list[Document], status: FileStatus) -> None:
    """Add one source's outcome to the run's report (errors, warnings, documents)."""
    report.files.append(status)
    if status.status == "skipped" and not (status.reason or "").startswith("not published"):
        report.errors.append(status.reason or status.source_path)
    elif status.reason and status.status != "skipped":
        report.errors.append(status.reason)  # a broken annotation: built without it
    report.warnings.extend(w for w in status.warnings if w != status.reason)
    report.documents.extend(docs)


def generate(root: Path, progress: bool = True) -> Report:
    t0 = time.perf_counter()
    report = collect(root, progress)
    write_search_dictionary(root / ".cache" / "jieba_userdict.txt")
    cache = TokenCache(root / ".cache" / "tokens")
    for d in report.documents:
        d.tokens = cache.tokens(d.search_text)
    report.cache_hits, report.cache_misses = cache.hits, cache.misses
    report.stats = link(report.documents)
    report.files_written = write_all(report.documents, root / "docs", root / "corpus")
    report.report_path = write_report(report, root / "docs")
    report.seconds = time.perf_counter() - t0
    return report
