"""Browsing by metadata: index pages by year, place, speaker, meeting type and genre.

Anchors are explicit ids derived from the value (year, division code, a hash of a
name), so links from speech pages stay valid whatever the heading text looks like.

Long indexes are split into pages of at most PER_PAGE entries: at 10,000 documents one
page per index would weigh megabytes. `Pages.where` maps each anchor to the page that
holds it, so links from speech pages find their entry. The lists by year, place,
speaker, meeting type and genre and the main index are cut where their lines' hashes say
(publish/stable_pages.py), so one new entry changes the page it lands on and not every
later one; a keyword's page is chosen by a hash of the keyword (keyword_pages). Only the
keyword overview and a keyword page's overflow are still paginated by count (`paginate`).
"""

from __future__ import annotations

import hashlib
import html
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from generator.link import KEYWORDS_MAX
from generator.model import Document
from generator.publish import labels

PER_PAGE = 500


@dataclass
class Group:
    """One section of an index: a heading (with its anchor) and the entries under it."""

    level: int
    heading: str  # Markdown heading text, already escaped
    anchor: str
    intro: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # repeated before entries (a table head)
    label: str = ""  # the heading without what changes with the list (a count): names its pages


@dataclass
class Pages:
    """Markdown of every index page by name, and the page name holding each anchor."""

    text: dict[str, str] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)

    def update(self, other: Pages) -> None:
        self.text.update(other.text)
        self.where.update(other.where)


def page_name(name: str, n: int) -> str:
    return name if n == 1 else f"{name}-{n}"


def paginate(name: str, title: str, intro: str, groups: list[Group], first_extra: list[str] | None = None,
             per_page: int = PER_PAGE) -> Pages:
    """Split `groups` over pages of at most `per_page` entries and headings; a group too
    long for the rest of a page continues on the next with its heading marked （续）."""
    chunks: list[list[tuple[Group, list[str], bool]]] = [[]]
    room = per_page
    for g in groups:
        rest = list(g.entries)
        first = True
        while True:
            if room <= 1 and chunks[-1]:
                chunks.append([])
                room = per_page
            # a heading counts as an entry: it is also a line in the page's table of contents
            room -= 1 if g.heading else 0
            take, rest = rest[:room], rest[room:]
            chunks[-1].append((g, take, first))
            room -= len(take)
            first = False
            if not rest:
                break
    out = Pages()
    total = len(chunks)

    def label(chunk: list[tuple[Group, list[str], bool]]) -> str:
        names = [g.label or g.heading.split(" {#")[0] for g, _, _ in chunk if g.heading]
        return f"{names[0]} — {names[-1]}" if len(names) > 1 else (names[0] if names else "")

    labels = [label(c) for c in chunks]
    for n, chunk in enumerate(chunks, start=1):
        body: list[str] = []
        if total > 1:
            items = []
            for m in range(1, total + 1):
                text = f"第 {m} 页" + (f"（{labels[m - 1]}）" if labels[m - 1] else "")
                items.append(f"**{text}**" if m == n else f"[{text}]({page_name(name, m)}.md)")
            body += ["共 " + str(total) + " 页：" + " · ".join(items), ""]
        if n == 1 and first_extra:
            body += first_extra
        body += chunk_body(chunk, page_name(name, n), out.where, lambda g: g.heading)
        suffix = f"（第 {n} 页）" if n > 1 else ""
        out.text[page_name(name, n)] = _page(title + suffix, intro, body)
    return out


def chunk_body(chunk: list, page: str, where: dict[str, str], continued: Callable[[Group], str]) -> list[str]:
    """A page's share of the groups: a group's heading where the group starts (its anchor
    recorded as on this page) or `continued(group)`（续） where it goes on from the page
    before, then its column header and entries. Shared by both ways of cutting pages
    (here by count, stable_pages by the lines' hashes), so their pages read alike."""
    body: list[str] = []
    for g, entries, first in chunk:
        if g.heading:
            if first:
                body += [f"{'#' * g.level} {g.heading} {{#{g.anchor}}}", ""]
                where[g.anchor] = page
                body += g.intro
            else:
                body += [f"{'#' * g.level} {continued(g)}（续）", ""]
        if entries:
            body += g.header + entries + [""]
    return body


def anchor(kind: str, value: str) -> str:
    return f"{kind[0]}-" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:10]


def year_of(doc: Document) -> str | None:
    d = doc.value("date")
    return str(d)[:4] if d else None


def place_keys(doc: Document) -> list[tuple[str, str]]:
    """(level label, name) from province down to county, for the nested place index; a
    municipality is named once (labels.place_parts)."""
    return labels.place_parts(doc)


def speakers_of(doc: Document) -> list[str]:
    """Speakers unified across scripts and spacing (labels.speaker_names)."""
    return labels.speaker_names(doc)


