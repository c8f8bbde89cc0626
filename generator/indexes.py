"""Browsing by metadata: index pages by year, place, speaker, meeting type and genre.

Anchors are explicit ids derived from the value (year, division code, a hash of a
name), so links from speech pages stay valid whatever the heading text looks like.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable

from .model import Document


def anchor(kind: str, value: str) -> str:
    return f"{kind[0]}-" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:10]


def year_of(doc: Document) -> str | None:
    d = doc.value("date")
    return str(d)[:4] if d else None


def place_keys(doc: Document) -> list[tuple[str, str]]:
    """(level label, name) from province down to county, for the nested place index."""
    p = doc.value("place") or {}
    return [(lvl, p[lvl]) for lvl in ("province", "city", "county") if p.get(lvl)]


def speakers_of(doc: Document) -> list[str]:
    return [str(s.get("name")) for s in (doc.value("speakers") or []) if s.get("name")]


def _entry(doc: Document, esc: Callable[[str], str]) -> str:
    date = esc(str(doc.value("date"))) if doc.value("date") else (esc(str(doc.value("date_text"))) + "（年份不明）"
                                                                   if doc.value("date_text") else "日期不明")
    return f"- {date} [{esc(doc.title)}](speeches/{doc.id}.md)"


def _by_date(docs: list[Document]) -> list[Document]:
    return sorted(docs, key=lambda d: (str(d.value("date") or ""), d.id), reverse=True)


def _page(title: str, intro: str, body: list[str]) -> str:
    # lists of titles would crowd out the speeches themselves in search results
    return "\n".join(["---", f"title: {title}", "search:", "  exclude: true", "---", "", f"# {title}", "", intro, "", *body, ""])


def build_indexes(docs: list[Document], esc: Callable[[str], str]) -> dict[str, str]:
    pages: dict[str, str] = {}

    years: dict[str, list[Document]] = defaultdict(list)
    undated: list[Document] = []
    for d in docs:
        y = year_of(d)
        (years[y] if y else undated).append(d)
    body: list[str] = []
    for y in sorted(years, reverse=True):
        body += [f"## {y} 年 {{#{anchor('years', y)}}}", ""]
        body += [_entry(d, esc) for d in _by_date(years[y])] + [""]
    if undated:
        body += ["## 日期不明 {#y-unknown}", "", "文本没有说明年份的篇目（原文中的月日照录）。", ""]
        body += [_entry(d, esc) for d in sorted(undated, key=lambda d: d.id)] + [""]
    pages["years"] = _page("按年份", "时间线，从新到旧。", body)

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
        for key, digits in ((p["province"], 2), (p["province"] + (p.get("city") or ""), 4),
                            (p["province"] + (p.get("city") or "") + (p.get("county") or ""), 6)):
            code[key] = min(code.get(key, "999999"), c[:digits] if c else "999999")
        tree[p["province"]][p.get("city") or ""][p.get("county") or ""].append(d)

    def order(names: dict[str, object], prefix: str = "") -> list[str]:
        # entries known only to the higher level ("") come first, then by code
        return sorted(names, key=lambda n: ("" if n == "" else code.get(prefix + n, "999999"), n))

    body = []
    if national:
        body += ["## 全国 {#p-national}", "", "国务院、全国人民代表大会、中国共产党全国代表大会等全国性文件，不属任何省份。", ""]
        body += [_entry(d, esc) for d in _by_date(national)] + [""]
    for prov in order(tree):
        body += [f"## {esc(prov)} {{#{anchor('places', prov)}}}", ""]
        for city in order(tree[prov], prov):
            if city:
                body += [f"### {esc(city)} {{#{anchor('places', prov + city)}}}", ""]
            for county in order(tree[prov][city], prov + city):
                if county:
                    body += [f"#### {esc(county)} {{#{anchor('places', prov + city + county)}}}", ""]
                body += [_entry(d, esc) for d in _by_date(tree[prov][city][county])] + [""]
    if noplace:
        body += ["## 地点不明 {#p-unknown}", ""] + [_entry(d, esc) for d in _by_date(noplace)] + [""]
    pages["places"] = _page("按地点", "省 → 市 → 县区，按行政区划代码排列。", body)

    speakers: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        for n in speakers_of(d):
            speakers[n].append(d)
    body = []
    for n in sorted(speakers, key=lambda n: (-len(speakers[n]), n)):
        roles = sorted({str(s.get("role")) for d in speakers[n] for s in (d.value("speakers") or [])
                        if s.get("name") == n and s.get("role")})
        body += [f"## {esc(n)} {{#{anchor('speakers', n)}}}", ""]
        if roles:
            body += ["职务：" + esc("；".join(roles)), ""]
        body += [_entry(d, esc) for d in _by_date(speakers[n])] + [""]
    nospeaker = [d for d in docs if not speakers_of(d)]
    if nospeaker:
        body += ["## 讲话人不明 {#s-unknown}", ""] + [_entry(d, esc) for d in _by_date(nospeaker)] + [""]
    pages["speakers"] = _page("按讲话人", "主讲人（会议报道中“出席会议并讲话”者，讲话稿的署名人）。", body)

    for kind, field, title, intro in (
        ("meeting-types", "meeting_type", "按会议类型", "会议类型的分类见“关于”页。"),
        ("genres", "genre", "按体裁", "工作报告、讲话稿、会议报道、范文（含占位符的模板）。"),
    ):
        groups: dict[str, list[Document]] = defaultdict(list)
        for d in docs:
            groups[str(d.value(field) or "未知")].append(d)
        body = []
        for g in sorted(groups, key=lambda g: (g == "未知", g)):
            body += [f"## {esc(g)}（{len(groups[g])}） {{#{anchor(kind, g)}}}", ""]
            body += [_entry(d, esc) for d in _by_date(groups[g])] + [""]
        pages[kind] = _page(title, intro, body)
    return pages


def links_for(doc: Document, esc: Callable[[str], str], prefix: str = "../") -> list[str]:
    """Links from a speech page back to its entries in the indexes."""
    out = []
    y = year_of(doc)
    out.append(f"[{y} 年]({prefix}years.md#{anchor('years', y)})" if y else f"[日期不明]({prefix}years.md#y-unknown)")
    keys = place_keys(doc)
    if keys:
        acc = ""
        for _lvl, name in keys:
            acc += name
        out.append(f"[{esc(keys[-1][1])}]({prefix}places.md#{anchor('places', acc)})")
    elif (doc.value("place") or {}).get("scope") == "全国":
        out.append(f"[全国]({prefix}places.md#p-national)")
    else:
        out.append(f"[地点不明]({prefix}places.md#p-unknown)")
    for n in speakers_of(doc):
        out.append(f"[{esc(n)}]({prefix}speakers.md#{anchor('speakers', n)})")
    if not speakers_of(doc):
        out.append(f"[讲话人不明]({prefix}speakers.md#s-unknown)")
    mt = doc.value("meeting_type")
    if mt:
        out.append(f"[{esc(str(mt))}]({prefix}meeting-types.md#{anchor('meeting-types', str(mt))})")
    g = doc.value("genre")
    if g:
        out.append(f"[{esc(str(g))}]({prefix}genres.md#{anchor('genres', str(g))})")
    return out
