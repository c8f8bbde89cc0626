"""`python -m generator evaluate`: per-field right / wrong / unknown against a gold file,
thresholds for CI, and the issue's targets on ../shared/devcorpus when it exists."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import ROOT, run_generator

from generator.annotate import GENRES
from generator.cli import main
from generator.model import Document, Field
from generator.tools.evaluate import FIELDS, KINDS, GoldError, compare, evaluate, parse_min_right, parse_rate

FIXTURE = ROOT / "tests" / "fixtures" / "evaluate"
DEVCORPUS = ROOT.parent / "shared" / "devcorpus"


@pytest.fixture(scope="module")
def ev():
    return evaluate(FIXTURE / "corpus", FIXTURE / "gold.json")


def test_counts_per_field(ev) -> None:
    assert ev.documents == 3
    assert ev.counts("year") == {"right": 2, "wrong": 1, "unknown": 0, "known": 3}
    assert ev.counts("province") == {"right": 2, "wrong": 0, "unknown": 1, "known": 3}
    assert ev.counts("speaker") == {"right": 1, "wrong": 0, "unknown": 0, "known": 1}
    assert ev.counts("title")["right"] == 3  # 政 府 工 作 报 告 = 政府工作报告
    assert len(ev.checks) == 20
    assert ev.national_with_province == [] and ev.mojibake_titles == [] and ev.missing == []


def test_a_national_document_must_have_no_province(ev) -> None:
    national = [c for c in ev.checks if c.file == "national_report.txt" and c.field in ("province", "city", "county")]
    assert [c.verdict for c in national] == ["right"] * 3


def test_wrong_values_are_listed_with_their_evidence(ev) -> None:
    (wrong,) = [c for c in ev.checks if c.verdict == "wrong"]
    assert (wrong.file, wrong.field, wrong.expected, wrong.got) == ("district_report.txt", "year", 2016, 2017)
    assert "2016年工作回顾" in wrong.evidence


def test_cli_prints_the_table_and_fails_on_thresholds(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["evaluate", str(FIXTURE / "corpus"), str(FIXTURE / "gold.json")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "field       right  wrong  unknown  known" in out
    assert "district_report.txt  year: expected 2016, got 2017" in out
    assert main([*args, "--min-right", "year=0.9"]) == 1
    assert "FAILED  year: 66.7% right" in capsys.readouterr().out
    assert main([*args, "--min-right", "speaker=95%", "--max-wrong", "0.1"]) == 0
    assert main([*args, "--max-wrong", "0.01"]) == 1
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fields"]["year"]["wrong"] == 1 and data["total"]["checked"] == 20


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["evaluate", str(FIXTURE / "corpus")]
    assert main([*args, str(tmp_path / "missing.json")]) == 2
    assert "cannot read gold file" in capsys.readouterr().err
    assert main([*args, str(FIXTURE / "gold.json"), "--min-right", "colour=0.5"]) == 2
    assert main([*args, str(FIXTURE / "gold.json"), "--max-wrong", "lots"]) == 2
    with pytest.raises(GoldError):
        parse_rate("-5", "--max-wrong")
    assert parse_min_right(["0.95", "year=90%"]) == {None: 0.95, "year": 0.9}


def test_evaluate_writes_nothing_into_the_corpus(tmp_path: Path) -> None:
    before = sorted(p.name for p in (FIXTURE / "corpus").iterdir())
    proc = run_generator(ROOT, "evaluate", str(FIXTURE / "corpus"), str(FIXTURE / "gold.json"))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (FIXTURE / "corpus").iterdir()) == before


@pytest.mark.e2e  # the whole pipeline on 127 real documents: slow-ish, still in make test
@pytest.mark.skipif(not (DEVCORPUS / "gold.json").exists(),
                    reason=f"development corpus not present at {DEVCORPUS} (it is not part of the project)")
def test_issue_targets_on_the_development_corpus() -> None:
    """Issue 8's targets: year, province, city, county and speaker each ≥95% right,
    wrong ≤2% of checked facts, no national document in a province, no garbled title."""
    result = evaluate(DEVCORPUS / "corpus", DEVCORPUS / "gold.json")
    report = "\n".join(f"{c.file} {c.field}: expected {c.expected!r}, got {c.got!r}"
                       for c in result.checks if c.verdict == "wrong")
    for name in ("year", "province", "city", "county", "speaker"):
        assert result.rate(name, "right") >= 0.95, f"{name}: {result.counts(name)}\n{report}"
    assert result.rate(None, "wrong") <= 0.02, report
    assert result.national_with_province == []
    assert result.mojibake_titles == []
    assert set(FIELDS) >= {c.field for c in result.checks}
    if os.environ.get("CI"):
        assert result.errors == []


def _doc_with_genre(genre: str | None) -> Document:
    doc = Document(id="x", file_id="x", part=None, parts_total=1, source_path="x.txt", sha256="", encoding="utf-8",
                   body_format="text", paragraphs=["正文。"])
    if genre:
        doc.meta["genre"] = Field(genre, "inferred", "依据")
    return doc


@pytest.mark.parametrize(("kind", "genre", "verdict"), [
    ("news report", "会议报道", "right"),
    ("news report", "讲话稿", "wrong"),  # a news report of a speech is not the speech
    ("speech", "讲话稿", "right"),
    ("template", "范文", "right"),
    ("communique", "公报决议", "right"),
    ("work report", "工作报告", "right"),
    ("template", None, "unknown"),
    ("讲话稿", "讲话稿", "right"),  # a gold file may use the archive's own words
])
def test_gold_kinds_are_scored_as_the_archive_genre(kind: str, genre: str | None, verdict: str) -> None:
    (check,) = [c for c in compare(_doc_with_genre(genre), {"kind": kind}, "x.txt") if c.field == "genre"]
    assert (check.expected, check.verdict) == (KINDS.get(kind, kind), verdict)
    assert KINDS.get(kind, kind) in GENRES


def test_a_year_or_day_the_gold_leaves_undetermined_is_listed() -> None:
    """With --null-dates a null year or date in the gold means the text does not fix it
    (devcorpus/pages), so a value given there is a false fact, listed apart."""
    from generator.tools.evaluate import _dated_beyond

    doc = _doc_with_genre("会议报道")
    doc.meta["date"] = Field("2023-02-22", "inferred", "2月22日，省委召开…（据本页发布时间“2023-12-05”）")
    doc.meta["date_precision"] = Field("day", "inferred", None)
    listed = _dated_beyond(doc, {"file": "x.txt", "year": None, "date": None})
    assert [s.split("  ")[1] for s in listed] == ["year 2023", "date 2023-02-22"]
    assert _dated_beyond(doc, {"file": "x.txt", "year": 2023, "date": None}) == [listed[1]]
    assert _dated_beyond(doc, {"file": "x.txt"}) == []  # a gold without the key says nothing
    doc.meta["date"] = Field("2023", "inferred", "publication date")
    doc.meta["date_precision"] = Field("year", "inferred", None)
    assert _dated_beyond(doc, {"file": "x.txt", "year": 2023, "date": None}) == []  # a year is not a day


def test_other_kinds_are_not_scored() -> None:
    assert [c for c in compare(_doc_with_genre("讲话稿"), {"kind": "other"}, "x.txt") if c.field == "genre"] == []
    assert parse_min_right(["kind=0.9", "genre=95%"]) == {"genre": 0.95}
    assert parse_min_right(["kind=0.9"]) == {"genre": 0.9}


@pytest.mark.e2e  # the whole pipeline on 144 real web pages
@pytest.mark.skipif(not (DEVCORPUS / "pages" / "gold.json").exists(),
                    reason=f"development pages not present at {DEVCORPUS / 'pages'} (they are not part of the project)")
def test_issue_17_title_and_genre_targets_on_the_development_pages() -> None:
    """Issue 17's targets for the head of a web page and the genre: title and genre each
    ≥95% of known values right, wrong ≤2% of their checked facts, no garbled title."""
    result = evaluate(DEVCORPUS / "pages" / "corpus", DEVCORPUS / "pages" / "gold.json")
    mine = [c for c in result.checks if c.field in ("title", "genre")]
    report = "\n".join(f"{c.file} {c.field}: expected {c.expected!r}, got {c.got!r}" for c in mine if c.verdict != "right")
    for name in ("title", "genre"):
        assert result.rate(name, "right") >= 0.95, f"{name}: {result.counts(name)}\n{report}"
    assert sum(c.verdict == "wrong" for c in mine) <= 0.02 * len(mine), report
    assert result.mojibake_titles == []


PAGES = DEVCORPUS / "pages"
needs_pages = pytest.mark.skipif(not (PAGES / "gold.json").exists(),
                                 reason=f"development pages not present at {PAGES} (they are not part of the project)")


@pytest.fixture(scope="module")
def pages_eval():
    return evaluate(PAGES / "corpus", PAGES / "gold.json")


def _wrong(result, fields) -> str:
    return "\n".join(f"{c.file} {c.field}: expected {c.expected!r}, got {c.got!r}  ({c.evidence})"
                     for c in result.checks if c.verdict == "wrong" and c.field in fields)


MINE = ("year", "date", "province", "city", "county", "speaker")


@pytest.mark.e2e
@needs_pages
def test_issue_17_speaker_target_and_no_false_facts_on_the_pages(pages_eval) -> None:
    """Issue 17 on the 144 development pages: speaker ≥95% right; the speaker, date and
    place facts at most 2% wrong; and the levels reached for year, date and places (95%,
    95%, 95%, 93%, 91% right when this was written) do not fall back."""
    report = _wrong(pages_eval, MINE)
    assert pages_eval.rate("speaker", "right") >= 0.95, f"{pages_eval.counts('speaker')}\n{report}"
    checks = [c for c in pages_eval.checks if c.field in MINE]
    assert sum(c.verdict == "wrong" for c in checks) / len(checks) <= 0.02, report
    floors = {"year": 0.95, "date": 0.95, "province": 0.95, "city": 0.95, "county": 0.95}
    for name, floor in floors.items():
        assert pages_eval.rate(name, "right") >= floor, f"{name}: {pages_eval.counts(name)}\n{report}"


@pytest.mark.e2e
@needs_pages
def test_issue_17_province_target_on_the_pages(pages_eval) -> None:
    """Issue 17's target for the province: ≥95% of known values right."""
    assert pages_eval.rate("province", "right") >= 0.95, f"{pages_eval.counts('province')}\n{_wrong(pages_eval, MINE)}"


