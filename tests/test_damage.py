"""Lost characters (generator/clean/damage.py): runs of '?' where a copy lost characters
are a warning naming the file and line, on the page and in report.json, which then
calls the file warned, not built. A half-width question mark is not damage."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import copy_project

from generator.clean.damage import lost_characters
from generator.pipeline import generate

TAILS = Path(__file__).parent / "fixtures" / "tails"


def test_runs_of_question_marks_are_counted_with_the_first_line() -> None:
    text = (TAILS / "lost_characters.txt").read_text(encoding="utf-8")
    warning = lost_characters(text, "x.txt", 1)
    assert warning is not None and warning.startswith("x.txt:1: 6 character(s) lost")


def test_a_half_width_question_mark_is_not_damage() -> None:
    text = (TAILS / "half_width_question_mark.txt").read_text(encoding="utf-8")
    assert lost_characters(text, "x.txt") is None
    # a U+FFFD is lost text too, unless reading already warned about it
    assert lost_characters("正文。\ufffd", "x.txt", replacement=False) is None
    assert lost_characters("正文。\ufffd", "x.txt") is not None


def test_damage_is_a_warning_on_the_page_and_in_the_report(tmp_path: Path) -> None:
    corpus = tmp_path / "src"
    corpus.mkdir()
    for name in ("lost_characters.txt", "half_width_question_mark.txt"):
        shutil.copy(TAILS / name, corpus / name)
    (corpus / "bad_bytes.txt").write_bytes("在全县工作会议上的讲话\n同志们：今年以来全县工作取得成效。\ufffd我们要再接再厉。\n"
                                           .encode("utf-8"))
    root = copy_project(tmp_path / "project", corpus=corpus)
    generate(root, progress=False)
    report = json.loads((root / "docs" / "data" / "report.json").read_text(encoding="utf-8"))
    status = {f["source_path"]: f for f in report["files"]}
    damaged = status["lost_characters.txt"]
    assert damaged["status"] == "warned" and damaged["line"] == 1
    assert "6 character(s) lost" in damaged["warnings"][0]["message"]
    assert status["half_width_question_mark.txt"]["status"] == "built"
    assert status["bad_bytes.txt"]["status"] == "warned"  # a U+FFFD in the file is reported too
    (doc_id,) = damaged["documents"]
    page = next((root / "docs" / "archive").rglob(f"{doc_id}.md")).read_text(encoding="utf-8")
    assert "警告" in page and "lost before the archive received the text" in page
