"""Downloads for researchers: catalog.csv, corpus.jsonl.gz and an Atom feed.

Researchers load the collection into their own tools: a spreadsheet (CSV with a BOM, so
Excel reads UTF-8 Chinese correctly), a script (JSON Lines, one document per line, with
the clean text), a feed reader (Atom, the newest documents). All are written from the
same Documents as the pages, sorted by id, so they agree with the catalog and are
deterministic.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from generator.model import Document
from generator.publish import release_downloads
from generator.publish.cite import page_path, speakers
from generator.publish.columns import analysis_columns
from generator.publish.gzip_members import write_members

FEED_SIZE = 50

CSV_FIELDS = ["id", "url", "title", "title_original", "year", "date", "date_precision", "date_text", "published",
              "place", "level", "province", "city", "county", "division_code", "speakers", "speaker_roles", "meeting",
              "meeting_type", "genre", "source_name", "source_url", "script", "redacted", "chars", "keywords", "given_tags",
              "part", "siblings", "duplicates", "source_path", "source_download", "sha256", "encoding"]


def _join(values: list[Any]) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def csv_row(doc: Document, source_download: str) -> dict[str, str]:
    place = doc.value("place") or {}
    src = doc.value("source") or {}
    src = src if isinstance(src, dict) else {"name": src}
    people = doc.value("speakers") or []
    row: dict[str, Any] = {
        "id": doc.id,
        "url": page_path(doc),
        "title": doc.title,
        "title_original": doc.value("title_original"),
        **analysis_columns(doc),  # year, date, date_precision, place, level (columns.py)
        "date_text": doc.value("date_text"),
        "published": doc.value("published"),
        "province": place.get("province"),
        "city": place.get("city"),
        "county": place.get("county"),
        "division_code": place.get("code"),
        "speakers": _join(speakers(doc)),
        # one slot per speaker, empty when the role is unknown, so the columns line up
        "speaker_roles": "; ".join(str(p.get("role") or "") for p in people if p.get("name")),
        "meeting": doc.value("meeting"),
        "meeting_type": doc.value("meeting_type"),
        "genre": doc.value("genre"),
        "source_name": src.get("name"),
        "source_url": src.get("url"),
        "script": doc.script,
        "redacted": "true" if doc.redacted else "false",
        "chars": doc.chars,
        "keywords": _join(doc.keywords),
        "given_tags": _join(doc.given_tags),
        "part": doc.part,
        "siblings": _join(sorted(doc.siblings)),
        "duplicates": _join([d.id for d in doc.duplicates]),
        "source_path": doc.source_path,
        "source_download": source_download,
        "sha256": doc.sha256,
        "encoding": doc.encoding,
    }
    return {k: "" if v is None else str(v) for k, v in row.items()}


def catalog_csv(docs: list[Document], downloads: dict[str, str]) -> bytes:
    """UTF-8 with BOM and CRLF rows: what spreadsheet programs expect."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    w.writeheader()
    for d in docs:
        w.writerow(csv_row(d, downloads[d.id]))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def corpus_record(doc: Document, source_download: str) -> dict[str, Any]:
    meta = {k: {"value": f.value, "status": f.status, "evidence": f.evidence} for k, f in sorted(doc.meta.items())}
    rec: dict[str, Any] = {
        "id": doc.id,
        "url": page_path(doc),
        "title": doc.title,
        **analysis_columns(doc),
        "script": doc.script,
        "text": "\n\n".join(doc.simplified if doc.simplified is not None else doc.paragraphs),
        "text_original": "\n\n".join(doc.paragraphs) if doc.simplified is not None else None,
        "keywords": doc.keywords,
        "given_tags": doc.given_tags,
        "redacted": doc.redacted,
        "source_path": doc.source_path,
        "source_download": source_download,
        "sha256": doc.sha256,
        "metadata": meta,
    }
    return rec


# The whole corpus again, both scripts: compressed it is a third of its size, which at
# 10,000 speeches is ~150 MB of the Pages site's 1 GB limit saved; every tool reads .gz.
CORPUS_GZ = "corpus.jsonl.gz"


