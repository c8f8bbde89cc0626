"""The search-at-scale benchmark (generator/tools/bench_search100k.py) at a tiny size: its
documents carry the metadata a search filters on, and the index stage it measures, run over
the index parts it stored on disk, writes exactly the index build_index makes from the same
documents in memory."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from searchlib import index_data
from test_search import CORPUS, _built_site

from generator.publish.search import FORMAT, INDEX_DIR, build_index, script_file
from generator.tools import bench_search100k as b


def test_stored_parts_give_the_index_of_the_documents(tmp_path: Path) -> None:
    docs = list(b.documents(60))
    assert len({d.id for d in docs}) == 60
    for name in ("date", "place", "title"):
        assert sum(1 for d in docs if d.value(name)) > 30, name
    assert any(d.duplicates for d in docs)  # reposts
    b.make(tmp_path / "store", 60)
    b.split_docs(tmp_path / "store")
    stats = b.index(tmp_path / "store", tmp_path / "out", 60)
    assert stats["docs"] == 60 and stats["peak_rss_mb"] > 0
    written = {p.relative_to(tmp_path / "out" / INDEX_DIR).as_posix(): p.read_text(encoding="utf-8")
               for p in (tmp_path / "out" / INDEX_DIR).rglob("*.js")}
    assert written == build_index(docs)
    # a smaller size from the same store is an archive of its own: no repost of a later document
    assert all(x.id < "syn-000030" for d in b.stored_docs(tmp_path / "store", 30) for x in d.duplicates)


def test_densify_shard_writes_the_builds_dense_shards(tmp_path: Path) -> None:
    """--dense-shards measures dense postings on an index written without them: each shard
    re-encoded is byte for byte the shard the build writes with dense postings on."""
    docs = list(b.documents(60))
    varints = build_index(docs, dense_min=None)
    dense = build_index(docs, dense_min=0)
    shards = [rel for rel in varints if rel.startswith("s/")]
    assert shards and any("~" in dense[rel] or '":"!' in dense[rel] for rel in shards)  # some term is dense
    for rel in shards:
        assert b.densify_shard(varints[rel], 0) == dense[rel], rel
        assert b.densify_shard(dense[rel], 0) == dense[rel], rel  # dense already: unchanged
    # in a site whose index is hard links to the large index, only the site's copy changes
    big = tmp_path / "big" / INDEX_DIR
    site = tmp_path / "site"
    meta = index_data(varints, "meta.js")
    assert meta["format"] == FORMAT
    varints = {**varints, "meta.js": script_file("meta", 0, {**meta, "format": 6})}  # made before format 7
    for rel, text in varints.items():
        (big / rel).parent.mkdir(parents=True, exist_ok=True)
        (big / rel).write_text(text, encoding="utf-8")
        (site / INDEX_DIR / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / INDEX_DIR / rel).hardlink_to(big / rel)
    b.dense_shards(site, {f"{INDEX_DIR}/{rel}" for rel in shards}, 0)
    for rel in shards:
        assert (big / rel).read_text(encoding="utf-8") == varints[rel]
        assert (site / INDEX_DIR / rel).read_text(encoding="utf-8") == dense[rel]
    # format 6 had no dense postings: the site's copy says 7, so the page reads the "~" forms as written
    assert (site / INDEX_DIR / "meta.js").read_text(encoding="utf-8") == dense["meta.js"]
    assert (big / "meta.js").read_text(encoding="utf-8") == varints["meta.js"]


def test_kinds_groups_a_pages_files() -> None:
    files = {"search.html": 10, "assets/search.js": 60, "searchindex/meta.js": 2, "searchindex/t2s.js": 18,
             "searchindex/s/12.js": 100, "searchindex/s/7.js": 50, "searchindex/d/3.js": 7,
             "searchindex/m/q0.js": 10, "searchindex/m/q10.js": 1, "searchindex/m/lf12.js": 1,
             "searchindex/m/l3.js": 3, "searchindex/m/place-3.js": 14, "searchindex/m/n-speaker-1.js": 4}
    assert b.kinds(files) == {"d": [1, 7], "m/l": [1, 3], "m/lf": [1, 1], "m/n": [1, 4], "m/place": [1, 14],
                              "m/q": [2, 11], "meta.js": [1, 2], "page": [2, 70], "s": [2, 150], "t2s.js": [1, 18]}


@pytest.fixture(scope="module")
def search_site(tmp_path_factory) -> Path:
    """test_search's fixture corpus built by the real generator."""
    return _built_site(tmp_path_factory, "bench-search", CORPUS)


def test_browser_rows_measure_dense_shards_in_chromium(search_site: Path, tmp_path: Path) -> None:
    """The benchmark's browser pass on the fixture site, then its shards written dense (every
    term in most documents): each page's files by kind add up to what it loaded, and the dense
    pass loads the rewritten shards and shows the same results in the same order. In a process
    of its own: bench.browser_search starts its own Playwright, which the session's browser
    (conftest) would refuse."""
    site = tmp_path / "site"
    shutil.copytree(search_site, site)
    code = ("import json, sys; from pathlib import Path; from generator.tools.bench_search100k import browser_rows; "
            "print(json.dumps(list(browser_rows(Path(sys.argv[1]), 0, True, ['乡村振兴', '数字经济 发展'], 0))))")
    proc = subprocess.run([sys.executable, "-c", code, str(site)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(rows) == 2 * 2 * 3  # (varints, dense) × (http, file) × (page alone, two queries)
    for r in rows:
        assert round(sum(b for _n, b in r["by_kind"].values()) / 1000) == r["kb"], r
        assert r["same_results"], r
    hits = {(r["via"], r["query"], r["dense_shards"]): r for r in rows}
    for via in ("http", "file"):
        plain, dense = hits[(via, "乡村振兴", False)], hits[(via, "乡村振兴", True)]
        assert plain["results"] > 0 and plain["shown"] and dense["shown"] == plain["shown"]
        assert dense["by_kind"]["s"] != plain["by_kind"]["s"]  # other bytes: the shards it loaded were rewritten
    assert any('":"~' in f.read_text(encoding="utf-8") or '":"!' in f.read_text(encoding="utf-8")
               for f in (site / INDEX_DIR / "s").glob("*.js"))  # in the dense forms (8 documents: not smaller)
