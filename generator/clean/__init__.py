"""Clean stage: decoded text → clean, complete, correctly split Documents.

Every change is a named rule that records what it removed (and, when the removed text
still tells us something, which metadata field now carries it). The page prints that
record, and the fidelity test checks that every Han character of a source ends up in a
document or in such a record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.clean import head as page_head
from generator.clean.damage import lost_characters
from generator.clean.script import detect_script, to_simplified
from generator.clean.tail import strip_tail
from generator.model import Document, Field, RawDoc, Removal
from generator.read import HAN, looks_like_mojibake
from generator.read.jekyll import TITLE_FROM_POST_NAME, post_of, strip_date_prefix

# Human-readable description of every rule, in the order they run; the page and the
# README show these.
RULES: dict[str, str] = {
    "running-header": "PDF/Word 每页重复的页眉（书眉）",
    "running-footer": "PDF/Word 每页重复的页脚",
    "page-number": "PDF/Word 的页码（如“— 3 —”“第3页”）",
    "table-of-contents": "Word 自动生成的目录（各节标题和页码；标题本身在正文中）",
    "markup": "HTML/Markdown 标记转为文本；脚本、样式和网页框架（导航、页眉页脚）删除",
    "whitespace": "统一换行、缩进和空行",
    "share-prompt": "分享、扫码提示（请用微信扫一扫、分享到…）",
    "feedback-link": "反馈、版权投诉、打印/关闭等链接",
    "disclaimer": "网站免责声明和版权声明",
    "keyword-line": "供搜索引擎用的“推荐访问：…”关键词行",
    "navigation": "“返回…首页”等导航行",
    "header-line": "网站页眉和信息行（来源、作者、发布时间、浏览次数、字号、责任编辑），日期和来源记入元数据",
    "source-line": "“文章来源：…”行，来源记入元数据",
    "summary": "“【摘要】…”，记为本篇摘要",
    "bare-url": "只有网址的行，记为来源网址",
    "watermark": "行内网站水印，如“(www.example.com)”",
    "pinyin": "转换网站添加的拼音注音，如 鄉(xiāng)",
    "editor-intro": "范文网站的“下面是…小编为您推荐…”引言（推荐的标题用作篇名）",
    "page-chrome": "网页框架：下载、打印、字号、分享、面包屑导航、单独成行的来源和时间标签（来源和时间记入元数据）",
    "title-line": "文首重复出现的标题行（记为标题）",
    "compilation-header": "汇编的总标题和分篇标题（记为篇名）",
    "headline-block": "报纸版面上与正文分开排印的标题（记为对应报道的标题）",
    "hard-wrap": "把 OCR 或分栏造成的句中断行拼回段落",
    "page-footer": "复制网页末尾的许可声明、网站页脚和残留的链接词（如 Public domain、false）",
}

_WS = " \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
_SENT_END = "。！？!?…；;”」』）)"
_CLAUSE = re.compile(r"[，。；！？,;!?：:]")

# ---------------------------------------------------------------- line rules

_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"


@dataclass
class Extracted:
    """Metadata that cleaning found in junk lines, with the line as evidence."""

    fields: dict[str, Field] = field(default_factory=dict)

    def put(self, name: str, value: object, evidence: str) -> None:
        if name not in self.fields and value:
            self.fields[name] = Field(value, "inferred", evidence)


def _m(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# Each line rule: (name, pattern matching the whole stripped line, metadata hook).
_SHARE = _m(
    r"^(?:請|请)?(?:用|使用)?(?:微信|手机)(?:掃|扫)(?:一掃|一扫|描)?.{0,12}$"
    r"|^(?:掃|扫)(?:一掃|一扫|描)(?:二維碼|二维码)?.{0,12}$"
    r"|^分享(?:到|至)[:：]?.{0,20}$|^分享[:：]?$"
    r"|^.{0,10}(?:长按|扫描|识别)(?:识别)?(?:图中)?二维码.{0,20}$|^(?:点击|欢迎|敬请)?关注.{0,12}(?:公众号|微信号|视频号).{0,12}$"
    r"|^(?:分享|转发|收藏|点赞|打印)(?:\s*[|｜/·]\s*(?:分享|转发|收藏|点赞|打印|关闭))+$"
)
_FEEDBACK = _m(r"^(?:我要(?:反馈|纠错|评论)|(?:版权|侵权)(?:反馈|投诉)|打印本页|关闭窗口|【?(?:打印|关闭)】?)(?:\s*[|｜]?\s*(?:我要(?:反馈|纠错)|版权反馈|打印本页|关闭窗口))*$")
_DISCLAIMER = _m(r"^(?:免责声明|版权声明|特别声明|声明)[:：].*|.*(?:版权归原作者所有|如有侵(?:犯|权).{0,20}(?:删除|联系)).*$")
_KEYWORDS = _m(r"^(?:推荐访问|相关(?:推荐|阅读|文章|搜索)|热门(?:推荐|文章)|猜你喜欢|关键词|标签)[:：].*$")
_NAV = _m(r"^[\[【]?(?:点击)?(?:阅读|查看)原文[\]】]?$|^(?:[\[【]?返回[^\]】]{0,20}?(?:首页|主页|顶部|列表|目录|栏目|频道|新闻|上页|上一页)[\]】]?(?:\([^)]*\))?\s*[|｜/·]?\s*)+$|^(?:上一篇|下一篇)[:：].*$")
_HEADER = _m(r"^[•·\s]*(?:(?:内容)?(?:发布|更新)?时间|日期|发布日期)\s*[:：]\s*" + _DATE + r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s+\S{1,12}){0,4}$")
# A page's info line: two or more labelled fields such as 来源：… 作者：… 发布时间：…
_META_FIELD = re.compile(r"(来源|作者|发布时间|发布日期|时间|日期|浏览次数|浏览|点击数|点击|阅读|编辑|责任编辑|字号|【?字体"
                         r"|发布者|查看|评论|(?:访问|阅读)(?:次数|量))\s*[:：]")
_META_VALUE = re.compile(r"(来源|作者)\s*[:：]\s*([^\s:：|｜]{1,30})")
_EDITOR_LINE = _m(r"^[（(【\[]?\s*(?:责任编辑|编辑|责编|审核|校对|编审)\s*[:：]\s*[\u4e00-\u9fff·、\s]{2,20}[）)】\]]?$")
_FONT_SIZE = _m(r"^[【\[]?\s*(?:字号|字体)\s*[:：]?\s*[大中小\s|｜]{3,}[】\]]?.{0,20}$")
_SOURCE = _m(r"^[（(]?\s*(?:文章|稿件|新闻|信息)?来源\s*[:：]\s*([^）)]{1,30})\s*[）)]?$")
_SUMMARY = _m(r"^[【\[]\s*(?:摘要|内容摘要|导读|提要)\s*[】\]]\s*[:：]?\s*(.+)$")
_BARE_URL = _m(r"^<?((?:https?:)?//[^\s<>]+)>?$")
_EDITOR_INTRO = _m(r"(?:下面|以下)(?:是|为|就是)?([^。！？\n]{0,24}?)小编[^。！？\n]*?(?:[。！？]|$)")
_WATERMARK = _m(r"[（(]\s*((?:www\.)?[a-z0-9-]*[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,})\s*[）)]")
_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = re.compile(
    r"(?<=[\u3400-\u9fff?？])[(（?？]([a-zü" + _TONE + r"]{1,7}(?:\s[a-zü" + _TONE + r"]{1,7}){0,3})[)）]"
)
_COMPILATION = _m(r"^(.{4,80}?)\s*[（(【]?(?:篇|第|范文)\s*([0-9０-９一二三四五六七八九十]+)\s*篇?[)）】]?$")
_BYLINE = _m(r"^[○〇◎●■□▲\s]*(?:[\u4e00-\u9fff]{0,8})(?:全媒体|本报|融媒体|特约|实习)?记者\s*[\u4e00-\u9fff、\s]{2,20}$|^[○〇◎●■□▲\s]*通讯员\s*[\u4e00-\u9fff、\s]{2,16}$")
# A news dateline names the outlet: 本报讯, 某某日报讯 (记者…), 新华社北京3月5日电. A line
# that merely starts with a word ending in 电 (发电量：…, 家电下乡…) is report text.
_DATELINE = _m(
    r"^[\u4e00-\u9fff]{0,8}(?:报|社|台|网|刊)讯(?=[\s（(【\[：:，,]|\d|$)"
    r"|^[\u4e00-\u9fff]{0,8}(?:社|台|网|报)[\u4e00-\u9fff]{0,6}\d{1,2}月\d{1,2}日电(?=[\s（(【\[：:，,]|$)"
)
# Numbered sections of one report (一、 （二） 第三部分 第四章) never head a separate article.
_SECTION_NUMBER = _m(r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[)）]|\d+[、.．]"
                     r"|第[一二三四五六七八九十百\d]+(?:部分|章|节|条|项)|[一二三四五六七八九十]是)")
_SALUTATION = _m(r"^(?:同志们|各位[\u4e00-\u9fff、]{0,12}|女士们.{0,8}|朋友们)$")
_REDACTION = _m(
    r"(?<![A-Za-z])[XＸ]{1,3}(?![A-Za-z])|\*{2,}|＊{2,}|×{2,}"
    r"|(?<![*＊])[*＊](?=[%％个户家项亿万千百元年月日人次名所条座倍批件台\d])"
)


def _cn_num(s: str) -> int | None:
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    digits = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if s == "十":
        return 10
    if s.startswith("十") and len(s) == 2:
        return 10 + digits.get(s[1], 0)
    if len(s) == 1:
        return digits.get(s)
    if len(s) >= 2 and s[1] == "十":
        return digits.get(s[0], 0) * 10 + (digits.get(s[2], 0) if len(s) == 3 else 0)
    return None


class Cleaner:
    """Runs the rules over one RawDoc, collecting removals and extracted metadata."""

    def __init__(self, raw: RawDoc) -> None:
        self.raw = raw
        self.removals: list[Removal] = []
        self.extracted = Extracted()
        self.rules_run: list[str] = []
        # lines that were a publication stamp: the headline is printed just above one
        self.stamp_lines: set[int] = set()

    def remove(self, rule: str, text: str, kept_as: str | None = None) -> None:
        if text.strip(_WS):
            self.removals.append(Removal(rule, text.strip(_WS), kept_as))

    def ran(self, rule: str) -> None:
        if rule not in self.rules_run:
            self.rules_run.append(rule)

    # ------------------------------------------------------------ line rules

    def line_rules(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for i, line in enumerate(lines):
            s = line.strip(_WS)
            if not s:
                out.append("")
                continue
            rule = self._junk_rule(s)
            if rule is None:
                out.append(s)
            else:
                out.append("")
                if rule in ("header-line", "source-line"):
                    self.stamp_lines.add(i)
        for r in ("share-prompt", "feedback-link", "disclaimer", "keyword-line", "navigation",
                  "header-line", "source-line", "summary", "bare-url"):
            self.ran(r)
        return out

    def _junk_rule(self, s: str) -> str | None:
        if len(s) <= 40 and _SHARE.match(s):
            self.remove("share-prompt", s)
            return "share-prompt"
        if len(s) <= 40 and _FEEDBACK.match(s):
            self.remove("feedback-link", s)
            return "feedback-link"
        if len(s) <= 300 and _DISCLAIMER.match(s):
            self.remove("disclaimer", s)
            return "disclaimer"
        if _KEYWORDS.match(s) and len(s) <= 600:
            self.remove("keyword-line", s)
            return "keyword-line"
        if len(s) <= 200 and _NAV.match(s):
            self.remove("navigation", s)
            return "navigation"
        if len(s) <= 40 and (_FONT_SIZE.match(s) or _EDITOR_LINE.match(s)):
            self.remove("header-line", s)
            return "header-line"
        t = to_simplified(s)  # stamps are read in either script
        fields = _META_FIELD.findall(t)
        if len(fields) >= 2 and len(s) <= 160 and not re.search(r"[。！？]", s):
            dm = re.search(_DATE, s)
            if dm:
                y, mo, d = (int(x) for x in dm.groups())
                self.extracted.put("published", f"{y:04d}-{mo:02d}-{d:02d}", s)
            for label, value in _META_VALUE.findall(t):
                self.extracted.put("source_name" if label == "来源" else "author", value, s)
            self.remove("header-line", s, kept_as="published" if dm else None)
            return "header-line"
        m = _HEADER.match(t)
        if m and len(s) <= 80:
            y, mo, d = (int(x) for x in m.groups()[:3])
            self.extracted.put("published", f"{y:04d}-{mo:02d}-{d:02d}", s)
            self.remove("header-line", s, kept_as="published")
            return "header-line"
        m = _SOURCE.match(t)
        if m:
            self.extracted.put("source_name", m.group(1).strip(_WS), s)
            self.remove("source-line", s, kept_as="source")
            return "source-line"
        m = _SUMMARY.match(s)
        if m:
            self.extracted.put("summary", m.group(1).strip(_WS), s)
            self.remove("summary", s, kept_as="summary")
            return "summary"
        m = _BARE_URL.match(s)
        if m:
            self.extracted.put("source_url", m.group(1), s)
            self.remove("bare-url", s, kept_as="source url")
            return "bare-url"
        return None

    # ------------------------------------------------------------ inline rules

    def inline_rules(self, lines: list[str]) -> list[str]:
        out = []
        for s in lines:
            if s:
                s = self._pinyin(s)
                s = self._watermark(s)
            out.append(s)
        self.ran("pinyin")
        self.ran("watermark")
        return out

    def _pinyin(self, s: str) -> str:
        def repl(m: re.Match[str]) -> str:
            if not any(c in _TONE for c in m.group(1)):
                return m.group(0)
            self.remove("pinyin", m.group(0))
            return ""

        # repeat: in '必?fù)?dān)' the second annotation follows the first one's ')'
        for _ in range(4):
            new = _PINYIN.sub(repl, s)
            if new == s:
                break
            s = new
        return s

    def _watermark(self, s: str) -> str:
        def repl(m: re.Match[str]) -> str:
            self.extracted.put("watermark_site", m.group(1), m.group(0))
            self.remove("watermark", m.group(0), kept_as="source site")
            return ""

        return _WATERMARK.sub(repl, s)


# ---------------------------------------------------------------- layout


def is_hard_wrapped(lines: list[str]) -> bool:
    """OCR and column text: most lines have nearly the same short width and stop
    mid-sentence. Real paragraphs vary in length and end with punctuation."""
    body = [s for s in lines if len(s) >= 4]
    if len(body) < 12:
        return False
    lengths = sorted(len(s) for s in body)
    width = lengths[int(len(lengths) * 0.9) - 1]
    if width > 40:
        return False
    near = sum(1 for n in lengths if n >= width - 3)
    ended = sum(1 for s in body if s[-1] in _SENT_END)
    return near >= 0.5 * len(body) and ended <= 0.4 * len(body)


def join_hard_wrapped(lines: list[str]) -> list[str]:
    """Join column lines into paragraphs. A paragraph ends at a line that ends a
    sentence and is clearly shorter than the column, or is followed by a blank line.
    A blank line after a mid-sentence line is a column break, not a paragraph break."""
    body = [s for s in lines if len(s) >= 4]
    lengths = sorted(len(s) for s in body) or [20]
    width = lengths[int(len(lengths) * 0.9) - 1] if len(lengths) > 1 else lengths[0]
    paras: list[str] = []
    cur = ""
    for k, s in enumerate(lines):
        if not s:
            continue
        if _BYLINE.match(s) and len(s) <= 30:
            # a byline is a paragraph of its own even though it has no punctuation
            if cur:
                paras.append(cur)
            paras.append(s)
            cur = ""
            continue
        cur += s
        blank_after = k + 1 < len(lines) and not lines[k + 1]
        if (s[-1] in "。！？!?" and blank_after) or (s[-1] in _SENT_END and len(s) <= width - 2):
            paras.append(cur)
            cur = ""
    if cur:
        paras.append(cur)
    return paras


# ---------------------------------------------------------------- titles and splits


@dataclass
class Segment:
    """A stretch of lines that becomes one document."""

    lines: list[str]
    heading: str | None = None  # the split heading (compilation) or None
    title: str | None = None
    title_evidence: str | None = None
    extracted: dict[str, Field] = field(default_factory=dict)


def looks_mojibake(s: str) -> bool:
    """Text decoded with the wrong codec (UTF-8 read as GBK gives 娣峰悎缂栫爜…) is made of
    rare characters, kana or box drawing; such a title is never shown. The judgement is the
    reader's own (`read.looks_like_mojibake`, which also chose the file's encoding), so a
    title and its file are never judged by two different definitions; replacement and
    private-use characters are what a damaged decoding leaves even in a short title."""
    if re.search("[\ufffd\ue000-\uf8ff]", s):
        return True
    return looks_like_mojibake(s)


def _is_title_like(s: str) -> bool:
    return (2 <= len(s) <= 60 and not re.search(r"[，。；！？,;!?：:]", s) and not _BYLINE.match(s)
            and not _SALUTATION.match(s))


def take_title_lines(lines: list[str], cl: Cleaner) -> tuple[str | None, list[str]]:
    """The first line of a scraped page is its title when it looks like one; the
    same title often repeats (breadcrumb, page heading, article heading). All such
    repeats in the first lines are removed and the title is kept as metadata."""
    idx = [i for i, s in enumerate(lines) if s]
    if len(idx) < 2:
        return None, lines
    first = lines[idx[0]]
    if not _is_title_like(first):
        return None, lines
    title = first
    # A breadcrumb "频道 标题" followed by the bare title: the bare one is the title.
    for i in idx[1:12]:
        s = lines[i]
        if s != first and first.endswith(s) and len(s) >= 4 and first[: -len(s)].strip(_WS) \
                and first[: -len(s)][-1] in _WS + ">›»/|｜":
            title = s
            break
    out = list(lines)
    head = idx[:15]
    for n, i in enumerate(head):
        s = lines[i]
        if s == title or (s.endswith(title) and len(s) - len(title) <= 8 and _is_title_like(s)):
            cl.remove("title-line", s, kept_as="title" if n == 0 else None)
            out[i] = ""
        elif n > 0 and s != title:
            # stop at the first line that is neither a repeat nor a header
            if not _is_title_like(s) or len(s) > 30:
                break
    cl.ran("title-line")
    return title, out


# ---------------------------------------------------------------- head of a document

_DASHES = "—－―─~～\\-"
# ——2016年2月19日在某区第十四届人民代表大会第五次会议上 [speaker]: when and where it was delivered
DATELINE = re.compile(
    rf"^[{_DASHES}（(\s]*(\d{{4}})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日\s*在(.{{2,60}}?[上])[）)]?(?:[\s\u3000]+(.{{2,30}}))?$"
)
_DATELINE_START = re.compile(rf"^[{_DASHES}（(\s]*\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*在[^。，；]{{2,40}}$")
# 某市市长 王 明 / 某区人民政府区长　　李建国 / 省长　张平: a post, then the name (maybe spaced out)
_POSTS = r"(?:总理|副总理|主席|委员长|省长|市长|区长|县长|旗长|州长|盟长|镇长|乡长|书记|主任)"
SPEAKER_LINE = re.compile(
    rf"^(?P<role>[\u4e00-\u9fff]{{0,20}}?{_POSTS})[\s\u3000]*[:：]?[\s\u3000]*(?P<name>[\u4e00-\u9fff][\u4e00-\u9fff·•\s\u3000]{{1,12}})$"
)
# ——在某区第十七届人民代表大会第一次会议上: a dateline that gives the meeting but no date
_DATELINE_NO_DATE = re.compile(rf"^(?:[{_DASHES}]+|[（(])\s*在(.{{2,60}}?(?:会议|大会)上)[）)]?$")


def is_speaker_line(s: str) -> bool:
    """A post and then a person's name: 2–4 characters once spaces are closed up, or a
    name joined with '·'. '县委书记在全县工作会议上的讲话' is a title, not a speaker line."""
    m = SPEAKER_LINE.match(s)
    if not m or len(s) > 36:
        return False
    if re.search(r"召开|举行|主持|出席|会议|讲话|的", to_simplified(m.group("role"))):
        return False  # a headline ('区政协召开第五次主席会议'), not a post and a name
    name = re.sub(r"[\s\u3000]+", "", m.group("name"))
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]+[·•][\u4e00-\u9fff·•]+", name))


_ROLE_ONLY = re.compile(rf"^[\u4e00-\u9fff]{{0,20}}?{_POSTS}$")
_NAME_ONLY = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff·•\s\u3000]{1,10}$")
HEAD_SALUTATION = re.compile(r"^(?:同志们|各位[\u4e00-\u9fff、]{0,12}|女士们.{0,8}|朋友们|代表们)[：:！!，,]?$")
# Web-page furniture printed as lines of their own above a scraped text.
_CHROME = re.compile(
    r"^(?:下载|打印|全屏|收藏|关闭|加大|还原|减小|默认|放大|缩小|大|中|小|[【\[]?\s*(?:字号|字体)\s*[:：]?"
    r"|[】\]]|分享(?:到|至)?\s*[:：]?|您的位置\s*[:：]?|当前位置\s*[:：]?|首页|[>＞›»/|｜]"
    r"|(?:浏览|阅读|点击)(?:次数|量|数)?\s*[:：]?\s*\d*|微信|微博|QQ空间"
    r"|(?:您的位置|当前位置|位置)?\s*[:：]?\s*首页(?:\s*[>＞›»]\s*[^>＞›»]{1,20})+)$"
)
_STAMP = re.compile(
    r"^(?:(?:发布)?时间\s*[:：]\s*)?(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s+\d{1,2}\s*[:时]\s*\d{2}\s*分?(?:\s*[:：]\s*\d{2})?)?$"
)
_CAPTION = re.compile(r"(?:记者|摄影|通讯员)[\s\u3000]*[\u4e00-\u9fff、\s\u3000]{2,16}?[\s\u3000]*摄影?$")
_LABEL = re.compile(r"^(来源|稿源|时间|发布时间|日期|作者)\s*[:：]$")
_SPACED = re.compile(r"^(?:[\u4e00-\u9fff][\s\u3000]+)+[\u4e00-\u9fff]$")


_CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")


def arabic_dates(s: str) -> str:
    """'二〇二六年一月二十七日' → '2026年1月27日', so one date pattern reads both styles."""
    def repl(m: re.Match[str]) -> str:
        year = "".join(str("〇一二三四五六七八九".find(c)) if c in "〇一二三四五六七八九" else "0" for c in m.group(1))
        mo, d = _cn_num(m.group(2)), _cn_num(m.group(3))
        return f"{year}年{mo}月{d}日" if mo and d else m.group(0)

    return _CN_DATE.sub(repl, s)


def collapse_spaced(s: str) -> str:
    """'政 府 工 作 报 告' → '政府工作报告', '王 明' → '王明': characters spread out with
    spaces for layout are one word; ordinary text with spaces between words is kept."""
    s = s.strip(_WS)
    return re.sub(r"[\s\u3000]+", "", s) if _SPACED.match(s) else s


@dataclass
class Head:
    """The roles of the lines above a document's body, found by what they look like
    rather than by their position: page chrome, title, dateline, source/time line,
    speaker line and salutation."""

    title: str | None = None
    title_evidence: str | None = None
    dateline: str | None = None
    speaker_line: str | None = None
    salutation: str | None = None


def _is_body(s: str) -> bool:
    """A sentence: the head (chrome, title, dateline, speaker line) has no clause punctuation."""
    return len(s) > 60 or bool(re.search(r"[。！？!?，,；;]", s))


def read_head(lines: list[str], cl: Cleaner, take_title: bool = True) -> tuple[Head, list[str]]:
    """Find the head's lines by role, after any page chrome, up to the salutation or the
    first sentence of the body (not within a fixed number of lines).

    Chrome is removed under the `page-chrome` rule (a lone 来源：/时间： label takes its
    value from the next line into metadata). The dateline and speaker line stay in the
    text, as printed; they are recorded for the annotate stage. A salutation is never a
    title.
    """
    head = Head()
    out = list(lines)
    idx = [i for i, s in enumerate(lines) if s]
    label: str | None = None
    crumb_items: set[str] = set()
    prev = ""
    roles: set[int] = set()
    body_at = len(lines)
    for n, i in enumerate(idx[:120]):
        s = lines[i]
        body_at = i + 1
        if label:
            if len(s) <= 30 and not _is_body(s):
                m = _STAMP.match(s)
                if m and label in ("时间", "发布时间", "日期"):
                    y, mo, d = (int(x) for x in m.groups()[:3])
                    cl.extracted.put("published", f"{y:04d}-{mo:02d}-{d:02d}", f"{label}：{s}")
                    cl.stamp_lines.add(i)
                elif label in ("来源", "稿源"):
                    cl.extracted.put("source_name", s, f"{label}：{s}")
                elif label == "作者":
                    cl.extracted.put("author", s, f"{label}：{s}")
                cl.remove("page-chrome", s, kept_as="published" if m else "source" if label != "作者" else "author")
                out[i] = ""
                label = None
                prev = s
                continue
            label = None
        if HEAD_SALUTATION.match(s):
            head.salutation = s
            body_at = i
            break
        if _CAPTION.search(s) and len(s) <= 60:
            roles.add(i)  # a photo caption above the text: kept, but neither title nor body
            prev = s
            continue
        if _is_body(s):
            body_at = i
            break
        m = _LABEL.match(s)
        if m:
            label = m.group(1)
            cl.remove("page-chrome", s)
            out[i] = ""
            prev = s
            continue
        if _CHROME.match(s) or (prev in (">", "＞", "›", "»") and len(s) <= 20) or s in crumb_items \
                or page_head.chrome_kind(s):
            if prev in (">", "＞", "›", "»"):
                crumb_items.add(s)
            cl.remove("page-chrome", s)
            out[i] = ""
            prev = s
            continue
        m = _STAMP.match(s)
        # a page's time stamp has a clock time or an ISO form; '2021年12月30日' alone under
        # a title is the speech's own date line and stays in the text
        if m and _valid_ymd(*(int(x) for x in m.groups()[:3])) and (re.search(r"\d[:时]\d", s) or "年" not in s):
            y, mo, d = (int(x) for x in m.groups()[:3])
            cl.extracted.put("published", f"{y:04d}-{mo:02d}-{d:02d}", s)
            cl.remove("page-chrome", s, kept_as="published")
            cl.stamp_lines.add(i)
            out[i] = ""
            prev = s
            continue
        prev = s
        if DATELINE.match(arabic_dates(s)) or (_DATELINE_START.match(arabic_dates(s)) and n + 1 < len(idx)
                                 and lines[idx[n + 1]].endswith("上") and len(lines[idx[n + 1]]) <= 30):
            if head.dateline is None:
                nxt = lines[idx[n + 1]] if not DATELINE.match(arabic_dates(s)) else ""
                head.dateline = s + nxt
                tail = DATELINE.match(arabic_dates(head.dateline))
                if tail and tail.group(5) and is_speaker_line(tail.group(5)) and head.speaker_line is None:
                    head.speaker_line = tail.group(5)
            roles.add(i)
            if not DATELINE.match(arabic_dates(s)):
                roles.add(idx[n + 1])
            continue
        if i in roles:
            continue
        if _DATELINE_NO_DATE.match(s) and head.dateline is None:
            head.dateline = s
            roles.add(i)
            continue
        if is_speaker_line(s):
            if head.speaker_line is None:
                head.speaker_line = s
            roles.add(i)
            continue
        if _ROLE_ONLY.match(s) and n + 1 < len(idx) and _NAME_ONLY.match(lines[idx[n + 1]]):
            if head.speaker_line is None:
                head.speaker_line = s + " " + lines[idx[n + 1]]
            roles.update((i, idx[n + 1]))
            continue
        if head.dateline and head.speaker_line is None and _NAME_ONLY.match(s) and len(collapse_spaced(s)) <= 4:
            head.speaker_line = s  # a bare name under the dateline
            roles.add(i)
            continue
    if take_title:
        # a table row (cells separated by tabs, from a PDF's or Word file's table) is
        # never the title: it stays in the text as a row
        roles.update(k for k, s in enumerate(out) if s and "\t" in s)
        masked = [s if k not in roles else "" for k, s in enumerate(out)]
        # a headline with a comma stops the scan as if it were the body; a stamp just
        # below it shows the head goes on
        first_stamp = min((k for k in cl.stamp_lines if k >= body_at), default=None)
        if first_stamp is not None and sum(1 for s in out[body_at:first_stamp] if s) <= 3:
            body_at = first_stamp + 1
        title, masked = _title_block(masked, cl, body_at)
        if not title:
            title, masked = take_title_lines(masked, cl)
        if not title:
            title, masked = _slogan_title(masked, cl, head)
        if not title:
            title, masked = _run_in_title(masked, cl)
        if title:
            head.title = collapse_spaced(title)
            head.title_evidence = title
            out = [masked[k] if k not in roles else s for k, s in enumerate(out)]
    for k in roles:
        out[k] = lines[k]
    cl.ran("page-chrome")
    return head, out


def _title_block(lines: list[str], cl: Cleaner, body_at: int) -> tuple[str | None, list[str]]:
    """The headline a web page's head structure gives (`head.find_title_block`): its
    other printings are removed as repeats, column names and UI words above it as page
    chrome; an eyebrow or subtitle line stays in the text and is recorded as evidence."""
    block = page_head.find_title_block(lines, cl.stamp_lines, body_at)
    if block is None:
        return None, lines
    out = list(lines)
    for n, j in enumerate(sorted([block.index, *block.repeats])):
        cl.remove("title-line", lines[j], kept_as="title" if n == 0 else None)
        out[j] = ""
    for j in block.skipped:
        cl.remove("page-chrome", lines[j])
        out[j] = ""
    if block.eyebrow:
        cl.extracted.put("eyebrow", block.eyebrow, block.eyebrow)
    if block.subtitle:
        cl.extracted.put("subtitle", block.subtitle, block.subtitle)
    if block.edition_date:
        cl.extracted.put("published", block.edition_date, lines[block.index])
    cl.ran("title-line")
    return block.title, out


def _run_in_title(lines: list[str], cl: Cleaner) -> tuple[str | None, list[str]]:
    """A speech title run into the first paragraph ('…上的讲话同志们：…'): the title part is
    the title, the rest of the line stays the text; the same title printed again on a line
    of its own just below is a repeat."""
    idx = [i for i, s in enumerate(lines) if s]
    if not idx:
        return None, lines
    found = page_head.run_in_title(lines[idx[0]])
    if not found:
        return None, lines
    title, rest = found
    out = list(lines)
    cl.remove("title-line", title, kept_as="title")
    out[idx[0]] = rest
    for i in idx[1:4]:
        if page_head.simplified(lines[i]) == page_head.simplified(title):
            cl.remove("title-line", lines[i])
            out[i] = ""
    cl.ran("title-line")
    return title, out


def _slogan_title(lines: list[str], cl: Cleaner, head: Head) -> tuple[str | None, list[str]]:
    """A first line with a comma ('高举…旗帜，为…而奋斗') is still the title when the
    next line is the salutation, a dateline or a speaker line: no body sentence starts
    a speech that way."""
    idx = [i for i, s in enumerate(lines) if s][:2]
    if len(idx) < 2:
        return None, lines
    first, nxt = lines[idx[0]], lines[idx[1]]
    if len(first) > 60 or re.search(r"[。！？!?；;：:]", first) or HEAD_SALUTATION.match(first):
        return None, lines
    # ... or when the next line is a news report's lead ('2月6日下午，…'): a headline
    news_lead = len(first) <= 40 and "。" in nxt and page_head.NEWS_LEAD.match(nxt)
    if not (HEAD_SALUTATION.match(nxt) or nxt in (head.dateline, head.speaker_line) or news_lead
            or re.match(r"^(?:同志们|各位代表)[，,：:！!]", nxt)):
        return None, lines
    out = list(lines)
    out[idx[0]] = ""
    cl.remove("title-line", first, kept_as="title")
    return first, out


def _valid_ymd(y: int, m: int, d: int) -> bool:
    return 1900 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= 31


_ID_TOKEN = re.compile(r"^[0-9A-Za-z]+$")


def title_from_file_name(source_path: str) -> str | None:
    """A file name that is a meaningful title ('某区2017年政府工作报告_2017.txt'), not an
    id, a hash or a bare number or year: leading and trailing ASCII tokens (ids, hashes,
    numbers) are dropped, and what remains must hold at least four Han characters."""
    stem = source_path.rsplit("/", 1)[-1]
    stem = strip_date_prefix(re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem))  # a date prefix is no part of a title
    tokens = [t for t in re.split(r"[_\s]+", stem) if t]
    def is_id(t: str) -> bool:
        # ids, hashes and numbers; a year stays unless the rest already states it
        year = re.fullmatch(r"(?:19|20)\d\d", t)
        others = "".join(x for x in tokens if x is not t)
        return bool(_ID_TOKEN.match(t)) and not (year and t not in others)

    while tokens and is_id(tokens[0]):
        tokens.pop(0)
    while tokens and is_id(tokens[-1]):
        tokens.pop()
    title = " ".join(tokens)
    if len(HAN.findall(title)) < 4 or looks_mojibake(title):
        return None
    return title


def find_compilation(lines: list[str]) -> list[tuple[int, str, int]]:
    """Headings 'X篇1' … 'X篇n' with one stem and consecutive numbers: a compilation."""
    hits: list[tuple[int, str, int]] = []
    for i, s in enumerate(lines):
        m = _COMPILATION.match(s) if s and len(s) <= 90 and not _SECTION_NUMBER.match(s) else None
        if m:
            n = _cn_num(m.group(2))
            if n is not None:
                hits.append((i, m.group(1), n))
    by_stem: dict[str, list[tuple[int, str, int]]] = {}
    for h in hits:
        by_stem.setdefault(h[1], []).append(h)
    best: list[tuple[int, str, int]] = []
    for group in by_stem.values():
        nums = [h[2] for h in group]
        if len(group) >= 2 and nums == list(range(nums[0], nums[0] + len(nums))) and len(group) > len(best):
            best = group
    return best


def find_articles(lines: list[str]) -> list[int]:
    """Starts of newspaper articles: a reporter byline, or a dateline ('…讯') not
    preceded by a byline. Only meaningful when there are at least two."""
    starts: list[int] = []
    prev_byline = -10
    for i, s in enumerate(lines):
        if not s:
            continue
        if _BYLINE.match(s) and len(s) <= 30:
            starts.append(i)
            prev_byline = i
        elif _DATELINE.match(s) and i - prev_byline > 3:
            starts.append(i)
    return starts if len(starts) >= 2 else []


def article_head(lines: list[str], start: int) -> int:
    """Where an article found at its byline or dateline really begins: a headline of
    its own printed just above (a short line without clause punctuation, after a blank
    line or a finished sentence) belongs to it, not to the article before."""
    k = start - 1
    while k >= 0 and not lines[k]:
        k -= 1
    if k <= 0 or k < start - 2:
        return start
    s = lines[k]
    prev = k - 1
    ok_before = not lines[prev] or lines[prev][-1] in _SENT_END
    if ok_before and len(s) <= 30 and _is_title_like(s) and not _CLAUSE.search(s) and s[-1] not in _SENT_END:
        return k
    return start


def trailing_headlines(lines: list[str]) -> tuple[list[str], int]:
    """Headlines printed at the end of a page: a run of short lines without clause
    punctuation after the last sentence. Returns the headlines and where they start."""
    end = len(lines)
    i = end - 1
    heads: list[str] = []
    while i >= 0:
        s = lines[i]
        if not s:
            i -= 1
            continue
        if len(s) <= 30 and not _CLAUSE.search(s.replace(" ", "")) and not _BYLINE.match(s):
            heads.append(s)
            i -= 1
            continue
        break
    if not heads or i < 0 or lines[i][-1] not in _SENT_END:
        return [], end
    heads.reverse()
    return heads, i + 1


def _bigrams(s: str) -> set[str]:
    s = "".join(HAN.findall(s))
    return {s[k : k + 2] for k in range(len(s) - 1)}


def assign_headlines(heads: list[str], texts: list[str]) -> list[list[str]]:
    """Split the headline run into consecutive groups, one per article, maximizing how
    much of each headline's wording its article contains (layout keeps their order)."""
    n, k = len(heads), len(texts)
    if k == 0:
        return []
    grams = [_bigrams(t) for t in texts]

    def score(h: str, j: int) -> float:
        b = _bigrams(h)
        return len(b & grams[j]) / len(b) if b else 0.0

    # dp[i][j]: best score placing heads[:i] into articles[:j+1], each article ≥1 head
    neg = float("-inf")
    dp = [[neg] * k for _ in range(n + 1)]
    back: list[list[int]] = [[0] * k for _ in range(n + 1)]
    for i in range(1, n + 1):
        dp[i][0] = sum(score(h, 0) for h in heads[:i])
    for j in range(1, k):
        for i in range(j + 1, n + 1):
            for cut in range(j, i):
                if dp[cut][j - 1] == neg:
                    continue
                v = dp[cut][j - 1] + sum(score(h, j) for h in heads[cut:i])
                if v > dp[i][j]:
                    dp[i][j], back[i][j] = v, cut
    if n < k or dp[n][k - 1] == neg:
        return [[] for _ in texts]
    groups: list[list[str]] = [[] for _ in texts]
    i = n
    for j in range(k - 1, -1, -1):
        cut = back[i][j] if j > 0 else 0
        groups[j] = heads[cut:i]
        i = cut
    return groups


