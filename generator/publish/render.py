"""Render stage: the generated Markdown in docs/ → the HTML site, with MkDocs, on every
core and, after the first build, only for the pages whose Markdown changed.

Why not one `mkdocs build`: at 10,000 speeches that one process renders every page on
one core, and renders all of them again after one document is added, although nearly
every page's Markdown is byte for byte what it was (the generator writes a file only
when its bytes change). Two facts make it safe to do less:

- A page's HTML depends on its own Markdown, the fixed nav and the theme and config.
  Speech pages are kept out of the nav (mkdocs.yml `not_in_nav`), so no page lists
  another's title; the one page that includes other files (the home page's snippet) is
  always rendered.
- MkDocs' own `dirty` mode already skips a page whose HTML is newer than its Markdown;
  what it lacks is a way to split pages between processes and to know when the theme,
  config, site URL or library versions changed, which invalidate every page.

So each worker runs MkDocs' real build with a small plugin that leaves it the pages and
static files of its share (by a stable hash of the path), and worker 0 alone writes
404.html and the sitemap. A stamp of everything that is not a page's own Markdown
(mkdocs.yml, overrides/, SITE_URL, library and generator versions) decides between an
incremental and a full render; a full render starts from an empty site/. Files in site/
that the build did not produce (a removed speech's page) are deleted afterwards.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import time
import zlib
from importlib import metadata
from pathlib import Path

from mkdocs.plugins import BasePlugin

from generator.cluster import cluster_address

STAMP = Path(".cache") / "render.json"
MANIFEST = Path(".cache") / "render-manifest.json"  # worker 0 writes what the build produced
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")
SNIPPET = b"--8<--"  # pymdownx.snippets: a page built from other files is always rendered


def share(src_uri: str, workers: int) -> int:
    """Which worker renders a page: stable across runs and processes (not Python's hash)."""
    return zlib.crc32(src_uri.encode("utf-8")) % workers


def render_stamp(root: Path) -> str:
    """Everything besides a page's own Markdown that shapes its HTML."""
    from generator.runtime import generator_version

    h = hashlib.sha256()
    h.update((root / "mkdocs.yml").read_bytes())
    overrides = root / "overrides"
    for path in sorted(overrides.rglob("*")) if overrides.is_dir() else []:
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(f"SITE_URL={os.environ.get('SITE_URL', '')}\0".encode())
    for lib in LIBRARIES:
        try:
            h.update(f"{lib}={metadata.version(lib)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib}=none\0".encode())
    h.update(generator_version().encode())
    return h.hexdigest()


def _no() -> bool:
    return False


def _yes() -> bool:
    return True


class _Share(BasePlugin):
    """Leaves MkDocs (run in dirty mode) only this worker's pages, and only those that
    need rendering."""

    def __init__(self, worker: int, workers: int, full: bool, manifest: Path) -> None:
        super().__init__()
        self.worker, self.workers, self.full, self.manifest = worker, workers, full, manifest
        self.files = None
        self.templates: set[str] = set()

    def on_config(self, config):
        # 404.html and sitemap.xml: worker 0's (another worker would write them from its
        # share of the pages, or copy the theme's template files of those names raw)
        self.templates = set(config.theme.static_templates)
        if self.worker != 0:
            config.theme.static_templates = set()
        return config

    def on_files(self, files, config):
        # pages and static files alike are shared out: the search index and the downloads
        # are thousands of files (270 MB at 10,000 speeches), and one worker copying them
        # all kept the other waiting
        for f in files:
            if share(f.src_uri, self.workers) != self.worker or (self.worker and f.src_uri in self.templates):
                f.is_modified = _no
            elif f.is_documentation_page():
                if self.full or SNIPPET in Path(f.abs_src_path).read_bytes():
                    f.is_modified = _yes
                # else: MkDocs' own test, the HTML older than the Markdown
            elif self.full:
                f.is_modified = _yes
        self.files = files
        return files

    def on_post_build(self, config):
        if self.worker != 0 or self.files is None:
            return
        produced = sorted({f.dest_uri for f in self.files if f.inclusion.is_included()}
                          | set(config.theme.static_templates) | {"sitemap.xml.gz"})
        self.manifest.write_text(json.dumps(produced, ensure_ascii=False), encoding="utf-8")


class _DropDirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build may leave stale navigation; here the nav is fixed
    and the stamp forces a full render whenever anything shared changes, so the warning
    would only make --strict fail."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


def worker(root: Path, site: Path, worker_no: int, workers: int, full: bool, manifest: Path) -> int:
    from mkdocs.commands import build as mkbuild
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    log = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.setLevel(logging.INFO if worker_no == 0 else logging.WARNING)
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())
    try:
        cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(site), strict=True)
        cfg.plugins["archive-render-share"] = _Share(worker_no, workers, full, manifest)
        cfg.plugins.on_startup(command="build", dirty=True)
        try:
            mkbuild.build(cfg, dirty=True)
        finally:
            cfg.plugins.on_shutdown()
    except (Abort, ConfigurationError) as exc:
        log.error(str(exc))
        return 1
    return 0


