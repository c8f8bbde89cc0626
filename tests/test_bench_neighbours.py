"""The neighbours benchmark runs the real link stage both ways on a small synthetic archive
and finds the same similar lists (its own assertion), with the memo reusing rows."""

from __future__ import annotations

from pathlib import Path

from generator.tools.bench_neighbours import measure


def test_both_ways_agree_and_are_timed(tmp_path: Path) -> None:
    lines: list[str] = []
    result = measure(30, tmp_path, rounds=1, log=lines.append)
    assert result["docs"] >= 31
    assert len(result["whole"]) == len(result["memo"]) == 1
    assert all(s >= 0 for s in result["whole"] + result["memo"])  # CPU seconds, to 0.1
    assert any('"similar_rows_reused"' in line for line in lines)
