"""The cluster path (generator/cluster.py): the per-document stages and the render shares
on a real Dask cluster (a local one with two worker processes, as a second machine would
run them) give a build byte for byte equal to the local process pool's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, run_generator

SITE_URL = "https://example.org/cluster-test/"
GENERATED = ("docs/archive", "docs/data", "docs/searchindex", "site")


def tree(root: Path) -> dict[str, bytes]:
    out = {}
    for folder in GENERATED:
        base = root / folder
        for p in sorted(base.rglob("*")):
            if p.is_file():
                out[p.relative_to(root).as_posix()] = p.read_bytes()
    return out


@pytest.fixture(scope="module")
def cluster():
    """Workers that import the generator of this checkout, as `run_generator` does (its
    cwd): otherwise a second worktree's test run would send work to workers running the
    installed copy, which the build rightly refuses as another generator version."""
    import distributed
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), before) if p)
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                      silence_logs=40) as lc:
            yield lc.scheduler_address
    finally:
        if before is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = before


def test_cluster_build_equals_local_build(cluster: str, tmp_path: Path) -> None:
    local = copy_project(tmp_path / "local")
    remote = copy_project(tmp_path / "remote")
    a = run_generator(local, "build", site_url=SITE_URL)
    assert a.returncode == 0, a.stdout + a.stderr
    b = run_generator(remote, "build", "--cluster", cluster, site_url=SITE_URL)
    assert b.returncode == 0, b.stdout + b.stderr
    assert "on the cluster" in b.stdout
    ta, tb = tree(local), tree(remote)
    assert ta, "nothing was built"
    assert sorted(ta) == sorted(tb), set(ta) ^ set(tb)
    differ = [name for name in ta if ta[name] != tb[name]]
    assert not differ, differ[:10]
    # the parent wrote the cluster's results to the document cache: a rebuild redoes nothing
    again = run_generator(remote, "generate", "--cluster", cluster, site_url=SITE_URL)
    assert again.returncode == 0, again.stdout + again.stderr
    assert " 0 miss(es)" in again.stdout
    assert tree(remote) == tb


def test_bad_cluster_address_is_refused_before_any_work(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    proc = run_generator(root, "build", "--cluster", "http://not a scheduler", site_url=SITE_URL)
    assert proc.returncode == 2
    assert "is not a scheduler address" in proc.stderr
    assert not (root / "docs" / "archive").exists()


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    proc = run_generator(root, "generate", "--cluster", "tcp://127.0.0.1:9", site_url=SITE_URL)
    assert proc.returncode != 0
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_matrix_shares_fill_one_cache_that_a_build_finds_whole(tmp_path: Path) -> None:
    """The CI-matrix recipe of the README: each job fills the document cache for its share,
    the caches are merged, and the final build processes no source again and equals a
    build done in one piece."""
    import shutil

    whole = copy_project(tmp_path / "whole")
    a = run_generator(whole, "build", site_url=SITE_URL)
    assert a.returncode == 0, a.stdout + a.stderr
    merged = copy_project(tmp_path / "merged")
    processed = 0
    for k in range(3):
        job = copy_project(tmp_path / f"job{k}")
        proc = run_generator(job, "generate", "--shard", f"{k}/3", site_url=SITE_URL)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert not (job / "docs" / "archive").exists(), "a share writes the cache only"
        processed += int(proc.stdout.split(": ", 1)[1].split(" source", 1)[0])
        if (job / ".cache" / "documents").is_dir():  # a share may hold no source at all
            shutil.copytree(job / ".cache" / "documents", merged / ".cache" / "documents", dirs_exist_ok=True)
    sources = [p for p in (merged / "corpus").rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert processed == len(sources), "every source in exactly one share"
    b = run_generator(merged, "build", site_url=SITE_URL)
    assert b.returncode == 0, b.stdout + b.stderr
    assert " 0 miss(es)" in b.stdout
    assert tree(merged) == tree(whole)


def test_bad_shard_is_refused(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    for bad in ("3/3", "1", "a/2", "-1/2"):
        proc = run_generator(root, "generate", f"--shard={bad}")
        assert proc.returncode == 2, bad
        assert "expected K/N" in proc.stderr
