"""Index pages cut where their entries say, so that one new entry changes only its page.

`indexes.paginate` cuts a list every PER_PAGE lines and numbers the pages, and every page
names every other page. One new entry in a list of 10,000 then shifted every later page
by a line, and every page's list of pages changed with it: at 2,000 synthetic documents
28 of the 52 index pages one new document changed were these lists (issue 22).

Here a page boundary is chosen by the lines themselves, as content-defined chunking does
in rsync and backup tools: a page starts

- before every heading of level `cut_level` or higher (a year, a province, a genre), so
  the page a speech page links to for its year or province never moves;
- before a line whose hash (of its section's anchor and its text) hits one in `average`,
  when the page already has `minimum` lines;
- after `maximum` lines without such a line (a rare long run; the cuts then depend on
  the count again, but only up to the run's next hashed cut).

A list of at most `maximum` lines is not cut at all (one page, as before issue 22).

A new entry therefore lands on one page and changes it alone; with probability about
1/`average` its own line is a cut and its page splits in two. Pages are named by a hash
of their first line (`years-3f2a91bc.md`), not by their number, so a split does not rename
the pages after it. The first page lists every page (it changes when a page is added or
removed); the others link to the first page and to their neighbours only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from generator.publish.indexes import PER_PAGE, Group, Pages, _page, chunk_body

AVERAGE = PER_PAGE // 2  # lines a page holds on average, as the keyword pages (indexes.BUCKET_FILL)
MINIMUM = 20  # no page shorter than this, unless a heading of cut_level starts the next
MAXIMUM = PER_PAGE

Chunk = list[tuple[Group, list[str], bool]]  # (section, its lines on this page, starts here)


def _hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


def _label(g: Group) -> str:
    return g.label or g.heading.split(" {#")[0]


def cut(groups: list[Group], cut_level: int, average: int = AVERAGE, minimum: int = MINIMUM,
        maximum: int = MAXIMUM) -> list[Chunk]:
    """The groups' headings and lines split into pages by the rules in the module's
    docstring. A section's heading never ends a page without at least one of its lines.
    A list that fits on one page (`maximum` lines) is one page: a small archive's reader
    gets one page per index, and the list is cut only once it outgrows that, which
    happens once as it grows, as the keyword pages' number changes only when the archive
    doubles."""
    if sum(len(g.entries) + (1 if g.heading else 0) for g in groups) <= maximum:
        return [[(g, list(g.entries), True) for g in groups]] if groups else []
    chunks: list[Chunk] = [[]]
    size = 0

    def new_page() -> None:
        nonlocal size
        chunks.append([])
        size = 0

    for g in groups:
        if g.heading and size and (g.level <= cut_level or size >= maximum
                                   or (size >= minimum and _hash(g.anchor) % average == 0)):
            new_page()
        part: tuple[Group, list[str], bool] = (g, [], True)
        chunks[-1].append(part)
        size += 1 if g.heading else 0
        for e in g.entries:
            alone = part[2] and g.heading and not part[1]  # the heading would be left alone
            if size and not alone and (size >= maximum or (size >= minimum and _hash(g.anchor + "\n" + e) % average == 0)):
                new_page()
                part = (g, [], False)
                chunks[-1].append(part)
            part[1].append(e)
            size += 1
    return [c for c in chunks if c]


def _first_key(chunk: Chunk) -> str:
    g, entries, first = chunk[0]
    return g.anchor if first or not entries else g.anchor + "\n" + entries[0]


def paginate_stable(name: str, title: str, intro: str, groups: list[Group], first_extra: list[str] | None = None,
                    cut_level: int = 0, intro_rest: str | None = None,
                    entry_label: Callable[[str], str] | None = None, **sizes: int) -> Pages:
    """The index `name` as pages cut by `cut` and named by their first line. `intro_rest`
    replaces `intro` after the first page (an intro that counts the whole list would
    change every page); `entry_label` names a page that starts inside an unheaded list
    (the main index: the date of its first row)."""
    chunks = cut(groups, cut_level, **sizes)
    names: list[str] = []
    for n, chunk in enumerate(chunks):
        if n == 0:
            names.append(name)
            continue
        base = f"{name}-{_hash(_first_key(chunk)):016x}"[: len(name) + 9]
        page, k = base, 2
        while page in names:  # two pages whose first lines hash alike: never seen, but never lost
            page, k = f"{base}-{k}", k + 1
        names.append(page)

    def start(chunk: Chunk) -> str:
        g, entries, first = chunk[0]
        if g.heading:
            return _label(g) + ("" if first else "（续）")
        return f"{entry_label(entries[0])} 起" if entry_label and entries else ""

    def span(chunk: Chunk) -> str:
        heads = [_label(g) for g, _, _ in chunk if g.heading]
        first = start(chunk)
        last = heads[-1] if heads else ""
        return f"{first} — {last}" if last and last != first.removesuffix("（续）") else first

    out = Pages()
    total = len(chunks)
    for n, chunk in enumerate(chunks):
        body: list[str] = []
        if total > 1 and n == 0:
            items = []
            for m in range(total):
                text = f"第 {m + 1} 页" + (f"（{label}）" if (label := span(chunks[m])) else "")
                items.append(f"**{text}**" if m == 0 else f"[{text}]({names[m]}.md)")
            body += ["共 " + str(total) + " 页：" + " · ".join(items), ""]
        elif total > 1:
            nav = [f"[第 1 页（全部页面）]({name}.md)"]
            if n > 1:
                nav.append(f"上一页：[{start(chunks[n - 1]) or '上一页'}]({names[n - 1]}.md)")
            if n + 1 < total:
                nav.append(f"下一页：[{start(chunks[n + 1]) or '下一页'}]({names[n + 1]}.md)")
            body += [" · ".join(nav), ""]
        if n == 0 and first_extra:
            body += first_extra
        body += chunk_body(chunk, names[n], out.where, _label)
        if n == 0:
            out.text[names[n]] = _page(title, intro, body)
        else:
            suffix = f" · {label}" if (label := start(chunk)) else "（续）"
            out.text[names[n]] = _page(title + suffix, intro if intro_rest is None else intro_rest, body)
    return out
