"""Search index: built at generate time from the tokens the generator already has.

Why not Material's search: it segments every page a second time with jieba and ships one
index that every visitor downloads and indexes whole (71 MB at 1,000 documents). Here the
index is split so that a query loads only what it needs, and every file is a plain
script calling a global callback (JSONP style), because `<script>` tags load from file://
where fetch and ES modules do not: one build serves the web and the offline copy.

docs/searchindex/ holds
- meta.js   the number of documents and shards, the facet values (year, places, speakers,
            meeting type, genre) and their counts; no vocabulary, nothing per document;
            a facet of many values only its size (its names in m/n-…, search_names.py).
- m/        the per-document metadata in files a query loads only as far as it needs
            them (meta_files): lengths and repost groups (l), dates (t) and facet
            values (f) in chunks of documents, and per facet value the documents that
            have it (<facet>-<j>).
- s/<k>.js  shard k: postings of every term whose shard_key's FNV-1a hash falls in k. Terms are
            single Han characters and character bigrams of the simplified text (so any
            1–8 character query, a word missing from the dictionary, or one typed with
            spaces, still matches), words of three or more characters and Latin/number
            words from the segmentation, and the same character terms of the title
            prefixed with '#'.
- d/<n>.js  the n-th document's title, date, place, speakers and text, loaded only when
            it is shown as a result (snippets, exact-phrase check). The text is packed
            (pack_text): ~1.9 bytes per Chinese character instead of UTF-8's 3, and
            deflated where that is shorter (snippet_store.py, docs/assets/inflate.js). A
            document published in parts (parts.py) also has `parts`: where parts 2…
            start in its text, so a result links the part holding the match.
- dt.js     the character table pack_text uses; fixed, not derived from the corpus, so
            adding a document never rewrites the other documents' files.
- t2s.js    OpenCC's traditional → simplified character table, so traditional queries
            find simplified text (the index itself is built from simplified text, so
            traditional documents are found by simplified queries).

Postings are `doc delta × 8 + tf code` written as variable-length base-32 numbers whose
last digit comes from a second alphabet, so no separators are needed; a term in most
documents up to its last whose postings exceed DENSE_MIN_CHARS as a bitmap or the documents
without it, then its tf codes (search_dense; a form depends only on the term's postings,
not on the archive's size). The client, docs/assets/search.js, documents the same format.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import numpy as np

from generator.link import repost_groups
from generator.model import Document
from generator.publish import labels, search_reuse, snippet_store
from generator.publish.indexes import speakers_of, year_of
from generator.publish.output import Output
from generator.publish.parts import pages_of, part_offsets
from generator.publish.search_dense import DENSE_MIN_CHARS, dense_form, is_dense, varints
from generator.publish.search_lengths import PER_OCTAVE, QCHUNK_FACTOR, class_chunks
from generator.publish.search_merge import PostingsCache, Vocabulary, compact_ids, terms_digest
from generator.publish.search_names import INLINE_NAMES, name_files
from generator.publish.search_shards import PostingSpill, group_count, shard_postings

INDEX_DIR = "searchindex"
FORMAT = 7  # 4: meta.js split into m/ (meta_files); 5: a term's shard chosen by its shard_key,
# fine chunks, and repost groups in the dates' chunks too; 6: a large facet's names out of
# meta.js (search_names), and length classes (m/q<k>.js, search_lengths); 7: dense postings
# written by the build, a "~" complement with its own span (search_dense)
# digits of a number except the last (CONT) and its last digit (FINAL); both 32 characters
# that need no escaping in a JSON string
FINAL = "0123456789abcdefghijklmnopqrstuv"
CONT = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"
TF_CODES = (1, 2, 3, 4, 6, 12, 24, 48)  # representative tf of codes 0..7 (log-spaced above 4)
# bytes of postings per shard the shard count aims at: what a query loads beside its own
# terms' postings, once per bigram (shard_key)
SHARD_TARGET = 20_000
MIN_SHARDS, MAX_SHARDS = 4, 1 << 15
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"^[a-z0-9]{2,}$")
CALLBACK = "SearchArchive.put"


def fnv1a(term: str) -> int:
    """32-bit FNV-1a over the term's code points; search.js computes the same."""
    h = 0x811C9DC5
    for ch in term:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def shard_key(term: str) -> str:
    """What picks a term's shard (fnv1a(shard_key(term)) & (shards - 1)): the term without
    the title mark '#', and of a Han word its first two characters. A query's terms are its
    bigrams (or single characters), their title forms and its whole words, so every one of
    them lives in the shard of a bigram the query loads anyway: a query of four bigrams
    loads four shards, not nine (each shard ~40 KB beside the terms it was loaded for).
    Format 6: a Han word is its own key again (a query loads one more shard per whole word):
    a common bigram's shard held every word beginning with it (经济 with 经济总量, 经济社会,
    … at 100,000 documents: 357 KB for a query of 经济 whose own postings were 99 KB)."""
    return term[1:] if term[:1] == "#" else term


