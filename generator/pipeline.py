"""The whole run: read every source, clean, annotate, link, write.

The per-document stages (read, clean, annotate, segment) run for each source file in a
process pool, each source's result cached by content hash plus generator version. Links
and keywords need the whole archive, so they run once every document is in. A broken source is reported with its path (and line) and
skipped; the rest of the archive still builds.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import sys
import time
import traceback
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from generator import beside, cache_pack
from generator.annotate import annotate, annotate_siblings, load_sites
from generator.annotate.segment import cut
from generator.clean import clean
from generator.cluster import cluster_address, executor
from generator.docstore import DocumentStore, Spill, TextSpill, store_texts
from generator.link import LinkPrep, prepare
from generator.link.distinctive import distinctive_terms
from generator.link.epoch_state import link_with_state
from generator.link.reuse import find_reuse
from generator.link.shards import TermCounts
from generator.link.trends_counts import DocCounts, doc_counts
from generator.model import Document, SourceError
from generator.publish.output import Output
from generator.publish.reuse_pages import top_terms
from generator.publish.search import DocTerms, compact_terms
from generator.publish.trends_out import write_trends
from generator.publish.write import write_all
from generator.read import assign_file_ids, read
from generator.read.entries import Listing, list_corpus, read_source_bytes
from generator.read.jekyll import titled, unpublished_reason
from generator.report import FileStatus, Report, write_report
from generator.runtime import default_workers, generator_version

# A file with fewer Han characters and letters than this is not a speech (an empty
# file, a stray line, a saved error page); it is reported and never becomes a page.
MIN_CHARS = 20
# Han characters and letters, counted as the length of what is left without the rest
_NOT_CONTENT = re.compile(r"[^A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def content_chars(text: str) -> int:
    """How many Han characters and letters `text` holds."""
    return len(_NOT_CONTENT.sub("", text))



def _progress(done: int, total: int, label: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\x1b[K[{done}/{total}] {label[:70]}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def too_short(text: str, size: int, titled: bool = False) -> str | None:
    """Why a decoded body (of a file of `size` bytes) must not become a page, or None.
    A source its author titled (front matter, a Jekyll post's name) needs only some text."""
    if size == 0:
        return "not published: the file is empty"
    if not text.strip():
        return "not published: the file holds only whitespace"
    n = content_chars(text)
    if titled and n == 0:
        return "not published: it has a title but no Han characters or letters in its text"
    if n < MIN_CHARS and not titled:
        return f"not published: too short ({n} Han characters or letters; a document needs at least {MIN_CHARS})"
    return None


@dataclass
class SourceResult:
    """What the per-document stages made of one source file: its documents, or the
    errors that name the file. Returned by the worker so no error is lost in the pool."""

    rel: str
    status: FileStatus
    documents: list[Document] = field(default_factory=list)
    # per document id: its search-index terms and length (search.doc_terms), computed
    # here so the index build only merges them
    search_terms: dict[str, DocTerms] = field(default_factory=dict)
    link_prep: dict[str, LinkPrep] = field(default_factory=dict)
    # per document id: its character and pair counts for the trends stage, made here
    trend_counts: dict[str, DocCounts] = field(default_factory=dict)
    # per document id: its terms for the comparison view (reuse_pages.top_terms), a pure
    # function of its counts, so made here and cached rather than by every build
    compare_terms: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _sites() -> dict[str, str]:
    return load_sites()


def process_source(path: Path, corpus: Path, file_id: str, segment: bool) -> SourceResult:
    """read → clean → annotate (→ segment) for one source file.

    A top-level function of plain arguments, so it runs the same in this process or in
    a spawned worker. Never raises: whatever goes wrong is the file's status (skipped,
    with the reason and line), returned with its path, and the rest of the archive builds.
    """
    from generator.annotate.annotations import apply_annotations

    rel = path.relative_to(corpus).as_posix()
    status = FileStatus(rel, "built")
    out = SourceResult(rel, status)
    try:
        raw = read(path, corpus)
        raw.file_id = file_id
        why = unpublished_reason(rel, raw.front_matter) or too_short(raw.text, raw.size, titled(raw))
        if why:
            status.status, status.reason = "skipped", why
            status.warnings = list(raw.warnings)
            return out
        docs = clean(raw)
        left = sum(content_chars(p) for d in docs for p in d.paragraphs)
        if left < (1 if titled(raw) else MIN_CHARS):
            removed = sum(len(d.removals) for d in docs[:1])
            status.status = "skipped"
            status.reason = (f"not published: only {left} Han characters or letters left after cleaning "
                             f"removed {removed} line(s) of page chrome or boilerplate")
            status.warnings = list(raw.warnings)
            return out
        for d in docs:
            annotate(d, raw, _sites())
        try:
            annotate_siblings(docs)
        except Exception as exc:  # siblings only lend each other a year; never fatal
            for d in docs:
                d.warnings.append(f"{rel}: dates from sibling articles not used ({type(exc).__name__}: {exc})")
        try:
            apply_annotations(docs, path, corpus)
        except SourceError as exc:
            # a broken annotation must not hide the document; it is built without it
            status.reason, status.line = str(exc), exc.line
            status.warnings.append(str(exc))
        if segment:
            for d in docs:
                d.tokens = cut(d.search_text)
                single = Counter(d.tokens)  # counted once for the search terms and link's
                out.search_terms[d.id] = compact_terms(d, single)
                out.link_prep[d.id] = prepare(d, single)
                out.compare_terms[d.id] = top_terms(out.link_prep[d.id].counts)
                out.trend_counts[d.id] = doc_counts(d, out.search_terms[d.id], d.tokens)
                # everything later stages need of the tokens is now in search_terms and
                # link_prep; 10,000 token lists would take gigabytes in the main process
                d.tokens = []
    except SourceError as exc:
        status.status, status.reason, status.line = "skipped", str(exc), exc.line
        out.search_terms.clear()
        out.link_prep.clear()
        out.trend_counts.clear()
        out.compare_terms.clear()
        return out
    except Exception as exc:  # a bug must not take the archive down; it is reported
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        status.status = "skipped"
        status.reason = f"{rel}: unexpected {type(exc).__name__}: {exc} (at {tb.filename}:{tb.lineno})"
        out.search_terms.clear()
        out.link_prep.clear()
        out.trend_counts.clear()
        out.compare_terms.clear()
        return out
    for w in raw.warnings + [w for d in docs for w in d.warnings]:
        if w not in status.warnings:
            status.warnings.append(w)
    status.documents = [d.id for d in docs]
    if status.warnings:
        status.status = "warned"
    out.documents = docs
    return out


def _process_batch(args: list[tuple[Path, Path, str, bool]]) -> list[SourceResult]:
    return [process_source(*a) for a in args]


class DocumentCache:
    """Each source's SourceResult on disk, keyed by the source's bytes, its editor's
    annotation, its path and id, and the generator version: rebuilding after adding one
    document redoes exactly that document. Pickle is safe here: the cache is written only
    by this program into the project's own .cache/ folder."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.hits = 0
        self.misses = 0

    def key(self, path: Path, rel: str, file_id: str, segment: bool) -> str:
        from generator.annotate.annotations import annotation_path

        h = hashlib.sha256(f"{generator_version()}\0{rel}\0{file_id}\0{segment}\0".encode())
        try:
            h.update(read_source_bytes(path))
            ann = annotation_path(path)
            if ann.exists() and not ann.is_symlink():
                h.update(b"\0annotation\0" + read_source_bytes(ann))
        except OSError:
            return ""  # unreadable: not cached; process_source reports it
        return h.hexdigest()

    def _path(self, key: str) -> Path | None:
        return self.directory / key[:2] / f"{key}.pickle" if self.directory and key else None

    def has(self, key: str) -> bool:
        path = self._path(key)
        return path is not None and path.exists()

    def get(self, key: str, store: tuple[dict[str, Spill], TextSpill] | None = None) -> SourceResult | None:
        """The cached result (cache_pack.py's layout), or None. With `store` (the build's
        Spills by kind and its TextSpill), its per-document parts are left in the cache
        file for the store to read when asked (cache_pack.read_into)."""
        path = self._path(key)
        if path is None or not path.exists():
            return None
        try:
            result = cache_pack.read(path) if store is None else cache_pack.read_into(path, *store)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError,
                TypeError, KeyError):
            return None
        return result if isinstance(result, SourceResult) else None

    def put(self, key: str, result: SourceResult) -> None:
        path = self._path(key)
        if path is None:
            return
        cache_pack.write(path, result)


# Below this many sources to (re)do, starting worker processes costs more than it saves.
POOL_MIN = 24


def _process_batch_to_cache(args: list[tuple[tuple[Path, Path, str, bool], str, Path]]) -> int:
    for job, key, directory in args:
        DocumentCache(directory).put(key, process_source(*job))
    return len(args)


# Documents a local pool worker annotates before the pool is replaced by a fresh one. A
# worker's memory grew with what it had annotated: about 45 MB per 1,000 documents on the
# synthetic archive (0.5 GB a worker after 3,700 documents on two workers, 0.9 GB after
# 21,700), which at 100,000 documents would have been some 2.5 GB a worker. Most of it was
# one cache (trends_counts._latin_of kept every document's search keys; bounded since):
# one process annotating 1,500 documents now stays at 307 MB from the 500th on. The fresh
# pool stays as the guard against what is left (the allocator's fragments, a cache
# added later). A new pool costs each worker's start (imports and dictionaries: 2.7 CPU s
# measured, against 39 ms a document) and the wait for the group's last batch: under 1% of
# 10,000 documents' work. Up to 10,000 documents a worker nothing changes.
# (ProcessPoolExecutor's own max_tasks_per_child deadlocks with a queued backlog in
# Python 3.11: CPython gh-115634.)
DOCS_PER_WORKER = 10_000


def _pool_groups(items: list, workers: int, on_cluster: bool) -> Iterator[list]:
    """The items in equal groups of at most DOCS_PER_WORKER per worker, one pool each."""
    per_pool = DOCS_PER_WORKER * max(1, workers)
    groups = 1 if on_cluster else -(-len(items) // per_pool)
    size = -(-len(items) // max(1, groups))
    for i in range(0, len(items), max(1, size)):
        yield items[i : i + size]


def run_sources(jobs: list[tuple[Path, Path, str, bool]], workers: int, progress: bool = True,
                cache: DocumentCache | None = None, keys: list[str] | None = None,
                read_back: bool = True) -> list[SourceResult | None]:
    """Run process_source over jobs, in a spawn-context process pool when it pays.
    Results come back in the order of `jobs` whatever order the workers finish in.

    With a cache, pool workers write each result to it and the results are read back
    only after the pool has exited: at 10,000 documents the results take over a gigabyte,
    and holding them while the workers still live added the workers' memory on top. Without
    `read_back`, a result the workers wrote to the cache is None: the caller reads it
    from the cache when it needs it."""
    on_cluster = cluster_address() is not None
    # on a cluster the results come back over the network: its workers may not share .cache/
    to_cache = cache is not None and cache.directory is not None and keys is not None and not on_cluster
    if not jobs or (not on_cluster and (workers <= 1 or len(jobs) < POOL_MIN)):
        out: list[SourceResult | None] = []
        for n, job in enumerate(jobs, start=1):
            if progress:
                _progress(n, len(jobs), job[0].name)
            out.append(process_source(*job))
            if to_cache:
                cache.put(keys[n - 1], out[-1])
                if not read_back and cache.has(keys[n - 1]):
                    out[-1] = None
        return out
    items: list = [(job, key, cache.directory) for job, key in zip(jobs, keys, strict=True)] if to_cache else jobs
    results: list[SourceResult] = []
    done = 0
    # a local pool is replaced every DOCS_PER_WORKER documents a worker (see there); a
    # cluster's workers are the cluster's to manage
    for group in _pool_groups(items, workers, on_cluster):
        with executor(workers) as (pool, slots):
            # batches amortize the pickling round trip; several per worker keep the load even
            size = max(1, min(64, len(jobs) // (slots * 8)))
            batches = [group[i : i + size] for i in range(0, len(group), size)]
            for batch in pool.map(_process_batch_to_cache if to_cache else _process_batch, batches):
                done += len(batch) if not to_cache else batch
                if not to_cache:
                    results.extend(batch)
                    if on_cluster and cache is not None and cache.directory is not None and keys is not None:
                        for result, k in zip(batch, keys[len(results) - len(batch):len(results)], strict=True):
                            cache.put(k, result)
                if progress:
                    _progress(done, len(jobs), "documents")
    if to_cache:
        for job, key in zip(jobs, keys, strict=True):
            if not read_back and cache.has(key):
                results.append(None)
                continue
            hit = cache.get(key)
            results.append(hit if hit is not None else process_source(*job))
    return results


def collect(root: Path, progress: bool = True, corpus: Path | None = None, *, segment: bool = False,
            cache_dir: Path | None = None, workers: int | None = None,
            shard: tuple[int, int] | None = None, store: DocumentStore | None = None) -> Report:
    """read → clean → annotate (→ segment) for every source; nothing is written.

    `corpus` defaults to `root/corpus`; tests pass a pinned corpus of their own. With
    `cache_dir`, sources whose bytes and generator version are unchanged are loaded from
    the cache instead of being processed again. With a `store`, the documents' texts, search
    terms, link data and trends counts are kept in its file and read back when asked for (docstore.py).
    """
    t0 = time.perf_counter()
    report = Report()
    texts = None
    parts = None
    if store is not None:
        report.search_terms, report.link_prep, report.trend_counts = store.spill(), store.spill(), store.spill()
        report.compare_terms = store.spill()
        texts = TextSpill(store.spill())  # the documents' texts too, read when a stage asks
        # a cached source's parts stay in its cache file, which these refer to (cache_pack)
        parts = ({"search": report.search_terms, "link": report.link_prep, "trend": report.trend_counts}, texts)
    corpus = corpus or root / "corpus"
    listing = list_corpus(corpus) if corpus.is_dir() else Listing()
    sources = listing.sources
    report.sources = len(sources)
    ids = assign_file_ids([p.relative_to(corpus).as_posix() for p in sources])
    cache = DocumentCache(cache_dir)
    results: list[SourceResult | None] = []
    later: dict[int, tuple[str, tuple[Path, Path, str, bool]]] = {}  # left in the cache until merged
    todo: list[tuple[int, str, tuple[Path, Path, str, bool]]] = []
    source_keys: list[str] = []  # per entry of `results`
    for path in sources:
        rel = path.relative_to(corpus).as_posix()
        if shard is not None and in_shard(rel, shard[1]) != shard[0]:
            continue  # another machine's share (ids still come from the whole corpus)
        job = (path, corpus, ids[rel], segment)
        key = cache.key(path, rel, ids[rel], segment) if cache_dir else ""
        if store is not None and cache.has(key):
            later[len(results)] = (key, job)  # read in the merge below, one source at a time
            hit = None
        else:
            hit = cache.get(key) if cache_dir else None
        if hit is not None or len(results) in later:
            cache.hits += 1
        else:
            cache.misses += 1
            todo.append((len(results), key, job))
        results.append(hit)
        source_keys.append(key)
    done = run_sources([job for _, _, job in todo], workers or default_workers(), progress,
                       cache=cache if cache_dir else None, keys=[key for _, key, _ in todo],
                       read_back=store is None)
    done_at = {i for i, _, _ in todo}
    for (i, key, job), result in zip(todo, done, strict=True):
        results[i] = result
        if result is None:
            later[i] = (key, job)
    for i in range(len(results)):
        result, results[i] = results[i], None  # with a store, one source's results in memory at a time
        if result is None:
            key, job = later.pop(i)
            result = cache.get(key, parts)
            if result is None:  # an unreadable cache file: done again, and a miss after all
                if i not in done_at:
                    cache.hits, cache.misses = cache.hits - 1, cache.misses + 1
                result = process_source(*job)
                cache.put(key, result)
        report.search_terms.update(result.search_terms)
        report.link_prep.update(result.link_prep)
        report.trend_counts.update(result.trend_counts)
        report.compare_terms.update(getattr(result, "compare_terms", {}))
        docs = result.documents if texts is None else [store_texts(d, texts) for d in result.documents]
        if source_keys[i]:  # with a cache: the per-document results' key, for later stages
            report.doc_keys.update({d.id: f"{source_keys[i]}\0{d.id}" for d in docs})
        record(report, docs, result.status)
    report.cache_hits, report.cache_misses = cache.hits, cache.misses
    for entry in listing.others:  # nothing in corpus/ goes unmentioned
        record(report, [], FileStatus(entry.rel, "skipped", entry.reason))
    doc_ids = [d.id for d in report.documents]
    if len(doc_ids) != len(set(doc_ids)):
        raise RuntimeError("two documents got the same id; this is a bug in assign_file_ids")
    report.seconds = time.perf_counter() - t0
    return report


def in_shard(rel: str, shards: int) -> int:
    """The share of the work a source belongs to, by a hash of its corpus path: stable
    across machines and runs (unlike hash()), and a new file moves no other file."""
    return zlib.crc32(rel.encode("utf-8")) % shards


def fill_cache(root: Path, shard: tuple[int, int], progress: bool = True, workers: int | None = None) -> Report:
    """The per-document stages for one share of corpus/, into .cache/documents only:
    several machines (a CI matrix) each fill the cache for their share, and a build that
    finds every share's results in one merged cache runs only the whole-archive stages."""
    return collect(root, progress, segment=True, cache_dir=root / ".cache" / "documents", workers=workers,
                   shard=shard)


def record(report: Report, docs: list[Document], status: FileStatus) -> None:
    """Add one source's outcome to the run's report (errors, warnings, documents)."""
    report.files.append(status)
    if status.status == "skipped" and not (status.reason or "").startswith(("not published", "not a source")):
        report.errors.append(status.reason or status.source_path)
    elif status.reason and status.status != "skipped":
        report.errors.append(status.reason)  # a broken annotation: built without it
    report.warnings.extend(w for w in status.warnings if w != status.reason)
    report.documents.extend(docs)


def peak_mb() -> int:
    """This process's peak resident memory so far, in MB: printed after each stage, so a
    build shows which stage sets the peak (the pool's workers are separate processes)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KB on Linux


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and its finished children (the pool's
    workers): what a stage costs whatever else the machine is running, where wall
    seconds on a shared machine mostly measure the other jobs."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def generate(root: Path, progress: bool = True, workers: int | None = None) -> Report:
    """The whole generate step; per-document work is cached in .cache/documents, and the
    documents' texts, search terms and link data wait in a temporary store until a stage
    reads them, so they are never all in memory at once."""
    store = DocumentStore(root / ".cache")
    try:
        return _generate(root, progress, workers, store)
    except BaseException:
        store.close()
        raise
    # the report's documents read their texts from the store's file, which is closed (and
    # so gone, being unnamed) when they are no longer used or the process ends


@dataclass
class _SideStages:
    """What the search index, chart and trends stages return to generate: the files they
    produced, their build statistics, and their seconds, CPU and peak memory."""

    out: Output
    stats: dict[str, object] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    peaks: dict[str, int] = field(default_factory=dict)


class _LinkResults:
    """In a child forked before the link stage: the link stage's keywords, similar speeches
    and reposts, received from the parent (beside.Mailbox) and set on the child's copies
    of the documents the first time a stage needs them."""

    def __init__(self, docs: list[Document], mailbox: beside.Mailbox) -> None:
        self._docs, self._mailbox, self._done = docs, mailbox, False

    def __call__(self) -> None:
        if self._done:
            return
        got = self._mailbox.receive()
        assert isinstance(got, dict)
        for d in self._docs:
            d.keywords, d.related, d.duplicates = got[d.id]
        self._done = True


def _trends_and_search(report: Report, root: Path, link_done: Callable[[], None] | None = None,
                       charts: bool = False, workers: int | None = None, downloads: bool = False) -> _SideStages:
    """The search index and trends stages, in this process or in a forked one (beside.py);
    they only read the documents and the build's store, and write their own files.
    `link_done`: waits for the link stage's results (a child forked before link); the
    search index asks only before its last files (the repost groups), so in a rebuild
    its shards are patched while link runs; it leaves the index terms in place (no
    `consume`) for trends, which reads them after. `charts`: draw the charts' SVG files
    here too (in the side process; the write stage then leaves them out). `workers`: the
    trends counting's processes (beside the main process, one core fewer than the build's:
    a pool of every core beside a busy main process slowed the main process's link and
    write stages, which are the longer path). `downloads`: write the downloads here too
    (write.write_download_files; the write stage then leaves them out)."""
    from generator.publish import charts as charts_mod
    from generator.publish.search import write_search_index
    from generator.publish.write import write_charts, write_download_files

    done = _SideStages(Output(root / "docs"))
    c, t = cpu_seconds(), time.perf_counter()
    done.stats["search_index_bytes"] = sum(
        write_search_index(report.documents, root / "docs", done.out, report.search_terms,
                           cache_dir=root / ".cache" / "search", ready=link_done).values())
    done.seconds["search index"] = time.perf_counter() - t
    done.cpu["search index"], c = cpu_seconds() - c, cpu_seconds()
    done.peaks["search index"] = peak_mb()
    t = time.perf_counter()
    if link_done is not None:
        link_done()  # the keywords chart and trends count the keywords
    if charts:
        write_charts(charts_mod.all_charts(sorted(report.documents, key=lambda d: d.id)), root / "docs", done.out)
    # exact counts of the frequent terms for the trends page
    done.stats["trends"] = write_trends(report.documents, root / "docs", done.out, report.search_terms,
                                        root / ".cache" / "trends", report.trend_counts, report.doc_keys,
                                        workers)
    done.seconds["trends"] = time.perf_counter() - t
    done.cpu["trends"] = cpu_seconds() - c
    done.peaks["trends"] = peak_mb()
    if downloads:
        c, t = cpu_seconds(), time.perf_counter()
        write_download_files(report.documents, root / "docs", done.out, root / ".cache" / "members")
        done.seconds["downloads"] = time.perf_counter() - t
        done.cpu["downloads"] = cpu_seconds() - c
        done.peaks["downloads"] = peak_mb()
    return done


def _generate(root: Path, progress: bool, workers: int | None, store: DocumentStore) -> Report:
    t0, c = time.perf_counter(), cpu_seconds()
    report = collect(root, progress, segment=True, cache_dir=root / ".cache" / "documents", workers=workers,
                     store=store)
    stages = {"documents": time.perf_counter() - t0}
    cpu = {"documents": cpu_seconds() - c}
    peaks = {"documents": peak_mb()}
    # search index, charts and trends read what link left and write their own files: on a
    # machine of two or more cores they run in a forked process beside link (when the
    # previous build shows the pair fits in memory) or beside reuse and write (beside.py)
    cache = root / ".cache"
    cores = workers if workers is not None else default_workers()
    may_fork = cores > 1 and beside.possible()
    # the side process counts the trends with the cores the main process leaves it (on a
    # cluster, with the cluster's)
    side_workers = None if cluster_address() is not None else cores - 1
    side: beside.Beside[_SideStages] | None = None
    mailbox: beside.Mailbox | None = None
    side_stages = partial(_trends_and_search, report, root)
    side_downloads = False  # the downloads written by the side process (a rebuild's)
    when = ""
    try:
        if may_fork and beside.early_fits(cache, len(report.documents)):
            store.flush()
            mailbox = beside.Mailbox(cache)
            # a rebuild's side stages patch what changed and end well before the main
            # process's: the downloads go there too; a cold build's are as long as the
            # main process's, and the downloads stay with write
            side_downloads = report.cache_hits > report.cache_misses
            side = beside.Beside(partial(side_stages, link_done=_LinkResults(report.documents, mailbox), charts=True,
                                         workers=side_workers, downloads=side_downloads),
                                 "trends and search index", mailbox)
            when = "link, reuse and write"
        c = cpu_seconds()
        t = time.perf_counter()
        # incremental within an IDF epoch and a stated error bound, cold otherwise (link/epoch_state.py)
        report.stats = link_with_state(report.documents, report.link_prep, cache / "link")
        if mailbox is not None:
            mailbox.send({d.id: (d.keywords, d.related, d.duplicates) for d in report.documents})
        distinctive = distinctive_terms(report.documents, TermCounts(report.link_prep), report.doc_keys,
                                        cache / "distinctive")
        # the comparison view's terms, a few KB a document, so the link data can go before reuse
        terms = {did: made if (made := report.compare_terms.get(did)) is not None
                 else top_terms(report.link_prep[did].counts) for did in report.link_prep}
        report.compare_terms.clear()
        report.link_prep.clear()  # the largest per-document data, needed no more
        stages["link"] = time.perf_counter() - t
        cpu["link"], c = cpu_seconds() - c, cpu_seconds()
        peaks["link"] = peak_mb()
        if may_fork and side is None:
            fits, held = beside.affordable(len(report.documents))
            if fits:
                store.flush()
                side = beside.Beside(partial(side_stages, charts=True, workers=side_workers), "trends and search index")
                when = "reuse and write"
            else:
                report.stats["stages_beside"] = (
                    f"not used: this process holds {held} MB, and a second process could "
                    f"double that and the stages after it add to it, past the {beside.budget()} MB budget (beside.py)")
        t = time.perf_counter()
        reuse = find_reuse(report.documents, root / ".cache" / "reuse")
        report.stats["reuse"] = dict(reuse.stats)
        stages["reuse"] = time.perf_counter() - t
        cpu["reuse"], c = cpu_seconds() - c, cpu_seconds()
        peaks["reuse"] = peak_mb()
        t = time.perf_counter()
        out = Output(root / "docs")
        write_all(report.documents, root / "docs", root / "corpus", out, distinctive, reuse=reuse, terms=terms,
                  cache_dir=root / ".cache" / "pages", doc_keys=report.doc_keys, draw_charts=side is None,
                  draw_downloads=not side_downloads)
        stages["write"] = time.perf_counter() - t
        cpu["write"] = cpu_seconds() - c
        peaks["write"] = peak_mb()
        done = side_stages() if side is None else side.result()
    finally:
        if side is not None:
            side.stop()
        if mailbox is not None:
            mailbox.close()
    c = cpu_seconds()  # after the side process ended: its CPU is now counted among the children's
    report.search_terms.clear()  # read by the search index and trends stages: needed no more
    report.trend_counts.clear()
    out.merge(done.out)
    report.stats.update(done.stats)
    stages.update(done.seconds)
    cpu.update(done.cpu)
    peaks.update(done.peaks)
    if side is not None:
        what = "search index, charts, trends and downloads" if side_downloads else "search index, charts and trends"
        report.stats["stages_beside"] = (f"{what} ran in a second process "
                                         f"beside {when}")
    t = time.perf_counter()
    report.report_path = write_report(report, root / "docs")
    out.keep(report.report_path)
    out.remove_stale()
    stages["finish"] = time.perf_counter() - t
    cpu["finish"] = cpu_seconds() - c
    peaks["finish"] = peak_mb()
    beside.remember(cache, len(report.documents), peak_mb(), max(done.peaks.values(), default=0))
    report.files_written = out.written
    report.stats["files_unchanged"] = out.unchanged
    report.stats["files_removed"] = out.removed
    report.stats["stage_seconds"] = {k: round(v, 2) for k, v in stages.items()}
    report.stats["stage_peak_mb"] = peaks
    report.stats["stage_cpu_seconds"] = {k: round(v, 2) for k, v in cpu.items()}
    report.seconds = time.perf_counter() - t0
    # what is left of them (nothing, normally) outlives the store's file
    report.search_terms, report.link_prep = dict(report.search_terms), dict(report.link_prep)
    report.trend_counts = dict(report.trend_counts)
    return report
