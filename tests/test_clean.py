"""Tests for generator.clean: each named rule on its own, on made-up inline examples
(not the seeds' strings), so they show that the rules generalize."""

from __future__ import annotations

import pytest

from generator.clean import RULES, clean
from generator.model import Document, RawDoc

# Two ordinary speech paragraphs; the first has clause punctuation so it is never
# mistaken for a title line.
BODY = [
    "各位代表：今年全镇农业生产取得较好成绩，粮食总产稳中有升。",
    "下一步要继续抓好冬春农田水利建设，确保明年再获丰收。",
]


def raw_doc(text: str, name: str = "speech.txt", fmt: str = "text") -> RawDoc:
    return RawDoc(
        source_path=name,
        file_id=name.rsplit(".", 1)[0],
        sha256="0" * 64,
        size=len(text.encode("utf-8")),
        encoding="utf-8",
        text=text,
        body_format=fmt,  # type: ignore[arg-type]
        body_line=1,
    )


def clean_text(text: str) -> list[Document]:
    return clean(raw_doc(text))


def only(text: str) -> Document:
    docs = clean_text(text)
    assert len(docs) == 1, [d.id for d in docs]
    return docs[0]


def removed(doc: Document) -> list[tuple[str, str | None, str]]:
    return [(r.rule, r.kept_as, r.text) for r in doc.removals]


# ---------------------------------------------------------------- line rules, one at a time

LINE_RULES = [
    # (rule, junk line, kept_as)
    ("share-prompt", "扫一扫在手机打开当前页", None),
    ("share-prompt", "分享到：微信 微博 QQ空间", None),
    ("share-prompt", "转发 | 收藏 | 打印", None),
    ("feedback-link", "我要纠错", None),
    ("feedback-link", "打印本页 | 关闭窗口", None),
    ("feedback-link", "版权投诉", None),
    ("disclaimer", "免责声明：本站文章均来自网友投稿，不代表本站观点。", None),
    ("disclaimer", "本文整理自互联网，版权归原作者所有。", None),
    ("keyword-line", "推荐访问：镇长讲话 农业工作会议 冬春水利 讲话稿", None),
    ("keyword-line", "相关阅读：全镇秋收工作会议召开", None),
    ("navigation", "返回镇政府首页", None),
    ("navigation", "【返回列表】 | 【返回顶部】", None),
    ("navigation", "上一篇：全镇秋收工作会议召开", None),
    ("header-line", "发布时间：2022-11-05 09:30 农业农村 我要纠错", "published"),
    ("source-line", "（稿件来源：乡镇周报）", "source"),
    ("summary", "【摘要】：会议总结了全镇今年的农业生产工作。", "summary"),
    ("bare-url", "https://www.example.gov.cn/art/2022/11/5/art_1.html", "source url"),
]


@pytest.mark.parametrize(("rule", "line", "kept_as"), LINE_RULES, ids=[f"{r}-{i}" for i, (r, _, _) in
                                                                         enumerate(LINE_RULES)])
@pytest.mark.parametrize("where", ["after", "between"])
def test_line_rule_alone(rule: str, line: str, kept_as: str | None, where: str) -> None:
    text = "\n".join([*BODY, line]) if where == "after" else "\n".join([BODY[0], line, BODY[1]])
    doc = only(text)
    assert doc.paragraphs == BODY
    assert removed(doc) == [(rule, kept_as, line)]
    assert rule in doc.rules_run
    assert rule in RULES


def test_header_line_gives_published_date() -> None:
    doc = only("\n".join(["时间:2019-07-02 专题学习 版权反馈", *BODY]))
    assert doc.paragraphs == BODY
    assert doc.meta["published"].value == "2019-07-02"
    assert doc.meta["published"].status == "inferred"
    assert doc.meta["published"].evidence == "时间:2019-07-02 专题学习 版权反馈"


def test_header_line_with_chinese_date() -> None:
    doc = only("\n".join([*BODY, "日期：2020年3月8日"]))
    assert doc.meta["published"].value == "2020-03-08"


def test_source_line_gives_source_name() -> None:
    doc = only("\n".join([*BODY, "文章来源：清河县融媒体中心"]))
    assert doc.paragraphs == BODY
    assert doc.meta["source_name"].value == "清河县融媒体中心"
    assert removed(doc) == [("source-line", "source", "文章来源：清河县融媒体中心")]


