"""A researcher in a real headless Chromium: the speech comes first, the outline is in the
table of contents, the citation names the page, the charts are there.

Screenshots at desktop and phone widths are saved to tests/artifacts/screenshots/ (git-ignored)
so a reviewer can look at what the reader sees.
"""

from __future__ import annotations

import re

import pytest
from browserlib import Traffic, serve
from conftest import ROOT, SITE_URL

pytestmark = pytest.mark.browser

SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# the pinned seeds: a long speech with numbered sections (一、…), a part of a compilation
# with (一) subsections, a news report with a long title, and a traditional-script speech
# (简体/原文 tabs)
OUTLINED = "001-9e70d2a127fe3adb"
NESTED = "003-c16298974d168fd3-p04"
REPORT = "000-37eb0cade54b806a"
TRADITIONAL = "002-3531d760dda4e55b"


@pytest.fixture(scope="module")
def base(built_site):
    with serve(built_site.online) as url:
        yield url


def open_page(browser, url: str, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="zh-CN",
                                  is_mobile=viewport["width"] < 600, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(60_000)
    traffic = Traffic().attach(page)
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return context, page, traffic


def text_top(page) -> float:
    """Top of the speech's first block of text (the element after the 正文 heading),
    in page pixels."""
    return page.evaluate("""() => {
        const h = document.getElementById("text");
        let el = h.nextElementSibling;
        return el.getBoundingClientRect().top + window.scrollY;
    }""")


@pytest.mark.parametrize("doc_id", [OUTLINED, NESTED, REPORT, TRADITIONAL])
@pytest.mark.parametrize("device,viewport,screens", [("desktop", DESKTOP, 1), ("phone", PHONE, 2)])
def test_text_starts_on_first_screens(browser, base, doc_id, device, viewport, screens) -> None:
    """Title, the facts line and the tags come before the text, and they are short: the text
    starts on the first screen of a desktop and within two on a phone."""
    context, page, traffic = open_page(browser, f"{base}archive/speeches/{doc_id}.html", viewport)
    try:
        top = text_top(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{device}-{doc_id}.png"))
        print(f"{device} {doc_id}: text starts at {top:.0f}px = {top / viewport['height']:.2f} screens")
        assert top < screens * viewport["height"] - 40, (
            f"{doc_id} on {device}: text starts at {top:.0f}px, {top / viewport['height']:.2f} screens down")
        facts = page.locator("article .sa-facts")
        assert facts.count() == 1 and facts.bounding_box()["y"] < top
        assert page.locator("article .sa-tags a").count() >= 1
        # evidence on demand: collapsed until asked for, then it says where each fact came from
        details = page.locator("article details.sa-evidence")
        assert not details.evaluate("d => d.open")
        details.locator("summary").click()
        assert re.search("推断|来源标注|编辑标注", details.inner_text())
        assert traffic.page_errors == [] and traffic.failures == [], (traffic.page_errors, traffic.failures)
    finally:
        context.close()


@pytest.mark.parametrize("doc_id,expected", [
    (OUTLINED, ["一、", "二、", "三、"]),
    (NESTED, ["一、", "二、", "(一)", "(二)"]),  # the source writes half-width brackets
])
def test_outline_in_table_of_contents(browser, base, doc_id, expected) -> None:
    context, page, _ = open_page(browser, f"{base}archive/speeches/{doc_id}.html", DESKTOP)
    try:
        toc = page.locator("nav.md-nav--secondary").first.inner_text()
        for marker in expected:
            assert marker in toc, f"{marker} not in the table of contents of {doc_id}: {toc!r}"
        # a heading's text is the line as written, and its link lands on it
        link = page.locator("nav.md-nav--secondary a[href='#sec-2']").first
        heading = page.locator("article h3#sec-2")
        assert heading.inner_text().startswith("二、")
        assert link.inner_text().strip() == heading.inner_text().strip()
    finally:
        context.close()


def test_citation_holds_title_and_url(browser, base, catalog) -> None:
    doc = next(d for d in catalog["documents"] if d["id"] == OUTLINED)
    context, page, traffic = open_page(browser, f"{base}archive/speeches/{OUTLINED}.html", DESKTOP)
    try:
        block = page.locator("article .sa-cite")
        text = block.inner_text()
        url = SITE_URL + doc["url"]
        assert doc["title"] in text and url in text
        assert "[EB/OL]" in text and "@misc{" in text and '"type": "speech"' in text
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
        page.locator(".sa-cite-item[data-cite='gbt'] button.sa-copy").click()
        page.wait_for_function("() => document.querySelector(\".sa-cite-item[data-cite='gbt'] button\").textContent !== '复制'")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith(doc["metadata"]["speakers"]["value"][0]["name"]) and url in copied
        assert traffic.page_errors == [], traffic.page_errors
    finally:
        context.close()


@pytest.mark.parametrize("path,charts", [("index.html", 3), ("archive/years.html", 2), ("archive/places.html", 1)])
def test_charts_present(browser, base, path, charts) -> None:
    context, page, traffic = open_page(browser, base + path, DESKTOP)
    try:
        imgs = page.locator("article figure.sa-chart img")
        assert imgs.count() == charts
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        for i in range(charts):
            img = imgs.nth(i)
            img.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
            assert img.get_attribute("alt")
        # each chart has its numbers as a table
        assert page.locator("article details table").count() >= charts
        assert traffic.failures == [], traffic.failures
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"desktop-{path.replace('/', '-')}.png"), full_page=True)
    finally:
        context.close()
