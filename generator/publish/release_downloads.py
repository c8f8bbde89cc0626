"""The bulk downloads published outside the Pages site, when the build is told where.

corpus.jsonl.gz (every text with its metadata and evidence) is the largest download, 7.6
KB of a document's 83 KB on the synthetic benchmark, more on real text, inside a site
GitHub Pages limits to 1 GB. Researchers fetch it once; readers of the site never need it.
With `DOWNLOADS_URL` set (the Pages workflow sets it to its GitHub release's download
address, https://github.com/<owner>/<repo>/releases/download/downloads/), the generator
writes it to dist/downloads/ instead of docs/data/, the workflow attaches dist/downloads/*
to that release, and the site's download list links there. Unset (a local build, and so
the offline zip made from one), it stays in site/data/ as before, so a reader on disk has
it. Only the files named in RELEASED move: the small ones are read beside the site.
"""

from __future__ import annotations

import os
from pathlib import Path

RELEASED = frozenset({"corpus.jsonl.gz"})
RELEASE_DIR = Path("dist") / "downloads"  # under the project root, next to the offline zip


def downloads_url() -> str:
    """DOWNLOADS_URL with a trailing slash, or "" when unset. Only an http(s) address is
    taken: it ends up in a link on the home page."""
    url = os.environ.get("DOWNLOADS_URL", "").strip()
    if not url:
        return ""
    if not url.startswith(("https://", "http://")) or any(c in url for c in "<>\"' \n"):
        raise ValueError(f"DOWNLOADS_URL must be an http(s) address, not {url!r}")
    return url if url.endswith("/") else url + "/"


def href(name: str) -> str:
    """Where the site links a download `name`, relative to the site's root."""
    url = downloads_url()
    return url + name if url and name in RELEASED else f"data/{name}"


def target_dir(data: Path, name: str) -> Path:
    """The folder `name` is written to: docs/data/ (`data`), or dist/downloads/ of the same
    project (docs/data's grandparent) when it is released."""
    return data.parent.parent / RELEASE_DIR if downloads_url() and name in RELEASED else data