def test_summary_is_kept_as_summary() -> None:
    doc = only("\n".join(["【摘要】：会议部署了今冬明春水利建设。", *BODY]))
    assert doc.paragraphs == BODY
    assert doc.meta["summary"].value == "会议部署了今冬明春水利建设。"


def test_bare_url_is_kept_as_source_url() -> None:
    doc = only("\n".join([*BODY, "<https://news.example.org/2021/0101.html>"]))
    assert doc.meta["source_url"].value == "https://news.example.org/2021/0101.html"


def test_junk_lines_are_never_paragraphs() -> None:
    junk = [line for _, line, _ in LINE_RULES]
    doc = only("\n".join([BODY[0], *junk, BODY[1]]))
    assert doc.paragraphs == BODY
    assert sorted(r.text for r in doc.removals) == sorted(junk)


# ---------------------------------------------------------------- inline rules


def test_watermark_inline_is_removed() -> None:
    doc = only("同志们：今年(www.fanwen8.net)全镇工作成效明显。\n要继续努力（wenmi.cn）再创佳绩。")
    assert doc.paragraphs == ["同志们：今年全镇工作成效明显。", "要继续努力再创佳绩。"]
    assert removed(doc) == [
        ("watermark", "source site", "(www.fanwen8.net)"),
        ("watermark", "source site", "（wenmi.cn）"),
    ]
    assert doc.meta["watermark_site"].value == "www.fanwen8.net"


def test_pinyin_artifacts_removed_other_parentheses_kept() -> None:
    text = "\n".join([
        "各县(市、区)要在(2020年5月6日)前完成鄉(xiāng)鎮(zhèn)調(diào)查。",
        "本报讯(记者王小明) 会议要求农(nóng)业部门抓好落实，确保秋粮丰收。",
    ])
    doc = only(text)
    assert doc.paragraphs == [
        "各县(市、区)要在(2020年5月6日)前完成鄉鎮調查。",
        "本报讯(记者王小明) 会议要求农业部门抓好落实，确保秋粮丰收。",
    ]
    assert [r.text for r in doc.removals if r.rule == "pinyin"] == ["(xiāng)", "(zhèn)", "(diào)", "(nóng)"]
    assert {r.rule for r in doc.removals} == {"pinyin"}


def test_pinyin_without_tone_marks_is_not_removed() -> None:
    # '(ok)' has no tone mark: it may be text, not a reading aid
    doc = only("各位代表：系统运行(ok)，数据上报(done)正常。")
    assert doc.paragraphs == ["各位代表：系统运行(ok)，数据上报(done)正常。"]
    assert doc.removals == []


# ---------------------------------------------------------------- editor intro and titles


def test_editor_intro_gives_recommended_title() -> None:
    text = "\n".join([
        "在全镇农业工作会议上的讲话",
        "下面是好文章网小编为您推荐在全镇秋季农业生产工作会议上的讲话。",
        "同志们：今天召开会议，部署秋季农业生产。",
        "要抓好秋收秋种，确保颗粒归仓。",
    ])
    doc = only(text)
    assert doc.title == "在全镇秋季农业生产工作会议上的讲话"
    assert doc.meta["title"].evidence == "下面是好文章网小编为您推荐在全镇秋季农业生产工作会议上的讲话。"
    assert doc.meta["template_site"].value == "好文章网"
    assert doc.paragraphs == ["同志们：今天召开会议，部署秋季农业生产。", "要抓好秋收秋种，确保颗粒归仓。"]
    assert ("editor-intro", "title", "下面是好文章网小编为您推荐在全镇秋季农业生产工作会议上的讲话。") in removed(doc)


def test_editor_intro_removes_teaser_repeated_later() -> None:
    teaser = "要抓好秋收秋种，确保颗粒归仓，做到应收尽收。"
    text = "\n".join([
        teaser + "以下是某某范文网小编整理的在全乡秋收工作会议上的讲话，希望对大家有帮助。",
        "同志们：今天召开会议，部署秋收工作。",
        teaser,
    ])
    doc = only(text)
    assert doc.title == "在全乡秋收工作会议上的讲话"
    assert doc.paragraphs == ["同志们：今天召开会议，部署秋收工作。", teaser]
    assert ("editor-intro", None, teaser) in removed(doc)


