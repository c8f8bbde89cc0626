"""The run's report: what became of every source file, as docs/data/report.json.

The console summary shows one screen; an archive of thousands of files needs the full
list somewhere an editor (or a CI job) can read it: every source with its status —
built, warned (built, with warnings to look at) or skipped (not published) — the
reason, and the line in the source where known. Published as site/data/report.json.
"""

from __future__ import annotations

import json
import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from generator.link import LinkPrep
    from generator.link.trends_counts import DocCounts
    from generator.model import Document
    from generator.publish.search import DocTerms

REPORT_FILE = "report.json"


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
    # dicts, or docstore.Spill when the build keeps them on disk
    search_terms: MutableMapping[str, DocTerms] = field(default_factory=dict)
    link_prep: MutableMapping[str, LinkPrep] = field(default_factory=dict)
    trend_counts: MutableMapping[str, DocCounts] = field(default_factory=dict)
    compare_terms: MutableMapping[str, str] = field(default_factory=dict)  # reuse_pages.top_terms, per id
    # document id → the key of its source's cached per-document results (pipeline.collect,
    # with a cache): the same key, the same per-document results, so a whole-archive stage
    # may keep what it made of a document by it (link/trends_memo.py)
    doc_keys: dict[str, str] = field(default_factory=dict)
    report_path: Path | None = None

    def summary(self) -> str:
        skipped = [f for f in self.files if f.status == "skipped"]
        lines = [
            f"sources read:      {self.sources}",
            f"documents:         {len(self.documents)}",
            f"files skipped:     {len(skipped)}",
            f"files written:     {self.files_written}",
            f"document cache:    {self.cache_hits} hit(s), {self.cache_misses} miss(es)",
            f"errors:            {len(self.errors)}",
            f"warnings:          {len(self.warnings)}",
            f"time:              {self.seconds:.1f} s",
        ]
        stages = self.stats.get("stage_seconds")
        if isinstance(stages, dict):
            lines.append("stages:            " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()))
        cpu = self.stats.get("stage_cpu_seconds")
        if isinstance(cpu, dict):
            lines.append("stage CPU:         " + ", ".join(f"{k} {v:.1f} s" for k, v in cpu.items())
                         + " (user + system, with the pool's workers)")
        peaks = self.stats.get("stage_peak_mb")
        if isinstance(peaks, dict):
            lines.append("peak memory:       " + ", ".join(f"{k} {v} MB" for k, v in peaks.items())
                         + " (this process, highest so far after each stage; for trends and search index,"
                         + " the process they ran in)")
        if self.stats.get("stages_beside"):
            lines.append(f"beside:            {self.stats['stages_beside']}")
        if self.stats.get("link_epoch"):
            lines.append(f"link epoch:        {self.stats['link_epoch']}")
        missing = missing_tools(self.errors)
        if missing:
            lines.append(f"MISSING programs, so {missing[1]} file(s) were not read: " + "; ".join(missing[0]))
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


_MISSING = re.compile(r"\(missing tool; install: ([^)]+)\)")


def missing_tools(errors: list[str]) -> tuple[list[str], int] | None:
    """What to install for the files that a missing program left unread (the readers
    say so in their errors, generator/read/extracted.py), as install commands and the
    number of files; None when nothing is missing."""
    found = [m.group(1) for e in errors if (m := _MISSING.search(e))]
    return (sorted(set(found)), len(found)) if found else None


def message_line(message: str, source_path: str) -> int | None:
    """The source line a message names ('path:12: …'), if it names one."""
    m = re.match(re.escape(source_path) + r":(\d+):", message)
    return int(m.group(1)) if m else None


def file_entry(f: FileStatus) -> dict[str, Any]:
    warnings = [{"message": w, "line": message_line(w, f.source_path)} for w in f.warnings]
    line = f.line
    if line is None:
        line = next((w["line"] for w in warnings if w["line"] is not None), None)
    return {
        "source_path": f.source_path,
        "status": f.status,
        "reason": f.reason if f.reason else (f.warnings[0] if f.warnings else None),
        "line": line,
        "documents": list(f.documents),
        "warnings": warnings,
    }


def report_data(report: Report) -> dict[str, Any]:
    files = sorted(report.files, key=lambda f: f.source_path)
    counts = {s: sum(1 for f in files if f.status == s) for s in ("built", "warned", "skipped")}
    return {
        "summary": {
            "sources": report.sources,
            "documents": len(report.documents),
            **counts,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
        },
        "files": [file_entry(f) for f in files],
    }


def write_report(report: Report, docs_dir: Path) -> Path:
    """Write docs/data/report.json (deterministic: sorted, no timings) and return its path."""
    data_dir = docs_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / REPORT_FILE
    path.write_text(json.dumps(report_data(report), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
