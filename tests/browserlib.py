"""Helpers for the browser tests: find Chromium, serve a built site, type as an input method does.

Debian's `chromium` package is driven by Playwright (`playwright install` cannot download a browser
here). A missing browser skips the browser tests on a developer's machine and fails them in CI.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Schemes that never leave the machine (inline data, object URLs, the blank page).
LOCAL_SCHEMES = {"file", "data", "blob", "about"}

# The header search box keeps Material's markup and classes; docs/assets/search.js drives it.
SEARCH_INPUT = "input.md-search__input"
SEARCH_META = ".md-search-result__meta"
SEARCH_RESULT_LINKS = "ol.md-search-result__list a.md-search-result__link"
SEARCH_TOGGLE = "label.md-header__button[for='__search']"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> None:
    """Skip on a developer's machine, fail loudly in CI: a green CI must have run the browser."""
    if in_ci():
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    """The browser to drive: $CHROMIUM_PATH, else Debian's /usr/bin/chromium."""
    path = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        unavailable(
            f"no Chromium at {path} (apt-get install chromium, or set CHROMIUM_PATH to a Chrome/Chromium)"
        )
    return path


# --------------------------------------------------------------------------- serving


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at a free port in a thread; yield the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --------------------------------------------------------------------------- recording


@dataclass
class Traffic:
    """Everything a page asked for, what failed, and the script errors it raised."""

    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach(self, page) -> Traffic:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on(
            "requestfailed",
            lambda request: self.failures.append(f"{request.url}: {request.failure}"),
        )
        page.on(
            "response",
            lambda response: self.failures.append(f"{response.url}: HTTP {response.status}")
            if response.status >= 400
            else None,
        )
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        return self

    def leaving(self, allowed_origin: str | None = None) -> list[str]:
        """Requests to anything but local schemes (and `allowed_origin`, e.g. the test server)."""
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if allowed_origin and url.startswith(allowed_origin):
                continue
            out.append(url)
        return out


# --------------------------------------------------------------------------- typing and search


def type_like_ime(page, text: str) -> None:
    """Type `text` the way a Chinese input method commits it, one character at a time.

    Playwright's fill() fires no keyup, nor does keyboard.type() for Chinese characters. An IME
    sends a keydown with key "Process" (keyCode 229), commits the character as text input, then a
    keyup; CDP's Input domain does exactly that, so the search box sees what a reader's typing sends.
    """
    cdp = page.context.new_cdp_session(page)
    try:
        for char in text:
            cdp.send(
                "Input.dispatchKeyEvent",
                {"type": "rawKeyDown", "key": "Process", "code": "", "windowsVirtualKeyCode": 229},
            )
            cdp.send("Input.insertText", {"text": char})
            cdp.send(
                "Input.dispatchKeyEvent",
                {"type": "keyUp", "key": "Process", "code": "", "windowsVirtualKeyCode": 229},
            )
    finally:
        cdp.detach()


def wait_search_ready(page, timeout_ms: int = 30_000) -> None:
    """Wait until the archive's search script has run (it loads its index per query, so
    there is nothing else to wait for)."""
    page.wait_for_function("() => window.SearchArchive !== undefined", timeout=timeout_ms)


def result_links(page, query: str | None = None) -> list[dict]:
    """The search results shown: absolute href and visible text of each result link."""
    sel = SEARCH_RESULT_LINKS if query is None else SEARCH_RESULT_LINKS.replace(
        "ol.md-search-result__list", f"ol.md-search-result__list[data-query='{query}']")
    return page.eval_on_selector_all(sel, "links => links.map(a => ({href: a.href, text: a.innerText}))")


def wait_for_results(page, query: str | None = None, timeout_ms: int = 60_000) -> list[dict]:
    """Results of `query` (the list says which query it shows), else of whatever was typed."""
    sel = SEARCH_RESULT_LINKS if query is None else SEARCH_RESULT_LINKS.replace(
        "ol.md-search-result__list", f"ol.md-search-result__list[data-query='{query}']")
    page.wait_for_selector(sel, state="attached", timeout=timeout_ms)
    return result_links(page, query)


# --------------------------------------------------------------------------- what a search found

SPEECH_PATH = re.compile(r"/speeches/([^/#?]+)\.html")


@dataclass
class Found:
    """What the reader sees after a search: the count the page announces and the speech
    pages among the results, in the order shown (each page once)."""

    count: int | None
    speeches: list[str]
    meta: str


def search_for(page, query: str, timeout_ms: int = 60_000) -> Found:
    """Type `query` into the (already open and ready) search box and read what was found.

    The one place that knows how the search UI shows results: a new search UI only needs a
    new version of this function (and of wait_search_ready)."""
    page.fill(SEARCH_INPUT, "")
    type_like_ime(page, query)
    results = wait_for_results(page, query, timeout_ms)
    meta = page.locator(SEARCH_META).first.inner_text().strip()
    numbers = re.findall(r"\d+", meta)
    speeches: list[str] = []
    for r in results:
        m = SPEECH_PATH.search(r["href"])
        if m and m.group(1) not in speeches:
            speeches.append(m.group(1))
    return Found(int(numbers[0]) if numbers else None, speeches, meta)
