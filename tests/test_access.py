"""Readable for everyone: axe-core over the four page kinds at desktop and phone widths,
and what axe does not check (one <h1>, the script's lang, the outline on a phone, the feed).

axe-core is the engine behind browsers' own accessibility checks. It comes from npm (pinned
in AXE below; `.ci/run` installs it, and the test installs it when missing) into the
git-ignored .cache/axe-core/, and is injected into the real Chromium on the built seed site.
Any violation of impact "serious" or "critical" fails, listing rule, element and reason.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from browserlib import (
    SEARCH_INPUT,
    SEARCH_TOGGLE,
    Traffic,
    serve,
    type_like_ime,
    unavailable,
    wait_search_ready,
)
from conftest import ROOT

AXE = "axe-core@4.14.1"
AXE_DIR = ROOT / ".cache" / "axe-core"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
SEARCH_QUERY = "发展"
FEED = "data/feed.xml"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def axe_source() -> str:
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if not npm:
            unavailable("npm is needed to install axe-core (apt-get install npm)")
        proc = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR), AXE],
                              capture_output=True, text=True, timeout=300)
        if proc.returncode != 0 or not script.exists():
            unavailable(f"npm install {AXE} failed: {proc.stderr[-500:]}")
    return script.read_text(encoding="utf-8")


def test_ci_installs_the_same_axe() -> None:
    assert AXE in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def kinds(catalog) -> dict[str, str]:
    """The four page kinds; the speech page is a traditional-script one (two tabs, two scripts)."""
    trad = next(d for d in catalog["documents"] if d["script"] == "zh-Hant")
    return {"home": "index.html", "search": f"search.html?q={quote(SEARCH_QUERY)}", "speech": trad["url"],
            "index": "archive/years.html"}


@pytest.fixture
def served(built_site):
    with serve(built_site.online) as base:
        yield base


def _open(browser, base: str, path: str, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    traffic = Traffic().attach(page)
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("search.html"):
        # the results are drawn by search.js: audit the page as the reader sees it
        page.wait_for_selector("a[href*='speeches/']", state="attached")
    return context, page, traffic


def serious_violations(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .flatMap(v => v.nodes.map(n => `${v.impact} ${v.id}: ${n.target.join(' ')}: ${n.failureSummary}`))""")
    return [re.sub(r"\s+", " ", f) for f in found]


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("kind", ["home", "search", "speech", "index"])
def test_no_serious_axe_violation(browser, served, kinds, axe_source, kind, width) -> None:
    context, page, traffic = _open(browser, served, kinds[kind], WIDTHS[width])
    try:
        assert serious_violations(page, axe_source) == []
        assert traffic.page_errors == [] and traffic.failures == [], (traffic.page_errors, traffic.failures)
    finally:
        context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_open_search_dialog_has_no_serious_violation(browser, served, axe_source, width) -> None:
    """The header's search is a dialog: named, and clean while it shows results."""
    context, page, _traffic = _open(browser, served, "index.html", WIDTHS[width])
    try:
        wait_search_ready(page)
        if not page.locator(SEARCH_INPUT).is_visible():
            page.click(SEARCH_TOGGLE)  # a phone shows the magnifier, not the box
        page.focus(SEARCH_INPUT)
        type_like_ime(page, SEARCH_QUERY)
        page.wait_for_selector(".md-search-result__list a[href*='speeches/']", state="visible")
        # audit what the reader sees once the results have faded in: mid-transition, the
        # text's colour is blended with the background (seen once: #777 for the title)
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
        assert page.get_attribute("[role=dialog]", "aria-label")
        assert serious_violations(page, axe_source) == []
    finally:
        context.close()


@pytest.mark.parametrize("kind", ["home", "search", "speech", "index"])
def test_one_h1_per_page(browser, served, kinds, kind) -> None:
    """One <h1> per page (the search page once had one per result: issue 18)."""
    context, page, _traffic = _open(browser, served, kinds[kind], WIDTHS["desktop"])
    try:
        assert page.locator("h1").count() == 1
    finally:
        context.close()


