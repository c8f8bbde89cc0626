"""corpus.jsonl.gz published outside the Pages site when DOWNLOADS_URL says where
(generator/publish/release_downloads.py; the Pages workflow attaches it to a release)."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project

from generator.publish import release_downloads

URL = "https://github.com/owner/speech-archive/releases/download/downloads/"


def test_href_and_folder_follow_the_setting(monkeypatch, tmp_path: Path) -> None:
    data = tmp_path / "docs" / "data"
    monkeypatch.delenv("DOWNLOADS_URL", raising=False)
    assert release_downloads.href("corpus.jsonl.gz") == "data/corpus.jsonl.gz"
    assert release_downloads.target_dir(data, "corpus.jsonl.gz") == data
    monkeypatch.setenv("DOWNLOADS_URL", URL.rstrip("/"))
    assert release_downloads.href("corpus.jsonl.gz") == URL + "corpus.jsonl.gz"
    assert release_downloads.target_dir(data, "corpus.jsonl.gz") == tmp_path / "dist" / "downloads"
    assert release_downloads.href("catalog.csv") == "data/catalog.csv"  # small files stay in the site
    assert release_downloads.target_dir(data, "catalog.csv") == data


@pytest.mark.parametrize("bad", ["javascript:alert(1)//", "ftp://x/", "https://x/\"><script>", "data/"])
def test_only_an_http_address_is_taken(monkeypatch, bad: str) -> None:
    monkeypatch.setenv("DOWNLOADS_URL", bad)
    with pytest.raises(ValueError, match="DOWNLOADS_URL"):
        release_downloads.href("corpus.jsonl.gz")


def _run(root: Path, *args: str, downloads_url: str | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    for key in ("SITE_URL", "SOURCE_URL", "DOWNLOADS_URL"):
        env.pop(key, None)
    if downloads_url:
        env["DOWNLOADS_URL"] = downloads_url
    return subprocess.run([sys.executable, "-m", "generator", "--root", str(root), *args],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)


def test_build_with_downloads_url_keeps_the_corpus_out_of_the_site(tmp_path: Path) -> None:
    """The real build (MkDocs --strict): the file is in dist/downloads/, not in site/, and
    the home page links the release; built again without the setting, it is back in data/."""
    root = copy_project(tmp_path / "project")
    proc = _run(root, "build", downloads_url=URL)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    released = root / "dist" / "downloads" / "corpus.jsonl.gz"
    lines = gzip.decompress(released.read_bytes()).decode("utf-8").splitlines()
    assert len(lines) >= 5 and '"evidence"' in lines[0]
    assert not (root / "site" / "data" / "corpus.jsonl.gz").exists()
    assert not (root / "docs" / "data" / "corpus.jsonl.gz").exists()
    assert (root / "site" / "data" / "catalog.csv").is_file()
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert f'href="{URL}corpus.jsonl.gz"' in home and "GitHub Release" in home
    assert 'href="data/corpus.jsonl.gz"' not in home
    about = (root / "site" / "about.html").read_text(encoding="utf-8")
    assert 'href="index.html#downloads"' in about and 'id="downloads"' in home
    # a local build: the file is in the site, for readers on disk
    proc = _run(root, "generate", downloads_url=None)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    local = root / "docs" / "data" / "corpus.jsonl.gz"
    assert gzip.decompress(local.read_bytes()).decode("utf-8").splitlines() == lines
    assert "data/corpus.jsonl.gz" in (root / "docs" / "archive" / ".home.md").read_text(encoding="utf-8")
