"""Jekyll-style YAML front matter at the top of a text source."""

from __future__ import annotations

import re
from typing import Any

import yaml

from generator.model import SourceError


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
