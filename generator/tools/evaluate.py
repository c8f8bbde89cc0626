"""`python -m generator evaluate CORPUS GOLD.json`: how right is the archive's metadata?

An editor who adds thousands of documents cannot read every page. A small hand-checked
sample (the gold file) tells how often the generator is right, how often it says
"unknown", and — what matters most — how often it says something false. The real
pipeline runs on the folder (nothing is written: `collect` only reads), each document
is compared field by field with the gold facts, and thresholds make the command fail
in CI when quality drops.

Gold file: `{"documents": [{"file": <path relative to CORPUS>, "title": …, "year": …,
"date": "YYYY-MM-DD", "province": …, "city": …, "county": …, "speaker": …,
"level": national|province|city|county-level district, "kind": …}, …]}`. A `null` is
"not known", never checked — except that a national document (level national) must
have no province, city or county: giving it one is wrong. The gold's `kind` (news
report, speech, template, communique, work report) is scored as the archive's genre;
`other` (letters, chronicles, features) has no genre of its own and is not scored.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.annotate import GENRES
from generator.clean import looks_mojibake
from generator.clean.script import to_simplified
from generator.model import Document

FIELDS = ["title", "year", "date", "province", "city", "county", "speaker", "level", "genre"]

# gold wording → the archive's own vocabulary
LEVELS = {"national": "全国", "province": "省", "city": "市", "county": "县区",
          "county-level district": "县区", "district": "县区"}
KINDS = {"work report": "工作报告", "speech": "讲话稿", "news report": "会议报道", "meeting report": "会议报道",
         "template": "范文", "communique": "公报决议", "resolution": "公报决议"}
# the gold file's name for a field, where it differs from the archive's
GOLD_KEYS = {"genre": "kind"}
NONE = "（无）"  # what a national document must have as province, city and county


class GoldError(Exception):
    """The gold file cannot be used; the message says why."""


@dataclass
class Check:
    file: str
    field: str
    expected: Any
    got: Any
    evidence: str | None
    verdict: str  # right | wrong | unknown


@dataclass
class Evaluation:
    checks: list[Check] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # gold files with no document
    split: list[str] = field(default_factory=list)  # gold files that became several documents
    mojibake_titles: list[str] = field(default_factory=list)
    national_with_province: list[str] = field(default_factory=list)
    # a year or day the gold says the text does not determine: a false fact the table
    # does not count, since it only checks values the gold knows
    dated_beyond_gold: list[str] = field(default_factory=list)
    null_dates: bool = False
    documents: int = 0
    errors: list[str] = field(default_factory=list)

    def counts(self, name: str) -> dict[str, int]:
        c = {"right": 0, "wrong": 0, "unknown": 0, "known": 0}
        for ch in self.checks:
            if ch.field == name:
                c[ch.verdict] += 1
                c["known"] += 1
        return c

    def rate(self, name: str | None, verdict: str) -> float:
        """Share of known facts (of one field, or of all) with this verdict."""
        checks = [c for c in self.checks if name is None or c.field == name]
        return sum(c.verdict == verdict for c in checks) / len(checks) if checks else 1.0

    def as_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "fields": {f: self.counts(f) for f in FIELDS if self.counts(f)["known"]},
            "total": {"checked": len(self.checks), "wrong": sum(c.verdict == "wrong" for c in self.checks),
                      "wrong_rate": round(self.rate(None, "wrong"), 4)},
            "wrong": [c.__dict__ for c in self.checks if c.verdict == "wrong"],
            "missing": self.missing,
            "split": self.split,
            "mojibake_titles": self.mojibake_titles,
            "national_with_province": self.national_with_province,
            "dated_beyond_gold": self.dated_beyond_gold,
            "errors": self.errors,
        }


def _norm(s: object) -> str:
    """Titles compare without spaces and in simplified script (政 府 工 作 报 告 = 政府工作报告)."""
    return re.sub(r"[\s\u3000]+", "", to_simplified(str(s)))


def _got(doc: Document, name: str) -> tuple[Any, str | None]:
    """The archive's value for a gold field, and its evidence."""
    place = doc.value("place") or {}
    ev_place = doc.meta["place"].evidence if "place" in doc.meta else None
    if name == "title":
        f = doc.meta.get("title")
        return (f.value if f and f.value else None), (f.evidence if f else None)
    if name in ("year", "date"):
        f = doc.meta.get("date")
        value = str(f.value) if f and f.value else None
        if value is None:
            return None, None
        if name == "year":
            return int(value[:4]), f.evidence
        return (value if len(value) == 10 else None), f.evidence
    if name in ("province", "city", "county"):
        return place.get(name), ev_place
    if name == "speaker":
        f = doc.meta.get("speakers")
        if not f or not f.value:
            return None, None
        return f.value[0].get("name"), f.evidence
    if name == "level":
        f = doc.meta.get("level")
        return (f.value if f else None), (f.evidence if f else None)
    if name == "genre":
        f = doc.meta.get("genre")
        return (f.value if f else None), (f.evidence if f else None)
    raise KeyError(name)


