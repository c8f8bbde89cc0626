"""Index pages (by year, place, speaker, meeting type, genre) on the built site, and the
links from each speech page back to its entries in them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT

INDEX_PAGES = ["years", "places", "speakers", "meeting-types", "genres"]
DOC_IDS = sorted(json.loads((ROOT / "tests" / "golden" / "metadata.json").read_text(encoding="utf-8")))


@dataclass
class Heading:
    level: int
    id: str
    text: str
    links: list[str] = field(default_factory=list)  # links directly under this heading


class _Article(HTMLParser):
    """Headings (with ids) and links inside the page's <article>, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.ids: set[str] = set()
        self.headings: list[Heading] = []
        self.links: list[str] = []
        self._h: Heading | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._h = Heading(int(tag[1]), a.get("id") or "", "")
            self.headings.append(self._h)
        elif tag == "a" and a.get("href") and self._h is None:
            href = a["href"] or ""
            self.links.append(href)
            if self.headings:
                self.headings[-1].links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._h = None

    def handle_data(self, data: str) -> None:
        if self._h is not None:
            self._h.text += data

    def section(self, anchor: str) -> list[str]:
        """Links under the heading with this id, down to the next heading of the same
        or a higher level (so a province's section includes its cities)."""
        for i, h in enumerate(self.headings):
            if h.id == anchor:
                out = list(h.links)
                for later in self.headings[i + 1 :]:
                    if later.level <= h.level:
                        break
                    out += later.links
                return out
        raise AssertionError(f"no heading with id {anchor!r}")


def parse(page: Path) -> _Article:
    p = _Article()
    p.feed(page.read_text(encoding="utf-8"))
    return p


def speech_link(doc_id: str) -> str:
    return f"speeches/{doc_id}.html"


@pytest.fixture(scope="module")
def archive(built_site) -> Path:
    return built_site.online / "archive"


@pytest.fixture(scope="module")
def pages(archive: Path) -> dict[str, _Article]:
    return {name: parse(archive / f"{name}.html") for name in INDEX_PAGES}


@pytest.fixture(scope="module")
def meta(catalog) -> dict[str, dict]:
    return {d["id"]: {k: v["value"] for k, v in d["metadata"].items()} for d in catalog["documents"]}


def test_catalog_has_the_seed_documents(meta: dict[str, dict]) -> None:
    assert sorted(meta) == DOC_IDS


@pytest.mark.parametrize("name", INDEX_PAGES)
def test_index_page_exists_in_both_flavours(built_site, name: str) -> None:
    assert (built_site.online / "archive" / f"{name}.html").is_file()
    assert (built_site.offline / "archive" / f"{name}.html").is_file()


@pytest.mark.parametrize("name", INDEX_PAGES)
def test_index_page_links_to_every_speech(pages: dict[str, _Article], archive: Path, name: str) -> None:
    links = pages[name].links
    missing = [i for i in DOC_IDS if speech_link(i) not in links]
    assert not missing, f"{name}.html does not link to {missing}"
    for href in links:
        if href.startswith("speeches/"):
            assert (archive / href.split("#")[0]).is_file(), f"{name}.html: broken link {href}"


def test_years_newest_first_undated_in_their_own_section(pages: dict[str, _Article], meta: dict[str, dict]) -> None:
    years = pages["years"]
    sections = [h for h in years.headings if h.level == 2]
    labels = [h.text.strip() for h in sections]
    dated = [h for h in sections if h.id != "y-unknown"]
    nums = [int(h.text.strip().split()[0]) for h in dated]
    assert nums == sorted(nums, reverse=True), labels
    assert sorted(nums) == sorted({int(m["date"][:4]) for m in meta.values() if m.get("date")}), labels
    assert sections[-1].id == "y-unknown", f"the undated section should come last: {labels}"
    undated = {i for i, m in meta.items() if not m.get("date")}
    assert undated, "the seed corpus has undated documents"
    assert {h.split("/")[-1].removesuffix(".html") for h in years.section("y-unknown")} == undated
    for h in dated:
        ids = [x.split("/")[-1].removesuffix(".html") for x in h.links if x.startswith("speeches/")]
        assert ids and all(str(meta[i]["date"]).startswith(h.text.strip().split()[0]) for i in ids), h.text
        dates = [str(meta[i]["date"]) for i in ids]
        assert dates == sorted(dates, reverse=True), f"{h.text}: entries not newest first: {ids}"


def test_places_nested_province_city_county(pages: dict[str, _Article], meta: dict[str, dict]) -> None:
    places = pages["places"]
    path: dict[int, str] = {}
    parents: dict[str, tuple[str, ...]] = {}
    for h in places.headings:
        path = {k: v for k, v in path.items() if k < h.level}
        path[h.level] = h.text.strip()
        parents[h.text.strip()] = tuple(path[k] for k in sorted(path) if k >= 2)
    assert parents.get("西峰区") == ("甘肃省", "庆阳市", "西峰区"), parents.get("西峰区")
    assert parents.get("庆阳市") == ("甘肃省", "庆阳市")
    assert parents.get("甘肃省") == ("甘肃省",)
    levels = {h.text.strip(): h.level for h in places.headings}
    assert (levels["甘肃省"], levels["庆阳市"], levels["西峰区"]) == (2, 3, 4)
    # every document sits under its own province → city → county
    for doc_id, m in meta.items():
        p = m.get("place") or {}
        raw = [p[k] for k in ("province", "city", "county") if p.get(k)]
        # a municipality (北京市 / 北京市) is one heading, its districts directly beneath it
        names = tuple(n for i, n in enumerate(raw) if i == 0 or n != raw[i - 1])
        link = speech_link(doc_id)
        if not names:
            assert link in places.section("p-unknown"), doc_id
            continue
        assert parents.get(names[-1]) == names, f"{doc_id}: {names} not nested as such: {parents.get(names[-1])}"
        under = [h for h in places.headings if h.text.strip() == names[-1] and link in h.links]
        assert under, f"{doc_id} is not listed directly under {names[-1]}"


