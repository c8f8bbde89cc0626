"""Editors' annotations: `<source file name>.meta.yml` beside a source overrides front
matter and inference, per file or per part, and every mistake in it is reported with
the annotation file and line while the document is still built without it."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import copy_project, run_generator

from generator.model import Document
from generator.pipeline import collect
from generator.report import Report

S000 = "000_37eb0cade54b806a.txt"
S001 = "001_9e70d2a127fe3adb.txt"
S004 = "004_8f839f086a4a2ddd.txt"
ID000 = "000-37eb0cade54b806a"
ID001 = "001-9e70d2a127fe3adb"
ID004 = "004-8f839f086a4a2ddd"


def project_with(tmp_path: Path, annotations: dict[str, str]) -> Path:
    root = copy_project(tmp_path / "project")
    for source, text in annotations.items():
        assert (root / "corpus" / source).is_file(), source
        (root / "corpus" / f"{source}.meta.yml").write_text(text, encoding="utf-8")
    return root


def docs_of(report: Report) -> dict[str, Document]:
    return {d.id: d for d in report.documents}


def page_text(root: Path, doc_id: str) -> str:
    """A built speech page as text (tags dropped, entities such as &#45; decoded)."""
    raw = (root / "site" / "archive" / "speeches" / f"{doc_id}.html").read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


# ---------------------------------------------------------------- overrides

OVERRIDE_001 = """\
# editor's corrections
date: 2021-02-24
speakers:
  - {name: 李四, role: 区委书记}
note: 日期据会议通知更正。
"""


@pytest.fixture(scope="module")
def overridden(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report, str]:
    root = project_with(tmp_path_factory.mktemp("ann"), {
        S001: OVERRIDE_001,
        S000: "title: 市委召开工作务虚会（编辑拟题）\n",
    })
    report = collect(root, progress=False)
    proc = run_generator(root, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root, report, proc.stdout + proc.stderr


def test_annotation_overrides_inferred_date_and_speaker(overridden: tuple[Path, Report, str]) -> None:
    _root, report, _out = overridden
    assert not report.errors, report.errors
    doc = docs_of(report)[ID001]
    assert doc.value("date") == "2021-02-24"
    assert doc.meta["date"].status == "annotated"
    assert doc.value("date_precision") == "day"
    assert doc.value("speakers") == [{"name": "李四", "role": "区委书记"}]
    assert doc.meta["speakers"].status == "annotated"
    assert S001 + ".meta.yml" in (doc.meta["date"].evidence or "")
    assert doc.editor_note == "日期据会议通知更正。"
    # fields the editor did not touch keep their inferred values
    assert doc.value("meeting") == "全区经济工作会议"
    assert doc.meta["meeting"].status == "inferred"


def test_annotation_overrides_front_matter(overridden: tuple[Path, Report, str]) -> None:
    doc = docs_of(overridden[1])[ID000]
    assert doc.value("title") == "市委召开工作务虚会（编辑拟题）"
    assert doc.meta["title"].status == "annotated"
    assert doc.meta["published"].status == "given"


def test_built_page_shows_annotation_and_note(overridden: tuple[Path, Report, str]) -> None:
    root, _report, _out = overridden
    text = page_text(root, ID001)
    assert "编辑说明" in text and "日期据会议通知更正。" in text
    assert "2021-02-24" in text
    assert "李四" in text
    assert "编辑标注" in text, "the metadata table should mark annotated fields"
    # the speaker index follows the annotation, not the inference
    speakers = (root / "site" / "archive" / "speakers.html").read_text(encoding="utf-8")
    assert "李四" in speakers
    assert "张希岳" not in speakers
    assert "市委召开工作务虚会（编辑拟题）" in page_text(root, ID000)


def test_part_override_touches_only_that_part(tmp_path: Path) -> None:
    root = project_with(tmp_path, {S004: """\
note: 两篇同版刊出。
parts:
  2:
    date: 2024-08-03
    meeting_type: 其他
    speakers: [{name: 张壮, role: 市长}]
"""})
    report = collect(root, progress=False)
    assert not report.errors, report.errors
    docs = docs_of(report)
    p1, p2 = docs[f"{ID004}-p01"], docs[f"{ID004}-p02"]
    assert (p2.value("date"), p2.meta["date"].status) == ("2024-08-03", "annotated")
    assert (p2.value("meeting_type"), p2.meta["meeting_type"].status) == ("其他", "annotated")
    assert p2.value("speakers") == [{"name": "张壮", "role": "市长"}]
    assert (p1.value("date"), p1.meta["date"].status) == ("2024-08-01", "inferred")
    assert p1.value("meeting_type") == "年中工作会议"
    assert [s["name"] for s in p1.value("speakers")] == ["张晓钦"]
    # a whole-file field applies to every part
    assert p1.editor_note == p2.editor_note == "两篇同版刊出。"


# ---------------------------------------------------------------- mistakes


def assert_error_at(report: Report, filename: str, line: int, *words: str) -> str:
    hits = [e for e in report.errors if filename in e]
    assert len(hits) == 1, f"expected one error naming {filename}, got {report.errors}"
    err = hits[0]
    assert re.search(rf"{re.escape(filename)}:{line}\b", err), f"error should point at line {line}: {err}"
    for w in words:
        assert w in err, f"{w!r} not in {err!r}"
    return err


def assert_built_without_annotation(report: Report) -> None:
    doc = docs_of(report)[ID001]
    assert doc.value("date") == "2021-02-23"
    assert all(f.status != "annotated" for f in doc.meta.values()), {
        k: f.value for k, f in doc.meta.items() if f.status == "annotated"}
    assert doc.editor_note is None


UNKNOWN_FIELD = """\
date: 2021-02-24
note: 说明

speeker: 李四
"""


def test_unknown_field_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    root = project_with(tmp_path, {S001: UNKNOWN_FIELD})
    report = collect(root, progress=False)
    assert_error_at(report, f"{S001}.meta.yml", 4, "speeker")
    assert len(report.documents) == 14
    assert_built_without_annotation(report)

    build = run_generator(root, "build")
    out = build.stdout + build.stderr
    assert build.returncode == 0, out
    assert re.search(rf"ERROR\s+{re.escape(S001)}\.meta\.yml:4: .*speeker", out), out
    assert (root / "site" / "archive" / "speeches" / f"{ID001}.html").is_file()
    assert "2021-02-24" not in page_text(root, ID001)

    check = run_generator(root, "check")
    assert check.returncode != 0, check.stdout + check.stderr
    assert f"{S001}.meta.yml:4" in check.stdout + check.stderr


def test_unknown_field_inside_parts_points_at_its_line(tmp_path: Path) -> None:
    root = project_with(tmp_path, {S004: "parts:\n  2:\n    date: 2024-08-03\n    colour: red\n"})
    report = collect(root, progress=False)
    assert_error_at(report, f"{S004}.meta.yml", 4, "colour")
    p2 = docs_of(report)[f"{ID004}-p02"]
    assert (p2.value("date"), p2.meta["date"].status) == ("2024-08-02", "inferred")


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        ("note: 说明\ngenre: 小说\n", 2, "genre"),
        ("meeting_type: 茶话会\n", 1, "meeting_type"),
        ("note: 说明\nspeakers: 李四\n", 2, "speakers"),
        ("level: 乡镇\n", 1, "level"),
        ("note: 说明\ndate: 2024-13-45\n", 2, "date"),  # month 13, day 45
        ("date: 2023-02-30\n", 1, "date"),  # no such day
        ("date: 2024-13\n", 1, "date"),  # no such month
        ("published: 2024-13-45\n", 1, "published"),
    ],
    ids=["genre-novel", "meeting_type", "speakers-not-a-list", "level", "date-2024-13-45",
         "date-2023-02-30", "date-2024-13", "published-2024-13-45"],
)
def test_bad_value_is_an_error_with_file_and_line(tmp_path: Path, text: str, line: int, field: str) -> None:
    root = project_with(tmp_path, {S001: text})
    report = collect(root, progress=False)
    assert_error_at(report, f"{S001}.meta.yml", line, repr(field))
    assert_built_without_annotation(report)


