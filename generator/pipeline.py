"""The whole run: read every source, clean, annotate, link, write.

Links and keywords need the whole archive, so each stage runs over every document
before the next starts. A broken source is reported with its path (and line) and
skipped; the rest of the archive still builds.
"""

from __future__ import annotations

import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .annotate import annotate, annotate_siblings, load_sites
from .clean import clean
from .link import link
from .model import Document, SourceError
from .read import assign_file_ids, iter_sources, read
from .segment import TokenCache, write_search_dictionary
from .write import write_all


@dataclass
class Report:
    sources: int = 0
    documents: list[Document] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files_written: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    seconds: float = 0.0
    stats: dict[str, object] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [
            f"sources read:      {self.sources}",
            f"documents:         {len(self.documents)}",
            f"files written:     {self.files_written}",
            f"segmentation cache: {self.cache_hits} hit(s), {self.cache_misses} miss(es)",
            f"errors:            {len(self.errors)}",
            f"warnings:          {len(self.warnings)}",
            f"time:              {self.seconds:.1f} s",
        ]
        for e in self.errors:
            lines.append(f"ERROR   {e}")
        for w in self.warnings[:30]:
            lines.append(f"WARNING {w}")
        if len(self.warnings) > 30:
            lines.append(f"... and {len(self.warnings) - 30} more warning(s)")
        return "\n".join(lines)


def _progress(done: int, total: int, label: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\x1b[K[{done}/{total}] {label[:70]}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def collect(root: Path, progress: bool = True, corpus: Path | None = None) -> Report:
    """read → clean → annotate for every source; nothing is written.

    `corpus` defaults to `root/corpus`; tests pass a pinned corpus of their own.
    """
    from .annotations import apply_annotations

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
        try:
            raw = read(path, corpus)
            raw.file_id = ids[rel]
            docs = clean(raw)
            for d in docs:
                annotate(d, raw, sites)
            annotate_siblings(docs)
            try:
                apply_annotations(docs, path, corpus)
            except SourceError as exc:
                # a broken annotation must not hide the document; it is built without it
                report.errors.append(str(exc))
        except SourceError as exc:
            report.errors.append(str(exc))
            continue
        except Exception as exc:  # a bug must not take the archive down; it is reported
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            report.errors.append(f"{rel}: unexpected {type(exc).__name__}: {exc} (at {tb.filename}:{tb.lineno})")
            continue
        report.warnings.extend(raw.warnings)
        report.documents.extend(docs)
    doc_ids = [d.id for d in report.documents]
    if len(doc_ids) != len(set(doc_ids)):
        raise RuntimeError("two documents got the same id; this is a bug in assign_file_ids")
    report.seconds = time.perf_counter() - t0
    return report


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
    report.seconds = time.perf_counter() - t0
    return report
