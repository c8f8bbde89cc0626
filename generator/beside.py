"""Two whole-archive stages at once: a function run in a forked process while the caller
goes on with other stages, its result sent back whole (issue 22, cold build within 1.7×
the floor).

After the per-document stages, generate ran link, reuse, write, trends and search index
one after another in one process: 104 of the 308 seconds of a cold build at 10,000, with
the machine's second core idle. The search index, the chart drawings and trends read only
the documents, their stored terms and the link results, and write files no other stage
writes, so they can run beside link, reuse and write (pipeline._trends_and_search; a
child forked before link gets link's results through a Mailbox). A fork rather than a spawn: the child needs the documents already in
the parent's memory, and a fork shares them (copy on write) instead of pickling 10,000
documents across a pipe. The child reads the build's store with pread and never writes
it (docstore.Spill refuses a write from another process), so the two never share a file
offset; what the child wrote under docs/ comes back as the Output's bookkeeping.

Forking is safe only from a process running one thread (another thread's locks would stay
held in the child forever), so `possible()` asks first and the caller otherwise runs the
function in place; the output is the same either way (tests/test_beside.py).

Memory decides too (`affordable`). The child shares the parent's pages only until either
writes them, so in the worst case the pair holds twice what the parent holds when it
forks, and both then grow: the parent by its reuse and write stages, the child by its own
search index and trends work. Issue 22's budget for a build is 4 GB at 100,000 documents,
where the parent still holds 1.7 GB after the link stage and the pair, forked then,
reached 4.4 GiB: there the stages run one after another, as before. At 10,000 the parent
holds under 1 GB, and the pair stays far inside the budget. Forking before link
(`early_fits`) is decided by the previous build's peaks, or for a first build by a bound
on what link will add.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from generator.runtime import dump_pickle

T = TypeVar("T")


MEMORY_BUDGET_MB = 4096  # what a build may hold at once (issue 22: 4 GB at 100,000 documents)
BUDGET_ENV = "GENERATOR_MEMORY_MB"  # a smaller (or larger) machine sets its own


def budget() -> int:
    """The memory budget in MB: GENERATOR_MEMORY_MB when set to a positive number."""
    env = os.environ.get(BUDGET_ENV, "").strip()
    return int(env) if env.isdigit() and int(env) > 0 else MEMORY_BUDGET_MB


def possible() -> bool:
    """Whether this process may fork a stage: POSIX, and no other thread running."""
    return hasattr(os, "fork") and threading.active_count() == 1


def resident_mb() -> int:
    """This process's resident memory now (not its peak), in MB; 0 where /proc is missing."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20
    except (OSError, ValueError, IndexError):
        return 0


# What the pair adds after a fork besides the pages the child may copy: the parent's reuse
# and write stages and the side process's own search index and trends work. Measured at
# 100,000 documents (BENCHMARKS.md, "Eighth session"): forked after link with the parent
# at 1.7 GB (twice that fitted the 4 GB budget), the parent grew to 2.6 GB in reuse and
# write while the child reached 2.5 GB, and the pair 4.4 GiB of PSS: 10 KB a document over
# twice the parent's 1.7 GB, and at most 17 KB counting the child's whole peak as its own.
# Twice that, for a margin.
AFTER_FORK_KB_PER_DOC = 32


def affordable(docs: int, budget_mb: int | None = None) -> tuple[bool, int]:
    """Whether a fork now stays within the budget (budget() by default) even if the child
    came to copy every page the parent holds, and both then grow by what the stages after
    the fork need for `docs` documents; and the parent's resident MB."""
    held = resident_mb()
    need = 2 * held + docs * AFTER_FORK_KB_PER_DOC / 1024
    return 0 < held and need <= (budget() if budget_mb is None else budget_mb), held


RECORD = "beside.pickle"  # in .cache/: what the previous build held, to decide a fork before link


# A first build has no record: what the link stage adds to the parent, bounded from above
# by measured builds of this generator (10,000 documents: +427 MB over the documents
# stage; 100,000: +2,222 MB, so about 227 MB plus 20 KB a document), doubled for margin.
FIRST_LINK_MB = 512
FIRST_LINK_KB_PER_DOC = 40


def early_fits(cache_dir: Path, docs: int, budget_mb: int | None = None, held_mb: int | None = None) -> bool:
    """Whether to fork before the link stage, while the parent is still small: only when the
    previous build's two processes (or its one process, counted twice) held little enough
    that the same build, scaled to this build's number of documents, fits the budget. The
    link stage grows the parent after the fork (3.4 GB at 100,000 documents), so what the
    parent holds now says nothing about the pair's peak; the last build does.

    A first build (no record) forks early only when even twice a generous bound on the
    parent after link (what it holds now, `held_mb`, plus FIRST_LINK_MB and
    FIRST_LINK_KB_PER_DOC for each document), plus what the stages after the fork add
    (AFTER_FORK_KB_PER_DOC), fits: about 20,000 documents in 4 GB. Larger archives decide
    after link, by what the parent then holds."""
    limit = budget() if budget_mb is None else budget_mb
    try:
        with (cache_dir / RECORD).open("rb") as fh:
            rec = pickle.load(fh)
        held = int(rec["parent_mb"]) + int(rec["side_mb"])
        before = max(1, int(rec["docs"]))
    except FileNotFoundError:
        now = resident_mb() if held_mb is None else held_mb
        after_link = now + FIRST_LINK_MB + docs * FIRST_LINK_KB_PER_DOC / 1024
        return 0 < now and 2 * after_link + docs * AFTER_FORK_KB_PER_DOC / 1024 <= limit
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, KeyError, TypeError):
        return False  # an unreadable record: decided after link, by what the parent holds
    return held * max(1.0, docs / before) <= limit


