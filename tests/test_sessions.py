"""Meetings named by a dateline or title (generator/annotate/sessions.py) and the
publisher from front matter or the page's source line (generator/annotate/publisher.py).
Each case is a fixture in tests/fixtures/sessions_and_sources/, run through the real
pipeline."""

from __future__ import annotations

import pytest
from conftest import ROOT, fixture_documents

from generator.annotate import MEETING_TYPE_VOCAB
from generator.annotate.sessions import session_type
from generator.model import Document

FIXTURES = ROOT / "tests" / "fixtures" / "sessions_and_sources"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return fixture_documents(FIXTURES)


def test_a_congress_session_from_the_dateline(docs: dict[str, Document]) -> None:
    doc = docs["congress_dateline.txt"]
    assert doc.value("meeting") == "广东省第十四届人民代表大会第二次会议"
    assert doc.value("meeting_type") == "人民代表大会"
    assert "2024年1月20日" in doc.meta["meeting"].evidence


def test_a_conference_session_from_the_title(docs: dict[str, Document]) -> None:
    doc = docs["conference_title.txt"]
    assert doc.value("meeting_type") == "政协会议"
    assert doc.value("meeting").startswith("政协某某县第九届委员会第三次会议")


def test_a_party_congress_from_the_subtitle(docs: dict[str, Document]) -> None:
    assert docs["party_congress_subtitle.txt"].value("meeting_type") == "党代表大会"


def test_source_from_front_matter(docs: dict[str, Document]) -> None:
    doc = docs["source_from_front_matter.md"]
    assert doc.value("source")["name"] == "某某县融媒体中心"


def test_source_from_the_pages_source_line(docs: dict[str, Document]) -> None:
    doc = docs["source_from_the_source_line.txt"]
    assert doc.value("source")["name"] == "某某日报"
    assert "来源" in doc.meta["source"].evidence


def test_a_source_label_without_a_value_is_no_source(docs: dict[str, Document]) -> None:
    """'来源： 发布时间：…': the next label is not the publisher."""
    src = docs["source_label_without_a_value.txt"].value("source") or {}
    assert src.get("name") is None


def test_session_types_are_meeting_types() -> None:
    assert session_type("某区第十五届人民代表大会第三次会议") == "人民代表大会"
    assert session_type("某市人民代表大会常务委员会第十次会议") == "人大常委会会议"
    assert session_type("中国共产党某县第十五次代表大会") == "党代表大会"
    assert session_type("全市经济工作会议") is None
    assert {"人民代表大会", "政协会议", "党代表大会"} <= set(MEETING_TYPE_VOCAB)
