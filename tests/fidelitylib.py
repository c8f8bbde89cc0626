"""Helpers shared by the read/clean/fidelity/golden tests: the seeds, reading a source
through the real pipeline stages, the Han-character accounting of the fidelity
invariant, and the summary the golden files record.

The accounting never uses the generator's code as its oracle: the source text is decoded
here (the seeds are UTF-8) and never Unicode-normalized (the README promises the generator
never normalizes: NFC would turn CJK compatibility ideographs into other characters), and
what counts as a Han character is defined here from the Unicode blocks, not imported.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.clean import clean
from generator.model import Document, RawDoc, Removal
from generator.read import read

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden" / "seeds"

# The five seed sources of the issue (copies of /work/shared/seeds).
SEED_STEMS = [
    "000_37eb0cade54b806a",
    "001_9e70d2a127fe3adb",
    "002_3531d760dda4e55b",
    "003_c16298974d168fd3",
    "004_8f839f086a4a2ddd",
]
SEEDS = [CORPUS / f"{stem}.txt" for stem in SEED_STEMS]


# Han ideographs by Unicode block, written out here on purpose (the generator has its own):
# CJK Unified Ideographs, Extension A, Extensions B–H, Compatibility Ideographs and their
# Supplement, and 〇 (U+3007, an ideographic number).
OWN_HAN = re.compile(
    "["
    "\u3007"
    "\u3400-\u4dbf"
    "\u4e00-\u9fff"
    "\uf900-\ufaff"
    "\U00020000-\U0002fa1f"
    "\U00030000-\U000323af"
    "]"
)


def han(text: str) -> list[str]:
    return OWN_HAN.findall(text)


def source_text(data: bytes, encoding: str = "utf-8") -> str:
    """What the source says: decoded by the test, line endings unified, nothing else."""
    text = data.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_clean(path: Path, corpus: Path) -> tuple[RawDoc, list[Document]]:
    raw = read(path, corpus)
    return raw, clean(raw)


def file_removals(docs: list[Document]) -> list[Removal]:
    """Removals with scope "file": the same list is repeated on every part, so it is
    taken once, from the first document."""
    return [r for r in docs[0].removals if r.scope == "file"] if docs else []


def part_removals(doc: Document) -> list[Removal]:
    return [r for r in doc.removals if r.scope == "part"]


@dataclass
class Accounting:
    source: Counter[str]
    documents: Counter[str]
    removals: Counter[str]
    front_matter: Counter[str]

    @property
    def accounted(self) -> Counter[str]:
        return self.documents + self.removals + self.front_matter

    @property
    def missing(self) -> dict[str, int]:
        """Source Han characters found neither in a document nor in a record."""
        return dict(self.source - self.accounted)

    @property
    def extra(self) -> dict[str, int]:
        """Han characters in documents/records that the source does not have."""
        return dict(self.accounted - self.source)


def account(text: str, raw: RawDoc, docs: list[Document]) -> Accounting:
    """Counter(source Han) == Counter(Han of every document's paragraphs)
    + Counter(Han of removals: scope "file" once per file, scope "part" per document)
    + Counter(Han of the front matter, i.e. the lines before raw.body_line).

    Markup losses (scripts, chrome, the page <title>) are removals with rule "markup";
    a title taken from the front matter is counted with the front matter.
    """
    lines = text.split("\n")
    front = "\n".join(lines[: raw.body_line - 1])
    removed = Counter(han("".join(r.text for r in file_removals(docs))))
    for d in docs:
        removed += Counter(han("".join(r.text for r in part_removals(d))))
    kept: Counter[str] = Counter()
    for d in docs:
        kept += Counter(han("".join(d.paragraphs)))
    return Accounting(Counter(han(text)), kept, removed, Counter(han(front)))


def is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


# ---------------------------------------------------------------- golden summaries

_SENTENCE = re.compile(r"[^。！？]*[。！？]|[^。！？]+$")


def sentences(text: str) -> list[str]:
    """A sentence runs up to and including 。！？; a trailing unterminated stretch is
    a sentence too."""
    return [s.strip() for s in _SENTENCE.findall(text.strip()) if s.strip()]


def first_sentence(paragraphs: list[str]) -> str:
    found = sentences("\n".join(paragraphs))
    return found[0] if found else ""


def last_sentence(paragraphs: list[str]) -> str:
    """From after the last-but-one sentence end to the end of the text."""
    found = sentences("\n".join(paragraphs))
    return found[-1] if found else ""


def _by_rule(removals: list[Removal]) -> dict[str, list[list[str | None]]]:
    """rule → [[kept_as, text], ...] in the order the rule removed them."""
    out: dict[str, list[list[str | None]]] = {}
    for r in removals:
        out.setdefault(r.rule, []).append([r.kept_as, r.text])
    return out


def render(value: Any, indent: int = 0) -> str:
    """JSON with one line per removal, so golden diffs are one line per change."""
    pad, inner = " " * indent, " " * (indent + 2)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {render(v, indent + 2)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and value and not all(isinstance(v, list) for v in value):
        items = [f"{inner}{render(v, indent + 2)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    if isinstance(value, list) and value:
        items = [f"{inner}{json.dumps(v, ensure_ascii=False)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def paragraph_shape(p: str) -> str:
    """A paragraph's length and its first and last four characters: merging, splitting or
    trimming paragraphs changes the golden file, without checking in the whole text."""
    return f"{len(p)}:{p[:4]}…{p[-4:]}"


def summarize(path: Path, corpus: Path = CORPUS) -> dict[str, Any]:
    """What the golden file of one seed records."""
    _raw, docs = read_clean(path, corpus)
    return {
        "source": path.relative_to(corpus).as_posix(),
        "documents": len(docs),
        "file_removals": _by_rule(file_removals(docs)),
        "docs": [
            {
                "id": d.id,
                "title": d.title,
                "script": d.script,
                "redacted": d.redacted,
                "first_sentence": first_sentence(d.paragraphs),
                "last_sentence": last_sentence(d.paragraphs),
                "part_removals": _by_rule(part_removals(d)),
                "paragraphs": [paragraph_shape(p) for p in d.paragraphs],
            }
            for d in docs
        ],
    }