def test_repeated_title_lines_are_kept_as_title() -> None:
    text = "\n".join([
        "讲话稿 在全乡防汛工作会议上的讲话",
        "在全乡防汛工作会议上的讲话",
        "在全乡防汛工作会议上的讲话",
        *BODY,
    ])
    doc = only(text)
    assert doc.title == "在全乡防汛工作会议上的讲话"
    assert doc.paragraphs == BODY
    assert [r.rule for r in doc.removals] == ["title-line"] * 3


# ---------------------------------------------------------------- hard-wrapped OCR


def _wrap(text: str, width: int = 13) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)]


OCR_PARAGRAPHS = [
    "本报讯 3月2日，县委召开全县春季农业生产动员大会，部署春耕备耕工作。县委书记李建国出席会议并讲话。",
    "会议强调，要压实粮食安全责任，稳定粮食播种面积，抓好种子化肥等农资供应，确保不误农时。",
    "会议要求，各乡镇要组织农技人员进村入户，开展技术指导，帮助群众解决生产中的实际困难。",
    "县农业农村局负责同志介绍了今年种植结构调整方案，各乡镇分管负责同志作了表态发言。",
]


def test_hard_wrapped_ocr_is_joined_without_losing_characters() -> None:
    lines: list[str] = []
    for p in OCR_PARAGRAPHS:
        lines += _wrap(p)
    # a blank line after a mid-sentence line is a column break, not a paragraph break
    lines.insert(4, "")
    doc = only("\n".join(lines))
    assert "hard-wrap" in doc.rules_run
    assert "".join(doc.paragraphs) == "".join(OCR_PARAGRAPHS)
    assert doc.paragraphs == OCR_PARAGRAPHS


def test_short_unwrapped_text_is_not_joined() -> None:
    doc = only("\n".join(BODY))
    assert "hard-wrap" not in doc.rules_run
    assert doc.paragraphs == BODY


# ---------------------------------------------------------------- splitting


def test_compilation_is_split_into_parts() -> None:
    text = "\n".join([
        "乡镇工作会议讲话汇编",
        "",
        "乡镇工作会议讲话篇一",
        "同志们：这是第一篇讲话的内容。",
        "要抓好第一项工作。",
        "乡镇工作会议讲话篇二",
        "同志们：这是第二篇讲话的内容。",
        "乡镇工作会议讲话篇三",
        "同志们：这是第三篇讲话的内容。",
    ])
    docs = clean(raw_doc(text, "huibian.txt"))
    assert [d.id for d in docs] == ["huibian-p01", "huibian-p02", "huibian-p03"]
    assert [d.part for d in docs] == [1, 2, 3]
    assert all(d.parts_total == 3 for d in docs)
    assert [d.title for d in docs] == ["乡镇工作会议讲话篇一", "乡镇工作会议讲话篇二", "乡镇工作会议讲话篇三"]
    assert docs[0].paragraphs == ["同志们：这是第一篇讲话的内容。", "要抓好第一项工作。"]
    assert docs[2].paragraphs == ["同志们：这是第三篇讲话的内容。"]
    assert docs[0].siblings == ["huibian-p02", "huibian-p03"]
    headings = [r.text for r in docs[1].removals if r.rule == "compilation-header"]
    assert headings == ["乡镇工作会议讲话篇一", "乡镇工作会议讲话篇二", "乡镇工作会议讲话篇三"]
    assert all(r.scope == "file" for r in docs[1].removals)


def test_compilation_needs_consecutive_numbers() -> None:
    text = "\n".join(["乡镇工作会议讲话篇一", *BODY, "乡镇工作会议讲话篇三", *BODY])
    assert len(clean_text(text)) == 1


def test_newspaper_page_split_by_bylines_with_trailing_headlines_as_titles() -> None:
    article1 = [
        "本报讯 3月2日，县委召开全县春季农业生产动员大会，部署春耕备耕工作。县委书记李建国出席会议并讲话。",
        "会议强调，要压实粮食安全责任，稳定粮食播种面积，抓好种子化肥等农资供应，确保不误农时。",
        "县领导王芳、赵强等参加会议。",
    ]
    article2 = [
        "本报讯 3月3日，全县河湖长制工作推进会召开，总结去年治水成效，安排今年重点任务。",
        "会议要求，要持续开展河道清四乱行动，加强入河排污口整治，让群众共享碧水清流。",
    ]
    lines = ["◎本报记者 周明"]
    for p in article1:
        lines += _wrap(p)
    lines += ["", "◎本报记者 孙丽"]
    for p in article2:
        lines += _wrap(p)
    lines += ["", "抓好春耕备耕", "全县春季农业生产动员大会召开", "", "全县河湖长制工作推进会召开", ""]
    docs = clean(raw_doc("\n".join(lines), "paper.txt"))
    assert [d.id for d in docs] == ["paper-p01", "paper-p02"]
    assert docs[0].title == "抓好春耕备耕 全县春季农业生产动员大会召开"
    assert docs[1].title == "全县河湖长制工作推进会召开"
    assert docs[0].paragraphs == ["◎本报记者 周明", *article1]
    assert docs[1].paragraphs == ["◎本报记者 孙丽", *article2]
    heads = [(r.kept_as, r.text) for r in docs[0].removals if r.rule == "headline-block"]
    assert heads == [("title", "抓好春耕备耕"), ("title", "全县春季农业生产动员大会召开"),
                     ("title", "全县河湖长制工作推进会召开")]


