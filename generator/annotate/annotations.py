"""Editors' annotations: `<source file name>.meta.yml` beside a source.

An editor corrects or adds any field without touching the source; the values win over
front matter and inference, survive every rebuild, and are validated with the file
and line of each mistake, because a silently ignored correction is worse than none.

    date: 2024-08-02            # ISO date; date_precision follows from its form
    speakers: [{name: 张晓钦, role: 市委书记}]
    note: 日期据版面更正。        # shown on the page
    parts:                      # for one part of a multi-document file
      2: {title: …}
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from generator.annotate import GENRES, MEETING_TYPE_VOCAB
from generator.model import Document, Field, SourceError
from generator.read import ANNOTATION_SUFFIX, NoDatesLoader

_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _real_date(v: Any) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD that exists on the calendar (no 2023-02-30)."""
    from datetime import date

    s = str(v)
    if not _DATE.match(s):
        return False
    parts = [int(x) for x in s.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def _str(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _people(v: Any) -> bool:
    return isinstance(v, list) and all(
        isinstance(p, dict) and _str(p.get("name")) and set(p) <= {"name", "role", "part"} for p in v
    )


def _place(v: Any) -> bool:
    return isinstance(v, dict) and set(v) <= {"province", "city", "county"} and all(
        x is None or _str(x) for x in v.values()
    )


def _source(v: Any) -> bool:
    return isinstance(v, dict) and set(v) <= {"name", "url"} and all(x is None or _str(x) for x in v.values())


VALIDATORS: dict[str, tuple[Any, str]] = {
    "title": (_str, "a non-empty string"),
    "date": (lambda v: v is None or (isinstance(v, str | int) and _real_date(v)),
             "YYYY, YYYY-MM or YYYY-MM-DD, or null for unknown"),
    "date_text": (_str, "a string"),
    "published": (lambda v: isinstance(v, str) and _real_date(v[:10]), "an ISO date that exists"),
    "place": (_place, "a mapping with province, city, county"),
    "level": (lambda v: v in ("省", "市", "县区"), "省, 市 or 县区"),
    "speakers": (_people, "a list of {name, role}"),
    "officials": (_people, "a list of {name, role, part}"),
    "meeting": (_str, "a string"),
    "meeting_type": (lambda v: v in MEETING_TYPE_VOCAB, "one of " + ", ".join(MEETING_TYPE_VOCAB)),
    "genre": (lambda v: v in GENRES, "one of " + ", ".join(GENRES)),
    "source": (_source, "a mapping with name and url"),
    "reporters": (lambda v: isinstance(v, list) and all(_str(x) for x in v), "a list of names"),
    "note": (_str, "a string"),
}


def _key_lines(node: yaml.Node) -> dict[str, int]:
    out: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for k, _v in node.value:
            out[str(k.value)] = k.start_mark.line + 1
    return out


def load(path: Path, rel: str) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    """Parse and validate; returns (fields for the whole file, fields per part)."""
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=NoDatesLoader)
        data = yaml.load(text, Loader=NoDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceError(rel, f"invalid YAML: {getattr(exc, 'problem', exc)}", mark.line + 1 if mark else None) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise SourceError(rel, "annotation must be a mapping of field: value", 1)
    lines = _key_lines(node)
    parts: dict[int, dict[str, Any]] = {}
    fields = _validate(data, lines, rel, allow_parts=True)
    if "parts" in data:
        pnode = next((v for k, v in node.value if k.value == "parts"), None)
        if not isinstance(data["parts"], dict):
            raise SourceError(rel, "parts must map part numbers to fields", lines.get("parts"))
        plines = _key_lines(pnode) if pnode is not None else {}
        for num, sub in data["parts"].items():
            if not isinstance(num, int) or num < 1 or not isinstance(sub, dict):
                raise SourceError(rel, f"parts: {num!r} must be a part number (1, 2, …) with fields",
                                  plines.get(str(num)))
            subnode = next((v for k, v in pnode.value if str(k.value) == str(num)), None)
            parts[num] = _validate(sub, _key_lines(subnode) if subnode is not None else {}, rel, allow_parts=False)
    return fields, parts


def _validate(data: dict[str, Any], lines: dict[str, int], rel: str, allow_parts: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        if key == "parts" and allow_parts:
            continue
        if key not in VALIDATORS:
            known = ", ".join(sorted(VALIDATORS))
            raise SourceError(rel, f"unknown field {key!r} (known: {known})", lines.get(key))
        check, expected = VALIDATORS[key]
        if not check(value):
            raise SourceError(rel, f"field {key!r} must be {expected}, got {value!r}", lines.get(key))
        out[key] = value
    return out


def _apply(doc: Document, fields: dict[str, Any], rel: str) -> None:
    for key, value in fields.items():
        if key == "note":
            doc.editor_note = value
            continue
        if key == "date":
            v = None if value is None else str(value)
            doc.meta["date"] = Field(v, "annotated", rel)
            prec = None if v is None else {4: "year", 7: "month", 10: "day"}[len(v)]
            doc.meta["date_precision"] = Field(prec, "annotated", rel)
            continue
        if key == "source":
            doc.meta["source"] = Field({"name": value.get("name"), "url": value.get("url")}, "annotated", rel)
            continue
        doc.meta[key] = Field(value, "annotated", rel)


def annotation_path(source: Path) -> Path:
    return source.with_name(source.name + ANNOTATION_SUFFIX)


def apply_annotations(docs: list[Document], source: Path, corpus: Path | None = None) -> None:
    """Editor's values overwrite inferred and given ones (highest precedence)."""
    path = annotation_path(source)
    if not path.exists() and not path.is_symlink():
        return
    rel = path.relative_to(corpus).as_posix() if corpus else path.name
    if path.is_symlink() or not path.is_file():
        # never followed: a link could point outside corpus/, a FIFO would block the run
        raise SourceError(rel, "the annotation is a symbolic link or not a regular file; not read")
    fields, parts = load(path, rel)
    missing = sorted(set(parts) - {d.part or 1 for d in docs})
    if missing:
        # checked before anything is applied: a rejected annotation applies nothing
        raise SourceError(rel, f"parts {missing} do not exist (the source has {len(docs)} part(s))")
    for doc in docs:
        _apply(doc, fields, rel)
        if doc.part in parts:
            _apply(doc, parts[doc.part], rel)
        elif doc.part is None and 1 in parts and len(docs) == 1:
            _apply(doc, parts[1], rel)
