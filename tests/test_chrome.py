"""The theme's frame cut to what the site uses (issue 22; overrides/, docs/assets/icons.css):
what is gone is gone from every page, and what a reader uses still works in Chromium, over
http and from file://: the icons are drawn, the phone's menu opens the navigation and
follows it, the header's search box opens, the colours are the site's, and the details
table's link to a fact's evidence opens the block that holds it."""

from __future__ import annotations

import json
import re

import pytest
from browserlib import Traffic, serve

OUTLINED = "001-9e70d2a127fe3adb"
TRADITIONAL = "002-3531d760dda4e55b"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _chrome(html: str) -> str:
    return re.sub(r"<article\b.*?</article>", "", html, flags=re.S)


def test_frame_has_no_inline_icon_paths_search_strings_or_palette_form(built_site) -> None:
    pages = sorted((built_site.online / "archive" / "speeches").glob("*.html"))
    assert pages
    for p in pages:
        html = p.read_text(encoding="utf-8")
        chrome = _chrome(html)
        assert "<path" not in chrome, p.name  # icons: icons.css
        assert chrome.count('class="sa-i ') >= 6, p.name
        config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html,
                                      re.S).group(1))
        assert "search" not in config and set(config["translations"]) == {"clipboard.copy", "clipboard.copied"}
        assert 'data-md-component="palette"' not in html and "__md_get(\"__palette\")" not in html
        assert 'data-md-color-primary="custom"' in html  # the site's colours, from the mapping
        # the tab scripts only where there are tabs (a traditional text: 简体 / 原文)
        assert ("__md_get(\"__tabs\")" in html) == ("tabbed-set" in html), p.name
    assert "tabbed-set" in (built_site.online / "archive" / "speeches" / f"{TRADITIONAL}.html").read_text("utf-8")


def _open(browser, url: str, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=viewport["width"] < 600)
    page = context.new_page()
    page.set_default_timeout(30_000)
    traffic = Traffic().attach(page)
    page.goto(url, wait_until="load")
    return context, page, traffic


def _drawn(page, selector: str) -> dict:
    return page.locator(selector).first.evaluate("""e => {
        const r = e.getBoundingClientRect(), s = getComputedStyle(e);
        return {w: r.width, h: r.height, mask: s.maskImage || s.webkitMaskImage, bg: s.backgroundColor};
    }""")


def _assert_drawn(page, selector: str) -> None:
    icon = _drawn(page, selector)
    assert 10 <= icon["w"] <= 40 and abs(icon["w"] - icon["h"]) < 1, (selector, icon)
    assert "data:image/svg+xml" in icon["mask"] and icon["bg"] not in ("", "rgba(0, 0, 0, 0)"), icon


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_phone_menu_icons_and_search_box_work(built_site, browser, via) -> None:
    with serve(built_site.online) as base:
        root = base if via == "http" else built_site.online.as_uri() + "/"
        context, page, traffic = _open(browser, f"{root}archive/speeches/{OUTLINED}.html", PHONE)
        try:
            for sel in ("header label[for=__drawer] svg.sa-i", "header label.md-header__button[for=__search] svg.sa-i"):
                _assert_drawn(page, sel)
            # the menu opens the navigation drawer, and its links lead where they say
            page.locator("header label[for=__drawer]").click()
            link = page.locator("nav.md-nav--primary a.md-nav__link", has_text="关于").first
            link.wait_for(state="visible")
            link.click()
            page.wait_for_url(re.compile(r"about\.html$"))
            assert page.locator("article h1").first.inner_text().strip()
            # the header's search box opens and takes a query (the search itself: test_search.py)
            page.locator("header label.md-header__button[for=__search]").click()
            box = page.locator("[data-sa-search] input.md-search__input")
            box.wait_for(state="visible")
            assert _drawn(page, "[data-sa-search] label.md-search__icon svg.sa-i-back")["w"] > 10  # the way back
            assert traffic.page_errors == [] and traffic.failures == [], (traffic.page_errors, traffic.failures)
            assert traffic.leaving(base if via == "http" else None) == []
        finally:
            context.close()


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_details_table_links_to_the_evidence_once(built_site, browser, via) -> None:
    with serve(built_site.online) as base:
        root = base if via == "http" else built_site.online.as_uri() + "/"
        context, page, traffic = _open(browser, f"{root}archive/speeches/{OUTLINED}.html", DESKTOP)
        try:
            _assert_drawn(page, "header .md-logo svg.sa-i")  # the logo shows on a desktop only
            block = page.locator("article details.sa-evidence")
            assert not block.evaluate("d => d.open")
            tip = page.locator("article .sa-facts .sa-fact").first.get_attribute("title")
            assert "依据：" not in tip
            page.locator("article table a[href='#evidence']").first.click()
            page.wait_for_function("document.querySelector('article details.sa-evidence').open")
            assert "依据：“" in block.inner_text()
            assert page.locator("#evidence").is_visible()
            # the theme's own colour, not a default: the header is the site's dark red
            header = page.locator("header.md-header").evaluate("e => getComputedStyle(e).backgroundColor")
            assert header not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), header
            assert traffic.page_errors == [] and traffic.failures == [], (traffic.page_errors, traffic.failures)
        finally:
            context.close()
