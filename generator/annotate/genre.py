"""Genre: what kind of text a document is, read from how such texts are built.

- 公报决议: the text is a communique or a resolution (its title says 公报/决议/决定, or it
  is dated by the session that adopted it: '（…会议通过）').
- 范文: a template. Its placeholders (XX县, ××同志, 某某, *市, 20xx), its site's marks
  (篇N, 精选N篇, 范文网, 小编) and compilation structure; or a page from a template site
  that names neither a place nor a speaker (an anonymised copy).
- 会议报道: a reporter tells of a meeting: an outlet's dateline (本报讯, 某某网讯, 记者,
  通讯员), or a lead that opens with the day and narrates in the third person
  (召开, 主持, 出席会议并讲话, 会议指出/强调). A report of a speech is a report.
- 讲话稿: someone speaks in the first person to an audience: a salutation (同志们,
  各位代表, 尊敬的…), '我代表…', or a speech's title and byline.

Each rule returns its evidence; when none applies the genre stays unknown.
"""

from __future__ import annotations

import re

from generator.clean.script import to_simplified
from generator.model import Document

COMMUNIQUE = "公报决议"

_COMMUNIQUE_TITLE = re.compile(r"(?:公报|决议|决定)$|^关于.{2,40}的(?:决议|决定)")
_ADOPTED = re.compile(r"^[（(]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.{2,40}(?:会议|全会|大会)(?:审议)?通过\s*[)）]$")
# placeholders of a template. Strong: a blank in a place's or a person's slot (XX县, ×××市,
# *同志, 某某, 某年, a name left out before '同志作…'); one is enough. Weak: a bare XX, **, 20xx,
# which a real speech reposted by a template site may carry once.
_STRONG = re.compile(
    r"(?:(?<![A-Za-z\d])[XxＸ]{1,3}|[×＊*]{1,4}|某)(?=[县市区省州镇乡村旗]|同志|书记|[工党]委|年)|某某"
    r"|(?:^|[，,、：:（(]|\s{2})\s*同志(?=通报|作|宣读|讲话|传达|主持|代表|介绍|发言)"
)
_WEAK = re.compile(r"(?:19|20)[xX]{2}|20\d[xX](?![A-Za-z])|(?<![A-Za-z\d])[XxＸ]{2,3}(?![A-Za-z])|×{2,}|[＊*]{2,}(?=[%％个户家项亿万千百元年月日人次名所条座倍批件台\d])|[~～](?=年|度)")
# a paid document site's marks: a template sold by the page, not a speech it reposts
_PAYWALL = re.compile(r"试读|点券|开通会员|VIP", re.IGNORECASE)
# a template site's own marks: compilations (篇1, 精选5篇, 优质13篇, 五篇) and its name
_SITE_MARK = re.compile(
    r"(?:精选|优质|优秀|通用|热门)\s*\d+\s*篇|[（(]\s*\d+\s*篇\s*[)）]|篇\s*\d+$|[一二三四五六七八九十\d]\s*篇$"
    r"|范文|文库|公文网|文秘|小编|一键复制|正文复制|试读|开通会员|VIP|会员注册|下载文档|立即下载|我要投稿"
)
_REPORTER = re.compile(
    r"^[\u4e00-\u9fff]{0,12}(?:报|社|台|网|站|中心)[\u4e00-\u9fff]{0,6}\s*(?:\d{1,2}月\d{1,2}日)?(?:讯|电)"
    r"|记者\s*[\u4e00-\u9fff]{2,3}(?:\s|、|$|摄|报道|）|\))|通讯员|本网讯|本报讯|^[\u4e00-\u9fff]{2,8}消息\s"
)
_SALUTATION = re.compile(r"(?:^|[\s：:，,。】\]])(?:同志们|各位(?:代表|委员|领导|来宾|嘉宾|首长|老师|同志|父老)|尊敬的|女士们|朋友们)"
                         r"[^。]{0,30}?[：:，,！!]")
_FIRST_PERSON = re.compile(r"我(?:谨)?代表|我们?(?:谨)?向[^。]{2,60}?致以|我现在|我们的会议|下面，?我(?:讲|谈|就)|我(?:再)?讲[一二三四五六七八九十几]点|今天[，,]?我们(?:在这里)?(?:召开|隆重|欢聚|相聚)|(?:^|[。！？])\s*刚才[，,]")
_SPEECH_TITLE = re.compile(r"(?:讲话|讲话稿|讲话文稿|致辞|致词|贺词|发言|发言稿|主持词|闭幕词|开幕词|演讲|动员报告|表态发言)(?:\s*[（(]\d+[)）])?$")
NEWS_TITLE = re.compile(r"(?:召开|举行|举办|闭幕|开幕|启幕|召开会议|会议召开|强调|指出|要求|审议|调研|主持召开)")
_LEAD_DATE = re.compile(r"^(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]|^\d{1,2}\s*[日号]|^(?:昨[天日]|今[天日]|近日|日前|[上下]午)")
_NARRATION = re.compile(
    r"召开|举行|举办|主持|出席|参加|列席|陪同|座谈|调研|观摩|开幕|闭幕|启动|慰问|视察|考察|走访|到会|会见|审议|讨论|庆祝"
    r"|会议(?:指出|强调|要求|听取|传达|研究|审议|认为|决定|讨论)"
    r"|(?:讲话|致辞|发言)(?:中)?(?:指出|强调|表示)|[\u4e00-\u9fff]{2,3}(?:强调|指出|要求|表示)[,，:：]"
)


