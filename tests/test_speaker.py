"""Speakers (generator/annotate/speaker.py): who speaks, never who only presides,
attends or is relayed; names checked by the recognizer; the as-written form kept as
evidence. Each case is a fixture in tests/fixtures/speakers/, run through the real
pipeline (read → clean → annotate)."""

from __future__ import annotations

import pytest
from conftest import ROOT, fixture_documents

from generator.annotate.speaker import as_written, is_person_name, speech_acts
from generator.model import Document

FIXTURES = ROOT / "tests" / "fixtures" / "speakers"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return fixture_documents(FIXTURES)


def names(doc: Document) -> list[str]:
    return [str(s["name"]) for s in doc.value("speakers") or []]


def test_attends_and_speaks_is_the_speaker_not_the_presider(docs: dict[str, Document]) -> None:
    doc = docs["attends_and_speaks.txt"]
    assert names(doc) == ["张立新"]
    assert doc.value("speakers")[0]["role"] == "县委书记"
    assert "出席会议并讲话" in doc.meta["speakers"].evidence or "强调" in doc.meta["speakers"].evidence


def test_a_collective_presider_and_a_speaking_secretary(docs: dict[str, Document]) -> None:
    assert names(docs["subtitle_collective_presider.txt"]) == ["王海涛"]


def test_a_presider_who_also_speaks_is_the_speaker(docs: dict[str, Document]) -> None:
    assert names(docs["presider_who_speaks.txt"]) == ["孙建国"]


def test_run_together_speaker_and_presider(docs: dict[str, Document]) -> None:
    """No punctuation between '…作重要讲话' and the presider's post."""
    assert names(docs["run_together_presider.txt"]) == ["吴海波"]


def test_the_one_who_delivers_the_work_report(docs: dict[str, Document]) -> None:
    assert names(docs["delivers_work_report.txt"]) == ["周国平"]


def test_a_presider_only_is_never_the_speaker(docs: dict[str, Document]) -> None:
    """'会议指出/强调/要求' is the meeting's, not the presider's."""
    assert names(docs["presider_only.txt"]) == []


def test_phrases_are_never_speakers(docs: dict[str, Document]) -> None:
    """的讲话, 后的讲话, 例会: nouns, not people."""
    assert names(docs["phrases_are_not_speakers.txt"]) == []


def test_a_spaced_byline_names_the_speaker_as_written_in_the_evidence(docs: dict[str, Document]) -> None:
    doc = docs["spaced_byline.txt"]
    assert names(doc) == ["郑立平"]
    assert "郑 立 平" in doc.meta["speakers"].evidence


def test_traditional_name_with_pinyin_inside_is_clean_and_simplified(docs: dict[str, Document]) -> None:
    doc = docs["traditional_with_pinyin.txt"]
    assert names(doc) == ["薛学明"]
    assert "薛學(xué)明" in doc.meta["speakers"].evidence


def test_several_speakers_in_order_of_role(docs: dict[str, Document]) -> None:
    assert names(docs["several_in_order_of_role.txt"]) == ["马建华", "黄志成"]


def test_a_relayed_speech_is_not_spoken_at_the_meeting(docs: dict[str, Document]) -> None:
    assert names(docs["relayed_speech_is_not_spoken.txt"]) == ["王新民"]


def test_every_speaker_value_is_a_name(docs: dict[str, Document]) -> None:
    for doc in docs.values():
        for name in names(doc):
            assert is_person_name(name, vouched=True), (doc.source_path, name)


def test_name_recognizer() -> None:
    assert is_person_name("张立新") and is_person_name("欧阳明")
    assert not is_person_name("例会") and not is_person_name("文件")  # not surnames / ordinary words
    assert not is_person_name("温暖") and is_person_name("温暖", vouched=True)  # 县委书记温暖
    assert not is_person_name("向全体", vouched=True)


def test_speech_acts_orders_by_how_often_the_text_relays_them() -> None:
    text = ("县委书记甲乙丙出席会议并讲话，县长丁戊己主持会议。\n丁戊己指出，要抓落实。\n"
            "丁戊己强调，要重实效。\n丁戊己要求，要保安全。")
    # 甲 is not a surname here: only the recognizer's names count
    assert [a.name for a in speech_acts(text)] == ["丁戊己"]


def test_as_written_finds_spaced_traditional_and_pinyin_forms() -> None:
    assert as_written("署名：郑 立 平", "郑立平") == "郑 立 平"
    assert as_written("縣委書記畢志偉講話", "毕志伟") == "畢志偉"
    assert as_written("書記薛學(xué)明主持", "薛学明") == "薛學(xué)明"
    assert as_written("张立新讲话", "张立新") is None