def compare(doc: Document, gold: dict[str, Any], file: str) -> list[Check]:
    national = gold.get("level") == "national"
    out: list[Check] = []
    for name in FIELDS:
        expected = gold.get(name, gold.get(GOLD_KEYS.get(name, name)))
        if name == "level" and expected is not None:
            expected = LEVELS.get(str(expected))
        if name == "genre" and expected is not None:
            # kinds the archive has no genre for ('other') are not checked; a gold file may
            # also use the archive's own words (讲话稿)
            expected = KINDS.get(str(expected), str(expected) if str(expected) in GENRES else None)
        if national and name in ("province", "city", "county") and expected is None:
            expected = NONE
        if expected is None:
            continue
        got, ev = _got(doc, name)
        if expected == NONE:
            verdict = "right" if got is None else "wrong"
            got = got or NONE
        elif got is None:
            verdict = "unknown"
        elif name == "title":
            verdict = "right" if _norm(got) == _norm(expected) else "wrong"
        elif name == "year":
            verdict = "right" if int(got) == int(expected) else "wrong"
        elif name == "speaker":
            verdict = "right" if _norm(got) == _norm(expected) else "wrong"
        else:
            verdict = "right" if str(got) == str(expected) else "wrong"
        out.append(Check(file, name, expected, got, ev, verdict))
    return out