def _head_lines(doc: Document, n: int = 8) -> list[str]:
    """The first paragraphs in simplified script, without the '???' a lost-character page
    leaves at their start."""
    lines = doc.simplified if doc.simplified is not None else [to_simplified(p) for p in doc.paragraphs[:n]]
    return [re.sub(r"^[\s?？□■]+", "", p) for p in lines[:n]]


def _signed(doc: Document) -> bool:
    """A speaker is named: inferred speakers, a speaker line, or a bare name (maybe
    spaced out, '郑 建 新') as the first line under the title: a byline."""
    from generator.annotate import is_name

    if doc.value("speakers") or doc.value("speaker_line"):
        return True
    first = doc.paragraphs[0].strip() if doc.paragraphs else ""
    m = re.match(r"^([\u4e00-\u9fff](?:[\s\u3000]+[\u4e00-\u9fff]){1,3})(?=[\s(（]|$)", first)
    name = re.sub(r"[\s\u3000]+", "", m.group(1)) if m else first
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name)) and is_name(name)


def communique(doc: Document) -> str | None:
    title = str(doc.value("title") or "")
    if _COMMUNIQUE_TITLE.search(title):
        return title
    for line in _head_lines(doc, 3):
        if _ADOPTED.match(line.strip()):
            return line.strip()
    return None


def template(doc: Document) -> str | None:
    """Evidence that the text is a template, or None."""
    text = "\n".join(_head_lines(doc, 40))
    title = to_simplified(str(doc.value("title") or ""))
    marks = [to_simplified(r.text) for r in doc.removals if r.rule in ("compilation-header", "editor-intro", "page-chrome",
                                                                      "title-line", "header-line", "feedback-link")]
    if doc.parts_total > 1 and any(r.rule == "compilation-header" for r in doc.removals):
        return "汇编：" + next(r.text for r in doc.removals if r.rule == "compilation-header")
    m = next((x for x in (_SITE_MARK.search(t) for t in [title, *marks] if "篇" in t) if x), None)
    if m:
        return f"范文网站的汇编标记“{m.group(0)}”"
    if _signed(doc):
        return None  # a signed speech reposted by a template site keeps its leftover marks
    strong = [x.group(0).strip() for x in _STRONG.finditer(title + "\n" + text)]
    weak = [x.group(0) for x in _WEAK.finditer(title + "\n" + text)]
    if strong or len(weak) >= 2 or doc.redacted:
        examples = list(dict.fromkeys(strong + weak or doc.redaction_examples))
        return "含占位符：" + "、".join(e or "（空缺的人名）" for e in examples[:6]) if examples else "含占位符"
    paid = next((x for x in (_PAYWALL.search(t) for t in [*marks, text]) if x), None)
    place = doc.value("place") or {}
    if paid and not any(place.get(k) for k in ("province", "city", "county", "scope")):
        # sold by a paid document site and naming neither its place nor its speaker
        return f"付费文档网站（“{paid.group(0)}”）上的文本，不具名、不具地点"
    return None


def news_report(doc: Document) -> str | None:
    lines = [s for s in _head_lines(doc, 6) if s.strip()]
    if not lines:
        return None
    if _SALUTATION.match(lines[0][:40]) or _SALUTATION.search(lines[0][:12]):
        return None  # the text opens by addressing its audience: a speech
    for line in lines[:3]:
        m = _REPORTER.search(line.strip()[:40])
        if m:
            return line.strip()[:80]
    title = str(doc.value("title") or "")
    body = "\n".join(lines[:3])[:600]
    if _FIRST_PERSON.search(body) or _SALUTATION.search(body[:200]):
        return None
    for line in lines[:2]:
        s = line.strip()
        if _LEAD_DATE.match(s) and _NARRATION.search(s[:200]):
            return s[:120]  # a lead that opens with the day: a report, whatever its headline says
    if _SPEECH_TITLE.search(title):
        return None
    m = _NARRATION.search(body)
    if m:
        # told in the third person: who met, presided, attended, stressed
        start = max(body.rfind(c, 0, m.start()) for c in "。！？\n") + 1
        return body[start:m.end() + 40].split("。")[0]
    return None


def speech(doc: Document) -> str | None:
    lines = [s for s in _head_lines(doc, 6) if s.strip()]
    opening = "\n".join(lines)[:400]
    m = _SALUTATION.search(opening[:200])
    if m:
        return m.group(0).strip("：:，,。 ")
    m = _FIRST_PERSON.search(opening)
    if m:
        return m.group(0)
    title = str(doc.value("title") or "")
    if _SPEECH_TITLE.search(title):
        return title
    if doc.value("speaker_line"):
        return str(doc.value("speaker_line"))
    return None
