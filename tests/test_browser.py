"""A reader in a real headless Chromium: search the built site, open a speech.

The `built_site` fixture (tests/conftest.py) builds one site; it is served here over HTTP on
127.0.0.1 and opened from file://, where it must make no network request.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from contextlib import nullcontext
from urllib.parse import urlsplit

import pytest
from browserlib import (
    SEARCH_INPUT,
    SEARCH_RESULT_LINKS,
    Traffic,
    in_ci,
    search_for,
    serve,
    type_like_ime,
    wait_for_results,
    wait_search_ready,
)

pytestmark = pytest.mark.browser

QUERY = "高质量发展"
HAN = re.compile(r"[\u4e00-\u9fff]")
SPEECH_LINK = f'{SEARCH_RESULT_LINKS}[href*="speeches/"]'


def speech_links(results: list[dict]) -> list[str]:
    return [r["href"] for r in results if re.search(r"/speeches/[^/]+\.html$", urlsplit(r["href"]).path)]


def assert_clean(traffic: Traffic, allowed_origin: str | None = None) -> None:
    assert traffic.page_errors == [], f"script errors on the page: {traffic.page_errors}"
    assert traffic.failures == [], f"requests that failed: {traffic.failures}"
    leaving = traffic.leaving(allowed_origin)
    assert leaving == [], f"requests that leave the site: {leaving}"


def open_first_speech_result(page) -> str:
    """Click the first result that is a speech page; return the text of the page it opens."""
    page.locator(SPEECH_LINK).first.click()
    page.wait_for_url(re.compile(r"/speeches/[^/]+\.html(\?.*)?(#.*)?$"))
    page.wait_for_load_state("load")
    text = page.locator("article").first.inner_text()
    assert len(HAN.findall(text)) >= 20, f"speech page {page.url} shows little Chinese text: {text[:200]!r}"
    return text


def test_online_search_finds_speech(built_site, page):
    """Over HTTP: an IME-typed query in the header box finds a speech."""
    traffic = Traffic().attach(page)
    with serve(built_site.online) as base:
        page.goto(base + "index.html")
        wait_search_ready(page)
        page.click(SEARCH_INPUT)
        type_like_ime(page, QUERY)
        results = wait_for_results(page, QUERY)
        assert speech_links(results), f"no speech among the results for {QUERY}: {results}"
        open_first_speech_result(page)
        assert page.url.startswith(base)
        assert_clean(traffic, allowed_origin=base)


def test_offline_search_from_file_makes_no_network_request(built_site, page):
    """The same site from file://: the index loads with script tags; nothing is fetched from the net."""
    traffic = Traffic().attach(page)
    page.goto((built_site.offline / "index.html").as_uri())
    wait_search_ready(page)
    page.keyboard.press("/")  # the keyboard shortcut opens and focuses the search box
    assert page.evaluate("sel => document.activeElement.matches(sel)", SEARCH_INPUT), "search did not open"
    type_like_ime(page, QUERY)
    results = wait_for_results(page, QUERY)
    links = speech_links(results)
    assert links, f"no speech among the results for {QUERY}: {results}"
    assert all(link.startswith("file:") for link in links), links
    open_first_speech_result(page)
    assert page.url.startswith("file:")
    assert traffic.requests, "no request was recorded at all"
    assert_clean(traffic)


@pytest.mark.parametrize("flavour", ["online", "offline"])
def test_speech_page_screenshot(built_site, page, tmp_path, flavour):
    """A speech page renders over http and from file:// (CJK font present, no failed request)
    and is saved as a screenshot."""
    root = getattr(built_site, flavour)
    speeches = sorted(p for p in (root / "archive" / "speeches").glob("*.html") if p.name != "index.html")
    assert speeches, f"no speech pages under {root}"
    speech = speeches[0]
    traffic = Traffic().attach(page)
    with serve(root) if flavour == "online" else nullcontext() as base:
        url = base + speech.relative_to(root).as_posix() if base else speech.as_uri()
        page.goto(url, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        heading = page.locator("article h1").first
        assert HAN.search(heading.inner_text()), f"no Chinese title on {url}"
        shot = tmp_path / f"{flavour}-{speech.stem}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000, f"suspiciously small screenshot {shot}"
        assert_clean(traffic, allowed_origin=base)
    print(f"screenshot: {shot}")


def test_cjk_font_installed():
    """Without a CJK font Chromium draws Chinese as empty boxes; the screenshots would be useless."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        if in_ci():
            pytest.fail("fc-list (fontconfig) not found", pytrace=False)
        pytest.skip("fc-list (fontconfig) not found")
    families = subprocess.run(
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if not families:
        message = "no font with Chinese glyphs (apt-get install fonts-noto-cjk)"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


# ---------------------------------------------------------------- what a search finds
# Queries written from reading the seeds: each names what only one seed says.
UNIQUE_QUERIES = [
    ("百色", "000-37eb0cade54b806a"),  # the city of seed 000 only
    ("张希岳", "001-9e70d2a127fe3adb"),  # the speaker of seed 001 only
    ("庆阳", "001-9e70d2a127fe3adb"),  # the city of seed 001 only
]
# Seed 002 is in traditional script (羅增斌); a reader types simplified.
SIMPLIFIED_QUERY, TRADITIONAL_SEED = "罗增斌", "002-3531d760dda4e55b"


@pytest.fixture(scope="module")
def online_search(built_site, browser):
    """One page on the online site, search open and ready, reused by the queries."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    with serve(built_site.online) as base:
        page.goto(base + "index.html")
        wait_search_ready(page)
        page.click(SEARCH_INPUT)
        yield page
    context.close()


@pytest.mark.parametrize(("query", "seed"), UNIQUE_QUERIES)
def test_query_unique_to_one_seed_finds_it_first_and_alone(online_search, query: str, seed: str):
    found = search_for(online_search, query)
    assert found.speeches[:1] == [seed], found
    assert found.speeches == [seed], found
    assert found.count == 1, found


def test_simplified_query_finds_the_traditional_seed(online_search):
    found = search_for(online_search, SIMPLIFIED_QUERY)
    assert found.speeches == [TRADITIONAL_SEED], found
    assert found.count == 1, found


def test_shared_query_finds_several_seeds(online_search):
    """A term many seeds share finds many pages, and the count says how many."""
    found = search_for(online_search, "高质量发展")
    assert found.count is not None and found.count >= 5, found
    assert len(found.speeches) >= 5, found
