"""The layout rules (generator/read/layout.py) on pages built piece by piece, each test
one rule: page numbers, running headers, columns, lines joined into paragraphs, tables."""

from __future__ import annotations

import pytest

from generator.read.layout import PAGE_NUMBER, Page, Piece, page_text

W, H = 600.0, 800.0
SIZE = 12.0  # type size: a character is 12 points wide and high
LEFT, RIGHT = 60.0, 540.0  # the text block: 40 characters a line


def line(text: str, y: float, x0: float = LEFT, size: float = SIZE) -> Piece:
    return Piece(x0, y, x0 + size * len(text), y + size, text)


def column_lines(text: str, y: float, x0: float = LEFT, width: int = 40, indent: bool = True) -> list[Piece]:
    """A paragraph set in lines of `width` characters, its first line indented two."""
    out = []
    first = 2 if indent else 0
    rest = text
    k = 0
    while rest:
        n = width - first if k == 0 else width
        out.append(line(rest[:n], y - k * 1.5 * SIZE, x0 + (first * SIZE if k == 0 else 0)))
        rest = rest[n:]
        k += 1
    return out


@pytest.mark.parametrize("text,is_number", [
    ("- 3 -", True), ("—3—", True), ("— 12 —", True), ("3", True), ("第3页", True), ("第 3 页 共 12 页", True),
    ("3/12", True), ("Page 3 of 12", True), ("·3·", True),
    ("第三部分", False), ("2024年", False), ("一、总体要求", False), ("3个方面", False),
])
def test_page_number_pattern(text: str, is_number: bool) -> None:
    assert bool(PAGE_NUMBER.match(text)) is is_number


SENT = "坚持稳中求进工作总基调，统筹发展和安全，经济运行持续回升向好，社会大局保持和谐稳定。"


def test_running_header_and_page_numbers_repeat_on_pages_and_are_removed() -> None:
    bodies = ["一是抓项目建设。" + SENT, "二是抓改革开放。" + SENT, "三是抓民生保障。" + SENT]
    pages = []
    for n, body in enumerate(bodies, start=1):
        pieces = [line("某市人民政府工作报告", 760, 240), line(f"- {n} -", 30, 285)]
        pieces += column_lines(body, 700)
        pages.append(Page(W, H, pieces))
    text, removed = page_text(pages)
    assert "某市人民政府工作报告" not in text and "- 2 -" not in text
    assert removed.count(("running-header", "某市人民政府工作报告")) == 3
    assert [t for r, t in removed if r == "page-number"] == ["- 1 -", "- 2 -", "- 3 -"]
    assert text.split("\n") == bodies


def test_a_line_in_the_margin_of_one_page_only_is_text() -> None:
    """A first line that does not come back on other pages is the document's own (a title)."""
    pages = [Page(W, H, [line("关于做好春耕生产工作的通知", 760, 200)] + column_lines("一、" + SENT, 700)),
             Page(W, H, column_lines("二、" + SENT, 760)), Page(W, H, column_lines("三、" + SENT, 760))]
    text, removed = page_text(pages)
    assert text.split("\n")[0] == "关于做好春耕生产工作的通知"
    assert not [r for r in removed if r[0] != "page-number"]


def test_sentence_broken_at_a_page_end_is_joined() -> None:
    # two full lines (38 characters after the indent, then 40): the page ends mid-sentence
    words = ("各位代表，过去一年全县上下团结奋斗，完成了县人大确定的目标任务，全年地区生产总值增长百分之六，"
             "一般公共预算收入增长百分之五，城乡居民收入稳步增加，社会大局保持和谐稳定，人民群众获得感持续增强。")
    first, second = words[:78], words[78:]
    p1 = Page(W, H, column_lines(first, 700))
    p2 = Page(W, H, [line(second, 760)])
    text, _ = page_text([p1, p2])
    assert text == first + second


def test_paragraphs_start_at_indented_lines_and_after_short_lines() -> None:
    a = "第一段" + SENT
    b = "第二段" + SENT * 2
    pieces = column_lines(a, 700)
    y = pieces[-1].y0 - 1.5 * SIZE
    pieces += column_lines(b, y)
    text, _ = page_text([Page(W, H, pieces)])
    assert text.split("\n") == [a, b]


def test_heading_line_is_its_own_paragraph() -> None:
    head = "（一）产业发展稳中有进"
    body = "我们坚持把发展经济的着力点放在实体经济上，新建续建亿元以上项目四十二个，完成投资一百一十八亿元。"
    pieces = [line(head, 700)] + column_lines(body, 700 - 1.5 * SIZE)
    text, _ = page_text([Page(W, H, pieces)])
    assert text.split("\n") == [head, body]


