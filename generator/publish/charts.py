"""Charts of what the archive holds, drawn at build time as SVG with matplotlib.

SVG needs no script and works offline. Labels stay SVG <text> (svg.fonttype 'none'), so
the reader's own CJK fonts draw them and they remain selectable and searchable. Output is
deterministic: a fixed hash salt for element ids and no creation date in the metadata, so
one corpus gives byte-identical files. Every chart comes with its numbers as data
(`ChartData.rows`) for the text table next to it.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass

from generator.model import Document
from generator.publish.labels import is_national

# the reader's fonts first; the generic family last
FONT_FAMILY = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei",
               "sans-serif"]
TOP_KEYWORDS = 5
MAX_PROVINCES = 20


@dataclass
class ChartData:
    """A chart's numbers: the same rows the SVG draws, for its text equivalent."""

    name: str
    title: str
    header: list[str]
    rows: list[list[str]]
    svg: str


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "svg.fonttype": "none",
        "svg.hashsalt": "speech-archive",
        "font.family": FONT_FAMILY,
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    })
    # machines without a CJK font still measure labels with a fallback; that is not an error
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    return plt


def _svg(fig) -> str:
    buf = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    # the XML prologue and DOCTYPE are for standalone files; keep them, they are valid in an <img>
    return buf.getvalue()


def years_counts(docs: list[Document]) -> dict[str, int]:
    """Documents per year, with the years in between that have none (a gap is information)."""
    c: Counter[str] = Counter(str(d.value("date"))[:4] for d in docs if d.value("date"))
    if not c:
        return {}
    years = [int(y) for y in c if y.isdigit()]
    span = [str(y) for y in range(min(years), max(years) + 1)] if years else []
    return {y: c.get(y, 0) for y in sorted(set(span) | set(c))}


def province_counts(docs: list[Document]) -> list[tuple[str, int]]:
    c: Counter[str] = Counter((d.value("place") or {}).get("province") for d in docs
                              if (d.value("place") or {}).get("province"))
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))


def keyword_shares(docs: list[Document]) -> tuple[list[str], list[str], dict[str, dict[str, float]]]:
    """The archive's most frequent keywords and, per year, the share of that year's
    documents tagged with each."""
    overall: Counter[str] = Counter(k for d in docs for k in d.keywords)
    top = [k for k, _ in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_KEYWORDS]]
    per_year: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        if d.value("date"):
            per_year[str(d.value("date"))[:4]].append(d)
    years = sorted(per_year)
    share = {k: {y: sum(k in d.keywords for d in per_year[y]) / len(per_year[y]) for y in years} for k in top}
    return top, years, share


def years_chart(docs: list[Document]) -> ChartData:
    plt = _pyplot()
    counts = years_counts(docs)
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    ax.bar(list(counts), list(counts.values()), color="#c62828")
    ax.set_ylabel("篇数")
    ax.set_title("每年篇数（按讲话或会议日期）")
    ax.yaxis.get_major_locator().set_params(integer=True)
    undated = sum(1 for d in docs if not d.value("date"))
    rows = [[y, str(n)] for y, n in counts.items()] + ([["日期不明", str(undated)]] if undated else [])
    return ChartData("years", "每年篇数", ["年份", "篇数"], rows, _svg(fig))


def provinces_chart(docs: list[Document]) -> ChartData:
    plt = _pyplot()
    counts = province_counts(docs)
    shown = counts[:MAX_PROVINCES][::-1]
    fig, ax = plt.subplots(figsize=(6.4, 0.6 + 0.28 * max(1, len(shown))))
    ax.barh([p for p, _ in shown], [n for _, n in shown], color="#c62828")
    ax.set_xlabel("篇数")
    ax.set_title("各省篇数" + (f"（前 {MAX_PROVINCES} 个）" if len(counts) > MAX_PROVINCES else ""))
    ax.xaxis.get_major_locator().set_params(integer=True)
    national = sum(1 for d in docs if is_national(d))  # no province, but known: 全国, not 地点不明
    noplace = sum(1 for d in docs if not (d.value("place") or {}).get("province")) - national
    rows = ([[p, str(n)] for p, n in counts] + ([["全国", str(national)]] if national else [])
            + ([["地点不明", str(noplace)]] if noplace else []))
    return ChartData("provinces", "各省篇数", ["省份", "篇数"], rows, _svg(fig))


def keywords_chart(docs: list[Document]) -> ChartData:
    plt = _pyplot()
    top, years, share = keyword_shares(docs)
    fig, ax = plt.subplots(figsize=(6.4, 2.8))
    for k in top:
        ax.plot(years, [share[k][y] * 100 for y in years], marker="o", label=k)
    ax.set_ylabel("占当年篇数 %")
    ax.set_title(f"前 {len(top)} 个关键词逐年所占比例")
    if top:
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    rows = [[y] + [f"{share[k][y] * 100:.0f}%" for k in top] for y in years]
    return ChartData("keywords", "关键词逐年比例", ["年份", *top], rows, _svg(fig))


def all_charts(docs: list[Document]) -> dict[str, ChartData]:
    return {c.name: c for c in (years_chart(docs), provinces_chart(docs), keywords_chart(docs))}
