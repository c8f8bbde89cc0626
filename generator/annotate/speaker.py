"""Who speaks: the person a text says delivered the speech, never its presider or audience.

A news report of a meeting names many officials; only some of them speak. What marks
the speaker is an act of speech attributed to a person (`…出席会议并讲话`, `…作重要讲话`,
`…作政府工作报告`, `张三在会上强调/指出/要求`, `张三说`, `…致辞`); `主持` (presiding),
`出席/参加` (attending) and `传达` (relaying someone else's words) are not speech, and
`…的讲话` is a noun (someone's speech being studied), not an act. When several people
speak, they are listed in order of their post (the party secretary before the head of
government before the congress and conference chairs before deputies), then in the
order the text names them.

A speaker value must be a person's name, so every candidate passes a name recognizer:
a known surname (generator/data/surnames.txt) and, for a name that stands without a
post in front of it, not an ordinary word in jieba's dictionary (jieba tags names `nr`;
`例会`, `文件`, `同时` are other words). When a post is followed by characters that could
be a two- or three-character name, the text decides: the form it repeats, else the
form jieba's part-of-speech tagger marks as a person's name. A phrase is never
returned: unknown is better than a false speaker.
"""

from __future__ import annotations

import importlib.util
import pathlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from generator.annotate.segment import data_lines
from generator.annotate.sentences import sentence_at as _sentence
from generator.model import Document

# ---------------------------------------------------------------- name recognizer

_HAN = r"\u4e00-\u9fff"


@cache
def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    words = [w for line in data_lines("surnames.txt") for w in line.split()]
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) > 1)


def word_tags(keep: Callable[[str], bool]) -> dict[str, str]:
    """Words of jieba's general dictionary that `keep` selects and that are not person
    names, word → part-of-speech tag. Read as a file (jieba is already a dependency;
    loading its model in every worker would cost memory) and kept small: only the words a
    caller can ask about."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = pathlib.Path(next(iter(spec.submodule_search_locations))) / "dict.txt"
    out: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            word, _freq, tag = (line.split() + ["", "", ""])[:3]
            if 2 <= len(word) <= 4 and not tag.startswith("nr") and keep(word):
                out[word] = tag
    return out


@cache
def _dictionary() -> dict[str, str]:
    """The ordinary words that begin with a surname: the only ones a name can be."""
    single, double = _surnames()
    return word_tags(lambda w: w[0] in single or w[:2] in double)


# Word classes that never name a person, even right after a post (书记要求 is not 要求 the person).
_NOT_NAME_TAGS = frozenset("v vn vd d c p r u f m q t ad y e o uj ul uz ud ug uv".split())
_POST_CHARS = re.compile(r"全体|大会|各位|全[省市区县]|书记|[省市区县旗州盟镇乡]长|主任|主席|委员|常委|同志|领导|代表|会议|政府|人大|政协")


def has_surname(name: str) -> bool:
    single, double = _surnames()
    return name[:2] in double or name[0] in single


_DOTTED_NAME = re.compile(rf"[{_HAN}]+[·•][{_HAN}·•]+")
_HAN_NAME = re.compile(rf"[{_HAN}]{{2,4}}")


def is_person_name(name: str, vouched: bool = False) -> bool:
    """A person's name: 2–4 Han characters (or a name joined with ·) starting with a known
    surname. `vouched` means a post stands right before it (县委书记温暖), which makes a
    word such as 温暖 a name; a bare name must not be an ordinary word."""
    if _DOTTED_NAME.fullmatch(name):
        return vouched
    if not _HAN_NAME.fullmatch(name) or not has_surname(name):
        return False
    if len(name) == 4 and name[:2] not in _surnames()[1]:
        return False
    if _POST_CHARS.search(name):
        return False
    tag = _dictionary().get(name)
    if tag is None or tag.startswith("nr"):
        return True
    return vouched and tag not in _NOT_NAME_TAGS


@lru_cache(maxsize=4096)
def _posseg_names(window: str) -> frozenset[str]:
    """Words jieba's part-of-speech tagger marks as person names in a short window.
    Bounded: the windows are cut from each document's text, so an unbounded cache grew
    with every document a pool worker annotated."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    return frozenset(w for w, tag in pseg.cut(window) if tag.startswith("nr"))


