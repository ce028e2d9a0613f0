"""Rule-based facts: every figure of an article with its indicator, period, status and comparison.

This is the ground truth every check of LLM output relies on, and a product of its own (a fact table
that needs no LLM). It runs on each segment's normalised repaired text and reports spans in
original-file coordinates. The meaning rules live in their own modules, and nothing else decides
them: status cues in :mod:`summarizer.rules.cues`, the document's date and relative periods in
:mod:`summarizer.rules.dates`, indicator phrases and their English in
:mod:`summarizer.rules.indicators`, flattened tables in :mod:`summarizer.rules.tables`.

How a reader scopes a figure, and so how the rules do:

* **period** — the nearest time expression before the figure in its sentence (2023年, 2023年1—11月,
  一季度, 前10个月, 今年, 目前), resolved with the document's date; a comparison base (比2019年同期,
  比上年, 与去年相比) and a starting point (自2015年以来) are never the period. A sentence without one
  continues the period of the paragraph when it continues its statement (其中…, 同比…, a sentence
  with no subject of its own), not when it starts a new subject; else the section's or the
  article's own year (2023年，重庆市…; a bulletin's 2012年…统计公报). 累计 / 截至 / 目前 make a figure
  cumulative;
* **status** — the cue that governs the figure (:mod:`summarizer.rules.cues`), else the section's;
  a deadline (到2025年) makes a target unless the passage says it is reached (已经);
* **indicator** — the noun phrase before the figure in its clause; when that is empty, the one after
  it (新增13.3万家企业上云); for 分别 the listed items in order; a generic head (数量, 比重, 规模) or an
  anaphor (这一数值) takes the previous indicator;
* **comparison** — 同比 / 比上年 / 高于全国 X个百分点 / 居全国第X位 / 占…比重 / a stated base period
  (比2019年同期: ``vs_period``) / an average over years (两年平均增长: ``average_annual``);
* **value** — signed: a decline is negative (下降8.5% -> -8.5, as in briefings and the export);
  ``change`` says whether the figure is an increase or a decrease.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from summarizer.briefing.models import Region
from summarizer.gazetteer import RegionMention, find_regions
from summarizer.layout.segment import Segment, SegmentedPage
from summarizer.rules.cues import SentenceCues, mask_names, preliminary_reach, section_status
from summarizer.rules.dates import DocumentDate, find_document_date, resolve_period
from summarizer.rules.indicators import (
    clean_phrase,
    english_label,
    following_noun_phrase,
    noun_phrase,
    strip_scope,
)
from summarizer.rules.numerals import compile_with_first_chars
from summarizer.rules.periods import PeriodMention, find_periods, may_state_calendar_year
from summarizer.rules.quantities import Quantity, find_quantities
from summarizer.rules.tables import TableCell, read_tables
from summarizer.text.collector import collector_paused
from summarizer.text.textmap import normalize_string
from summarizer.vocab import Status

__all__ = ["Fact", "FactComparison", "FactTable", "extract_facts", "facts_for_segment"]

Change = Literal["increase", "decrease"]
Scope = Literal["sentence", "paragraph", "section", "table"]
_FactComparisonKind = Literal["yoy", "vs_previous_year", "vs_baseline", "rank", "share", "vs_period", "average_annual"]


class FactComparison(BaseModel):
    """What a figure is compared with, as stated in the source."""

    model_config = ConfigDict(frozen=True)

    kind: _FactComparisonKind
    baseline: str | None = Field(
        default=None,
        description="national | province | city | previous_year | same_period_last_year; for vs_period (比2019年同期) "
        "and average_annual (两年平均) the base period, in the convention of periods (2019, 2019-Q1)",
    )
    direction: Literal["higher", "lower"] | None = None
    difference: float | None = None
    unit: str | None = None
    text: str = Field(description="The words that state the comparison.")


class Fact(BaseModel):
    """One figure of an article. ``text == original[start:end]`` (original-file offsets)."""

    model_config = ConfigDict(frozen=True)

    segment: int
    text: str
    start: int
    end: int
    value: float | None = Field(description="Scale-free and signed: a decline is negative (下降8.5% -> -8.5).")
    value_max: float | None
    unit: str
    measure: str | None
    qualifier: str
    indicator_zh: str | None
    indicator_en: str | None
    indicator_translated: bool = Field(description="False when no part of the indicator is known: indicator_en is null.")
    change: Change | None = Field(
        default=None, description="Set when the figure is a change (增长/下降 …), not a level."
    )
    period: str | None
    period_text: str | None = Field(default=None, description="The words the period was read from.")
    period_scope: Scope | None = Field(
        default=None,
        description="Where the period was stated: the figure's sentence, earlier in its paragraph, its section or "
        "article, or its table; null when no period is known.",
    )
    cumulative: bool
    status: Status
    status_cue: str | None = Field(
        default=None, description="The words that make the figure a target or an estimate (or reset it to actual)."
    )
    status_scope: Scope | None = Field(
        default=None,
        description="Where the status was decided: a cue in the figure's sentence, a plan list earlier in its "
        "paragraph, its section's heading; null for a report of results with no cue (actual by default).",
    )
    preliminary: bool = Field(
        default=False, description="A preliminary official figure (初步核算, 初步统计): actual, but may be revised."
    )
    comparison: FactComparison | None
    region: Region | None
    sentence: str = Field(description="The sentence the figure stands in (normalised).")
    also_at: list[tuple[int, int]] = Field(
        default_factory=list, description="Other spans stating the same figure (a heading, a lead)."
    )


# The fields every fact of the engine states (all but also_at): one set of their names for all of them.
# Pydantic makes a set per instance (2 KB, a third of a fact's memory, and one more object for the
# garbage collector to walk); it copies the set before it adds to it (model_copy), and a frozen
# model is never assigned to, so the shared set never changes. Pinned by tests/test_rule_fast_paths.py.
_STATED_FIELDS: set[str] = set(Fact.model_fields) - {"also_at"}
_object_setattr = object.__setattr__
_validate_fact = Fact.__pydantic_validator__.validate_python


class FactTable(BaseModel):
    source: str
    document_date: str | None = Field(default=None, description="The document's date (ISO 8601), null when unknown.")
    document_date_source: str | None = Field(
        default=None, description="Where the date was read: flag, front_matter, header, dateline, dateline_and_text."
    )
    facts: list[Fact]
    _by_segment: tuple[list[Fact], int, dict[int, list[Fact]]] | None = PrivateAttr(default=None)

    def for_segment(self, index: int) -> list[Fact]:
        """The facts of segment ``index``, in order (a new list each call)."""
        # Indexed once, not scanned per segment: a page of many articles would cost the square of
        # its size. The index holds the list it was made of: a table given another list of facts,
        # or facts appended, is indexed again.
        cached = self._by_segment
        if cached is None or cached[0] is not self.facts or cached[1] != len(self.facts):
            grouped: dict[int, list[Fact]] = {}
            for fact in self.facts:
                grouped.setdefault(fact.segment, []).append(fact)
            cached = self._by_segment = (self.facts, len(self.facts), grouped)
        return list(cached[2].get(index, ()))


# --- text structure ----------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[。！？!?\n]")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?\n]")
_CUMULATIVE_CUES = re.compile(r"累计|截至|截止|共计|总计")
_CHANGE_UP = re.compile(
    r"(?:增长|增加|提升|提高|上升|上涨|回升|增|扩大|新增|新建|新设立?|拉动|加快|翻了?|升温)[了]?(?:超过|超|近|约|达到|达)?$"
)
_CHANGE_DOWN = re.compile(
    r"(?:下降|减少|降低|回落|下滑|收窄|下跌|降|节约|节省|减排|缩小|放缓|降温)[了]?(?:超过|超|近|约|达到|达)?$"
)
_GENERIC_HEADS = ("数量", "规模", "总量", "比重", "占比", "总额", "数", "水平", "增速")
# 比2019年同期 / 与2019年相比: a stated base period; 两年平均增长: an average over the years since the
# same period two years before (both comparisons, never the period nor part of the indicator).
_COMPARISON_WORDS = compile_with_first_chars(
    "同比较高低快慢居位占与和跟两二三四五",
    r"(?P<yoy>同比)|(?P<prev>比上年(?:末|同期)?|比去年(?:同期)?|较上年(?:同期)?|较去年(?:同期)?|"
    r"(?:与|和|同|跟)(?:去年|上年)(?:同期)?(?:相比|相较|比较))|(?P<same>比同期|较同期)|"
    r"(?P<period>(?:比|较)(?P<baseyear>(?:19|20)\d{2})年(?:同期)?(?:相比|相较|比较)?"
    r"|(?:与|和|同|跟)(?P<baseyear2>(?:19|20)\d{2})年(?:同期)?(?:相比|相较|比较))|"
    r"(?P<average>(?P<years>两|二|三|四|五)年(?:平均|年均))|"
    r"(?P<cmp>(?P<dir>高于|低于|快于|慢于|高出)(?P<base>全国|全省|全市|全区)(?:平均(?:水平)?)?)|"
    r"(?P<rank>居(?P<rankbase>全国|全省|全市|全球|世界)|位居(?P<rankbase2>全国|全省|全市)?)|"
    r"(?P<share>占(?P<sharebase>全国|全省|全市|全区)?)"
)
_BASELINES = {"全国": "national", "全省": "province", "全市": "city", "全区": "region", "全球": "world", "世界": "world"}
_ANAPHORA = re.compile(r"^(?:这一|该|此|上述)(?:数值|数字|指标|数据|比例|增速)")
_CLASS_LABEL_NUMERALS = frozenset({"十", "百", "千", "万", "亿", "千万", "百万"})
# Words right before a period that make it a comparison base (比2019年同期, 较上年, 与去年相比), and
# words right after it (同期, 相比) that do the same.
_BASE_BEFORE = re.compile(r"(?:比|较|与|同|相比|对比|同比|环比|高于|低于|快于|慢于|超过)$")
_BASE_AFTER = re.compile(r"^(?:同期|相比|相较|水平|增长|的水平)")
# Sentences that continue the statement of the one before (and so its period).
_CONTINUATION = re.compile(
    r"^(?:其中|同时|此外|另外|分别|同比|比上年|环比|均|并|且|而|这|该|此|分[^，。]{1,8}看|从[^，。]{1,10}(?:看|来看)|"
    r"按[^，。]{1,10}分|具体|主要|全年|占|增长|下降|比|较|实现|完成|其|以)"
)
_INDICATOR_WINDOW = 40  # characters before a figure that may name it


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    position = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.end() > position:
            yield position, match.end()
        position = match.end()
    if position < end:
        yield position, end


def _lines(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


@dataclass(slots=True)
class _Clauses:
    """Where the clauses of a sentence start (sentence coordinates), for O(log n) lookups."""

    starts: list[int]

    @classmethod
    def of(cls, sentence: str) -> _Clauses:
        starts = [m.end() for m in _CLAUSE_BREAK.finditer(sentence)]
        starts.insert(0, 0)
        return cls(starts)

    def start_of(self, position: int) -> int:
        return self.starts[bisect_right(self.starts, position) - 1]

    def previous(self, clause_start: int) -> int:
        index = bisect_left(self.starts, clause_start)
        return self.starts[index - 1] if index > 0 else 0


@dataclass(slots=True)
class _Figure:
    """A quantity in sentence coordinates."""

    start: int
    end: int
    unit: str
    value: float | None
    value_max: float | None
    measure: str | None
    qualifier: str
    number_text: str
    prefix_qualifier: str | None
    original: Quantity
    position: int = 0  # its place among the figures of its clause
    clause: int = 0  # where its clause starts


@dataclass(slots=True)
class _When:
    """A period mention in sentence coordinates, resolved."""

    start: int
    end: int
    text: str
    period: str | None
    mention: PeriodMention
    years_back: int = 0  # 去年同期: the period the passage speaks of, this many years earlier
    in_year: int | None = None  # 2016年同期: the period the passage speaks of, in that year


@dataclass(slots=True)
class _Frame:
    """What holds for a stretch of text before its own words say more."""

    status: Status = "actual"
    status_cue: str | None = None
    status_scope: Scope | None = None
    year: int | None = None
    period: str | None = None
    period_text: str | None = None


@dataclass
class _Context:
    """Per-document facts of the matter: the date and the year the document reports on."""

    reference: date | None
    frame_year: int | None
    table_units: dict[str, Any] = field(default_factory=dict)


_Spanned = TypeVar("_Spanned", Quantity, PeriodMention, RegionMention)


def _within(items: list[_Spanned], starts: list[int], start: int, end: int) -> list[_Spanned]:
    # Indexed, not sliced: a slice would copy the rest of the article's items at every call.
    result: list[_Spanned] = []
    for index in range(bisect_left(starts, start), len(items)):
        item = items[index]
        if item.start >= end:
            break
        if item.end <= end:
            result.append(item)
    return result


@dataclass
class _Scans:
    """Quantities, periods and place names of a whole article, sorted by start."""

    quantities: list[Quantity]
    periods: list[PeriodMention]
    regions: list[RegionMention]

    def __post_init__(self) -> None:
        self._quantity_starts = [q.start for q in self.quantities]
        self._period_starts = [p.start for p in self.periods]
        self._region_starts = [r.start for r in self.regions]

    def quantities_in(self, start: int, end: int) -> list[Quantity]:
        return _within(self.quantities, self._quantity_starts, start, end)

    def periods_in(self, start: int, end: int) -> list[PeriodMention]:
        return _within(self.periods, self._period_starts, start, end)

    def regions_in(self, start: int, end: int) -> list[RegionMention]:
        return _within(self.regions, self._region_starts, start, end)


# --- the parts of a fact -------------------------------------------------------------------------------


# The alternatives of _COMPARISON_WORDS that state a comparison whatever the figure (every alternative
# is a named group of its own, so the name of the one that matched is the match's lastgroup: the
# group that closed last encloses the others).
_ALWAYS_COMPARISONS = frozenset({"yoy", "same", "prev", "cmp", "period", "average"})


def _comparison(sentence: str, clause_start: int, figure: _Figure, clauses: _Clauses | None = None) -> FactComparison | None:
    """The comparison stated before a figure within its clause (the last one before it wins)."""
    window_start = max(clause_start, figure.start - _INDICATOR_WINDOW)
    last: re.Match[str] | None = None
    unit = figure.unit
    for match in _COMPARISON_WORDS.finditer(sentence, window_start, figure.start):
        kind = match.lastgroup
        if kind in _ALWAYS_COMPARISONS or (kind == "rank" and unit == "rank") or (kind == "share" and unit == "percent"):
            last = match  # the last one that states a comparison wins: only it is built
    if last is None and clause_start > 0:
        # 与2019年同期相比，出口增长12%: a clause that is nothing but the comparison governs the next one.
        previous_start = clauses.previous(clause_start) if clauses is not None else 0
        own = _COMPARISON_WORDS.fullmatch(sentence, previous_start, clause_start - 1)
        if own is not None and own.group().endswith(("相比", "相较", "比较")):
            last = own
    if last is None:
        return None
    return _comparison_of(last, figure)


def _comparison_of(match: re.Match[str], figure: _Figure) -> FactComparison:
    kind = match.lastgroup
    if kind == "yoy" or kind == "same":
        return _stated_comparison("yoy", "same_period_last_year", match.group())
    if kind == "prev":
        return _stated_comparison("vs_previous_year", "previous_year", match.group())
    if kind == "period":
        # the base year as stated; with 同期 the figure's period in that year (:func:`_with_base_period`)
        base_year = match.group("baseyear") or match.group("baseyear2")
        return _stated_comparison("vs_period", base_year, match.group())
    if kind == "average":
        return _stated_comparison("average_annual", None, match.group())
    if kind == "cmp":
        direction: Literal["higher", "lower"] = "lower" if match.group("dir") in ("低于", "慢于") else "higher"
        return FactComparison(
            kind="vs_baseline",
            baseline=_BASELINES.get(match.group("base"), match.group("base")),
            direction=direction,
            difference=figure.value if figure.unit in ("percentage_point", "percent", "times") else None,
            unit=figure.unit,
            text=match.group(),
        )
    if kind == "rank":
        base = match.group("rankbase") or match.group("rankbase2")
        return _stated_comparison("rank", _BASELINES.get(base or ""), match.group())
    base = match.group("sharebase")
    return _stated_comparison("share", _BASELINES.get(base or ""), match.group())


@lru_cache(maxsize=4096)
def _stated_comparison(kind: _FactComparisonKind, baseline: str | None, text: str) -> FactComparison:
    """A comparison of words alone (no figure of its own): the same few words again and again, and a
    frozen model, so one instance serves every fact that states them (a change makes a copy)."""
    return FactComparison(kind=kind, baseline=baseline, text=text)


_AVERAGE_YEARS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5}


def _with_base_period(comparison: FactComparison, period: str | None) -> FactComparison:
    """A stated base period made whole with the figure's period: 比2019年同期 of a 2021-Q1 figure is
    2019-Q1; 两年平均 of a 2021-Q1 figure runs from 2019-Q1. Unchanged when the period is unknown."""
    if period is None or not period[:4].isdigit():
        return comparison
    if comparison.kind == "average_annual":
        years = _AVERAGE_YEARS.get(comparison.text[:1], 0)
    elif comparison.kind == "vs_period" and "同期" in comparison.text and comparison.baseline:
        years = int(period[:4]) - int(comparison.baseline)
    else:
        return comparison
    base = _years_earlier(period, years) if years > 0 else None
    return comparison.model_copy(update={"baseline": base}) if base else comparison


def _respectively(prefix: str, count: int) -> list[str] | None:
    """Items of a 分别 list: 工业税收、制造业税收分别增长17.9%和16.8% -> [工业税收, 制造业税收]."""
    if "分别" not in prefix:
        return None
    head = prefix.split("分别")[0]
    for separators in ("、", "[、和与]", "[、和与及]"):
        items = [item for item in re.split(separators, head) if item]
        if len(items) >= count:
            return items[-count:]
    return None


# The part of the 17 characters after a figure that _following_noun reads: up to the first digit or
# break (an optional 的 first). The cache is asked with it, not with all 17 characters, so that the
# figures that follow (other digits) do not make the same words a new entry.
_FOLLOWING_WORDS = re.compile(r"的?[^，,。；;、！？!?\n()（）0-9]*")


@lru_cache(maxsize=65536)
def _following_indicator(after: str) -> str:
    """The cleaned noun phrase in ``after``, the 17 characters after a figure (a pure function of them,
    asked for every figure: the same words follow figures again and again)."""
    return clean_phrase(_following_noun(after))


def _following_noun(after: str) -> str:
    """The noun phrase right after a figure (新增13.3万家企业上云 -> 企业上云; 1600余家企业携… -> 企业)."""
    after = after[1:] if after.startswith("的") else after  # 50%的光伏玻璃: the share of what follows
    match = re.match(r"[^，,。；;、！？!?\n()（）0-9]{1,16}", after)
    if not match:
        return ""
    phrase = re.split(
        r"(?:同比|比上年|增长|下降|占|的|，|已|正|计划|完成|实现|达到|进入|分别|纳入|列入|在|以上|左右)", match.group(), maxsplit=1
    )[0]
    phrase = phrase.strip("“”\"' ").removesuffix("中")
    nominal = following_noun_phrase(phrase)
    return nominal if len(nominal) >= 2 and len(nominal) < len(phrase) else phrase


_SUBJECT_END = re.compile(r"再创|创下|创出|持续|保持|实现|完成|达到|增长|下降|稳步|加快|继续|进一步|(?<![人户年日月])均|同比|比上年|达|为|是|有")


def _remove_periods(text: str, periods: list[_When], offset: int) -> str:
    """``text`` (starting at ``offset`` of the sentence) without the time expressions inside it."""
    for period in sorted(periods, key=lambda p: -p.start):
        lo, hi = period.start - offset, period.end - offset
        if 0 <= lo < hi <= len(text):
            text = text[:lo] + text[hi:]
    return text


@dataclass(slots=True)
class _Sentence:
    """One sentence being read, with everything found once for all its figures."""

    text: str
    clauses: _Clauses
    figures: list[_Figure]
    periods: list[_When]
    cues: SentenceCues
    by_clause: dict[int, list[_Figure]]
    bases: list[_When]
    indicators_by_clause: dict[int, list[str]] = field(default_factory=dict)
    region: tuple[Region | None] | None = None  # the sentence's first place, or the article's (once asked)
    cumulative_cue: bool | None = None  # whether 累计, 截至 … stand anywhere in it (once asked)
    stripped: str | None = None  # the text without the spaces around it (once asked)

    def siblings(self, figure: _Figure) -> tuple[int, list[_Figure]]:
        return figure.clause, self.by_clause[figure.clause]


def _choose_indicator(sentence: _Sentence, figure: _Figure, previous: str | None, comparison: FactComparison | None) -> str:
    """The Chinese noun phrase a figure measures (see the module docstring for the rules)."""
    text = sentence.text
    clause_start, siblings = sentence.siblings(figure)
    window_start = max(clause_start, figure.start - _INDICATOR_WINDOW)
    if comparison is not None and comparison.kind == "vs_baseline" and previous:
        return previous
    if len(siblings) > 1:
        listed = _respectively(text[max(clause_start, siblings[0].start - _INDICATOR_WINDOW) : siblings[0].start], len(siblings))
        if listed is not None:
            return strip_scope(clean_phrase(listed[figure.position]))
        from_before = _respectively_from_previous_clause(sentence, figure, siblings, clause_start)
        if from_before:
            return from_before
    earlier = siblings[figure.position - 1] if figure.position else None
    prefix_start = max(earlier.end if earlier else clause_start, window_start)
    prefix = text[prefix_start : figure.start]
    if figure.prefix_qualifier and prefix.endswith(figure.prefix_qualifier):
        prefix = prefix[: -len(figure.prefix_qualifier)]
    prefix = _COMPARISON_WORDS.sub(_blank, prefix)
    if sentence.periods or sentence.bases:
        prefix = _remove_periods(prefix, sentence.periods + sentence.bases, prefix_start)
    prefix = prefix.replace("\u3000", "")
    words = _FOLLOWING_WORDS.match(text, figure.end, figure.end + 17)  # always matches (maybe nothing)
    following = _following_indicator(words.group() if words else "")
    if comparison is not None and comparison.kind == "share":
        share_at = prefix.find("占")
        subject = noun_phrase(prefix[:share_at]) if share_at > 0 else ""
        subject = subject or previous or ""
        return subject + prefix[share_at:].rstrip("达为近超约的") if share_at >= 0 else subject
    if _ANAPHORA.match(prefix.lstrip("而，, ")) and previous:
        return previous
    if earlier and prefix.strip().rstrip("、和及与") == "":
        return following or previous or ""
    if earlier and prefix.rstrip().endswith(("、", "和", "及", "与")):
        return following or noun_phrase(prefix)
    indicator = noun_phrase(prefix)
    if figure.unit == "count" and following:
        # NUM + measure word + NOUN: the noun after the figure is what is counted.
        named = _QUOTED_NAME_AT_END.search(prefix.rstrip())
        return (named.group() if named else "") + following
    if not indicator:
        indicator = following
    if not indicator and not earlier:
        # 货邮运输量持续保持高位，完成67.5万吨: the subject stands in the clause before.
        indicator = _subject_of_previous_clause(sentence, clause_start)
    if indicator and previous and indicator in _GENERIC_HEADS and not previous.endswith(indicator):
        indicator = previous + indicator
    return indicator or previous or ""


_QUOTED_NAME_AT_END = re.compile(r"“[^”]+”$")


def _blank(match: re.Match[str]) -> str:
    return "\u3000" * len(match.group())


def _subject_of_previous_clause(sentence: _Sentence, clause_start: int) -> str:
    if clause_start == 0:
        return ""
    previous_start = sentence.clauses.previous(clause_start)
    previous_clause = sentence.text[max(previous_start, clause_start - 1 - _INDICATOR_WINDOW) : clause_start - 1]
    if any(char.isdigit() for char in previous_clause):
        return ""  # that clause has figures of its own; its subject was already used
    verb = _SUBJECT_END.search(previous_clause)
    if verb is None or verb.start() == 0:
        return ""
    return noun_phrase(previous_clause[: verb.start()])


def _respectively_from_previous_clause(sentence: _Sentence, figure: _Figure, siblings: list[_Figure], clause_start: int) -> str:
    """分别 whose items stand in the clause before.

    增值税12.8亿元、城镇土地使用税9.5亿元、城市维护建设税3.3亿元，同比分别增长210.8%、29.5%、17.8%: the
    rates go, in order, to the figures of the clause before. 功率半导体及集成电路、传感器及仪器仪表等领域
    发展迅速，增加值分别增长18.9%和12.8%: to the listed items of the clause before.
    """
    text = sentence.text
    own = text[max(clause_start, siblings[0].start - _INDICATOR_WINDOW) : siblings[0].start]
    if "分别" not in own:
        return ""
    number = figure.position
    previous_start = sentence.clauses.previous(clause_start) if clause_start else 0
    previous_indicators = sentence.indicators_by_clause.get(previous_start, [])
    if len(previous_indicators) == len(siblings):
        return previous_indicators[number]
    previous_clause = text[max(previous_start, clause_start - 1 - 3 * _INDICATOR_WINDOW) : max(previous_start, clause_start - 1)]
    if previous_indicators or any(char.isdigit() for char in previous_clause):
        return ""
    items = [item for item in previous_clause.split("、") if item]
    if len(items) != len(siblings):
        return ""
    item = items[number]
    if number == 0 and "中" in item:
        item = item[item.rfind("中") + 1 :]  # 新一代电子信息制造业中功率半导体…: the list starts after 中
    item = re.split(r"等(?:领域|行业|产业|方面)?", item, maxsplit=1)[0]
    head = clean_phrase(own.split("分别")[0])
    return clean_phrase(item) + head


def _change(sentence: _Sentence, figure: _Figure) -> Change | None:
    """增长/下降 before the figure; for a listed figure (分别增长17.9%和16.8%) the verb before the list."""
    if figure.unit == "rank":
        return None
    text = sentence.text
    clause_start, siblings = sentence.siblings(figure)
    zone_end = figure.start
    earlier = siblings[figure.position - 1] if figure.position else None
    if earlier and text[earlier.end : figure.start].strip(" 、和及与,，") == "":
        zone_end = siblings[0].start
    zone = text[max(clause_start, zone_end - 12) : zone_end]
    if figure.prefix_qualifier and zone.endswith(figure.prefix_qualifier):
        zone = zone[: -len(figure.prefix_qualifier)]
    return _change_in(zone)


@lru_cache(maxsize=16384)
def _change_in(zone: str) -> Change | None:
    """The direction a verb at the end of ``zone`` (at most 12 characters) gives; the same few words
    stand before figures again and again."""
    if _CHANGE_DOWN.search(zone):
        return "decrease"
    if _CHANGE_UP.search(zone):
        return "increase"
    return None


def _is_class_label(figure: _Figure, sentence: str) -> bool:
    """千亿元级企业, 百亿元企业: a size class, not an amount (十多个产业链 counts chains)."""
    if figure.number_text not in _CLASS_LABEL_NUMERALS or figure.unit in ("count", "rank"):
        return False
    return sentence[figure.end : figure.end + 1] in ("级", "企", "产", "项")


def _is_base(sentence: str, mention: PeriodMention, start: int, end: int) -> bool:
    """A comparison base (比2019年同期, 较上年, 与去年相比) or a starting point (自2015年以来).

    Two "since" expressions do name the period of what follows: a five-year plan (“十四五”以来: the
    plan's years) and a month of the current year (1月以来: from that month to the document's date).
    """
    before = sentence[max(0, start - 3) : start]
    after = sentence[end : end + 4].lstrip("”\"")
    if _BASE_BEFORE.search(before) or _BASE_AFTER.match(after):
        return True
    if after.startswith("以来"):
        return not (_is_plan(mention) or (mention.kind == "month" and mention.period is None))
    return False


# 去年同期 / 上年同期 / 前年同期 standing as the time of a figure (去年同期增长3.1%), not after a comparison
# word (比去年同期, 与上年同期相比): the same period as the passage's, one or two years earlier.
_SAME_PERIOD_YEARS_BACK = {"last_year": 1, "year_before_last": 2}
_SAME_PERIOD_COMPARED = re.compile(r"同期(?:相比|相较|比较|对比|基数|水平)")
_BASE_BEFORE_SAME_PERIOD = re.compile(r"(?:超|于|过)$")


def _same_period(sentence: str, mention: PeriodMention, start: int, end: int) -> tuple[int, int | None] | None:
    """去年同期 (1 year back), 前年同期 (2) or 2016年同期 (that year) at ``start``..``end`` as the time of
    the figures it governs: (years back, stated year). None when the mention is not one, or is a
    comparison base (比去年同期, 与上年同期相比, 超去年同期, 比2019年同期)."""
    if mention.kind != "year" or not sentence.startswith("同期", end):
        return None
    back = _SAME_PERIOD_YEARS_BACK.get(mention.relative or "", 0)
    year = int(mention.period) if not mention.relative and mention.period and mention.period.isdigit() else None
    if not back and year is None:
        return None
    before = sentence[max(0, start - 3) : start]
    if _BASE_BEFORE.search(before) or _BASE_BEFORE_SAME_PERIOD.search(before):
        return None
    if _SAME_PERIOD_COMPARED.match(sentence, end):
        return None
    return back, year


_ASIDE_REACH = 40  # how far before a period its opening bracket may stand


def _closed_bracket_between(text: str, start: int, end: int) -> bool:
    """Whether a bracket open at ``start`` (opened at most :data:`_ASIDE_REACH` before) closes before ``end``."""
    floor = max(0, start - _ASIDE_REACH)
    opened = max(text.rfind("（", floor, start), text.rfind("(", floor, start))
    if opened < 0 or max(text.rfind("）", opened, start), text.rfind(")", opened, start)) >= 0:
        return False
    reach = min(end, start + 4 * _ASIDE_REACH)
    return text.find("）", start, reach) >= 0 or text.find(")", start, reach) >= 0


def _years_earlier(period: str, years: int) -> str | None:
    """``period`` (2022, 2022-Q1, 2022-H1, 2022-03, 2022-03-31, 2022-01/2022-03 …) ``years`` earlier."""
    parts = []
    for part in period.split("/"):
        match = re.fullmatch(r"(\d{4})((?:-(?:Q[1-4]|H[12]|\d{2}))?)(?:-(\d{2}))?", part)
        if match is None:
            return None
        year = int(match.group(1)) - years
        day = match.group(3)
        if day is not None:
            month = int(match.group(2)[1:])
            day = f"{min(int(day), calendar.monthrange(year, month)[1]):02d}"
            parts.append(f"{year}{match.group(2)}-{day}")
        else:
            parts.append(f"{year}{match.group(2)}")
    return "/".join(parts)


def _is_plan(mention: PeriodMention) -> bool:
    return mention.kind == "multi_year" and bool(re.fullmatch(r"十[一二三四五六七八九]五.*", mention.text))


def _since_month(mention: PeriodMention, reference: date | None) -> str | None:
    """1月以来 in a text of 2026-01-28 -> 2026-01; 3月以来 in one of 2024-07-19 -> 2024-03/2024-07."""
    if reference is None or not (mention.relative or "").lstrip("this_year:").startswith("--"):
        return None
    month = int((mention.relative or "")[-2:])
    if month > reference.month:
        return None
    if month == reference.month:
        return f"{reference.year}-{month:02d}"
    return f"{reference.year}-{month:02d}/{reference.year}-{reference.month:02d}"


_STARTING_POINT = re.compile(r"(?:从|由)$")
_TO = re.compile(r"(?:提高|增长|增加|缩短|降低|下降|减少|提升|扩大|上升|缩小|压缩|发展|升|降|增)?(?:到|至)")


def _is_starting_value(sentence: str, figure: _Figure, clauses: _Clauses) -> bool:
    """The figure after 从/由 in 从X…到Y: the point things start from, stated as it is now."""
    if not _STARTING_POINT.search(sentence, max(0, figure.start - 1), figure.start):
        return False
    clause_end = next((s for s in clauses.starts if s > figure.end), len(sentence))
    return bool(_TO.search(sentence, figure.end, clause_end))


_LIST_JOIN = re.compile(r"^[^，。；;,]{0,12}?(?:和|、|及|与)$")
_LIST_GAP = re.compile(r"^\s*(?:、|和|与|及|或|至|到)\s*$")
# Amounts in yuan whose 元 the text leaves out (固定资产投资总额突破60亿, 经济规模跨越5万亿台阶).
_MONEY_INDICATOR = re.compile(
    r"投资|收入|营收|产值|总额|生产总值|GDP|经济(?:总量|规模)|产业规模|利润|税|消费|零售|进出口|出口|进口|贷款|存款|资金|融资|成交"
)


def _implied_unit(sentence: _Sentence, figure: _Figure, indicator: str) -> tuple[str, str | None]:
    """The unit a bare number takes from its context: the unit at the end of its list (0.9、1.1和0.5个百分点),
    or yuan for an amount of 亿 or 万亿 whose indicator is money."""
    _, siblings = sentence.siblings(figure)
    position = figure.position
    while position + 1 < len(siblings) and _LIST_GAP.match(sentence.text[siblings[position].end : siblings[position + 1].start]):
        position += 1
        if siblings[position].unit != "number":
            return siblings[position].unit, siblings[position].measure
    scale = figure.original.scale_word or ""
    if scale.endswith("亿") and _MONEY_INDICATOR.search(indicator or ""):
        return "CNY", None
    return figure.unit, figure.measure


def _qualifier(sentence: _Sentence, figure: _Figure) -> str:
    """The figure's own qualifier; 约 before the first of a list covers the rest (约72%的国土面积和27%的人口)."""
    if figure.qualifier != "exact" or not figure.position:
        return figure.qualifier
    _, siblings = sentence.siblings(figure)
    before = siblings[figure.position - 1]
    if before.prefix_qualifier in ("约", "大约") and _LIST_JOIN.match(sentence.text[before.end : figure.start]):
        return "about"
    return figure.qualifier


