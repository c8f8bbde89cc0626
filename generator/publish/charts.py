"""Charts of what the archive holds, drawn at build time as SVG with matplotlib.

SVG needs no script and works offline. Labels stay SVG <text> (svg.fonttype 'none'), so
the reader's own CJK fonts draw them and they remain selectable and searchable. Output is
deterministic: a fixed hash salt for element ids and no creation date in the metadata, so
one corpus gives byte-identical files. Every chart comes with its numbers as data
(`ChartData.rows`) for the text table next to it.

Each chart is drawn twice: wide for a desktop column and narrow for a phone (the page
picks one with <picture>). One wide drawing shrunk to a phone's 343 pixels set its
10-point labels at 7 pixels; the narrow one is drawn at about the width it is shown, so
its labels keep their size. Years are a numeric axis with at most a few integer ticks,
never one label per year: 74 years of labels at one per bar overlapped.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from generator.model import Document
from generator.publish.labels import is_national

# the reader's fonts first; the generic family last
FONT_FAMILY = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei",
               "sans-serif"]
TOP_KEYWORDS = 5
MAX_PROVINCES = 20
# inches: the wide chart fills a desktop text column; the narrow one is about 330 CSS
# pixels, a phone's column (375 minus Material's margins), so it is shown near 1:1
WIDE = 6.4
NARROW = 3.4
# year ticks at most: about 55 pixels per label either way, room for "2026" and a gap
YEAR_TICKS = {WIDE: 10, NARROW: 5}


@dataclass
class ChartData:
    """A chart's numbers: the same rows the SVG draws, for its text equivalent. The
    drawings are made when first asked for: the pages need only the numbers, and the
    drawing (matplotlib, about two seconds for the three charts) can then be done by
    another process (write_charts, run beside the write stage)."""

    name: str
    title: str
    header: list[str]
    rows: list[list[str]]
    draw: Callable[[float], str] = field(repr=False, compare=False)

    @cached_property
    def svg(self) -> str:
        return self.draw(WIDE)

    @cached_property
    def svg_narrow(self) -> str:
        return self.draw(NARROW)


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


def _year_axis(ax, years: list[int], width: float) -> None:
    """Years as numbers with a few integer ticks, so labels never crowd: one tick per
    year overlaps as soon as an archive spans a few decades."""
    from matplotlib.ticker import FormatStrFormatter, MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=YEAR_TICKS[width], integer=True, min_n_ticks=1))
    ax.xaxis.set_major_formatter(FormatStrFormatter("%d"))
    if years:
        ax.set_xlim(min(years) - 0.6, max(years) + 0.6)


def years_chart(docs: list[Document]) -> ChartData:
    plt = _pyplot()
    counts = years_counts(docs)
    numeric = {int(y): n for y, n in counts.items() if y.isdigit()}

    def draw(width: float) -> str:
        fig, ax = plt.subplots(figsize=(width, 2.6))
        ax.bar(list(numeric), list(numeric.values()), color="#b71c1c", width=0.8)
        ax.set_ylabel("篇数")
        ax.set_title("每年篇数（按讲话或会议日期）")
        ax.yaxis.get_major_locator().set_params(integer=True)
        _year_axis(ax, list(numeric), width)
        return _svg(fig)

    undated = sum(1 for d in docs if not d.value("date"))
    rows = [[y, str(n)] for y, n in counts.items()] + ([["日期不明", str(undated)]] if undated else [])
    return ChartData("years", "每年篇数", ["年份", "篇数"], rows, draw)


def provinces_chart(docs: list[Document]) -> ChartData:
    plt = _pyplot()
    counts = province_counts(docs)
    shown = counts[:MAX_PROVINCES][::-1]

    def draw(width: float) -> str:
        fig, ax = plt.subplots(figsize=(width, 0.6 + 0.28 * max(1, len(shown))))
        ax.barh([p for p, _ in shown], [n for _, n in shown], color="#b71c1c")
        ax.set_xlabel("篇数")
        ax.set_title("各省篇数" + (f"（前 {MAX_PROVINCES} 个）" if len(counts) > MAX_PROVINCES else ""))
        ax.xaxis.get_major_locator().set_params(integer=True, nbins=YEAR_TICKS[width])
        return _svg(fig)

    national = sum(1 for d in docs if is_national(d))  # no province, but known: 全国, not 地点不明
    noplace = sum(1 for d in docs if not (d.value("place") or {}).get("province")) - national
    rows = ([[p, str(n)] for p, n in counts] + ([["全国", str(national)]] if national else [])
            + ([["地点不明", str(noplace)]] if noplace else []))
    return ChartData("provinces", "各省篇数", ["省份", "篇数"], rows, draw)


def keywords_chart(docs: list[Document]) -> ChartData:
    plt = _pyplot()
    top, years, share = keyword_shares(docs)
    numeric = [y for y in years if y.isdigit()]

    def draw(width: float) -> str:
        fig, ax = plt.subplots(figsize=(width, 2.8))
        for k in top:
            ax.plot([int(y) for y in numeric], [share[k][y] * 100 for y in numeric], marker="o", label=k)
        ax.set_ylabel("占当年篇数 %")
        ax.set_title(f"前 {len(top)} 个关键词逐年所占比例")
        _year_axis(ax, [int(y) for y in numeric], width)
        if top and width == WIDE:
            ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
        elif top:
            # no room beside the plot on a phone: the legend goes beneath it, at text size
            ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2)
        return _svg(fig)

    rows = [[y] + [f"{share[k][y] * 100:.0f}%" for k in top] for y in years]
    return ChartData("keywords", "关键词逐年比例", ["年份", *top], rows, draw)


def all_charts(docs: list[Document]) -> dict[str, ChartData]:
    return {c.name: c for c in (years_chart(docs), provinces_chart(docs), keywords_chart(docs))}
