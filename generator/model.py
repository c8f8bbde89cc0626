"""The typed objects that flow through read → clean → annotate → link → write.

One explicit dataclass per stage output instead of dicts that grow keys: every stage
can see which fields exist, and a typo is an AttributeError rather than a silent new key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["given", "inferred", "annotated"]


class SourceError(Exception):
    """A corpus file that cannot be turned into documents; carries the path and line
    so the report points the editor at the exact place to fix."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


@dataclass
class RawDoc:
    """A corpus file decoded, with its front matter separated from the body."""

    source_path: str  # corpus-relative, POSIX separators
    file_id: str  # stable id derived from source_path
    sha256: str
    size: int
    encoding: str
    text: str  # decoded body, line endings normalized (front matter removed)
    body_format: Literal["text", "html", "markdown"]
    body_line: int  # 1-based line in the source where the body starts
    front_matter: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Han characters lost while converting markup to text (alt texts, scripts...),
    # so the fidelity invariant can account for them.
    markup_removed: list[str] = field(default_factory=list)
    html_title: str | None = None  # <title>/<h1> of a standalone web page
    # Sources that are not text (generator/read/formats.py): the format read, what the
    # layout rules took out as (rule, text), the Word headings as text → level, and the
    # OCR record of a scan.
    source_format: str | None = None
    layout_removed: list[tuple[str, str]] = field(default_factory=list)
    headings: dict[str, int] = field(default_factory=dict)
    ocr: OcrInfo | None = None


@dataclass
class OcrInfo:
    """A text that a machine read from page images: which engine, how sure it was (mean
    word confidence, 0-100, weighted by characters), per page, so the page and the report
    can say how far to trust it."""

    engine: str
    confidence: float
    pages: list[float] = field(default_factory=list)  # mean confidence of each OCR'd page
    low_pages: list[int] = field(default_factory=list)  # 1-based pages below LOW_CONFIDENCE


@dataclass
class Removal:
    """One piece of text a cleaning rule took out of the body.

    `kept_as` names the metadata field that now carries it (title, summary, source...),
    or None when it was dropped as junk; either way the page lists it.
    """

    rule: str
    text: str
    kept_as: str | None = None
    scope: Literal["file", "part"] = "part"  # file-wide removals are shown on every part


@dataclass
class Field:
    """A metadata value with where it came from, so the page can show its evidence."""

    value: Any
    status: Status
    evidence: str | None = None


@dataclass
class Related:
    id: str
    score: float
    shared_keywords: list[str]
    reposts: int = 0  # other members of the repost group this entry stands for


@dataclass
class Duplicate:
    id: str
    similarity: float


@dataclass
class Document:
    """One speech or report: the unit that gets a page."""

    id: str
    file_id: str
    part: int | None  # 1-based part number inside a multi-document file
    parts_total: int
    source_path: str
    sha256: str
    encoding: str
    body_format: Literal["text", "html", "markdown"]
    paragraphs: list[str]  # the cleaned text, original script
    removals: list[Removal] = field(default_factory=list)
    rules_run: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    script: Literal["zh-Hans", "zh-Hant"] = "zh-Hans"
    simplified: list[str] | None = None  # paragraphs converted to simplified script
    redacted: bool = False
    redaction_examples: list[str] = field(default_factory=list)
    meta: dict[str, Field] = field(default_factory=dict)
    given_tags: list[str] = field(default_factory=list)
    editor_note: str | None = None
    tokens: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    siblings: list[str] = field(default_factory=list)
    source_format: str | None = None  # "pdf", "docx", "doc", "rtf", "image", "mhtml"; None for text
    ocr: OcrInfo | None = None
    given_headings: dict[str, int] = field(default_factory=dict)  # Word heading text → level

    @property
    def title(self) -> str:
        f = self.meta.get("title")
        return str(f.value) if f and f.value else self.id

    def value(self, name: str) -> Any:
        f = self.meta.get(name)
        return f.value if f else None

    @property
    def search_text(self) -> str:
        """Simplified-script text used for segmentation, keywords and similarity."""
        return "\n".join(self.simplified if self.simplified is not None else self.paragraphs)

    @property
    def chars(self) -> int:
        return sum(len(p) for p in self.paragraphs)
