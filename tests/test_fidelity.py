"""The fidelity invariant of read + clean.

(a) The Han characters of each cleaned document's paragraphs, in order, are a
    subsequence of the source's Han characters (traditional documents are compared in
    their original script: `paragraphs`, never `simplified`).
(b) Every Han character of the source is in some document or in a removal record:
    Counter(source) == Counter(paragraphs of all documents)
                       + Counter(removals: scope "file" once per file, "part" per document)
                       + Counter(front matter).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from fidelitylib import FIXTURES, SEEDS, account, file_removals, han, is_subsequence, read_clean, source_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.model import SourceError

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_invariant(text: str, path: Path, corpus: Path) -> None:
    raw, docs = read_clean(path, corpus)
    assert docs, "every source gives at least one document"
    source = han(text)
    for d in docs:
        assert is_subsequence(han("".join(d.paragraphs)), source), d.id
    acc = account(text, raw, docs)
    assert acc.missing == {} and acc.extra == {}, f"missing {acc.missing}, extra {acc.extra}"


# ---------------------------------------------------------------- seeds and fixtures


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_seed_documents_are_subsequences_of_source(seed: Path) -> None:
    _, docs = read_clean(seed, seed.parent)
    source = han(source_text(seed.read_bytes()))
    for d in docs:
        assert is_subsequence(han("".join(d.paragraphs)), source), d.id


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_seed_every_han_character_is_accounted_for(seed: Path) -> None:
    check_invariant(source_text(seed.read_bytes()), seed, seed.parent)


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_seed_file_removals_are_the_same_on_every_part(seed: Path) -> None:
    _, docs = read_clean(seed, seed.parent)
    first = file_removals(docs)
    for d in docs:
        mine = [r for r in d.removals if r.scope == "file"]
        assert mine == first, d.id
        # file-wide records come first, then the part's own
        assert d.removals[: len(first)] == first


def test_traditional_seed_compared_in_original_script() -> None:
    seed = next(s for s in SEEDS if s.name.startswith("002"))
    _, docs = read_clean(seed, seed.parent)
    (doc,) = docs
    assert doc.script == "zh-Hant" and doc.simplified is not None
    assert len(doc.simplified) == len(doc.paragraphs)
    # the simplified text is derived, not a source: it is *not* a subsequence
    assert not is_subsequence(han("".join(doc.simplified)), han(source_text(seed.read_bytes())))


def test_web_page_fixture_every_han_character_is_accounted_for() -> None:
    path = FIXTURES / "web_page_with_chrome.html"
    check_invariant(source_text(path.read_bytes()), path, FIXTURES)


# Han text that vanishes during markup conversion without a removal record.
# html_to_text() measures "before" on the fragment with tags already stripped, so Han
# text inside tags (attributes, comments) is never counted as lost.

@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param("alt.html", '<p>这是讲话内容。</p><p><img alt="领导讲话图片" src="a.png">好的。</p>',
                     id="img-alt"),
        pytest.param("comment.html", "<p>这是讲话内容。</p><!-- 编辑注释文字 --><p>好的。</p>",
                     id="html-comment"),
        pytest.param("image.md", "讲话正文![会场照片说明](a.png)内容。\n",
                     id="markdown-image-alt"),
        pytest.param("meta.html", '<html><head><meta name="description" content="网页描述文字">'
                     "<title>标题</title></head><body><article><p>正文内容。</p></article></body></html>",
                     id="head-meta"),
        pytest.param("nobody.html", "<html><head><title>网页标题</title></head><p>讲话正文内容。</p></html>",
                     id="page-without-body"),
        pytest.param("script.md", '正文<script>alert("脚本")</script>内容。\n', id="markdown-script"),
        pytest.param("chrome.html", "<html><body><nav>首页 要闻</nav><article><p>正文内容。</p></article>"
                     "<footer>版权所有</footer></body></html>", id="page-chrome"),
    ],
)
def test_markup_losses_are_recorded(name: str, text: str, tmp_path: Path) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    check_invariant(text, tmp_path / name, tmp_path)


# ---------------------------------------------------------------- property tests: never raise

EXTENSIONS = st.sampled_from([".txt", ".md", ".html"])
# Names of formats that are not text: bytes named so go to a binary reader when their
# first bytes say so, and to the text readers otherwise; neither may raise anything else.
ANY_NAME = st.sampled_from([".txt", ".md", ".html", ".pdf", ".docx", ".doc", ".png", ".mhtml", ".wps", ".rtf"])
# What a reader may say about bytes it cannot read: bad front matter, not text, or a
# binary format (recognized by its first bytes or its name) that is damaged or unsupported.
ALLOWED_ERRORS = ("front matter", "not a text file", "unsupported format", "not a readable", "PDF without text",
                  "without an HTML part", "antiword could not read", "not an RTF file", "RTF without text")


@SETTINGS
@given(data=st.binary(max_size=600), ext=ANY_NAME)
def test_arbitrary_bytes_never_raise(data: bytes, ext: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"source{ext}"
        path.write_bytes(data)
        try:
            read_clean(path, Path(tmp))
        except SourceError as err:
            assert any(a in err.message for a in ALLOWED_ERRORS), err


_TEXTY = st.sampled_from([
    *"中文讲话会议县市区鄉縣經發()（）XＸ*＊-—:：，。！？、 \t\u3000",
    "\n", "\n", "\n", "\n\n", "(xiāng)", "（zhèn）", "(市、区)", "(2021年2月23日)", "(记者刘某)",
    "XXXXXX", "******", "***", "---", "---\n", "...\n", "title: 讲话\n", "<p>", "</p>", "<html>",
    "<body>", "<article>", "</article>", "<script>", "</script>", "篇1", "篇2", "本报讯", "◎本报记者 张三",
    "小编", "下面是", "推荐", "分享", "我要反馈", "返回首页", "免责声明：", "推荐访问：", "http://a.cn",
    "(www.example.com)", "\ufeff", "\r\n", "\r", "\x00", "&amp;", "&#20013;",
])
TEXTS = st.one_of(st.text(max_size=300), st.lists(_TEXTY, max_size=120).map("".join))


@SETTINGS
@given(text=TEXTS, ext=EXTENSIONS)
def test_arbitrary_text_never_raises(text: str, ext: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"source{ext}"
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        try:
            raw, docs = read_clean(path, Path(tmp))
        except SourceError as err:
            # only a front matter block, or text that is mostly control characters; never
            # valid UTF-8 text with a real amount of Chinese in it
            if "not a text file" in err.message:
                assert not _is_real_text(text), (err.message, text[:80])
                return
            assert "front matter" in err.message, err
            # read drops NUL characters before it looks for front matter ('--\x00-' is '---')
            assert text.replace("\x00", "").lstrip("\ufeff").startswith("---"), text
            return
        assert docs
        for d in docs:
            assert all(isinstance(p, str) and p for p in d.paragraphs)


def _is_real_text(text: str) -> bool:
    """Valid UTF-8 with at least 20 Han characters and few control characters: a reader
    must accept this (a reader that rejected everything would otherwise pass)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r")
    return len(han(text)) >= 20 and controls == 0


