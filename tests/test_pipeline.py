"""Tests for generator.pipeline and generator.report: nothing is lost, and every source
file is accounted for in docs/data/report.json (site/data/report.json)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import copy_project, run_generator

from generator.annotate import guarded
from generator.model import Document, Field
from generator.pipeline import collect, process_source

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SIBLINGS = FIXTURES / "newspaper_page_month_precision_sibling.txt"
NUMBERED = FIXTURES / "report_with_numbered_sections.txt"


def _corpus(tmp_path: Path, *files: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in files:
        shutil.copy(f, corpus / f.name)
    return corpus


# ---------------------------------------------------------------- one failing field


def _doc() -> Document:
    return Document(id="d", file_id="d", part=None, parts_total=1, source_path="speech.txt", sha256="0",
                    encoding="utf-8", body_format="text", paragraphs=["同志们：今天开会。"])


def test_failing_step_leaves_its_field_unknown_and_undoes_partial_writes() -> None:
    doc = _doc()
    doc.meta["title"] = Field("讲话", "inferred", None)

    def step(d: Document) -> None:
        d.meta["level"] = Field("县", "inferred", None)  # written before the failure
        raise ValueError("month must be in 1..12")

    assert guarded(doc, "place", step, doc) is False
    assert doc.meta["place"].value is None
    assert "level" not in doc.meta
    assert doc.meta["title"].value == "讲话"
    (warning,) = doc.warnings
    assert warning.startswith("speech.txt: place left unknown") and "ValueError" in warning


def test_exception_in_one_field_still_builds_the_document(tmp_path: Path, monkeypatch) -> None:
    """Fault injection: the place rule raises on this document. The document is still
    built with its other fields, the place unknown, and the file is 'warned'."""
    import generator.annotate as annotate_mod

    def broken(doc: Document, text: str) -> None:
        raise KeyError("gazetteer entry")

    monkeypatch.setattr(annotate_mod, "infer_place", broken)
    corpus = _corpus(tmp_path, NUMBERED)
    result = process_source(corpus / NUMBERED.name, corpus, "report", segment=False)
    (doc,), status = result.documents, result.status
    assert doc.value("place") is None
    assert doc.value("date") is not None  # the other rules still ran
    assert status.status == "warned"
    assert any("place left unknown" in w and "KeyError" in w for w in status.warnings)
    assert any("place left unknown" in w for w in doc.warnings)  # shown on the page too


# ---------------------------------------------------------------- siblings


def test_sibling_with_month_precision_date_does_not_lose_the_page(tmp_path: Path) -> None:
    """Before: annotate_siblings unpacked '2021-10' into year, month, day and raised,
    and every article of the file was dropped."""
    corpus = _corpus(tmp_path, SIBLINGS)
    report = collect(tmp_path, progress=False, corpus=corpus)
    assert report.errors == []
    assert [d.id for d in report.documents] == [
        "newspaper-page-month-precision-sibling-p01", "newspaper-page-month-precision-sibling-p02"]
    first, second = report.documents
    assert first.value("date") == "2021-10"
    # a month can not anchor '10月12日' to a day: the year stays unknown, nothing invented
    assert second.value("date") is None
    assert [f.status for f in report.files] == ["built"]


@pytest.mark.parametrize("known", ["2021", "2021-10", "2021-10-10"])
def test_annotate_siblings_takes_only_a_day_to_anchor_a_month_day(known: str) -> None:
    from generator.annotate import annotate_siblings

    dated, undated = _doc(), _doc()
    dated.meta["date"] = Field(known, "inferred", None)
    undated.meta["date"] = Field(None, "inferred", None)
    undated.meta["date_text"] = Field("10月12日", "inferred", "10月12日，县政府召开会议。")
    annotate_siblings([dated, undated])
    assert undated.value("date") == ("2021-10-12" if known == "2021-10-10" else None)


# ---------------------------------------------------------------- empty and short files


EMPTY_CASES = {
    "empty.txt": (b"", "the file is empty"),
    "blank.txt": (" \n\u3000\n\t\n".encode(), "only whitespace"),
    "short.txt": ("会议纪要\n略。\n".encode(), "too short (5 Han characters or letters"),
    "bom_only.md": (b"\xef\xbb\xbf\n\n", "only whitespace"),
    "chrome_only.html": ("<html><body><nav>首页 新闻中心 政务公开</nav><p>我要纠错</p><p>打印本页 | 关闭窗口</p>"
                         "<p>扫一扫在手机打开当前页</p><p>返回首页</p></body></html>".encode(),
                         "left after cleaning"),
}


@pytest.mark.parametrize("name", sorted(EMPTY_CASES))
def test_empty_and_short_files_are_skipped_with_a_reason(name: str, tmp_path: Path) -> None:
    data, reason = EMPTY_CASES[name]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / name).write_bytes(data)
    report = collect(tmp_path, progress=False, corpus=corpus)
    assert report.documents == []
    assert report.errors == []
    (status,) = report.files
    assert status.status == "skipped"
    assert status.reason.startswith("not published: ") and reason in status.reason
    assert f"SKIPPED {name}: not published" in report.summary()


def test_report_json_lists_every_source_with_status_reason_and_line(tmp_path: Path) -> None:
    corpus = tmp_path / "src"
    corpus.mkdir()
    for name, (data, _) in EMPTY_CASES.items():
        (corpus / name).write_bytes(data)
    shutil.copy(NUMBERED, corpus / NUMBERED.name)
    shutil.copy(FIXTURES / "encodings" / "utf8_with_one_gbk_line.txt", corpus / "mixed.txt")
    (corpus / "broken.md").write_text("---\ntitle: [未闭合\n---\n同志们：今天召开全区工作会议，部署全年工作任务。\n",
                                      encoding="utf-8")
    root = copy_project(tmp_path / "project", corpus)
    proc = run_generator(root, "generate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "docs/data/report.json" in proc.stdout
    report = json.loads((root / "docs" / "data" / "report.json").read_text(encoding="utf-8"))
    files = {f["source_path"]: f for f in report["files"]}
    assert sorted(files) == sorted(p.name for p in corpus.iterdir())
    for name in EMPTY_CASES:
        assert files[name]["status"] == "skipped"
        assert files[name]["reason"].startswith("not published")
        assert files[name]["documents"] == []
    assert files[NUMBERED.name]["status"] == "built"
    assert files[NUMBERED.name]["documents"] == ["report-with-numbered-sections"]
    mixed = files["mixed.txt"]
    assert mixed["status"] == "warned" and mixed["line"] == 5
    assert mixed["warnings"][0]["line"] == 5
    broken = files["broken.md"]
    assert broken["status"] == "skipped" and broken["line"] in (2, 3)
    assert broken["reason"].startswith(f"broken.md:{broken['line']}: invalid YAML front matter")
    assert report["summary"] == {"sources": 8, "documents": 2, "built": 1, "warned": 1, "skipped": 6,
                                 "errors": 1, "warnings": 1}
    # skipped files never become pages
    pages = sorted(p.stem for p in (root / "docs" / "archive" / "speeches").glob("*.md"))
    assert pages == ["mixed", "report-with-numbered-sections"]


def test_report_json_is_published_with_the_site(built_site) -> None:
    report = json.loads((built_site.online / "data" / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["skipped"] == 0
    assert len(report["files"]) == report["summary"]["sources"] == 5
    assert all(f["status"] in {"built", "warned"} and f["documents"] for f in report["files"])
    assert "report.json" in built_site.output


def test_the_comparison_views_terms_are_made_with_the_document(tmp_path: Path) -> None:
    """reuse_pages.top_terms is a function of one document's counts: the worker makes it
    and the document cache keeps it, so a rebuild reads it instead of making it again."""
    from conftest import ROOT, SEEDS

    from generator.publish.reuse_pages import top_terms

    cache = tmp_path / "cache"
    for _ in range(2):  # made, then read from the cache
        report = collect(ROOT, progress=False, corpus=SEEDS, segment=True, cache_dir=cache)
        assert report.documents and set(report.compare_terms) == set(report.link_prep)
        for did, prep in report.link_prep.items():
            assert report.compare_terms[did] == top_terms(prep.counts)
            assert report.compare_terms[did].count("\t") > 10
    assert report.cache_hits and not report.cache_misses


# ---------------------------------------------------------------- a worker's memory

def test_annotating_more_documents_keeps_no_more_of_them(tmp_path: Path) -> None:
    """A pool worker annotates thousands of documents: what it keeps after each must not
    grow with their number. A cache of every document's search keys (about 12 KB each)
    made each worker grow by some 25 MB per 1,000 documents; caches of words stop growing
    once the vocabulary is seen. After 60 documents to warm those, 30 more may keep a
    little each (2 KB measured), not a document's keys (27 KB measured with that cache)."""
    import gc
    import tracemalloc

    from generator.tools.bench import synthetic_corpus

    root = Path(__file__).resolve().parent.parent
    dest = tmp_path / "corpus"
    synthetic_corpus(root, dest, 90, corpus=root / "tests" / "corpus" / "seeds")
    files = sorted(p for p in dest.rglob("*") if p.is_file())
    for i, f in enumerate(files[:30]):
        process_source(f, dest, f"warm-{i}", True)
    tracemalloc.start()
    try:
        # traced from here: a bounded cache's new entries replacing untraced ones count as
        # new memory until every entry was made under tracing
        for i, f in enumerate(files[30:60]):
            process_source(f, dest, f"traced-{i}", True)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for i, f in enumerate(files[60:90]):
            process_source(f, dest, f"more-{i}", True)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept / 30 < 8 * 1024, f"{kept / 30 / 1024:.1f} KB kept per document annotated"
