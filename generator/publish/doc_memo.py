"""What the write stage makes of one document alone, kept by the key of its cached results.

Some of the write stage's work reads nothing but one document's own text and metadata:
the targets it states (annotate/targets.extract) and its lines of passages.jsonl.gz
(publish/passages.passages_lines). After one new document they were made again for every
document (about 3 s at 10,000). The pipeline knows each document's key (the key of its
source's cached per-document results: source bytes, annotation, path, id and the
generator's version; pipeline.collect's `doc_keys`); the same key means the same text
and metadata, so the same result. Each memo is one pickle in `.cache/docmemo/`, written
by this program only; holding only this build's documents, it does not grow with
removals. Missing, unreadable or from another generator version: every value is made again.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Generic, TypeVar

from generator.model import Document
from generator.runtime import dump_pickle, generator_version

V = TypeVar("V")


class DocMemo(Generic[V]):
    """One per-document function's values of the previous build, by document key."""

    def __init__(self, directory: Path | None, name: str, keys: Mapping[str, str] | None) -> None:
        self.path = directory / f"{name}.pickle" if directory is not None and keys is not None else None
        self.keys = keys or {}
        self.old: dict[str, V] = self._load()
        self.new: dict[str, V] = {}
        self.made = self.kept = 0

    def _load(self) -> dict[str, V]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            with self.path.open("rb") as fh:
                data = pickle.load(fh)
            if data["version"] != generator_version():
                return {}
            return dict(data["values"])
        except Exception as exc:  # noqa: BLE001 - a damaged memo only costs the work again
            print(f"note: {self.path}: unreadable ({type(exc).__name__}: {exc}); made again", file=sys.stderr)
            return {}

    def get(self, doc: Document, make: Callable[[Document], V]) -> V:
        """make(doc), or the previous build's value for a document of the same key."""
        key = self.keys.get(doc.id)
        if key and key in self.old:
            value = self.old[key]
            self.kept += 1
        else:
            value = make(doc)
            self.made += 1
        if key:
            self.new[key] = value
        return value

    def save(self) -> None:
        """Keep this build's values (only when they differ from the file's)."""
        if self.path is None or (not self.made and len(self.new) == len(self.old)):
            return
        dump_pickle(self.path, {"version": generator_version(), "values": self.new})
