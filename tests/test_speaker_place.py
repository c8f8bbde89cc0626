"""The division the main speaker's post names (generator/annotate/speaker_place.py): a
delegate's interview that names the province far more often than his county is placed in
the county of his post; a post outside the place found, or a bare short name, moves
nothing. Each case is a fixture in tests/fixtures/speaker_place/, run through the real
pipeline."""

from __future__ import annotations

import copy

import pytest
from conftest import ROOT, fixture_documents, place_of

from generator.annotate.speaker_place import post_division
from generator.model import Document, Field

FIXTURES = ROOT / "tests" / "fixtures" / "speaker_place"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return fixture_documents(FIXTURES)


def test_a_delegates_interview_is_placed_in_the_county_of_his_post(docs: dict[str, Document]) -> None:
    """Traditional script, 河南 four times, 淅川縣 in the post and once more: 淅川县."""
    doc = docs["speaker_post_names_the_county.txt"]
    assert place_of(doc) == ("河南省", "南阳市", "淅川县")
    assert doc.value("level") == "县区"
    assert "南阳市淅川县委书记" in doc.meta["place"].evidence


def test_a_post_outside_the_place_found_moves_nothing(docs: dict[str, Document]) -> None:
    """A visiting county secretary of 江苏 speaking about 河南: the place stays 河南."""
    doc = docs["speaker_post_outside_the_place.txt"]
    assert place_of(doc) == ("河南省", None, None)


def test_post_division_units(docs: dict[str, Document]) -> None:
    base = docs["speaker_post_names_the_county.txt"]

    def doc(role: str) -> Document:
        d = copy.deepcopy(base)
        d.meta["speakers"] = Field([{"name": "李明远", "role": role}], "inferred", None)
        return d

    assert post_division(doc("南阳市淅川县委书记"), "410000")[0].name == "淅川县"
    assert post_division(doc("南阳市淅川县委书记"), "411300")[0].name == "淅川县"  # the city narrows too
    assert post_division(doc("南阳市淅川县委书记"), "411326") is None  # already there
    assert post_division(doc("淅川县委书记"), "320000") is None  # another province
    assert post_division(doc("县委书记"), "410000") is None  # no place in the post
    assert post_division(doc("淅川县委书记"), "") is None  # nothing found to narrow
    assert post_division(doc("淅川县委书记、南京市委常委"), "410000") is None  # two lineages