def _entry(doc: Document, esc: Callable[[str], str]) -> str:
    """One list line: date, the source's title verbatim, then place and speakers, so
    documents with the same generic title (政府工作报告) are told apart."""
    date, place, speakers = labels.list_facts(doc)
    return f"- {esc(date)} [{esc(doc.title)}](speeches/{doc.id}.md) · {esc(place)} · {esc(speakers)}"


def _entries(esc: Callable[[str], str]) -> Callable[[Document], str]:
    """_entry made once per document: a document is listed in a dozen indexes (its year,
    place, speakers, genre, meeting type and each of its keywords), and making its line
    each time (list_facts) took 2 of the write stage's 18 s at 10,000 documents."""
    made: dict[str, str] = {}

    def entry(doc: Document) -> str:
        line = made.get(doc.id)
        if line is None:
            line = made[doc.id] = _entry(doc, esc)
        return line
    return entry


def _by_date(docs: list[Document]) -> list[Document]:
    return sorted(docs, key=lambda d: (str(d.value("date") or ""), d.id), reverse=True)


def _page(title: str, intro: str, body: list[str]) -> str:
    # lists of titles would crowd out the speeches themselves in search results
    return "\n".join(["---", f"title: {title}", "search:", "  exclude: true", "---", "", f"# {title}", "", intro, "", *body, ""])


