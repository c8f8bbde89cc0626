"""Incremental rebuilds (issue 22): whatever the caches in .cache/ hold, a rebuild after a
document is added, removed or edited writes exactly the files a cold build of the same
corpus writes. The caches may only save work: every generated file is compared, byte for
byte, with a cold build in a fresh project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, copy_project, run_generator

from generator.tools.bench import synthetic_corpus

GENERATED = ("docs/archive", "docs/data", "docs/searchindex")
N = 24


def tree(root: Path) -> dict[str, bytes]:
    out = {}
    for folder in GENERATED:
        for p in sorted((root / folder).rglob("*")):
            if p.is_file():
                out[p.relative_to(root).as_posix()] = p.read_bytes()
    return out


def generate(root: Path) -> str:
    done = run_generator(root, "generate")
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def cold(tmp: Path, name: str, corpus: Path) -> dict[str, bytes]:
    root = copy_project(tmp / name, corpus)
    generate(root)
    return tree(root)


def same(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    assert a, "nothing was generated"
    assert sorted(a) == sorted(b), set(a) ^ set(b)
    differ = [name for name in a if a[name] != b[name]]
    assert not differ, differ[:10]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """N synthetic speeches and one more (recombined from the seeds' paragraphs, so the
    similar-speech lists and keywords of many documents involve each other)."""
    base = tmp_path_factory.mktemp("corpora")
    synthetic_corpus(ROOT, base / "n", N, corpus=SEEDS)
    synthetic_corpus(ROOT, base / "extra", 1, start=N, corpus=SEEDS)
    return base


def test_add_remove_and_edit_equal_cold_builds(corpora: Path, tmp_path: Path) -> None:
    work = copy_project(tmp_path / "work", corpora / "n")
    generate(work)
    # add one
    shutil.copy(corpora / "extra" / f"syn_{N:05d}.txt", work / "corpus")
    out = generate(work)
    assert " 1 miss(es)" in out
    same(tree(work), cold(tmp_path, "cold-add", work / "corpus"))
    # remove one
    (work / "corpus" / "syn_00003.txt").unlink()
    out = generate(work)
    assert " 0 miss(es)" in out
    same(tree(work), cold(tmp_path, "cold-remove", work / "corpus"))
    # edit one: a paragraph of another speech appended
    edited = work / "corpus" / "syn_00005.txt"
    extra = (work / "corpus" / "syn_00009.txt").read_text(encoding="utf-8").split("\n\n")[2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n" + extra + "\n", encoding="utf-8")
    out = generate(work)
    assert " 1 miss(es)" in out
    same(tree(work), cold(tmp_path, "cold-edit", work / "corpus"))
