"""Ingestion on the development corpus (../shared/devcorpus: real documents the project
was not written for): every file is read in the right encoding, built, and stays one
document. The folder is not part of the project; the test skips without it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from generator.pipeline import collect
from generator.read import looks_like_mojibake

ROOT = Path(__file__).resolve().parent.parent
DEVCORPUS = ROOT.parent / "shared" / "devcorpus"


@pytest.fixture(scope="module")
def devcorpus_report():
    corpus = DEVCORPUS / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"development corpus not present at {DEVCORPUS} (it is not part of the repository)")
    files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file())
    return files, collect(ROOT, progress=False, corpus=corpus)


def test_every_devcorpus_file_is_built(devcorpus_report) -> None:
    files, report = devcorpus_report
    assert report.errors == []
    assert sorted(f.source_path for f in report.files) == files
    assert [f.source_path for f in report.files if f.status == "skipped"] == []


def test_no_devcorpus_file_is_split(devcorpus_report) -> None:
    """Each file of the development corpus is one report: 0 wrong splits."""
    files, report = devcorpus_report
    per_file = Counter(d.source_path for d in report.documents)
    assert {f: n for f, n in per_file.items() if n != 1} == {}
    assert len(report.documents) == len(files)


def test_no_devcorpus_title_is_mojibake(devcorpus_report) -> None:
    _, report = devcorpus_report
    bad = [(d.source_path, d.title) for d in report.documents
           if looks_like_mojibake(d.title) or "\ufffd" in d.title]
    assert bad == []
    assert not [d.source_path for d in report.documents if "\ufffd" in d.search_text]