def build_indexes(docs: list[Document], esc: Callable[[str], str],
                  extras: dict[str, list[str]] | None = None, notes: dict[str, list[str]] | None = None,
                  sizes: dict[str, int] | None = None) -> Pages:
    """Every index as paginated pages; `extras` adds lines (charts) to the first page of an
    index, `notes` lines under the heading with that anchor (distinctive terms); `sizes`
    the page sizes of the lists cut by stable_pages (average, minimum, maximum), which a
    test makes small to see many pages from a few documents."""
    from generator.publish.stable_pages import paginate_stable  # imports this module's Group

    extras = extras or {}
    notes = notes or {}
    entry = _entries(esc)
    sizes = sizes or {}

    def noted(groups: list[Group]) -> list[Group]:
        for g in groups:
            g.intro = g.intro + notes.get(g.anchor, [])
        return groups
    pages = Pages()

    years: dict[str, list[Document]] = defaultdict(list)
    undated: list[Document] = []
    for d in docs:
        y = year_of(d)
        (years[y] if y else undated).append(d)
    groups = [Group(2, f"{y} 年", anchor("years", y), entries=[entry(d) for d in _by_date(years[y])])
              for y in sorted(years, reverse=True)]
    if undated:
        groups.append(Group(2, "日期不明", "y-unknown", intro=["文本没有说明年份的篇目（原文中的月日照录）。", ""],
                            entries=[entry(d) for d in sorted(undated, key=lambda d: d.id)]))
    pages.update(paginate_stable("years", "按年份", "时间线，从新到旧。", noted(groups), extras.get("years"), cut_level=2,
                                 **sizes))

    tree: dict[str, dict[str, dict[str, list[Document]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    noplace: list[Document] = []
    national: list[Document] = []
    code: dict[str, str] = {}  # division name → code, for the official (geographic) order
    for d in docs:
        p = d.value("place") or {}
        if p.get("scope") == "全国" and not p.get("province"):
            national.append(d)
            continue
        if not p.get("province"):
            noplace.append(d)
            continue
        c = str(p.get("code") or "")
        city = "" if p.get("city") == p["province"] else (p.get("city") or "")  # a municipality: one name
        for key, digits in ((p["province"], 2), (p["province"] + city, 4),
                            (p["province"] + city + (p.get("county") or ""), 6)):
            code[key] = min(code.get(key, "999999"), c[:digits] if c else "999999")
        tree[p["province"]][city][p.get("county") or ""].append(d)

    def order(names: dict[str, object], prefix: str = "") -> list[str]:
        # entries known only to the higher level ("") come first, then by code
        return sorted(names, key=lambda n: ("" if n == "" else code.get(prefix + n, "999999"), n))

    groups = []
    if national:
        groups.append(Group(2, "全国", "p-national",
                            intro=["国务院、全国人民代表大会、中国共产党全国代表大会等全国性文件，不属任何省份。", ""],
                            entries=[entry(d) for d in _by_date(national)]))
    for prov in order(tree):
        groups.append(Group(2, esc(prov), anchor("places", prov)))
        for city in order(tree[prov], prov):
            if city:
                groups.append(Group(3, esc(city), anchor("places", prov + city)))
            for county in order(tree[prov][city], prov + city):
                if county:
                    groups.append(Group(4, esc(county), anchor("places", prov + city + county)))
                groups[-1].entries += [entry(d) for d in _by_date(tree[prov][city][county])]
    if noplace:
        groups.append(Group(2, "地点不明", "p-unknown", entries=[entry(d) for d in _by_date(noplace)]))
    pages.update(paginate_stable("places", "按地点", "省 → 市 → 县区，按行政区划代码排列。", noted(groups),
                                 extras.get("places"), cut_level=2, **sizes))

    speakers: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        for n in speakers_of(d):
            speakers[n].append(d)
    groups = []
    variants = labels.speaker_variants(docs)
    for n in sorted(speakers, key=lambda n: (-len(speakers[n]), n)):
        roles = sorted({str(s.get("role")) for d in speakers[n] for s in (d.value("speakers") or [])
                        if s.get("name") and labels.speaker_key(str(s["name"])) == n and s.get("role")})
        intro = ["职务：" + esc("；".join(roles)), ""] if roles else []
        if n in variants:  # the evidence that these entries are one person's
            intro += ["原文写法：" + "、".join(f"“{esc(v)}”" for v in variants[n]), ""]
        groups.append(Group(2, esc(n), anchor("speakers", n), intro=intro,
                            entries=[entry(d) for d in _by_date(speakers[n])]))
    nospeaker = [d for d in docs if not speakers_of(d)]
    if nospeaker:
        groups.append(Group(2, "讲话人不明", "s-unknown", entries=[entry(d) for d in _by_date(nospeaker)]))
    pages.update(paginate_stable("speakers", "按讲话人", "主讲人（会议报道中“出席会议并讲话”者，讲话稿的署名人）。", groups,
                                 **sizes))

    for kind, fld, title, intro in (
        ("meeting-types", "meeting_type", "按会议类型", "会议类型的分类见“关于”页。"),
        ("genres", "genre", "按体裁", "工作报告、讲话稿、会议报道、范文（含占位符的模板）、公报决议（全会公报、决议）。"),
    ):
        by: dict[str, list[Document]] = defaultdict(list)
        for d in docs:
            by[str(d.value(fld) or "未知")].append(d)
        groups = [Group(2, f"{esc(g)}（{len(by[g])}）", anchor(kind, g), entries=[entry(d) for d in _by_date(by[g])],
                        label=esc(g))
                  for g in sorted(by, key=lambda g: (g == "未知", g))]
        pages.update(paginate_stable(kind, title, intro, noted(groups), cut_level=2, **sizes))

    pages.update(keyword_pages(docs, esc, entry))
    pages.update(all_speeches(docs, esc, sizes))
    return pages


BUCKET_FILL = PER_PAGE // 2  # entries a keyword page holds on average: room to grow before it splits


def keyword_buckets(n_docs: int) -> int:
    """How many pages the keywords are spread over: the smallest power of two that keeps
    an average page at BUCKET_FILL entries. A power of two of N, so it changes only when
    the archive doubles, never with one more document."""
    need = max(1, -(-n_docs * KEYWORDS_MAX // BUCKET_FILL))
    return 1 << (need - 1).bit_length()


def keyword_bucket(term: str, buckets: int) -> str:
    """The page holding a keyword's (or a source tag's) list: chosen by a hash of the term
    alone, so counts can grow and shrink without moving it, and a speech page's link
    to it stays the same when other documents are added."""
    return f"keywords-b{zlib.crc32(term.encode('utf-8')) % buckets + 1:03d}"


def keyword_pages(docs: list[Document], esc: Callable[[str], str],
                  entry: Callable[[Document], str] | None = None) -> Pages:
    """The keyword index: an overview of every keyword by number of documents, with a link
    to its list, and the lists themselves on pages chosen by a hash of the keyword.

    Paginated by count, one new document shifted the page boundaries and every speech
    page linking a later keyword changed its link; a keyword's page now depends on the
    keyword alone (and on the archive's size only when it doubles: keyword_buckets)."""
    entry = entry or _entries(esc)
    kws: dict[str, list[Document]] = defaultdict(list)
    given: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        for k in d.keywords:
            kws[k].append(d)
        for t in d.given_tags:
            given[t].append(d)
    n_buckets = keyword_buckets(len(docs))
    buckets: dict[str, list[Group]] = defaultdict(list)
    for k in sorted(kws):
        buckets[keyword_bucket(k, n_buckets)].append(
            Group(2, f"{esc(k)}（{len(kws[k])}）", anchor("keywords", k),
                  entries=[entry(d) for d in _by_date(kws[k])], intro=[trend_link(k), ""]))
    for t in sorted(given):
        buckets[keyword_bucket(t, n_buckets)].append(
            Group(2, f"来源标签：{esc(t)}（{len(given[t])}）", anchor("tags", t),
                  entries=[entry(d) for d in _by_date(given[t])]))
    pages = Pages()
    for name in sorted(buckets):
        number = int(name.rsplit("b", 1)[1])
        pages.update(paginate(name, f"关键词 · 第 {number} 组",
                              "[全部关键词](keywords.md)中的一组：每个关键词及其篇目，从新到旧。"
                              "关键词按名称的散列值分组，所以档案增加新篇目时，关键词所在的页面不变。",
                              buckets[name]))
    lines = [f"- [{esc(k)}]({pages.where[anchor('keywords', k)]}.md#{anchor('keywords', k)})（{len(ds)} 篇）"
             for k, ds in sorted(kws.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    lines += [f"- 来源标签：[{esc(t)}]({pages.where[anchor('tags', t)]}.md#{anchor('tags', t)})（{len(ds)} 篇）"
              for t, ds in sorted(given.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    overview = paginate("keywords", "关键词",
                        "从文本中计算出的关键词（见[关于](../about.md)），按篇数排列，括号内是篇数，"
                        "点击进入该关键词的篇目列表；最后是来源自带的标签。",
                        [Group(2, "", "keywords-all", entries=lines)])
    pages.update(overview)
    return pages


def trend_link(term: str, prefix: str = "../") -> str:
    """A link to the term's trend (docs/trends.md, counted in the browser). Raw HTML: a
    page URL with a query string is not a Markdown file MkDocs could check."""
    url = html.escape(f"{prefix}trends.html?q={quote(term)}")
    return f'<a class="sa-trend-link" href="{url}">“{html.escape(term)}”的年份趋势</a>'


def all_speeches(docs: list[Document], esc: Callable[[str], str], sizes: dict[str, int] | None = None) -> Pages:
    from generator.publish.stable_pages import paginate_stable
    from generator.publish.write import reading_order  # write imports this module

    dated = sorted((d for d in docs if d.value("date")), key=lambda d: (str(d.value("date")), d.id), reverse=True)
    undated = sorted((d for d in docs if not d.value("date")), key=lambda d: d.id)
    rows = []
    for d in dated + undated:
        date, place, speakers = (esc(x) for x in labels.list_facts(d))
        # the four strongest tags, shown in reading order as on the speech page: their weight
        # order swaps with near ties when any document is added (issue 22)
        kws = "、".join(esc(k) for k in reading_order(d.keywords[:4], d.search_text))
        rows.append(f"| {date} | [{esc(d.title)}](speeches/{d.id}.md) | {place} | {speakers} | {kws} |")
    group = Group(2, "", "all", entries=rows,
                  header=["| 日期 | 标题 | 地点 | 讲话人 | 关键词 |", "| --- | --- | --- | --- | --- |"])
    return paginate_stable("index", "全部讲话", f"共 {len(docs)} 篇，按日期从新到旧排列；日期不明的列在最后。", [group],
                           intro_rest="按日期从新到旧排列；日期不明的列在最后。",
                           entry_label=lambda row: row.split("|")[1].strip(), **(sizes or {}))


def _target(where: dict[str, str] | None, kind: str, anchor_id: str) -> str:
    return (where or {}).get(anchor_id, kind)


def links_for(doc: Document, esc: Callable[[str], str], prefix: str = "../",
              where: dict[str, str] | None = None) -> list[str]:
    """Links from a speech page back to its entries in the indexes (on whichever page of
    a paginated index the entry's section starts)."""

    def link(text: str, kind: str, anchor_id: str) -> str:
        return f"[{text}]({prefix}{_target(where, kind, anchor_id)}.md#{anchor_id})"

    out = []
    y = year_of(doc)
    out.append(link(f"{y} 年", "years", anchor("years", y)) if y else link("日期不明", "years", "y-unknown"))
    keys = place_keys(doc)
    if keys:
        acc = "".join(name for _lvl, name in keys)
        out.append(link(esc(keys[-1][1]), "places", anchor("places", acc)))
    elif (doc.value("place") or {}).get("scope") == "全国":
        out.append(link("全国", "places", "p-national"))
    else:
        out.append(link("地点不明", "places", "p-unknown"))
    for n in speakers_of(doc):
        out.append(link(esc(n), "speakers", anchor("speakers", n)))
    if not speakers_of(doc):
        out.append(link("讲话人不明", "speakers", "s-unknown"))
    mt = doc.value("meeting_type")
    if mt:
        out.append(link(esc(str(mt)), "meeting-types", anchor("meeting-types", str(mt))))
    g = doc.value("genre")
    if g:
        out.append(link(esc(str(g)), "genres", anchor("genres", str(g))))
    return out


def keyword_link(keyword: str, esc: Callable[[str], str], where: dict[str, str] | None, prefix: str = "../") -> str:
    a = anchor("keywords", keyword)
    return f"[{esc(keyword)}]({prefix}{_target(where, 'keywords', a)}.md#{a})"