def varint(n: int) -> str:
    if n < 0:
        raise ValueError("negative number in the search index")
    digits = [FINAL[n & 31]]
    n >>= 5
    while n:
        digits.append(CONT[n & 31])
        n >>= 5
    return "".join(reversed(digits))


def decode_varints(s: str) -> list[int]:
    """The inverse of a run of varint(); used by the tests."""
    out, cur = [], 0
    for ch in s:
        i = FINAL.find(ch)
        if i >= 0:
            out.append(cur * 32 + i)
            cur = 0
        else:
            cur = cur * 32 + CONT.index(ch)
    return out


_TF_TABLE = bytes(max(c for c, lo in enumerate(TF_CODES) if tf >= lo) for tf in range(1, 50))
_TF_CODES_OF = np.frombuffer(_TF_TABLE, dtype=np.uint8)


def tf_code(tf: int) -> int:
    return _TF_TABLE[min(tf, 49) - 1] if tf > 0 else 0


def char_terms(text: str) -> Counter[str]:
    """Single Han characters and bigrams of every run of Han characters."""
    return _char_terms(text)[0]


def _char_terms(text: str) -> tuple[Counter[str], int]:
    """char_terms and the number of Han characters (the sum of its single-character counts).

    Counted as numbers: each character's code point, each pair's two code points in one
    uint32 (_HAN_RUN is inside the Basic Multilingual Plane: 16 bits each), so only the
    distinct terms become strings (a speech repeats most of its characters and pairs)."""
    runs = _HAN_RUN.findall(text)
    han = "".join(runs)
    if not han:
        return Counter(), 0
    cp = np.frombuffer(han.encode("utf-32-le"), dtype=np.uint32)
    chars, n = np.unique(cp, return_counts=True)
    out: Counter[str] = Counter(dict(zip(map(chr, chars.tolist()), n.tolist(), strict=True)))
    pair = np.ones(len(cp) - 1, dtype=bool)  # a pair starts at every character but a run's last
    pair[np.cumsum([len(r) for r in runs[:-1]], dtype=np.int64) - 1] = False
    pairs, n = np.unique(((cp[:-1] << 16) | cp[1:])[pair], return_counts=True)
    out.update(dict(zip([chr(k >> 16) + chr(k & 0xFFFF) for k in pairs.tolist()], n.tolist(), strict=True)))
    return out, len(han)


def word_terms(tokens: list[str], single: Counter[str] | None = None) -> Counter[str]:
    """Words the character terms do not already cover: Han words of 3+ characters (a
    query for the whole word then outranks documents that only have its bigrams) and
    Latin or number words, lowercased."""
    out: Counter[str] = Counter()
    for tok, n in (Counter(tokens) if single is None else single).items():  # each distinct token once
        t = _word_term(tok)
        if t is not None:
            out[t] += n
    return out


@lru_cache(maxsize=1 << 17)  # pure; the same words recur in every document
def _word_term(tok: str) -> str | None:
    """The index term a token gives (see word_terms), or None."""
    t = tok.strip().lower()
    return t if (len(t) >= 3 and _HAN_RUN.fullmatch(t)) or _WORD.match(t) else None


def doc_terms(doc: Document, single: Counter[str] | None = None) -> tuple[Counter[str], int]:
    """All index terms of one document with their frequencies, and its length in
    characters (BM25's document length). `single`: Counter(doc.tokens), when the caller
    has it."""
    text = doc.search_text
    terms, length = _char_terms(text)  # length: the count of single characters
    terms.update(word_terms(doc.tokens, single))
    for t in char_terms(doc.title):
        terms["#" + t] = 1
    return terms, length


@dataclass(frozen=True)
class DocTerms:
    """One document's index terms, compact enough to keep 10,000 of them in memory:
    the sorted terms joined by newlines, their tf codes as bytes, the length."""

    keys: str
    codes: bytes
    length: int
    # the document's d/<n>.js record, serialized (script_body of doc_record): computed with
    # the terms so a rebuild neither packs nor serializes the text again
    record: str = ""