@pytest.mark.e2e
@needs_pages
def test_issue_17_year_target_on_the_pages(pages_eval) -> None:
    """Issue 17's target for the year: ≥95% of known values right (the body's own years,
    annotate/body_year.py), and no wrong year."""
    assert pages_eval.rate("year", "right") >= 0.95, f"{pages_eval.counts('year')}\n{_wrong(pages_eval, MINE)}"
    assert pages_eval.counts("year")["wrong"] == 0, _wrong(pages_eval, ("year",))


@pytest.mark.e2e
@needs_pages
@pytest.mark.parametrize("name", ["city", "county"])
def test_issue_17_city_and_county_targets_on_the_pages(pages_eval, name: str) -> None:
    """Issue 17's targets for city and county: ≥95% of known values right, none wrong
    (72 and 71 of 73 right, 0 wrong, when this was written)."""
    assert pages_eval.rate(name, "right") >= 0.95, f"{name}: {pages_eval.counts(name)}\n{_wrong(pages_eval, MINE)}"
    assert pages_eval.counts(name)["wrong"] == 0, _wrong(pages_eval, MINE)


@pytest.mark.e2e
@needs_pages
def test_every_speaker_on_the_pages_is_a_name(tmp_path: Path) -> None:
    """No speaker value that is not a person's name (的讲话, 例会 …), on every page,
    whether or not the gold file knows its speaker."""
    from generator.annotate.speaker import is_person_name
    from generator.pipeline import collect

    report = collect(tmp_path, progress=False, corpus=PAGES / "corpus")
    bad = [(d.source_path, s.get("name")) for d in report.documents for s in d.value("speakers") or []
           if not is_person_name(str(s.get("name")), vouched=True)]
    assert bad == []