def _clear(site: Path) -> None:
    if site.is_dir():
        for child in site.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    site.mkdir(parents=True, exist_ok=True)


def remove_stale(site: Path, produced: set[str]) -> int:
    """Delete files in site/ that this build did not produce, and folders left empty."""
    removed = 0
    for path in sorted(site.rglob("*"), reverse=True):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and rel not in produced:
            path.unlink()
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return removed


# What a page depends on from the environment of the machine that runs `build`: a render
# share on another machine gets these from the caller, not from that machine.
PAGE_ENV = ("SITE_URL", "SOURCE_URL")


def render_share(args: list[str], page_env: dict[str, str]) -> tuple[int, str]:
    """One render share, run as a task on whichever cluster machine takes it, with that
    machine's Python. Its messages come back with its exit code: a strict warning on a
    remote worker must reach the user's console, not only the worker's log."""
    env = {k: v for k, v in os.environ.items() if k not in PAGE_ENV}
    env.update(page_env, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "generator.publish.render", *args], env=env, cwd=args[0],
                          capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def _render_on_cluster(root: Path, site: Path, mode: str, manifest: Path) -> tuple[list[int], int]:
    """The render shares as Dask tasks, one per thread of the cluster (each worker machine
    must see root/ and site/ at the same paths: README, "Building on a cluster")."""
    from generator.cluster import cluster_workers, connect

    client = connect(cluster_address() or "")
    try:
        n = cluster_workers(client)
        page_env = {k: os.environ[k] for k in PAGE_ENV if k in os.environ}
        futures = [client.submit(render_share, [str(root), str(site), str(k), str(n), mode, str(manifest)],
                                 page_env, pure=False) for k in range(n)]
        results = client.gather(futures)
    finally:
        client.close()
    for _code, messages in results:
        if messages:
            sys.stderr.write(messages)
    return [code for code, _ in results], n


def render(root: Path, site: Path, workers: int | None = None, full: bool = False) -> int:
    """Render docs/ into site/; returns an exit code (MkDocs' messages go to stderr)."""
    from generator.runtime import default_workers

    workers = workers or default_workers()
    stamp_path = root / STAMP
    stamp = render_stamp(root)
    try:
        previous = json.loads(stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    full = (full or previous.get("stamp") != stamp or previous.get("site") != str(site.resolve())
            or not (site / "index.html").is_file())
    # a render that fails half-way leaves pages newer than their Markdown: the next one is full
    stamp_path.unlink(missing_ok=True)
    if full:
        _clear(site)
    manifest = root / MANIFEST
    manifest.unlink(missing_ok=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    mode = "full" if full else "changed"
    took = ""
    if cluster_address() is not None:
        codes, workers = _render_on_cluster(root, site, mode, manifest)
    else:
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-m", "generator.publish.render", str(root), str(site), str(k),
                                   str(workers), mode, str(manifest)], env=env, cwd=root)
                 for k in range(workers)]
        ended: dict[int, float] = {}
        while len(ended) < len(procs):  # when each worker ends: an uneven split shows here
            for k, proc in enumerate(procs):
                if k not in ended and proc.poll() is not None:
                    ended[k] = time.perf_counter() - start
            time.sleep(0.05)
        codes = [p.returncode for p in procs]
        took = ", ".join(f"{ended[k]:.1f}" for k in range(len(procs)))
    if any(codes):
        return next(c for c in codes if c)
    produced = set(json.loads(manifest.read_text(encoding="utf-8")))
    manifest.unlink()
    removed = remove_stale(site, produced)
    stamp_path.parent.mkdir(parents=True, exist_ok=True)
    stamp_path.write_text(json.dumps({"stamp": stamp, "site": str(site.resolve())}), encoding="utf-8")
    print(f"render: {'full' if full else 'changed pages only'}, {workers} worker(s)"
          + (" on the cluster" if cluster_address() else f" (ended after {took} s)")
          + (f", {removed} stale file(s) removed" if removed else ""))
    return 0


if __name__ == "__main__":
    root_, site_, k_, n_, mode_, manifest_ = sys.argv[1:7]
    sys.exit(worker(Path(root_), Path(site_), int(k_), int(n_), mode_ == "full", Path(manifest_)))
