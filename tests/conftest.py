"""Shared fixtures: the real generator and the real `mkdocs build --strict` on a copy
of the project, so tests never touch the working tree's docs/ or site/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The tests run on a pinned copy of the five seeds, never on the live corpus/: adding a
# document to corpus/ (as the README says to) must not change what the tests expect.
SEEDS = ROOT / "tests" / "corpus" / "seeds"


def collect_seeds():
    """read → clean → annotate on the pinned seeds (no writing)."""
    from generator.pipeline import collect

    return collect(ROOT, progress=False, corpus=SEEDS)


def copy_project(dest: Path, corpus: Path | None = None) -> Path:
    """mkdocs.yml + theme overrides + hand-written docs + a corpus, without generated output."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    shutil.copytree(
        ROOT / "docs", dest / "docs",
        ignore=shutil.ignore_patterns("archive", ".archive.tmp", "data", "searchindex"),
    )
    shutil.copytree(corpus or SEEDS, dest / "corpus")
    return dest


def run_generator(root: Path, *args: str, hash_seed: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if hash_seed is not None:
        env["PYTHONHASHSEED"] = hash_seed  # set iteration order differs between runs
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=900,
    )


@dataclass
class BuiltSite:
    """One `python -m generator build`: site/ is published online and read from disk
    alike (`offline` is the same folder, kept as a name for what a test checks)."""

    root: Path
    online: Path
    offline: Path
    output: str


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = copy_project(tmp_path_factory.mktemp("project"))
    proc = run_generator(root, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return BuiltSite(root, root / "site", root / "site", proc.stdout + proc.stderr)


@pytest.fixture(scope="session")
def catalog(built_site: BuiltSite) -> dict:
    import json

    return json.loads((built_site.online / "data" / "catalog.json").read_text(encoding="utf-8"))