# ---------------------------------------------------------------- what people do

_POST = (r"(?:党组|党工委|党委)?(?:常务)?(?:代理?)?副?(?:书记|市长|区长|县长|州长|省长|旗长|盟长|镇长|乡长"
         r"|主席|主任|秘书长|常委|部长|局长|厅长|司长|团长|院长|检察长|总理|委员长|主委)")
_POST_RE = re.compile(_POST)
# What may follow a name: an act, a title suffix, punctuation (the lazy name stops there).
_AFTER_NAME = (r"同志|出席|到会|莅临|主持|在|讲话|指出|强调|要求|作|做|代表|传达|发表|通报|宣读|就|分别|参加|等"
               r"|说|表示|致辞|致词|向|对|带领|率|一行|围绕|以|为|[、，,。：:\s（(；;“]|$")
# a title written after the name: 宋晓莉书记, 吴卫红县长, 徐凤军代表
_NAME_SUFFIX = r"(?:同志|书记|副?[省市区县旗州盟]长|局长|主任|主席|部长|代表)?"
# What the speaker does; `作…报告` covers 作政府工作报告 and 作了题为《…》的报告.
_ACT = (r"(?:强调|指出|要求|表示|说(?!明)|讲话(?!精神|主要|要点|内容|稿|材料|摘要)|致辞|致词|发言|披露|提出|寄语"
        r"|致(?:开幕|闭幕|欢迎)词|(?:作|做)(?!为|出|用|风|好|到)了?[^。，,；;\n]{0,60}?(?:报告|讲话|发言|致辞|说明|总结|闭幕词|开幕词))")
# Between a name and its act: where (在会上, 在…会议上), to whom (向大会), about what (就…, 对…).
_GAP = r"[^。，,；;！？!?\n、：:“”]{0,40}?"
_ACT_AFTER = re.compile(rf"{_NAME_SUFFIX}({_GAP})({_ACT})")
# a bare name (no post before it) must be followed by its act directly, or by where it spoke
_ACT_BARE = re.compile(rf"{_NAME_SUFFIX}((?:在[^。，,；;\n、]{{0,30}}?[上中时]|[向对就][^。，,；;\n、]{{0,24}}?)?)({_ACT})")
# a greeting on behalf of organs: 张三代表县委、县政府和全县人民，向…致以/表示…
_GREETING = re.compile(rf"{_NAME_SUFFIX}()(代表[^。；;\n]{{2,80}}?[，,]\s*向)")
# Acts that are not the main speech: exchanges, pledges, hearing others; and verbs that,
# in the gap, make the act someone else's or not yet done (主持会议 without 并, 将作…).
_MINOR = re.compile(r"(?:交流|表态|汇报|听取|典型|大会)发言$")
_GAP_BLOCK = re.compile(r"将|拟|听取|传达|学习|观看|参观|视察|调研|考察|陪同|会见|看望|慰问")
_GAP_NEEDS_AND = re.compile(r"主持|出席|参加|到会|莅临|召开")
_BOUNDARY = re.compile(r"[\s，,。；;：:！？!?”」）)】\]、>※★●■□◆◇·|]|^$")
_BOUNDARY_CHAR = re.compile(r"[\s，,。；;：:！？!?”」）)】\]、>※★●■□◆◇·|]")  # one character of _BOUNDARY


@dataclass
class Act:
    name: str
    role: str | None
    pos: int  # where the act is first stated (orders speakers of equal rank)
    evidence: str
    count: int = 1  # sentences in which the text has this person speak


def _role_before(text: str, start: int) -> str:
    """The post chain written before a name ('县委副书记、县长'), back to the clause start."""
    i = start
    while i > 0 and start - i < 24 and (re.match(rf"[{_HAN}、]", text[i - 1])):
        i -= 1
    role = text[i:start].strip("、 \u3000")
    # the clause may begin with words that are not the post: 会议由…, 启动仪式由…, 会上…
    cut = max(role.rfind(c) for c in "由在和与及是的向对将了上")
    return role[cut + 1 :] if cut >= 0 else role


