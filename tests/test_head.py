"""The head of a scraped web page (generator/clean/head.py, wired into clean.read_head):
breadcrumbs, site names, e-paper navigation, UI and paywall words and publication stamps
are chrome, removed and recorded; the headline is the title; an eyebrow or subtitle line
stays in the text and is recorded. Fixtures in tests/fixtures/heads, written for the
project, one per case."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.clean import clean, title_from_file_name
from generator.clean.head import chrome_kind, edition_date, find_title_block, run_in_title, strip_decoration
from generator.model import Document
from generator.read import read

HEADS = Path(__file__).parent / "fixtures" / "heads"


def cleaned(name: str) -> Document:
    raw = read(HEADS / name, HEADS)
    raw.file_id = name.rsplit(".", 1)[0]
    (doc,) = clean(raw)
    return doc


def removed(doc: Document, rule: str) -> list[str]:
    return [r.text for r in doc.removals if r.rule == rule]


def test_breadcrumb_and_traditional_stamp_are_chrome_and_the_stamp_dates_the_page() -> None:
    doc = cleaned("breadcrumb_and_stamp_traditional.txt")
    assert doc.title == "区政协召开第五次主席会议"  # shown simplified, the original kept
    assert doc.value("title_original") == "區政協召開第五次主席會議"
    assert "您的位置:錢塘網 > 兩會焦點 > 正文" in removed(doc, "page-chrome")
    stamp = "更新時間:2031年1月3日 10:24 內容來源:錢塘日報"
    assert stamp in removed(doc, "header-line")
    # the stamp's date is kept as the page's publication date, with the line as evidence
    assert doc.value("published") == "2031-01-03" and doc.meta["published"].evidence == stamp
    assert doc.value("source_name") == "钱塘日报"
    assert doc.paragraphs[0].startswith("1月2日下午")


def test_epaper_navigation_and_the_readers_date_are_chrome_not_a_stamp() -> None:
    doc = cleaned("epaper_navigation.txt")
    assert doc.title == "市委召开常委会会议研究春耕生产"
    assert {"第A1版:要闻 4下一版", "标题导航", "2032年02月19日 星期六", "上一篇 下一篇 放大 缩小"} <= set(
        removed(doc, "page-chrome"))
    assert doc.value("published") is None  # an e-reader's current date is not a publication stamp
    assert doc.paragraphs[0].startswith("本报讯")


def test_a_column_name_above_the_headline_is_chrome() -> None:
    doc = cleaned("column_name_above_headline.txt")
    assert doc.title == "全县庆祝教师节暨教育工作会议隆重召开"
    assert "教育新闻" in removed(doc, "page-chrome")


def test_a_ui_word_above_the_title_is_chrome() -> None:
    doc = cleaned("ui_word_above_title.txt")
    assert doc.title == "在全市招商引资工作会议上的讲话"
    assert "正文复制" in removed(doc, "page-chrome")
    assert doc.paragraphs[0] == "同志们:"


def test_shop_and_download_words_are_chrome() -> None:
    doc = cleaned("shop_and_login_words_above_title.txt")
    assert doc.title == "共同谱写家乡发展的崭新篇章"
    assert {"购物车", "我的足迹"} <= set(removed(doc, "page-chrome"))
    assert "加入Vip免费下载 立即下载" in removed(doc, "page-chrome")


def test_a_site_decorated_title_loses_its_decorations() -> None:
    doc = cleaned("site_decorated_title.txt")
    assert doc.title == "县长在庆祝教师节大会上的电视讲话"
    assert "当前位置:首页 > 公文范文 >" in removed(doc, "page-chrome")
    assert doc.value("published") == "2030-05-18"


def test_eyebrow_and_subtitle_stay_in_the_text_and_are_recorded() -> None:
    doc = cleaned("eyebrow_headline_stamp_subtitle.txt")
    assert doc.title == "县委农村工作会议召开"
    assert doc.value("eyebrow") == "高水平建设乡村振兴示范区 为全省大局贡献力量"
    assert doc.value("subtitle") == "县委书记刘长青出席并讲话"
    assert doc.paragraphs[:2] == ["高水平建设乡村振兴示范区 为全省大局贡献力量", "县委书记刘长青出席并讲话"]
    assert "青溪在线  >  青溪新闻网  >  新闻中心  >  时政青溪" in removed(doc, "page-chrome")
    assert doc.value("published") == "2031-05-27"


def test_a_headline_with_a_comma_above_a_news_lead() -> None:
    doc = cleaned("headline_with_comma_before_lead.txt")
    assert doc.title == "王海涛说全县发展的底气越来越足,后劲越来越强"
    assert doc.paragraphs[0].startswith("2月6日下午")


def test_a_title_run_into_the_first_paragraph_is_split_off() -> None:
    doc = cleaned("title_run_into_speech.txt")
    assert doc.title == "县长在全县安全生产工作会议上的讲话"
    assert doc.paragraphs[0].startswith("同志们:今天我们召开")
    assert removed(doc, "title-line") == ["县长在全县安全生产工作会议上的讲话"] * 2


def test_a_site_suffix_leaves_the_title_and_a_clock_line_is_not_one() -> None:
    doc = cleaned("title_with_site_suffix_traditional.txt")
    assert doc.title == "广西青山县喜迎建县40周年"
    assert "新華網 > 廣西 > 政務信息 > 正文" in removed(doc, "page-chrome")


def test_an_epaper_page_code_is_not_a_title_and_the_edition_date_leaves_it() -> None:
    doc = cleaned("epaper_page_code_and_edition_date.txt")
    assert doc.title == "青山 合力攻坚 锁定高质量"
    assert "T49" in removed(doc, "page-chrome")
    assert doc.value("published") == "2032-04-27"


@pytest.mark.parametrize(("line", "kind"), [
    ("学习啦>实用范文>致辞讲话>会议发言稿>", "breadcrumb"),
    ("首页>时政>正文", "breadcrumb"),
    ("您现在所在的位置: 网站首页 > 新闻中心 > 本县要闻", "breadcrumb"),
    ("當前位置: 首頁>> 工作動態>> 地方政務", "breadcrumb"),
    ("第A1版:要闻", "e-paper navigation"),
    ("上一篇 下一篇 放大 缩小", "e-paper navigation"),
    ("2022年02月19日 星期六", "current date"),
    ("今天是:", "current date"),
    ("• 繁体版", "page controls"),
    ("分享到:", "page controls"),
    ("请先登录", "page controls"),
    ("试读结束,开通会员文档无限下载使用", "paywall"),
    ("靈感範文站", "site name"),
    ("新闻热线:0577-12345678 广告热线:12345678", "site header"),
])
def test_chrome_kinds(line: str, kind: str) -> None:
    assert chrome_kind(line) == kind


@pytest.mark.parametrize("line", [
    "县委农村工作会议召开", "在全县经济工作会议上的讲话", "同志们:", "2021年12月30日",
    "区长在全区重点项目观摩会上的讲话", "政府工作报告", "县委书记张三主持召开常委会会议",
])
def test_headlines_and_text_are_not_chrome(line: str) -> None:
    assert chrome_kind(line) is None


def test_decorations_and_edition_dates() -> None:
    assert strip_decoration("【教育讲话】县长在教师节上的讲话【范文精选】") == ("县长在教师节上的讲话", ["【教育讲话】", "【范文精选】"])
    assert strip_decoration("2023年在全市重点项目建设推进会讲话[VIP]")[0] == "2023年在全市重点项目建设推进会讲话"
    assert strip_decoration("某县喜迎县庆-新华网")[0] == "某县喜迎县庆"
    assert strip_decoration("两会-十年")[0] == "两会-十年"  # too short to carry a site suffix
    assert edition_date("天柱 合力攻坚 2022年04月27日") == ("天柱 合力攻坚", "2022-04-27")
    assert edition_date("2022年工作要点") == ("2022年工作要点", None)


def test_title_block_rules_in_order_of_trust() -> None:
    # printed twice wins over the line above the stamp
    lines = ["返回", "区长在全区观摩会上的讲话", "", "区长在全区观摩会上的讲话", "时间行"]
    block = find_title_block(lines, {4}, 5)
    assert block is not None and block.title == "区长在全区观摩会上的讲话" and block.repeats == [3]
    # no structure: the caller's first-line rule decides
    assert find_title_block(["在全县工作会议上的讲话"], set(), 1) is None


def test_run_in_title_needs_a_salutation_after_it() -> None:
    assert run_in_title("市长在全市大会上的讲话同志们:今天") == ("市长在全市大会上的讲话", "同志们:今天")
    assert run_in_title("学习贯彻市委书记在全市大会上的讲话精神,推动工作。") is None


@pytest.mark.parametrize("name", ["p-001.txt", "m-004.txt", "2019.txt", "123456.txt"])
def test_an_id_file_name_is_not_a_title(name: str) -> None:
    assert title_from_file_name(name) is None