def _editor_intro(seg: Segment, cl: Cleaner) -> None:
    """'下面是某某网小编为您推荐《标题》' names the site and often the speech's real title.
    The teaser before it is removed only when it repeats text found later in the
    document (then it is an excerpt, not part of the speech)."""
    body_text = "\n".join(seg.lines)
    for idx, s in enumerate(seg.lines):
        if not s or "小编" not in s:
            continue
        m = _EDITOR_INTRO.search(s)
        if not m:
            continue
        intro = m.group(0)
        site = m.group(1).strip(_WS)
        if site.endswith(("网", "站", "网站")) and 2 <= len(site) <= 16:
            seg.extracted.setdefault("template_site", Field(site, "inferred", intro))
        tm = re.search(r"(?:推荐|带来|整理|分享|收集)(?:了|的)?(?:一篇|几篇)?[《“]?([^，,。！？《》“”]{6,80}?)[》”]?(?:[，,。！？]|希望|$)", intro)
        kept = None
        if tm:
            t = tm.group(1).strip(_WS)
            if re.search(r"讲话|发言|报告|会议|致辞|演讲|材料|范文", t):
                seg.extracted.setdefault("recommended_title", Field(t, "inferred", intro))
                kept = "title"
        cl.remove("editor-intro", intro, kept_as=kept)
        rest = (s[: m.start()] + s[m.end() :]).strip(_WS)
        teaser = s[: m.start()].strip(_WS)
        others = body_text.replace(s, "")
        if teaser and len(teaser) >= 10 and teaser[: min(len(teaser), 40)] in others:
            cl.remove("editor-intro", teaser)
            rest = s[m.end() :].strip(_WS)
        seg.lines[idx] = rest
    cl.ran("editor-intro")