def _signed(value: float | None, change: Change | None) -> float | None:
    if value is None or change != "decrease":
        return value
    return -value


# --- the engine ----------------------------------------------------------------------------------------


class _SegmentReader:
    """Reads one article: paragraphs, sentences and figures, in order."""

    def __init__(self, segment: Segment, context: _Context) -> None:
        self.segment = segment
        # Read once: a private attribute of a pydantic model is slow to get, and these are asked per figure.
        self.document_text = segment.document_text
        self.segment_index = segment.index
        self.segment_region = segment.region
        self.context = context
        reference = context.reference
        # In a text of a year's first quarter, that year's total is its plan (see _fact).
        self.first_quarter_year = str(reference.year) if reference is not None and reference.month <= 3 else None
        self.mapped = segment.reading
        self.text = self.mapped.text
        self.lines = _lines(self.text)
        self.line_starts = [start for start, _ in self.lines]
        self.scans = _Scans(find_quantities(self.text), find_periods(self.text), find_regions(self.text))
        self.tables = read_tables(self.text, self.lines, self.scans.quantities)
        self.headings = {normalize_string(heading) for heading in segment.subheadings}
        self.facts: list[Fact] = []
        self.paragraph_of: dict[int, int] = {}

    def read(self) -> list[Fact]:
        frame = self._article_frame()
        for number, (line_start, line_end) in enumerate(self.lines):
            line = self.text[line_start:line_end]
            if not line.strip():
                continue
            if line in self.headings:
                following = self.text[slice(*self.lines[number + 1])] if number + 1 < len(self.lines) else ""
                frame = self._section_frame(line, following, frame)
            self._paragraph(line_start, line_end, frame)
        self._unchanged_cells(frame)
        return _merge_repeats(self.facts, self.paragraph_of)

    def _unchanged_cells(self, frame: _Frame) -> None:
        """Table cells written as a word, not a number (持平: unchanged): facts of value 0."""
        if not self.tables:
            self.facts.sort(key=lambda fact: fact.start)
            return  # no table, no cell
        quantity_lines = {self._line_start(q.start) for q in self.scans.quantities}
        for line_start, line_end in self.lines:
            cell = self.tables.get(line_start)
            if cell is None or line_start in quantity_lines:
                continue
            text = self.text[line_start:line_end]
            offset = len(text) - len(text.lstrip())
            word = text.strip()
            start, end = self.mapped.to_original(line_start + offset, line_start + offset + len(word))
            self.facts.append(
                Fact(
                    segment=self.segment_index, text=self.document_text[start:end], start=start, end=end,
                    value=0.0, value_max=None, unit=cell.unit, measure=cell.measure, qualifier="exact",
                    indicator_zh=cell.indicator or None, indicator_en=english_label(cell.indicator) if cell.indicator else None,
                    indicator_translated=bool(cell.indicator and english_label(cell.indicator)), change=None,
                    period=cell.period or frame.period, period_text=None, period_scope="table", cumulative=cell.cumulative,
                    status="actual", comparison=None, region=self.segment_region, sentence=word,
                )
            )  # fmt: skip
            self.paragraph_of[start] = line_start
        self.facts.sort(key=lambda fact: fact.start)

    # -- frames --------------------------------------------------------------------------------------

    def _year_of(self, text: str) -> int | None:
        head = text[:60]
        if not may_state_calendar_year(head):
            return None  # no calendar year (2012年) in it: no other period is a year with a number
        for mention in find_periods(head):
            if mention.kind == "year" and mention.period and text[mention.end : mention.end + 2] != "以来":
                return int(mention.period)
        return None

    def _article_frame(self) -> _Frame:
        """What the article reports on: the period most of its paragraphs open with (一季度, … in a
        quarterly analysis), else its title's year (2012年…统计公报), else its lead's opening year."""
        title_year = self._year_of(normalize_string(self.segment.title or ""))
        lead_line = self.segment.title_lines
        lead = self.text[slice(*self.lines[lead_line])] if len(self.lines) > lead_line else ""
        year = title_year or self._year_of(lead) or self.context.frame_year
        period = self._reported_period(year)
        if period is not None:
            return _Frame(year=int(period[:4]), period=period, period_text=None)
        return _Frame(year=year, period=str(year) if year else None, period_text=None)

    def _reported_period(self, year: int | None) -> str | None:
        """The period at least three paragraphs open with, when it is part of one year (a quarter, a
        half, months): the period the whole report is about."""
        openings: Counter[str] = Counter()
        for start, end in self.lines:
            if end - start < 20:
                continue  # a heading or a table cell, not a paragraph of the report
            for mention in self.scans.periods_in(start, min(end, start + 12)):
                period = resolve_period(mention, self.context.reference, frame_year=year)
                if period and 4 < len(period) < 10 and "/" not in period[:5]:
                    openings[period] += 1
                break
        if not openings:
            return None
        period, count = openings.most_common(1)[0]
        return period if count >= 3 else None

    def _section_frame(self, heading: str, opening: str, outer: _Frame) -> _Frame:
        status = section_status(heading, opening)
        own_year = self._year_of(heading) or self._year_of(opening)
        return _Frame(
            status=status,
            status_cue=heading if status != "actual" else None,
            status_scope="section" if status != "actual" else None,
            year=own_year or outer.year,
            period=str(own_year) if own_year else outer.period,
            period_text=None,
        )

    # -- paragraphs and sentences ---------------------------------------------------------------------

    def _paragraph(self, start: int, end: int, frame: _Frame) -> None:
        previous_indicator: str | None = None
        carried: _When | None = None
        carried_status: Status = "actual"
        carried_region: str | None = None
        inherited = frame
        preliminary_from = preliminary_reach(self.text[start:end])
        for sent_start, sent_end in _sentences(self.text, start, end):
            sentence = self._sentence(sent_start, sent_end)
            if sentence is None:
                continue
            opening_region = self._opening_region(sentence, sent_start)
            if carried is not None and not _CONTINUATION.match(sentence.text.lstrip()):
                # The paragraph's period runs on into a sentence without one of its own, but not into
                # one that turns to another place (在新疆，…) or from results to plans (or back).
                first_status = (
                    sentence.cues.status_at(sentence.figures[0].start, inherited.status)[0]
                    if sentence.figures
                    else carried_status
                )
                turns_away = opening_region is not None and carried_region is not None and opening_region != carried_region
                if turns_away or first_status != carried_status:
                    carried = None
            for figure in sentence.figures:
                if _is_class_label(figure, sentence.text):
                    continue
                fact, indicator = self._fact(
                    sentence, sent_start, figure, inherited, frame, carried, previous_indicator,
                    preliminary=preliminary_from is not None and sent_start - start >= preliminary_from,
                )  # fmt: skip
                if indicator:
                    previous_indicator = indicator
                self.facts.append(fact)
                self.paragraph_of[fact.start] = start
                carried_status = fact.status
            governing = [p for p in sentence.periods if p.period is not None]
            if governing:
                carried = governing[-1]
                carried_region = opening_region or carried_region
            plan = sentence.cues.plan_list_open()
            if plan is not None:
                inherited = _Frame(
                    status="target", status_cue=plan.text, status_scope="paragraph", year=frame.year, period=frame.period
                )
            elif sentence.cues.cues and sentence.cues.cues[-1].kind == "reset":
                inherited = frame

    def _opening_region(self, sentence: _Sentence, sent_start: int) -> str | None:
        """The place a sentence opens with (在四川，… / 重庆…), if it names one in its first words."""
        for mention in self.scans.regions_in(sent_start, sent_start + 8):
            return mention.region.zh
        return None

    def _sentence(self, start: int, end: int) -> _Sentence | None:
        quantities = self.scans.quantities_in(start, end)
        mentions = self.scans.periods_in(start, end)
        if not quantities and not mentions:
            return None
        text = self.text[start:end]
        masked = mask_names(text)
        figures = [
            _Figure(q.start - start, q.end - start, q.unit, q.value, q.value_max, q.measure, q.qualifier,
                    q.number_text, q.prefix_qualifier, q)
            for q in quantities
        ]  # fmt: skip
        clauses = _Clauses.of(text)
        by_clause: dict[int, list[_Figure]] = {}
        for figure in figures:
            figure.clause = clauses.start_of(figure.start)
            members = by_clause.setdefault(figure.clause, [])
            figure.position = len(members)
            members.append(figure)
        periods: list[_When] = []
        explicit_year: int | None = None
        base_end = -1
        bases: list[_When] = []
        for mention in mentions:
            lo, hi = mention.start - start, mention.end - start
            same = _same_period(text, mention, lo, hi) if lo != base_end else None
            if same is not None:
                # resolved per figure (:meth:`_SegmentReader._period`): the period it moves is the figure's
                periods.append(_When(lo, hi + 2, text[lo : hi + 2], None, mention, years_back=same[0], in_year=same[1]))
                continue
            if lo == base_end or _is_base(text, mention, lo, hi):
                base_end = hi  # a base runs on: 比去年全年, 比上年12月
                bases.append(_When(lo, hi, mention.text, None, mention))
                continue
            if masked[lo:hi] != text[lo:hi] and not _is_plan(mention):
                continue  # inside a name (a quoted “十四五” is still the plan period)
            periods.append(_When(lo, hi, mention.text, None, mention))
            if mention.kind == "year" and mention.period and not mention.deadline:
                explicit_year = int(mention.period)
        sentence = _Sentence(text, clauses, figures, periods, SentenceCues.of_masked(masked), by_clause, bases)
        sentence_year = explicit_year
        for when in periods:
            if when.years_back or when.in_year is not None:
                continue
            if text[when.end : when.end + 2] == "以来" and when.mention.kind == "month":
                when.period = _since_month(when.mention, self.context.reference)
                continue
            when.period = resolve_period(
                when.mention, self.context.reference, frame_year=sentence_year if when.mention.period is None else None
            )
        return sentence

    # -- one figure ----------------------------------------------------------------------------------

    def _fact(
        self,
        sentence: _Sentence,
        sent_start: int,
        figure: _Figure,
        inherited: _Frame,
        frame: _Frame,
        carried: _When | None,
        previous_indicator: str | None,
        *,
        preliminary: bool,
    ) -> tuple[Fact, str]:
        text = sentence.text
        cell = self.tables.get(self._line_start(sent_start + figure.start)) if self.tables else None
        comparison = _comparison(text, figure.clause, figure, sentence.clauses)
        if cell is not None and figure.unit == "number":
            indicator = cell.indicator
        else:
            cell = None
            indicator = _choose_indicator(sentence, figure, previous_indicator, comparison)
        if indicator:
            clause, _ = sentence.siblings(figure)
            sentence.indicators_by_clause.setdefault(clause, []).append(indicator)
        change = cell.change if cell is not None else _change(sentence, figure)
        status, cue = sentence.cues.status_at(figure.start, inherited.status)
        status_cue = cue.text if cue is not None else inherited.status_cue
        status_scope: Scope | None = "sentence" if cue is not None else inherited.status_scope
        before = [p for p in sentence.periods if p.end <= figure.start]
        # A deadline (到2025年) makes a goal only while it lies ahead: 提高到2021年的15.1% in 2022 is a result.
        ahead = [p for p in before if p.mention.deadline and self._ahead(p)]
        if ahead and status == "actual" and (cue is None or cue.kind != "reset" or cue.end <= ahead[-1].start):
            status, status_cue, status_scope = "target", ahead[-1].text, "sentence"
        if status != "actual" and _is_starting_value(text, figure, sentence.clauses):
            # 将从5小时缩短到2小时: 5 hours is how things stand
            status, status_cue, status_scope = "actual", None, "sentence"
        period, period_text, period_scope = self._period(sentence, figure, before, frame, carried, status, cell)
        if comparison is not None and comparison.kind in ("vs_period", "average_annual"):
            comparison = _with_base_period(comparison, period)
        if status == "actual" and self.first_quarter_year is not None and period == self.first_quarter_year:
            # This year's total in a text of its first quarter cannot be a result yet: it is the year's plan.
            # A reading of the calendar, not of a word: the rules are not sure of it (scope "paragraph").
            status, status_cue, status_scope = "target", period_text or period, "paragraph"
        if sentence.cumulative_cue is None:
            sentence.cumulative_cue = _CUMULATIVE_CUES.search(text) is not None  # any in the sentence at all
        cumulative = (
            sentence.cumulative_cue
            and bool(_CUMULATIVE_CUES.search(text, max(0, figure.start - _INDICATOR_WINDOW), figure.start))
        ) or (bool(before) and any(p.mention.cumulative for p in before))
        if cell is not None:
            cumulative = cumulative or cell.cumulative
        start, end = self.mapped.to_original(sent_start + figure.start, sent_start + figure.end)
        translation = english_label(indicator) if indicator else None
        if sentence.region is None:
            regions = self.scans.regions_in(sent_start, sent_start + len(text))
            sentence.region = (regions[0].region,) if regions else (self.segment_region,)
        region = sentence.region[0]
        value, value_max, unit, measure = figure.value, figure.value_max, figure.unit, figure.measure
        if unit == "number" and cell is None:
            unit, measure = _implied_unit(sentence, figure, indicator)
        if cell is not None:
            value, unit, measure = cell.value, cell.unit, cell.measure  # a cell's sign is printed
        elif change == "decrease" and value is not None and value_max is not None:
            value, value_max = -value_max, -value
        else:
            value = _signed(value, change)
        stated = status != "actual" or (cue is not None and cue.kind == "reset")
        if sentence.stripped is None:
            sentence.stripped = text.strip()
        # the validator of a dict: the same validation as Fact(**…) (model_validate calls it), without
        # the keyword call's overhead
        fact: Fact = _validate_fact(
            {
                "segment": self.segment_index,
                "text": self.document_text[start:end],
                "start": start,
                "end": end,
                "value": value,
                "value_max": value_max,
                "unit": unit,
                "measure": measure,
                "qualifier": _qualifier(sentence, figure) if figure.position and figure.qualifier == "exact" else figure.qualifier,
                "indicator_zh": indicator or None,
                "indicator_en": translation,
                "indicator_translated": translation is not None,
                "change": change,
                "period": period,
                "period_text": period_text,
                "period_scope": period_scope if period is not None else None,
                "cumulative": cumulative,
                "status": status,
                "status_cue": status_cue if stated else None,
                "status_scope": status_scope if stated else None,
                "preliminary": preliminary and status == "actual",
                "comparison": comparison,
                "region": region,
                "sentence": sentence.stripped,
            }
        )
        _object_setattr(fact, "__pydantic_fields_set__", _STATED_FIELDS)
        return fact, indicator

    def _year_to_date(self, frame: _Frame) -> str | None:
        """年初以来 / 今年以来: in a report on a quarter, that quarter; else from January to the document's month."""
        if frame.period and 4 < len(frame.period) < 10:
            return frame.period
        reference = self.context.reference
        if reference is None:
            return None
        if reference.month == 1:
            return f"{reference.year}-01"
        return f"{reference.year}-01/{reference.year}-{reference.month:02d}"

    def _ahead(self, deadline: _When) -> bool:
        reference = self.context.reference
        if reference is None or deadline.period is None:
            return True
        return int(deadline.period[:4]) >= reference.year

    def _line_start(self, position: int) -> int:
        return self.line_starts[bisect_right(self.line_starts, position) - 1]

    def _period(
        self,
        sentence: _Sentence,
        figure: _Figure,
        before: list[_When],
        frame: _Frame,
        carried: _When | None,
        status: Status,
        cell: TableCell | None,
    ) -> tuple[str | None, str | None, Scope | None]:
        if cell is not None:
            return cell.period or frame.period, None, "table"
        # The nearest time expression governs, even one the rules cannot resolve (then: unknown).
        governing = [p for p in before if p.mention.relative != "to_date"]
        if governing and (governing[-1].years_back or governing[-1].in_year is not None):
            if _closed_bracket_between(sentence.text, governing[-1].start, figure.start):
                # （2016年同期增速为0.5%），拉动…: an aside in brackets speaks for itself alone
                before = [p for p in before if p is not governing[-1]]
                return self._period(sentence, figure, before, frame, carried, status, cell)
            # 一季度…，去年同期增长3.1%: the period the figure would have without it, a year earlier
            # (2016年同期: in 2016).
            same = governing[-1]
            without = [p for p in before if not (p.years_back or p.in_year is not None)]
            underlying, _, _ = self._period(sentence, figure, without, frame, carried, status, cell)
            back = same.years_back
            if same.in_year is not None and underlying and underlying[:4].isdigit():
                back = int(underlying[:4]) - same.in_year
            shifted = _years_earlier(underlying, back) if underlying and back > 0 else None
            return shifted, same.text, "sentence"
        if not governing and frame.period is None and self.context.reference and any(
            p.mention.relative == "to_date" for p in before
        ):
            # 累计培育…14万家 with no other time: a running total up to the document's date.
            return self.context.reference.isoformat(), next(p.text for p in before if p.mention.relative == "to_date"), "sentence"
        if governing:
            nearest = governing[-1]
            if nearest.period is None and nearest.mention.relative and status != "actual":
                period = resolve_period(
                    nearest.mention, self.context.reference, frame_year=frame.year, ahead_allowed=True
                )
                return period, nearest.text, "sentence"
            if (nearest.period is None and nearest.mention.relative in ("that_year", "full_year")) or (
                nearest.mention.relative or ""
            ).startswith(("that_year", "full_year")):
                return resolve_period(nearest.mention, self.context.reference, frame_year=frame.year), nearest.text, "sentence"
            if nearest.period is None and nearest.mention.relative == "ytd":
                return self._year_to_date(frame), nearest.text, "sentence"
            if nearest.period is None and nearest.mention.relative in ("now", "today"):
                return (self.context.reference.isoformat() if self.context.reference else None), nearest.text, "sentence"
            return nearest.period, nearest.text, "sentence"
        if carried is not None:
            return carried.period, carried.text, "paragraph"
        return frame.period, None, "section"


