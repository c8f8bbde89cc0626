"""Tests for generator.read.jekyll: Jekyll posts as GitHub Pages' Jekyll reads them.

The expectations are Jekyll's own (lib/jekyll/document.rb, utils.rb, publisher.rb and
their tests: test_utils.rb's titleize_slug cases, test_post_reader.rb's skipped
not-published post, the _posts fixtures' tag/tags/category/categories files); the fixture
posts in tests/fixtures/jekyll_posts/ are written for this project after those cases.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.clean import title_from_file_name
from generator.pipeline import collect
from generator.read.jekyll import given_tags, is_post, post_name, titleize_slug, unpublished_reason

POSTS = Path(__file__).resolve().parent / "fixtures" / "jekyll_posts"


@pytest.mark.parametrize(("slug", "title"), [
    ("date-override", "Date Override"),
    ("This-is-a-Long-title-with-Mixed-capitalization", "This Is A Long Title With Mixed Capitalization"),
    ("this-is-a-title-with-no-capitalization", "This Is A Title With No Capitalization"),
    ("special-chars-(+)", "Special Chars (+)"),
    ("区政府召开常务会议", "区政府召开常务会议"),
    ("trailing-", "Trailing"),  # Ruby's split drops trailing empty parts
])
def test_titleize_slug_is_jekylls(slug: str, title: str) -> None:
    assert titleize_slug(slug) == title


@pytest.mark.parametrize(("path", "date", "title"), [
    ("_posts/2010-01-09-date-override.markdown", "2010-01-09", "Date Override"),
    ("_posts/2017-2-5-i-dont-like-zeroes.md", "2017-02-05", "I Dont Like Zeroes"),
    ("_posts/2018-10-12-trailing-dots...markdown", "2018-10-12", "Trailing Dots"),
    ("site/_posts/es/2008-11-21-nested.md", "2008-11-21", "Nested"),
    ("_posts/2019-01-03-区政府召开常务会议.md", "2019-01-03", "区政府召开常务会议"),
])
def test_post_name_gives_date_and_title(path: str, date: str, title: str) -> None:
    pn = post_name(path)
    assert pn is not None and pn.date == date and pn.title == title
    assert "20" not in pn.title[:2]  # a file-name title never keeps its date prefix


@pytest.mark.parametrize("path", [
    "_posts/2019-05-05.md",  # no slug: not a post (Jekyll's matcher needs '-slug')
    "_posts/2019-13-40-bad-date.md",  # no such day
    "_posts/no-date.md",
    "_posts/2019-01-03-no-extension",
])
def test_not_a_post_name(path: str) -> None:
    assert post_name(path) is None


def test_a_post_is_in_posts_or_has_front_matter() -> None:
    assert is_post("_posts/2019-01-03-a.txt", {}, has_front_matter=False)
    assert is_post("news/2019-01-03-a.md", {"layout": "post"}, has_front_matter=True)
    assert is_post("news/2019-01-03-a.md", {}, has_front_matter=True)  # an empty '---' header
    # a scraped file that merely starts with a date is not a post
    assert not is_post("news/2019-01-03-a.md", {}, has_front_matter=False)


@pytest.mark.parametrize(("fm", "tags"), [
    ({"tags": "food cooking pizza"}, ["food", "cooking", "pizza"]),
    ({"tags": ["经济 工作", "会议"]}, ["经济 工作", "会议"]),  # lists are kept as lists
    ({"tag": "政府 工作"}, ["政府 工作"]),  # singular kept whole
    ({"tag": "code", "tags": "a b"}, ["code"]),  # the singular key wins
    ({"tag": None, "tags": "a b"}, ["a", "b"]),  # an empty 'tag:' falls back to tags
    ({"categories": "foo bar baz"}, ["foo", "bar", "baz"]),
    ({"categories": "要闻 本地", "category": "会议 纪要"}, ["要闻", "本地", "会议 纪要"]),
    ({"category": 2013}, ["2013"]),
    ({"categories": None, "tags": None}, []),
])
def test_given_tags_follow_jekyll(fm: dict, tags: list[str]) -> None:
    assert given_tags(fm) == tags


def test_unpublished() -> None:
    assert unpublished_reason("_posts/2008-02-02-x.md", {"published": False})
    assert unpublished_reason("_posts/2008-02-02-x.md", {"published": None})  # Ruby nil is false
    assert unpublished_reason("_drafts/x.md", {})
    assert unpublished_reason("_posts/2008-02-02-x.md", {"published": True}) is None
    assert unpublished_reason("_posts/2008-02-02-x.md", {"published": "false"}) is None  # a string is true
    assert unpublished_reason("x.md", {}) is None
    assert "YAML" in unpublished_reason("_posts/2008-02-03-wrong-extension.yml", {})  # Jekyll skips it too


def test_file_name_title_drops_its_date_prefix() -> None:
    assert title_from_file_name("news/2019-01-03-区政府召开常务会议.txt") == "区政府召开常务会议"
    assert title_from_file_name("news/2019-01-03_区政府召开常务会议.txt") == "区政府召开常务会议"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("jekyll")
    corpus = root / "corpus"
    shutil.copytree(POSTS, corpus)
    report = collect(root, progress=False, corpus=corpus)
    return report, {d.source_path: d for d in report.documents}, {f.source_path: f for f in report.files}


def test_post_without_front_matter_title_is_titled_by_its_slug(run) -> None:
    _, docs, _ = run
    doc = docs["_posts/2010-01-09-date-override.md"]
    assert doc.title == "Date Override"
    assert doc.meta["title"].status == "inferred" and "2010-01-09-date-override.md" in doc.meta["title"].evidence
    # the first body line is text, not the title
    assert doc.paragraphs == ["镇政府召开安全生产例会。"]
    assert docs["_posts/2018-10-12-trailing-dots...md"].title == "Trailing Dots"
    assert docs["_posts/2019-01-03-qu-zheng-fu-chang-wu-hui-yi.md"].title == "Qu Zheng Fu Chang Wu Hui Yi"


def test_front_matter_date_wins_over_the_file_name(run) -> None:
    _, docs, _ = run
    doc = docs["_posts/2010-01-09-date-override.md"]
    assert doc.value("published") == "2010-01-10"
    assert doc.value("date") == "2010-01-10"


def test_date_from_the_file_name_prefix(run) -> None:
    _, docs, _ = run
    assert docs["_posts/2019-01-03-qu-zheng-fu-chang-wu-hui-yi.md"].value("date") == "2019-01-03"
    doc = docs["_posts/2017-2-5-abbreviated-date.md"]
    assert doc.value("date") == "2017-02-05"
    assert "2017-2-5-abbreviated-date.md" in doc.meta["published"].evidence


def test_titled_posts_are_published_however_short(run) -> None:
    _, docs, files = run
    for path in ("_posts/2014-03-03-yaml-with-dots.md", "_posts/2009-05-18-tag.md",
                 "_posts/2019-01-03-qu-zheng-fu-chang-wu-hui-yi.md"):
        assert files[path].status in ("built", "warned"), files[path].reason
        assert path in docs
    # an untitled scraped fragment is still too short
    assert files["fragment.txt"].status == "skipped" and "too short" in files["fragment.txt"].reason


def test_front_matter_closed_by_dots(run) -> None:
    _, docs, _ = run
    doc = docs["_posts/2014-03-03-yaml-with-dots.md"]
    assert doc.title == "区长调研重点企业" and doc.meta["title"].status == "given"
    assert doc.paragraphs == ["今天上午区长到企业调研。"]


def test_published_false_and_drafts_are_not_published_and_reported(run) -> None:
    report, docs, files = run
    f = files["_posts/2008-02-02-not-published.md"]
    assert f.status == "skipped" and f.documents == []
    assert f.reason.startswith("not published") and "published: false" in f.reason
    d = files["_drafts/unfinished-post.md"]
    assert d.status == "skipped" and "draft" in d.reason
    assert not any(p.startswith(("_drafts/", "_posts/2008-02-02")) for p in docs)
    assert not any("not-published" in e or "unfinished" in e for e in report.errors)  # a fate, not an error


def test_tags_and_categories_on_posts(run) -> None:
    _, docs, _ = run
    assert docs["_posts/2009-05-18-tag.md"].given_tags == ["政府 工作"]
    assert docs["_posts/2009-05-18-tags.md"].given_tags == ["政府", "工作", "报告"]
    assert docs["_posts/2009-01-27-category-and-categories.md"].given_tags == ["要闻", "本地", "会议 纪要"]
    assert docs["_posts/2009-01-27-tag-list.md"].given_tags == ["经济 工作", "会议"]


def test_page_says_the_title_comes_from_the_post_file_name(run) -> None:
    from generator.publish.write import metadata_table

    _, docs, _ = run
    rows = "\n".join(metadata_table(docs["_posts/2010-01-09-date-override.md"]))
    assert "| 标题来源 | Jekyll 文章的文件名（front matter 没有 title） |" in rows