# ---------------------------------------------------------------- main entry


def clean(raw: RawDoc) -> list[Document]:
    """One RawDoc → one or more Documents, with provenance."""
    cl = Cleaner(raw)
    for rule, text in raw.layout_removed:  # a PDF's or Word file's running headers, page numbers
        cl.ran(rule)
        cl.remove(rule, text)
    if raw.body_format != "text":
        cl.ran("markup")
        for lost in raw.markup_removed:
            cl.remove("markup", lost)
    lines = raw.text.split("\n")
    cl.ran("whitespace")
    damage = lost_characters(raw.text, raw.source_path, raw.body_line,
                             replacement=not any("U+FFFD" in w for w in raw.warnings))
    if damage and damage not in raw.warnings:
        raw.warnings.append(damage)
    lines = cl.line_rules(lines)
    lines = cl.inline_rules(lines)

    fm_title = raw.front_matter.get("title")
    post = post_of(raw)  # a Jekyll post without a title is titled by its file name, as Jekyll does
    head, lines = read_head(lines, cl, take_title=not fm_title and not post and not raw.html_title)
    lines = strip_tail(lines, cl)
    cl.ran("page-footer")
    title = head.title
    if title and looks_mojibake(title):
        raw.warnings.append(f"{raw.source_path}: the title line looks garbled (wrong encoding?), not used: {title[:30]}")
        title = None

    segments: list[Segment] = []
    comp = find_compilation(lines)
    hard = is_hard_wrapped(lines)
    if comp:
        first = comp[0][0]
        for s in lines[:first]:
            if s:
                cl.remove("compilation-header", s, kept_as="compilation title")
        for n, (i, _stem, _num) in enumerate(comp):
            j = comp[n + 1][0] if n + 1 < len(comp) else len(lines)
            cl.remove("compilation-header", lines[i], kept_as="title")
            segments.append(Segment(lines=lines[i + 1 : j], heading=lines[i]))
        cl.ran("compilation-header")
    else:
        heads: list[str] = []
        if hard:
            heads, hstart = trailing_headlines(lines)
            if heads:
                lines = lines[:hstart]
        starts = [article_head(lines, i) if n else i for n, i in enumerate(find_articles(lines))]
        if starts:
            # text before the first byline belongs to the first article, never dropped
            for n, i in enumerate(starts):
                j = starts[n + 1] if n + 1 < len(starts) else len(lines)
                seg = Segment(lines=lines[0 if n == 0 else i : j])
                if n and not (_BYLINE.match(lines[i]) or _DATELINE.match(lines[i])):
                    # the article's own headline, printed just above its byline or dateline
                    seg.title = seg.title_evidence = lines[i]
                    cl.remove("headline-block", lines[i], kept_as="title")
                    cl.ran("headline-block")
                    seg.lines = seg.lines[1:]
                segments.append(seg)
        else:
            segments.append(Segment(lines=lines))
        if heads:
            cl.ran("headline-block")
            texts = ["\n".join(seg.lines) for seg in segments]
            groups = assign_headlines(heads, texts)
            for seg, group in zip(segments, groups, strict=True):
                if group:
                    seg.title = " ".join(group)
                    seg.title_evidence = " / ".join(group)
                    for h in group:
                        cl.remove("headline-block", h, kept_as="title")

    docs: list[Document] = []
    total = len(segments)
    n_file = len(cl.removals)
    part_removals: list[list[Removal]] = []
    for n, seg in enumerate(segments, start=1):
        start = len(cl.removals)
        _editor_intro(seg, cl)
        if hard:
            cl.ran("hard-wrap")
            paras = join_hard_wrapped(seg.lines)
        else:
            paras = [s for s in seg.lines if s]
        doc_id = raw.file_id if total == 1 else f"{raw.file_id}-p{n:02d}"
        doc = Document(
            id=doc_id,
            file_id=raw.file_id,
            part=None if total == 1 else n,
            parts_total=total,
            source_path=raw.source_path,
            sha256=raw.sha256,
            encoding=raw.encoding,
            body_format=raw.body_format,
            paragraphs=paras,
            warnings=list(raw.warnings),
            source_format=raw.source_format,
            ocr=raw.ocr,
            given_headings=dict(raw.headings),
        )
        # title precedence inside cleaning: front matter > page <title> > recommended
        # title > headline > split heading > leading title line
        if fm_title:
            doc.meta["title"] = Field(str(fm_title), "given", "front matter")
        elif post:
            doc.meta["title"] = Field(post.title, "inferred", f"Jekyll 文章文件名：{post.file_name}")
            doc.meta["title_from"] = Field(TITLE_FROM_POST_NAME, "inferred", post.file_name)
        elif raw.html_title:
            doc.meta["title"] = Field(raw.html_title, "inferred", "<title>/<h1> of the page")
        elif "recommended_title" in seg.extracted:
            doc.meta["title"] = seg.extracted["recommended_title"]
        elif seg.title and not (total == 1 and title):
            # headlines found at the end of a page name its articles; a single article
            # whose own head gives its title keeps that
            doc.meta["title"] = Field(seg.title, "inferred", seg.title_evidence)
        elif seg.heading:
            doc.meta["title"] = Field(seg.heading, "inferred", seg.heading)
        elif title:
            doc.meta["title"] = Field(title, "inferred", head.title_evidence)
        elif total == 1 and title_from_file_name(raw.source_path):
            doc.meta["title"] = Field(title_from_file_name(raw.source_path), "inferred",
                                      f"文件名：{raw.source_path.rsplit('/', 1)[-1]}")
            doc.meta["title_from"] = Field("file name", "inferred", raw.source_path.rsplit("/", 1)[-1])
        _strip_title_markup(doc)
        if n == 1:
            if head.dateline:
                doc.meta["dateline"] = Field(head.dateline, "inferred", head.dateline)
            if head.speaker_line:
                doc.meta["speaker_line"] = Field(head.speaker_line, "inferred", head.speaker_line)
        if seg.heading and doc.meta.get("title") and doc.meta["title"].value != seg.heading:
            doc.meta["heading"] = Field(seg.heading, "inferred", seg.heading)
        for k, f in seg.extracted.items():
            doc.meta.setdefault(k, f)
        for k, f in cl.extracted.fields.items():
            doc.meta.setdefault(k, f)
        part_removals.append(cl.removals[start : len(cl.removals)])
        docs.append(doc)

    # What was removed from the file as a whole (chrome, headers) is shown on every
    # part; what was removed inside one part only on that part.
    file_removals = cl.removals[:n_file]
    for r in file_removals:
        r.scope = "file"
    for doc, own in zip(docs, part_removals, strict=True):
        doc.removals = list(file_removals) + list(own)
        doc.rules_run = list(cl.rules_run)
        doc.siblings = [d.id for d in docs if d.id != doc.id]
        _script_and_redaction(doc)
    return docs


