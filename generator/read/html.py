"""Saved web pages and HTML fragments → text: chrome removed, sanitized (nh3), converted
(markdownify), with the Han text lost on the way accounted for."""

from __future__ import annotations

import html
import re

import markdown as md_lib
import nh3
from markdownify import markdownify

from generator.read.encoding import HAN

_ALLOWED_TAGS = {
    "p", "br", "a", "strong", "b", "em", "i", "u", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "blockquote", "div", "span", "section", "article", "table", "thead",
    "tbody", "tr", "td", "th", "pre", "code", "sub", "sup", "hr", "main", "center", "font",
}
_BLOCK_HTML = re.compile(r"<(p|div|br|h[1-6]|table|ul|ol|li|section|article)\b[^>]*>", re.I)
_CHROME = re.compile(
    r"<(script|style|noscript|iframe|nav|header|footer|aside|form|select|button|template|svg)\b.*?</\1\s*>",
    re.I | re.S,
)
_MAIN_CANDIDATES = [
    re.compile(r"<article\b[^>]*>(.*?)</article\s*>", re.I | re.S),
    re.compile(r"<main\b[^>]*>(.*?)</main\s*>", re.I | re.S),
]
_BODY = re.compile(r"<body\b[^>]*>(.*)</body\s*>", re.I | re.S)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")


def _strip_tags(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).strip()


def looks_like_html(body: str) -> bool:
    return len(_BLOCK_HTML.findall(body[:20000])) >= 1


def html_to_text(fragment: str) -> tuple[str, list[str]]:
    """Sanitize, then convert to Markdown-ish text where only paragraphs and links survive.

    nh3 removes script, style, event handlers and javascript: URLs; markdownify turns what
    is left into text with [text](url) links. Returns the text and the Han text lost on
    the way (alt texts, scripts), so the fidelity check can account for it.
    """
    # '<http://…>' autolinks would be eaten as unknown tags; keep them as text
    fragment = re.sub(r"<((?:https?:)?//[^\s<>\"]+)>", lambda m: html.escape(m.group(1)), fragment)
    # everything Han in the fragment, inside tags and comments too, so that alt texts
    # and attributes dropped by the sanitizer are accounted for
    before = "".join(HAN.findall(html.unescape(fragment)))
    cleaned = nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
    text = markdownify(
        cleaned,
        heading_style="ATX",
        escape_asterisks=False,
        escape_underscores=False,
        escape_misc=False,
        strip=["img"],
    )
    after = "".join(HAN.findall(text))
    lost = _han_difference(before, after)
    return text, ([lost] if lost else [])


def _han_difference(before: str, after: str) -> str:
    """Han characters of `before` missing from `after` (multiset difference, in order)."""
    from collections import Counter

    have = Counter(after)
    out = []
    for ch in before:
        if have[ch] > 0:
            have[ch] -= 1
        else:
            out.append(ch)
    return "".join(out)


def extract_web_page(page: str) -> tuple[str | None, str, list[str]]:
    """A saved web page → (title, main content HTML, removed chrome).

    Page chrome (script, nav, header, footer, aside, forms) is dropped first; then the
    <article> or <main> element wins, else the whole <body>.
    """
    title = None
    h1 = _H1.search(page)
    t = _TITLE.search(page)
    if h1 and _strip_tags(h1.group(1)):
        title = _strip_tags(h1.group(1))
    elif t and _strip_tags(t.group(1)):
        title = _strip_tags(t.group(1))
    removed = ["".join(HAN.findall(_strip_tags(m.group(0)))) for m in _CHROME.finditer(page)]
    if t:
        removed.append("".join(HAN.findall(_strip_tags(t.group(1)))))
    body = _CHROME.sub("", page)
    head = re.search(r"<head\b.*?</head\s*>", body, re.I | re.S)
    if head:
        # the <title> is kept as the title; the rest of <head> is not text
        rest = _TITLE.sub("", head.group(0))
        removed.append("".join(HAN.findall(html.unescape(rest))))
        body = body[: head.start()] + body[head.end() :]
    main = None
    for rx in _MAIN_CANDIDATES:
        mm = rx.search(body)
        if mm:
            main = mm.group(1)
            outside = body[: mm.start()] + body[mm.end() :]
            bm = _BODY.search(outside)
            removed.append("".join(HAN.findall(_strip_tags(bm.group(1) if bm else outside))))
            break
    if main is None:
        bm = _BODY.search(body)
        main = bm.group(1) if bm else body
    return title, main, [r for r in removed if r]


def markdown_to_html(body: str) -> str:
    return md_lib.markdown(body, extensions=["extra"])
