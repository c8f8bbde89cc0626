"""Search at 100,000 documents: the index stage's memory and time, and what a query costs
in Chromium, without running the whole generator on 100,000 sources (hours here).

    python -m generator.tools.bench_search100k --docs 10000 30000 100000 --browser 100000

1. `make`: synthetic documents the way bench.synthetic_corpus makes them (8–30 real
   paragraphs of the corpus, recombined), with the metadata a real archive has: a year
   (recent years more often, some unknown), a place from the gazetteer at county, city or
   province level (some national, some unknown), speakers from a pool of names, a meeting
   type, a genre, a title built from them, and reposts (a few documents repeat an earlier
   one). Each document's index part (search.compact_terms: its terms and its d/ record) is
   computed as the pipeline's workers compute it and stored in batches on disk, as the
   document cache holds it; the documents' metadata apart.
2. `index`: the real index stage (search.write_search_index) over those parts, streamed
   from disk, in a child process: its peak RSS (ru_maxrss) and CPU seconds.
3. `site` + browser: the real site built from a few documents by the generator, its
   search index replaced by the large one; then bench.browser_search over http and
   file:// for the QUERIES below (first results, every byte the page loaded, and those
   bytes by kind of file: `by_kind`, see `kinds`).
   With --dense-shards, the s/ files the queries load are first written again with dense
   postings (search_dense, the build's rule, dense_min=DENSE_MIN_CHARS) in the site's copy
   of the index and the queries measured again in the same run: what the build's dense
   postings load, measured on an index made without them (--dense-min -1, or an index of
   format 6) without making it again (an hour at 100,000 documents); the postings
   themselves are the same.

Everything is deterministic (seeded); nothing of the development corpus is copied.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from generator.model import Document, Duplicate, Field
from generator.publish.search_dense import DENSE_MIN_CHARS

ROOT = Path(__file__).resolve().parent.parent.parent
BATCH = 1000  # documents per stored batch of index parts
# what a reader types: a common term, a rare one, two terms, a quoted phrase, a title word,
# filters alone, a term with a filter, a query sorted by date
QUERIES = [
    "经济",
    "高质量发展",
    "招商引资项目",
    "营商环境 改革",
    "“坚持稳中求进”",
    "工作报告",
    "?year=2020&place=广东省",
    "?place=浙江省",
    "?q=乡村振兴&year=2019-2021",
    "?q=经济&sort=date",
]
TOPICS = ["经济工作", "招商引资", "优化营商环境", "乡村振兴", "安全生产", "生态环境保护", "城市建设",
          "民生实事", "党风廉政建设", "科技创新", "农业农村工作", "项目建设", "文化旅游", "教育工作",
          "防汛抗旱", "疫情防控", "财政工作", "人才工作", "数字经济", "国企改革"]
MEETINGS = ["全体会议", "常务会议", "工作会议", "动员大会", "推进会", "座谈会", "专题会议", "表彰大会"]
GENRES = ["工作报告", "讲话稿", "会议报道", "范文", "公报决议"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "国建明华军平志红伟新文海东亚林春晓立永德金勇光宏强秋云庆俊峰磊斌辉敏鹏"


def _pool(corpus: Path | None) -> tuple[list[str], list[list[str]]]:
    """The corpus's paragraphs (as bench.synthetic_corpus takes them) and their tokens,
    segmented once: a synthetic document's tokens are its paragraphs' tokens."""
    from generator.annotate.segment import cut
    from generator.pipeline import collect

    paras = [p for d in collect(ROOT, progress=False, corpus=corpus).documents
             for p in (d.simplified or d.paragraphs) if len(p) > 40]
    return paras, [cut(p) for p in paras]


def _places() -> list[dict[str, str]]:
    """Every division of the gazetteer as a place record (province, city, county)."""
    from generator.annotate import gazetteer

    out = []
    for _code, div in sorted(gazetteer._index().divisions.items()):
        out.append({k: v for k, v in (("province", div.province), ("city", div.city), ("county", div.county)) if v})
    return out


def documents(n: int, corpus: Path | None = None, seed: int = 11) -> Iterator[Document]:
    """n synthetic documents with realistic metadata (see the module docstring)."""
    rng = random.Random(seed)
    paras, tokens = _pool(corpus)
    places = _places()
    speakers = [rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
                for _ in range(max(50, n // 8))]
    plans: list[tuple[list[int], int | None]] = []
    for i in range(n):
        if i > 10 and rng.random() < 0.03:  # a repost of an earlier document
            j = rng.randrange(i)
            plans.append((plans[j][0], plans[j][1] if plans[j][1] is not None else j))
        else:
            plans.append((rng.sample(range(len(paras)), k=min(len(paras), rng.randint(8, 30))), None))
    reposted: dict[int, list[int]] = {}
    for i, (_p, of) in enumerate(plans):
        if of is not None:
            reposted.setdefault(of, []).append(i)
    for i, (idx, of) in enumerate(plans):
        meta: dict[str, Field] = {}
        r = rng.random()
        year = None
        if r < 0.9:
            year = min(2025, 2000 + int(26 * rng.random() ** 0.6))
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            date = f"{year}-{month:02d}-{day:02d}" if r < 0.7 else f"{year}-{month:02d}" if r < 0.8 else f"{year}"
            meta["date"] = Field(date, "inferred")
        r = rng.random()
        place: dict[str, str] = {}
        if r < 0.02:
            place = {"scope": "全国"}
        elif r < 0.97:
            p = dict(rng.choice(places))
            if r > 0.5 and "county" in p:
                p.pop("county")
            if r > 0.85:
                p = {"province": p["province"]}
            place = p
        if place:
            meta["place"] = Field(place, "inferred")
        names = rng.sample(speakers, k=rng.choice((0, 1, 1, 1, 2)))
        if names:
            meta["speakers"] = Field([{"name": s} for s in names], "inferred")
        meeting = rng.choice(MEETINGS)
        if rng.random() < 0.6:
            meta["meeting_type"] = Field(meeting, "inferred")
        genre = rng.choice(GENRES)
        if rng.random() < 0.8:
            meta["genre"] = Field(genre, "inferred")
        where = place.get("county") or place.get("city") or place.get("province") or ""
        topic = rng.choice(TOPICS)
        title = (f"{where}{year or ''}{'年' if year else ''}政府工作报告" if genre == "工作报告" else
                 f"在{where}{topic}{meeting}上的讲话" if genre == "讲话稿" else f"{where}召开{topic}{meeting}")
        meta["title"] = Field(title, "inferred")
        dups = [Duplicate(f"syn-{j:06d}", 0.9) for j in ([of] if of is not None else reposted.get(i, []))]
        toks = [t for k in idx for t in tokens[k]]
        yield Document(id=f"syn-{i:06d}", file_id=f"syn-{i:06d}", part=None, parts_total=1,
                       source_path=f"syn/{i:06d}.txt", sha256="", encoding="utf-8", body_format="text",
                       paragraphs=[paras[k] for k in idx], meta=meta, tokens=toks, duplicates=dups)


def _light(d: Document) -> Document:
    """The document without its text and tokens: what the index stage reads of a
    document besides its cached index part."""
    return Document(id=d.id, file_id=d.file_id, part=d.part, parts_total=d.parts_total, source_path=d.source_path,
                    sha256=d.sha256, encoding=d.encoding, body_format=d.body_format, paragraphs=[], meta=d.meta,
                    duplicates=d.duplicates)


def make(store: Path, n: int, share: int = 0, shares: int = 1, corpus: Path | None = None) -> None:
    """Write the documents' metadata (docs.pickle, by share 0) and the index parts of the
    batches k with k % shares == share (parts-<k>.pickle), as the pipeline's workers would
    leave them in the cache. Every share draws the same documents (one seeded sequence)."""
    from generator.publish.search import compact_terms

    store.mkdir(parents=True, exist_ok=True)
    light, batch = [], {}
    for i, d in enumerate(documents(n, corpus)):
        if share == 0:
            light.append(_light(d))
        if (i // BATCH) % shares != share:
            continue
        batch[d.id] = compact_terms(d)
        if len(batch) == BATCH or i == n - 1:
            with (store / f"parts-{i // BATCH}.pickle").open("wb") as fh:
                pickle.dump(batch, fh, protocol=pickle.HIGHEST_PROTOCOL)
            batch = {}
    if share == 0:
        with (store / "docs.pickle").open("wb") as fh:
            pickle.dump(light, fh, protocol=pickle.HIGHEST_PROTOCOL)


class StoredParts:
    """The index parts on disk as a mapping the index stage pops from, one batch in
    memory at a time (documents are read in id order, which is the batches' order)."""

    def __init__(self, store: Path) -> None:
        self.store, self.batch, self.k = store, {}, -1

    def _load(self, doc_id: str):
        k = int(doc_id.rsplit("-", 1)[1]) // BATCH
        if k != self.k:
            with (self.store / f"parts-{k}.pickle").open("rb") as fh:
                self.batch, self.k = pickle.load(fh), k
        return self.batch

    def get(self, doc_id: str, default=None):
        return self._load(doc_id).get(doc_id, default)

    def pop(self, doc_id: str, default=None):
        return self._load(doc_id).pop(doc_id, default)


def split_docs(store: Path) -> None:
    """docs.pickle in batches (docs-<k>.pickle), so that the index stage of a smaller size
    reads only its own documents' metadata and its peak memory is its own."""
    if (store / "docs-0.pickle").exists():
        return
    with (store / "docs.pickle").open("rb") as fh:
        docs = pickle.load(fh)
    for k in range(0, len(docs), BATCH):
        with (store / f"docs-{k // BATCH}.pickle").open("wb") as fh:
            pickle.dump(docs[k : k + BATCH], fh, protocol=pickle.HIGHEST_PROTOCOL)


def stored_docs(store: Path, n: int) -> list[Document]:
    """The first n documents of a store (a store of more documents serves smaller sizes:
    its first n documents are an archive of their own, reposts of later ones left out)."""
    docs: list[Document] = []
    for k in range(-(-n // BATCH)):
        with (store / f"docs-{k}.pickle").open("rb") as fh:
            docs.extend(pickle.load(fh))
    docs = docs[:n]
    ids = {d.id for d in docs}
    for d in docs:
        d.duplicates = [x for x in d.duplicates if x.id in ids]
    return docs


def index(store: Path, dest: Path, n: int, dense_min: int | None = DENSE_MIN_CHARS) -> dict[str, float]:
    """The real index stage over the stored parts; its peak RSS and CPU seconds.
    `dense_min`: write_search_index's (None: no dense postings)."""
    from generator.publish.output import Output
    from generator.publish.search import write_search_index

    docs = stored_docs(store, n)
    t, cpu = time.perf_counter(), time.process_time()
    dest.mkdir(parents=True, exist_ok=True)
    out = Output(dest, owned=("searchindex",))
    sizes = write_search_index(docs, dest, out, StoredParts(store), consume=True,  # type: ignore[arg-type]
                               dense_min=dense_min)
    return {"docs": len(docs), "seconds": round(time.perf_counter() - t, 1), "cpu": round(time.process_time() - cpu, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            **{f"bytes_{k}": v for k, v in sizes.items()}}


def site(work: Path, index_docs: Path) -> Path:
    """The real site of a few documents, built by the generator, with its search index
    replaced by the large one (result links beyond those few documents do not resolve;
    what is measured is the search page: time to first results and bytes loaded)."""
    from generator.tools.bench import synthetic_corpus

    proj = work / "proj"
    if not (proj / "site" / "search.html").exists():
        shutil.rmtree(proj, ignore_errors=True)
        proj.mkdir(parents=True)
        synthetic_corpus(ROOT, proj / "corpus", 12)
        shutil.copytree(ROOT / "docs", proj / "docs", ignore=shutil.ignore_patterns("archive", "data", "searchindex"))
        shutil.copytree(ROOT / "overrides", proj / "overrides")
        shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        subprocess.run([sys.executable, "-m", "generator", "--root", str(proj), "build"], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)
    for asset in ("search.js", "search.css"):  # the client as it is now, not as the site was built
        shutil.copy(ROOT / "docs" / "assets" / asset, proj / "site" / "assets" / asset)
    target = proj / "site" / "searchindex"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(index_docs / "searchindex", target, copy_function=os.link)
    return proj / "site"


def kinds(files: dict[str, int]) -> dict[str, list[int]]:
    """A page's loaded files (path under the site → bytes) by kind: "page" (the page, the
    theme's and the archive's CSS and scripts), and in searchindex/ "s" (posting shards),
    "d" (documents' records), "m/q", "m/l", "m/lf", "m/t", … (metadata chunks by the
    letters before their number), "m/n", "m/place", … (names, facet lists), and the single
    files by name ("meta.js", "t2s.js", "dt.js"): {kind: [files, bytes]}."""
    import re

    out: dict[str, list[int]] = {}
    for rel, size in files.items():
        parts = rel.split("/")
        if parts[0] != "searchindex":
            kind = "page"
        elif len(parts) == 2:
            kind = parts[1]
        elif parts[1] == "m":
            kind = "m/" + re.split(r"[-\d]", parts[2], maxsplit=1)[0]
        else:
            kind = parts[1]
        k = out.setdefault(kind, [0, 0])
        k[0] += 1
        k[1] += size
    return dict(sorted(out.items()))


def densify_shard(text: str, min_chars: int | None = None) -> str:
    """An s/<k>.js file written with varint postings → the same file with the dense form
    (search_dense) of each term the build writes dense with dense_min = min_chars
    (default DENSE_MIN_CHARS): the postings decoded and encoded again, nothing else changed."""
    import numpy as np

    from generator.publish.search import CALLBACK, decode_varints, script_file
    from generator.publish.search_dense import dense_form, is_dense

    head, _, rest = text.partition(",")
    key, _, body = rest.partition(",")
    if not head.startswith(CALLBACK + '("s"'):
        raise ValueError("not a shard file")
    data = json.loads(body[: body.rindex(")")])
    out = {}
    for term, enc in data.items():
        if enc[:1] not in ("!", "~"):
            vals = np.array(decode_varints(enc), dtype=np.int64)
            docs = np.cumsum(vals // 8 + 1) - 1
            if len(docs) and is_dense(len(docs), int(docs[-1]) + 1, len(enc),
                                      DENSE_MIN_CHARS if min_chars is None else min_chars):
                enc = dense_form(docs, vals % 8)
        out[term] = enc
    return script_file("s", json.loads(key), out)


def dense_shards(site_dir: Path, rels: set[str], min_chars: int | None = None) -> None:
    """Write these s/ files of a site's index (paths under the site) again with dense
    postings (densify_shard). The site's index is hard links to the large index (`site`):
    each file is unlinked before it is written, so the large index is never changed. An
    index of an earlier format (6: written before the build wrote dense postings, none in
    it) gets this format's number in its meta.js, so the page reads the "~" forms written."""
    from generator.publish.search import FORMAT, script_file

    meta_path = site_dir / "searchindex" / "meta.js"
    meta = json.loads(meta_path.read_text(encoding="utf-8").split(",", 2)[2].rsplit(")", 1)[0])
    if meta["format"] < FORMAT:
        if meta["format"] < 6:
            raise ValueError(f"an index of format {meta['format']}: make it again")
        meta["format"] = FORMAT
        meta_path.unlink()
        meta_path.write_text(script_file("meta", 0, meta), encoding="utf-8")
    for rel in sorted(rels):
        path = site_dir / rel
        if not rel.startswith("searchindex/s/") or not path.is_file():
            raise ValueError(f"{rel}: not a shard of the site's index")
        text = densify_shard(path.read_text(encoding="utf-8"), min_chars)
        path.unlink()
        path.write_text(text, encoding="utf-8")


def table(rows: list[dict]) -> str:
    """The JSON lines of a run as BENCHMARKS.md's Markdown tables."""
    out = ["| documents | wall s | CPU s | peak RSS | s/ | d/ | m/ | load |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in (r for r in rows if r["kind"] == "index"):
        out.append(f"| {r['docs']:,} | {r['seconds']} | {r['cpu']} | {r['peak_rss_mb']} MB | "
                   f"{r.get('bytes_s', 0) / 1e6:.0f} MB | {r.get('bytes_d', 0) / 1e6:.0f} MB | "
                   f"{r.get('bytes_m', 0) / 1e6:.1f} MB | {r['load']:.1f} |")
    out += ["", "| documents | query | via | first results | loaded (of which index) | longest block | results | load |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in (r for r in rows if r["kind"] == "browser"):
        first = f"{r['first_ms']:.0f} ms" if r["first_ms"] is not None else "none"
        via = r["via"] + (", dense s/" if r.get("dense_shards") else "")
        out.append(f"| {r['docs']:,} | {('`' + r['query'] + '`') if r['query'] else '(page alone)'} | {via} | "
                   f"{first} | {r['kb']} KB ({r['index_kb']} KB) | {r['longest_ms']:.0f} ms | {r['results']} | "
                   f"{r['load']:.1f} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    ap.add_argument("--browser", type=int, nargs="*", default=[], help="sizes to measure in Chromium")
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-search100k"))
    ap.add_argument("--stage", choices=["make", "index"], help=argparse.SUPPRESS)  # the child processes
    ap.add_argument("--json", type=Path, help="append the results here, one JSON line each")
    ap.add_argument("--share", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--store", type=Path, help="a store of at least as many documents (made by an earlier run)")
    ap.add_argument("--no-index", action="store_true", help="measure the indexes already built")
    ap.add_argument("--table", type=Path, help="print the tables of a --json file and stop")
    ap.add_argument("--dense-shards", action="store_true",
                    help="measure the browser with the queries' shards written dense (see the module docstring)")
    ap.add_argument("--dense-min", type=int, default=DENSE_MIN_CHARS,
                    help="write dense postings longer than this (search_dense; default: the build's; -1: none)")
    args = ap.parse_args(argv)
    if args.table:
        print(table([json.loads(line) for line in args.table.read_text().splitlines() if line.strip()]))
        return
    if args.stage:
        n = args.docs[0]
        if args.stage == "make":
            make(args.work / f"store-{n}", n, args.share, os.cpu_count() or 1)
        else:
            print(json.dumps(index(args.store, args.work / f"index-{n}", n,
                                   None if args.dense_min < 0 else args.dense_min)))
        return
    biggest = args.store or args.work / f"store-{max(args.docs)}"
    for n in sorted(args.docs, reverse=True):
        store = biggest  # one store of the largest size; smaller sizes are its first documents
        if not (store / "docs.pickle").exists():  # one process per core, as the pipeline's workers
            procs = [subprocess.Popen([sys.executable, "-m", "generator.tools.bench_search100k", "--stage", "make",
                                       "--docs", str(max(args.docs)), "--work", str(args.work), "--share", str(k)])
                     for k in range(os.cpu_count() or 1)]
            if any(p.wait() for p in procs):
                raise SystemExit(f"making {n} documents failed")
        if args.no_index:
            continue
        subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                        "from generator.tools.bench_search100k import split_docs; split_docs(Path(sys.argv[1]))",
                        str(store)], check=True)  # in a process of its own: it reads every document
        shutil.rmtree(args.work / f"index-{n}", ignore_errors=True)
        dense = ["--dense-min", str(args.dense_min)]
        out = subprocess.run([sys.executable, "-m", "generator.tools.bench_search100k", "--stage", "index",
                              "--docs", str(n), "--work", str(args.work), "--store", str(store), *dense],
                             check=True, capture_output=True, text=True)
        res = json.loads(out.stdout.strip().splitlines()[-1])
        res["load"] = os.getloadavg()[0]
        print("index", json.dumps(res), flush=True)
        if args.json:
            with args.json.open("a") as fh:
                fh.write(json.dumps({"kind": "index", **res}) + "\n")
    for n in args.browser:
        for row in browser_rows(site(args.work, args.work / f"index-{n}"), n, args.dense_shards):
            print(json.dumps(row, ensure_ascii=False), flush=True)
            if args.json:
                with args.json.open("a") as fh:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def browser_rows(site_dir: Path, n: int, dense: bool = False, queries: list[str] | None = None,
                 min_chars: int | None = None) -> Iterator[dict]:
    """bench.browser_search of QUERIES on a site (`site`) as JSON rows; with `dense`, then
    the shards those queries loaded written dense (dense_shards) and the same queries
    again, in the same run: rows with "dense_shards" false, then true. "load" is the
    higher of the load averages before and after the pass. `queries`: QUERIES unless
    given; `min_chars`: dense_shards' (the tests write a small index's terms dense)."""
    from generator.tools.bench import browser_search

    load = os.getloadavg()[0]
    queries = QUERIES if queries is None else queries
    runs = browser_search(site_dir, queries, settled=True)
    passes = [(False, runs, max(load, os.getloadavg()[0]))]
    if dense:
        dense_shards(site_dir, {f for rs in runs.values() for r in rs for f in r.files if f.startswith("searchindex/s/")},
                     min_chars)
        load = os.getloadavg()[0]
        passes.append((True, browser_search(site_dir, queries, settled=True), max(load, os.getloadavg()[0])))
    shown = {(mode, r.query): r.shown for mode, rs in runs.items() for r in rs}  # as the index was written
    for is_dense, runs, load in passes:
        for mode, rs in runs.items():
            for r in rs:
                yield {"kind": "browser", "docs": n, "via": mode, "query": r.query, "first_ms": r.first_results_ms,
                       "kb": round(r.bytes_loaded / 1000), "index_kb": round(r.index_bytes_loaded / 1000),
                       "longest_ms": r.longest_block_ms, "results": r.results, "load": load,
                       "by_kind": kinds(r.files), "dense_shards": is_dense, "shown": r.shown,
                       # with dense shards: the same results in the same order as without
                       "same_results": r.shown == shown[(mode, r.query)]}


if __name__ == "__main__":
    main()
