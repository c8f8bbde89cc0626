"""Tests for generator.read: decoding, line endings, front matter, saved web pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fidelitylib import FIXTURES, SEEDS, read_clean
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.clean import clean
from generator.model import SourceError
from generator.read import decode, normalize_newlines, read

# ---------------------------------------------------------------- encodings and line endings


def _utf16_le_no_bom(text: str) -> bytes:
    return text.encode("utf-16-le")


VARIANTS: dict[str, Callable[[str], bytes]] = {
    "gb18030": lambda t: t.encode("gb18030"),
    "utf-16-bom": lambda t: t.encode("utf-16"),  # Python writes a BOM
    "utf-16-le-no-bom": _utf16_le_no_bom,
    "utf-8-bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda t: t.replace("\n", "\r").encode("utf-8"),
    "gb18030-crlf": lambda t: t.replace("\n", "\r\n").encode("gb18030"),
}



def _variant_params() -> list:
    params = []
    for seed in SEEDS:
        for name in VARIANTS:
            params.append(pytest.param(seed, name, id=f"{seed.name[:3]}-{name}"))
    return params


def _shape(docs) -> list[tuple[str, str, list[str]]]:
    return [(d.id, d.title, d.paragraphs) for d in docs]


@pytest.mark.parametrize(("seed", "variant"), _variant_params())
def test_reencoded_seed_gives_same_documents(seed: Path, variant: str, tmp_path: Path) -> None:
    _, original = read_clean(seed, seed.parent)
    text = seed.read_bytes().decode("utf-8")
    copy = tmp_path / seed.name
    copy.write_bytes(VARIANTS[variant](text))
    raw, docs = read_clean(copy, tmp_path)
    assert raw.warnings == []
    assert len(docs) == len(original)
    assert _shape(docs) == _shape(original)


def _big5_paragraphs() -> list[str]:
    """Seed 002's traditional-script paragraphs that Big5 can represent (the source
    itself cannot be: its pinyin letters such as 'ā' are not in Big5)."""
    seed = next(s for s in SEEDS if s.name.startswith("002"))
    _, docs = read_clean(seed, seed.parent)
    usable = []
    for p in docs[0].paragraphs:
        try:
            p.encode("big5")
        except UnicodeEncodeError:
            continue
        usable.append(p)
    assert len(usable) >= 5, usable
    return usable


def test_big5_traditional_text_decodes_as_big5() -> None:
    text = "\n".join(_big5_paragraphs()) + "\n"
    decoded, encoding, warnings = decode(text.encode("big5"), "speech_big5.txt")
    assert decoded == text
    assert encoding == "big5"
    assert warnings == []


def test_big5_file_gives_same_documents_as_utf8(tmp_path: Path) -> None:
    text = "\n".join(_big5_paragraphs()) + "\n"
    (tmp_path / "big5").mkdir()
    (tmp_path / "utf8").mkdir()
    (tmp_path / "big5" / "speech.txt").write_bytes(text.encode("big5"))
    (tmp_path / "utf8" / "speech.txt").write_bytes(text.encode("utf-8"))
    raw, docs = read_clean(tmp_path / "big5" / "speech.txt", tmp_path / "big5")
    _, expected = read_clean(tmp_path / "utf8" / "speech.txt", tmp_path / "utf8")
    assert raw.encoding == "big5"
    assert _shape(docs) == _shape(expected)
    assert docs[0].script == "zh-Hant"


def test_undecodable_bytes_warn_with_file_name_and_do_not_raise(tmp_path: Path) -> None:
    data = "同志们：今天召开全镇工作会议。".encode("gb18030") + b"\xff\xff\x80" + "谢谢大家！".encode("gb18030")
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "broken_speech.txt"
    path.write_bytes(data)
    raw = read(path, tmp_path)
    assert any("sub/broken_speech.txt" in w and "undecodable" in w for w in raw.warnings), raw.warnings
    assert "\ufffd" in raw.text
    assert "今天召开全镇工作会议" in raw.text and "谢谢大家" in raw.text
    docs = clean(raw)
    assert docs and all(raw.warnings[0] in d.warnings for d in docs)


def test_one_corrupt_byte_in_utf8_keeps_the_rest_of_the_text() -> None:
    text = "同志们：今天召开全镇工作会议。要抓好春耕生产，确保粮食丰收。" * 5
    data = text.encode("utf-8")
    data = data[:30] + b"\xff" + data[30:]
    decoded, encoding, warnings = decode(data, "one_bad_byte.txt")
    assert encoding == "utf-8"
    assert decoded.count("\ufffd") == 1
    assert decoded.replace("\ufffd", "") == text
    assert warnings and "one_bad_byte.txt" in warnings[0]


def test_binary_garbage_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(256)) * 3)
    with pytest.raises(SourceError, match=r"garbage\.txt: not a text file"):
        read(path, tmp_path)


# ---------------------------------------------------------------- front matter


def test_front_matter_invalid_yaml_raises_with_path_and_line() -> None:
    path = FIXTURES / "front_matter_invalid_yaml.md"
    with pytest.raises(SourceError) as err:
        read(path, FIXTURES)
    # line 5 is `speaker: 某某: 区长` (a second ': ' in a plain scalar)
    assert err.value.path == "front_matter_invalid_yaml.md"
    assert err.value.line == 5
    assert "front_matter_invalid_yaml.md:5" in str(err.value)


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda t: t.encode("gb18030"), id="gb18030"),
    ],
)
def test_front_matter_error_line_survives_encoding(encode, tmp_path: Path) -> None:
    text = (FIXTURES / "front_matter_invalid_yaml.md").read_text(encoding="utf-8")
    path = tmp_path / "bad.md"
    path.write_bytes(encode(text))
    with pytest.raises(SourceError) as err:
        read(path, tmp_path)
    assert err.value.line == 5
    assert str(err.value).startswith("bad.md:5:")


def test_front_matter_never_closed_raises(tmp_path: Path) -> None:
    path = tmp_path / "open.md"
    path.write_text("---\ntitle: 讲话\n\n同志们：大家好。\n", encoding="utf-8")
    with pytest.raises(SourceError, match="open.md"):
        read(path, tmp_path)


def test_front_matter_date_keeps_time_zone() -> None:
    seed = next(s for s in SEEDS if s.name.startswith("000"))
    raw = read(seed, seed.parent)
    assert raw.front_matter["date"] == "2021-12-30 08:26:54 +0800"


@pytest.mark.parametrize("date", ["2022-03-15T09:30:00+08:00", "2022-03-15 09:30:00 +0800", "2022-03-15"])
def test_front_matter_date_is_kept_as_written(date: str, tmp_path: Path) -> None:
    path = tmp_path / "dated.md"
    path.write_text(f"---\ntitle: 在全区大会上的讲话\ndate: {date}\n---\n同志们：大家好。\n", encoding="utf-8")
    raw = read(path, tmp_path)
    assert raw.front_matter["date"] == date
    assert raw.body_line == 5


# ---------------------------------------------------------------- saved web pages


@pytest.fixture
def web_page_with_chrome():
    path = FIXTURES / "web_page_with_chrome.html"
    raw = read(path, FIXTURES)
    return raw, clean(raw)


def test_web_page_title_from_h1(web_page_with_chrome) -> None:
    raw, docs = web_page_with_chrome
    assert raw.body_format == "html"
    assert raw.html_title == "在全县乡村振兴推进会上的讲话"
    assert [d.title for d in docs] == ["在全县乡村振兴推进会上的讲话"]


def test_web_page_title_falls_back_to_title_element(tmp_path: Path) -> None:
    page = (FIXTURES / "web_page_with_chrome.html").read_text(encoding="utf-8")
    page = page.replace("<h1>在全县乡村振兴推进会上的讲话</h1>", "")
    (tmp_path / "no_h1.html").write_text(page, encoding="utf-8")
    raw = read(tmp_path / "no_h1.html", tmp_path)
    assert raw.html_title == "在全县乡村振兴推进会上的讲话_某县人民政府网"


def test_web_page_keeps_only_the_article(web_page_with_chrome) -> None:
    _, docs = web_page_with_chrome
    (doc,) = docs
    assert doc.paragraphs[0].startswith("同志们：今天召开全县乡村振兴推进会")
    assert doc.paragraphs[-1] == "同志们，任务艰巨，使命光荣，让我们共同努力，把各项工作落到实处！"
    assert len(doc.paragraphs) == 4
    text = "\n".join(doc.paragraphs)
    for chrome in ("政务要闻", "信息公开", "门户网站", "无障碍浏览", "往期回顾", "版权所有", "联系电话",
                   "某县人民政府网"):
        assert chrome not in text, chrome


def test_web_page_drops_scripts_handlers_and_javascript_urls(web_page_with_chrome) -> None:
    raw, docs = web_page_with_chrome
    text = raw.text + "\n" + "\n".join(p for d in docs for p in d.paragraphs)
    for bad in ("script", "javascript:", "onclick", "alert", "track(", "统计代码", "广告位",
                "正文里的脚本", "样式注释", "color: red", "stats.js"):
        assert bad not in text, bad
    # the link text is speech content and stays; only its javascript: URL goes
    assert "点此展开全文" in text


def test_web_page_records_chrome_as_markup_removals(web_page_with_chrome) -> None:
    _, docs = web_page_with_chrome
    markup = " ".join(r.text for r in docs[0].removals if r.rule == "markup")
    for chrome in ("政务要闻", "正文里的脚本", "版权所有", "某县人民政府网"):
        assert chrome in markup, chrome


def test_ids_are_url_safe_stable_and_unique() -> None:
    import re

    from generator.read import assign_file_ids, file_id_for

    assert file_id_for("000_37eb0cade54b806a.txt") == "000-37eb0cade54b806a"
    chinese = file_id_for("讲话/百色市 务虚会.txt")
    assert re.fullmatch(r"[a-z0-9-]+", chinese)
    assert chinese == file_id_for("讲话/百色市 务虚会.txt")  # stable: derived from the path only
    assert chinese != file_id_for("讲话/柳州市 务虚会.txt")
    ids = assign_file_ids(["a.md", "a.txt", "a_b.txt", "a-b.txt", "sub/a.txt"])
    assert len(set(ids.values())) == 5
    assert ids["a.md"] == "a"  # the first file keeps the plain id


def test_binary_file_is_reported_not_read(tmp_path: Path) -> None:
    blob = tmp_path / "scan.dat"  # bytes of no format the archive reads
    blob.write_bytes(b"\x00\x01BLOB" + bytes(range(256)) * 8)
    with pytest.raises(SourceError, match=r"scan\.dat: not a text file"):
        read(blob, tmp_path)
    # a PNG goes to the OCR reader (issue 21), which names a damaged one
    png = tmp_path / "scan.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(SourceError, match=r"scan\.png: not a readable image"):
        read(png, tmp_path)


def test_symlink_leaving_the_corpus_is_not_a_source(tmp_path: Path) -> None:
    from generator.read import iter_sources

    outside = tmp_path / "secret.txt"
    outside.write_text("机密内容。", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "speech.txt").write_text("会议召开。", encoding="utf-8")
    (corpus / "link.txt").symlink_to(outside)
    (corpus / ".hidden.txt").write_text("草稿。", encoding="utf-8")
    (corpus / "speech.txt.meta.yml").write_text("note: 编辑说明\n", encoding="utf-8")
    assert [p.name for p in iter_sources(corpus)] == ["speech.txt"]


# ---------------------------------------------------------------- choosing among encodings

ENCODED = FIXTURES / "encodings"


def test_big5_report_decodes_as_big5_not_as_gbk() -> None:
    """Big5 bytes also decode as GBK, into rare characters and kana; plausibility
    picks Big5."""
    raw = read(ENCODED / "big5_traditional_report.txt", ENCODED)
    assert raw.encoding == "big5"
    assert raw.warnings == []
    assert raw.text.splitlines()[0] == "2019年政府工作報告"
    _, docs = read_clean(ENCODED / "big5_traditional_report.txt", ENCODED)
    assert len(docs) == 1
    assert docs[0].script == "zh-Hant"


def test_gb18030_crlf_report_reads_with_its_spaced_title() -> None:
    raw = read(ENCODED / "gb18030_crlf_district_report.txt", ENCODED)
    assert raw.encoding == "gb18030"
    assert raw.warnings == []
    assert "\r" not in raw.text
    lines = raw.text.split("\n")
    assert lines[0] == "政 府 工 作 报 告"
    assert lines[2] == "某区人民政府区长　　王某某"


def test_utf8_file_with_one_gbk_line_stays_utf8_and_names_the_line() -> None:
    raw = read(ENCODED / "utf8_with_one_gbk_line.txt", ENCODED)
    assert raw.encoding == "utf-8"
    lines = raw.text.split("\n")
    assert lines[0] == "在全镇春季农业生产动员会上的讲话"
    assert lines[4] == "这一行是从另一个文件复制进来的，保存时用了国标编码。"
    assert "\ufffd" not in raw.text
    (warning,) = raw.warnings
    assert warning.startswith("utf8_with_one_gbk_line.txt:5:") and "gb18030" in warning


def test_utf8_file_with_one_gbk_line_keeps_its_title() -> None:
    _, docs = read_clean(ENCODED / "utf8_with_one_gbk_line.txt", ENCODED)
    assert [d.title for d in docs] == ["在全镇春季农业生产动员会上的讲话"]


def test_front_matter_after_bom_and_blank_lines_is_front_matter() -> None:
    raw = read(ENCODED / "bom_blank_lines_front_matter.md", ENCODED)
    assert raw.front_matter["title"] == "在全区安全生产工作会议上的讲话"
    assert raw.front_matter["date"] == "2023-03-02 09:00:00 +0800"
    assert raw.text.startswith("同志们：")
    assert raw.body_line == 8  # line numbers still count the blank lines
    _, docs = read_clean(ENCODED / "bom_blank_lines_front_matter.md", ENCODED)
    assert [d.title for d in docs] == ["在全区安全生产工作会议上的讲话"]


def test_rule_after_blank_lines_that_is_not_yaml_stays_text(tmp_path: Path) -> None:
    """After blank lines '---' may be the text's own separator: a block that is not a
    YAML mapping is kept as text, never refused or dropped."""
    path = tmp_path / "rules.txt"
    path.write_text("\n---\n同志们：今天的会议很重要。\n---\n谢谢大家。\n", encoding="utf-8")
    raw = read(path, tmp_path)
    assert raw.front_matter == {}
    assert "同志们：今天的会议很重要。" in raw.text and "谢谢大家。" in raw.text


def test_plausibility_tells_chinese_from_mojibake() -> None:
    from generator.read import looks_like_mojibake, plausibility

    real = "混合编码文件"
    mojibake = real.encode("utf-8").decode("gbk", errors="replace")  # 娣峰悎缂栫爜鏂囦欢
    assert plausibility(real) == 1.0
    assert plausibility(mojibake) < 0.5
    assert looks_like_mojibake(mojibake) and not looks_like_mojibake(real)
    big5_as_gbk = "中華人民共和國政府工作報告".encode("big5").decode("gbk", errors="replace")
    assert looks_like_mojibake(big5_as_gbk)
    assert plausibility("Annual report 2020") == 1.0  # nothing to judge
    assert plausibility("中華人民共和國國務院") == 1.0  # traditional forms are common too


def test_common_characters_file_matches_its_derivation() -> None:
    """generator/data/common_chars.txt is derived from jieba's dictionary and OpenCC's
    tables; if either changes, regenerate it with derive_common_chars()."""
    from generator.read import common_chars, derive_common_chars

    assert common_chars() == frozenset(derive_common_chars())


def test_gb18030_file_with_one_utf8_line_decodes_that_line_as_utf8() -> None:
    lines = ["政府工作报告", "各位代表：现在，我代表市人民政府向大会报告工作。", "这一行是用统一码保存后粘贴进来的。", "请予审议。"]
    data = b"\r\n".join(s.encode("utf-8") if i == 2 else s.encode("gb18030") for i, s in enumerate(lines))
    text, encoding, warnings = decode(data, "pasted.txt")
    assert encoding == "gb18030"
    assert normalize_newlines(text).split("\n") == lines
    assert warnings == ["pasted.txt:3: this line is utf-8, not gb18030 like the rest of the file; decoded as utf-8"]


# A few hundred characters every speech uses; sentences of them in any order are
# plausible Chinese as far as the decoder can tell.
_SPEECH_CHARS = "".join(sorted(set(
    "同志们今天我们召开全县经济工作会议主要任务是总结去年工作分析当前形势部署今年重点各级各部门要"
    "坚持稳中求进推动高质量发展抓好农业生产加快项目建设改善民生保障安全生产加强党的建设确保完成目标"
    "市区镇村干部群众企业资金投资增长百分之亿元万人收入教育医疗就业环境保护乡村振兴城市更新交通水利"
)))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(st.text(alphabet=_SPEECH_CHARS, min_size=8, max_size=40), min_size=3, max_size=8),
    st.integers(min_value=0, max_value=7),
)
def test_mixed_file_keeps_every_line(lines: list[str], odd: int) -> None:
    """Any UTF-8 text with one line saved as GB18030 decodes back to the same lines,
    and so does the reverse; when the odd line is the minority, it is the one named."""
    odd %= len(lines)
    text = [s + "。" for s in lines]
    for main, other in (("utf-8", "gb18030"), ("gb18030", "utf-8")):
        data = b"\n".join(s.encode(other if i == odd else main) for i, s in enumerate(text))
        decoded, encoding, warnings = decode(data, "m.txt")
        assert decoded.split("\n") == text
        if len(text[odd]) < sum(len(s) for s in text) / 2:  # the odd line is a minority
            assert encoding == main
            assert len(warnings) == 1 and warnings[0].startswith(f"m.txt:{odd + 1}:")