def gzip_bytes(data: bytes) -> bytes:
    """Reproducible gzip: no file name and a zero timestamp in the header."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=6, mtime=0) as gz:
        gz.write(data)
    return buf.getvalue()


def _write_if_changed(path: Path, data: bytes) -> None:
    """Unchanged files keep their time stamp, so the incremental render skips them."""
    try:
        if path.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    path.write_bytes(data)


def corpus_jsonl(docs: list[Document], downloads: dict[str, str]) -> str:
    return "".join(corpus_lines(docs, downloads))


def corpus_lines(docs: list[Document], downloads: dict[str, str]) -> Iterator[str]:
    """corpus_jsonl's lines one at a time: the whole corpus at once (every text) is the
    largest string a build made, and grows with the archive (stream_out.py)."""
    for d in docs:
        yield json.dumps(corpus_record(d, downloads[d.id]), ensure_ascii=False, sort_keys=False) + "\n"


def newest(docs: list[Document], n: int = FEED_SIZE) -> list[Document]:
    """Newest by the speech's date (undated last), ties by id: the build has no clock,
    and a feed entry's time must not change from one build to the next."""
    return sorted(docs, key=lambda d: (str(d.value("date") or ""), d.id), reverse=True)[:n]


def _iso(doc: Document) -> str:
    """Atom needs a full timestamp; the speech's date at midnight UTC, or the epoch when unknown
    (stated in the README: the feed's times are the speeches' dates, not publication times)."""
    d = str(doc.value("date") or "")[:10]
    if len(d) == 4:
        d += "-01-01"
    elif len(d) == 7:
        d += "-01"
    return (d or "1970-01-01") + "T00:00:00Z"


def atom_feed(docs: list[Document], base: str, title: str) -> str:
    """Atom 1.0 of the newest documents, with absolute URLs (`base` is the site's URL)."""
    entries = newest(docs)
    updated = _iso(entries[0]) if entries else "1970-01-01T00:00:00Z"
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh">',
           f"  <title>{xml_escape(title)}</title>",
           f'  <link rel="alternate" type="text/html" href="{xml_escape(base)}"/>',
           f'  <link rel="self" type="application/atom+xml" href="{xml_escape(base)}data/feed.xml"/>',
           f"  <id>{xml_escape(base)}</id>",
           f"  <updated>{updated}</updated>",
           f"  <author><name>{xml_escape(title)}</name></author>"]
    for d in entries:
        url = base + page_path(d)
        summary = "，".join(x for x in (str(d.value("date") or "日期不明"), "、".join(speakers(d)),
                                        str(d.value("meeting") or "")) if x)
        out += ["  <entry>",
                f"    <title>{xml_escape(d.title)}</title>",
                f'    <link rel="alternate" type="text/html" href="{xml_escape(url)}"/>',
                f"    <id>{xml_escape(url)}</id>",
                f"    <updated>{_iso(d)}</updated>",
                f"    <summary>{xml_escape(summary)}</summary>"]
        out += [f'    <category term="{xml_escape(k, {chr(34): "&quot;"})}"/>' for k in d.keywords]
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def write_downloads(docs: list[Document], data: Path, downloads: dict[str, str], base: str,
                    title: str, members_cache: Path | None = None) -> list[str]:
    """Write the downloads into docs/data/; returns the names written. The feed needs
    absolute URLs, so without a site URL it is not written (and the run says so).
    corpus.jsonl.gz is written as gzip members that `members_cache` lets the next build
    copy instead of compressing again (gzip_members.py)."""
    _write_if_changed(data / "catalog.csv", catalog_csv(docs, downloads))
    # outside the site when the build publishes it as a release asset (release_downloads)
    corpus_dir = release_downloads.target_dir(data, CORPUS_GZ)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    write_members(corpus_dir / CORPUS_GZ, zip((d.id for d in docs), corpus_lines(docs, downloads), strict=True),
                  members_cache)
    (data / "corpus.jsonl").unlink(missing_ok=True)  # the uncompressed file of earlier builds
    names = ["catalog.csv"] + ([CORPUS_GZ] if corpus_dir == data else [])  # else removed as stale
    feed = data / "feed.xml"
    if base:
        _write_if_changed(feed, atom_feed(docs, base, title).encode("utf-8"))
        names.append("feed.xml")
    else:
        if feed.exists():
            feed.unlink()
        print("note: data/feed.xml not written: a feed needs absolute URLs and SITE_URL is not set")
    return names
