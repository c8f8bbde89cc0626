"""The cluster path (generator/cluster.py): the per-document stages and the render shares
on a real Dask cluster (a local one with two worker processes, as a second machine would
run them) give a build byte for byte equal to the local process pool's."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_project, run_generator

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
    import distributed
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as lc:
        yield lc.scheduler_address


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
