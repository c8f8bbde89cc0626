"""What the search-index tests share: an index made by build_index put in place of the
one the build wrote, a file's data read back, which index files a page loaded, and the
published corpus as the tests' own oracle."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

from browserlib import Traffic

from generator.publish.search import INDEX_DIR

ROOT = Path(__file__).resolve().parents[1]


def index_data(files: dict[str, str], rel: str):
    """The JSON payload of an index file (`SearchArchive.put("kind","key",DATA)`)."""
    return json.loads(files[rel].split(",", 2)[2].rsplit(")", 1)[0])


def replace_index(site: Path, files: dict[str, str]) -> None:
    """Put the index `files` (build_index's, by path under searchindex/) in place of the
    site's own, so a browser test runs on an index made with other parameters."""
    shutil.rmtree(site / INDEX_DIR)
    for rel, text in files.items():
        (site / INDEX_DIR / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / INDEX_DIR / rel).write_text(text, encoding="utf-8")


def index_files(traffic: Traffic) -> set[str]:
    """The search index files the page loaded, relative to searchindex/."""
    out = set()
    for url in traffic.requests:
        path = unquote(urlsplit(url).path)
        i = path.find("/" + INDEX_DIR + "/")
        if i >= 0:
            out.add(path[i + len(INDEX_DIR) + 2:])
    return out


def published_corpus(site: Path) -> list[dict]:
    """The published download, read as a researcher would: the test's own oracle."""
    with gzip.open(site / "data" / "corpus.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def linked_archive(corpus: Path):
    """The report of `corpus` collected and linked, for the index-building tests."""
    from generator.link import link
    from generator.pipeline import collect

    report = collect(ROOT, progress=False, corpus=corpus, segment=True)
    assert not report.errors and len(report.documents) >= 6
    link(report.documents)
    return report


def linked_copies(docs):
    """Copies of `docs` linked among themselves (repost groups need the same archive)."""
    import copy

    from generator.link import link

    docs = copy.deepcopy(docs)
    link(docs)
    return docs
