"""The head of a scraped web page: which of its first lines are the site's furniture and
which one is the headline.

A saved news, e-paper or 范文 page starts with the site's chrome (breadcrumbs, a site
name, e-paper navigation, share/print/font-size lines, login and paywall lines), then a
title block (an eyebrow line, the headline, a subtitle) and a publication stamp
(`发布时间：… 来源：…`). The rules here read how such heads are built, in either script
(every line is matched in its simplified form), never the strings of one site: a
breadcrumb is a path of short items joined by `>`; a stamp is a line of labelled fields;
the headline is the line the page prints twice, or the one just above the stamp, or the
first title-like line after short column and UI words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.clean.script import to_simplified

_SEP = r"(?:>>|->|>|＞|›|»|→)"
# '您的位置：', '您现在所在的位置:', '当前位置 :', '您当前所处位置:'
_POSITION = re.compile(r"^[•·\s]*(?:您|你)?(?:现在|目前|当前)?(?:所在|所处)?(?:的)?(?:位置|当前位置)\s*[:：]")
# a path of short items: 学习啦>实用范文>致辞讲话>, 浙江在线 > 遂昌新闻网 > 新闻中心
_CRUMB_ITEM = r"[^>＞›»→。，！？,!?]{1,16}"
_BREADCRUMB = re.compile(rf"^\s*(?:{_CRUMB_ITEM}\s*{_SEP}\s*){{2,}}(?:{_CRUMB_ITEM})?\s*$")
# e-paper navigation and an e-reader's furniture
_EPAPER = re.compile(
    r"第\s*[A-Za-z]?\d{1,3}\s*版|本期共\s*\d+\s*版|[上下]一版|标题导航|版面导航|往期回顾|^\d{1,5}\s*期\b"
    r"|^(?:上一篇|下一篇|放大|缩小|默认|PDF|返回目录|[\s/|｜])+$"
)
# share / print / font size / login / paywall / download lines, and short UI words
_UI_WORDS = (r"分享到|分享至|分享|转发|收藏|打印|关闭|返回|顶部|字号|字体|大|中|小|放大|缩小|默认|复制|正文复制|复制全文|购物车|我的足迹|"
             r"登录|注册|会员注册|会员登录|请先登录|退出|下载|立即下载|免费下载|下载文档|海报|举报|纠错|评论|我要评论|"
             r"我来说两句|点赞|关注|繁体版|简体版|无障碍|长辈版|English|手机版|网站地图|首页|正文|文章正文|查看内容|"
             r"本网原创|相关推荐|相关阅读|相关新闻|侵权投诉|VIP|VIP专免|我要投稿|投稿|news|News|NEWS")
_UI_LINE = re.compile(rf"^[•·\-\s\[【(（]*(?:(?:{_UI_WORDS})[\]】)）]?\s*[|｜/、:：]?\s*)+$")
_PAYWALL = re.compile(r"(?:免费试读|试读结束|开通会员|加入\s*VIP|VIP免费|一键复制|下载文档|元\s*免费|扣点券|需要[:：]?\s*\d+点)",
                      re.IGNORECASE)
# an e-reader's current date or a clock widget: '2022年02月19日 星期六', '今天是：', '2018/12/28 上午9:27:28 星期五'
_TODAY = re.compile(
    r"^(?:今天是\s*[:：]?\s*)?(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)?\s*(?:上午|下午)?\s*"
    r"(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:星期|礼拜|周)[一二三四五六日天]$|^今天是\s*[:：]?$"
)
_HOTLINE = re.compile(r"(?:服务|新闻|广告|投稿|举报)?(?:热线|电话)\s*[:：]\s*[\d\-－ ]{6,}")
# a site's own name on a line of its own: 新华网, 靈感範文站, 三味园范文网, 新浪天津
_SITE = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,10}(?:网|网站|站|在线|文库|频道|门户|客户端|融媒)$|^新浪[\u4e00-\u9fff]{2}$")
_SUFFIX = re.compile(r"^(.{4,}?)\s*[-_|｜–—]{1,2}\s*([\u4e00-\u9fffA-Za-z]{2,14}"
                     r"(?:网|網|网站|網站|站|在线|在線|日报|日報|晚报|晚報|报|報|频道|頻道|门户|門戶|政府|新闻|新聞))\s*$")
# bracketed site decorations around a title: 【教育讲话】X【范文精选】, X[VIP]
_DECOR_BEFORE = re.compile(r"^\s*[【\[]\s*[^】\]]{1,8}\s*[】\]]\s*")
_DECOR_AFTER = re.compile(r"\s*[【\[]\s*[^】\]]{1,8}\s*[】\]]\s*$")
_EDITION_DATE = re.compile(r"\s+((\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)\s*$")
# a page code of an e-paper ('T49', 'A03') or a bare id is not a title
_CODE = re.compile(r"^[A-Za-z]{0,3}\d{1,4}[A-Za-z]?$|^[A-Za-z]{1,12}$")


def simplified(s: str) -> str:
    return to_simplified(s.strip())


def is_breadcrumb(s: str) -> bool:
    t = simplified(s)
    return bool(_POSITION.match(t) or _BREADCRUMB.match(t)) and len(t) <= 120


def chrome_kind(s: str) -> str | None:
    """What kind of page furniture a head line is, or None when it is not furniture."""
    t = simplified(s)
    if not t or len(t) > 120:
        return None
    if is_breadcrumb(t) or re.fullmatch(r"[^。，！？]{0,30}\s首页(?:\s+[^\s。，]{2,8}){1,6}", t):
        return "breadcrumb"
    if len(t) <= 60 and _EPAPER.search(t) and not re.search(r"[。！？]", t):
        return "e-paper navigation"
    if _TODAY.match(t):
        return "current date"
    if len(t) <= 40 and _UI_LINE.match(t):
        return "page controls"
    if len(t) <= 60 and _PAYWALL.search(t):
        return "paywall"
    if len(t) <= 60 and _HOTLINE.search(t) and not re.search(r"[。！？]", t):
        return "site header"
    if _SITE.match(t):
        return "site name"
    return None


def strip_decoration(title: str) -> tuple[str, list[str]]:
    """A title without the site's decorations: 【栏目】 before it, 【范文精选】 or [VIP]
    after it, '-新华网' after it. Returns the title and what was taken off."""
    taken: list[str] = []
    t = title.strip()
    for pat in (_DECOR_BEFORE, _DECOR_AFTER):
        m = pat.search(t)
        if m and len(t) - len(m.group(0)) >= 6:
            taken.append(m.group(0).strip())
            t = (t[: m.start()] + t[m.end():]).strip()
    m = _SUFFIX.match(t)
    if m and len(m.group(1)) >= 6:
        taken.append(t[len(m.group(1)):].strip())
        t = m.group(1).strip()
    return t, taken


def edition_date(title: str) -> tuple[str, str | None]:
    """'天柱 合力攻坚 锁定高质量 2022年04月27日': an e-paper prints the edition's date on the
    headline's line; the date is not part of the title."""
    m = _EDITION_DATE.search(title)
    if m and len(title) - len(m.group(0)) >= 4:
        y, mo, d = int(m.group(2)), int(m.group(3)), int(m.group(4))
        if 1900 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31:
            return title[: m.start()].strip(), f"{y:04d}-{mo:02d}-{d:02d}"
    return title, None


