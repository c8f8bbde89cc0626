"""generator/publish/output.py: files are written only when their bytes change, stale generated
files are removed, and nothing outside the generator's folders can be written."""

from __future__ import annotations

import pytest

from generator.publish.output import Output


def test_unchanged_bytes_are_not_rewritten(tmp_path) -> None:
    out = Output(tmp_path)
    assert out.write_text(tmp_path / "archive" / "a.md", "一")
    mtime = (tmp_path / "archive" / "a.md").stat().st_mtime_ns
    again = Output(tmp_path)
    assert not again.write_text(tmp_path / "archive" / "a.md", "一")
    assert (tmp_path / "archive" / "a.md").stat().st_mtime_ns == mtime
    assert again.write_text(tmp_path / "archive" / "a.md", "二")
    assert (again.written, again.unchanged) == (1, 1)


def test_stale_files_are_removed_and_hand_written_kept(tmp_path) -> None:
    (tmp_path / "about.md").write_text("手写", encoding="utf-8")
    out = Output(tmp_path)
    out.write_text(tmp_path / "archive" / "speeches" / "old.md", "旧")
    out.write_text(tmp_path / "searchindex" / "s" / "0.js", "x")
    out.remove_stale()
    run = Output(tmp_path)
    run.write_text(tmp_path / "searchindex" / "s" / "0.js", "x")
    run.remove_stale()
    assert not (tmp_path / "archive" / "speeches" / "old.md").exists()
    assert not (tmp_path / "archive" / "speeches").exists(), "emptied folders go too"
    assert (tmp_path / "searchindex" / "s" / "0.js").exists()
    assert (tmp_path / "about.md").exists()
    assert run.removed == 1


@pytest.mark.parametrize("rel", ["about.md", "archive/../about.md", "../outside.md"])
def test_writes_outside_owned_folders_are_refused(tmp_path, rel) -> None:
    out = Output(tmp_path / "docs")
    with pytest.raises(ValueError):
        out.write_text(tmp_path / "docs" / rel, "x")
