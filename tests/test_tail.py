"""The tail of a copied page (generator/clean/tail.py): a licence notice, a site footer
and stray link words are boilerplate, removed and listed under `page-footer`; a speech
that mentions copyright keeps its words. Fixtures in tests/fixtures/tails."""

from __future__ import annotations

from pathlib import Path

from generator.clean import RULES, clean
from generator.model import Document
from generator.read import read

TAILS = Path(__file__).parent / "fixtures" / "tails"


def cleaned(name: str) -> Document:
    raw = read(TAILS / name, TAILS)
    raw.file_id = name.rsplit(".", 1)[0]
    (doc,) = clean(raw)
    return doc


def footer(doc: Document) -> list[str]:
    return [r.text for r in doc.removals if r.rule == "page-footer"]


def test_a_licence_notice_and_link_words_are_removed_and_listed() -> None:
    doc = cleaned("licence_notice_and_link_words.txt")
    assert doc.paragraphs[-1] == "会议号召,全县人民紧密团结,为完成今年的目标任务而努力奋斗。"
    assert footer(doc)[0].startswith("本作品来自")
    assert footer(doc)[-4:] == ["Public domain", "Public domain", "false", "false"]
    text = "\n".join(doc.paragraphs)
    assert "Public domain" not in text and "false" not in text and "公有领域" not in text
    assert "page-footer" in doc.rules_run and "page-footer" in RULES


def test_a_site_footer_is_removed_and_listed() -> None:
    doc = cleaned("site_footer.txt")
    assert doc.paragraphs[-1] == "会议强调,要抓住农时,做好春耕备耕各项准备工作。"
    assert len(footer(doc)) == 3 and "版权所有" in footer(doc)[0]


def test_a_speech_that_mentions_copyright_keeps_every_word() -> None:
    doc = cleaned("text_mentioning_copyright.txt")
    assert footer(doc) == []
    assert any("版权" in p for p in doc.paragraphs)