def _merge_repeats(facts: list[Fact], paragraph_of: dict[int, int]) -> list[Fact]:
    """A figure restated in another paragraph (subheading, lead, summary, a table) is one fact with
    ``also_at`` spans. Two equal figures in one paragraph are two statements (two industries both
    growing 11%)."""
    kept: dict[tuple[Any, ...], int] = {}
    result: list[Fact] = []
    for fact in facts:
        key = (fact.indicator_zh, fact.value, fact.value_max, fact.unit, fact.period, fact.status, fact.change)
        if fact.indicator_zh and key in kept and paragraph_of[result[kept[key]].start] != paragraph_of[fact.start]:
            index = kept[key]
            result[index] = result[index].model_copy(update={"also_at": [*result[index].also_at, (fact.start, fact.end)]})
            continue
        kept[key] = len(result)
        result.append(fact)
    return result


def _document_frame_year(page: SegmentedPage) -> int | None:
    """The year a page reports on when its title says so (2012年…统计公报)."""
    title = normalize_string(page.title or "")
    match = re.search(r"((?:19|20)\d{2})年", title[:30])
    return int(match.group(1)) if match else None


def document_date_of(page: SegmentedPage, given: date | None = None) -> DocumentDate | None:
    """The page's date (see :mod:`summarizer.rules.dates`)."""
    document = page.document
    return find_document_date(
        document.body, header=document.source, front_matter=document.front_matter, given=given
    )


def facts_for_segment(
    segment: Segment, *, reference: date | None = None, frame_year: int | None = None
) -> list[Fact]:
    """Every figure of one article, with indicator, period, status and comparison.

    ``reference`` is the document's date (relative periods resolve with it); ``frame_year`` the year
    the whole document reports on, if its title says.
    """
    return _SegmentReader(segment, _Context(reference, frame_year)).read()


def extract_facts(page: SegmentedPage, *, document_date: date | None = None) -> FactTable:
    """The fact table of a whole page; ``document_date`` (``--date``) wins over what the text says."""
    found = document_date_of(page, document_date)
    reference = found.date if found is not None else None
    frame_year = _document_frame_year(page)
    facts: list[Fact] = []
    with collector_paused():  # many small objects, no cycles (summarizer.text.collector)
        for segment in page.segments:
            facts.extend(facts_for_segment(segment, reference=reference, frame_year=frame_year))
    return FactTable(
        source=page.source,
        document_date=found.iso if found is not None else None,
        document_date_source=found.source if found is not None else None,
        facts=facts,
    )
