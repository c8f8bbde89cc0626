"""The real generator + real `mkdocs build --strict` on the real corpus."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from conftest import BUILT_SITE_HASH_SEED, SEEDS, SITE_URL, copy_project, run_generator

from generator.read import iter_sources


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        if tag == "a" and d.get("href"):
            self.hrefs.append(d["href"] or "")
        if tag == "script":
            self.scripts.append(d.get("src") or "inline")


def links_of(page: Path) -> _Links:
    p = _Links()
    p.feed(page.read_text(encoding="utf-8"))
    return p


def test_build_is_strict_and_clean(built_site) -> None:
    assert "WARNING" not in built_site.output.replace("warnings:", "")
    assert (built_site.online / "index.html").exists()
    assert not (built_site.root / "site-offline").exists(), "one build: the site itself is the offline copy"


def test_one_page_per_document(built_site, catalog) -> None:
    docs = catalog["documents"]
    assert len(docs) == 14
    assert len({d["id"] for d in docs}) == len(docs)
    pages = sorted((built_site.online / "archive" / "speeches").glob("*.html"))
    assert [p.stem for p in pages] == sorted(d["id"] for d in docs)
    for d in docs:
        assert (built_site.online / d["url"]).is_file()


def test_catalog_fields(catalog) -> None:
    sources = {p.relative_to(SEEDS).as_posix() for p in iter_sources(SEEDS)}
    for d in catalog["documents"]:
        for key in ("id", "url", "title", "date", "source_path", "sha256", "keywords", "related"):
            assert key in d, key
        assert d["source_path"] in sources
        assert re.fullmatch(r"[0-9a-f]{64}", d["sha256"])
        assert isinstance(d["keywords"], list) and d["keywords"], d["id"]
        for r in d["related"]:
            assert set(r) >= {"id", "score"}
            assert 0 < r["score"] <= 1


def test_related_links_resolve(built_site, catalog) -> None:
    ids = {d["id"] for d in catalog["documents"]}
    for d in catalog["documents"]:
        page = built_site.online / d["url"]
        hrefs = links_of(page).hrefs
        for r in d["related"]:
            assert r["id"] in ids
            assert f"{r['id']}.html" in hrefs, (d["id"], r["id"])
        for h in hrefs:
            if h.startswith(("http", "mailto:", "#")):
                continue
            # a query (compare.html?a=…&b=…) is read by the page's script; the file is the page
            target = (page.parent / h.split("#")[0].split("?")[0]).resolve()
            assert target.exists(), (d["id"], h)


def test_reachable_from_home(built_site, catalog) -> None:
    home = links_of(built_site.online / "index.html").hrefs
    assert "archive/index.html" in home
    listing = links_of(built_site.online / "archive" / "index.html").hrefs
    for d in catalog["documents"]:
        assert f"speeches/{d['id']}.html" in listing


def test_tags_on_pages_and_keyword_index(built_site, catalog) -> None:
    tags_page = (built_site.online / "archive" / "keywords.html").read_text(encoding="utf-8")
    for d in catalog["documents"]:
        html = (built_site.online / d["url"]).read_text(encoding="utf-8")
        for k in d["keywords"][:3]:
            assert k in html
            assert k in tags_page


def test_seed_000_front_matter_kept(catalog) -> None:
    d = next(d for d in catalog["documents"] if d["source_path"].startswith("000_"))
    assert d["title"] == "统一思想认识 凝聚发展力量 推动经济社会高质量发展"
    assert d["metadata"]["published"]["value"] == "2021-12-30T08:26:54+08:00"
    assert d["metadata"]["published"]["status"] == "given"
    assert d["given_tags"] == ["youjiangribao", "右江日报新闻"]


def test_nav_does_not_list_speeches(built_site) -> None:
    html = (built_site.online / "index.html").read_text(encoding="utf-8")
    assert "speeches/" not in html.split('class="md-content"')[0]


def test_site_has_no_remote_scripts(built_site) -> None:
    for page in [built_site.online / "index.html", built_site.online / "search.html",
                 *sorted((built_site.online / "archive" / "speeches").glob("*.html"))[:3]]:
        for src in links_of(page).scripts:
            assert not src.startswith(("http:", "https:", "//")), (page, src)


def test_deterministic(tmp_path: Path, built_site) -> None:
    """Another process with another PYTHONHASHSEED (string hashing, so set and dict
    order, differ) writes byte-identical pages and catalog."""
    root = copy_project(tmp_path / "again")
    assert BUILT_SITE_HASH_SEED != "12345"
    proc = run_generator(root, "generate", hash_seed="12345", site_url=SITE_URL)
    assert proc.returncode == 0, proc.stderr
    first = sorted((built_site.root / "docs" / "archive").rglob("*"))
    second = sorted((root / "docs" / "archive").rglob("*"))
    assert [p.relative_to(built_site.root) for p in first] == [p.relative_to(root) for p in second]
    for a, b in zip(first, second, strict=True):
        if a.is_file():
            assert a.read_bytes() == b.read_bytes(), a
    data = sorted(p.name for p in (built_site.root / "docs/data").iterdir())
    assert {"catalog.json", "catalog.csv", "corpus.jsonl.gz", "feed.xml", "passages.jsonl.gz"} <= set(data)
    assert data == sorted(p.name for p in (root / "docs/data").iterdir())
    for name in data:
        assert (built_site.root / "docs/data" / name).read_bytes() == (root / "docs/data" / name).read_bytes(), name
    trends = sorted(p.name for p in (built_site.root / "docs/searchindex/tc").iterdir())  # the trends' counts
    assert "info.js" in trends and trends == sorted(p.name for p in (root / "docs/searchindex/tc").iterdir())
    for name in trends:
        assert (built_site.root / "docs/searchindex/tc" / name).read_bytes() == \
            (root / "docs/searchindex/tc" / name).read_bytes(), name


def test_removed_document_loses_its_page(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    assert run_generator(root, "generate").returncode == 0
    (root / "docs" / "hand.md").write_text("# 手写页面\n", encoding="utf-8")
    victim = sorted((root / "corpus").iterdir())[0]
    victim.unlink()
    assert run_generator(root, "generate").returncode == 0
    ids = [d["id"] for d in json.loads((root / "docs/data/catalog.json").read_text(encoding="utf-8"))["documents"]]
    assert not any(i.startswith(victim.name[:3]) for i in ids)
    assert not list((root / "docs" / "archive" / "speeches").glob(f"{victim.name[:3]}*"))
    assert (root / "docs" / "hand.md").exists()
    assert (root / "docs" / "about.md").exists()


def test_bad_front_matter_reported_rest_built(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    (root / "corpus" / "broken.md").write_text("---\ntitle: [unclosed\ndate: 2021-01-01\n---\n正文。\n", encoding="utf-8")
    (root / "corpus" / "scan.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 16)
    proc = run_generator(root, "build")
    assert proc.returncode == 0, proc.stderr
    assert "broken.md:3" in proc.stdout or "broken.md:2" in proc.stdout, proc.stdout
    assert "scan.pdf: not a readable PDF" in proc.stdout, proc.stdout  # issue 21: PDFs have a reader
    catalog = json.loads((root / "site" / "data" / "catalog.json").read_text(encoding="utf-8"))
    assert len(catalog["documents"]) == 14
    check = run_generator(root, "check")
    assert check.returncode != 0
    assert "broken.md" in check.stdout


class _Live(HTMLParser):
    """Live script in a rendered page: event-handler attributes, script/data/vbscript URLs,
    and <script> elements whose text mentions the attacker's marker."""

    def __init__(self, marker: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for k, v in attrs:
            v = (v or "").strip().lower().replace("\t", "").replace("\n", "")
            if k.lower().startswith("on") and self.marker in v:
                self.found.append(f"<{tag} {k}={v!r}>")
            if k.lower() in ("href", "src", "action", "formaction") and v.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {k}={v!r}>")
        self._in_script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_script = False

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and self.marker in data:
            self.found.append(f"<script>{data[:60]}")


HOSTILE = {
    "evil-html.md": (
        "---\ntitle: '<script>pwn(1)</script>标题'\n---\n"
        "<p>正文第一段<script>pwn(2)</script><img src=x onerror=pwn(3)>"
        "<a href=\"javascript:pwn(4)\">链接</a><svg onload=pwn(5)></svg>"
        "<a href=\"&#106;avascript:pwn(6)\">实体</a><a href=\"JaVaScRiPt:pwn(7)\">大小写</a></p>\n"
        "<p>会议要求各级各部门认真落实。</p>\n"
    ),
    "evil-links.md": (
        "---\ntitle: 链接测试讲话\n---\n"
        "会议指出，[点我](javascript:pwn(8))，[大小写](JaVaScRiPt:pwn(9))，[数据](data:text/html;base64,PHNjcmlwdD4=)。\n\n"
        "会议强调，[脚本](vbscript:pwn(10))，![图](javascript:pwn(11))，[实体](&#106;avascript:pwn(12))。\n\n"
        "会议要求，各部门认真落实[网站](https://www.gov.cn/x.html)。\n"
    ),
    "evil-mixed.md": (
        "---\ntitle: 混合测试讲话\n---\n"
        "<img src=x onerror=pwn(13)>会议要求，<svg/onload=pwn(14)>各部门[点我](javascript:pwn(18))认真落实。\n"
        # long enough to be published: a file under 20 Han characters is skipped as too short
        "会议强调，要压实责任，确保各项任务落到实处。\n"
    ),
    "evil.txt": (
        "<script>pwn(15)</script>\n[点我](javascript:pwn(16))\n<img src=x onerror=pwn(17)>会议召开。\n"
        "同志们，今天召开全县工作会议，研究部署下一阶段工作。\n"
    ),
}


def test_source_cannot_inject_script(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in HOSTILE.items():
        (corpus / name).write_text(text, encoding="utf-8")
    root = copy_project(tmp_path / "p", corpus=corpus)
    proc = run_generator(root, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    catalog = json.loads((root / "site" / "data" / "catalog.json").read_text(encoding="utf-8"))
    by_source = {d["source_path"]: d for d in catalog["documents"]}
    assert sorted(by_source) == sorted(HOSTILE), "every hostile source became a page"
    for name, d in by_source.items():
        page = root / "site" / d["url"]
        assert page.is_file(), name
        text = page.read_text(encoding="utf-8")
        live = _Live("pwn(")
        live.feed(text)
        assert live.found == [], (name, live.found)
        assert "会议" in text or "正文" in text, name  # the speech's words are on the page
    links = (root / "site" / by_source["evil-links.md"]["url"]).read_text(encoding="utf-8")
    assert 'href="https://www.gov.cn/x.html"' in links  # a web link survives
    assert "点我" in links and "大小写" in links  # the text of a dropped link stays


def test_no_material_search_or_offline_plugin(built_site) -> None:
    """Material's search would segment every page again and ship one monolithic index;
    the archive's own index under searchindex/ replaces it."""
    assert not (built_site.online / "search" / "search_index.json").exists()
    assert (built_site.online / "searchindex" / "meta.js").is_file()
    html = (built_site.online / "index.html").read_text(encoding="utf-8")
    assert "assets/search.js" in html and 'class="md-search__input"' in html
    assert "iframe-worker" not in html


def test_offline_zip_is_the_site_and_reproducible(built_site) -> None:
    """`python -m generator zip` packs site/ into dist/, outside the published site."""
    import zipfile

    first = run_generator(built_site.root, "zip")
    assert first.returncode == 0, first.stdout + first.stderr
    z = built_site.root / "dist" / "speech-archive-offline.zip"
    data = z.read_bytes()
    assert run_generator(built_site.root, "zip").returncode == 0
    assert z.read_bytes() == data, "the zip is not reproducible"
    with zipfile.ZipFile(z) as zf:
        names = set(zf.namelist())
        assert "speech-archive-offline/index.html" in names
        assert "speech-archive-offline/searchindex/meta.js" in names
        assert zf.read("speech-archive-offline/index.html") == (built_site.online / "index.html").read_bytes()
    assert not list(built_site.online.rglob("*.zip")), "the Pages site must not carry a copy of itself"


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        if d.get("id"):
            self.ids.add(d["id"] or "")
        for key in ("href", "src"):
            if d.get(key) and tag in ("a", "link", "img", "script"):
                self.refs.append(d[key] or "")


def test_no_internal_link_broken(built_site) -> None:
    """Crawl every HTML page of the built site: each relative link and asset exists, and
    each #anchor into a page of ours is an id on that page."""
    from urllib.parse import unquote, urlsplit

    site = built_site.online
    parsed: dict[Path, _Refs] = {}

    def refs(page: Path) -> _Refs:
        if page not in parsed:
            p = _Refs()
            p.feed(page.read_text(encoding="utf-8"))
            parsed[page] = p
        return parsed[page]

    broken = []
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        if page.name == "404.html":
            continue  # absolute URLs under site_url, checked below
        for ref in refs(page).refs:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("//") or not (parts.path or parts.fragment):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {ref}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in refs(target).ids:
                broken.append(f"{page.relative_to(site)}: {ref} (no such id)")
    assert len(pages) > 20
    assert not broken, "\n".join(broken[:30])


def test_404_page_links_under_the_project_path(built_site) -> None:
    """On a project site (https://user.github.io/<repo>/) the 404 page is served at any
    depth, so its links must be absolute under site_url's path."""
    from urllib.parse import urlsplit

    base = urlsplit(SITE_URL).path
    refs = _Refs()
    refs.feed((built_site.online / "404.html").read_text(encoding="utf-8"))
    local = [r for r in refs.refs if not urlsplit(r).scheme and not r.startswith("#")]
    assert local
    bad = [r for r in local if not r.startswith(base)]
    assert not bad, bad
