"""The search's snippet store d/<n>.js, deflated: the packed text compressed once more.

Offline search with snippets needs every candidate's text in the browser, and from file://
only scripts load, so each document's text ships a second time beside its page (issue 22:
13.8 KB of a document's 83 KB). search.pack_text already writes a Chinese character in
1.9 bytes instead of UTF-8's 3; a text's own repetitions (its recurring words and phrases)
are left. Raw DEFLATE over the packed text, written as base64 so it stays a string in a
script, takes what is left: on the real texts measured (tools/bench_snippets.py,
BENCHMARKS.md "Site size") 1.27 bytes per character on the development corpus's long
reports, 1.64 on its short web pages, 1.34 on the seeds, against 1.82–1.88 packed. DEFLATE is what every browser can undo itself
(`DecompressionStream("deflate-raw")`, Chromium 103, Firefox 113, Safari 16.4), from
file:// too, since no request is made: docs/assets/inflate.js turns the base64 back into
bytes and the bytes into the packed text. Per document, so one new document never
rewrites another's file, and only where it is shorter (a text of a few dozen characters
is not), so the store never grows.

The record keeps every other field as it was; `z` replaces `packed`, and the d/ file
passes the record through `SearchArchiveText.inflate`, which gives search.js a promise of
the record with `packed` back: search.js's loader resolves with whatever `put` received,
so it needs no change. This module owns the format; search.py calls `body` where it wrote
the record.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

# the name docs/assets/inflate.js defines; a d/ file calls it around its record
INFLATE = "SearchArchiveText.inflate"


def deflate(packed: str) -> str:
    """base64 of the raw DEFLATE (level 9, no zlib header: what "deflate-raw" reads) of
    the packed text's UTF-8 bytes. zlib at a fixed level gives the same bytes every run."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return base64.b64encode(c.compress(packed.encode("utf-8")) + c.flush()).decode("ascii")


def inflate(z: str) -> str:
    """The inverse of deflate (inflate.js does the same in the browser); for tests and tools."""
    return zlib.decompress(base64.b64decode(z), -15).decode("utf-8")


def body(record: dict[str, Any], serialize: Any) -> str:
    """The d/<n>.js body for a record from search.doc_record: `serialize` is
    search.script_body. With the text deflated when that is shorter, the record goes
    through inflate.js's function; else it is written as before."""
    packed = record.get("packed") or ""
    z = deflate(packed)
    if len(z) + len(INFLATE) + 2 >= len(json.dumps(packed, ensure_ascii=False)):
        return serialize(record)
    rest = {k: v for k, v in record.items() if k != "packed"}
    return f"{INFLATE}({serialize({**rest, 'z': z})})"


def packed_of(record: dict[str, Any]) -> str:
    """The packed text of a d/ record as read back from its file (either form)."""
    return inflate(record["z"]) if "z" in record else record.get("packed") or ""


def read_file(text: str) -> dict[str, Any]:
    """A d/<n>.js file's record, with `packed` whichever form it was written in (the
    file is `SearchArchive.put("d",n,BODY);`); for tests and tools."""
    inner = text[text.index(",", text.index(",") + 1) + 1 : text.rindex(")")]
    if inner.startswith(INFLATE + "("):
        inner = inner[len(INFLATE) + 1 : -1]
    record: dict[str, Any] = json.loads(inner)
    if "z" in record:
        record["packed"] = inflate(record.pop("z"))
    return record