def _key(s: str) -> str:
    """Two printings of one headline compare equal (script, spaces, quotes, decorations)."""
    t = simplified(strip_decoration(s)[0])
    return re.sub(r"[\s\u3000“”\"'‘’「」《》]+", "", t)


def headline_like(s: str, strict: bool = True) -> bool:
    """A line that can be a headline: short, no sentence inside it. Strictly, no clause
    punctuation at all; loosely (a line the page's structure vouches for, such as the
    one above the stamp), a comma, colon or closing '!' is allowed, a full stop is not."""
    t = s.strip()
    if not 2 <= len(t) <= 80 or _CODE.match(t) or len(re.findall(r"[\u4e00-\u9fff]", t)) < 2:
        return False
    if strict:
        return not re.search(r"[，。；！？,;!?：:]", t)
    return not re.search(r"[。；;]", t) and not re.search(r"[，,：:]$", t)


@dataclass
class TitleBlock:
    """The headline a page's head gives, the lines around it, and where they are."""

    title: str
    index: int  # the line the title was taken from
    repeats: list[int] = field(default_factory=list)  # other printings of it
    skipped: list[int] = field(default_factory=list)  # column names and UI words above it
    eyebrow: str | None = None
    subtitle: str | None = None
    decorations: list[str] = field(default_factory=list)
    edition_date: str | None = None
    why: str = ""


