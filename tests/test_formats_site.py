"""The format readers end to end: a corpus of a PDF, a two-column PDF, a DOCX, a DOC, a
scan and a saved MHTML page (tests/fixtures/formats/, made from known text) built by the
real generator and `mkdocs build --strict`, then read in a real Chromium online and
from file://. A missing program costs only its files and is named in one line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from browserlib import Traffic, serve
from conftest import ROOT, copy_project, run_generator
from programslib import require_programs

FORMATS = ROOT / "tests" / "fixtures" / "formats"
SOURCES = ["report.pdf", "two_columns.pdf", "report.docx", "report.doc", "scan.png", "saved_page.mhtml",
           "rtf_unicode_escapes.rtf"]
KNOWN = [s for s in (FORMATS / "known_report.txt").read_text(encoding="utf-8").splitlines() if s.strip()]
FIRST, LAST = KNOWN[3], KNOWN[-1]  # the first sentence after the salutation, the closing one
HEADER = "清河县人民政府工作报告（2024年）"
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"


def corpus_of(names: list[str], dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(FORMATS / name, dest / name)
    return dest


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    require_programs("tesseract", "antiword")
    tmp = tmp_path_factory.mktemp("formats")
    root = copy_project(tmp / "project", corpus_of(SOURCES, tmp / "corpus"))
    proc = run_generator(root, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


def page_html(root: Path, doc_id: str) -> str:
    return (root / "site" / "archive" / "speeches" / f"{doc_id}.html").read_text(encoding="utf-8")


def text_section(html: str) -> str:
    """The speech's text on the rendered page: from the 正文 heading to the next section."""
    start = html.index('id="text"')
    ends = [html.find(marker, start) for marker in ('id="notes"', 'id="cite"')]
    return html[start : min(e for e in ends if e > 0)]


def test_every_format_is_built(site: Path) -> None:
    report = json.loads((site / "docs" / "data" / "report.json").read_text(encoding="utf-8"))
    status = {f["source_path"]: f["status"] for f in report["files"]}
    assert status == {name: "built" for name in SOURCES}, report["files"]


@pytest.mark.parametrize("doc_id", ["report-pdf", "two-columns", "report-docx", "report", "rtf-unicode-escapes"])
def test_published_text_is_whole_without_headers_or_page_numbers(site: Path, doc_id: str) -> None:
    text = text_section(page_html(site, doc_id))
    assert FIRST in text and LAST in text
    assert HEADER not in text and "— 1 —" not in text and "— 2 —" not in text


@pytest.mark.parametrize("doc_id", ["report-pdf", "report-docx", "report"])
def test_tables_and_outline(site: Path, doc_id: str) -> None:
    html = page_html(site, doc_id)
    text = text_section(html)
    assert "<table>" in text and "地区生产总值" in text and "<th>指标</th>" in text
    # Word headings and numbered lines are headings of the outline (each also carries its ¶ link)
    for heading in ("一、二〇二三年工作回顾", "（三）聚力民生福祉"):
        assert re.search(r"<h[2-5][^>]*>" + re.escape(heading) + r"\s*<", text), heading



def test_table_rows_are_passages_with_their_anchors() -> None:
    """Each table row is a passage (data/passages.jsonl.gz): its #p-n id sits in the row,
    so a citation or a reuse link to a row lands on the row, not only on the page."""
    from generator.clean import clean
    from generator.publish.write import body_lines
    from generator.read import read

    doc = clean(read(FORMATS / "report.docx", FORMATS))[0]
    rows = [n for n, p in enumerate(doc.paragraphs, start=1) if "\t" in p]
    lines = [s for s in body_lines(doc) if s.startswith("| ") or s.startswith("|-")]
    assert len(rows) == 3 and len(lines) == 4  # header row, rule, two rows
    for n, line in zip(rows, [lines[0], *lines[2:]], strict=True):
        assert f'id="p-{n}" href="#p-{n}"' in line, line


@pytest.mark.parametrize("doc_id", ["report-pdf", "report-docx", "report"])
def test_every_paragraph_and_row_has_its_anchor_once_in_order(site: Path, doc_id: str) -> None:
    html = page_html(site, doc_id)
    ids = re.findall(r'id="(p-\d+)"', html)
    assert ids == [f"p-{i}" for i in range(1, len(ids) + 1)] and len(ids) >= 10
    table = text_section(html)[text_section(html).index("<table>"):]
    assert len(re.findall(r'<tr>.*?id="p-\d+"', table[: table.index("</table>")], re.S)) == 3

def test_removals_are_listed_on_the_page(site: Path) -> None:
    html = page_html(site, "report-pdf")
    record = html[html.index("处理记录"):]
    assert "running-header" in record and HEADER in record and "— 3 —" in record


def test_originals_are_offered_as_received(site: Path) -> None:
    sources = site / "site" / "archive" / "sources"
    for doc_id, name in (("report-pdf", "report.pdf"), ("report-docx", "report.docx"), ("scan", "scan.png")):
        ext = name.rsplit(".", 1)[1]
        assert (sources / f"{doc_id}.{ext}").read_bytes() == (FORMATS / name).read_bytes()
        assert f'href="../sources/{doc_id}.{ext}"' in page_html(site, doc_id)


