"""The archive's own search: the index generator/publish/search.py writes, and the client
docs/assets/search.js running in a real headless Chromium on a small fixture corpus
(tests/fixtures/search_corpus/), over http://127.0.0.1 and from file://."""

from __future__ import annotations

import json
import re
from collections import Counter
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest
from browserlib import Traffic, serve, type_like_ime
from conftest import ROOT, copy_project, run_generator
from searchlib import index_data, index_files, published_corpus

from generator.annotate.segment import cut
from generator.publish.search import (
    CONT,
    FINAL,
    INDEX_DIR,
    build_index,
    char_terms,
    decode_varints,
    fnv1a,
    shard_key,
    t2s_table,
    tf_code,
    varint,
    word_terms,
)

CORPUS = ROOT / "tests" / "fixtures" / "search_corpus"
HAN_WORD = re.compile(r"[\u4e00-\u9fff]+")


# ---------------------------------------------------------------- index units


def test_varints_round_trip_without_separators() -> None:
    nums = [0, 1, 31, 32, 33, 1023, 1024, 99_999, 7 * 8 + 3]
    text = "".join(varint(n) for n in nums)
    assert decode_varints(text) == nums
    assert set(FINAL).isdisjoint(CONT) and len(FINAL) == len(CONT) == 32
    assert not set(FINAL + CONT) & set('"\\<>')


def test_fnv1a_is_stable() -> None:
    # FNV-1a test vectors (ASCII strings) fix the constants search.js uses as well
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


def test_a_querys_title_terms_share_its_bigrams_shards() -> None:
    # a query loads one shard per bigram (its title terms are in those shards) and one per
    # whole word (format 6: a common bigram's shard no longer carries every word it begins)
    assert shard_key("发展") == shard_key("#发展") == "发展"
    assert shard_key("发展规划纲要") == "发展规划纲要"
    assert shard_key("#发") == shard_key("发") == "发"
    assert shard_key("covid19") == shard_key("#covid19") == "covid19"  # Latin words stay whole


def test_character_terms_are_unigrams_and_bigrams_of_han_runs() -> None:
    terms = char_terms("县域经济，GDP增长")
    assert terms["县域"] == 1 and terms["经济"] == 1 and terms["济增"] == 0  # punctuation and Latin split runs
    assert terms["县"] == 1 and terms["增长"] == 1
    assert "济，" not in terms


def test_character_terms_equal_the_counts_of_each_runs_strings() -> None:
    """char_terms counts code points as numbers; the result is the plain definition's:
    every Han character, and every two adjacent characters of one run."""
    import random
    import re

    rng = random.Random(3)
    alphabet = ["县", "域", "经", "济", "\u3400", "\u9fff", "\uf900", "\ufaff", "G", "1", "，", "\n", " ", "𠀀"]
    texts = ["", "，", "经", "经济", "经经经", "𠀀经济𠀀"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 60))) for _ in range(400)]
    for text in texts:
        want: Counter[str] = Counter()
        for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", text):
            want.update(run)
            want.update(run[i : i + 2] for i in range(len(run) - 1))
        assert char_terms(text) == want, text


def test_word_terms_add_long_words_and_latin_only() -> None:
    words = word_terms(["县域经济", "发展", "GDP", "的", "5G"])
    assert words == Counter({"县域经济": 1, "gdp": 1, "5g": 1})


def test_tf_codes_are_monotonic() -> None:
    codes = [tf_code(n) for n in range(1, 100)]
    assert codes == sorted(codes) and codes[0] == 0 and codes[-1] == 7


def test_t2s_table_maps_traditional_to_simplified() -> None:
    table = t2s_table()
    pairs = {table[i]: table[i + 1] for i in range(0, len(table), 2)}
    assert pairs["經"] == "经" and pairs["濟"] == "济" and pairs["發"] == "发"
    assert all(ord(c) <= 0xFFFF for c in table)


@pytest.fixture(scope="module")
def fixture_docs():
    from generator.link import link
    from generator.pipeline import collect

    report = collect(ROOT, progress=False, corpus=CORPUS, segment=True)
    assert not report.errors, report.errors
    link(report.documents)
    return report


