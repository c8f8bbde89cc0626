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


def test_theme_padding_around_text_goes_outside_the_article_only() -> None:
    nav = '<nav><span class="md-ellipsis">\n    \n  \n    首页\n  \n\n    \n  </span></nav>'
    article = '<article class="md-content__inner"><p>\n   正文\n   </p></article>'
    assert compact(nav + article) == '<nav><span class="md-ellipsis">\n首页\n</span></nav>' + article
    # an article split by a raw element is left whole, and the chrome after it compacted
    split = '<article><p>\n  甲\n  </p><pre>  x\n</pre><p>\n  乙\n  </p></article>'
    assert compact(split + nav) == split + '<nav><span class="md-ellipsis">\n首页\n</span></nav>'


def test_ascii_character_references_become_characters_except_the_markup_ones() -> None:
    html = ('<p title="3&#46;6&#37;">&#40;五&#41;新增3&#46;6万亿元&#33; &#42;&#42;</p>'
            '<p>&#60;b&#62; &#38; &#34; &#39; &#12288;</p><script>var a="&#40;";</script>')
    assert compact(html) == ('<p title="3.6%">(五)新增3.6万亿元! **</p>'
                             '<p>&#60;b&#62; &#38; &#34; &#39; &#12288;</p><script>var a="&#40;";</script>')