def compact_terms(doc: Document, single: Counter[str] | None = None) -> DocTerms:
    terms, length = doc_terms(doc, single)
    keys = sorted(terms)
    tf = np.fromiter(map(terms.__getitem__, keys), dtype=np.int64, count=len(keys))
    codes = _TF_CODES_OF[np.minimum(tf, 49) - 1].tobytes()  # tf_code of each, in one pass
    return DocTerms("\n".join(keys), codes, length,
                    snippet_store.body(doc_record(doc), script_body))


def shard_count(total_bytes: int, min_shards: int = MIN_SHARDS) -> int:
    k = min_shards
    while k < MAX_SHARDS and total_bytes / k > SHARD_TARGET:
        k *= 2
    return k


def _facet(values: list[list[str]]) -> tuple[list[str], dict[str, int]]:
    """Facet values by frequency (then name), so the filter lists the common ones first."""
    counts: Counter[str] = Counter(v for vs in values for v in vs)
    order = sorted(counts, key=lambda v: (-counts[v], v))
    return order, {v: i for i, v in enumerate(order)}


def _one(doc: Document, name: str) -> list[str]:
    v = doc.value(name)
    return [str(v)] if v else []


# ---------------------------------------------------------------- packed text
# Symbols of packed text: printable ASCII except '"', '\\' and '<' (each needs escaping in
# a JSON string or next to '/' in a script), 92 in all. Symbol 0 escapes the next character
# (taken literally); symbols 1..ONE_BYTE are the table's first characters; the rest lead a
# two-symbol code for the next (92 - 1 - ONE_BYTE) × 92 characters. Any character that is
# not ASCII and not in the table is written as itself (UTF-8, as before), so packing never
# makes a text longer except for ASCII characters outside the table (2 bytes instead of 1).
SYMBOLS = "".join(c for c in map(chr, range(0x20, 0x7F)) if c not in '"\\<')
ONE_BYTE = 40
LEADS = len(SYMBOLS) - 1 - ONE_BYTE
TABLE_SIZE = ONE_BYTE + LEADS * len(SYMBOLS)
# Punctuation and digits of Chinese prose come first; then Han characters by their
# frequency in jieba's general dictionary (traditional forms ranked with their simplified
# counterparts, behind them). General statistics of the language, not of any corpus.
TABLE_HEAD = "\n，。、；：“”（）《》！？—…·%0123456789"


