"""The run's report: what became of every source file, as docs/data/report.json.

The console summary shows one screen; an archive of thousands of files needs the full
list somewhere an editor (or a CI job) can read it: every source with its status —
built, warned (built, with warnings to look at) or skipped (not published) — the
reason, and the line in the source where known. Published as site/data/report.json.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .pipeline import FileStatus, Report

REPORT_FILE = "report.json"


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
