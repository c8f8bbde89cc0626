"""The document cache's file layout: a small head, then each document's heavy parts as
separate pickles that the build's store refers to where they lie (issue 22, "adding a
document in seconds", documents stage).

A rebuild after adding one document to 10,000 loaded every cached SourceResult whole
(unpickling each document's texts, search terms, link data and trend counts: about
80 KB a document) only to pickle those parts again into the build's temporary store
(docstore.Spill), where the later stages read them one at a time: most of the documents
stage. Here a cache file is

    MAGIC, the parts, the head (a pickle), the head's length (8 bytes, little-endian)

where the head holds the SourceResult without its heavy parts (its documents with empty
text fields, empty per-document dicts) and where each part lies: (kind, document id,
offset, length), kind one of "text" (the document's TEXT_FIELDS as a dict), "search",
"link", "trend" (its search_terms, link_prep, trend_counts values). Each part is the
pickle a Spill would have written for it, so a build with a store reads only the head
and records in its Spills where the parts are (Spill.refer): nothing is unpickled or
copied until a stage asks for it, and then exactly as from the store. A build without a
store (fill_cache, the tests) gets the whole SourceResult back (read).

Files of the former layout (one pickle of the SourceResult), truncated or foreign ones
read as missing: the source is processed again, as before.
"""

from __future__ import annotations

import copy
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.docstore import TEXT_FIELDS, Spill, StoredDocument, TextSpill

if TYPE_CHECKING:
    from generator.pipeline import SourceResult

MAGIC = b"SRPACK01"
KINDS = ("search", "link", "trend")  # SourceResult's per-document dicts: search_terms, link_prep, trend_counts
_FIELDS = {"search": "search_terms", "link": "link_prep", "trend": "trend_counts"}


def write(path: Path, result: SourceResult) -> None:
    """`result` in the layout above, whole or not at all (as runtime.dump_pickle)."""
    parts: list[tuple[str, str, bytes]] = []
    light = copy.copy(result)
    light.documents = []
    for doc in result.documents:
        parts.append(("text", doc.id, _dumps({name: getattr(doc, name) for name in TEXT_FIELDS})))
        bare = copy.copy(doc)
        for name in TEXT_FIELDS:
            setattr(bare, name, [])
        light.documents.append(bare)
    for kind in KINDS:
        values: dict[str, Any] = getattr(result, _FIELDS[kind])
        parts.extend((kind, did, _dumps(v)) for did, v in values.items())
        setattr(light, _FIELDS[kind], {})
    where, at = [], len(MAGIC)
    for kind, did, data in parts:
        where.append((kind, did, at, len(data)))
        at += len(data)
    head = _dumps((light, where))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        fh.write(MAGIC)
        for _kind, _did, data in parts:
            fh.write(data)
        fh.write(head + len(head).to_bytes(8, "little"))
    tmp.replace(path)


def _dumps(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _head(path: Path) -> tuple[SourceResult, list[tuple[str, str, int, int]]] | None:
    """The head of a cache file, or None if it is not one (or is cut short)."""
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size < len(MAGIC) + 8 or fh.read(len(MAGIC)) != MAGIC:
            return None
        fh.seek(size - 8)
        n = int.from_bytes(fh.read(8), "little")
        if n > size - len(MAGIC) - 8:
            return None
        fh.seek(size - 8 - n)
        light, where = pickle.loads(fh.read(n))
    if any(at + length > size - 8 - n for _k, _d, at, length in where):
        return None
    return light, where


def read(path: Path) -> SourceResult | None:
    """The whole SourceResult of a cache file, or None if it is not one."""
    got = _head(path)
    if got is None:
        return None
    light, where = got
    docs = {d.id: d for d in light.documents}
    with path.open("rb") as fh:
        for kind, did, at, length in where:
            fh.seek(at)
            value = pickle.loads(fh.read(length))
            if kind == "text":
                for name, v in value.items():
                    setattr(docs[did], name, v)
            else:
                getattr(light, _FIELDS[kind])[did] = value
    return light


def read_into(path: Path, spills: dict[str, Spill], texts: TextSpill) -> SourceResult | None:
    """The SourceResult of a cache file with its parts left in the file: its per-document
    dicts empty (each spills[kind] refers to the file for them), its documents
    StoredDocuments whose texts `texts` reads from the file. None if it is not one."""
    got = _head(path)
    if got is None:
        return None
    light, where = got
    docs = {}
    for doc in light.documents:
        state = dict(doc.__dict__)
        for name in TEXT_FIELDS:
            state.pop(name, None)
        stored = object.__new__(StoredDocument)
        stored.__dict__.update(state)
        stored.__dict__["_texts"] = texts
        docs[doc.id] = stored
    for kind, did, at, length in where:
        if kind == "text":
            texts.refer(did, path, at, length)
        else:
            spills[kind].refer(did, path, at, length)
    light.documents = [docs[d.id] for d in light.documents]
    return light