# ---------------------------------------------------------------- redaction


def test_redaction_placeholders_kept_verbatim_and_flagged() -> None:
    paragraphs = [
        "各位代表：今年全县生产总值增长XX%，财政收入达到XX亿元。",
        "新建项目**个，完成投资X亿元，带动就业＊万人。",
        "要在***同志的坚强领导下，奋力谱写XXX新篇章。",
    ]
    doc = only("\n".join(paragraphs))
    assert doc.paragraphs == paragraphs
    assert doc.redacted is True
    assert doc.redaction_examples[:4] == ["XX", "**", "X", "＊"]
    assert doc.removals == []


def test_one_stray_placeholder_is_not_a_redacted_document() -> None:
    doc = only("各位代表：今年全县完成X项重点任务，其余工作正常推进。\n要继续努力，再创佳绩。")
    assert doc.redacted is False
    assert doc.redaction_examples == []


def test_latin_words_with_x_are_not_placeholders() -> None:
    doc = only("各位代表：要发展XR产业和Xbox游戏，建设WeChat小程序与TaxiX平台。")
    assert doc.redacted is False


# ---------------------------------------------------------------- what must stay


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("扫黑除恶专项斗争", id="heading-扫黑除恶"),
        pytest.param("分享发展成果，共建美好家园", id="sentence-分享"),
        pytest.param("返回家乡创业人员达1200人。", id="sentence-返回"),
        pytest.param("声明一点：以上数据均为初步统计。", id="sentence-声明"),
        pytest.param("打印机等办公设备要统一采购。", id="sentence-打印"),
    ],
)
def test_speech_lines_resembling_junk_stay(line: str) -> None:
    doc = only("\n".join([BODY[0], line, BODY[1]]))
    assert doc.paragraphs == [BODY[0], line, BODY[1]]


def test_numbers_in_parentheses_are_not_watermarks() -> None:
    doc = only("各位代表：全年经济增长(6.5)个百分点，高于全省（5.8）的平均水平。")
    assert doc.paragraphs == ["各位代表：全年经济增长(6.5)个百分点，高于全省（5.8）的平均水平。"]
    assert "watermark_site" not in doc.meta


def test_leading_salutation_is_not_a_title() -> None:
    doc = only("\n".join(["同志们：", *BODY]))
    assert doc.paragraphs == ["同志们：", *BODY]
    assert "title" not in doc.meta


# ---------------------------------------------------------------- bookkeeping


def test_every_removal_and_every_rule_run_is_a_known_rule() -> None:
    text = "\n".join(["发布时间：2022-11-05 农业农村", "【摘要】：会议部署了工作。", *BODY, "我要纠错",
                      "推荐访问：讲话 会议"])
    doc = only(text)
    assert {r.rule for r in doc.removals} == {"header-line", "summary", "feedback-link", "keyword-line"}
    assert set(doc.rules_run) <= set(RULES)
    assert len(doc.rules_run) == len(set(doc.rules_run))


def test_markup_losses_are_recorded() -> None:
    doc = clean(RawDoc(
        source_path="page.html", file_id="page", sha256="0" * 64, size=0, encoding="utf-8",
        text="\n".join(BODY), body_format="html", body_line=1, markup_removed=["统计代码", "网站导航"],
    ))[0]
    assert [(r.rule, r.text, r.scope) for r in doc.removals] == [
        ("markup", "统计代码", "file"), ("markup", "网站导航", "file")]
    assert "markup" in doc.rules_run


