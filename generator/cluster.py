"""Where the per-document stages and the render shares run: a local process pool, or a
Dask distributed cluster when the user names its scheduler.

Why Dask: its `Client.get_executor()` is a `concurrent.futures.Executor`, so the pipeline
keeps one code path (`executor.map` over batches) whether the work runs on this machine's
cores or on many machines, and Dask's scheduler already handles workers joining, leaving
and dying. The results come back to this process over the network, in the order of the
jobs, so a cluster build is byte-identical to a local one.

What a cluster needs (README, "Building on a cluster"): every worker sees the project at the
same path as the machine that runs `build` (a shared filesystem, or the same checkout at the
same path), runs the same generator version (checked before any work is sent), and for the
render shares writes into the same `site/` folder.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

ENV = "GENERATOR_CLUSTER"
# tcp://host:port, tls://host:port, or a bare host:port (Dask's own forms)
_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ucx|inproc)://)?[A-Za-z0-9._\[\]:-]+:\d{1,5}$")


class ClusterError(RuntimeError):
    """The named cluster cannot run this build; the message says why and what to do."""


def cluster_address() -> str | None:
    """The scheduler the user named (`--cluster`, passed to child processes as
    GENERATOR_CLUSTER), or None for the local pool."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    if not _ADDRESS.match(value):
        raise ClusterError(f"{ENV}={value!r} is not a scheduler address such as tcp://10.0.0.5:8786")
    return value


def _worker_version() -> str:
    from generator.runtime import generator_version

    return generator_version()


def connect(address: str) -> Any:
    """A Dask client for `address`, after checking that every worker runs this generator
    version: a worker with other rules would publish pages that differ from a local build."""
    try:
        from distributed import Client
    except ImportError as exc:  # the cluster extra is not installed
        raise ClusterError("--cluster needs Dask distributed: pip install -e '.[cluster]'") from exc
    from generator.runtime import generator_version

    try:
        client = Client(address, timeout="30s")
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    versions = client.run(_worker_version)
    if not versions:
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no workers")
    mine = generator_version()
    other = sorted(w for w, v in versions.items() if v != mine)
    if other:
        client.close()
        raise ClusterError(f"worker(s) {', '.join(other)} run another generator version than this checkout "
                           f"({mine}): start them from the same commit")
    return client


def cluster_workers(client: Any) -> int:
    """How many tasks the cluster runs at once (its threads), for sizing batches."""
    return max(1, sum(client.nthreads().values()))


@contextmanager
def executor(workers: int) -> Iterator[tuple[Executor, int]]:
    """An executor and the number of tasks it runs at once: the named cluster, else a
    spawn-context process pool of `workers` processes (spawn: no state forked from a
    parent that already holds a corpus in memory)."""
    address = cluster_address()
    if address is None:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            yield pool, workers
        return
    client = connect(address)
    try:
        yield client.get_executor(pure=False), cluster_workers(client)
    finally:
        client.close()
