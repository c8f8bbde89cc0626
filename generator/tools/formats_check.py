"""Measure the format readers on real files: `python -m generator.tools.formats_check FOLDER
[--known DIR] [--markdown] [--json]`.

For every PDF, DOCX and DOC in FOLDER it runs the real reader and cleaning and compares
what the archive publishes with a reference extraction made by another tool: Poppler's
`pdftotext` for a PDF, the text runs (w:t) of word/document.xml for a DOCX (Word's
mc:Fallback copy of each text box left out, as it repeats the box), `wvWare` (Debian
`wv`) for a DOC.
Per file it reports:

- the Han characters of the published text (paragraphs plus what cleaning moved into the
  metadata, such as the title) against the reference (the issue's bar: within 2%), and
  the same with the removals the record lists (running headers, page numbers, a Word
  table of contents), which the reference keeps;
- whether the published text contains the reference's first and last sentences (with
  --known DIR holding <stem>.txt, the known text's instead);
- running headers left: a line repeated in the page margins of the reference (PDF: the
  top or bottom lines of at least half the pages; DOCX: the header and footer parts)
  found in the published text more often than in the reference's body;
- page numbers left: margin lines of the reference that are page numbers, less those the
  record lists as removed;
- metadata: the facts (title, date, place, speakers, genre) the archive finds in the file
  against those it finds in the reference text (without its running headers and page
  numbers) saved as a .txt source.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from generator.clean import clean
from generator.model import SourceError
from generator.read import read
from generator.read.layout import PAGE_NUMBER

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]")
_FALLBACK = re.compile(r"<mc:Fallback\b.*?</mc:Fallback>", re.S)
_WT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
FACTS = ("title", "date", "place", "speakers", "genre")


def han(text: str) -> str:
    return "".join(HAN.findall(text))


@dataclass
class Reference:
    """Another tool's text of the file: its pages (one for formats without pages), and
    the lines a page margin repeats (running headers) and its page-number lines."""

    pages: list[str]
    page_count: int | None = None
    headers: list[str] = field(default_factory=list)
    page_numbers: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


def _margins(page: str, n: int = 2) -> list[str]:
    lines = [s.strip() for s in page.split("\n") if s.strip()]
    return lines[:n] + lines[-n:] if len(lines) > 2 * n else lines


def _pdf_reference(path: Path) -> Reference | None:
    if not shutil.which("pdftotext"):
        return None
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=False)
    pages = out.stdout.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    ref = Reference(pages, page_count=len(pages))
    seen: Counter[str] = Counter()
    numbered = 0
    for page in pages:
        margin = _margins(page)
        numbered += any(PAGE_NUMBER.match(s) for s in margin)
        seen.update({re.sub(r"\d+", "#", s) for s in margin if not PAGE_NUMBER.match(s) and len(han(s)) >= 4})
    # page numbers are a pattern of the pages, not a number that stands at one page's edge
    # (a year heading an exam paper)
    if len(pages) >= 2 and numbered >= len(pages) / 2:
        ref.page_numbers = numbered
    if len(pages) >= 3:
        ref.headers = sorted(s for s, n in seen.items() if n >= max(3, len(pages) / 2))
    return ref


def _docx_reference(path: Path) -> Reference:
    with zipfile.ZipFile(path) as zf:
        xml = _FALLBACK.sub("", zf.read("word/document.xml").decode("utf-8"))
        parts = [n for n in zf.namelist() if re.fullmatch(r"word/(?:header|footer)\d*\.xml", n)]
        margins = [_FALLBACK.sub("", zf.read(n).decode("utf-8")) for n in parts]
        app = zf.read("docProps/app.xml").decode("utf-8") if "docProps/app.xml" in zf.namelist() else ""
    paragraphs = ["".join(_WT.findall(p)) for p in re.findall(r"<w:p\b.*?</w:p>", xml, re.S)]
    pages = re.search(r"<Pages>(\d+)</Pages>", app)
    headers = sorted({t.strip() for m in margins for p in re.findall(r"<w:p\b.*?</w:p>", m, re.S)
                      if len(han(t := "".join(_WT.findall(p)))) >= 4})
    return Reference(["\n".join(paragraphs)], page_count=int(pages.group(1)) if pages else None, headers=headers)


def _doc_reference(path: Path) -> Reference | None:
    """wvWare's (Debian `wv`, the libwv parser) HTML of the .doc, as text. catdoc, the
    other candidate, silently dropped whole passages of real files (half the characters
    of one), so it cannot be the reference."""
    if not shutil.which("wvWare"):
        return None
    out = subprocess.run(["wvWare", "--charset=utf-8", str(path)], capture_output=True, check=False)
    page = out.stdout.decode("utf-8", "replace")
    page = re.sub(r"(?is)<(head|style|script)\b.*?</\1\s*>", "", page)
    page = re.sub(r"(?i)</p\s*>|<br\s*/?>|</tr\s*>|</h\d\s*>", "\n", page)
    return Reference([html.unescape(re.sub(r"<[^>]+>", "", page))])


def reference(path: Path) -> Reference | None:
    """Another tool's text of `path`, or None when that tool is not installed."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _pdf_reference(path)
    if suffix == ".docx":
        return _docx_reference(path)
    if suffix == ".doc":
        return _doc_reference(path)
    return None


