"""Read stage: corpus bytes → decoded text + given metadata.

A small registry keyed by file extension; every reader honours the same contract
`read(path, corpus_root) -> RawDoc`. Sources are never modified.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import markdown as md_lib
import nh3
import yaml
from markdownify import markdownify

from generator.model import RawDoc, SourceError
from generator.read.entries import read_source_bytes

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

# Editors' sidecar annotations live beside sources and are not sources themselves.
ANNOTATION_SUFFIX = ".meta.yml"


# ---------------------------------------------------------------- ids and paths


def file_id_for(rel_path: str) -> str:
    """Stable page id from the corpus path only, so better cleaning never moves a URL.

    ASCII path parts are kept readable; anything else (Chinese file names, spaces) is
    replaced by a short hash of the full path so ids stay URL-safe and unique.
    """
    stem = rel_path.rsplit(".", 1)[0] if "." in rel_path.rsplit("/", 1)[-1] else rel_path
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    pure = re.fullmatch(r"[A-Za-z0-9._/-]+", stem) is not None
    if not slug or not pure:
        digest = hashlib.sha1(rel_path.encode("utf-8")).hexdigest()[:10]
        slug = f"{slug}-{digest}" if slug and len(slug) >= 3 else f"doc-{digest}"
    return slug


def assign_file_ids(rel_paths: list[str]) -> dict[str, str]:
    """Unique ids for a whole corpus. The first file (in path order) keeps the plain
    id; a later file whose name differs only by extension or punctuation gets the
    extension appended, then a path hash, so two sources never share a page."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for rel in sorted(rel_paths):
        fid = file_id_for(rel)
        if fid in taken:
            ext = re.sub(r"[^a-z0-9]", "", rel.rsplit(".", 1)[-1].lower()) if "." in rel else ""
            fid = f"{fid}-{ext}" if ext else fid
        if fid in taken:
            fid = f"{fid}-{hashlib.sha1(rel.encode('utf-8')).hexdigest()[:8]}"
        taken.add(fid)
        out[rel] = fid
    return out


def iter_sources(corpus: Path) -> list[Path]:
    """Every source file under corpus/, sorted by path for deterministic output.

    Hidden files, annotations, READMEs, links and special files are not sources; the
    walk (entries.list_corpus) says why for each, and the pipeline reports them.
    """
    from generator.read.entries import list_corpus

    return list_corpus(corpus).sources


# ---------------------------------------------------------------- decoding

_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
]

# Encodings Chinese sources come in, in order of preference when two read equally well.
# Big5 has two supersets (Microsoft's cp950, Hong Kong's HKSCS) for characters plain
# Big5 lacks; they are tried after it so that a plain Big5 file is reported as Big5.
CANDIDATES = ("utf-8", "gb18030", "big5", "cp950", "big5hkscs")

# How many of the most frequent characters count as "common" (covers 99.8% of the
# character occurrences in jieba's dictionary words).
COMMON_SIZE = 4000
COMMON_CHARS_FILE = "common_chars.txt"


def derive_common_chars() -> str:
    """The common-character set, derived from data installed with the project: the
    characters of jieba's dictionary words weighted by word frequency (single-character
    entries are left out, because that dictionary itself holds mojibake such as 锛 or
    銆 as one-character "words"), plus their traditional forms from OpenCC's tables.
    generator/data/common_chars.txt is this function's output, so a run does not parse
    a 5 MB dictionary; a test checks the file still matches."""
    from collections import Counter

    import jieba
    import opencc as opencc_pkg

    weights: Counter[str] = Counter()
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            word, freq, _ = line.split(" ", 2)
            if len(word) >= 2:
                for ch in word:
                    weights[ch] += int(freq)
    common = {ch for ch, _ in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:COMMON_SIZE]
              if HAN.match(ch)}
    tables = Path(opencc_pkg.__file__).parent / "dictionary"
    variants: set[str] = set()
    for name, simplified_first in (("STCharacters.txt", True), ("TSCharacters.txt", False)):
        for line in (tables / name).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) != 2:
                continue
            left, right = parts[0], parts[1].split()
            if simplified_first and left in common:
                variants.update(right)
            elif not simplified_first and any(r in common for r in right):
                variants.add(left)
    chars = sorted(common | {v for v in variants if len(v) == 1})
    return "".join(chars)