_HAN_LINE = st.builds(
    lambda han_text, end: han_text + end,
    st.text(alphabet="中文讲话会议县市区鄉縣經發展改革工作要求同志们", min_size=20, max_size=80),
    st.sampled_from(["", "。", "，", "！", "、"]),
)


@SETTINGS
@given(lines=st.lists(_HAN_LINE, min_size=1, max_size=8), ext=EXTENSIONS)
def test_valid_utf8_chinese_text_is_accepted(lines: list[str], ext: str) -> None:
    text = "\n".join(lines)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"source{ext}"
        path.write_bytes(text.encode("utf-8"))
        raw, docs = read_clean(path, Path(tmp))  # no SourceError: this is a text file
        assert raw.encoding.replace("-", "").lower().startswith("utf8"), raw.encoding
        assert docs, "an accepted text gives at least one document"
        check_invariant(text, path, Path(tmp))  # and nothing of it is lost unrecorded


def test_compatibility_ideographs_are_never_normalized(tmp_path: Path) -> None:
    """NFC would map U+F900 豈 to U+8C48 and U+FA10 塚 to U+585A: the README promises none."""
    text = "同志们：\n今天我们召开会议，研究\uf900\ufa10两个字的写法问题，会议要求各部门认真落实，推动工作。\n"
    path = tmp_path / "compat.txt"
    path.write_text(text, encoding="utf-8")
    _raw, docs = read_clean(path, tmp_path)
    body = "".join(p for d in docs for p in d.paragraphs)
    assert "\uf900\ufa10" in body and "\u8c48" not in body
    check_invariant(source_text(path.read_bytes()), path, tmp_path)


# ---------------------------------------------------------------- property test: the invariant

_POOL = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
    "种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
    "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看"
    "原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料"
    "县市区乡镇村委书记讲话会议鄉縣經濟發會議區黨"
    "\uf900\ufa10\uf92c"  # compatibility ideographs: NFC would change them
)
_CLAUSE = st.text(alphabet=_POOL + "，、0123456789“”", min_size=1, max_size=40)
_SENTENCE = st.builds(lambda a, end: a + end, _CLAUSE, st.sampled_from("。！？"))
_ANNOTATED = st.builds(
    lambda a, note: a + note,
    st.text(alphabet=_POOL, min_size=1, max_size=6),
    st.sampled_from(["(xiāng)", "（zhèn）", "(fā)", "(市、区)", "(2021年2月23日)", "(记者刘某)",
                     "(www.example.com)", "（fanwen.cn）"]),
)
_JUNK = st.sampled_from([
    "分享", "我要反馈", "请用微信扫一扫", "免责声明：本文来自网络。", "推荐访问：讲话 会议 发言",
    "返回首页", "【返回列表】", "时间:2022-01-05 专题 版权反馈", "文章来源：某某日报",
    "【摘要】:会议要求抓好落实。", "http://www.example.com/a.html", "◎本报记者 张三", "○○全媒体记者 李四",
    "通讯员 王五", "本报讯", "同志们：", "下面是某某网小编为您推荐在全县大会上的讲话。",
    "工作会议讲话篇1", "工作会议讲话篇2", "工作会议讲话篇3", "X", "XX", "***", "---", "<p>段落文字。</p>",
    "", "", "",
])
_LINE = st.one_of(
    _CLAUSE, _SENTENCE, _JUNK, _ANNOTATED,
    st.lists(st.one_of(_SENTENCE, _ANNOTATED), min_size=1, max_size=4).map("".join),
)
_FRONT = st.sampled_from(["", "", "---\ntitle: 在全县大会上的讲话\ndate: 2021-01-01 08:00:00 +0800\n---\n"])
CHINESE_LIKE = st.builds(lambda fm, lines: fm + "\n".join(lines), _FRONT, st.lists(_LINE, max_size=40))


@SETTINGS
@given(text=CHINESE_LIKE, ext=EXTENSIONS)
def test_invariant_holds_on_generated_chinese_like_texts(text: str, ext: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"speech{ext}"
        path.write_text(text, encoding="utf-8")
        try:
            check_invariant(source_text(path.read_bytes()), path, Path(tmp))
        except SourceError as err:
            # a junk '---' line at the very top opens a front matter block that never closes
            assert text.startswith("---") and "front matter" in err.message
