"""OCR reader for scans: page images (PNG, JPEG, TIFF, BMP) and PDF pages without a
text layer (pdf.py renders them and calls `recognize`).

Debian's Tesseract 5 with its chi_sim model (chi_tra too, GENERATOR_OCR_LANG), run as a
program, over RapidOCR: on the project's clean scan (tests/fixtures/formats/scan.png) both
read about 98% of the Han characters right (Tesseract 98.2%, RapidOCR 98.5%), but RapidOCR
took four times as long on one page and brings onnxruntime and OpenCV (over 100 MB) into
every install; Tesseract's word boxes and confidences come with it. Its words go through
the same layout rules as a PDF's text layer (layout.py), so a scan's running header, page
number and broken lines are handled as in any PDF. Tesseract runs single-threaded
(OMP_THREAD_LIMIT=1) because the pipeline already runs one source per core, and a
single-threaded run gives the same words every time.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from generator.model import OcrInfo, RawDoc, SourceError
from generator.read import layout
from generator.read.extracted import raw_from_text, require, source_bytes

# A page whose mean word confidence is below this is listed in the report for checking.
LOW_CONFIDENCE = 80.0
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra"


def languages() -> str:
    return os.environ.get("GENERATOR_OCR_LANG", "chi_sim").strip() or "chi_sim"


@lru_cache(maxsize=1)
def engine_name() -> str:
    out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False)
    first = (out.stdout or out.stderr).splitlines()[:1]
    version = first[0].split()[-1] if first else "?"
    return f"Tesseract {version}"


@dataclass
class PageResult:
    pieces: list[layout.Piece] = field(default_factory=list)  # pixels, y upwards
    confidence: float = 0.0  # mean word confidence weighted by characters, 0-100
    chars: int = 0
    width: int = 0
    height: int = 0


def recognize(image, rel: str, page: int = 1) -> PageResult:
    """One page image (a PIL image) → words with boxes and confidences."""
    require("tesseract", rel, "reading a scan (OCR)", INSTALL)
    lang = languages()
    with tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
        png = Path(tmp) / "page.png"
        image.save(png)
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        proc = subprocess.run(["tesseract", str(png), "stdout", "-l", lang, "--psm", "3", "tsv"],
                              capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        msg = (proc.stderr.strip().splitlines() or ["tesseract failed"])[-1]
        if "Failed loading language" in proc.stderr or "could not initialize" in proc.stderr.lower():
            raise SourceError(rel, f"OCR of page {page}: Tesseract has no model for '{lang}' "
                                   f"(missing tool; install: {INSTALL})")
        raise SourceError(rel, f"OCR of page {page} failed: {msg}")
    height = image.height
    result = PageResult(width=image.width, height=height)
    weighted = 0.0
    for row in proc.stdout.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        conf = float(cols[10])
        if not text or conf < 0:
            continue
        left, top, w, h = (int(c) for c in cols[6:10])
        result.pieces.append(layout.Piece(left, height - top - h, left + w, height - top, text))
        result.chars += len(text)
        weighted += conf * len(text)
    result.confidence = weighted / result.chars if result.chars else 0.0
    return result


def summary(rel: str, pages: dict[int, PageResult]) -> tuple[OcrInfo, list[str]]:
    """The document's OCR record (engine, mean confidence, per page) and a warning for
    each page below LOW_CONFIDENCE, which the report lists."""
    chars = sum(r.chars for r in pages.values())
    mean = sum(r.confidence * r.chars for r in pages.values()) / chars if chars else 0.0
    order = sorted(pages)
    low = [n + 1 for n in order if pages[n].confidence < LOW_CONFIDENCE]
    info = OcrInfo(engine=f"{engine_name()} ({languages()})", confidence=round(mean, 1),
                   pages=[round(pages[n].confidence, 1) for n in order], low_pages=low)
    warnings = [f"{rel}: OCR page {n}: mean confidence {pages[n - 1].confidence:.0f}% "
                f"(below {LOW_CONFIDENCE:.0f}%); check the text against the scan" for n in low]
    return info, warnings


def read_image(path: Path, corpus: Path) -> RawDoc:
    """A scanned page image (every frame of a multi-page TIFF) → OCR'd text."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    rel, data = source_bytes(path, corpus)
    try:
        img = Image.open(io.BytesIO(data))
        frames = [f.convert("L") for f in ImageSequence.Iterator(img)]
    except (UnidentifiedImageError, OSError) as exc:
        raise SourceError(rel, f"not a readable image ({exc}); not read") from None
    require("tesseract", rel, "reading a scan (OCR)", INSTALL)
    results = {n: recognize(f, rel, page=n + 1) for n, f in enumerate(frames)}
    pages = [layout.Page(r.width, r.height, r.pieces) for r in results.values()]
    text, removed = layout.page_text(pages)
    info, warnings = summary(rel, results)
    return raw_from_text(rel, data, text, "image", encoding="image, OCR", layout_removed=removed,
                         ocr=info, warnings=warnings)
