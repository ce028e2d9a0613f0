"""What a figure measures: the Chinese noun phrase a reader would write, and its English label.

**Chinese.** The words before a figure in its clause, once the words that are not part of a name are
taken off: verbs and function words around the figure (实现, 达到, 增长, 同比, 比上年 …), scope words
and places (全省, 全国, 湖南省), time expressions, qualifiers (超过, 近, 约). When the phrase left is
long or still holds a verb, word segmentation (rjieba: a Rust port of jieba with its dictionary and
part-of-speech tags built in, fast enough for every figure, loaded on first use) keeps only the noun
phrase that ends at the figure: ``全市上下认真落实…规模以上工业增加值`` -> ``规模以上工业增加值``.

Noise is cut only between words (segmentation says where a word ends), so 在校生, 建成区, 对外直接投资
and 全长 keep their 在, 建成, 对 and 长; a lone unit tail (次 of 2万辆次), function word (和), threshold
(大关) or non-noun character (稳) is no name at all. A phrase with no label as it stands loses its
trailing verbs (高速公路建成通车 -> 高速公路) and a leading verb of building (建设农村公路 -> 农村公路).

**English.** From the glossary (``prompts/glossary.tsv``) for the whole phrase; else composed from
glossary parts (:func:`english_label`): a known head of ``prompts/indicator_heads.tsv`` with its
English pattern (高技术制造业 + 产值 -> "output value of high-tech manufacturing"), with "the" where
English wants it ("value added of the building materials industry") and no repeated noun; a share of
growth ([X]对Y增长的贡献率 -> "contribution of X to the growth of Y"); a list (A、B等C -> "C such as A
and B"); trade in or construction of a kind of thing, verb first in Chinese (进出口建筑材料, 在建高速公路);
a name and what it has ("water conveyance line of the Central Yunnan Water Diversion Project"); or
known modifiers before a known noun (超大 + 风电机组 -> "ultra-large wind turbines"), never a head, a
plural or a post-modified phrase before another word. Comparison and scope words inside a phrase
(同比 before 增速, 全国, a 的 between two words) are ignored when the phrase has no label with them. A
phrase with any part unknown is not guessed: it has no English label and ``indicator_translated`` is
false.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Final

from summarizer.gazetteer import leading_region_length
from summarizer.rules.glossary import load_glossary, normalise_term

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["clean_phrase", "english_label", "following_noun_phrase", "noun_phrase", "strip_scope"]

# Words around a figure that are not part of what it measures.
_LEADING_WORDS: Final = (
    r"(?:(?:建成|投产|竣工|完工)后|(?:增速)?(?:快于|慢于|高于|低于)[^，。]{1,16}$|范围|其中|同时|此外|另外|如|而|并|且|全年|当年|目前|已|累计|新增|新建|新认定|新获评|认定|获评|实现|完成|达到|"
    r"(?:主要|总体|发展|年度|全年)?(?:预期|发展)?目标(?=是|为|[:：])|力争|预计|争取|确保|有望|将|计划(?!总投资|单列|生育|的|任务)|全球|共有|拥有|有|"
    r"建成|打造|培育|实施|入选|接入|评选|储备|整合|持续实施|首批认定|共同推进|突破|超过|超|近|约|达|为|"
    r"是|在|对|从|由|较|比|同比|全省|全市|全区|全县|全国|我国|本市|本省|共计|共|分别|均|"
    r"[（(]?[一二三四五六七八九十]{1,3}[)）、]|第[一二三四五六七八九十百\d]+届|(?:春节|国庆|五一|端午|中秋)?假期(?:期间)?|"
    r"按[^，。]{1,8}(?:计算|核算)的?|[^，。按]{1,8}(?:计算|核算)的|经[^，。的]{1,10}(?:批准的?|口岸(?:通行的)?)|"
    r"正在(?:建设|推进|实施)的|现有|发运|还|也|又|合计|期间|通过|布局建设|重点监测的?|新(?:扩围|纳入|增)的|(?:我国)?企业在|"
    r"今天|昨天|今年|近日|日前|当前|前不久|此前|截至目前|"
    r"[一二三四五六七八九十]是|据[^，。]{1,12}(?:统计|显示|测算|监测)|[^，。]{1,10}(?:数据|统计)显示)+"
)
_TRAILING_WORDS: Final = (
    r"(?:同比|环比|比上年(?:同期)?|比去年(?:同期)?|较上年|比同期|较同期|分别|累计|共|已|均|总计|合计|实现|完成|达到|达|"
    r"突破|超过|超|近|约|大约|增长|增加|提升至|提高到|提高至|提升|提高|上升|上涨|下降|减少|回落|降低|回升|加快|放缓|"
    r"(?:位居|稳居|居于|居|保持|位列|排名|跃居|进入)(?:世界|全球|全国|全省|全市)|多增|少增|稳步|继续|持续|逐步|"
    r"为|是|有|至|到|居全国|位居|居|保持在|保持|占比|占|比重|高于全国|高于|低于|快于|慢于|从|由|变为|变成|在|中|"
    r"平均|平均水平|跃居|跃升|居于|跃|了|的|增|降|长|涨|超出|不低于|不少于|至少|不到|不足|低至|高达|多达|仅|只有|拥有|"
    r"连续[\d一二两三四五六七八九十]+年|每年都|每年|年均|都|就能|就|已经|"
    r"已?建成投产|建成通车|实现通车|通车|顺利|提供|激活使用|线下参展|参展|由[^，。]{1,6}之初|缩短(?:至|到)?|攀升(?:至|到)?|扩容|"
    r"问题|历史同期|历史|较上届|上届|最终核实|初步核算|力争|世界|全球|今天|昨天|日前|近日|目前|站稳在|站稳|保持两位数|两位数|实际|连续多年|"
    r"(?<=[\u4e00-\u9fff]{2})首|首次|再次|连续|稳定在|稳居|排名|排|列|位列|进入|跻身|预计|将|可|能|要|会|仅需|只需|需要|需|用时|仅|同期|"
    r"(?<=[\u4e00-\u9fff]{2})(?:高出|高|低|快|慢|多|少))+"
)
_LEADING_NOISE: Final = re.compile("^" + _LEADING_WORDS)
_LEADING_ALL: Final = re.compile(_LEADING_WORDS)
_TRAILING_NOISE: Final = re.compile(_TRAILING_WORDS + "$")
_TRAILING_ALL: Final = re.compile(_TRAILING_WORDS)
_STRIP_CHARS: Final = " ，,、：:“”\"'（）()《》"
# Tokens whose part of speech ends a noun phrase when read backwards from the figure.
_NOMINAL_TAGS: Final = frozenset(
    {"n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "vn", "an", "j", "l", "eng", "x", "b", "f", "ng", "i"}
)


# Brackets left empty once a date was taken out (财政部昨天（6月23日）预拨 -> 财政部昨天（）预拨).
_EMPTY_BRACKETS: Final = re.compile(r"\(\)|（）|\(）|（\)")
# A light verb between a subject and what it measures (第三产业实现增加值, 全市完成投资): not part of the name.
_LIGHT_VERB: Final = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:实现了?|完成了?|达到|录得|创造|拥有|共有)(?=[\u4e00-\u9fff]{2})")


def clean_phrase(raw: str) -> str:
    """``raw`` without the words around a figure that are not part of a name (see the module doc)."""
    text = _LIGHT_VERB.sub("", _DRIVEN_BY.sub("", _EMPTY_BRACKETS.sub("", raw)).strip(_STRIP_CHARS))
    previous = None
    while previous != text:
        previous = text
        text = _strip_leading(text)
        text = _strip_trailing(text)
        text = _strip_trailing_adverb(text)
        text = text.strip(_STRIP_CHARS + "的")
        text = _close_brackets(text)
    if _UNIT_TAIL.fullmatch(text) or _FUNCTION_ONLY.match(text) or text in _THRESHOLDS:
        return ""
    return text


# Adverbs between a subject and its verb (能耗强度仍下降3%, 出口也增长, 利润均增长): never part of a name.
# Cut as a whole word only (segmentation says so), so 首都 or 人均 keep their last character.
_ADVERB_LAST: Final = frozenset("仍还也均都再已然旧")
_ADVERBS: Final = frozenset(
    {"仍", "仍然", "仍旧", "依然", "依旧", "还", "还是", "也", "也都", "均", "都", "再", "再度", "已", "已经", "均已", "都已", "也已"}
)


def _strip_trailing_adverb(text: str) -> str:
    """``text`` without a trailing adverb word (强度仍 -> 强度)."""
    if not text or text[-1] not in _ADVERB_LAST:
        return text
    tokens = _tag(text)
    if len(tokens) < 2 or tokens[-1][0] not in _ADVERBS:
        return text
    return text[: -len(tokens[-1][0])]


# What a figure passes, not what it measures (突破110万亿元大关, 跨越6万亿台阶).
_THRESHOLDS: Final = frozenset({"大关", "关口", "台阶", "新台阶", "大台阶"})
# An adverbial of cause inside a phrase (装备制造业在沃尔沃带动下实现增加值): not part of the name.
_DRIVEN_BY: Final = re.compile(r"在[^，。、]{1,12}(?:带动|推动|拉动|支撑|引领)下")


# What is left of a unit after the figure (2万辆次, 40万人次: the figure ends at 辆 or 人): not a name.
_UNIT_TAIL: Final = re.compile(r"[人辆艘架车台户]?次")


def _strip_leading(text: str) -> str:
    """``text`` without its leading noise words, not cutting a word in two: 在校生, 在园幼儿 and 建成区
    keep their 在 and 建成, 对外直接投资 its 对外 (see :func:`_cut_allowed`)."""
    match = _LEADING_NOISE.match(text)
    if match is None:
        return text
    if match.end() == len(text) or _cut_allowed(text, match.end(), leading=True):
        return text[match.end() :]
    for end in range(match.end() - 1, 0, -1):
        if _LEADING_ALL.fullmatch(text, 0, end) and _cut_allowed(text, end, leading=True):
            return text[end:]
    return text


def _strip_trailing(text: str) -> str:
    """``text`` without its trailing noise words, not cutting a word in two: 全长 keeps its 长."""
    match = _TRAILING_NOISE.search(text)
    if match is None:
        return text
    if match.start() == 0 or _cut_allowed(text, match.start(), leading=False):
        return text[: match.start()]
    for start in range(match.start() + 1, len(text)):
        if _TRAILING_ALL.fullmatch(text, start) and _cut_allowed(text, start, leading=False):
            return text[:start]
    return text


# Parts of speech of words that name things: such a word is not cut to leave one of its characters.
_NAMING_TAGS: Final = frozenset({"n", "ng", "nz", "ns", "nr", "nt", "s", "j", "b", "f"})


def _cut_allowed(text: str, cut: int, *, leading: bool) -> bool:
    """Whether noise may be cut off ``text`` at ``cut``: between two words, or inside a word that
    holds noise joined to a whole word (价格上涨, 率达, 比高 are cut). Not cut: a naming word whose cut
    would leave or take one character (在校生, 建成区, 对外, 全长), nor, at the start, a word whose
    first character alone would go (在建, 共建, 超大, 对外开放: a word of its own)."""
    position = 0
    for word, tag in _tag(text):
        end = position + len(word)
        if cut <= position or cut >= end:
            position = end
            if cut == position:
                return True
            continue
        removed, kept = (cut - position, end - cut) if leading else (end - cut, cut - position)
        if leading and removed == 1:
            return False
        return not (tag in _NAMING_TAGS and min(removed, kept) == 1)
    return True


def _close_brackets(text: str) -> str:
    """A bracket opened and not closed: closed when it holds a name (居民消费价格指数(CPI), cut before its
    ")"), dropped with what follows when that is only noise (发酵酒(增长 -> 发酵酒)."""
    for opener, closer in (("(", ")"), ("（", "）")):
        at = text.rfind(opener)
        if at >= 0 and closer not in text[at:]:
            inside = _TRAILING_NOISE.sub("", text[at + 1 :])
            text = text[:at] + opener + inside + closer if inside else text[:at]
    return text


@lru_cache(maxsize=16384)
def strip_scope(indicator: str) -> str:
    """Without a leading place name (湖南省数字经济总量 -> 数字经济总量) when something is left."""
    length = leading_region_length(indicator)
    if 0 < length < len(indicator) and not _name_starts_with_place(indicator, length):
        return indicator[length:].lstrip("的")
    return indicator


def _name_starts_with_place(indicator: str, length: int) -> bool:
    """Whether the place name that starts ``indicator`` begins a longer name of the glossary (宁波舟山港,
    大庆油田): then the place is part of the name, not a scope."""
    glossary = load_glossary()
    return any(glossary.lookup(indicator[:end]) is not None for end in range(len(indicator), length, -1))


@lru_cache(maxsize=16384)
def noun_phrase(raw: str) -> str:
    """The noun phrase that names what a figure measures, from the words before it in its clause."""
    text = clean_phrase(raw)
    if "计划" in text or "目标" in text:
        # 省交通厅计划新建农村公路, 经济社会发展的预期目标是地区生产总值: what the plan is for
        plan_ends = [match.end() for match in _PLAN_VERB.finditer(text)]
        if plan_ends and len(text) - plan_ends[-1] >= 2:
            text = clean_phrase(text[plan_ends[-1] :])
    if len(text) > 3:
        text = clean_phrase(_after_predicate(text))
    text = _without_leading_verb(_without_trailing_predicate(clean_phrase(strip_scope(text))))
    return text if _is_nominal(text) else ""


# 计划 as the verb of its clause, after its subject (我市计划投资…, 省交通厅计划新建…), and a goal stated
# as 目标是 / 目标为 (…的预期目标是地区生产总值…): what is measured follows them. Not the nouns 计划总投资 / 项目计划投资 (a project's planned size), 年度计划的, 计划任务.
_PLAN_VERB: Final = re.compile(
    r"(?<=[\u4e00-\u9fff])(?<!项目)(?<!工程)计划(?!总投资|单列|生育|的|任务)(?=[\u4e00-\u9fff]{2})"
    r"|目标(?:是|为)[:：]?|目标[:：]"
)


# Verbs of building that lead what was built (建设农村公路124.7公里, 改建村卫生室).
_BUILD_VERBS: Final = frozenset({"建设", "新建", "改建", "扩建", "完善", "修建", "建成", "开工建设"})


def _without_leading_verb(text: str) -> str:
    """``text`` without a leading verb of building when what follows it has a label and ``text`` has none."""
    tokens = _tag(text)
    if len(tokens) < 2 or tokens[0][0] not in _BUILD_VERBS or english_label(text) is not None:
        return text
    rest = text[len(tokens[0][0]) :]
    return rest if english_label(rest) is not None else text


# Parts of speech of words that say what happens to a thing rather than name it.
_PREDICATE_TAGS: Final = frozenset({"v", "vd", "vi", "vg", "d", "ad", "a", "t", "p", "c", "u", "uj", "ul", "ud", "y", "z"})


def _without_trailing_predicate(text: str) -> str:
    """``text`` without the verbs, adverbs and time words that end it when it has no label as it
    stands (高速公路建成通车 -> 高速公路; 综合保税区顺利 -> 综合保税区): what the figure measures is the
    noun before them. Words that are glossary terms or indicator heads stay (出栏, 招生, 在建)."""
    if len(text) < 3 or english_label(text) is not None:
        return text
    tokens = list(_tag(text))
    end = len(tokens)
    while end > 1:
        word, tag = tokens[end - 1]
        if tag not in _PREDICATE_TAGS or load_glossary().lookup(word) is not None or word in _head_words():
            break
        end -= 1
    if end == len(tokens):
        return text
    rest = clean_phrase("".join(word for word, _ in tokens[:end]))
    return rest if len(rest) >= 2 else text


@lru_cache(maxsize=16384)
def following_noun_phrase(raw: str) -> str:
    """The noun phrase that starts ``raw`` (the words after a count): up to the first word that is a
    predicate or a function word (1600余家企业携… -> 企业; 6个全国质量提升典型案例 keeps its 提升)."""
    text = raw.strip(_STRIP_CHARS)
    if not text:
        return ""
    kept: list[str] = []
    for word, tag in _tag(text):
        if word in _FOLLOWING_STOPS or (kept and tag in ("p", "c", "u", "uj", "ul", "d", "r")):
            break
        kept.append(word)
    phrase = "".join(kept).rstrip("的")
    return phrase if _is_nominal(phrase) else ""


# Words that end the noun phrase after a count: what the counted things do.
_FOLLOWING_STOPS: Final = frozenset(
    ["携", "通过", "进行", "公布", "加快", "参与", "参加", "开展", "注册", "入驻", "落户", "完成", "实现", "获得", "受到", "超过", "恢复", "推进", "推动", "建设", "投产", "入选", "纳入", "列入", "被", "将", "已", "正", "正在", "在", "于", "向", "对", "为", "是", "有", "得到", "达到", "分布", "覆盖", "开工", "启动", "签约", "成交", "竞价", "送入", "涉及", "共", "全部", "均", "已经", "加速", "持续", "成功", "首次", "临时", "分别", "合计", "共计", "分赴", "配合", "提供", "——", "—"]
)


# Verbs that end a clause's predicate before the phrase a figure measures (全市上下认真落实…工业增加值,
# 助力全市工业经济总量突破3万亿元): the phrase starts after the last of them.
_PREDICATES: Final = frozenset(
    ["落实", "推进", "推动", "实施", "打造", "培育", "引进", "带动", "拉动", "促进", "助力", "支撑", "支持", "发布", "显示", "表明", "认定", "入选", "实现", "完成", "突破", "超过", "保持", "站稳", "进入", "位居", "拥有", "共有", "加快", "出动", "投入", "接待", "举办", "签订", "签约", "吸引", "辐射", "服务", "惠及", "转移", "组织", "开展", "建成", "形成", "培养", "累计", "达到", "保障", "扩大", "稳居", "创造", "录得", "认真落实", "持续保持", "预拨", "紧急预拨", "开发", "共享", "建立", "监管"]
)
_LEADING_TAGS: Final = frozenset({"v", "vd", "d", "p", "c", "r", "z", "ad", "u", "uj", "ul", "ud", "y", "q"})


def _after_predicate(text: str) -> str:
    """``text`` from after its last predicate verb (and any adverb, preposition or pronoun that leads
    what is left), when a noun phrase of at least two characters remains."""
    if load_glossary().translate_indicator(strip_scope(text)) is not None:
        return text  # 研发经费投入强度: a glossary name that holds a predicate (投入) stays whole
    tokens = list(_tag(text))
    cut = 0
    for index, (word, _tag_name) in enumerate(tokens):
        if word in _PREDICATES and index < len(tokens) - 1:
            cut = index + 1
    # A leading verb that is part of a known name stays: 在建项目 (projects under construction).
    while cut < len(tokens) - 1 and tokens[cut][1] in _LEADING_TAGS:
        if english_label("".join(word for word, _ in tokens[cut:])) is not None:
            break
        cut += 1
    rest = "".join(word for word, _ in tokens[cut:])
    return rest if len(rest) >= 2 else text


_COUNTED: Final = re.compile(r"[一二两三四五六七八九十百千万几多每首]+[个条座家项只台件种批位名人处次年]")
_FUNCTION_ONLY: Final = re.compile(r"^[的了和与及或等中在以为有每个之其这该此上下前后]*$")


def _is_nominal(text: str) -> bool:
    """A phrase a reader would take as naming something: not empty, not a lone particle or fragment."""
    if len(text) < 2 and not (text and "\u4e00" <= text <= "\u9fff" and text not in "的了和与及或等中在以为有每个之其"):
        return False
    if len(text) == 1 and _tag(text)[0][1] not in _NOMINAL_TAGS:
        return False  # 稳, 转, 多: a lone character that is not a noun
    if _COUNTED.fullmatch(text):
        return False  # 一个, 一条: a number and its measure word
    if _FUNCTION_ONLY.match(text):
        return False
    return not text.endswith(("每", "以", "之", "从", "由", "向", "对", "把", "被", "使", "让"))


@lru_cache(maxsize=32768)
def _tag(text: str) -> tuple[tuple[str, str], ...]:
    import rjieba  # lazy: loaded on the first phrase

    return tuple((word, tag) for word, tag in rjieba.tag(text))


# --- English ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Head:
    zh: str
    pattern: str  # "value added of {}"


@lru_cache(maxsize=1)
def _heads() -> tuple[_Head, ...]:
    text = (resources.files("summarizer.prompts") / "indicator_heads.tsv").read_text(encoding="utf-8")
    heads = []
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3 or "{}" not in fields[1]:
            raise ValueError(f"indicator_heads.tsv line {number}: expected zh, a pattern with {{}}, a note")
        heads.append(_Head(fields[0], fields[1]))
    return tuple(sorted(heads, key=lambda head: -len(head.zh)))


@lru_cache(maxsize=1)
def _heads_by_last_character() -> dict[str, tuple[_Head, ...]]:
    """:func:`_heads` grouped by the character they end with, each group in the order of :func:`_heads`
    (a key can only end with a head that ends with its own last character)."""
    groups: dict[str, list[_Head]] = {}
    for head in _heads():
        groups.setdefault(head.zh[-1], []).append(head)
    return {last: tuple(heads) for last, heads in groups.items()}


@lru_cache(maxsize=1)
def _head_words() -> frozenset[str]:
    return frozenset(head.zh for head in _heads())


@lru_cache(maxsize=16384)
def english_label(indicator: str) -> str | None:
    """The English label of a Chinese indicator, from the glossary or composed from its parts; None when
    some part is unknown (nothing is guessed)."""
    key = normalise_term(indicator)
    if not key:
        return None
    return _compose(key, depth=0)


def _compose(key: str, depth: int) -> str | None:
    glossary = load_glossary()
    whole = glossary.translate_indicator(key)
    if whole is not None:
        return whole
    if depth > 6:
        return None
    stripped = strip_scope(key)
    if stripped != key:
        return _compose(stripped, depth + 1)
    contribution = _contribution(key, depth)
    if contribution is not None:
        return contribution
    for head in _heads_by_last_character().get(key[-1:], ()):
        if key.endswith(head.zh) and len(key) > len(head.zh):
            modifier = _compose(_without_de(key[: -len(head.zh)]), depth + 1)
            if modifier is not None:
                return _fill(head.pattern, modifier)
    inner = _INNER_NOISE.sub("", key)
    if inner != key and inner:
        # 风电设备制造用电量同比增速, 医保码全国用户, 出入境的车辆: the same indicator without them
        without = _compose(inner, depth + 1)
        if without is not None:
            return without
    listed = _listed(key, depth)
    if listed is not None:
        return listed
    for prefix, pattern in _TRADE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            goods = _compose(key[len(prefix) :], depth + 1)
            if goods is not None:
                return _fill(pattern, goods)
    words = _known_words(key)
    if words is None or len(words) < 2:
        return None
    if len(words) == 2 and words[0][:1].isupper() and words[1][:1].islower():
        # A name and what it has: 滇中引水工程 + 输水线路 -> "water conveyance line of the Central Yunnan
        # Water Diversion Project"
        return f"{words[1]} of {_with_article(words[0])}"
    return " ".join(words)


# Trade in a kind of goods, the verb first: 进出口建筑材料, 出口汽车.
_TRADE_PREFIXES: Final = (
    ("进出口", "imports and exports of {}"),
    ("出口", "exports of {}"),
    ("进口", "imports of {}"),
    ("在建", "{} under construction"),
)


# Words inside a phrase that do not change what it measures: a comparison word before a growth head,
# a scope word, a 的 between two words that form a known term.
_INNER_NOISE: Final = re.compile(
    r"(?:同比|环比)(?=增速|增长率|增幅|增长)|(?<=[\u4e00-\u9fff])(?:全国|全省|全市)(?=[\u4e00-\u9fff])|"
    r"(?<=[\u4e00-\u9fff]{2})的(?=[\u4e00-\u9fff]{2})|(?<=[\u4e00-\u9fff]{2})(?:单日|(?:建成|投产|竣工|完工)后|新增|预计|已)"
)
# What a share of growth is: [subject] 对 [aggregate] 增长的 (平均) 贡献率.
_CONTRIBUTION: Final = re.compile(r"^(?:(?P<subject>.+?)对|对)?(?P<whole>.+?)增长的?(?P<average>平均)?贡献率$")


def _contribution(key: str, depth: int) -> str | None:
    """"contribution of [subject] to the growth of [aggregate]" (对全社会用电量增长的贡献率, 装备制造业对
    规模以上工业增长的贡献率); None unless every part is known."""
    match = _CONTRIBUTION.match(key)
    if match is None:
        return None
    whole = _compose(match.group("whole"), depth + 1)
    if whole is None:
        return None
    subject = match.group("subject")
    label = "average contribution" if match.group("average") else "contribution"
    if subject:
        known = _compose(subject, depth + 1)
        if known is None:
            return None
        label += f" of {_with_article(known)}"
    return f"{label} to the growth of {_with_article(whole)}"


# A pattern's slot after a preposition: the modifier there reads as a noun phrase ("of the ... industry").
_AFTER_PREPOSITION: Final = re.compile(r"\b(?:of|in|by|at|to|from|with|for|on)\s\{\}")
# Singular nouns that take "the" when they end a modifier of two words or more ("value added of the
# building materials industry", "imports and exports of the Yangtze River Delta region").
_SINGULAR_HEADS: Final = frozenset(
    {
        "industry", "sector", "economy", "area", "zone", "region", "chain", "base", "port", "market", "index",
        "system", "network", "park", "corridor", "delta", "railway", "expressway", "line", "section",
        "station", "project", "programme", "plant", "company", "group", "centre", "county", "district",
        "village", "city", "province", "country", "bridge", "belt", "platform", "hub", "field", "basin",
        "river", "reservoir", "tunnel", "channel", "route", "circle", "bay",
    }
)
# Nouns of activity that start NBS industry names ("manufacture of ...", "extraction of ...").
_ACTIVITIES: Final = frozenset({"extraction", "manufacture", "processing", "production", "mining", "smelting", "supply"})
# The last word of a proper name that English says with "the" (not Airport, Province, City).
_NAMED_HEADS: Final = frozenset(
    {"project", "base", "region", "zone", "area", "delta", "bridge", "corridor", "railway", "canal", "fair", "expo"}
)
# Adjectives before "industry" that make it a mass noun: "value added of light industry".
_MASS_INDUSTRY: Final = frozenset({"local", "light", "heavy", "central", "state-owned", "private"})


def _without_de(modifier: str) -> str:
    """A modifier without the 的 that joins it to its head, unless 的 ends a word (标的: lots)."""
    if modifier.endswith("的") and load_glossary().lookup(modifier) is None:
        return modifier[:-1]
    return modifier


def _fill(pattern: str, modifier: str) -> str:
    """``pattern`` with ``modifier`` in its slot: "the" where English needs it, and no repeated noun
    ("{} enterprises" with "little giant" enterprises stays "little giant" enterprises)."""
    if pattern.startswith("{} "):
        tail = pattern[3:]
        if modifier.endswith(tail) or modifier.endswith(tail.rstrip("s")):
            return modifier
    if _AFTER_PREPOSITION.search(pattern):
        modifier = _with_article(modifier)
    return pattern.replace("{}", modifier, 1)


def _with_article(phrase: str) -> str:
    """``phrase`` with "the" before it when it names one particular thing (see ``_SINGULAR_HEADS``)."""
    first = phrase.split(" ", 1)[0].lower()
    if first in {"the", "a", "an", "its", "their"} or phrase[:1].isdigit():
        return phrase
    if first in {"entire", "whole"} or phrase.startswith(("size of ", "index of ", "scale of ", "balance of ")):
        return "the " + phrase
    if first in _ACTIVITIES and " of " in phrase:
        return "the " + phrase  # NBS industry names: value added of the extraction of petroleum and natural gas
    before_of = phrase.split(" of ", 1)[0] if " of " in phrase else ""
    if " " in before_of and before_of == before_of.lower() and before_of.rsplit(" ", 1)[-1] in _SINGULAR_HEADS:
        return "the " + phrase  # the water conveyance line of the ... project
    bare = re.sub(r"\s*\([^()]*\)$", "", phrase)
    words = bare.split()
    if len(words) < 2 or _POSTMODIFIED.search(bare):
        return phrase
    last = words[-1]
    if last.lower() in _NAMED_HEADS and words[0][:1].isupper():
        return "the " + phrase  # the Central Yunnan Water Diversion Project, the Daya Bay Nuclear Power Base
    if last != last.lower() or last not in _SINGULAR_HEADS:
        return phrase
    if last == "industry" and words[-2].lower() in _MASS_INDUSTRY:
        return phrase
    return "the " + phrase


# A list inside a phrase: 能源、金属矿砂、粮食等大宗商品 ("bulk commodities such as energy, metal
# ores and grain"), 汽车和船舶.
_SUCH_AS: Final = re.compile(r"^(?P<items>.+?)等(?P<kind>[^等、]*)$")


def _listed(key: str, depth: int) -> str | None:
    """A phrase that lists things, each known: "A, B and C", or "N such as A and B" for A、B等N."""
    such_as = _SUCH_AS.match(key)
    if such_as is not None:
        items = _items(such_as.group("items"), depth)
        if items is None:
            return None
        kind = such_as.group("kind").lstrip("的")
        if not kind:
            return _join(items)
        what = _compose(kind, depth + 1)
        return f"{what} such as {_join(items)}" if what is not None else None
    if not re.search("[、和及与]", key):
        return None
    items = _items(key, depth)
    return _join(items) if items is not None and len(items) > 1 else None


def _items(text: str, depth: int) -> list[str] | None:
    pieces = [piece for piece in re.split("[、和及与]", text) if piece]
    labels = [_compose(piece, depth + 1) for piece in pieces]
    if not pieces or any(label is None for label in labels):
        return None
    return [label for label in labels if label is not None]


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# Words that read as a noun phrase only at the end of a label: a phrase with one of them inside is not
# composed word by word ("industrial enterprises above designated size R&D expenditure").
_POSTMODIFIED: Final = re.compile(r"\b(?:of|in|above|below|by|at|for|to|with|from|on)\b|\(")


def _known_words(key: str) -> Sequence[str] | None:
    """``key`` as a sequence of glossary terms (longest first, left to right), in English; None if a
    piece is not in the glossary, or if a piece other than the last is a head (增速, 比重) or reads
    only as the end of a phrase ("... above designated size"): English would put it elsewhere."""
    glossary = load_glossary()
    words: list[str] = []
    position = 0
    heads = _head_words()
    while position < len(key):
        for end in range(len(key), position, -1):
            entry = glossary.lookup(key[position:end])
            if entry is not None:
                if end < len(key) and (
                    key[position:end] in heads or _POSTMODIFIED.search(entry.en) or _not_a_modifier(entry.en)
                ):
                    return None
                words.append(entry.en)
                position = end
                break
        else:
            return None
    return words


def _not_a_modifier(english: str) -> bool:
    """An English phrase that cannot stand before a noun: a plural ("railways new lines", "townships and
    towns rural roads"); names ("Hong Kong and Macao") and mass nouns in -s ("services") can."""
    if english[:1].isupper():
        return False
    last = english.rsplit(" ", 1)[-1]
    return last.endswith("s") and not last.endswith("ss") and last not in _S_MASS_NOUNS


_S_MASS_NOUNS: Final = frozenset({"services", "goods", "logistics", "electronics", "sales", "economics", "means", "news"})
