"""Script detection at its boundaries: at least three traditional-only characters, and
more than three times as many as simplified-only ones (mutation testing found these
boundaries untested)."""

from __future__ import annotations

import pytest

from generator.clean.script import detect_script, to_simplified


@pytest.mark.parametrize(("text", "script"), [
    ("", "zh-Hans"),
    ("的中", "zh-Hans"),  # characters of both scripts do not vote
    ("會議", "zh-Hans"),  # two traditional-only characters are not enough
    ("會議經", "zh-Hant"),  # three are
    ("會議經的中", "zh-Hant"),
    ("會議經濟会", "zh-Hant"),  # 4 against 1: more than three times as many
    ("會議經濟会议", "zh-Hans"),  # 4 against 2: not
    ("會議經濟發縣会议", "zh-Hans"),  # 6 against 2: exactly three times is not enough
    ("會議經濟發縣區会议", "zh-Hant"),  # 7 against 2
    ("会议经济发展县区", "zh-Hans"),
], ids=["empty", "shared", "two-trad", "three-trad", "three-trad-shared", "4-vs-1", "4-vs-2", "6-vs-2",
        "7-vs-2", "simplified"])
def test_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_to_simplified_converts_and_keeps_length() -> None:
    assert to_simplified("全市城鄉提升和縣域經濟發展大會") == "全市城乡提升和县域经济发展大会"