def _index_links(page: _Article, kind: str) -> list[str]:
    return [h for h in page.links if h.startswith(f"../{kind}.html#")]


def _linked_headings(page: _Article, index: _Article, kind: str) -> list[str]:
    return [h.text.strip() for h in index.headings if any(x.endswith("#" + h.id) for x in _index_links(page, kind))]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_speech_page_links_back_to_its_index_entries(
    archive: Path, pages: dict[str, _Article], meta: dict[str, dict], doc_id: str
) -> None:
    """Year, place, speaker(s), meeting type and genre: each link's anchor exists in the
    index page and its section lists this speech."""
    page = parse(archive / "speeches" / f"{doc_id}.html")
    m = meta[doc_id]
    problems: list[str] = []
    for kind in INDEX_PAGES:
        for href in _index_links(page, kind):
            anchor = href.split("#", 1)[1]
            if anchor not in pages[kind].ids:
                problems.append(f"{href}: no id={anchor!r} in {kind}.html")
            elif speech_link(doc_id) not in pages[kind].section(anchor):
                problems.append(f"{href}: the section #{anchor} does not list this speech")
    year = str(m["date"])[:4] if m.get("date") else None
    years = _linked_headings(page, pages["years"], "years")
    if year and not any(t.startswith(year) for t in years):
        problems.append(f"years: no link to the {year} section (linked: {years})")
    if not year and not any(x.endswith("#y-unknown") for x in _index_links(page, "years")):
        problems.append("years: an undated speech should link to #y-unknown")
    place = m.get("place") or {}
    deepest = place.get("county") or place.get("city") or place.get("province")
    places = _linked_headings(page, pages["places"], "places")
    if deepest and deepest not in places:
        problems.append(f"places: no link to {deepest} (linked: {places})")
    speakers = _linked_headings(page, pages["speakers"], "speakers")
    for n in [s["name"] for s in (m.get("speakers") or [])]:
        if n not in speakers:
            problems.append(f"speakers: no link to {n} (linked: {speakers})")
    for kind, key in (("meeting-types", "meeting_type"), ("genres", "genre")):
        linked = _linked_headings(page, pages[kind], kind)
        if m.get(key) and not any(t.startswith(str(m[key])) for t in linked):
            problems.append(f"{kind}: no link to {m[key]} (linked: {linked})")
    assert not problems, f"{doc_id}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("doc_id", [d for d in DOC_IDS if d.startswith("003")])
def test_unknown_place_and_speaker_link_to_their_sections(
    archive: Path, pages: dict[str, _Article], meta: dict[str, dict], doc_id: str
) -> None:
    """Like an undated speech links to 日期不明 (#y-unknown), a speech without a place or a
    speaker links to 地点不明 (#p-unknown) / 讲话人不明 (#s-unknown), where it is listed.
    The template speeches of seed 003 name no speaker, so each of them shows the case."""
    m = meta[doc_id]
    assert not (m.get("place") and m.get("speakers")), f"{doc_id} no longer shows the case"
    page = parse(archive / "speeches" / f"{doc_id}.html")
    problems = []
    for kind, key, anchor in (("places", "place", "p-unknown"), ("speakers", "speakers", "s-unknown")):
        if m.get(key):
            continue
        assert speech_link(doc_id) in pages[kind].section(anchor), f"{doc_id} not listed in {kind}.html#{anchor}"
        if not any(x.endswith("#" + anchor) for x in _index_links(page, kind)):
            problems.append(f"no link to ../{kind}.html#{anchor} (index links: {_index_links(page, kind)})")
    assert not problems, f"{doc_id}:\n  " + "\n  ".join(problems)


def test_national_documents_get_a_national_section_and_say_so_on_the_page() -> None:
    """A national document has no province: the place index lists it under 全国 and its
    page shows 全国 as its scope, not 地点不明."""
    from generator.pipeline import collect
    from generator.publish.indexes import build_indexes, links_for
    from generator.publish.write import esc, facts_lines, metadata_table

    report = collect(ROOT, progress=False, corpus=ROOT / "tests" / "fixtures" / "heads")
    docs = {d.source_path: d for d in report.documents}
    national = docs["national_report_mentions_regions.txt"]
    pages = build_indexes(report.documents, esc)
    places = pages.text["places"]
    section = places.split("## 全国 {#p-national}", 1)[1].split("\n## ", 1)[0]
    assert national.id in section
    assert "page_chrome_before_title" not in section
    assert "## 浙江省" in places
    assert any("places.md#p-national" in link for link in links_for(national, esc, where=pages.where))
    rows = "\n".join(metadata_table(national))
    assert "| 地点 | 全国（全国性文件，不属任何省份） |" in rows and "| 层级 | 全国 |" in rows
    facts = "\n".join(facts_lines(national))
    assert 'data-fact="place" title="地点：推断（依据见下方）">全国</span>' in facts
    assert "依据：“我代表国务院" in facts  # the evidence, once, in 这些信息从哪里来