def find_title_block(lines: list[str], stamps: set[int], body_start: int) -> TitleBlock | None:
    """The headline among the head's lines (`lines[:body_start]`, chrome already blanked).

    In order of trust: a line the page prints twice; the line just above the
    publication stamp (lines above it are an eyebrow or a column name, lines between the
    stamp and the body a subtitle); the first headline-like line after short column
    names and UI words when a longer headline follows. None when no such structure is
    there (then the caller's plain first-line rule decides).
    """
    idx = [i for i in range(min(body_start, len(lines))) if lines[i].strip()]
    if not idx:
        return None
    keys = {i: _key(lines[i]) for i in idx}
    # 1. printed twice (the page title and the article heading)
    for n, i in enumerate(idx):
        if len(keys[i]) < 4 or not headline_like(strip_decoration(lines[i])[0], strict=False):
            continue
        reps = [j for j in idx[n + 1:] if keys[j] == keys[i]]
        if reps:
            return _block(lines, idx, i, reps, "printed twice")
    # 2. just above the stamp (past any furniture between them)
    for s in sorted(stamps):
        above = [i for i in idx if i < s]
        furniture = []
        while above and chrome_kind(lines[above[-1]]):
            furniture.append(above.pop())
        if above and headline_like(strip_decoration(lines[above[-1]])[0], strict=False):
            block = _block(lines, [i for i in idx if i not in furniture], above[-1], [], "above the publication stamp",
                           stamps)
            block.skipped += furniture
            return block
    # 3. short column names and UI words before a longer headline
    first = simplified(lines[idx[0]])
    if len(idx) >= 2 and (len(_key(first)) <= 4 or _SITE.match(first) or _CODE.match(first)):
        longer = [i for i in idx[1:] if headline_like(lines[i]) and len(_key(lines[i])) >= 8]
        if longer:
            return _block(lines, idx, longer[0], [], "after a column name")
    return None


def _block(lines: list[str], idx: list[int], i: int, reps: list[int], why: str,
           stamps: set[int] | None = None) -> TitleBlock:
    title, decorations = strip_decoration(lines[i])
    title, ed = edition_date(title)
    block = TitleBlock(title=title, index=i, repeats=reps, decorations=decorations, edition_date=ed, why=why)
    # '频道 标题' above the bare title is one more printing of it
    reps += [j for j in idx if j < i and _key(lines[j]).endswith(_key(title)) and len(_key(title)) >= 4]
    block.repeats = sorted(set(reps))
    before = [j for j in idx if j < i and j not in block.repeats]
    for j in before:
        t = lines[j].strip()
        if headline_like(t, strict=False) and len(_key(t)) >= 8 and j == before[-1]:
            block.eyebrow = t  # 引题: the line right above the headline
        else:
            block.skipped.append(j)
    after = [j for j in idx if j > i and j not in block.repeats and (not stamps or j not in stamps)]
    if after and headline_like(lines[after[0]], strict=False) and len(lines[after[0]].strip()) >= 6:
        block.subtitle = lines[after[0]].strip()
    return block


# A speech's title run into its first paragraph: '市长在…会议上的讲话同志们：今天…'
_RUN_IN = re.compile(
    r"^(?:[-—－]\s*\d{1,3}\s*[-—－])?\s*([^，。；！？,;!?：:\s]{4,60}?(?:讲话(?:稿|文稿)?|致辞|致词|贺词|发言(?:稿)?|主持词|"
    r"闭幕词|开幕词|报告(?:材料)?))\s*(?=同志们|各位|尊敬的|女士们|朋友们|亲爱的)"
)


def run_in_title(paragraph: str) -> tuple[str, str] | None:
    """(title, the paragraph's remaining text) when a speech's title is run into its
    first paragraph without a break, which text copied from PDF and 文库 pages do."""
    p = paragraph.strip()
    t = simplified(p)
    m = _RUN_IN.match(t)
    if not m or len(t) != len(p):  # the cut is made at the same place in the original
        return None
    return p[m.start(1):m.end(1)], p[m.end():]


# the first sentence of a news report: a day, a relative day or an outlet's dateline
NEWS_LEAD = re.compile(r"^(?:\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*日|\d{4}\s*年\s*\d{1,2}\s*月|本报讯|昨[天日]|今[天日]|近日|日前"
                       r"|[\u4e00-\u9fff]{0,8}(?:报|社|台|网)讯)")
