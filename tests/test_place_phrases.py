"""A county's own page that names itself only by its bare short name in a phrase only a
place fills (generator/annotate/place_phrases.py), and the pages where that must not
place anything: an ordinary word named once, a county the text learns from, a city's
voice, a name a county and a city share, a post that is not the text's voice. Each case
is a fixture in tests/fixtures/place_phrases/, run through the real pipeline."""

from __future__ import annotations

import pytest
from conftest import ROOT, fixture_documents, place_of

from generator.annotate.place_phrases import elsewhere, named_in_phrase
from generator.model import Document

FIXTURES = ROOT / "tests" / "fixtures" / "place_phrases"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return fixture_documents(FIXTURES)


place = place_of


def test_a_county_named_once_in_a_place_only_phrase(docs: dict[str, Document]) -> None:
    """我代表县委、县政府 … 是宁阳经济社会发展取得显著成绩的一年: 宁阳县."""
    doc = docs["county_named_in_a_place_only_phrase.txt"]
    assert place(doc) == ("山东省", "泰安市", "宁阳县")
    assert doc.value("level") == "县区"
    assert "宁阳经济社会发展" in doc.meta["place"].evidence
    assert "县委" in doc.meta["place"].evidence


def test_a_district_whose_name_jieba_mistags_as_a_word(docs: dict[str, Document]) -> None:
    """禅城 is a rare common noun to jieba; 具有禅城辨识度 under 区委常委会 is the district."""
    doc = docs["district_named_by_a_rare_word.txt"]
    assert place(doc) == ("广东省", "佛山市", "禅城区")
    assert "禅城辨识度" in doc.meta["place"].evidence


def test_an_ordinary_word_in_one_phrase_is_not_enough(docs: dict[str, Document]) -> None:
    """凤凰 is an ordinary word (phoenix): 建设美丽凤凰 once does not place the speech."""
    assert place(docs["ordinary_word_name_in_one_phrase.txt"]) == (None, None, None)


def test_an_ordinary_word_in_two_phrases_names_the_county(docs: dict[str, Document]) -> None:
    doc = docs["ordinary_word_name_in_two_phrases.txt"]
    assert place(doc) == ("湖南省", "湘西土家族苗族自治州", "凤凰县")
    assert "美丽凤凰" in doc.meta["place"].evidence and "凤凰人民" in doc.meta["place"].evidence


def test_a_county_the_text_learns_from_is_not_its_own(docs: dict[str, Document]) -> None:
    """学习宁阳经济社会发展的成功经验 … 结合我县实际: another county, no place."""
    assert place(docs["another_county_learned_from.txt"]) == (None, None, None)


def test_a_citys_voice_does_not_make_a_county_its_own(docs: dict[str, Document]) -> None:
    """我市 … 宁阳经济社会发展势头良好: a city's speech about one of its counties."""
    assert place_of(docs["city_voice_is_not_a_county.txt"])[2] is None


def test_a_name_a_county_and_a_city_share_is_not_read_as_the_county(docs: dict[str, Document]) -> None:
    """建设美丽吉安 in a 县委 speech: 吉安 is 吉安市 and 吉安县; the phrase names neither county."""
    assert place(docs["same_named_county_and_city.txt"])[2] is None


def test_a_post_is_not_the_texts_voice(docs: dict[str, Document]) -> None:
    """多位县委书记 … 具有宁阳辨识度: the text does not speak as a county."""
    assert place(docs["county_post_is_not_the_voice.txt"]) == (None, None, None)


def test_a_place_already_found_outside_the_lineage_stops_the_phrase() -> None:
    text = "我代表县委、县政府致辞。过去一年是宁阳经济社会发展的一年。"
    assert named_in_phrase(text, None) is not None
    assert named_in_phrase(text, "370900") is not None  # 泰安市, its city
    assert named_in_phrase(text, "440600") is None  # 佛山市: another lineage
    other = "我代表县委、县政府致辞。过去一年是宁阳经济社会发展的一年。我们赴成都市学习。"
    assert named_in_phrase(other, None) is None  # another place named


def test_elsewhere_reads_visits_and_lessons() -> None:
    text = "学习宁阳经济社会发展经验"
    assert elsewhere(text, text.index("宁阳"))
    text = "是宁阳经济社会发展的一年"
    assert not elsewhere(text, text.index("宁阳"))
