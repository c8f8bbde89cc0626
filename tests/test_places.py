"""Place mentions read in context (generator/annotate/places.py): ordinary words and
features are not places, a county stays a county, functional zones resolve to their
host with level unknown, the level a text speaks at, a county's news site. Each case is
a fixture in tests/fixtures/places_in_context/, run through the real pipeline."""

from __future__ import annotations

import pytest
from conftest import ROOT, fixture_documents, place_of

from generator.annotate.places import self_level, source_place, zones
from generator.model import Document

FIXTURES = ROOT / "tests" / "fixtures" / "places_in_context"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return fixture_documents(FIXTURES)


place = place_of


def test_guests_are_not_the_city_of_laibin(docs: dict[str, Document]) -> None:
    """来宾 in 各位来宾 is a word; nothing else places the speech."""
    assert place(docs["guests_are_not_a_city.txt"]) == (None, None, None)


def test_a_county_stays_apart_from_the_city_of_its_name(docs: dict[str, Document]) -> None:
    doc = docs["county_and_city_of_one_name.txt"]
    assert place(doc) == ("江西省", "吉安市", "吉安县")
    assert doc.value("level") == "县区"


def test_a_zone_of_the_data_file_resolves_to_its_host(docs: dict[str, Document]) -> None:
    doc = docs["zone_in_the_data_file.txt"]
    assert place(doc) == ("广东省", "深圳市", None)
    assert doc.value("place")["zone"] == "大鹏新区"
    assert doc.value("level") is None and "功能区" in doc.meta["level"].evidence


def test_a_zone_named_after_its_city(docs: dict[str, Document]) -> None:
    doc = docs["zone_named_after_its_city.txt"]
    assert place(doc) == ("宁夏回族自治区", "石嘴山市", None)
    assert doc.value("level") is None


def test_a_province_named_in_passing_does_not_make_a_county_text_provincial(docs: dict[str, Document]) -> None:
    doc = docs["province_in_passing_county_level.txt"]
    assert doc.value("level") == "县区"
    assert "我县" in doc.meta["level"].evidence


def test_a_county_news_site_names_its_county(docs: dict[str, Document]) -> None:
    doc = docs["county_news_site_names_its_county.txt"]
    assert place(doc) == ("浙江省", "丽水市", "松阳县")
    assert "松阳新闻网" in doc.meta["place"].evidence
    assert doc.value("source")["name"] == "松阳新闻网"


def test_a_reservoir_named_after_a_district_elsewhere_is_not_that_district(docs: dict[str, Document]) -> None:
    assert place(docs["feature_named_after_a_place.txt"]) == (None, None, None)


def test_self_level_and_source_place_units() -> None:
    assert self_level("我县召开会议。")[0] == "县区"
    assert self_level("我县和我市共同召开会议。") is None
    assert source_place("右江日报") is None  # a city's daily, named after a river
    assert source_place("今日竹山网").name == "竹山县"
    assert source_place("某某网") is None


def test_a_county_news_item_names_its_own_organs_bare() -> None:
    found = self_level("5月6日，县政府第三次常务会议召开，县委副书记、县长张某出席。会议听取汇报。")
    assert found is not None and found[0] == "县区"
    assert found[1].startswith("5月6日，县政府第三次常务会议召开")


def test_a_city_text_that_instructs_its_counties_keeps_its_level() -> None:
    """A city's speech names county organs bare too, when it tells them what to do; it
    names its own organs bare as well, so the bare county organs decide nothing."""
    assert self_level("市委、市政府高度重视。县委书记要当好一线总指挥，县长要亲自抓。") is None
    assert self_level("县委书记要当好一线总指挥，县长要亲自抓，我市将加强督查。") is None
    assert self_level("长江经济带建设，县委要抓好落实。") is None  # one bare organ is not enough


def test_every_zone_of_the_data_file_has_a_host_in_the_gazetteer() -> None:
    from generator.annotate import gazetteer

    for name, entry in zones().items():
        hosts = [d for d in gazetteer.lookup(entry["host"]) if d.province == entry["province"]]
        assert hosts, name
        assert entry.get("note"), name


def test_a_dispatch_lines_city_is_not_the_place(docs: dict[str, Document]) -> None:
    """新华网南宁…电 filed from the capital: the story is in 田林县 (百色市), named in the lead."""
    doc = docs["dispatch_city_is_not_the_place.txt"]
    assert place(doc) == ("广西壮族自治区", "百色市", "田林县")


def test_a_county_news_site_named_after_a_word_names_its_county(docs: dict[str, Document]) -> None:
    """铜梁 is a common noun to jieba; 铜梁新闻网 still names 铜梁区."""
    doc = docs["county_news_site_named_after_a_word.txt"]
    assert place(doc) == ("重庆市", "重庆市", "铜梁区")
    assert "铜梁新闻网" in doc.meta["place"].evidence


def test_and_county_offices_are_not_a_county(docs: dict[str, Document]) -> None:
    """各乡镇和县直部门: 和 + 县直, not the county 和县 of 安徽."""
    assert place(docs["and_county_offices_are_not_a_county.txt"]) == (None, None, None)


def test_dispatch_is_used_when_nothing_else_is_named() -> None:
    from generator.annotate import gazetteer
    from generator.annotate.places import in_context

    text = "新华社南宁5月3日电 3日上午，全区民族团结进步表彰大会召开。"
    assert [d.name for d, _s, _e in in_context(text, gazetteer.mentions(text))] == ["南宁市"]
    text = "新华社南宁5月3日电 3日上午，百色市召开民族团结进步表彰大会。"
    assert [d.name for d, _s, _e in in_context(text, gazetteer.mentions(text))] == ["百色市"]


def test_a_relayed_speech_names_its_own_places_not_the_texts(docs: dict[str, Document]) -> None:
    """总书记在江西考察时的重要讲话、对湖北恩施州建始县山体滑坡作出的重要指示: the district
    relaying them is in neither place."""
    assert place(docs["relayed_speech_names_another_place.txt"]) == (None, None, None)


def test_and_before_a_county_office_is_not_the_county_he(docs: dict[str, Document]) -> None:
    """…的请示》和县妇联《…: 和 + 县妇联, not 和县 of 安徽."""
    assert place(docs["and_county_womens_federation.txt"]) == (None, None, None)


def test_he_county_named_with_its_city_is_he_county(docs: dict[str, Document]) -> None:
    assert place(docs["and_county_named_with_its_city.txt"]) == ("安徽省", "马鞍山市", "和县")