@lru_cache(maxsize=1)
def text_table() -> str:
    import jieba

    freq: Counter[str] = Counter()
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ")
            if len(parts) >= 2 and parts[1].isdigit():
                for ch in parts[0]:
                    if "\u3400" <= ch <= "\u9fff":
                        freq[ch] += int(parts[1])
    pairs = t2s_table()
    for i in range(0, len(pairs) - 1, 2):
        trad, simp = pairs[i], pairs[i + 1]
        freq[trad] = max(freq.get(trad, 0), freq.get(simp, 0) // 8)
    han = sorted((c for c in freq if c not in TABLE_HEAD), key=lambda c: (-freq[c], c))
    return (TABLE_HEAD + "".join(han))[:TABLE_SIZE]


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    out = {}
    for i, ch in enumerate(text_table()):
        if i < ONE_BYTE:
            out[ch] = SYMBOLS[1 + i]
        else:
            lead, trail = divmod(i - ONE_BYTE, len(SYMBOLS))
            out[ch] = SYMBOLS[1 + ONE_BYTE + lead] + SYMBOLS[trail]
    return out


@lru_cache(maxsize=1)
def _pack_table() -> dict[int, str]:
    """str.translate's table: every table character → its code, every other ASCII
    character → the escape symbol and itself; anything else stays as it is."""
    table: dict[int, str] = {o: SYMBOLS[0] + chr(o) for o in range(0x80)}
    table.update({ord(ch): code for ch, code in _codes().items()})
    return table


def pack_text(text: str) -> str:
    return text.translate(_pack_table())


def unpack_text(packed: str) -> str:
    """The inverse of pack_text (search.js has the same decoder); for tests."""
    table, n = text_table(), len(SYMBOLS)
    index = {c: i for i, c in enumerate(SYMBOLS)}
    out, i = [], 0
    while i < len(packed):
        ch = packed[i]
        k = index.get(ch) if ch < "\x80" else None
        if k is None:
            out.append(ch)
        elif k == 0:
            i += 1
            out.append(packed[i])
        elif k <= ONE_BYTE:
            out.append(table[k - 1])
        else:
            i += 1
            out.append(table[ONE_BYTE + (k - 1 - ONE_BYTE) * n + index[packed[i]]])
        i += 1
    return "".join(out)


def month_day(doc: Document) -> int:
    """month × 32 + day of the document's date (0 where unknown), so search.js can sort by
    date with the year facet: two base-32 digits per document instead of a date string."""
    m = re.match(r"\d{4}-(\d{2})(?:-(\d{2}))?", str(doc.value("date") or ""))
    return int(m.group(1)) * 32 + int(m.group(2) or 0) if m else 0


def script_body(data: Any) -> str:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # a '</script' in a title could never end a script loaded by src, but keep the
    # files safe to inline anyway
    return body.replace("</", "<\\/")


def script_file(kind: str, key: int | str, data: Any, body: str | None = None) -> str:
    """One index file; `body`, when given, is script_body(data) computed earlier."""
    return f'{CALLBACK}("{kind}",{json.dumps(key)},{script_body(data) if body is None else body});\n'


def encode_postings(tids: np.ndarray, docs: np.ndarray, codes: np.ndarray,
                    dense_min: int | None = DENSE_MIN_CHARS) -> tuple[str, np.ndarray, np.ndarray, dict[int, str]]:
    """Postings (term id, doc, tf code), in doc order, → one string of varints grouped
    by term, the term ids in that order, each term's start offset in the string, and the
    dense form of the terms search_dense.is_dense takes (postings longer than dense_min;
    None: none) by their position in that order (search_dense).
    Vectorized: at 10,000 documents there are tens of millions of postings."""
    order = np.argsort(tids, kind="stable")  # stable: docs stay ascending within a term
    tids, docs, codes = tids[order], docs[order], codes[order]
    del order
    starts = np.flatnonzero(np.diff(tids, prepend=-1))
    prev = np.empty_like(docs)
    prev[0] = -1
    prev[1:] = docs[:-1]
    prev[starts] = -1
    vals = (docs.astype(np.int64) - prev - 1) * 8 + codes
    del prev
    text, ends = varints(vals)
    char_starts = np.concatenate([[0], ends])[starts]
    offsets = np.append(char_starts, len(text))
    dense: dict[int, str] = {}
    if dense_min is not None and len(docs):
        bounds = np.append(starts, len(docs))
        df, span = np.diff(bounds), docs[bounds[1:] - 1].astype(np.int64) + 1
        for i in np.flatnonzero((2 * df > span) & (np.diff(offsets) > dense_min)).tolist():
            if is_dense(int(df[i]), int(span[i]), int(offsets[i + 1] - offsets[i]), dense_min):
                dense[i] = dense_form(docs[bounds[i]: bounds[i + 1]], codes[bounds[i]: bounds[i + 1]])
    return text, tids[starts], offsets, dense


META_CHUNK = 1000  # documents per m/l<k>.js, m/t<k>.js and m/f<k>.js
# m/lf<k>.js and m/tf<k>.js hold the same in chunks of META_CHUNK / FINE_PER_CHUNK documents:
# a query or a filter with few documents per chunk loads a tenth of the bytes for them
# (at 100,000 documents, a filter passing a few hundred documents touched every chunk)
FINE_PER_CHUNK = 10
FACET_SHARD_TARGET = 20_000  # bytes of document lists per m/<facet>-<j>.js the shard count aims at


def _chunks(n_docs: int, chunk: int) -> range:
    return range(0, n_docs, chunk)


def meta_files(docs: list[Document], lengths: list[int], group: dict[str, str], number: dict[str, int],
               facets: dict[str, list[list[str]]], shards: int, chunk: int = META_CHUNK,
               inline_names: int = INLINE_NAMES) -> dict[str, str]:
    """meta.js and the m/ files: the per-document metadata, split so that a search loads
    only what it uses (one file of it grew linearly: 123 KB at 10,000 documents, loaded by
    every search, over a 1 MB per-query budget near 100,000).

    - meta.js      counts and names only: documents, shards, avgdl, each facet's values
                   (by frequency; years newest first) and how many documents have each
                   (the filter lists' counts), and how the rest is split.
    - m/l<k>.js    documents k×chunk …: their lengths (BM25, and the byte estimate of
                   their text) and, sparsely, the repost group of those that have one:
                   what ranking a query's candidates needs.
    - m/t<k>.js    the same documents' year (index + 1, 0 = unknown) and month × 32 + day
                   ("dates"), and their repost groups again ("groups"): loaded only to sort
                   by date (and to list filters alone, newest first), which then needs no
                   lengths (a one- or two-character query has no phrase to check).
    - m/lf<k>.js, m/tf<k>.js  the same in chunks of chunk / FINE_PER_CHUNK documents
                   (none when that is under one), for a query whose documents are few in a chunk.
    - m/<facet>-<j>.js  per facet value, the documents that have it (delta-coded): a
                   filter loads the lists of its own values, never a column of every document.
    - m/f<k>.js    each document's facet values in its own order (count + indexes per facet),
                   for pages that tabulate the whole archive (trends.js, via SearchArchive.meta);
                   a search never loads them.
    - m/q<k>.js    documents k×chunk×10 …: each one's length class (one character) and the
                   repost groups, for a query whose candidates' exact lengths would cost more
                   (search_lengths).
    - m/n-<facet>-<j>.js  the names and counts of a facet with more than `inline_names`
                   values (search_names): meta.js then has its size ("sizes") and shard
                   count ("nameShards") and empty lists in their place.
    """
    n_docs = len(docs)
    names: dict[str, list[str]] = {}
    index_of: dict[str, dict[str, int]] = {}
    for name, values in facets.items():
        order, index = _facet(values)
        if name == "year":
            order = sorted(order, reverse=True)
            index = {v: i for i, v in enumerate(order)}
        names[name], index_of[name] = order, index
    files: dict[str, str] = {}
    years = facets["year"]
    fine = chunk // FINE_PER_CHUNK
    # l and t in chunks of `chunk` documents, and again in chunks of `fine` ("lf", "tf"): the
    # client takes the fine ones where a chunk holds few of the documents it needs
    for size, suffix in ((chunk, ""), (fine, "f")) if fine else ((chunk, ""),):
        for start in _chunks(n_docs, size):
            span = range(start, min(n_docs, start + size))
            key = start // size
            grouped = [(n - start, n - number[group[docs[n].id]]) for n in span if group[docs[n].id] != docs[n].id]
            files[f"m/l{suffix}{key}.js"] = script_file("m", f"l{suffix}{key}", {
                "len": "".join(varint(lengths[n]) for n in span),
                "groups": "".join(varint(x) for pair in grouped for x in pair),
            })
            files[f"m/t{suffix}{key}.js"] = script_file("m", f"t{suffix}{key}", {
                "dates": "".join(varint(index_of["year"][years[n][0]] + 1 if years[n] else 0) +
                                 varint(month_day(docs[n])) for n in span),
                "groups": "".join(varint(x) for pair in grouped for x in pair),
            })
    # length classes (search_lengths), for queries whose candidates' exact lengths would cost more
    grouped = {n: n - number[group[d.id]] for n, d in enumerate(docs) if group[d.id] != d.id}
    for key, data in class_chunks(lengths, grouped, chunk * QCHUNK_FACTOR).items():
        files[f"m/{key}.js"] = script_file("m", key, data)
    for start in _chunks(n_docs, chunk):
        span = range(start, min(n_docs, start + chunk))
        rec = []
        for n in span:
            for name, values in facets.items():
                rec.append(len(values[n]))
                rec.extend(index_of[name][v] for v in values[n])
        files[f"m/f{start // chunk}.js"] = script_file("m", f"f{start // chunk}", "".join(varint(x) for x in rec))
    facet_shards: dict[str, int] = {}
    counts: dict[str, list[int]] = {}
    for name, values in facets.items():
        lists: list[list[int]] = [[] for _ in names[name]]
        for n, vs in enumerate(values):
            for v in dict.fromkeys(vs):
                lists[index_of[name][v]].append(n)
        counts[name] = [len(x) for x in lists]
        encoded = ["".join(varint(d - p - 1) for p, d in zip([-1, *x], x, strict=False)) for x in lists]
        k = 1
        while k < MAX_SHARDS and sum(map(len, encoded)) / k > FACET_SHARD_TARGET:
            k *= 2
        facet_shards[name] = k
        for j in range(k):
            files[f"m/{name}-{j}.js"] = script_file("m", f"{name}-{j}", {
                str(i): e for i, e in enumerate(encoded) if i % k == j and e})
    name_shard_count: dict[str, int] = {}
    sizes: dict[str, int] = {}
    inline = dict(names)
    for name in facets:
        if len(names[name]) > inline_names:
            name_shard_count[name], shard_files = name_files(name, names[name], counts[name])
            for key, data in shard_files.items():
                files[f"m/{key}.js"] = script_file("m", key, data)
            sizes[name] = len(names[name])
            inline[name] = []
    files["meta.js"] = script_file("meta", 0, {
        "format": FORMAT,
        "docs": n_docs,
        "shards": shards,
        "avgdl": round(sum(lengths) / len(lengths), 1) if lengths else 0,
        "facets": inline,
        "facetOrder": list(facets),
        "counts": {name: [] if name in sizes else c for name, c in counts.items()},
        "nameShards": name_shard_count,
        "sizes": sizes,
        "chunk": chunk,
        "fine": fine,
        "qchunk": chunk * QCHUNK_FACTOR,
        "perOctave": PER_OCTAVE,
        "facetShards": facet_shards,
        "tf": list(TF_CODES),
    })
    return files


def build_index(docs: list[Document], terms_of: dict[str, DocTerms] | None = None,
                consume: bool = False, *, chunk: int = META_CHUNK,
                cache_dir: Path | None = None, groups: int | None = None,
                inline_names: int = INLINE_NAMES, dense_min: int | None = DENSE_MIN_CHARS,
                min_shards: int = MIN_SHARDS) -> dict[str, str]:
    """Every file of the search index: relative path under docs/searchindex/ → content
    (iter_index's files, for the tests; the build writes them as they come)."""
    return {rel: text for rel, text in iter_index(
        docs, terms_of, consume, chunk=chunk, cache_dir=cache_dir, groups=groups,
        inline_names=inline_names, dense_min=dense_min, min_shards=min_shards) if text is not None}


def iter_index(docs: list[Document], terms_of: Mapping[str, DocTerms] | None = None,
               consume: bool = False, *, chunk: int = META_CHUNK,
               cache_dir: Path | None = None, groups: int | None = None,
               inline_names: int = INLINE_NAMES, dense_min: int | None = DENSE_MIN_CHARS,
               min_shards: int = MIN_SHARDS, reuse: Path | None = None,
               state_out: list[search_reuse.ShardState] | None = None,
               ready: Callable[[], None] | None = None) -> Iterator[tuple[str, str | None]]:
    """Every file of the search index as (relative path under docs/searchindex/, content),
    made one at a time: a document's d/ file as soon as it is read, the postings a group of
    shards at a time (search_shards), so memory follows the largest shard, not the archive.

    `terms_of` holds compact_terms() already computed per document (by the pipeline's
    workers, and cached; any mapping with get and pop, e.g. one that reads the cache);
    missing documents are computed here. With `consume`, each entry is removed from
    `terms_of` once read. `chunk`: documents per m/ chunk (meta_files); smaller in the
    tests, to see a query load only its candidates' chunks.
    With `cache_dir`, documents whose terms are unchanged take their term ids from the
    previous build (search_merge.PostingsCache) and the postings spill there; the files
    are the same either way. `groups`: spill groups (search_shards.group_count by default;
    any power of two gives the same files). `inline_names`: see meta_files (smaller in the
    tests, to see a large facet's names sharded); `dense_min`: postings longer than this, of a
    term in most documents up to its last, are written dense (search_dense; smaller in the
    tests, to see dense forms in a small index); None: never.
    `min_shards`: the fewest shards (more in the tests, to see shards kept by a rebuild).
    `reuse` (with `cache_dir`): the folder holding the previous build's index; shards
    whose postings cannot have changed since (search_reuse) are not encoded but given as
    (path, None), meaning the file there is already right. `state_out` receives what the
    next build's reuse needs (search_reuse.save it once the files are written). `ready`: called
    before the first read of what the link stage sets (the repost groups), so that the
    stage can begin before link has ended (pipeline, beside.py)."""
    terms_of = terms_of if terms_of is not None else {}
    docs = sorted(docs, key=lambda d: d.id)
    kw: dict[str, Any] = {"chunk": chunk, "cache_dir": cache_dir, "groups": groups,
                          "inline_names": inline_names, "dense_min": dense_min, "min_shards": min_shards,
                          "state_out": state_out, "ready": ready}
    if reuse is not None and cache_dir is not None:
        state, why = search_reuse.load(cache_dir)
        if state is not None:
            cache = PostingsCache(cache_dir)
            digests, fresh = _digests(docs, terms_of, state)
            patch, why = search_reuse.plan(state, [d.id for d in docs], digests, fresh, cache, reuse)
            if patch is not None:
                try:
                    yield from _iter_index(docs, terms_of, False, cache, patch=patch, reuse=reuse, **kw)
                except _ShardCountChanged:
                    why = "the shard count changed"
                else:
                    if consume:  # read with get above: a changed shard count reads them again
                        for d in docs:
                            if d.id in terms_of:
                                del terms_of[d.id]  # type: ignore[attr-defined]
                    return
            else:
                cache.close()
        search_reuse.explain(why)
    yield from _iter_index(docs, terms_of, consume, PostingsCache(cache_dir), patch=None, reuse=None, **kw)


class _ShardCountChanged(Exception):
    """A rebuild planned on the previous shard count found another one."""


def _digests(docs: list[Document], terms_of: Mapping[str, DocTerms],
             state: search_reuse.ShardState) -> tuple[list[bytes], dict[str, tuple[list[str], bytes]]]:
    """Every document's terms digest, and the terms and tf codes of those the previous
    build (state) did not have with that digest."""
    before = dict(zip(state.ids, state.digests, strict=True))
    digests, fresh = [], {}
    for d in docs:
        t = terms_of.get(d.id) or compact_terms(d)
        g = terms_digest(t.keys) if t.codes else search_reuse.EMPTY
        digests.append(g)
        if before.get(d.id) != g:
            fresh[d.id] = (t.keys.split("\n"), t.codes) if t.codes else ([], b"")
    return digests, fresh


def _iter_index(docs: list[Document], terms_of: Mapping[str, DocTerms], consume: bool, cache: PostingsCache, *,
                patch: search_reuse.Patch | None, reuse: Path | None, chunk: int, cache_dir: Path | None, groups: int | None,
                inline_names: int, dense_min: int | None, min_shards: int,
                state_out: list[search_reuse.ShardState] | None,
                ready: Callable[[], None] | None) -> Iterator[tuple[str, str | None]]:
    """iter_index over sorted `docs`; with a `patch` of the previous build's shards in
    `reuse`, only its dirty shards are made (from the previous ones), the others given as
    (path, None), and no postings are spilled."""
    number = {d.id: n for n, d in enumerate(docs)}
    vocab = Vocabulary(cache.terms)
    spill = PostingSpill(groups or group_count(len(docs)), cache_dir)
    digests: list[bytes] = []
    try:
        spill.add_terms(list(map(shard_key, cache.terms)))
        lengths: list[int] = []
        for n, d in enumerate(docs):
            t = (terms_of.pop(d.id, None) if consume else terms_of.get(d.id)) or compact_terms(d)  # type: ignore[attr-defined]
            lengths.append(t.length)
            yield f"d/{n}.js", script_file("d", n, None, t.record or snippet_store.body(doc_record(d), script_body))
            if not t.codes:
                digests.append(search_reuse.EMPTY)
                continue
            digest = terms_digest(t.keys)
            digests.append(digest)
            ids = cache.get(digest)
            if ids is None:
                ids = vocab.add(t.keys.split("\n"))
                spill.add_terms(list(map(shard_key, vocab.take_new())))
            cache.record(digest, ids)
            if patch is None:
                spill.add(ids, n, np.frombuffer(t.codes, dtype=np.uint8))
            else:
                spill.count(ids)
        terms, new_id = compact_ids(vocab.terms(), spill.used)
        del vocab
        cache.save(terms, new_id)
        token = cache.token
        del cache
        term_bytes = sum(len(t) for t in terms) * 3 + 6 * len(terms)
        k = shard_count(term_bytes + int(spill.total * 1.6), min_shards)
        if patch is not None and k != patch.shards:
            raise _ShardCountChanged
        encode = partial(encode_postings, dense_min=dense_min)
        if patch is None:
            for i, shard in shard_postings(spill, terms, new_id, k, encode):
                yield f"s/{i}.js", script_file("s", i, shard)
        else:
            assert reuse is not None
            for i, shard in search_reuse.patch_shards(reuse, patch, encode):
                yield f"s/{i}.js", script_file("s", i, shard)
            for i in np.flatnonzero(~patch.dirty).tolist():
                yield f"s/{i}.js", None
        if state_out is not None:
            state_out.append(search_reuse.ShardState(k, [d.id for d in docs], digests, token))
    finally:
        spill.close()

    if ready is not None:
        ready()  # the repost groups come from the link stage
    group = repost_groups({d.id: d.duplicates for d in docs})
    facets = {
        "year": [[y] if (y := year_of(d)) else [] for d in docs],
        "place": [labels.place_names(d) for d in docs],
        "speaker": [speakers_of(d) for d in docs],
        "type": [_one(d, "meeting_type") for d in docs],
        "genre": [_one(d, "genre") for d in docs],
    }
    yield from meta_files(docs, lengths, group, number, facets, k, chunk, inline_names).items()
    yield "t2s.js", script_file("t2s", 0, t2s_table())
    yield "dt.js", script_file("dt", 0, {"symbols": SYMBOLS, "oneByte": ONE_BYTE, "table": text_table()})


def doc_record(d: Document) -> dict[str, Any]:
    """The document's d/<n>.js record: what a result shows, and its packed text."""
    record_d: dict[str, Any] = {
        "id": d.id,
        "title": d.title,
        "date": str(d.value("date") or ""),
        "place": labels.place_label(d) or "",
        "speakers": labels.speaker_label(d) or "",
        "packed": pack_text("\n".join(d.paragraphs)),
    }
    pages = pages_of(d)
    if len(pages) > 1:  # where parts 2… start in the text: a hit links the part it is found in
        record_d["parts"] = part_offsets(d.paragraphs, pages)
    return record_d


@lru_cache(maxsize=1)  # read for t2s.js and again for the packed-text table
def t2s_table() -> str:
    """OpenCC's single-character traditional → simplified table as one string of pairs
    (traditional, simplified), for converting queries in the browser."""
    import opencc as opencc_pkg

    base = Path(opencc_pkg.__file__).parent / "dictionary"
    pairs = []
    for line in (base / "TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 2:
            continue
        trad, simp = parts[0], parts[1].split()[0]
        # BMP characters only: the client reads the table two UTF-16 units at a time
        if len(trad) == 1 and len(simp) == 1 and trad != simp and max(ord(trad), ord(simp)) <= 0xFFFF:
            pairs.append(trad + simp)
    return "".join(sorted(pairs))


def write_search_index(docs: list[Document], docs_dir: Path, out: Output,
                       terms_of: dict[str, DocTerms] | None = None, consume: bool = False,
                       cache_dir: Path | None = None, min_shards: int = MIN_SHARDS,
                       dense_min: int | None = DENSE_MIN_CHARS, ready: Callable[[], None] | None = None) -> dict[str, int]:
    """Write docs/searchindex/ through `out` (only changed files); return sizes for the
    build summary and the benchmark. `consume`, `cache_dir`, `min_shards`, `dense_min`, `ready`: see iter_index.
    With `cache_dir`, a rebuild encodes only the shards that change (search_reuse)."""
    index_dir = docs_dir / INDEX_DIR
    by_file: dict[str, int] = {}  # by path: a rebuild that starts again gives some files twice
    state: list[search_reuse.ShardState] = []
    forgotten = False
    for rel, text in iter_index(docs, terms_of, consume, cache_dir=cache_dir, min_shards=min_shards,
                                dense_min=dense_min, reuse=index_dir if cache_dir is not None else None, state_out=state,
                                ready=ready):
        if text is None:  # unchanged since the previous build, which wrote it
            path = index_dir / rel
            out.keep(path)
            by_file[rel] = path.stat().st_size
            continue
        data = text.encode("utf-8")
        out.write_bytes(index_dir / rel, data)
        by_file[rel] = len(data)
        if rel.startswith("s/") and not forgotten:  # shards change: a build stopping now leaves no state
            search_reuse.forget(cache_dir)
            forgotten = True
    if cache_dir is not None and state:
        search_reuse.save(cache_dir, state[-1], index_dir)
    sizes: dict[str, int] = defaultdict(int)
    for rel, n in by_file.items():
        sizes[rel.split("/", 1)[0] if "/" in rel else rel] += n
    return dict(sizes)


def index_bytes(site_or_docs: Path) -> int:
    """Bytes of the whole search index under a docs/ or site/ folder."""
    root = site_or_docs / INDEX_DIR
    return sum(p.stat().st_size for p in root.rglob("*.js")) if root.is_dir() else 0


def bm25_idf(n_docs: int, df: int) -> float:
    """The idf search.js uses; here for the ranking tests."""
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