def test_scan_is_marked_as_ocr_on_the_page_and_in_the_catalog(site: Path) -> None:
    html = page_html(site, "scan")
    assert "OCR 识别文本" in html and "Tesseract" in html and "平均置信度" in html
    catalog = json.loads((site / "site" / "data" / "catalog.json").read_text(encoding="utf-8"))
    entries = catalog["documents"] if isinstance(catalog, dict) else catalog
    by_id = {e["id"]: e for e in entries}
    ocr = by_id["scan"]["ocr"]
    assert ocr["engine"].startswith("Tesseract") and 60 <= ocr["confidence"] <= 100
    assert by_id["scan"]["source_format"] == "image"
    assert by_id["report-pdf"]["source_format"] == "pdf" and "ocr" not in by_id["report-pdf"]


def test_missing_program_is_named_in_one_line_and_the_rest_builds(tmp_path: Path) -> None:
    corpus = corpus_of(["report.doc", "report.pdf"], tmp_path / "corpus")
    root = copy_project(tmp_path / "project", corpus)
    bare = tmp_path / "bin"  # a PATH without antiword (python is called by its full path)
    bare.mkdir()
    import os
    import subprocess
    import sys

    env = dict(os.environ, PATH=str(bare), NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "generate"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    missing = [s for s in proc.stdout.splitlines() if s.startswith("MISSING")]
    assert len(missing) == 1 and "apt-get install antiword" in missing[0] and "1 file(s)" in missing[0]
    assert "Traceback" not in proc.stdout + proc.stderr
    report = json.loads((root / "docs" / "data" / "report.json").read_text(encoding="utf-8"))
    status = {f["source_path"]: f for f in report["files"]}
    assert status["report.pdf"]["status"] == "built"
    assert status["report.doc"]["status"] == "skipped" and "report.doc" in status["report.doc"]["reason"]


# ---------------------------------------------------------------- in the browser


def reads_well(page, traffic: Traffic, allowed: str | None) -> dict:
    """What a reader of the PDF-sourced page sees on the first screen."""
    page.evaluate("document.fonts.ready.then(() => true)")
    facts = page.evaluate("""() => {
        const text = document.getElementById("text");
        const first = text.nextElementSibling;
        const table = document.querySelector("article table");
        const toc = [...document.querySelectorAll(".md-nav--secondary a")].map(a => a.textContent.trim());
        return {
            firstTop: first.getBoundingClientRect().top,
            firstText: first.textContent,
            viewport: window.innerHeight,
            overflow: document.scrollingElement.scrollWidth - window.innerWidth,
            tableRight: table ? table.getBoundingClientRect().right : null,
            tableRows: table ? table.querySelectorAll("tr").length : 0,
            toc,
        };
    }""")
    assert traffic.leaving(allowed) == [] and traffic.page_errors == []
    return facts


@pytest.mark.browser
@pytest.mark.parametrize("flavour", ["http", "file"])
def test_pdf_sourced_page_reads_well(browser, site: Path, flavour: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    traffic = Traffic().attach(page)
    try:
        if flavour == "http":
            with serve(site / "site") as base:
                page.goto(base + "archive/speeches/report-pdf.html", wait_until="load")
                facts = reads_well(page, traffic, base)
        else:
            page.goto((site / "site" / "archive" / "speeches" / "report-pdf.html").as_uri(), wait_until="load")
            facts = reads_well(page, traffic, None)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"formats-report-pdf-{flavour}.png"), full_page=True)
    finally:
        context.close()
    assert facts["firstTop"] < facts["viewport"]  # the text starts on the first screen
    assert facts["firstText"].strip() in ("各位代表：", KNOWN[1])  # the report's own first lines, nothing else
    assert facts["overflow"] <= 0  # no sideways scrolling, the table included
    assert facts["tableRows"] == 3 and facts["tableRight"] <= 1280
    assert "一、二〇二三年工作回顾" in facts["toc"] and "二、二〇二四年主要任务" in facts["toc"]


@pytest.mark.browser
@pytest.mark.parametrize("flavour", ["http", "file"])
def test_a_link_to_a_table_row_lands_on_the_row(browser, site: Path, flavour: str) -> None:
    html = page_html(site, "report-pdf")
    table = html[html.index("<table>") : html.index("</table>")]
    n = re.findall(r'id="p-(\d+)"', table)[-1]  # the last row of the table
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    traffic = Traffic().attach(page)
    try:
        if flavour == "http":
            with serve(site / "site") as base:
                page.goto(base + f"archive/speeches/report-pdf.html#p-{n}", wait_until="load")
                page.wait_for_function("document.fonts.status === 'loaded'")
                facts = page.evaluate(JUMP, f"p-{n}")
                assert traffic.leaving(base) == []
        else:
            url = (site / "site" / "archive" / "speeches" / "report-pdf.html").as_uri() + f"#p-{n}"
            page.goto(url, wait_until="load")
            page.wait_for_function("document.fonts.status === 'loaded'")
            facts = page.evaluate(JUMP, f"p-{n}")
            assert traffic.leaving(None) == []
    finally:
        context.close()
    assert facts["inRow"] and "一般公共预算收入" in facts["rowText"]
    assert 0 <= facts["rowTop"] < facts["viewport"] and facts["scrolled"] > 0  # the row, not the page top


JUMP = """(id) => {
    const el = document.getElementById(id);
    const row = el && el.closest("tr");
    // where the browser's own jump to the #fragment left the row
    return {inRow: !!row, rowText: row ? row.textContent : "", rowTop: row ? row.getBoundingClientRect().top : -1,
            viewport: window.innerHeight, scrolled: window.scrollY};
}"""