def sentences(text: str, wrapped: bool = False) -> list[str]:
    """The Han characters of each sentence of at least six, in order, never across a
    paragraph end (a title line has no sentence end and would glue itself to the first
    sentence). In `wrapped` text (a PDF's lines) a line goes on into the next unless it
    ends a sentence or a clause, or stops well short of the page's longest lines."""
    lines = [s.strip() for s in text.split("\n")]
    if wrapped:
        widths = sorted(len(s) for s in lines if s)
        full = widths[int(0.9 * (len(widths) - 1))] if widths else 0
        blocks, cur = [], ""
        for s in lines:
            cur += s
            if not s or s[-1] in "。！？!?：:；;" or len(s) < 0.75 * full:
                blocks.append(cur)
                cur = ""
        blocks.append(cur)
    else:
        blocks = lines
    return [h for b in blocks for s in _SENTENCE.findall(b) if len(h := han(s)) >= 6]


def _body_text(ref: Reference) -> str:
    """The reference without its margin furniture (running headers, page numbers), whose
    lines would otherwise be glued to the first sentence of a page."""
    pattern = {h for h in ref.headers}
    keep = []
    for line in ref.text.split("\n"):
        s = line.strip()
        if PAGE_NUMBER.match(s) or re.sub(r"\d+", "#", s) in pattern or s in pattern:
            continue
        keep.append(line)
    return "\n".join(keep)


def _occurrences(needle: str, text: str) -> int:
    return text.count(needle) if needle else 0


def facts_of(path: Path, corpus: Path) -> dict | None:
    """The facts the archive finds in one source (read → clean → annotate), or None."""
    from generator.pipeline import process_source

    result = process_source(path, corpus, "doc", False)
    if not result.documents:
        return None
    doc = result.documents[0]
    # titles compare without spaces, as evaluate compares them: pdftotext puts a space
    # where a line's pieces have a gap (2017 年)
    return {"title": re.sub(r"\s+", "", doc.title or ""), **{k: doc.value(k) for k in FACTS if k != "title"}}


def check(path: Path, folder: Path, known: Path | None, metadata: bool = True) -> dict:
    row: dict = {"file": path.relative_to(folder).as_posix(), "format": path.suffix.lower().lstrip(".")}
    try:
        raw = read(path, folder)
    except SourceError as exc:
        return {**row, "error": exc.message}
    docs = clean(raw)
    published = "\n".join(p for d in docs for p in d.paragraphs)
    moved = "".join(r.text for d in docs[:1] for r in d.removals if r.kept_as)
    dropped = "".join(r.text for d in docs[:1] for r in d.removals if not r.kept_as)
    flat = han(published) + han(moved)
    row.update(published_han=len(flat), removed_han=len(han(dropped)),
               page_numbers_removed=sum(1 for rule, _ in raw.layout_removed if rule == "page-number"))
    if raw.ocr is not None:
        row["ocr"] = True
    ref = reference(path)
    if ref is not None:
        ref_han = len(han(ref.text))
        row.update(pages=ref.page_count, reference_han=ref_han)
        row["ratio"] = round(len(flat) / ref_han, 4) if ref_han else None
        row["ratio_with_removed"] = round((len(flat) + len(han(dropped))) / ref_han, 4) if ref_han else None
        body = han(_body_text(ref))
        pub_only = han(published)
        left = 0
        for h in ref.headers:
            needle = han(re.sub(r"#", "", h))
            if len(needle) >= 4:
                left += max(0, _occurrences(needle, pub_only) - _occurrences(needle, body))
        row["headers"] = len(ref.headers)
        row["headers_left"] = left
        if path.suffix.lower() == ".pdf":
            row["page_numbers_left"] = max(0, ref.page_numbers - row["page_numbers_removed"])
        ks = sentences(_body_text(ref), wrapped=path.suffix.lower() == ".pdf")
        if known is not None and (known / f"{path.stem}.txt").exists():
            ks = sentences((known / f"{path.stem}.txt").read_text(encoding="utf-8"))
        if ks:
            ordered = han(moved) + han(published)  # a title moved to the metadata comes first
            row["first_sentence"] = ks[0] in ordered
            row["last_sentence"] = ks[-1] in ordered
        if metadata and ref_han:
            with tempfile.TemporaryDirectory(prefix="formats-check-") as tmp:
                txt = Path(tmp) / f"{path.stem}.txt"
                txt.write_text(_body_text(ref), encoding="utf-8")  # the text, not the page furniture
                as_text = facts_of(txt, Path(tmp))
            ours = facts_of(path, folder)
            if as_text is not None and ours is not None:
                row["metadata_differs"] = [k for k in FACTS if as_text.get(k) != ours.get(k)]
                row["metadata_known"] = [k for k in FACTS if ours.get(k)]
    return row


