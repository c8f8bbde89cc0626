"""The render stage (generator/publish/render.py): MkDocs on every core, and only the pages whose
Markdown changed after the first build. Whatever path a build takes, the site must be
byte for byte what one plain `mkdocs build --strict` gives for the same docs/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, copy_project, run_generator

from generator.publish.render import remove_stale, share

SITE_URL = "https://example.org/render-test/"


def plain_mkdocs(root: Path, dest: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=SITE_URL)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                           str(root / "mkdocs.yml"), "-d", str(dest)], capture_output=True, text=True, env=env,
                          cwd=root, timeout=900)
    assert proc.returncode == 0, proc.stderr


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_site(a: Path, b: Path) -> None:
    ta, tb = tree(a), tree(b)
    assert sorted(ta) == sorted(tb), set(ta) ^ set(tb)
    differ = [name for name in ta if ta[name] != tb[name]]
    assert not differ, differ[:10]


def build(root: Path, *args: str) -> str:
    proc = run_generator(root, "build", *args, site_url=SITE_URL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds minus one, built once by the render stage."""
    root = copy_project(tmp_path_factory.mktemp("render"))
    held = sorted((root / "corpus").iterdir())[-1]
    (root / "held-out").mkdir()
    shutil.move(held, root / "held-out" / held.name)  # kept aside for the incremental test
    out = build(root)
    assert "render: full, " in out
    return root


def test_parallel_full_render_equals_plain_mkdocs(project: Path, tmp_path: Path) -> None:
    plain_mkdocs(project, tmp_path / "plain")
    assert_same_site(project / "site", tmp_path / "plain")


def test_nothing_changed_renders_nothing_and_keeps_the_site(project: Path, tmp_path: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in (project / "site" / "archive" / "speeches").glob("*.html")}
    out = build(project)
    assert "render: changed pages only" in out
    after = {p: p.stat().st_mtime_ns for p in before}
    assert before == after  # no speech page was rendered again
    plain_mkdocs(project, tmp_path / "plain")
    assert_same_site(project / "site", tmp_path / "plain")


def test_new_document_renders_changed_pages_only_and_equals_a_full_build(project: Path, tmp_path: Path) -> None:
    held = next((project / "held-out").iterdir())
    time.sleep(0.05)  # the new pages' Markdown must be newer than the HTML of the last render
    shutil.copy(held, project / "corpus" / held.name)
    out = build(project)
    assert "render: changed pages only" in out
    plain_mkdocs(project, tmp_path / "plain")
    assert_same_site(project / "site", tmp_path / "plain")


def test_removed_document_leaves_no_stale_page(project: Path, tmp_path: Path) -> None:
    victim = sorted((project / "corpus").iterdir())[0]
    pages_before = {p.name for p in (project / "site" / "archive" / "speeches").glob("*.html")}
    victim.unlink()
    out = build(project)
    assert "stale file(s) removed" in out
    pages_after = {p.name for p in (project / "site" / "archive" / "speeches").glob("*.html")}
    assert pages_after < pages_before
    plain_mkdocs(project, tmp_path / "plain")
    assert_same_site(project / "site", tmp_path / "plain")


def test_changed_config_forces_a_full_render(project: Path) -> None:
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("site_description: ", "site_description: 测试 "),
                   encoding="utf-8")
    out = build(project)
    assert "render: full, " in out
    html = (project / "site" / "archive" / "speeches")
    page = next(html.glob("*.html")).read_text(encoding="utf-8")
    assert "测试 " in page  # every page, not only changed ones, carries the new description


def test_full_flag_and_broken_page_fail_strictly(tmp_path: Path) -> None:
    """A strict-mode warning in one worker's share fails the build, and the next build
    (whose pages are then all newer than their Markdown) renders everything again
    instead of trusting the half-finished site."""
    root = copy_project(tmp_path / "p", corpus=SEEDS)
    build(root)
    about = root / "docs" / "about.md"
    good = about.read_text(encoding="utf-8")
    about.write_text(good + "\n[坏链接](no-such-page.md)\n", encoding="utf-8")
    proc = run_generator(root, "build", site_url=SITE_URL)
    assert proc.returncode != 0
    assert "no-such-page.md" in proc.stderr
    about.write_text(good, encoding="utf-8")
    out = build(root)
    assert "render: full, " in out
    out = build(root, "--full")
    assert "render: full, " in out


def test_share_is_stable_and_spreads_pages() -> None:
    names = [f"archive/speeches/{i:03d}.md" for i in range(400)]
    counts = [sum(share(n, 2) == k for n in names) for k in range(2)]
    assert min(counts) > 150
    assert [share(n, 3) for n in names] == [share(n, 3) for n in names]
    # not Python's salted hash: another process agrees
    code = "from generator.publish.render import share; print(share('archive/speeches/007.md', 5))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                           env=dict(os.environ, PYTHONHASHSEED="99"), check=True).stdout.strip()
    assert int(other) == share("archive/speeches/007.md", 5)


def test_remove_stale_keeps_what_the_build_produced(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "old.html").write_text("x")
    (tmp_path / "a" / "keep.html").write_text("x")
    (tmp_path / "index.html").write_text("x")
    assert remove_stale(tmp_path, {"a/keep.html", "index.html"}) == 1
    assert not (tmp_path / "a" / "b").exists()
    assert (tmp_path / "a" / "keep.html").exists()
