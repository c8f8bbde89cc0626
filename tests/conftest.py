"""Shared fixtures: the real generator and the real `mkdocs build --strict` on a copy
of the project, so tests never touch the working tree's docs/ or site/."""

from __future__ import annotations

import inspect
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
# The test site is built as a GitHub project site would be (served under /<repo>/), so the
# feed, canonical links and citations carry absolute URLs; its pages link relatively and
# are served from the root of a local server all the same.
SITE_URL = "https://example.org/speech-archive/"


def collect_seeds():
    """read → clean → annotate on the pinned seeds (no writing)."""
    from generator.pipeline import collect

    return collect(ROOT, progress=False, corpus=SEEDS)


def linked_seed_docs():
    """The seeds' documents after segmenting and linking (keywords, similar speeches),
    as the page and chart writers receive them, without writing anything."""
    from generator.annotate.segment import cut
    from generator.link import link

    docs = collect_seeds().documents
    for d in docs:
        d.tokens = cut(d.search_text)
    link(docs)
    return docs



def fixture_documents(folder: Path) -> dict:
    """The documents of a fixture folder, by source path, through the real read → clean →
    annotate pipeline; a fixture that fails to read fails the test that uses it."""
    from generator.pipeline import collect

    report = collect(ROOT, progress=False, corpus=folder)
    assert not report.errors, report.errors
    return {d.source_path: d for d in report.documents}


def place_of(doc) -> tuple[object, object, object]:
    """(province, city, county) of a document, None where unknown."""
    p = doc.value("place") or {}
    return p.get("province"), p.get("city"), p.get("county")

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


def run_generator(root: Path, *args: str, hash_seed: str | None = None,
                  site_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SITE_URL", None)
    if site_url is not None:
        env["SITE_URL"] = site_url
    if hash_seed is not None:
        env["PYTHONHASHSEED"] = hash_seed  # set iteration order differs between runs
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=900,
    )


# ---------------------------------------------------------------- the e2e marker
# Tests that run the whole generator as a subprocess, build a site or drive a browser are
# marked `e2e`, so the mutation run (`make mutants`) can run the fast units alone
# (`-m "not e2e"`). Marking is automatic, so a new slow test cannot forget it.
E2E_FIXTURES = {"built_site", "catalog", "browser", "page", "online_search"}
E2E_MODULES = {"test_site", "test_pages", "test_browser", "test_indexes", "test_workflows", "test_devcorpus_ingest"}


def _calls_generator(func: object) -> bool:
    try:
        return "run_generator(" in inspect.getsource(func)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
        fixture_funcs = [fd.func for name in names for fd in defs.get(name, ())]
        if (
            names & E2E_FIXTURES
            or item.module.__name__ in E2E_MODULES  # type: ignore[attr-defined]
            or _calls_generator(getattr(item, "function", None))
            or any(_calls_generator(f) for f in fixture_funcs)
        ):
            item.add_marker(pytest.mark.e2e)


@dataclass
class BuiltSite:
    """One `python -m generator build`: site/ is published online and read from disk
    alike (`offline` is the same folder, kept as a name for what a test checks)."""

    root: Path
    online: Path
    offline: Path
    output: str


BUILT_SITE_HASH_SEED = "1"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = copy_project(tmp_path_factory.mktemp("project"))
    # an explicit hash seed, so test_site.py::test_deterministic compares two processes
    # that certainly differ in it
    proc = run_generator(root, "build", hash_seed=BUILT_SITE_HASH_SEED, site_url=SITE_URL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return BuiltSite(root, root / "site", root / "site", proc.stdout + proc.stderr)


@pytest.fixture(scope="session")
def catalog(built_site: BuiltSite) -> dict:
    import json

    return json.loads((built_site.online / "data" / "catalog.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test (Playwright's sync API allows one
    instance at a time, so the fixture lives here rather than in each test module)."""
    from browserlib import CHROMIUM_ARGS, chromium_path, unavailable

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed (pip install -e '.[test]')")
    path = chromium_path()
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Exception as error:  # noqa: BLE001 - any launch failure means "no usable browser"
            unavailable(f"cannot launch Chromium at {path}: {error}")
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh desktop-width, zh-CN browser page per test (nothing cached between tests).
    A module may set PAGE_TIMEOUT_MS for its own default wait (60 s otherwise)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(getattr(request.module, "PAGE_TIMEOUT_MS", 60_000))
    yield page
    context.close()