@lru_cache(maxsize=1)
def common_chars() -> frozenset[str]:
    from generator.annotate.segment import data_lines

    return frozenset("".join(data_lines(COMMON_CHARS_FILE)))


# Characters that say nothing about the encoding: ASCII, Latin letters (pinyin tone
# marks), punctuation, full-width forms, circled numbers, simple shapes, whitespace.
# Kana, Hangul, box drawing, private-use and rare Han characters are what wrong
# decodings produce, so everything else is judged.
_NEUTRAL = frozenset(
    chr(o) for lo, hi in ((0, 0x24F), (0x2000, 0x206F), (0x2100, 0x24FF), (0x25A0, 0x25FF),
                          (0x3000, 0x303F), (0xFF00, 0xFFEF))
    for o in range(lo, hi + 1)
) | frozenset("\u00a0\u1680\u180e\u2028\u2029\u205f\u3000\ufeff")


def _counts(text: str) -> tuple[int, int]:
    """(judged characters, common characters) of `text`; set lookups mapped over the
    string run at C speed, which matters because every line of a file is judged."""
    judged = len(text) - sum(map(_NEUTRAL.__contains__, text))
    return judged, sum(map(common_chars().__contains__, text))


def plausibility(text: str) -> float:
    """How much `text` reads like real Chinese: the share of its judged characters
    (everything but ASCII, punctuation and other neutral signs) that are common
    characters. Real prose scores about 0.99 (names and rare words cost a little);
    UTF-8 read as GBK (鏂囦欢 for 文件), Big5 read as GBK, or noise score far lower.
    Text with nothing to judge (an English title, digits) scores 1.0."""
    judged, good = _counts(text)
    return good / judged if judged else 1.0


def looks_like_mojibake(text: str) -> bool:
    """A line or title that no reader would take for Chinese: at least four judged
    characters, fewer than 60% of them common."""
    judged, good = _counts(text)
    return judged >= 4 and good < 0.6 * judged


def _score(text: str) -> float:
    """Plausibility, less a penalty for every byte sequence that could not be decoded."""
    judged, good = _counts(text)
    if not judged:
        return 1.0
    return (good - 2 * text.count("\ufffd")) / judged


def _decode_whole(data: bytes) -> str:
    """The file's encoding: the candidate under which the most characters sit on lines
    that decode cleanly and read as Chinese (a mixed file is judged by its majority, not
    by how badly its odd line garbles). When no line reads well in any candidate, the
    least damaged decoding wins. Judged on the first 16 KB, cut at a line end."""
    sample = data
    if len(data) > 16384:
        cut = data.rfind(b"\n", 0, 16384)
        sample = data[: cut if cut > 0 else 16384]
    lines = [line for line in sample.split(b"\n") if not line.isascii()]
    best: tuple[int, float, int, str] | None = None
    seen: dict[str, str] = {}
    for rank, enc in enumerate(CANDIDATES):
        texts = [line.decode(enc, errors="replace") for line in lines]
        joined = "\n".join(texts)
        if joined in seen.values():
            continue  # a superset (cp950, HKSCS) that reads this file exactly as Big5 does
        seen[enc] = joined
        good = judged = common = bad = 0
        for text in texts:
            j, c = _counts(text)
            f = text.count("\ufffd")
            judged, common, bad = judged + j, common + c, bad + f
            if not j or (c - 2 * f) / j >= 0.8:
                good += len(text)
        whole = (common - 2 * bad) / judged if judged else 1.0
        key = (good, round(whole, 6), -rank, enc)
        if best is None or key[:3] > best[:3]:
            best = key
        if good == sum(len(t) for t in texts):
            break  # every line reads well: no later candidate can do better
    assert best is not None
    return best[3]


