"""Script detection at its boundaries: at least three traditional-only characters, and
more than three times as many as simplified-only ones (mutation testing found these
boundaries untested)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# to_simplified skips the stretches where OpenCC would change nothing; these compare it
# with OpenCC's own converter, which must give the same string in every case.

def _opencc(text: str) -> str:
    from generator.clean.script import _t2s
    return _t2s().convert(text)


def test_to_simplified_equals_opencc_on_every_dictionary_key() -> None:
    from generator.clean.script import _t2s_entries
    keys = [k for k, _ in _t2s_entries()]
    assert len(keys) > 4000
    for key in keys:
        for text in (key, f"全面{key}推进", f"{key}，{key}。"):
            assert to_simplified(text) == _opencc(text), text


def test_to_simplified_equals_opencc_on_the_seed_documents() -> None:
    from pathlib import Path
    seeds = Path(__file__).parent / "corpus" / "seeds"
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(seeds.rglob("*")) if p.is_file()]
    assert texts
    for text in texts:
        assert to_simplified(text) == _opencc(text)
        # and the same text in traditional script, which takes the slow path everywhere
        trad = _s2t_text(text[:3000])
        assert trad != text[:3000]
        assert to_simplified(trad) == _opencc(trad)


def _s2t_text(text: str) -> str:
    from generator.clean.script import _s2t
    return _s2t().convert(text)


def test_to_simplified_skips_text_without_trigger_characters() -> None:
    """The fast path must actually be taken on ordinary simplified text (one trigger
    character per ten lines or fewer), or the speed-up is gone."""
    from generator.clean.script import _t2s_triggers
    triggers = _t2s_triggers()
    assert "覆" in triggers and "瞭" in triggers  # rewritten inside phrases only (反覆, 瞭解)
    assert "反" not in triggers and "一" not in triggers
    assert triggers.isdisjoint("全市经济工作会议在市委大礼堂召开，会议总结了过去一年的工作。")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list("反覆一目瞭然藉口著名乾隆干燥會議经济，。 \n-發展覆盖沈默找藉后後面")), max_size=40))
def test_to_simplified_equals_opencc_on_mixed_strings(chars: list[str]) -> None:
    text = "".join(chars)
    assert to_simplified(text) == _opencc(text)
