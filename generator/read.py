"""Read stage: corpus bytes → decoded text + given metadata.

A small registry keyed by file extension; every reader honours the same contract
`read(path, corpus_root) -> RawDoc`. Sources are never modified.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import markdown as md_lib
import nh3
import yaml
from charset_normalizer import from_bytes
from markdownify import markdownify

from .model import RawDoc, SourceError

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

    Hidden files, annotations and symlinks leaving the corpus are skipped: a link to
    /etc/passwd must not end up published as a 'source'.
    """
    root = corpus.resolve()
    found: list[Path] = []
    for p in sorted(corpus.rglob("*")):
        rel = p.relative_to(corpus)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if p.name.endswith(ANNOTATION_SUFFIX) or p.name.lower() in {"readme.md", "readme"}:
            continue
        if not p.is_file():
            continue
        try:
            p.resolve().relative_to(root)
        except ValueError:
            continue
        found.append(p)
    return found


# ---------------------------------------------------------------- decoding

_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
]


def decode(data: bytes, path: str) -> tuple[str, str, list[str]]:
    """Bytes → text, the encoding name, and warnings.

    A BOM is authoritative; strict UTF-8 is tried next because it almost never decodes
    other encodings by accident; only then is charset-normalizer asked, limited to the
    encodings Chinese sources come in so that it cannot pick an exotic code page.
    Undecodable bytes are replaced (U+FFFD) and reported, never silently dropped.
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
    mostly = data.decode("utf-8", errors="replace")
    bad = mostly.count("\ufffd")
    if bad <= max(2, len(mostly) // 1000):
        # a UTF-8 file with a few damaged bytes: keep it UTF-8 and say where it broke
        warnings.append(f"{path}: {bad} undecodable byte sequence(s) in utf-8; shown as U+FFFD")
        return mostly, "utf-8", warnings
    if len(data) % 2 == 0:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _plausible_text(text):
                return text, enc, warnings
    best = from_bytes(
        data, cp_isolation=["utf_8", "gb18030", "big5", "big5hkscs", "utf_16", "gbk"]
    ).best()
    candidates = [best.encoding] if best is not None else []
    candidates += ["gb18030", "big5"]
    for enc in candidates:
        try:
            return data.decode(enc), enc, warnings
        except UnicodeDecodeError:
            continue
    enc = candidates[0]
    text = data.decode(enc, errors="replace")
    bad = text.count("\ufffd")
    warnings.append(f"{path}: {bad} undecodable byte sequence(s) in {enc}; shown as U+FFFD")
    return text, enc, warnings


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

_FM_OPEN = re.compile(r"\A\ufeff?---[ \t]*\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    """Jekyll-style `---` YAML header → (mapping, body, body start line)."""
    m = _FM_OPEN.match(text)
    if not m:
        return {}, text, 1
    close = _FM_CLOSE.search(text, m.end())
    if not close:
        raise SourceError(path, "front matter opened with '---' but never closed", 1)
    raw = text[m.end() : close.start()]
    try:
        data = yaml.load(raw, Loader=NoDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceError(path, f"invalid YAML front matter: {problem}", line) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
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
        data = path.read_bytes()
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
    rather than skipped, because a source that silently vanishes is worse."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        doc = read_text(path, corpus)
        doc.warnings.append(f"{doc.source_path}: unknown extension {path.suffix!r}, read as plain text")
        return doc
    return reader(path, corpus)