def _postings(files: dict[str, str], term: str) -> list[int]:
    meta = json.loads(files["meta.js"].split(",", 2)[2].rsplit(")", 1)[0])
    shard = fnv1a(shard_key(term)) & (meta["shards"] - 1)
    data = json.loads(files[f"s/{shard}.js"].split(",", 2)[2].rsplit(")", 1)[0])
    docs, prev = [], -1
    for v in decode_varints(data.get(term, "")):
        prev += v // 8 + 1
        docs.append(prev)
    return docs


def test_index_postings_point_at_the_documents_holding_the_term(fixture_docs) -> None:
    docs = sorted(fixture_docs.documents, key=lambda d: d.id)
    files = build_index(docs, fixture_docs.search_terms)
    for term in ("乡村", "振兴", "绿色", "渝", "#乡村"):
        want = [n for n, d in enumerate(docs)
                if (term.lstrip("#") in (d.title if term.startswith("#") else d.search_text))]
        assert _postings(files, term) == want, term
    tokens = {d.id: set(cut(d.search_text)) for d in docs}
    long_words = sorted({t for d in docs for t in tokens[d.id] if len(t) >= 3 and HAN_WORD.fullmatch(t)})
    assert long_words
    for word in long_words:
        assert _postings(files, word) == [n for n, d in enumerate(docs) if word in tokens[d.id]], word
    # traditional documents are indexed by their simplified text
    trad = [n for n, d in enumerate(docs) if d.script == "zh-Hant"]
    assert trad and set(trad) <= set(_postings(files, "数字"))
    assert _postings(files, "數字") == []


def test_index_is_deterministic(fixture_docs) -> None:
    docs = sorted(fixture_docs.documents, key=lambda d: d.id)
    a = build_index(docs, fixture_docs.search_terms)
    for d in docs:
        d.tokens = cut(d.search_text)
    b = build_index(list(reversed(docs)))  # terms recomputed, other order
    assert a == b  # bytes per source character are measured at scale in BENCHMARKS.md


