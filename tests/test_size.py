"""generator/publish/size.py: the site's size against GitHub Pages' limit."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import copy_project, run_generator

from generator.publish.size import PAGES_LIMIT, measure, report


def fake_site(root: Path, sizes: dict[str, int], docs: int) -> Path:
    site = root / "site"
    for rel, n in sizes.items():
        p = site / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x" * n)
    (site / "data").mkdir(parents=True, exist_ok=True)
    (site / "data" / "catalog.json").write_text(json.dumps({"documents": [{"id": str(i)} for i in range(docs)]}))
    return site


def test_parts_are_counted_apart(tmp_path: Path) -> None:
    site = fake_site(tmp_path, {"archive/speeches/a.html": 3000, "archive/sources/a.txt": 2000,
                                "searchindex/s1.js": 500, "index.html": 100}, docs=1)
    total, parts = measure(site)
    catalog = (site / "data" / "catalog.json").stat().st_size
    assert total == 5600 + catalog
    assert parts["speech pages"] == 3000 and parts["original files"] == 2000 and parts["search index"] == 500
    assert parts["downloads"] == catalog and parts["everything else"] == 100


def test_within_limit_fits_and_over_limit_says_what_to_do(tmp_path: Path) -> None:
    site = fake_site(tmp_path, {"archive/speeches/a.html": 3000, "archive/sources/a.txt": 2000}, docs=2)
    fits, message = report(site, limit=10_000)
    assert fits and "KB per document" in message and "GitHub Pages allows" in message
    fits, message = report(site, limit=4_000)
    assert not fits
    assert "SOURCE_URL" in message, "originals copied: the first remedy is to link them"
    assert "split the corpus" in message
    fits, message = report(site, limit=5_500)
    assert fits and "of the limit" in message, "within 10% of the limit: warned"
    assert "DOWNLOADS_URL" not in message


def test_over_limit_with_the_corpus_in_the_site_names_the_release(tmp_path: Path) -> None:
    site = fake_site(tmp_path, {"archive/speeches/a.html": 3000, "data/corpus.jsonl.gz": 2500}, docs=2)
    fits, message = report(site, limit=4_000)
    assert not fits and "DOWNLOADS_URL" in message and "corpus.jsonl.gz" in message


def test_size_command_on_a_built_site(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    assert run_generator(root, "size").returncode == 1, "no site yet"
    built = run_generator(root, "build")
    assert built.returncode == 0, built.stderr
    assert "GitHub Pages allows 1,000 MB" in built.stdout
    proc = run_generator(root, "size")
    assert proc.returncode == 0, proc.stderr
    total, _ = measure(root / "site")
    assert total < PAGES_LIMIT
    assert f"{total / 1e6:,.0f} MB" in proc.stdout or f"{total / 1e3:,.0f} KB" in proc.stdout