def _names_after_posts(text: str) -> dict[str, str]:
    """Every 'post + name' in the text: name → post chain. The name is 2 or 3 characters;
    the characters after it, the text's other mentions, or jieba's name tag tell which."""
    people: dict[str, str] = {}
    for m in _POST_RE.finditer(text):
        p = m.end()
        while p < len(text) and text[p] in " \u3000":
            p += 1
        options = []
        for n in (2, 3):
            cand = text[p : p + n]
            if len(cand) == n and re.match(rf"(?:{_AFTER_NAME})", text[p + n :]) and is_person_name(cand, True):
                options.append(cand)
        if len(options) != 1:
            two, three = text[p : p + 2], text[p : p + 3]
            pool = [c for c in (three, two) if re.fullmatch(rf"[{_HAN}]+", c) and is_person_name(c, True)]
            if not pool:
                continue
            repeated = [c for c in pool if text.count(c) >= 2 and not (c == two and text.count(three) >= text.count(two))]
            if repeated:
                options = repeated[:1]
            else:
                tagged = _posseg_names(text[max(0, m.start() - 6) : p + 6])
                options = [c for c in pool if c in tagged][:1]
        if options:
            name = options[0]
            role = _role_before(text, m.end())
            role = (role or m.group(0)).strip()
            people.setdefault(name, role)
    return people


def _act_at(text: str, name: str, end: int, vouched: bool) -> re.Match[str] | None:
    m = (_ACT_AFTER if vouched else _ACT_BARE).match(text, end) or (_GREETING.match(text, end) if vouched else None)
    if not m:
        return None
    start = end - len(name)
    clause = text[max(text.rfind(c, 0, start) for c in "。！？\n；;，,") + 1 : start]
    sentence = text[max(text.rfind(c, 0, start) for c in "。！？\n") + 1 : start]
    if re.search(r"传达|学习|贯彻|请|邀请", clause) or re.search(r"议程|进行第.项", sentence):
        return None  # relaying or studying someone's speech, or an agenda of what will happen
    gap, act = m.group(1), m.group(2)
    if text[m.start(2) - 1 : m.start(2)] == "的" or _MINOR.search(text[max(0, m.start(2) - 2) : m.end(2)]):
        return None  # 的讲话 is someone's speech being studied; 交流发言 is not the main one
    if _GAP_BLOCK.search(gap):
        return None
    if _GAP_NEEDS_AND.search(gap) and not re.search(r"并(?:作|做|发表)?了?$", gap):
        return None  # 主持会议 alone is presiding; 主持会议并讲话 is speaking
    if "主持" in act or re.search(rf"[{_HAN}]{{2,3}}(?:同志)?(?:主持|出席)", gap):
        return None
    return m


def _rank(act: Act) -> tuple[int, int, int]:
    """Order of speakers: the one whose words the report relays most often (张三指出…
    张三强调… is the meeting's main speaker, a visitor quoted once is not), then by post
    (party secretary, head of government, congress/conference chair, deputy secretary,
    anyone else, no post), then the order the text names them."""
    return -act.count, _post_rank(act.role) if act.role else 5, act.pos


def _post_rank(role: str) -> int:
    if re.search(r"(?<![副纪法])(?:[省市州区县旗盟镇乡]委|党委|党工委)书记", role) and not re.search(r"纪委书记|政法委书记", role):
        return 0
    if re.search(r"(?<!副)(?:代理?)?[省市区县旗州盟镇乡]长", role) and not re.search(r"副[省市区县旗州盟镇乡]长", role.split("、")[-1]):
        return 1
    if re.search(r"(?<!副)(?:人大常委会主任|政协主席)", role):
        return 2
    if "副书记" in role:
        return 3
    return 4