def _valid_utf8(line: bytes) -> bool:
    """Lines in another encoding inside a UTF-8 file show as U+FFFD; inside a GB18030
    or Big5 file a pasted UTF-8 line decodes without error, as mojibake, and is found
    this way: real GB18030 or Big5 text is almost never valid UTF-8."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _redecode_line(line: bytes, main: str) -> tuple[str, str | None]:
    """One line that reads badly in the file's encoding: another candidate that
    decodes it strictly and reads as real Chinese wins (a GBK line pasted into a UTF-8
    file); otherwise the main decoding stays, its bad bytes shown as U+FFFD."""
    text = line.decode(main, errors="replace")
    own = _score(text)
    best: tuple[float, str, str | None] = (own, text, None)
    for enc in CANDIDATES:
        if enc == main:
            continue
        try:
            alt = line.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _score(alt)
        if score >= 0.9 and score > best[0] + 0.2:
            best = (score, alt, enc)
    return best[1], best[2]


def decode(data: bytes, path: str) -> tuple[str, str, list[str]]:
    """Bytes → text, the encoding name, and warnings.

    A BOM is authoritative, and strict UTF-8 almost never decodes another encoding by
    accident. Otherwise every candidate encoding decodes the file and the one whose
    text reads most like Chinese wins (plausibility: share of common characters), not a
    detector's first guess. Then each line that still reads badly is tried in the other
    encodings, so a UTF-8 file with one GBK line stays UTF-8 with that line decoded
    on its own, and a warning names the line. Undecodable bytes are replaced (U+FFFD)
    and reported, never silently dropped.
    """
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "") + " (BOM)", warnings
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    if len(data) % 2 == 0:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _plausible_text(text) and plausibility(text) >= 0.8:
                return text, enc, warnings
    main = _decode_whole(data)
    lines: list[str] = []
    for n, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            lines.append(line.decode("ascii"))
            continue
        text = line.decode(main, errors="replace")
        if "\ufffd" in text or (main != "utf-8" and _valid_utf8(line) and looks_like_mojibake(text)):
            text, other = _redecode_line(line, main)
            if other:
                warnings.append(f"{path}:{n}: this line is {other}, not {main} like the rest of the file; "
                                f"decoded as {other}")
        bad = text.count("\ufffd")
        if bad:
            warnings.append(f"{path}:{n}: {bad} undecodable byte sequence(s) in {main}; shown as U+FFFD")
        lines.append(text)
    return "\n".join(lines), main, warnings


def _plausible_text(text: str) -> bool:
    """Chinese or ASCII text, not the noise that other encodings decode to as UTF-16:
    random byte pairs land on Han characters only about a third of the time."""
    if not text:
        return False
    sample = text[:5000]
    good = sum(
        1 for c in sample
        if (c.isascii() and (c.isprintable() or c in "\r\n\t"))
        or "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
        or "\u00c0" <= c <= "\u024f" or c in "“”‘’…—·"
    )
    return good >= 0.97 * len(sample)


def normalize_newlines(text: str) -> str:
    """CRLF/CR → LF. No Unicode normalization: NFC would replace CJK compatibility
    ideographs with other code points, and the archive keeps the source's characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return text.replace("\x00", "")


# ---------------------------------------------------------------- front matter


class NoDatesLoader(yaml.SafeLoader):
    """Safe loader that keeps dates as written, so "+0800" time zones are not lost."""


NoDatesLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}

