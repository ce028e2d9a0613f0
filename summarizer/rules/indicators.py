"""What a figure measures: the Chinese noun phrase a reader would write, and its English label.

**Chinese.** The words before a figure in its clause, once the words that are not part of a name are
taken off: verbs and function words around the figure (实现, 达到, 增长, 同比, 比上年 …), scope words
and places (全省, 全国, 湖南省), time expressions, qualifiers (超过, 近, 约). When the phrase left is
long or still holds a verb, word segmentation (rjieba: a Rust port of jieba with its dictionary and
part-of-speech tags built in, fast enough for every figure, loaded on first use) keeps only the noun
phrase that ends at the figure: ``全市上下认真落实…规模以上工业增加值`` -> ``规模以上工业增加值``.

**English.** From the glossary (``prompts/glossary.tsv``) for the whole phrase; else composed from
glossary parts (:func:`english_label`): a known head of ``prompts/indicator_heads.tsv`` with its
English pattern (高技术制造业 + 产值 -> "output value of high-tech manufacturing"), or a string of known
modifiers before a known noun (新能源 + 汽车 -> "new energy vehicles"). A phrase with any part unknown
is not guessed: it has no English label and ``indicator_translated`` is false.
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
_LEADING_NOISE: Final = re.compile(
    r"^(?:其中|同时|此外|另外|如|而|并|且|全年|当年|目前|已|累计|新增|新建|新认定|新获评|认定|获评|实现|完成|达到|"
    r"力争|预计|争取|确保|有望|将|全球|共有|拥有|有|"
    r"建成|打造|培育|实施|入选|接入|评选|储备|整合|持续实施|首批认定|共同推进|突破|超过|超|近|约|达|为|"
    r"是|在|对|从|由|较|比|同比|全省|全市|全区|全县|全国|我国|本市|本省|共计|共|分别|均|"
    r"[一二三四五六七八九十]是|据[^，。]{1,12}(?:统计|显示|测算|监测)|[^，。]{1,10}(?:数据|统计)显示)+"
)
_TRAILING_NOISE: Final = re.compile(
    r"(?:同比|环比|比上年(?:同期)?|比去年(?:同期)?|较上年|比同期|较同期|分别|累计|共|已|均|总计|合计|实现|完成|达到|达|"
    r"突破|超过|超|近|约|大约|增长|增加|提升至|提高到|提高至|提升|提高|上升|上涨|下降|减少|回落|降低|回升|加快|放缓|"
    r"为|是|有|至|到|居全国|位居|居|保持在|保持|占比|占|比重|高于全国|高于|低于|快于|慢于|从|由|变为|变成|在|中|"
    r"平均|平均水平|跃居|跃升|居于|跃|了|的|增|降|长|涨|超出|不低于|不少于|至少|不到|不足|低至|高达|多达|仅|只有|拥有|"
    r"连续[\d一二两三四五六七八九十]+年|每年都|每年|年均|都|就能|就|已经|"
    r"首次|再次|连续|稳定在|稳居|排名|排|列|位列|进入|跻身|预计|将|可|能|要|会|仅需|只需|需要|需|用时|仅|同期|"
    r"(?<=[\u4e00-\u9fff]{2})(?:高出|高|低|快|慢|多|少))+$"
)
_STRIP_CHARS: Final = " ，,、：:“”\"'（）()《》"
# Tokens whose part of speech ends a noun phrase when read backwards from the figure.
_NOMINAL_TAGS: Final = frozenset(
    {"n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "vn", "an", "j", "l", "eng", "x", "b", "f", "ng", "i"}
)


# A light verb between a subject and what it measures (第三产业实现增加值, 全市完成投资): not part of the name.
_LIGHT_VERB: Final = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:实现了?|完成了?|达到|录得|创造|拥有|共有)(?=[\u4e00-\u9fff]{2})")


def clean_phrase(raw: str) -> str:
    """``raw`` without the words around a figure that are not part of a name (see the module doc)."""
    text = _LIGHT_VERB.sub("", raw.strip(_STRIP_CHARS))
    previous = None
    while previous != text:
        previous = text
        text = _LEADING_NOISE.sub("", text)
        text = _TRAILING_NOISE.sub("", text)
        text = text.strip(_STRIP_CHARS + "的")
        text = _close_brackets(text)
    return text


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
    if 0 < length < len(indicator):
        return indicator[length:].lstrip("的")
    return indicator


@lru_cache(maxsize=16384)
def noun_phrase(raw: str) -> str:
    """The noun phrase that names what a figure measures, from the words before it in its clause."""
    text = clean_phrase(raw)
    if len(text) > 3:
        text = clean_phrase(_after_predicate(text))
    text = clean_phrase(strip_scope(text))
    return text if _is_nominal(text) else ""


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
    return "".join(kept).rstrip("的")


# Words that end the noun phrase after a count: what the counted things do.
_FOLLOWING_STOPS: Final = frozenset(
    ["携", "通过", "进行", "公布", "加快", "参与", "参加", "开展", "注册", "入驻", "落户", "完成", "实现", "获得", "受到", "超过", "恢复", "推进", "推动", "建设", "投产", "入选", "纳入", "列入", "被", "将", "已", "正", "正在", "在", "于", "向", "对", "为", "是", "有", "得到", "达到", "分布", "覆盖", "开工", "启动", "签约", "成交", "竞价", "送入", "涉及", "共", "全部", "均", "已经", "加速", "持续", "成功", "首次", "临时", "分别", "合计", "共计"]
)


# Verbs that end a clause's predicate before the phrase a figure measures (全市上下认真落实…工业增加值,
# 助力全市工业经济总量突破3万亿元): the phrase starts after the last of them.
_PREDICATES: Final = frozenset(
    ["落实", "推进", "推动", "实施", "打造", "培育", "引进", "带动", "拉动", "促进", "助力", "支撑", "支持", "发布", "显示", "表明", "认定", "入选", "实现", "完成", "突破", "超过", "保持", "站稳", "进入", "位居", "拥有", "共有", "加快", "出动", "投入", "接待", "举办", "签订", "签约", "吸引", "辐射", "服务", "惠及", "转移", "组织", "开展", "建成", "形成", "培养", "累计", "达到", "保障", "扩大", "稳居", "创造", "录得", "认真落实", "持续保持", "预拨", "紧急预拨", "开发", "共享", "建立"]
)
_LEADING_TAGS: Final = frozenset({"v", "vd", "d", "p", "c", "r", "z", "ad", "u", "uj", "ul", "ud", "y", "q"})


def _after_predicate(text: str) -> str:
    """``text`` from after its last predicate verb (and any adverb, preposition or pronoun that leads
    what is left), when a noun phrase of at least two characters remains."""
    tokens = list(_tag(text))
    cut = 0
    for index, (word, _tag_name) in enumerate(tokens):
        if word in _PREDICATES and index < len(tokens) - 1:
            cut = index + 1
    while cut < len(tokens) - 1 and tokens[cut][1] in _LEADING_TAGS:
        cut += 1
    rest = "".join(word for word, _ in tokens[cut:])
    return rest if len(rest) >= 2 else text


_FUNCTION_ONLY: Final = re.compile(r"^[的了和与及或等中在以为有每个之其这该此上下前后]*$")


def _is_nominal(text: str) -> bool:
    """A phrase a reader would take as naming something: not empty, not a lone particle or fragment."""
    if len(text) < 2 and not (text and "\u4e00" <= text <= "\u9fff" and text not in "的了和与及或等中在以为有每个之其"):
        return False
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
    if depth > 3:
        return None
    stripped = strip_scope(key)
    if stripped != key:
        return _compose(stripped, depth + 1)
    for head in _heads():
        if key.endswith(head.zh) and len(key) > len(head.zh):
            modifier = _compose(key[: -len(head.zh)].rstrip("的"), depth + 1)
            if modifier is not None:
                return head.pattern.format(modifier)
    words = _known_words(key)
    if words is not None and len(words) > 1:
        return " ".join(words)
    return None


def _known_words(key: str) -> Sequence[str] | None:
    """``key`` as a sequence of glossary terms (longest first, left to right), in English; None if a
    piece is not in the glossary."""
    glossary = load_glossary()
    words: list[str] = []
    position = 0
    while position < len(key):
        for end in range(len(key), position, -1):
            entry = glossary.lookup(key[position:end])
            if entry is not None:
                words.append(entry.en)
                position = end
                break
        else:
            return None
    return words
