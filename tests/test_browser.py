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
    CHROMIUM_ARGS,
    SEARCH_INPUT,
    SEARCH_RESULT_LINKS,
    Traffic,
    chromium_path,
    in_ci,
    serve,
    type_like_ime,
    unavailable,
    wait_for_results,
    wait_search_ready,
)

pytestmark = pytest.mark.browser

QUERY = "高质量发展"
HAN = re.compile(r"[\u4e00-\u9fff]")
SPEECH_LINK = f'{SEARCH_RESULT_LINKS}[href*="speeches/"]'


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed (pip install -e '.[test]')")
    path = chromium_path()
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Exception as error:  # noqa: BLE001 - any launch failure means "no usable browser"
            unavailable(f"cannot launch Chromium at {path}: {error}")
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


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
