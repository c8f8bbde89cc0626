"""Genre by how a text is built (generator/annotate/genre.py): each case on a fixture
written for the project (tests/fixtures/genres), through the real read → clean →
annotate stages."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.annotate import GENRES
from generator.annotate.genre import COMMUNIQUE
from generator.model import Document
from generator.pipeline import process_source

GENRE_FIXTURES = Path(__file__).parent / "fixtures" / "genres"


def documents(name: str) -> list[Document]:
    result = process_source(GENRE_FIXTURES / name, GENRE_FIXTURES, name.rsplit(".", 1)[0], False)
    assert result.status.status != "skipped", result.status.reason
    return result.documents


@pytest.mark.parametrize(("name", "genre", "evidence"), [
    ("template_placeholders.txt", "范文", "XX"),
    ("template_paid_site_no_place.txt", "范文", "试读"),
    ("speech_reposted_with_one_placeholder.txt", "讲话稿", "尊敬的各位领导"),
    ("signed_speech_with_masked_year.txt", "讲话稿", "同志们"),
    ("news_dateline.txt", "会议报道", "本报讯"),
    ("news_of_a_speech.txt", "会议报道", "出席并致辞"),
    ("news_headline_about_a_work_report.txt", "会议报道", "审议"),
    ("communique_resolution.txt", COMMUNIQUE, "决议"),
])
def test_genre_and_its_evidence(name: str, genre: str, evidence: str) -> None:
    (doc,) = documents(name)
    assert doc.value("genre") == genre, doc.meta.get("genre")
    assert evidence in str(doc.meta["genre"].evidence)


def test_each_part_of_a_compilation_is_a_template() -> None:
    docs = documents("template_compilation.txt")
    assert len(docs) == 2
    assert [d.value("genre") for d in docs] == ["范文", "范文"]
    assert all("篇" in str(d.meta["genre"].evidence) or "汇编" in str(d.meta["genre"].evidence) for d in docs)


def test_the_communique_genre_is_in_the_vocabulary() -> None:
    assert COMMUNIQUE in GENRES
