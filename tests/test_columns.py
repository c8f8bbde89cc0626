"""The downloads' analysis columns: year, date at its precision, place label and level.

Fixtures in tests/fixtures/catalog_columns/ are written for the case each shows: a national
report dated only by its year, a municipality's district dated to the day, a city meeting
dated to the month, an undated template.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from generator.model import Document, Field
from generator.pipeline import collect
from generator.publish.columns import analysis_columns, iso_date

FIXTURES = ROOT / "tests" / "fixtures" / "catalog_columns"


@pytest.fixture(scope="module")
def columns() -> dict[str, dict]:
    report = collect(ROOT, progress=False, corpus=FIXTURES)
    assert not report.errors, report.errors
    return {d.source_path: analysis_columns(d) for d in report.documents}


def test_national_report_known_only_by_its_year(columns) -> None:
    assert columns["national_report_year_only.txt"] == {
        "year": 2019, "date": "2019", "date_precision": "year", "place": "全国", "level": "全国"}


def test_municipality_named_once_and_day_precision(columns) -> None:
    assert columns["municipality_district_day.txt"] == {
        "year": 2023, "date": "2023-01-15", "date_precision": "day", "place": "重庆市璧山区", "level": "县区"}


def test_month_precision_is_not_padded_to_a_day(columns) -> None:
    assert columns["city_meeting_month.txt"] == {
        "year": 2022, "date": "2022-12", "date_precision": "month", "place": "湖北省宜昌市", "level": "市"}


def test_unknown_stays_empty(columns) -> None:
    assert columns["undated_template.txt"] == {
        "year": None, "date": None, "date_precision": None, "place": None, "level": None}


def _doc(**meta: object) -> Document:
    d = Document(id="x", file_id="x", part=None, parts_total=1, source_path="x.txt", sha256="0", encoding="utf-8",
                 body_format="text", paragraphs=["正文"])
    d.meta = {k: Field(v, "inferred", None) for k, v in meta.items()}
    return d


@pytest.mark.parametrize(("value", "stated", "expected"), [
    ("2024-08-02T09:30:00+08:00", "day", ("2024-08-02", "day")),
    # the precision is read off the date itself, so a stale precision cannot contradict it
    ("2024", "day", ("2024", "year")),
    ("2024-08", None, ("2024-08", "month")),
    (None, None, (None, None)),
    ("八月", None, (None, None)),
])
def test_iso_date_and_precision_agree(value, stated, expected) -> None:
    assert iso_date(_doc(date=value, date_precision=stated)) == expected


def test_a_level_outside_the_vocabulary_is_unknown() -> None:
    assert analysis_columns(_doc(level="乡镇"))["level"] is None


def test_editor_moving_a_national_document_leaves_its_level_unknown(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("national_report_year_only.txt", "city_meeting_month.txt"):
        (corpus / name).write_bytes((FIXTURES / name).read_bytes())
    # another place: the inferred level (全国) would be false; the same place keeps its level
    (corpus / "national_report_year_only.txt.meta.yml").write_text("place: {province: 广东省}\n", encoding="utf-8")
    (corpus / "city_meeting_month.txt.meta.yml").write_text(
        "place: {province: 湖北省, city: 宜昌市}\n", encoding="utf-8")
    report = collect(ROOT, progress=False, corpus=corpus)
    assert not report.errors, report.errors
    cols = {d.source_path: analysis_columns(d) for d in report.documents}
    assert cols["national_report_year_only.txt"]["place"] == "广东省"
    assert cols["national_report_year_only.txt"]["level"] is None
    assert cols["city_meeting_month.txt"]["level"] == "市"