def speech_acts(text: str) -> list[Act]:
    """Everyone the text says spoke, main speaker first (see `_rank`)."""
    people = _names_after_posts(text)
    acts: dict[str, Act] = {}
    seen: set[tuple[str, int]] = set()

    def add(name: str, role: str | None, m: re.Match[str]) -> None:
        sentence = _sentence(text, m.start(2))
        if (name, hash(sentence)) in seen:
            return
        seen.add((name, hash(sentence)))
        # a formal speech (讲话, 报告, 致辞) weighs more than a remark (说, 表示)
        weight = 2 if re.search(r"讲话|报告|致辞|致词|发言|代表", m.group(2)) else 1
        if name in acts:
            acts[name].count += weight
        else:
            acts[name] = Act(name, role, m.start(2), sentence, weight)

    for name, role in people.items():
        for occ in re.finditer(re.escape(name), text):
            m = _act_at(text, name, occ.end(), True)
            if m:
                add(name, role, m)
    # bare names: at the start of a clause, directly followed by what they said
    for start in (0, *(m.end() for m in _BOUNDARY_CHAR.finditer(text))):
        if start >= len(text):
            break
        for n in (2, 3):
            cand = text[start : start + n]
            # what follows is tested first: most clause starts are followed by no speech
            # verb, and the test is one match where the name test is several
            if cand in people or not _ACT_BARE.match(text, start + n) or not is_person_name(cand):
                continue
            m = _act_at(text, cand, start + n, False)
            # without a post before it, the name must also read as one to jieba's tagger,
            # or be named again elsewhere (县领导甲、乙、丙…, then 甲说)
            if m and (cand in acts or text.count(cand) >= 2 or cand in _posseg_names(_sentence(text, start))):
                add(cand, None, m)
                break
    return sorted(acts.values(), key=_rank)


# ---------------------------------------------------------------- a speech's own byline

_DATE_LINE = re.compile(r"^[（(]?\s*[\dXx×＊*]{2,4}\s*年[^。，]{0,12}[）)]?$")
_SALUTE = re.compile(r"^(?:同志们|各位|尊敬的|女士们|代表们|朋友们)")
_BYLINE = re.compile(rf"^(?:(?P<role>[{_HAN}、]{{0,24}}?{_POST})[\s\u3000]*)?(?P<name>[{_HAN}](?:[\s\u3000]*[{_HAN}]){{1,3}})$")


def byline(lines: list[str]) -> tuple[dict[str, str | None], str] | None:
    """A speech printed with its speaker's name on a line of its own under the title
    ('郑 建 新' or '某市委书记 顾先林'), followed by the date line or the salutation."""
    for k, line in enumerate(lines[:8]):
        m = _BYLINE.match(line.strip())
        if not m:
            continue
        name = re.sub(r"[\s\u3000]+", "", m.group("name"))
        following = [x.strip() for x in lines[k + 1 : k + 3] if x.strip()]
        if not following or not (_DATE_LINE.match(following[0]) or _SALUTE.match(following[0])):
            continue
        if is_person_name(name, vouched=bool(m.group("role"))):
            return {"name": name, "role": m.group("role")}, " / ".join([line.strip(), following[0]])
    return None


# ---------------------------------------------------------------- as written

_PINYIN_NOTE = re.compile(r"[（(][a-zü\u00e0-\u00fc\u0101-\u01dc\u0300-\u036f]{1,7}[）)]")


def as_written(source: str, name: str) -> str | None:
    """The name as the source writes it when that differs from the clean simplified
    value: traditional (畢志偉), spaced out (郑 建 新), or with a converter's pinyin
    inside (薛學(xué)深). Found by reading the source with spaces and pinyin notes skipped
    and each character simplified."""
    from generator.clean.script import to_simplified

    if name in source:
        return None
    keep: list[int] = []
    chars: list[str] = []
    i = 0
    while i < len(source):
        c = source[i]
        if c.isspace():
            i += 1
            continue
        if c in "(（" and keep and (m := _PINYIN_NOTE.match(source, i)):
            i = m.end()
            continue
        keep.append(i)
        chars.append(c)
        i += 1
    plain = "".join(chars)
    simple = to_simplified(plain)
    if len(simple) != len(plain):
        simple = "".join(to_simplified(c) for c in plain)
    k = simple.find(name)
    if k < 0:
        return None
    written = source[keep[k] : keep[k + len(name) - 1] + 1]
    return written if written != name else None


def mark_as_written(doc: Document, source: str) -> None:
    """Keep each inferred speaker's as-written form in the evidence, beside the clean
    name the value holds, so a reader can find the name in the source."""
    f = doc.meta.get("speakers")
    if not f or f.status == "annotated" or not isinstance(f.value, list):
        return
    notes = []
    for person in f.value:
        written = as_written(source, str(person.get("name") or ""))
        if written:
            notes.append(f"{person['name']}，原文作“{written}”")
    if notes:
        f.evidence = f"{f.evidence or ''}（{'；'.join(notes)}）"
