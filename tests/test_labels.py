"""Labels of place, level, speakers and date, as lists, facets, indexes and pages show them."""

from __future__ import annotations

from typing import Any

import pytest

from generator.model import Document, Field
from generator.publish.labels import (
    date_label,
    level_label,
    list_facts,
    place_label,
    place_names,
    speaker_key,
    speaker_label,
    speaker_names,
    speaker_variants,
)


def doc(doc_id: str = "x", **meta: Any) -> Document:
    d = Document(id=doc_id, file_id=doc_id, part=None, parts_total=1, source_path=f"{doc_id}.txt", sha256="0",
                 encoding="utf-8", body_format="text", paragraphs=["正文"])
    d.meta = {k: Field(v, "inferred", "依据") for k, v in meta.items()}
    return d


def place(province=None, city=None, county=None, scope=None) -> dict:
    p = {"province": province, "city": city, "county": county, "code": None}
    if scope:
        p["scope"] = scope
    return p


@pytest.mark.parametrize(("value", "label", "names", "level"), [
    (place(scope="全国"), "全国", ["全国"], "全国"),
    (place("北京市", "北京市"), "北京市", ["北京市"], "省"),
    (place("重庆市", "重庆市", "璧山区"), "重庆市璧山区", ["重庆市", "璧山区"], "县区"),
    (place("广东省", "深圳市", "南山区"), "广东省深圳市南山区", ["广东省", "深圳市", "南山区"], "县区"),
    (place("广东省", "深圳市"), "广东省深圳市", ["广东省", "深圳市"], "市"),
    (place("山东省"), "山东省", ["山东省"], "省"),
    (None, None, [], None),
    (place(), None, [], None),
])
def test_place_label_reads_as_readers_write_places(value, label, names, level) -> None:
    d = doc(place=value) if value is not None else doc()
    assert place_label(d) == label
    assert place_names(d) == names
    assert level_label(d) == level


def test_annotated_level_wins_over_the_place_shape() -> None:
    assert level_label(doc(place=place("山东省"), level="市")) == "市"
    assert level_label(doc(place=place("山东省"), level="something else")) == "省"


@pytest.mark.parametrize(("name", "key"), [
    ("李強", "李强"), ("李强", "李强"), ("郑 建 新", "郑建新"), ("郑\u3000建新", "郑建新"),
    ("艾尔肯•吐尼亚孜", "艾尔肯·吐尼亚孜"), ("艾尔肯·吐尼亚孜", "艾尔肯·吐尼亚孜"), ("習近平", "习近平"),
])
def test_speaker_key_unifies_script_spacing_and_dots(name: str, key: str) -> None:
    assert speaker_key(name) == key


def test_speakers_unified_with_the_variants_kept_as_evidence() -> None:
    a = doc("a", speakers=[{"name": "李強", "role": "国务院总理"}])
    b = doc("b", speakers=[{"name": "李强"}, {"name": "李 强"}])
    c = doc("c", speakers=[{"name": "王明"}])
    assert speaker_names(a) == speaker_names(b) == ["李强"]
    assert speaker_label(b) == "李强"
    assert speaker_variants([a, b, c]) == {"李强": sorted(["李 强", "李强", "李強"])}
    assert speaker_names(doc()) == [] and speaker_label(doc()) is None


def test_list_facts_say_unknown_instead_of_guessing() -> None:
    assert list_facts(doc()) == ("日期不明", "地点不明", "讲话人不明")
    d = doc(date="2026-01-27", place=place(scope="全国"), speakers=[{"name": "李強"}])
    assert list_facts(d) == ("2026-01-27", "全国", "李强")
    assert date_label(doc(date_text="8月29日")) == "8月29日（年份不明）"
