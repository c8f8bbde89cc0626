"""A page whose headline names one city or county below the province the text settles on
(generator/annotate/headline_place.py): a prefecture's page about a province-wide event that
quotes counties of several prefectures is the prefecture's, with no county; two divisions in
the headline, or another province in the text, leave the province. Each case is a fixture in
tests/fixtures/headline_place/, run through the real pipeline."""

from __future__ import annotations

import pytest
from conftest import ROOT, fixture_documents, place_of

from generator.model import Document

FIXTURES = ROOT / "tests" / "fixtures" / "headline_place"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return fixture_documents(FIXTURES)


def test_the_headlines_prefecture_not_a_county_of_the_body(docs: dict[str, Document]) -> None:
    """——恩施州干部群众热议…: 湖北 four times, counties of three prefectures; the page is 恩施州's."""
    doc = docs["headline_names_the_prefecture.txt"]
    assert place_of(doc) == ("湖北省", "恩施土家族苗族自治州", None)
    assert doc.value("level") == "市"
    assert "恩施州" in doc.meta["place"].evidence


def test_two_divisions_in_the_headline_leave_the_province(docs: dict[str, Document]) -> None:
    assert place_of(docs["headline_names_two_prefectures.txt"]) == ("湖北省", None, None)


def test_another_province_in_the_text_leaves_the_province(docs: dict[str, Document]) -> None:
    """浙江省杭州市 in the body: the headline's 恩施州 is not narrowed to."""
    assert place_of(docs["headline_prefecture_body_names_another_province.txt"]) == ("湖北省", None, None)