@pytest.mark.parametrize(
    ("line", "published", "source"),
    [
        ("来源：某某市人民政府网　作者：办公室　发布时间：2022-03-05 10:12　浏览次数：321", "2022-03-05", "某某市人民政府网"),
        ("发布日期：2023年7月1日 | 来源：某某日报 | 字号：大 中 小", "2023-07-01", "某某日报"),
        ("【字体：大 中 小】", None, None),
        ("（责任编辑：王某某）", None, None),
    ],
)
def test_page_info_lines_become_metadata(line: str, published: str | None, source: str | None) -> None:
    doc = only("\n".join([BODY[0], line, BODY[1]]))
    assert doc.paragraphs == [BODY[0], BODY[1]]
    assert doc.value("published") == published
    assert doc.value("source_name") == source
    assert any(r.rule == "header-line" and r.text == line for r in doc.removals)


def test_sentence_naming_a_source_is_not_an_info_line() -> None:
    line = "据统计，来源：本地企业的投资占比过半，时间：去年全年。"
    doc = only("\n".join([BODY[0], line, BODY[1]]))
    assert line in doc.paragraphs


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("长按识别二维码，关注我们", "share-prompt"),
        ("欢迎关注某某发布微信公众号", "share-prompt"),
        ("阅读原文", "navigation"),
        ("上一篇：某某县召开常务会议", "navigation"),
    ],
)
def test_app_and_navigation_chrome_removed(line: str, rule: str) -> None:
    doc = only("\n".join([BODY[0], line, BODY[1]]))
    assert doc.paragraphs == [BODY[0], BODY[1]]
    assert any(r.rule == rule and r.text == line for r in doc.removals)


@pytest.mark.parametrize("salutation", ["同志们", "各位代表、同志们"])
def test_salutation_without_colon_is_not_a_title(salutation: str) -> None:
    doc = only("\n".join([salutation, *BODY]))
    assert doc.paragraphs[0] == salutation


# ---------------------------------------------------------------- splitting only on evidence


def _fixture(name: str) -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parent / "fixtures" / name).read_text(encoding="utf-8")


def test_report_with_numbered_sections_stays_one_document() -> None:
    """一、 （二） 第一部分 are sections of one report, and lines that begin with a word
    ending in 电 (发电量：…, 电力工业…) are not news datelines."""
    text = _fixture("report_with_numbered_sections.txt")
    docs = clean(raw_doc(text, "report.txt"))
    assert [d.id for d in docs] == ["report"]
    assert docs[0].paragraphs[-1].startswith("各位代表，让我们")
    assert sum(len(p) for p in docs[0].paragraphs) >= len("".join(text.split("\n")[2:]))


@pytest.mark.parametrize("heading", ["第一部分 总体要求", "一、总体要求", "（一）总体要求"])
def test_numbered_headings_never_make_a_compilation(heading: str) -> None:
    second = heading.replace("一", "二").replace("总体要求", "重点任务")
    text = "\n".join([heading + "第1", *BODY, second + "第2", *BODY])
    assert len(clean_text(text)) == 1


def test_newspaper_page_with_two_datelines_still_splits() -> None:
    docs = clean(raw_doc(_fixture("newspaper_page_with_datelines.txt"), "page.txt"))
    assert [d.id for d in docs] == ["page-p01", "page-p02"]
    # each article keeps its own headline, never the one of the article before
    assert [d.title for d in docs] == ["全县冬季农田水利建设全面启动", "某县召开安全生产专题会议"]
    assert docs[0].paragraphs[-1] == "县领导张明、刘伟出席会议。"
    assert docs[0].paragraphs[0] == "本报讯（记者 陈晓）12月1日，全县冬季农田水利建设动员会召开，部署今冬明春水利工作。"
    assert docs[1].paragraphs[0].startswith("本报讯（通讯员 王丽）12月2日")


@pytest.mark.parametrize("line", ["新华社北京3月5日电 十四届全国人大三次会议5日上午开幕。",
                                  "某某日报讯 日前，全市招商引资推进会召开。"])
def test_news_datelines_are_recognised(line: str) -> None:
    from generator.clean import _DATELINE

    assert _DATELINE.match(line)


@pytest.mark.parametrize("line", ["发电量：从三亿度增加到四亿度。", "大幅提高家电下乡产品最高限价。",
                                  "电力工业要加快发展。", "通讯设施进一步完善。"])
def test_report_lines_are_not_datelines(line: str) -> None:
    from generator.clean import _DATELINE

    assert not _DATELINE.match(line)
