"""Benchmark of the format readers: `python -m generator.tools.bench_formats [--docs 200]`.

1. The same N synthetic speeches (bench.synthetic_corpus: the seeds' paragraphs
   recombined) built once as .txt and once as PDF (each set as a Word file with a
   running header and page numbers by python-docx, converted by LibreOffice, which this
   benchmark needs: apt-get install libreoffice-writer-nogui), each a cold
   `python -m generator build` on an empty cache, run alternately; the issue's bar is the
   PDF build within twice the text build's time (OCR excluded: these PDFs have text).
2. OCR throughput: Tesseract on the project's scan fixture (one A4 page at 200 dpi),
   pages per second on one core.
Prints a Markdown section for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.tools.bench import _machine, run_measured, synthetic_corpus

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "corpus" / "seeds"


def as_pdfs(txt_dir: Path, pdf_dir: Path, work: Path) -> None:
    """Every .txt of txt_dir as a PDF in pdf_dir: a Word file with the first line as a
    running header and a page number in the footer, converted by LibreOffice."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    docx_dir = work / "docx"
    docx_dir.mkdir(parents=True, exist_ok=True)
    for txt in sorted(txt_dir.glob("*.txt")):
        lines = [s for s in txt.read_text(encoding="utf-8").splitlines() if s.strip()]
        d = Document()
        d.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")
        section = d.sections[0]
        section.header.paragraphs[0].text = lines[0]
        foot = section.footer.paragraphs[0]
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        foot._p.append(fld)
        for s in lines:
            d.add_paragraph(s)
        d.save(str(docx_dir / f"{txt.stem}.docx"))
    pdf_dir.mkdir(parents=True, exist_ok=True)
    files = sorted(str(p) for p in docx_dir.glob("*.docx"))
    for i in range(0, len(files), 50):
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(pdf_dir), *files[i : i + 50]],
                       check=True, capture_output=True)


def project(dest: Path, corpus: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("archive", "data", "searchindex"))
    shutil.copytree(corpus, dest / "corpus")
    return dest


def cold_build(proj: Path) -> float:
    for generated in (".cache", "site", "docs/archive", "docs/data", "docs/searchindex"):
        shutil.rmtree(proj / generated, ignore_errors=True)
    seconds, _peak, out = run_measured([sys.executable, "-m", "generator", "--root", str(proj), "build"], cwd=proj)
    if "errors:            0" not in out:
        raise RuntimeError(out[-3000:])
    return seconds


def ocr_pages_per_second(repeat: int = 3) -> float:
    from PIL import Image

    from generator.read.ocr import recognize

    image = Image.open(ROOT / "tests" / "fixtures" / "formats" / "scan.png").convert("L")
    recognize(image, "scan.png")  # model loading once, as a long run amortizes it
    t = time.perf_counter()
    for _ in range(repeat):
        recognize(image, "scan.png")
    return repeat / (time.perf_counter() - t)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m generator.tools.bench_formats")
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--keep", type=Path, default=None,
                    help="keep the two corpora in this folder and reuse them (making the PDFs takes minutes)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-formats-") as tmp:
        t = Path(tmp)
        keep = args.keep
        chars = synthetic_corpus(ROOT, t / "txt", args.docs, corpus=SEEDS)
        t0 = time.perf_counter()
        if keep and (keep / "pdf").is_dir() and len(list((keep / "pdf").glob("*.pdf"))) == args.docs:
            shutil.copytree(keep / "pdf", t / "pdf")
        else:
            as_pdfs(t / "txt", t / "pdf", t)
            if keep:
                shutil.rmtree(keep / "pdf", ignore_errors=True)
                shutil.copytree(t / "pdf", keep / "pdf")
        made = time.perf_counter() - t0
        pages = 0
        import pypdfium2 as pdfium

        for p in (t / "pdf").glob("*.pdf"):
            pdf = pdfium.PdfDocument(str(p))
            pages += len(pdf)
            pdf.close()
        txt_proj, pdf_proj = project(t / "ptxt", t / "txt"), project(t / "ppdf", t / "pdf")
        txt_times, pdf_times = [], []
        for _ in range(args.rounds):
            txt_times.append(cold_build(txt_proj))
            pdf_times.append(cold_build(pdf_proj))
    ocr = ocr_pages_per_second()
    best_txt, best_pdf = min(txt_times), min(pdf_times)
    print(f"""## Formats: PDF against text, and OCR (generator/tools/bench_formats.py)

{_machine()}. {args.docs} synthetic speeches ({chars:,} characters; as PDF {pages} pages, made by
LibreOffice{f" in {made:.0f} s" if made > 5 else ""}), each build cold (empty cache), {args.rounds} rounds alternating, best of each:

| corpus | cold `python -m generator build` | every round |
| --- | --- | --- |
| {args.docs} × .txt | {best_txt:.1f} s | {", ".join(f"{x:.1f}" for x in txt_times)} |
| {args.docs} × .pdf (text layer) | {best_pdf:.1f} s | {", ".join(f"{x:.1f}" for x in pdf_times)} |
| ratio PDF / text | **{best_pdf / best_txt:.2f}×** (target ≤ 2×) | |

OCR (Tesseract, chi_sim, one core, one A4 page at 200 dpi from tests/fixtures/formats/scan.png):
**{ocr:.2f} pages/s** ({1 / ocr:.1f} s a page); the pipeline runs one source per core.
""")


if __name__ == "__main__":
    main()