# Jekyll itself accepts a BOM and editors often leave blank lines above the opening
# '---'; both are still front matter.
_FM_OPEN = re.compile(r"\A\ufeff?(?P<blank>(?:[ \t\u3000]*\n)*)---[ \t]*\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    """Jekyll-style `---` YAML header → (mapping, body, body start line).

    A header at the very top that is broken is an error naming its line. After blank
    lines the '---' could also be a text's own separator rule, so there a block that is
    not a closed YAML mapping is left in the text rather than refused."""
    m = _FM_OPEN.match(text)
    if not m:
        return {}, text, 1
    lenient = bool(m.group("blank"))
    close = _FM_CLOSE.search(text, m.end())
    if not close:
        if lenient:
            return {}, text, 1
        raise SourceError(path, "front matter opened with '---' but never closed", 1)
    raw = text[m.end() : close.start()]
    offset = m.group("blank").count("\n")
    try:
        data = yaml.load(raw, Loader=NoDatesLoader)
    except yaml.YAMLError as exc:
        if lenient:
            return {}, text, 1
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 + offset if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceError(path, f"invalid YAML front matter: {problem}", line) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        if lenient:
            return {}, text, 1
        raise SourceError(path, "front matter is not a mapping of field: value", 2)
    body_line = text.count("\n", 0, close.end()) + 2
    body = text[close.end() :]
    if body.startswith("\n"):
        body = body[1:]
    return {str(k): v for k, v in data.items()}, body, body_line


# ---------------------------------------------------------------- HTML → text

_ALLOWED_TAGS = {
    "p", "br", "a", "strong", "b", "em", "i", "u", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "blockquote", "div", "span", "section", "article", "table", "thead",
    "tbody", "tr", "td", "th", "pre", "code", "sub", "sup", "hr", "main", "center", "font",
}
_BLOCK_HTML = re.compile(r"<(p|div|br|h[1-6]|table|ul|ol|li|section|article)\b[^>]*>", re.I)
_CHROME = re.compile(
    r"<(script|style|noscript|iframe|nav|header|footer|aside|form|select|button|template|svg)\b.*?</\1\s*>",
    re.I | re.S,
)
_MAIN_CANDIDATES = [
    re.compile(r"<article\b[^>]*>(.*?)</article\s*>", re.I | re.S),
    re.compile(r"<main\b[^>]*>(.*?)</main\s*>", re.I | re.S),
]
_BODY = re.compile(r"<body\b[^>]*>(.*)</body\s*>", re.I | re.S)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")


def _strip_tags(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).strip()


def looks_like_html(body: str) -> bool:
    return len(_BLOCK_HTML.findall(body[:20000])) >= 1


def html_to_text(fragment: str) -> tuple[str, list[str]]:
    """Sanitize, then convert to Markdown-ish text where only paragraphs and links survive.

    nh3 removes script, style, event handlers and javascript: URLs; markdownify turns what
    is left into text with [text](url) links. Returns the text and the Han text lost on
    the way (alt texts, scripts), so the fidelity check can account for it.
    """
    # '<http://…>' autolinks would be eaten as unknown tags; keep them as text
    fragment = re.sub(r"<((?:https?:)?//[^\s<>\"]+)>", lambda m: html.escape(m.group(1)), fragment)
    # everything Han in the fragment, inside tags and comments too, so that alt texts
    # and attributes dropped by the sanitizer are accounted for
    before = "".join(HAN.findall(html.unescape(fragment)))
    cleaned = nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
    text = markdownify(
        cleaned,
        heading_style="ATX",
        escape_asterisks=False,
        escape_underscores=False,
        escape_misc=False,
        strip=["img"],
    )
    after = "".join(HAN.findall(text))
    lost = _han_difference(before, after)
    return text, ([lost] if lost else [])


def _han_difference(before: str, after: str) -> str:
    """Han characters of `before` missing from `after` (multiset difference, in order)."""
    from collections import Counter

    have = Counter(after)
    out = []
    for ch in before:
        if have[ch] > 0:
            have[ch] -= 1
        else:
            out.append(ch)
    return "".join(out)


def extract_web_page(page: str) -> tuple[str | None, str, list[str]]:
    """A saved web page → (title, main content HTML, removed chrome).

    Page chrome (script, nav, header, footer, aside, forms) is dropped first; then the
    <article> or <main> element wins, else the whole <body>.
    """
    title = None
    h1 = _H1.search(page)
    t = _TITLE.search(page)
    if h1 and _strip_tags(h1.group(1)):
        title = _strip_tags(h1.group(1))
    elif t and _strip_tags(t.group(1)):
        title = _strip_tags(t.group(1))
    removed = ["".join(HAN.findall(_strip_tags(m.group(0)))) for m in _CHROME.finditer(page)]
    if t:
        removed.append("".join(HAN.findall(_strip_tags(t.group(1)))))
    body = _CHROME.sub("", page)
    head = re.search(r"<head\b.*?</head\s*>", body, re.I | re.S)
    if head:
        # the <title> is kept as the title; the rest of <head> is not text
        rest = _TITLE.sub("", head.group(0))
        removed.append("".join(HAN.findall(html.unescape(rest))))
        body = body[: head.start()] + body[head.end() :]
    main = None
    for rx in _MAIN_CANDIDATES:
        mm = rx.search(body)
        if mm:
            main = mm.group(1)
            outside = body[: mm.start()] + body[mm.end() :]
            bm = _BODY.search(outside)
            removed.append("".join(HAN.findall(_strip_tags(bm.group(1) if bm else outside))))
            break
    if main is None:
        bm = _BODY.search(body)
        main = bm.group(1) if bm else body
    return title, main, [r for r in removed if r]


def markdown_to_html(body: str) -> str:
    return md_lib.markdown(body, extensions=["extra"])


# ---------------------------------------------------------------- readers


def _raw(path: Path, corpus: Path) -> tuple[str, str, bytes, str, str, list[str]]:
    rel = path.relative_to(corpus).as_posix()
    try:
        data = read_source_bytes(path)
    except OSError as exc:
        raise SourceError(rel, f"cannot read file: {exc.strerror or exc}") from None
    text, enc, warnings = decode(data, rel)
    if looks_binary(text):
        raise SourceError(rel, f"not a text file (mostly control or undecodable bytes in {enc}); not read")
    return rel, file_id_for(rel), data, normalize_newlines(text), enc, warnings


def looks_binary(text: str) -> bool:
    """A PDF, image or archive dropped into corpus/ would decode to a page of noise;
    it is reported instead. More than a tenth of control or replacement characters
    never happens in a real text, even a damaged one."""
    sample = text[:8000]
    if not sample:
        return False
    bad = sum(1 for c in sample if (c < " " and c not in "\t\n\r\f\v") or c == "\ufffd" or c == "\x7f")
    return bad > max(16, 0.1 * len(sample))


def _build(
    path: Path, corpus: Path, default_format: str, web_page: bool = False
) -> RawDoc:
    rel, fid, data, text, enc, warnings = _raw(path, corpus)
    fm, body, body_line = split_front_matter(text, rel)
    markup_removed: list[str] = []
    html_title = None
    fmt = default_format
    if web_page and not fm and re.search(r"<html|<body|<head", body[:5000], re.I):
        html_title, main, markup_removed = extract_web_page(body)
        body, lost = html_to_text(main)
        markup_removed += lost
        fmt = "html"
    elif looks_like_html(body) and default_format != "markdown-strict":
        body, lost = html_to_text(body)
        markup_removed += lost
        fmt = "html"
    elif default_format == "markdown":
        body, lost = html_to_text(markdown_to_html(body))
        markup_removed += lost
        fmt = "markdown"
    return RawDoc(
        source_path=rel,
        file_id=fid,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding=enc,
        text=body,
        body_format=fmt,  # type: ignore[arg-type]
        body_line=body_line,
        front_matter=fm,
        warnings=warnings,
        markup_removed=markup_removed,
        html_title=html_title,
    )


def read_text(path: Path, corpus: Path) -> RawDoc:
    return _build(path, corpus, "text")


def read_markdown(path: Path, corpus: Path) -> RawDoc:
    return _build(path, corpus, "markdown")


def read_html(path: Path, corpus: Path) -> RawDoc:
    return _build(path, corpus, "html", web_page=True)


READERS: dict[str, Callable[[Path, Path], RawDoc]] = {
    ".txt": read_text,
    ".text": read_text,
    "": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
}


def read(path: Path, corpus: Path) -> RawDoc:
    """Dispatch on extension; unknown extensions are read as plain text with a warning
    rather than skipped, because a source that silently vanishes is worse. Formats that
    are not text (PDF, Word, scans, MHTML) are recognized by content in formats.py."""
    from generator.read.formats import READERS as FORMAT_READERS
    from generator.read.formats import detect

    fmt = detect(path)
    if fmt is not None:
        return FORMAT_READERS[fmt](path, corpus)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        doc = read_text(path, corpus)
        doc.warnings.append(f"{doc.source_path}: unknown extension {path.suffix!r}, read as plain text")
        return doc
    return reader(path, corpus)