def load_gold(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GoldError(f"{path}: cannot read gold file: {exc}") from exc
    docs = data.get("documents") if isinstance(data, dict) else data
    if not isinstance(docs, list) or not all(isinstance(d, dict) and isinstance(d.get("file"), str) for d in docs):
        raise GoldError(f"{path}: expected {{\"documents\": [{{\"file\": …, …}}]}}")
    return docs


def evaluate(corpus: Path, gold_path: Path, *, null_dates: bool = False) -> Evaluation:
    """Run read → clean → annotate on `corpus` and compare with the gold facts. With
    `null_dates`, a null year or date in the gold means the text does not determine it,
    and a value given there is listed (the table counts only what the gold knows)."""
    from generator.pipeline import collect

    gold = load_gold(gold_path)
    if not corpus.is_dir():
        raise GoldError(f"{corpus}: not a folder")
    with tempfile.TemporaryDirectory(prefix="evaluate-") as tmp:
        report = collect(Path(tmp), progress=False, corpus=corpus)
    ev = Evaluation(documents=len(report.documents), errors=list(report.errors), null_dates=null_dates)
    by_file: dict[str, list[Document]] = {}
    for d in report.documents:
        by_file.setdefault(d.source_path, []).append(d)
        if looks_mojibake(d.title):
            ev.mojibake_titles.append(f"{d.id}: {d.title}")
        if d.value("level") == "全国" and (d.value("place") or {}).get("province"):
            ev.national_with_province.append(d.id)
    for g in gold:
        docs = by_file.get(g["file"])
        if not docs:
            ev.missing.append(g["file"])
            continue
        if len(docs) > 1:
            ev.split.append(f"{g['file']} → {len(docs)} documents (the first is compared)")
        doc = docs[0]
        if g.get("level") == "national" and (doc.value("place") or {}).get("province"):
            if doc.id not in ev.national_with_province:
                ev.national_with_province.append(doc.id)
        ev.checks.extend(compare(doc, g, g["file"]))
        if null_dates:
            ev.dated_beyond_gold.extend(_dated_beyond(doc, g))
    return ev


def _dated_beyond(doc: Document, gold: dict[str, Any]) -> list[str]:
    """The year, or the day, the document is given where the gold explicitly leaves it null."""
    out = []
    for name in ("year", "date"):
        if name in gold and gold[name] is None:
            got, ev = _got(doc, name)
            if got is not None and (name == "year" or doc.value("date_precision") == "day"):
                out.append(f"{gold['file']}  {name} {got}  (evidence: {str(ev or '')[:120]})")
    return out


def table(ev: Evaluation) -> str:
    """The per-field table, then every wrong value with its evidence."""
    lines = [f"documents: {ev.documents}   gold files: {len({c.file for c in ev.checks}) + len(ev.missing)}", "",
             f"{'field':<10}{'right':>7}{'wrong':>7}{'unknown':>9}{'known':>7}{'right %':>9}{'wrong %':>9}"]
    for name in FIELDS:
        c = ev.counts(name)
        if not c["known"]:
            continue
        lines.append(f"{name:<10}{c['right']:>7}{c['wrong']:>7}{c['unknown']:>9}{c['known']:>7}"
                     f"{100 * c['right'] / c['known']:>8.1f}%{100 * c['wrong'] / c['known']:>8.1f}%")
    wrong = sum(c.verdict == "wrong" for c in ev.checks)
    lines.append(f"{'all':<10}{sum(c.verdict == 'right' for c in ev.checks):>7}{wrong:>7}"
                 f"{sum(c.verdict == 'unknown' for c in ev.checks):>9}{len(ev.checks):>7}"
                 f"{100 * ev.rate(None, 'right'):>8.1f}%{100 * ev.rate(None, 'wrong'):>8.1f}%")
    lines += ["", f"national documents placed in a province: {len(ev.national_with_province)}",
              f"mojibake titles: {len(ev.mojibake_titles)}",
              *([f"years or days given where the gold has none (--null-dates): {len(ev.dated_beyond_gold)}"]
                if ev.null_dates else []),
              f"files split into several documents: {len(ev.split)}",
              f"gold files without a document: {len(ev.missing)}"]
    for s in ev.split:
        lines.append(f"  split    {s}")
    for s in ev.missing:
        lines.append(f"  missing  {s}")
    for s in ev.mojibake_titles:
        lines.append(f"  mojibake {s}")
    for s in ev.dated_beyond_gold:
        lines.append(f"  dated    {s}")
    for e in ev.errors:
        lines.append(f"  error    {e}")
    bad = [c for c in ev.checks if c.verdict == "wrong"]
    if bad:
        lines += ["", "wrong values:"]
        for c in bad:
            evidence = (c.evidence or "—").replace("\n", " ")[:90]
            lines.append(f"  {c.file}  {c.field}: expected {c.expected!r}, got {c.got!r}  (evidence: {evidence})")
    return "\n".join(lines)


def parse_min_right(specs: list[str]) -> dict[str | None, float]:
    """`--min-right 0.95` (every field) or `--min-right year=0.95`; a rate is 0–1 or a percentage."""
    out: dict[str | None, float] = {}
    for spec in specs:
        name, _, rate = spec.rpartition("=")
        name = {v: k for k, v in GOLD_KEYS.items()}.get(name, name)  # `kind=0.95` names the genre too
        if name and name not in FIELDS:
            raise GoldError(f"--min-right {spec}: unknown field {name!r} (one of {', '.join(FIELDS)})")
        out[name or None] = parse_rate(rate, "--min-right")
    return out


def parse_rate(s: str, option: str) -> float:
    try:
        v = float(s.rstrip("%"))
    except ValueError as exc:
        raise GoldError(f"{option} {s}: not a rate (0.95 or 95%)") from exc
    if s.endswith("%") or v > 1:
        v /= 100
    if not 0 <= v <= 1:
        raise GoldError(f"{option} {s}: a rate is between 0 and 1")
    return v


def failures(ev: Evaluation, min_right: dict[str | None, float], max_wrong: float | None) -> list[str]:
    """Thresholds that do not hold, each as a sentence for the console."""
    out = []
    for name, rate in sorted(min_right.items(), key=lambda kv: kv[0] or ""):
        names = [name] if name else [f for f in FIELDS if ev.counts(f)["known"]]
        for f in names:
            r = ev.rate(f, "right")
            if r < rate:
                out.append(f"{f}: {100 * r:.1f}% right, below the minimum {100 * rate:.1f}%")
    if max_wrong is not None and ev.rate(None, "wrong") > max_wrong:
        out.append(f"wrong values: {100 * ev.rate(None, 'wrong'):.1f}% of checked facts, above the maximum "
                   f"{100 * max_wrong:.1f}%")
    return out