def test_two_columns_are_read_one_after_the_other() -> None:
    left = "左栏的第一篇文章讲的是春耕生产工作，" * 6  # six full lines of 18 characters
    right = "右栏的第二篇文章讲的是防汛准备工作，" * 6
    pieces = column_lines(left, 700, x0=60, width=18, indent=False)
    pieces += column_lines(right, 700, x0=330, width=18, indent=False)
    text, _ = page_text([Page(W, H, pieces)])
    assert text == left + right



@pytest.mark.parametrize("count", [3, 5])
def test_three_or_five_columns_are_read_column_by_column(count: int) -> None:
    """An index or a newspaper page on A3 in landscape: every column in turn, each top to
    bottom, under a title that spans them all."""
    wide = 1190.0
    texts = [f"第{'一二三四五'[k]}栏的条目讲的是乡村振兴的工作要点，" * 8 + "各项任务要落实。" for k in range(count)]
    step = (wide - 80) / count
    title = "二〇二四年学习要点索引（供各支部学习讨论使用，请结合本单位实际组织学习）"
    pieces = [line(title, 640, 140, size=24)]  # a banner over every column
    for k, text in enumerate(texts):
        pieces += column_lines(text, 600, x0=40 + k * step, width=int((step - 30) // SIZE), indent=False)
    text, _ = page_text([Page(wide, H, pieces)])
    assert text.split("\n") == [title, *texts]


def test_rows_with_wide_gaps_are_a_table() -> None:
    rows = [("指标", "2023年", "增长"), ("地区生产总值", "286亿元", "6.2%"), ("一般公共预算收入", "15.4亿元", "4.8%")]
    pieces = []
    for k, row in enumerate(rows):
        y = 700 - k * 1.5 * SIZE
        pieces += [line(row[0], y, 60), line(row[1], y, 300), line(row[2], y, 450)]
    text, _ = page_text([Page(W, H, pieces)])
    assert text.split("\n") == ["\t".join(r) for r in rows]


def test_one_gapped_line_alone_is_not_a_table() -> None:
    pieces = [line("主办单位", 700, 60), line("县人民政府办公室", 700, 300)]
    text, _ = page_text([Page(W, H, pieces)])
    assert text == "主办单位 县人民政府办公室"


def test_a_quotation_left_open_goes_on_in_the_next_line() -> None:
    """Line breaking keeps a closing quote off a line start, so the line before ends
    short; an open quotation still goes on."""
    first = "今年是实现“十四"
    second = "五”规划目标任务的关键一年。"
    pieces = [line(first, 700, LEFT + 2 * SIZE), line(second, 700 - 1.5 * SIZE)]
    pieces += column_lines(SENT * 2, 700 - 3 * SIZE)
    text, _ = page_text([Page(W, H, pieces)])
    assert text.split("\n")[0] == first + second


def test_small_punctuation_boxes_join_their_line() -> None:
    """A full-width comma's box is a fraction of the line's height and sits low; it is
    still part of that line, not a line of its own."""
    pieces = [line("各位代表", 700), Piece(LEFT + 48, 700, LEFT + 52, 704, "："),
              line("现在我代表县人民政府向大会报告工作。", 700 - 1.5 * SIZE, LEFT + 2 * SIZE)]
    text, _ = page_text([Page(W, H, pieces)])
    assert text.split("\n") == ["各位代表：", "现在我代表县人民政府向大会报告工作。"]


def test_full_line_then_an_indented_line_is_a_new_paragraph() -> None:
    """A dateline can fill the line without a full stop; the indented speaker line below
    it is a paragraph of its own, while a centred second line of a title goes on."""
    dateline = "——2026年2月3日在某自治区第十三届人民代表大会第四次会议上"
    dateline += "某" * (40 - len(dateline))
    speaker = "自治区人民政府主席 张某某"
    pieces = [line(dateline, 700), line(speaker, 700 - 1.5 * SIZE, LEFT + 2 * SIZE)]
    pieces += column_lines(SENT * 2, 700 - 3 * SIZE)
    text, _ = page_text([Page(W, H, pieces)])
    assert text.split("\n")[:2] == [dateline, speaker]
    title = "关于进一步做好新形势下乡村振兴和农业农村现代化建设工作以及推动县域经济高质量发展的若干实施意见（征求意见稿）"
    assert len(title) > 45
    first, second = title[:40], title[40:]
    centre = LEFT + (RIGHT - LEFT - SIZE * len(second)) / 2
    pieces = [line(first, 700), line(second, 700 - 1.5 * SIZE, centre)] + column_lines(SENT * 2, 700 - 3 * SIZE)
    text, _ = page_text([Page(W, H, pieces)])
    assert text.split("\n")[0] == title
