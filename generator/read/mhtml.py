"""MHTML reader: a web page saved with its resources in one MIME file (.mht, .mhtml,
browsers' "save as single file"). The first text/html part is the page; it is decoded by
its declared charset (GB2312 and GBK read as their superset GB18030) and then read as
any saved web page (generator/read/html.py: chrome removed, sanitized, to text).
"""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from generator.model import RawDoc, SourceError
from generator.read.extracted import raw_from_text, source_bytes

_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "cp950"}


def looks_like_mhtml(head: bytes) -> bool:
    """MIME headers at the top and a multipart/related body: what browsers write."""
    top = head[:4096].lower()
    return b"mime-version:" in top and b"multipart/related" in top


def read_mhtml(path: Path, corpus: Path) -> RawDoc:
    from generator.read import extract_web_page, html_to_text

    rel, data = source_bytes(path, corpus)
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    part = next((p for p in msg.walk() if p.get_content_type() == "text/html"), None)
    if part is None:
        raise SourceError(rel, "MHTML file without an HTML part; not read")
    payload = part.get_payload(decode=True) or b""
    declared = (part.get_content_charset() or "utf-8").lower()
    charset = _SUPERSETS.get(declared, declared)
    warnings: list[str] = []
    try:
        page = payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        from generator.read import decode

        page, charset, warnings = decode(payload, rel)
    title, main, removed = extract_web_page(page)
    body, lost = html_to_text(main)
    raw = raw_from_text(rel, data, body, "mhtml", encoding=f"MHTML ({charset})", warnings=warnings,
                        body_format="html")
    raw.html_title = title
    raw.markup_removed = removed + lost
    return raw