def markdown(rows: list[dict], sources: dict[str, str] | None = None) -> str:
    """The BENCHMARKS.md table."""
    out = ["| file | format | pages | Han ours / reference | ratio | with removals | first / last sentence "
           "| running headers left | page numbers left | metadata as from the text |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    yes = {True: "yes", False: "**no**", None: "—"}
    for r in rows:
        name = (sources or {}).get(r["file"], r["file"])
        if "error" in r:
            out.append(f"| {name} | {r['format']} | | not read: {r['error']} | | | | | | |")
            continue
        ratio = f"{r['ratio']:.3f}" if r.get("ratio") is not None else "—"
        ratio_r = f"{r['ratio_with_removed']:.3f}" if r.get("ratio_with_removed") is not None else "—"
        meta = ("same" if not r["metadata_differs"] else "differs: " + ", ".join(r["metadata_differs"])) \
            if "metadata_differs" in r else "—"
        out.append(
            f"| {name} | {r['format']}{' (OCR)' if r.get('ocr') else ''} | {r.get('pages') or '—'} "
            f"| {r['published_han']} / {r.get('reference_han', '—')} | {ratio} | {ratio_r} "
            f"| {yes[r.get('first_sentence')]} / {yes[r.get('last_sentence')]} "
            f"| {r.get('headers_left', '—')} of {r.get('headers', '—')} | {r.get('page_numbers_left', '—')} | {meta} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m generator.tools.formats_check", description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--known", type=Path, default=None)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--markdown", action="store_true", help="print the table for BENCHMARKS.md")
    ap.add_argument("--sources", type=Path, default=None,
                    help="JSON {file: name to print}, e.g. the repository and path each file came from")
    ap.add_argument("--no-metadata", action="store_true", help="skip the metadata comparison (faster)")
    args = ap.parse_args(argv)
    files = sorted(p for p in args.folder.rglob("*") if p.suffix.lower() in (".pdf", ".docx", ".doc"))
    rows = [check(p, args.folder, args.known, metadata=not args.no_metadata) for p in files]
    sources = json.loads(args.sources.read_text(encoding="utf-8")) if args.sources else None
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif args.markdown:
        print(markdown(rows, sources))
    else:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
    by_ext: dict[str, list[dict]] = {}
    for r in rows:
        by_ext.setdefault(r["format"], []).append(r)
    for ext, rs in sorted(by_ext.items()):
        ok = [r for r in rs if "error" not in r]
        ratios = [r["ratio"] for r in ok if r.get("ratio") is not None]
        line = f"{ext}: {len(rs)} files, {len(rs) - len(ok)} not read"
        if ratios:
            line += f", Han vs reference within 2%: {sum(abs(x - 1) <= 0.02 for x in ratios)}/{len(ratios)}"
            with_removed = [r["ratio_with_removed"] for r in ok if r.get("ratio_with_removed") is not None]
            line += f" ({sum(abs(x - 1) <= 0.02 for x in with_removed)}/{len(with_removed)} with removals)"
        has = [r for r in ok if "first_sentence" in r]
        if has:
            line += (f", first sentence {sum(r['first_sentence'] for r in has)}/{len(has)}, "
                     f"last {sum(r['last_sentence'] for r in has)}/{len(has)}")
        line += f", running headers left {sum(r.get('headers_left', 0) for r in ok)}"
        line += f", page numbers left {sum(r.get('page_numbers_left', 0) for r in ok)}"
        meta = [r for r in ok if "metadata_differs" in r]
        if meta:
            line += f", metadata as from the text {sum(not r['metadata_differs'] for r in meta)}/{len(meta)}"
        print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