def test_index_records_repost_groups(fixture_docs) -> None:
    docs = sorted(fixture_docs.documents, key=lambda d: d.id)
    files = build_index(docs)
    meta = index_data(files, "meta.js")
    groups = list(range(meta["docs"]))
    for k in range(-(-meta["docs"] // meta["chunk"])):
        pairs = decode_varints(index_data(files, f"m/l{k}.js")["groups"])
        for i in range(0, len(pairs), 2):
            n = k * meta["chunk"] + pairs[i]
            groups[n] = n - pairs[i + 1]
    ids = [d.id for d in docs]
    copy, orig = ids.index("repost-copy-night-market"), ids.index("repost-original-night-market")
    assert groups[copy] == groups[orig]
    assert len(set(groups)) == len(docs) - 1


def _facet_values(d) -> dict[str, list[str]]:
    """What the index should say of one document, computed here from the Document."""
    from generator.publish import labels
    from generator.publish.indexes import speakers_of, year_of

    y = year_of(d)
    return {"year": [y] if y else [], "place": labels.place_names(d), "speaker": speakers_of(d),
            "type": [str(d.value("meeting_type"))] if d.value("meeting_type") else [],
            "genre": [str(d.value("genre"))] if d.value("genre") else []}


@pytest.mark.parametrize("chunk", [3, 1000])
def test_meta_split_holds_every_document_once(fixture_docs, chunk) -> None:
    """meta.js has nothing per document; the m/ chunks and per-value lists together say
    exactly what each document is (length, date, facets), whatever the chunk size."""
    from generator.link import repost_groups
    from generator.publish.search import doc_terms, meta_files, month_day

    docs = sorted(fixture_docs.documents, key=lambda d: d.id)
    number = {d.id: n for n, d in enumerate(docs)}
    lengths = [doc_terms(d)[1] for d in docs]
    values = [_facet_values(d) for d in docs]
    facets = {f: [v[f] for v in values] for f in ("year", "place", "speaker", "type", "genre")}
    files = meta_files(docs, lengths, repost_groups({d.id: d.duplicates for d in docs}), number, facets, 8, chunk)
    meta = index_data(files, "meta.js")
    assert "records" not in meta and meta["chunk"] == chunk and meta["docs"] == len(docs)
    n_chunks = -(-len(docs) // chunk)
    assert sorted(r for r in files if re.fullmatch(r"m/l\d+\.js", r)) == sorted(f"m/l{k}.js" for k in range(n_chunks))
    # the fine chunks (a tenth of a chunk) hold the same lengths and dates
    assert meta["fine"] == chunk // 10
    if meta["fine"]:
        n_fine = -(-len(docs) // meta["fine"])
        assert [x for k in range(n_fine) for x in decode_varints(index_data(files, f"m/lf{k}.js")["len"])] == lengths
        assert [x for k in range(n_fine) for x in decode_varints(index_data(files, f"m/tf{k}.js")["dates"])] == [
            x for k in range(n_chunks) for x in decode_varints(index_data(files, f"m/t{k}.js")["dates"])]
    got_len, got_date, got_facets = [], [], []
    for k in range(n_chunks):
        got_len += decode_varints(index_data(files, f"m/l{k}.js")["len"])
        t = decode_varints(index_data(files, f"m/t{k}.js")["dates"])
        assert index_data(files, f"m/t{k}.js")["groups"] == index_data(files, f"m/l{k}.js")["groups"]
        got_date += [(t[i], t[i + 1]) for i in range(0, len(t), 2)]
        f, pos = decode_varints(index_data(files, f"m/f{k}.js")), 0
        while pos < len(f):
            rec = {}
            for name in meta["facetOrder"]:
                rec[name] = [meta["facets"][name][i] for i in f[pos + 1:pos + 1 + f[pos]]]
                pos += 1 + f[pos]
            got_facets.append(rec)
    assert got_len == lengths
    assert got_date == [(meta["facets"]["year"].index(v["year"][0]) + 1 if v["year"] else 0, month_day(d))
                        for d, v in zip(docs, values, strict=True)]
    assert got_facets == values
    # per value, the documents having it; and the filter lists' counts
    for name in meta["facetOrder"]:
        shards = meta["facetShards"][name]
        for i, value in enumerate(meta["facets"][name]):
            enc = index_data(files, f"m/{name}-{i % shards}.js").get(str(i), "")
            have, prev = [], -1
            for gap in decode_varints(enc):
                prev += gap + 1
                have.append(prev)
            assert have == [n for n, v in enumerate(values) if value in v[name]], (name, value)
            assert meta["counts"][name][i] == len(have)


# ---------------------------------------------------------------- in the browser


def _built_site(tmp_path_factory, name: str, corpus: Path) -> Path:
    """`corpus` built by the real generator (`build`) in a project of its own: its site."""
    root = copy_project(tmp_path_factory.mktemp(name), corpus=corpus)
    proc = run_generator(root, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "site"


@pytest.fixture(scope="module")
def search_site(tmp_path_factory) -> Path:
    return _built_site(tmp_path_factory, "search", CORPUS)


# search waits on this small fixture corpus are short (conftest.page reads it)
PAGE_TIMEOUT_MS = 30_000


def _results(page) -> list[dict]:
    page.wait_for_function("() => /找到|没有找到|部分匹配/.test(document.querySelector('.sa-status').textContent)")
    return page.eval_on_selector_all(
        "ol.sa-results li a", "as => as.map(a => ({href: a.href, text: a.innerText}))")


def _ids(results: list[dict]) -> list[str]:
    return [re.search(r"/speeches/([^/?]+)\.html", r["href"]).group(1) for r in results]


def _open(page, site: Path, base: str | None, query: str, extra: str = "") -> list[dict]:
    start = base or site.as_uri() + "/"
    page.goto(f"{start}search.html?q={quote(query)}{extra}")
    results = _results(page)
    # let the page finish every request (the favicon comes after 'load') so the next
    # navigation cannot abort one and show up as a failed request
    page.wait_for_load_state("networkidle")
    return results


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_phrase_and_title_rank_first(search_site, page, via) -> None:
    traffic = Traffic().attach(page)
    with serve(search_site) as base:
        b = base if via == "http" else None
        ids = _ids(_open(page, search_site, b, "绿色发展"))
        assert ids[:2] == ["phrase-once-green", "phrase-split-green"], ids
        ids = _ids(_open(page, search_site, b, "乡村振兴"))
        assert ids[:2] == ["title-rural-revitalization", "body-rural-revitalization"], ids
        assert traffic.page_errors == []
        assert traffic.failures == []
        assert traffic.leaving(base if via == "http" else None) == [], traffic.leaving(base)
        if via == "file":
            assert all(u.startswith("file:") for u in traffic.requests), traffic.requests


@pytest.mark.browser
def test_traditional_and_simplified_queries_meet(search_site, page) -> None:
    for query in ("数字经济", "數字經濟"):
        ids = _ids(_open(page, search_site, None, query))
        assert ids == ["traditional-digital-economy"], (query, ids)
    ids = _ids(_open(page, search_site, None, "鄉村振興"))
    assert ids[:2] == ["title-rural-revitalization", "body-rural-revitalization"], ids


@pytest.mark.browser
def test_short_spaced_and_unknown_words_fall_back_to_bigrams(search_site, page) -> None:
    assert _ids(_open(page, search_site, None, "桂鄂")) == ["oov-corridor"]  # inside a word the dictionary lacks
    assert _ids(_open(page, search_site, None, "渝")) == ["oov-corridor"]  # one character
    assert "oov-corridor" in _ids(_open(page, search_site, None, "物流 走廊"))  # with a space
    assert "phrase-once-green" in _ids(_open(page, search_site, None, "绿色 发展"))


@pytest.mark.browser
def test_reposts_are_one_result(search_site, page) -> None:
    results = _open(page, search_site, None, "夜间经济")
    ids = _ids(results)
    assert len(ids) == 1 and ids[0] in ("repost-original-night-market", "repost-copy-night-market"), ids
    assert "另有 1 篇转载" in results[0]["text"]


@pytest.mark.browser
def test_filters_and_shareable_url(search_site, page) -> None:
    ids = _ids(_open(page, search_site, None, "发展", "&year=2024"))
    assert ids and "phrase-split-green" in ids and "phrase-once-green" not in ids, ids
    value = page.eval_on_selector(
        "select[name=year]", "s => [...s.options].find(o => o.textContent.startsWith('2023')).value")
    page.select_option("select[name=year]", value=value)
    page.wait_for_function("() => location.search.includes('year=2023')")
    ids = _ids(_results(page))
    assert "phrase-once-green" in ids and "phrase-split-green" not in ids, ids
    assert "q=" in page.url and "year=2023" in page.url
    # the shared URL opens the same filtered search
    page.goto(page.url)
    assert _ids(_results(page)) == ids
    assert page.locator("select[name=year]").input_value() == value


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_header_box_result_opens_page_with_query_highlighted(search_site, page, via) -> None:
    traffic = Traffic().attach(page)
    with serve(search_site) as base:
        start = base if via == "http" else search_site.as_uri() + "/"
        page.goto(start + "index.html")
        page.keyboard.press("/")
        type_like_ime(page, "乡村振兴")
        page.wait_for_selector("ol.md-search-result__list[data-query='乡村振兴'] a.md-search-result__link")
        first = page.locator("ol.md-search-result__list li.sa-result").first
        assert "乡村振兴" in first.locator("mark").first.inner_text()
        assert re.search(r"\d{4}-\d{2}-\d{2}", first.inner_text())  # date shown
        first.locator("a").click()
        page.wait_for_url(re.compile(r"/speeches/title-rural-revitalization\.html\?q="))
        page.wait_for_selector("mark.sa-hit")
        assert page.locator("mark.sa-hit").count() >= 2
        assert traffic.page_errors == []
        assert traffic.leaving(base if via == "http" else None) == []


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_snippet_is_the_documents_own_text_unpacked(search_site, page, via) -> None:
    """Document text ships packed (search.pack_text); the snippet the browser shows must
    be a verbatim piece of the document's text, with the query marked."""
    from generator.publish.search import unpack_text
    from generator.publish.snippet_store import read_file

    with serve(search_site) as base:
        _open(page, search_site, base if via == "http" else None, "数字经济")
        snippet = page.locator("ol.sa-results li .sa-result__snippet").first
        marked = snippet.locator("mark").first.inner_text()
        shown = snippet.inner_text().strip().strip("…").strip()
    index = search_site / "searchindex"
    texts = []
    for f in sorted((index / "d").glob("*.js")):
        texts.append(unpack_text(read_file(f.read_text(encoding="utf-8"))["packed"]))
    assert marked in ("数字经济", "數字經濟")
    def bare(t: str) -> str:  # the snippet shows paragraph breaks as spaces
        return re.sub(r"\s+", "", t)

    assert len(shown) > 20 and any(bare(shown) in bare(t) for t in texts), shown


def test_packed_text_round_trips_and_is_smaller() -> None:
    from generator.publish.search import SYMBOLS, pack_text, text_table, unpack_text

    samples = ["坚持稳中求进工作总基调，推动高质量发展。\n全年地区生产总值增长6.5%。",
               '引号"反斜杠\\尖括号<script>和 ASCII words, tab\there',
               "繁體字：經濟發展、數字經濟", "罕见字𠀀𪚥与表情😀", ""]
    for s in samples:
        assert unpack_text(pack_text(s)) == s
        assert "<" not in pack_text(s).replace("<script>", "") or "<" in s
    prose = samples[0] * 20
    assert len(pack_text(prose).encode("utf-8")) < 0.75 * len(prose.encode("utf-8"))
    assert len(set(text_table())) == len(text_table())  # one code per character
    assert not set('"\\<') & set(SYMBOLS)


def test_build_index_reads_terms_without_taking_them_unless_asked(fixture_docs) -> None:
    docs = sorted(fixture_docs.documents, key=lambda d: d.id)
    terms = dict(fixture_docs.search_terms)
    a = build_index(docs, terms)
    assert terms == fixture_docs.search_terms
    assert build_index(docs, terms, consume=True) == a
    assert not any(d.id in terms for d in docs)  # the generate step frees them as it goes


# ---------------------------------------------------------------- search semantics (issue 18)
# tests/fixtures/search_semantics/: work reports written for these cases. A title that the
# text never repeats (2026年广东省政府工作报告), generic titles (政府工作报告), a phrase
# written whole, across a line break, in traditional script, and only in pieces
# (坚持 … 持稳 … 稳中 … 中求 … 求进), a municipality, national reports, one speaker
# written in both scripts and with a space.

SEMANTICS = ROOT / "tests" / "fixtures" / "search_semantics"


@pytest.fixture(scope="module")
def semantics_site(tmp_path_factory) -> Path:
    return _built_site(tmp_path_factory, "semantics", SEMANTICS)


@pytest.fixture(scope="module")
def corpus_lines(semantics_site) -> list[dict]:
    return published_corpus(semantics_site)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _holding(lines: list[dict], phrase: str) -> set[str]:
    """Documents whose title or (simplified) text contains the phrase, white space ignored."""
    return {d["id"] for d in lines if phrase in _flat(d["title"]) or phrase in _flat(d["text"])}


def _settled(page) -> tuple[str, list[dict]]:
    """Status and results once the page has finished checking phrases."""
    page.wait_for_function(
        "() => { const s = document.querySelector('.sa-status'); "
        "return s && /找到|没有|共 /.test(s.textContent) && !/正在/.test(s.textContent); }")
    status = page.inner_text(".sa-status")
    return status, page.eval_on_selector_all(
        "ol.sa-results li", "ls => ls.map(l => ({href: l.querySelector('a').href, text: l.innerText, "
                            "partial: l.classList.contains('sa-result--partial')}))")


def _visit(page, site: Path, base: str | None, query: str) -> tuple[str, list[dict]]:
    page.goto(f"{base or site.as_uri() + '/'}search.html?{query}")
    out = _settled(page)
    page.wait_for_load_state("networkidle")
    return out


def _q(**params: str) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_title_only_query_finds_its_document_first(semantics_site, corpus_lines, page, via) -> None:
    traffic = Traffic().attach(page)
    query = "广东省政府工作报告"
    assert not any(query in _flat(d["text"]) for d in corpus_lines)  # only titles have it
    with serve(semantics_site) as base:
        b = base if via == "http" else None
        status, results = _visit(page, semantics_site, b, _q(q=query))
        assert _ids(results) == ["2026-guangdong-title-only", "2024-guangdong"], (status, _ids(results))
        # the search page has one <h1>; results are not headings
        assert page.locator("h1").count() == 1
        assert page.locator("ol.sa-results h1, ol.sa-results h2").count() == 0
        assert traffic.page_errors == [] and traffic.failures == []
        assert traffic.leaving(base if via == "http" else None) == []


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_quoted_phrase_count_is_the_number_of_documents_holding_it(semantics_site, corpus_lines, page, via) -> None:
    with serve(semantics_site) as base:
        b = base if via == "http" else None
        for quoted in ("“坚持稳中求进”", '"坚持稳中求进"', "「堅持穩中求進」"):
            want = _holding(corpus_lines, "坚持稳中求进")
            assert len(want) >= 4 and "2026-shandong-generic-title" not in want
            status, results = _visit(page, semantics_site, b, _q(q=quoted))
            assert int(re.search(r"找到 (\d+) 篇", status).group(1)) == len(want), status
            assert set(_ids(results)) == want, (quoted, _ids(results))
            assert not any(r["partial"] for r in results)


@pytest.mark.browser
def test_unquoted_count_says_whole_phrase_and_words_only_apart(semantics_site, corpus_lines, page) -> None:
    whole = _holding(corpus_lines, "坚持稳中求进")
    pieces = {d["id"] for d in corpus_lines
              if all(b in _flat(d["title"] + d["text"]) for b in ("坚持", "持稳", "稳中", "中求", "求进"))} - whole
    assert pieces == {"2026-shandong-generic-title"}
    status, results = _visit(page, semantics_site, None, _q(q="坚持稳中求进"))
    m = re.search(r"找到 (\d+) 篇.*另有 (\d+) 篇只含", status)
    assert m and (int(m.group(1)), int(m.group(2))) == (len(whole), len(pieces)), status
    ids = _ids(results)
    assert set(ids[: len(whole)]) == whole and ids[len(whole):] == sorted(pieces), ids
    assert [r["partial"] for r in results] == [False] * len(whole) + [True] * len(pieces)
    assert "部分匹配" in results[-1]["text"]


def _matching(lines: list[dict], year: tuple[int, int] | None = None, place: str | None = None,
              phrase: str | None = None) -> list[str]:
    """Oracle from corpus.jsonl.gz: documents by date year, place name and phrase."""
    out = []
    for d in lines:
        meta = {k: v["value"] for k, v in d["metadata"].items()}
        y = int(str(meta["date"])[:4]) if meta.get("date") else None
        p = meta.get("place") or {}
        names = ["全国"] if p.get("scope") == "全国" and not p.get("province") else \
            [p[k] for k in ("province", "city", "county") if p.get(k)]
        if year and not (y and year[0] <= y <= year[1]):
            continue
        if place and place not in names:
            continue
        if phrase and phrase not in _flat(d["title"]) and phrase not in _flat(d["text"]):
            continue
        out.append(d["id"])
    return out


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_filters_alone_and_combined_return_exactly_the_matching_documents(semantics_site, corpus_lines, page, via) -> None:
    with serve(semantics_site) as base:
        b = base if via == "http" else None
        cases = [
            (_q(place="广东省"), dict(place="广东省")),
            (_q(q="政府工作报告", place="广东省", year="2026"), dict(place="广东省", year=(2026, 2026), phrase="政府工作报告")),
            (_q(year="2015-2019"), dict(year=(2015, 2019))),
            (_q(place="全国"), dict(place="全国")),
            (_q(place="北京市"), dict(place="北京市")),
            (_q(q="政府工作报告", year="2016-2025", sort="date"), dict(year=(2016, 2025), phrase="政府工作报告")),
        ]
        for query, oracle in cases:
            want = _matching(corpus_lines, **oracle)
            assert want, query
            status, results = _visit(page, semantics_site, b, query)
            assert sorted(_ids(results)) == sorted(want), (query, status, _ids(results))
        # filter-only browsing and sort=date list the newest first
        dates = {d["id"]: d["metadata"]["date"]["value"] for d in corpus_lines}
        for query in (_q(year="2015-2019"), _q(q="政府工作报告", sort="date")):
            ids = _ids(_visit(page, semantics_site, b, query)[1])
            assert [dates[i] for i in ids] == sorted((dates[i] for i in ids), reverse=True), (query, ids)
        assert page.locator("select[name=sort]").input_value() == "date"


@pytest.mark.browser
def test_speaker_filter_unifies_scripts_and_spacing(semantics_site, page) -> None:
    for value in ("赵国强", "趙國強", "趙 國強"):
        status, results = _visit(page, semantics_site, None, _q(speaker=value))
        assert sorted(_ids(results)) == ["2017-national-traditional", "2019-national-simplified"], (value, status)
    # the speaker index lists both under one name, with the sources' spellings as evidence
    html = (semantics_site / "archive" / "speakers.html").read_text(encoding="utf-8")
    assert html.count(">赵国强<") == 1 and "趙 國強" in html


@pytest.mark.browser
def test_unknown_filters_are_said_on_the_page_not_dropped(semantics_site, page) -> None:
    status, results = _visit(page, semantics_site, None, _q(q="政府工作报告", speaker="李强", colour="red"))
    notes = page.inner_text(".sa-notes")
    assert "colour=red" in notes and "本页不认识" in notes, notes
    assert "李强" in notes and results == [], (notes, status)
    # the unknown key stays in the URL when another filter changes
    page.select_option("select[name=speaker]", value="")
    page.wait_for_function("() => !location.search.includes('speaker=')")
    assert "colour=red" in page.url
    assert sorted(_ids(_settled(page)[1])) == sorted(
        d.stem.replace("_", "-") for d in SEMANTICS.glob("*.txt"))


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_header_box_has_the_same_semantics(semantics_site, page, via) -> None:
    with serve(semantics_site) as base:
        start = base if via == "http" else semantics_site.as_uri() + "/"
        page.goto(start + "index.html")
        page.keyboard.press("/")
        query = "广东省政府工作报告"
        type_like_ime(page, query)
        sel = f"ol.md-search-result__list[data-query='{query}'] li.sa-result a"
        page.wait_for_selector(sel)
        ids = [re.search(r"/speeches/([^/?]+)\.html", h).group(1)
               for h in page.eval_on_selector_all(sel, "as => as.map(a => a.href)")]
        assert ids == ["2026-guangdong-title-only", "2024-guangdong"], ids
        assert page.locator(".md-search-result h1").count() == 0


@pytest.mark.browser
def test_lists_show_date_place_and_speaker_beside_the_title(semantics_site) -> None:
    """Three documents are titled just 政府工作报告: every list tells them apart."""
    for name in ("index", "years", "places", "genres"):
        html = unescape((semantics_site / "archive" / f"{name}.html").read_text(encoding="utf-8"))
        for facts in ("2019-03-05", "全国", "赵国强", "山东省", "岳明川", "北京市", "湖南省岳阳市平江县"):
            assert facts in html, (name, facts)
        assert "北京市北京市" not in html
    places = (semantics_site / "archive" / "places.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h[2-4][^>]*>([^<]*)</h[2-4]>", places)
    assert headings.count("北京市") == 1, f"a municipality is one heading, not province and city: {headings}"
    home = unescape((semantics_site / "index.html").read_text(encoding="utf-8"))
    assert "· 全国 · 赵国强" in home and "· 山东省 · 岳明川" in home, "the home page's newest list"
    # 赵国强 and 趙 國強 are one speaker: 5 people speak in these 7 reports
    assert "<strong>5</strong> 位讲话人" in home
    page = unescape((semantics_site / "archive" / "speeches" / "2019-national-simplified.html").read_text(
        encoding="utf-8"))
    similar = re.split(r"<h2[^>]*>相似讲话</h2>", page)[1].split("</ul>", 1)[0]
    assert "2017-03-05 · 全国 · 赵国强" in similar or "2026-02-03 · 山东省 · 岳明川" in similar, similar


@pytest.mark.browser
def test_unchecked_documents_are_said_and_checked_when_asked(semantics_site, corpus_lines, page) -> None:
    """Past the automatic budget (set to nothing here; 500 KB of document text on a real
    site) the count says how many are unchecked, and the button settles them exactly."""
    page.add_init_script("window.SearchArchiveConfig = {autoCheckBytes: 0, pageSize: 2}")
    whole = _holding(corpus_lines, "坚持稳中求进")
    status, results = _visit(page, semantics_site, None, _q(q="坚持稳中求进"))
    assert "尚未核对" in status and page.locator(".sa-verify-button").is_visible(), status
    page.click(".sa-verify-button")
    page.wait_for_function("() => !/尚未核对|正在/.test(document.querySelector('.sa-status').textContent)")
    status, results = _settled(page)
    m = re.search(r"找到 (\d+) 篇.*另有 (\d+) 篇只含", status)
    assert m and (int(m.group(1)), int(m.group(2))) == (len(whole), 1), status
    page.wait_for_selector(".sa-verify-button", state="hidden")  # gone once every document is checked
    assert len(results) == 2 and set(_ids(results)) <= whole


# tests/fixtures/search_phrase_budget/: six long reports holding 坚持稳中求进 once each, and six
# short speeches holding every bigram of it (坚持, 持稳, 稳中, 中求, 求进) and the word 稳中求进
# several times but never the whole phrase, so that they rank above those that do.
PHRASE_BUDGET = ROOT / "tests" / "fixtures" / "search_phrase_budget"


@pytest.fixture(scope="module")
def budget_site(tmp_path_factory) -> Path:
    return _built_site(tmp_path_factory, "phrase_budget", PHRASE_BUDGET)


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_quoted_phrase_loads_no_more_than_its_budget(budget_site, page, via) -> None:
    """A quoted phrase checks documents' text only within its budget (quotedCheckBytes, 400 KB
    of index data on a real site), filling the first page included: where its holders rank
    low, the first page used to check candidates until it had a page of holders. With no
    budget left after the query's own files, the page
    checks the first batch alone (pageSize), shows only documents found to hold the phrase,
    says how many are unchecked, and checks them when asked."""
    page.add_init_script("window.SearchArchiveConfig = {quotedCheckBytes: 0, pageSize: 2}")
    traffic = Traffic().attach(page)
    whole = _holding(published_corpus(budget_site), "坚持稳中求进")
    assert len(whole) == 6
    with serve(budget_site) as base:
        b = base if via == "http" else None
        status, results = _visit(page, budget_site, b, _q(q="“坚持稳中求进”"))
        texts = sorted(f for f in index_files(traffic) if f.startswith("d/"))
        assert 1 <= len(texts) <= 2, texts  # the first batch only, not every candidate
        assert "尚未核对" in status and page.locator(".sa-verify-button").is_visible(), status
        assert set(_ids(results)) <= whole and not any(r["partial"] for r in results), results
        page.click(".sa-verify-button")
        page.wait_for_function("() => !/尚未核对|正在/.test(document.querySelector('.sa-status').textContent)")
        status, results = _settled(page)
        assert int(re.search(r"找到 (\d+) 篇", status).group(1)) == len(whole), status
        assert len(results) == 2 and set(_ids(results)) <= whole, results
        assert traffic.page_errors == [] and traffic.failures == []


@pytest.mark.browser
@pytest.mark.parametrize("via", ["http", "file"])
def test_deflated_texts_count_toward_a_querys_budget(budget_site, page, via) -> None:
    """Every index file a query loads counts toward its budget, the texts whose records are
    deflated (inflate.js hands search.js a promise of them) included. They counted as
    nothing: a quoted phrase whose postings left room in its budget then checked every
    candidate's text (34–37 MB at 100,000 synthetic documents with dense postings, 8.7 MB
    at 3,000 without). Here each deflated text the page loads adds its weight to the count."""
    deflated = sorted(p for p in (budget_site / INDEX_DIR / "d").glob("*.js")
                      if "SearchArchiveText.inflate(" in p.read_text(encoding="utf-8"))
    assert len(deflated) >= 6, deflated  # the six long reports at least
    traffic = Traffic().attach(page)
    with serve(budget_site) as base:
        start = base if via == "http" else budget_site.as_uri() + "/"
        page.goto(f"{start}search.html")
        page.wait_for_function("() => window.SearchArchive && SearchArchive.counted")
        counted = page.evaluate(
            "async (ns) => { const out = []; for (const n of ns) { const before = SearchArchive.counted(); "
            "await SearchArchive.load('d', n); out.push(SearchArchive.counted() - before); } return out; }",
            [int(p.stem) for p in deflated])
        assert traffic.page_errors == [] and traffic.failures == []
    # a record counts about its file's length in characters, without the calls around it
    for p, n in zip(deflated, counted, strict=True):
        chars = len(p.read_text(encoding="utf-8")) - 60
        assert n >= 0.8 * chars, (p.name, n, chars)
