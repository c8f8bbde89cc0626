"""Jekyll's conventions for posts, as GitHub Pages' Jekyll applies them.

Researchers collect whole Jekyll news sites (a `_posts/` folder of one-paragraph
items). Jekyll reads a post's title, date, tags and categories partly from its file
name and decides from front matter whether it is published at all; reading such a file
as plain text loses its title (the slug) and date (the file-name prefix), and publishes
what its author withheld. The rules here follow Jekyll's own code and tests
(lib/jekyll/document.rb: DATE_FILENAME_MATCHER, populate_title, modify_date;
utils.rb: titleize_slug, pluralized_array_from_hash; publisher.rb: published?).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.model import RawDoc

# Jekyll's DATE_FILENAME_MATCHER: `YYYY-MM-DD-slug.ext`, 2-4 digit year, 1-2 digit month
# and day (`2017-2-5-i-dont-like-zeroes.md` is a post); the slug may hold anything but a
# slash, the extension is the last dot and what follows it.
DATE_FILENAME = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-([^/]*)(\.[^./]+)$")
# A date prefix on any file name (for titles taken from a file name: the date is not
# part of the title).
DATE_PREFIX = re.compile(r"^\d{2,4}-\d{1,2}-\d{1,2}[-_ ]+")

POSTS_DIR = "_posts"
DRAFTS_DIR = "_drafts"


@dataclass(frozen=True)
class PostName:
    """What a post's file name says: its date (ISO) and its title (the titleized slug)."""

    date: str | None  # None when the year has fewer than four digits (no century)
    slug: str
    title: str
    file_name: str


def titleize_slug(slug: str) -> str:
    """Jekyll's Utils.titleize_slug: split on '-', capitalize each part (Ruby's
    String#capitalize: first character upper case, the rest lower case), join with
    spaces. Ruby's split drops trailing empty parts, so 'a-' is 'A', not 'A '."""
    parts = slug.split("-")
    while parts and parts[-1] == "":
        parts.pop()
    return " ".join(p[:1].upper() + p[1:].lower() for p in parts)


def post_name(rel_path: str) -> PostName | None:
    """The date and title a post's file name gives, or None when the name is not
    `YYYY-MM-DD-slug.ext` with a real calendar date (Jekyll refuses such a post)."""
    name = rel_path.rsplit("/", 1)[-1]
    m = DATE_FILENAME.match(name)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.group(1, 2, 3))
    try:
        day: str | None = date(y, mo, d).isoformat()
    except ValueError:
        return None
    if len(m.group(1)) < 4:
        day = None  # a two-digit year names no century: the date stays unknown
    slug = re.sub(r"\.*\Z", "", m.group(4))  # Jekyll: slugs never end with a period
    title = titleize_slug(slug).strip()
    if not title:
        return None
    return PostName(day, slug, title, name)


def is_post(rel_path: str, front_matter: dict[str, Any], has_front_matter: bool) -> PostName | None:
    """A Jekyll post: a dated file name inside a `_posts/` folder (Jekyll's rule; front
    matter optional), or a dated file name with front matter anywhere (posts copied out
    of their folder keep their header). Returns what its name says, or None."""
    pn = post_name(rel_path)
    if pn is None:
        return None
    in_posts = POSTS_DIR in rel_path.split("/")[:-1]
    return pn if in_posts or has_front_matter or front_matter else None


def post_of(raw: RawDoc) -> PostName | None:
    """is_post for a file as read (a header was present when the body starts below line 1)."""
    return is_post(raw.source_path, raw.front_matter, raw.body_line > 1)


# doc.meta["title_from"] of a title that is a Jekyll post's titleized slug
TITLE_FROM_POST_NAME = "Jekyll post file name"


def titled(raw: RawDoc) -> bool:
    """Its author titled this source: a front-matter title, or a Jekyll post's name.
    Such a source is published however short it is (a one-line news post); the minimum
    length is for scraped fragments that nobody titled."""
    return bool(str(raw.front_matter.get("title") or "").strip()) or post_of(raw) is not None


def unpublished_reason(rel_path: str, front_matter: dict[str, Any]) -> str | None:
    """Why Jekyll would not publish this file, or None. `published: false` (or an empty
    `published:`, which Jekyll's `data.fetch("published", true)` also reads as false) and
    drafts in `_drafts/` are withheld by their author; the archive withholds them too."""
    if "published" in front_matter and front_matter["published"] in (False, None):
        shown = "false" if front_matter["published"] is False else "(empty)"
        return f"not published: its front matter says published: {shown} (Jekyll does not publish it)"
    if POSTS_DIR in rel_path.split("/")[:-1] and rel_path.lower().endswith((".yml", ".yaml")):
        return f"not published: a YAML file in {POSTS_DIR}/ is data to Jekyll, not a post"
    if DRAFTS_DIR in rel_path.split("/")[:-1]:
        return f"not published: a draft in {DRAFTS_DIR}/ (Jekyll publishes drafts only when asked)"
    return None


def _as_list(value: Any, split: bool) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split() if split else [value]
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return [str(value)]


def _plural(front_matter: dict[str, Any], singular: str, plural: str) -> list[str]:
    """Jekyll's pluralized_array_from_hash: the singular key wins and is one value kept
    whole ('tag: 中央 经济'); else the plural key, a string split on white space or a list."""
    if front_matter.get(singular) is not None:
        return _as_list(front_matter[singular], split=False)
    return _as_list(front_matter.get(plural), split=True)


def given_tags(front_matter: dict[str, Any]) -> list[str]:
    """Categories, then tags, as Jekyll collects them (populate_categories: the
    `categories` list and `category` together; populate_tags), without repeats."""
    out: list[str] = []
    for t in (_as_list(front_matter.get("categories"), split=True)
              + _plural(front_matter, "category", "categories") + _plural(front_matter, "tag", "tags")):
        t = t.strip()
        if t and t not in out:
            out.append(t)
    return out


def strip_date_prefix(stem: str) -> str:
    """A file name's title without its `YYYY-MM-DD-` prefix."""
    return DATE_PREFIX.sub("", stem, count=1)