def remember(cache_dir: Path, docs: int, parent_mb: int, side_mb: int) -> None:
    """Record this build's peaks for the next build's early_fits."""
    dump_pickle(cache_dir / RECORD, {"docs": docs, "parent_mb": parent_mb, "side_mb": side_mb})


class Mailbox:
    """One value the parent sends a child forked after the mailbox was made, sent when the
    parent has it (the link stage's results, to a child that began before link ended).
    The value goes through an unnamed file both processes share, so sending never waits
    for the child to read; the pipe carries only its length, and its end of file tells a
    waiting child that the parent is gone."""

    def __init__(self, directory: Path) -> None:
        self._fh = tempfile.TemporaryFile(dir=directory, prefix="build-mailbox-")
        self._read, self._write = os.pipe()
        self._got: object = _NOTHING

    def send(self, value: object) -> None:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._fh.write(data)
        self._fh.flush()
        os.write(self._write, struct.pack("<Q", len(data)))  # 8 bytes: never blocks

    def receive(self) -> object:
        """The value (waiting for it the first time)."""
        if self._got is _NOTHING:
            head = b""
            while len(head) < 8:
                more = os.read(self._read, 8 - len(head))
                if not more:
                    raise RuntimeError("the build's main process ended before it sent the link stage's results")
                head += more
            (n,) = struct.unpack("<Q", head)
            data = os.pread(self._fh.fileno(), n, 0)
            if len(data) != n:
                raise RuntimeError("the link stage's results were cut short")
            self._got = pickle.loads(data)
        return self._got

    def close(self) -> None:
        for fd in (self._read, self._write):
            if fd >= 0:
                os.close(fd)
        self._read = self._write = -1  # a closed descriptor's number is soon another file's
        self._fh.close()

    def _keep(self, end: str) -> None:
        """After the fork: each process closes the pipe end it does not use."""
        if end == "read":
            os.close(self._write)
            self._write = -1
        else:
            os.close(self._read)
            self._read = -1


_NOTHING = object()


class Beside(Generic[T]):
    """`fn()` running in a forked child. `result()` waits for it and returns its value or
    raises its exception; `stop()` ends it (the caller failed and will not wait). A
    `mailbox` made before carries one value from the parent to the child later on."""

    def __init__(self, fn: Callable[[], T], name: str, mailbox: Mailbox | None = None) -> None:
        self.name = name
        sys.stdout.flush()
        sys.stderr.flush()  # else the child would print the parent's buffered output again
        gc.freeze()  # the child's collections then never touch (and so copy) the parent's objects
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read)
            if mailbox is not None:
                mailbox._keep("read")
            _child(fn, write)
        if mailbox is not None:
            mailbox._keep("write")
        gc.unfreeze()
        os.close(write)
        self._pid: int | None = pid
        self._read = read

    def result(self) -> T:
        fd, self._read = self._read, -1
        with os.fdopen(fd, "rb") as fh:
            data = fh.read()  # before waiting: a result larger than the pipe blocks the child until read
        status = self._wait()
        if not data:
            raise RuntimeError(f"the {self.name} process ended without a result ({_describe(status)})")
        kind, value, text = pickle.loads(data)
        if kind == "ok":
            return value
        if isinstance(value, BaseException):
            value.add_note(f"(raised in the {self.name} process)\n{text}")
            raise value
        raise RuntimeError(f"the {self.name} process failed:\n{text}")

    def stop(self) -> None:
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._wait()
        if self._read >= 0:
            os.close(self._read)
            self._read = -1

    def _wait(self) -> int:
        pid, self._pid = self._pid, None
        if pid is None:
            return 0
        return os.waitpid(pid, 0)[1]


def _child(fn: Callable[[], object], write: int) -> None:
    """Run fn, send ("ok", value, "") or ("error", exception, traceback), and leave with
    os._exit: the parent's atexit handlers, finalizers and open files are the parent's."""
    status = 1
    try:
        try:
            payload: tuple[str, object, str] = ("ok", fn(), "")
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
            payload = ("error", exc, traceback.format_exc())
        try:
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - an exception that does not pickle goes back as text
            data = pickle.dumps(("error", None, payload[2] or traceback.format_exc()))
        with os.fdopen(write, "wb") as fh:
            fh.write(data)
        status = 0
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        why = " (out of memory?)" if sig == signal.SIGKILL else ""
        return f"killed by signal {signal.Signals(sig).name}{why}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