def test_traditional_text_is_marked_zh_hant(browser, served, kinds) -> None:
    """Screen readers pick a voice and browsers a font by lang: the original-script tab is
    zh-Hant, every paragraph of it; the simplified tab is not."""
    context, page, _traffic = _open(browser, served, kinds["speech"], WIDTHS["desktop"])
    try:
        langs = page.evaluate("""() => {
            const set = document.querySelector('.tabbed-set');
            const labels = [...set.querySelectorAll('.tabbed-labels label')].map(l => l.textContent.trim());
            const blocks = [...set.querySelectorAll(':scope > .tabbed-content > .tabbed-block')];
            const lang = b => [...b.querySelectorAll('p')].map(p => (p.closest('[lang]') || {}).lang);
            return {labels, simplified: lang(blocks[labels.indexOf('简体')]), original: lang(blocks[labels.indexOf('原文')])};
        }""")
        assert langs["labels"] == ["简体", "原文"]
        assert langs["original"] and set(langs["original"]) == {"zh-Hant"}
        assert "zh-Hant" not in set(langs["simplified"])
    finally:
        context.close()


def _speech_with_sections(site: Path) -> str:
    """The speech page with the most numbered section headings (an outline worth reading)."""
    pages = sorted((site / "archive" / "speeches").glob("*.html"))
    best = max(pages, key=lambda p: (len(re.findall(r'<h[2-6] id="sec-', p.read_text(encoding="utf-8"))), p.name))
    return best.relative_to(site).as_posix()


def test_outline_reachable_on_a_phone(browser, served, built_site) -> None:
    path = _speech_with_sections(built_site.online)
    context, page, _traffic = _open(browser, served, path, WIDTHS["phone"])
    try:
        button = page.locator(".sa-outline > summary")
        assert button.is_visible()
        box = button.bounding_box()
        assert box["y"] + box["height"] <= WIDTHS["phone"]["height"], "the outline button is off screen"
        page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
        assert button.is_visible(), "the outline button must stay on screen while reading"
        button.click()
        links = page.eval_on_selector_all(".sa-outline nav a", "as => as.map(a => a.getAttribute('href'))")
        headings = page.eval_on_selector_all("article h2[id^='sec-'], article h3[id^='sec-'], article h4[id^='sec-']",
                                             "hs => hs.map(h => '#' + h.id)")
        assert len(headings) >= 2 and set(headings) <= set(links), (headings, links)
        target = headings[-1]
        page.click(f".sa-outline nav a[href='{target}']")
        page.wait_for_function("() => !document.querySelector('.sa-outline').open")
        top = page.evaluate(f"document.getElementById('{target[1:]}').getBoundingClientRect().top")
        assert 0 <= top < WIDTHS["phone"]["height"], "the chosen section is not on screen"
    finally:
        context.close()


def test_outline_button_only_where_the_sidebar_is_hidden(browser, served, built_site) -> None:
    context, page, _traffic = _open(browser, served, _speech_with_sections(built_site.online), WIDTHS["desktop"])
    try:
        assert not page.locator(".sa-outline").is_visible()
        assert page.locator(".md-sidebar--secondary .md-nav__link").first.is_visible()
    finally:
        context.close()


def test_feed_linked_from_home_and_every_index_page(built_site) -> None:
    """Announced in the head (feed readers find it) and shown as a link a reader can follow."""
    site = built_site.online
    assert (site / FEED).is_file()
    pages = [site / "index.html", *sorted((site / "archive").glob("*.html"))]
    assert len(pages) >= 7
    for p in pages:
        html = p.read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        # "alternate feed": a feed reader finds it; Material's bundle, which reads every
        # link[rel=alternate] as a language version and fetches sitemap.xml beside it, does not
        m = re.search(r'<link rel="([^"]+)" type="application/atom\+xml"[^>]*href="([^"]+)"', head)
        assert m, f"{p.name}: no feed in <head>"
        assert "alternate" in m.group(1).split() and m.group(1) != "alternate", p.name
        assert (p.parent / m.group(2)).resolve() == (site / FEED).resolve(), p.name
        body = html[html.index("<body"):]
        hrefs = re.findall(r'<a [^>]*href="([^"]*feed\.xml)"', body)
        assert hrefs and all((p.parent / h).resolve() == (site / FEED).resolve() for h in hrefs), p.name
