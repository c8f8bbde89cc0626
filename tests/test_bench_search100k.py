"""The search-at-scale benchmark (generator/tools/bench_search100k.py) at a tiny size: its
documents carry the metadata a search filters on, and the index stage it measures, run over
the index parts it stored on disk, writes exactly the index build_index makes from the same
documents in memory."""

from __future__ import annotations

from pathlib import Path

from generator.publish.search import INDEX_DIR, build_index
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
