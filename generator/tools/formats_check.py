"""Measure the format readers on real files: `python -m generator.tools.formats_check FOLDER
[--known DIR] [--json]`.

For every PDF, DOCX and DOC in FOLDER it runs the real reader and cleaning, and compares
the Han characters of the published text (paragraphs plus what cleaning moved into the
metadata, such as the title) with a reference extraction made by another tool: Poppler's
`pdftotext` for a PDF, the text runs (w:t) of word/document.xml for a DOCX (a DOC has no
independent reference here and is compared with --known only). It reports the difference
in percent (the issue's bar: within 2%), the Han characters the layout rules removed
(running headers, page numbers), and whether a page-number line is left in the text.
With --known DIR holding <stem>.txt, the known text of each file, it also checks that
the published text contains the known text's first and last sentences.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from generator.clean import clean
from generator.model import SourceError
from generator.read import read
from generator.read.layout import PAGE_NUMBER

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]")


def han(text: str) -> str:
    return "".join(HAN.findall(text))


def reference(path: Path) -> str | None:
    """The reference extraction's Han characters, or None when there is none."""
    suffix = path.suffix.lower()
    if suffix == ".pdf" and shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=False)
        return han(out.stdout.decode("utf-8", "replace"))
    if suffix == ".docx":
        with zipfile.ZipFile(path) as zf:
            xml = zf.read("word/document.xml").decode("utf-8")
        return han("".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml)))
    return None


def sentences(text: str) -> list[str]:
    """Sentences of the known text, line by line (a title line is not a sentence)."""
    return [han(s) for line in text.split("\n") for s in _SENTENCE.findall(line) if len(han(s)) >= 6]


def check(path: Path, folder: Path, known: Path | None) -> dict:
    row: dict = {"file": path.relative_to(folder).as_posix()}
    try:
        raw = read(path, folder)
    except SourceError as exc:
        return {**row, "error": exc.message}
    docs = clean(raw)
    published = "\n".join(p for d in docs for p in d.paragraphs)
    moved = "".join(r.text for d in docs[:1] for r in d.removals if r.kept_as)
    dropped = "".join(r.text for d in docs[:1] for r in d.removals if not r.kept_as)
    pub = han(published) + han(moved)
    row.update(published_han=len(pub), removed_han=len(han(dropped)),
               page_number_lines=sum(1 for p in published.split("\n") if PAGE_NUMBER.match(p.strip())))
    ref = reference(path)
    if ref is not None:
        row["reference_han"] = len(ref)
        row["diff_percent"] = round(100 * (len(pub) - len(ref)) / max(len(ref), 1), 2)
        row["diff_with_removed_percent"] = round(100 * (len(pub) + len(han(dropped)) - len(ref)) / max(len(ref), 1), 2)
    if known is not None and (known / f"{path.stem}.txt").exists():
        ks = sentences((known / f"{path.stem}.txt").read_text(encoding="utf-8"))
        flat = han(published)
        row["first_sentence"] = bool(ks) and ks[0] in flat
        row["last_sentence"] = bool(ks) and ks[-1] in flat
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m generator.tools.formats_check", description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--known", type=Path, default=None)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    files = sorted(p for p in args.folder.rglob("*") if p.suffix.lower() in (".pdf", ".docx", ".doc"))
    rows = [check(p, args.folder, args.known) for p in files]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        by_ext: dict[str, list[dict]] = {}
        for r in rows:
            by_ext.setdefault(r["file"].rsplit(".", 1)[-1], []).append(r)
        for ext, rs in sorted(by_ext.items()):
            ok = [r for r in rs if "error" not in r]
            diffs = [abs(r["diff_percent"]) for r in ok if "diff_percent" in r]
            line = f"{ext}: {len(rs)} files, {len(rs) - len(ok)} errors"
            if diffs:
                line += (f", Han vs reference: max |diff| {max(diffs):.2f}%, "
                         f"{sum(d <= 2 for d in diffs)}/{len(diffs)} within 2%")
            if any("first_sentence" in r for r in ok):
                line += (f", first sentence {sum(r.get('first_sentence', False) for r in ok)}/{len(ok)}, "
                         f"last {sum(r.get('last_sentence', False) for r in ok)}/{len(ok)}")
            line += f", page-number lines left {sum(r['page_number_lines'] for r in ok)}"
            print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
