"""overrides/hooks/compact_html.py: the theme's whitespace between tags, and nothing else."""

from __future__ import annotations

import importlib.util

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("compact_html", ROOT / "overrides" / "hooks" / "compact_html.py")
compact_html = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compact_html)
compact = compact_html.compact


def test_indentation_between_tags_becomes_one_line_break() -> None:
    assert compact("<ul>\n      \n    <li>一</li>\n\n        <li>二</li>\n</ul>") == "<ul>\n<li>一</li>\n<li>二</li>\n</ul>"


def test_text_attributes_and_raw_elements_are_kept() -> None:
    keep = [
        "<p>第一行\n    第二行</p>",                      # text, even indented
        '<a title="依据：\n    原文第 3 行">x</a>',          # a tooltip's own line breaks
        "<pre><code>  a\n\n    b\n</code></pre>",         # code blocks
        "<textarea>\n   x\n</textarea>",
        "<script>var s = `\n   <b>\n   </b>`;</script>",  # script text that looks like tags
        "<style>\n  a > b {}\n  </style>",
        "<span>a</span> <span>b</span>",                  # a space without a line break
    ]
    for html in keep:
        assert compact(html) == html, html


def test_idempotent_and_only_shrinks() -> None:
    page = (ROOT / "overrides" / "partials" / "header.html").read_text(encoding="utf-8")
    once = compact(page)
    assert compact(once) == once
    assert len(once) <= len(page)
    # nothing but whitespace removed
    assert "".join(once.split()) == "".join(page.split())
