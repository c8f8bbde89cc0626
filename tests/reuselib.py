"""A corpus with planted text reuse, generated for the reuse tests from the pinned seeds'
paragraphs: every document gets paragraphs of its own, then passages are copied from
an earlier document into a later one with a few percent of the characters changed,
names swapped, or the script converted to traditional, and a formula is put into most
documents. The ground truth is what was planted, so recall and precision are measured
against the test's own record, never the generator's.

The texts are the seeds' (pinned in tests/corpus/seeds/), recombined; nothing of the
development corpus is used."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path

from opencc import OpenCC

_HAN = re.compile(r"[\u4e00-\u9fff]")
_DATELINE = re.compile(r"讯|电|记者|\d+月\d+日|[一二三四五六七八九十]+月[一二三四五六七八九十]+日|篇")
# Place and person names of the test's own making, swapped into copies.
NAMES = ["江川", "北岭", "青禾", "南屏", "石桥", "东湾", "云溪", "柳塘", "白沙", "金坪", "周德明", "许卫东",
         "林晓", "马国庆", "唐文静"]
# A formula of the kind a large share of real speeches repeats (written here, from the
# general political vocabulary, not taken from any document).
FORMULA = "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展，"


@dataclass(frozen=True)
class Plant:
    source: str  # file stem of the earlier document
    source_n: int  # 1-based paragraph number in the source
    target: str
    target_n: int
    kind: str  # chars | names | script | excerpt


def han(text: str) -> str:
    return "".join(_HAN.findall(text))


def _mutate_chars(text: str, rng: random.Random, rate: float, alphabet: str) -> str:
    chars = list(text)
    idx = [i for i, c in enumerate(chars) if _HAN.match(c)]
    for i in rng.sample(idx, k=max(1, int(len(idx) * rate))):
        chars[i] = rng.choice(alphabet)
    return "".join(chars)


def _swap_names(text: str, rng: random.Random, times: int) -> str:
    chars = list(text)
    idx = [i for i, c in enumerate(chars) if _HAN.match(c)]
    for _ in range(times):
        i = rng.choice(idx[: max(1, len(idx) - 4)])
        chars[i : i + 2] = list(rng.choice(NAMES))
        idx = [k for k, c in enumerate(chars) if _HAN.match(c)]
    return "".join(chars)


def planted_corpus(dest: Path, paragraphs: list[str], n_docs: int = 40, n_plants: int = 40,
                   seed: int = 20, formula_share: float = 0.6, repost: bool = True) -> list[Plant]:
    """Write n_docs Markdown documents (front matter with title and date) to dest and
    return the planted copies. File names are shuffled against dates, so that an order
    by id and an order by date differ."""
    rng = random.Random(seed)
    s2t = OpenCC("s2t")
    # no news datelines or bylines: they date a document by its text or split a file into
    # articles, and the test needs each file one document dated by its front matter
    pool = [p for p in dict.fromkeys(paragraphs) if 120 <= len(han(p)) <= 600 and not _DATELINE.search(p)]
    rng.shuffle(pool)
    alphabet = "".join(sorted(set(han("".join(pool)))))
    per_doc = max(3, min(6, len(pool) // n_docs))
    names = [f"d{rng.randrange(10**6):06d}" for _ in range(n_docs)]
    day0 = dt.date(2016, 1, 1)
    dates = [day0 + dt.timedelta(days=30 * i) for i in range(n_docs)]  # names[i] is dated dates[i]
    docs = [pool[i * per_doc : (i + 1) * per_doc] for i in range(n_docs)]
    assert all(len(d) == per_doc for d in docs), "not enough seed paragraphs for this many documents"
    # the formula opens a paragraph of most documents: a formula is a sentence, not a speech
    for d in docs:
        if rng.random() < formula_share:
            k = rng.randrange(len(d))
            d[k] = FORMULA + d[k]
    plants: list[Plant] = []
    kinds = ["chars", "names", "script", "excerpt"]
    tries = 0
    while len(plants) < n_plants and tries < n_plants * 20:
        tries += 1
        s, t = sorted(rng.sample(range(n_docs), 2))
        kind = kinds[len(plants) % len(kinds)]
        sn = rng.randrange(len(docs[s]))
        text = docs[s][sn]
        if text.startswith(FORMULA) or any(p.source == names[t] and p.target == names[s] for p in plants):
            continue
        if kind == "chars":
            copy = _mutate_chars(text, rng, 0.03, alphabet)
        elif kind == "names":
            copy = _swap_names(text, rng, 3)
        elif kind == "script":
            copy = s2t.convert(_mutate_chars(text, rng, 0.02, alphabet))
        else:  # an excerpt of 70-150 characters set into a paragraph of the target's own
            h_start = rng.randrange(0, max(1, len(text) - 160))
            copy = _mutate_chars(text[h_start : h_start + rng.randint(90, 170)], rng, 0.02, alphabet)
            own = docs[t][rng.randrange(len(docs[t]))]
            if own.startswith(FORMULA):
                continue
            copy = own[: len(own) // 2] + copy + own[len(own) // 2 :]
        tn = rng.randrange(len(docs[t]) + 1)
        docs[t].insert(tn, copy)
        # paragraph numbers after tn in t shift by one: earlier plants into t move
        plants = [Plant(p.source, p.source_n + (1 if p.source == names[t] and p.source_n > tn else 0),
                        p.target, p.target_n + (1 if p.target == names[t] and p.target_n > tn else 0), p.kind)
                  for p in plants]
        plants.append(Plant(names[s], sn + 1, names[t], tn + 1, kind))
    dest.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        body = "\n\n".join(docs[i])
        (dest / f"{name}.md").write_text(
            f"---\ntitle: 第{i + 1}号测试讲话\ndate: {dates[i].isoformat()}\n---\n\n{body}\n", encoding="utf-8")
    if repost:
        # a whole-document repost: the same text under another header, a later date
        (dest / f"{names[0]}_repost.md").write_text(
            f"---\ntitle: 第1号测试讲话（转载）\ndate: {dates[-1].isoformat()}\n---\n\n"
            + "\n\n".join(docs[0]) + "\n\n（来源：某网站）\n", encoding="utf-8")
    return plants