def test_valid_partial_dates_are_accepted(tmp_path: Path) -> None:
    root = project_with(tmp_path, {S001: "date: 2021\n", S000: "date: 2021-12\n"})
    report = collect(root, progress=False)
    assert not report.errors, report.errors
    docs = docs_of(report)
    assert (docs[ID001].value("date"), docs[ID001].value("date_precision")) == ("2021", "year")
    assert (docs[ID000].value("date"), docs[ID000].value("date_precision")) == ("2021-12", "month")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("date: 2021-02-24\nspeakers: [{name: 李四, role: 区委书记}\nnote: 说明\n", 3),
        ("date: 2021-02-24\nnote: 说明\n  bad indent: x\n", 3),
        ('date: 2021-02-24\nnote: "未闭合\n', 3),
    ],
    ids=["unclosed-flow", "bad-indent", "unclosed-quote"],
)
def test_invalid_yaml_is_an_error_with_line(tmp_path: Path, text: str, line: int) -> None:
    root = project_with(tmp_path, {S001: text})
    report = collect(root, progress=False)
    assert_error_at(report, f"{S001}.meta.yml", line, "invalid YAML")
    assert len(report.documents) == 14
    assert_built_without_annotation(report)


def test_annotation_that_is_not_a_mapping(tmp_path: Path) -> None:
    root = project_with(tmp_path, {S001: "- date: 2021-02-24\n"})
    report = collect(root, progress=False)
    assert_error_at(report, f"{S001}.meta.yml", 1)
    assert_built_without_annotation(report)


def test_missing_part_is_an_error_and_nothing_is_applied(tmp_path: Path) -> None:
    """A broken annotation is not applied at all, not half-applied."""
    root = project_with(tmp_path, {S004: "note: 全文件说明\nparts:\n  5:\n    date: 2024-08-03\n"})
    report = collect(root, progress=False)
    errs = [e for e in report.errors if f"{S004}.meta.yml" in e]
    assert len(errs) == 1 and "5" in errs[0], report.errors
    docs = docs_of(report)
    for part in ("p01", "p02"):
        doc = docs[f"{ID004}-{part}"]
        assert doc.editor_note is None, f"{part}: the note of a rejected annotation was applied"
        assert all(f.status != "annotated" for f in doc.meta.values())
