"""What a run depends on besides its input: the generator's own version and the cores it
may use. Kept apart from pipeline.py, which imports every stage (numpy, scipy, jieba),
so that `build` and the render workers can ask without loading them."""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def generator_version() -> str:
    """A hash of the generator's own code and data: any change to a rule, a table or the
    dictionary invalidates every cached document, so a cache can never serve stale output."""
    pkg = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(p for p in pkg.rglob("*") if p.is_file() and p.suffix in (".py", ".txt", ".yml", ".yaml",
                                                                                  ".json", ".csv")):
        h.update(path.relative_to(pkg).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
    h.update(b"rjieba")  # the segmenter the cached tokens came from
    return h.hexdigest()[:16]


def default_workers() -> int:
    env = os.environ.get("GENERATOR_WORKERS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def dump_pickle(path: Path, obj: object) -> None:
    """Write a cache file whole or not at all: a build stopped mid-write, or two workers
    writing the same key, must never leave a truncated pickle for a later build to read.
    The temporary name carries the pid so that concurrent writers never share one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