# Markdown markup around a whole title line (an ATX heading '## 标题', emphasis '**标题**')
# is layout, not words of the title.
_TITLE_MARKUP = _m(r"^\s*#{1,6}\s+(.*?)(?:\s+#+)?\s*$|^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*$")
# Emphasis around words (**标题**) is markup; placeholders are runs of stars in a figure's
# slot (完成**万元, 增长**%), so a pair whose inside starts with a unit is not emphasis.
# (The inside cannot hold a star, so it always ends at the next star: the Han check is a
# lookahead and the inside one greedy run, which keeps the scan linear in a long paragraph
# with an unclosed pair; the nested lazy form matched the same but took quadratic time.)
_EMPHASIS = _m(r"\*\*(?![*\s%％个户家项亿万千百元年月日人次名所条座倍批件台])(?=[^*\n]*?[\u4e00-\u9fff])([^*\n]*)"
               r"(?<![*\s])\*\*")


def _strip_title_markup(doc: Document) -> None:
    f = doc.meta.get("title")
    if f is None or f.status == "given":
        return
    m = _TITLE_MARKUP.match(str(f.value))
    if m:
        inner = (m.group(1) or m.group(2) or "").strip()
        if inner:
            doc.meta["title"] = Field(inner, f.status, f.evidence)
    # a site's decorations around a title (【栏目】…【范文精选】, …-新华网) are not its words
    bare, _taken = page_head.strip_decoration(str(doc.meta["title"].value))
    if bare != doc.meta["title"].value:
        doc.meta["title"] = Field(bare, f.status, f.evidence)


def _script_and_redaction(doc: Document) -> None:
    doc.script = detect_script("\n".join(doc.paragraphs))
    if doc.script == "zh-Hant":
        doc.simplified = [to_simplified(p) for p in doc.paragraphs]
        if "title" in doc.meta:
            f = doc.meta["title"]
            doc.meta["title_original"] = Field(f.value, f.status, f.evidence)
            doc.meta["title"] = Field(to_simplified(str(f.value)), f.status, f.evidence)
    examples: list[str] = []
    count = 0
    for p in doc.paragraphs:
        for m in _REDACTION.finditer(_EMPHASIS.sub(r"\1", p)):
            count += 1
            if m.group(0) not in examples:
                examples.append(m.group(0))
    # A template with blanked figures shows them again and again; one stray 'XX' in a
    # real speech is not enough.
    doc.redacted = count >= 3
    doc.redaction_examples = examples[:6] if doc.redacted else []
