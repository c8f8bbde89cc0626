"""The county a county's own page speaks for (generator/annotate/own_county.py): a page
that names its city or municipality more often than itself, a headline naming the county
with its unit, a county outlet opening the lead, and a county under its former name. Each
case is a fixture in tests/fixtures/own_county/, run through the real pipeline."""

from __future__ import annotations

import pytest
from conftest import ROOT, fixture_documents, place_of

from generator.annotate.own_county import lead_outlet
from generator.model import Document

FIXTURES = ROOT / "tests" / "fixtures" / "own_county"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return fixture_documents(FIXTURES)


place = place_of


def test_a_banners_page_that_names_its_city_more_is_the_banners(docs: dict[str, Document]) -> None:
    doc = docs["county_page_names_its_city_more.txt"]
    assert place(doc) == ("内蒙古自治区", "呼伦贝尔市", "陈巴尔虎旗")
    assert doc.value("level") == "县区"
    assert "陈巴尔虎" in doc.meta["place"].evidence


def test_a_citys_page_that_names_one_county_stays_the_citys(docs: dict[str, Document]) -> None:
    doc = docs["city_page_names_one_county.txt"]
    assert place(doc) == ("内蒙古自治区", "呼伦贝尔市", None)
    assert doc.value("level") == "市"


def test_a_district_organ_of_a_municipality(docs: dict[str, Document]) -> None:
    """区委常委会召开会议, 重庆 three times, 荣昌 once: the district's page."""
    doc = docs["district_of_a_municipality.txt"]
    assert place(doc) == ("重庆市", "重庆市", "荣昌区")
    assert "区委常委会召开会议" in doc.meta["place"].evidence


def test_a_headline_naming_the_county_with_its_unit(docs: dict[str, Document]) -> None:
    doc = docs["headline_names_the_county_with_its_unit.txt"]
    assert place(doc) == ("云南省", "昆明市", "石林彝族自治县")
    assert "石林县" in doc.meta["place"].evidence


def test_a_county_outlet_opening_the_lead(docs: dict[str, Document]) -> None:
    doc = docs["county_outlet_opens_the_lead.txt"]
    assert place(doc) == ("湖北省", "十堰市", "郧西县")
    assert "今日郧西网" in doc.meta["place"].evidence


def test_a_county_under_its_former_name_keeps_it(docs: dict[str, Document]) -> None:
    """璧山县 became 璧山区: the page's county is the name it gives, with today's city."""
    doc = docs["county_under_its_former_name.txt"]
    assert place(doc) == ("重庆市", "重庆市", "璧山县")
    assert "今为重庆市璧山区" in doc.meta["place"].evidence


def test_a_former_name_once_in_passing_places_nothing(docs: dict[str, Document]) -> None:
    assert place(docs["former_name_once_in_passing.txt"]) == (None, None, None)


def test_lead_outlet() -> None:
    assert lead_outlet("今日竹溪网消息 5月8日，我县召开会议。") == "今日竹溪网"
    assert lead_outlet("某某新闻网讯 5月8日，县政府召开会议。") == "某某新闻网"
    assert lead_outlet("5月8日，县政府召开会议。网消息称") is None


def test_a_county_the_page_visits_is_not_its_own(docs: dict[str, Document]) -> None:
    """我县党政代表团赴宁阳考察学习: the page speaks as a county, but 宁阳 is the one it visits."""
    assert place(docs["county_visited_is_not_its_own.txt"]) == (None, None, None)
