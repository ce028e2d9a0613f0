"""Rule-based facts: every quantity of an article with its indicator, period, status and comparison.

This is the ground truth every check of LLM output relies on, and a product of its own (a fact
table that needs no LLM). It runs on each segment's normalised repaired text and reports spans in
original-file coordinates.

Scoping rules, in the order a reader applies them:

* **period** — the nearest period expression before the quantity in its sentence (2023年,
  2023年1—11月, 前10个月), else the last one earlier in the same paragraph; 累计 / 截至 make it
  cumulative; 到2025年 / 年底前 make it a deadline, hence a target;
* **status** — a target cue (力争, 目标, 将, 计划, 争取, 确保, 到2025年 …) or an estimate cue (预计, 初步,
  有望, 预期) governs the rest of its sentence from where it stands;
* **indicator** — the noun phrase before the quantity in its clause, stripped of verbs, scope words
  and periods; when that is empty, the noun phrase right after the quantity (新增13.3万家企业上云);
  for 分别 the listed items in order; a generic head (数量, 比重, 规模) takes the previous indicator;
* **comparison** — 同比 / 比上年 / 高于全国 X个百分点 / 居全国第X位 / 占…比重.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from summarizer.briefing.models import Region
from summarizer.gazetteer import RegionMention, find_regions, leading_region_length
from summarizer.layout.segment import Segment, SegmentedPage
from summarizer.rules.glossary import Glossary, load_glossary
from summarizer.rules.periods import PeriodMention, find_periods
from summarizer.rules.quantities import Quantity, find_quantities
from summarizer.text.textmap import normalize_string
from summarizer.vocab import Status

__all__ = ["Fact", "FactComparison", "FactTable", "extract_facts", "facts_for_segment"]

class FactComparison(BaseModel):
    """What a figure is compared with, as stated in the source."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["yoy", "vs_previous_year", "vs_baseline", "rank", "share"]
    baseline: str | None = Field(
        default=None, description="national | province | city | previous_year | same_period_last_year"
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
    value: float | None
    value_max: float | None
    unit: str
    measure: str | None
    qualifier: str
    indicator_zh: str | None
    indicator_en: str | None
    indicator_translated: bool = Field(description="False when the glossary has no entry: indicator_en is null.")
    change: Literal["increase", "decrease"] | None = Field(
        default=None, description="Set when the figure is a change (增长/下降 …), not a level."
    )
    period: str | None
    cumulative: bool
    status: Status
    comparison: FactComparison | None
    region: Region | None
    sentence: str = Field(description="The sentence the figure stands in (normalised).")
    also_at: list[tuple[int, int]] = Field(
        default_factory=list, description="Other spans stating the same figure (a heading, a lead)."
    )


class FactTable(BaseModel):
    source: str
    facts: list[Fact]

    def for_segment(self, index: int) -> list[Fact]:
        return [fact for fact in self.facts if fact.segment == index]


# --- cues ------------------------------------------------------------------------------------------

_TARGET_CUES = re.compile(
    r"力争|目标|争取|确保|计划(?!总投资|投资|单列)|预期目标|规划到|拟|将(?![^，。；]{0,12}(?:作为|纳入|列为|视为|列入))|"
    r"到20\d\d年|20\d\d年(?:底|年底)?前|要(?:达到|实现|突破|超过)"
)
_ESTIMATE_CUES = re.compile(r"预计|初步|有望|预期(?!目标)|估计|约计")
_ACHIEVED = re.compile(r"已经|业已|已有|已(?=[\u4e00-\u9fff])")
_CUMULATIVE_CUES = re.compile(r"累计|截至|截止|共计|总计")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?\n]")
# The last clause break before a position: a greedy scan to the last break, anchored at the window end.
_LAST_CLAUSE_BREAK = re.compile(r".*[，,；;：:。！？!?\n]", re.DOTALL)

# Verbs and function words around a figure that are not part of the indicator's name.
_LEADING_NOISE = re.compile(
    r"^(?:其中|同时|此外|另外|如|而|全年|当年|目前|已|累计|新增|新建|新认定|新获评|认定|获评|实现|完成|达到|"
    r"力争|预计|争取|确保|有望|将|全球|"
    r"建成|打造|培育|实施|入选|接入|评选|储备|整合|持续实施|首批认定|共同推进|突破|超过|超|近|约|达|为|"
    r"有|是|在|对|从|由|较|比|同比|全省|全市|全区|全县|全国|我国|本市|本省|共同推进|共计|共|"
    r"[一二三四五六七八九十]是)+"
)
_TRAILING_NOISE = re.compile(
    r"(?:同比|比上年|比去年|较上年|分别|累计|共|已|均|总计|合计|实现|完成|达到|达|突破|超过|超|近|约|"
    r"增长|增加|提升至|提高到|提高至|提升|提高|上升|下降|减少|回落|降低|为|是|有|至|到|居全国|位居|居|"
    r"保持在|保持|占比|占|比重|高于全国|高于|低于|从|由|变为|变成|在|中|平均|平均水平|跃居|跃升|居于|跃)+$"
)
_CHANGE_UP = re.compile(r"(?:增长|增加|提升|提高|上升|上涨|增|扩大)[了]?(?:超|近|约)?$")
_CHANGE_DOWN = re.compile(r"(?:下降|减少|降低|回落|下滑|收窄|下跌|降)[了]?(?:超|近|约)?$")
_GENERIC_HEADS = ("数量", "规模", "总量", "比重", "占比", "总额", "数", "水平", "增速")
_COMPARISON_WORDS = re.compile(
    r"(?P<yoy>同比)|(?P<prev>比上年(?:末)?|比去年|较上年|较去年)|(?P<same>比同期|较同期)|"
    r"(?P<cmp>(?P<dir>高于|低于|快于|慢于)(?P<base>全国|全省|全市|全区)(?:平均(?:水平)?)?)|"
    r"(?P<rank>居(?P<rankbase>全国|全省|全市|全球|世界)|位居(?P<rankbase2>全国|全省|全市)?)|"
    r"(?P<share>占(?P<sharebase>全国|全省|全市|全区)?)"
)
_BASELINES = {"全国": "national", "全省": "province", "全市": "city", "全区": "region", "全球": "world", "世界": "world"}
_ANAPHORA = re.compile(r"^(?:这一|该|此|上述)(?:数值|数字|指标|数据|比例|增速)")
# Cue words inside a document title 《…》 or a quoted name “…” are part of a name, not a cue.
_NAMES = re.compile(r"《[^》]*》|“[^”]*”|\"[^\"]*\"")
_CLASS_LABEL = re.compile(r"^(?:[十百千万]|十万|百万|千万)?(?:亿|万)?元?$")


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > start:
            yield start, match.end()
        start = match.end()
    if start < len(text):
        yield start, len(text)


def _clause_start(text: str, position: int, floor: int) -> int:
    """Start of the clause containing ``position``: just after the last clause break before it."""
    match = _LAST_CLAUSE_BREAK.search(text, floor, position)
    return match.end() if match else floor


def _clean_indicator(raw: str, periods: list[_When], offset: int) -> str:
    text = raw
    # Periods are not part of an indicator's name.
    for period in sorted(periods, key=lambda p: -p.start):
        lo, hi = period.start - offset, period.end - offset
        if 0 <= lo < hi <= len(text):
            text = text[:lo] + text[hi:]
    text = text.strip(" ，,、：:“”\"'（）()")
    previous = None
    while previous != text:
        previous = text
        text = _LEADING_NOISE.sub("", text)
        text = _TRAILING_NOISE.sub("", text)
        text = text.strip(" ，,、：:的")
    return text


def _following_noun(text: str, end: int) -> str:
    """The noun phrase right after a figure (13.3万家企业上云 -> 企业上云)."""
    match = re.match(r"[^，,。；;、！？!?\n()（）0-9]{1,16}", text[end:])
    if not match:
        return ""
    phrase = match.group()
    phrase = re.split(r"(?:同比|比上年|增长|下降|占|的|，|已|正|计划|完成|实现|达到|进入|分别|纳入|列入|在)", phrase, maxsplit=1)[0]
    return phrase.strip("“”\"' ").removesuffix("中")


def _mask_names(text: str) -> str:
    return _NAMES.sub(lambda m: "\u3000" * len(m.group()), text)


_NAME_OPENERS = re.compile(r"[《“\"]")


@dataclass(slots=True)
class _Cues:
    """Where a sentence's status and cumulative cues stand (names masked), found once per sentence."""

    estimates: list[int]  # end offsets of each cue
    targets: list[int]
    achieved: list[int]  # start offsets
    cumulative: list[int]  # end offsets

    @classmethod
    def of(cls, masked: str) -> _Cues:
        return cls(
            [m.end() for m in _ESTIMATE_CUES.finditer(masked)],
            [m.end() for m in _TARGET_CUES.finditer(masked)],
            [m.start() for m in _ACHIEVED.finditer(masked)],
            [m.end() for m in _CUMULATIVE_CUES.finditer(masked)],
        )

    def cumulative_before(self, position: int) -> bool:
        return bool(self.cumulative) and self.cumulative[0] <= position

    def achieved_after(self, cue_end: int, position: int) -> bool:
        return any(cue_end <= start < position for start in self.achieved)

    def status(self, position: int, default: Status) -> Status:
        """The status a figure at ``position`` takes from the cues before it.

        An achievement marker after the cue (到今年10月底，已经有3000多家…) says the goal date is past:
        the figure is actual.
        """
        estimate = max((end for end in self.estimates if end <= position), default=-1)
        target = max((end for end in self.targets if end <= position), default=-1)
        cue = max(estimate, target)
        if cue < 0:
            return default
        if self.achieved_after(cue - 1, position):
            return "actual"
        return "estimate" if estimate >= 0 else "target"


@dataclass
class _Section:
    """What a subheading and the opening sentence of its section say about the figures below."""

    status: Status = "actual"
    year: str | None = None


def _section_context(heading: str, opening: str, default_year: int | None) -> _Section:
    section = _Section()
    masked_heading, masked_opening = _mask_names(heading), _mask_names(opening)
    if _TARGET_CUES.search(masked_heading) or _TARGET_CUES.search(masked_opening[:40]):
        section.status = "target"
    for mention in find_periods(opening[:40], default_year=default_year):
        if mention.kind == "year" and mention.period and opening[mention.end : mention.end + 2] != "以来":
            section.year = mention.period
            break
    return section


def _comparison(sentence: str, quantity_start: int, quantity: _Figure) -> FactComparison | None:
    """The comparison stated right before a figure, within its clause."""
    clause_start = _clause_start(sentence, quantity_start, 0)
    window = sentence[clause_start:quantity_start]
    found: FactComparison | None = None
    for match in _COMPARISON_WORDS.finditer(window):
        if match.group("yoy"):
            found = FactComparison(kind="yoy", baseline="same_period_last_year", text=match.group())
        elif match.group("prev"):
            found = FactComparison(kind="vs_previous_year", baseline="previous_year", text=match.group())
        elif match.group("same"):
            found = FactComparison(kind="yoy", baseline="same_period_last_year", text=match.group())
        elif match.group("cmp"):
            direction: Literal["higher", "lower"] = "higher" if match.group("dir") in ("高于", "快于") else "lower"
            found = FactComparison(
                kind="vs_baseline",
                baseline=_BASELINES.get(match.group("base"), match.group("base")),
                direction=direction,
                difference=quantity.value if quantity.unit in ("percentage_point", "percent", "times") else None,
                unit=quantity.unit,
                text=match.group(),
            )
        elif match.group("rank") and quantity.unit == "rank":
            base = match.group("rankbase") or match.group("rankbase2")
            found = FactComparison(kind="rank", baseline=_BASELINES.get(base or ""), text=match.group())
        elif match.group("share") and quantity.unit == "percent":
            base = match.group("sharebase")
            found = FactComparison(kind="share", baseline=_BASELINES.get(base or ""), text=match.group())
    return found





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


@dataclass(slots=True)
class _Figure:
    """A quantity in sentence coordinates (a cheap shifted copy of a :class:`Quantity`)."""

    start: int
    end: int
    unit: str
    value: float | None
    value_max: float | None
    measure: str | None
    qualifier: str
    number_text: str
    prefix_qualifier: str | None

    @classmethod
    def of(cls, quantity: Quantity, shift: int) -> _Figure:
        return cls(
            quantity.start - shift, quantity.end - shift, quantity.unit, quantity.value, quantity.value_max,
            quantity.measure, quantity.qualifier, quantity.number_text, quantity.prefix_qualifier,
        )  # fmt: skip


@dataclass(slots=True)
class _When:
    """A period mention in sentence coordinates."""

    start: int
    end: int
    period: str | None
    kind: str
    cumulative: bool
    deadline: bool
    relative: str | None = None


@lru_cache(maxsize=8192)
def _translate(indicator: str) -> str | None:
    """The glossary's English label of an indicator (indicators repeat: looked up once each)."""
    return load_glossary().translate_indicator(indicator)


@lru_cache(maxsize=8192)
def _strip_leading_region(indicator: str) -> str:
    length = leading_region_length(indicator)
    if 0 < length < len(indicator):
        return indicator[length:].lstrip("的")
    return indicator


def _choose_indicator(
    sentence: str,
    quantity: _Figure,
    siblings: list[_Figure],
    clause_start: int,
    periods: list[_When],
    previous: str | None,
    comparison: FactComparison | None,
) -> str:
    """The Chinese noun phrase a figure measures (see the module docstring for the rules)."""
    raw_prefix = sentence[clause_start : quantity.start]
    if quantity.prefix_qualifier and raw_prefix.endswith(quantity.prefix_qualifier):
        raw_prefix = raw_prefix[: -len(quantity.prefix_qualifier)]
    if comparison is not None and comparison.kind == "vs_baseline" and previous:
        return previous
    items = _respectively(sentence[clause_start : siblings[0].start], len(siblings)) if len(siblings) > 1 else None
    if items is not None:
        return _strip_leading_region(_clean_indicator(items[siblings.index(quantity)], [], 0))
    earlier = [q for q in siblings if q.start < quantity.start]
    prefix = sentence[earlier[-1].end : quantity.start] if earlier else raw_prefix
    offset = earlier[-1].end if earlier else clause_start
    following = _clean_indicator(_following_noun(sentence, quantity.end), [], 0)
    if comparison is not None and comparison.kind == "share":
        share_at = prefix.find("占")
        subject = _clean_indicator(prefix[:share_at], periods, offset) if share_at > 0 else ""
        subject = subject or previous or ""
        return subject + prefix[share_at:].rstrip("达为近超约") if share_at >= 0 else subject
    if _ANAPHORA.match(prefix.lstrip("而，, ")) and previous:
        return previous
    if earlier and prefix.strip().rstrip("、和及与") == "":
        return following or previous or ""
    if earlier and prefix.rstrip().endswith(("、", "和", "及", "与")):
        return following or _clean_indicator(prefix, periods, offset)
    indicator = _strip_leading_region(_clean_indicator(prefix, periods, offset))
    if quantity.unit == "count" and following:
        # NUM + measure word + NOUN: the noun after the figure is what is counted.
        named = re.search(r"“[^”]+”$", prefix.rstrip())
        return (named.group() if named else "") + following
    if not indicator:
        indicator = following
    if not indicator and not earlier:
        # 货邮运输量持续保持高位，完成67.5万吨: the subject stands in the clause before.
        indicator = _subject_of_previous_clause(sentence, clause_start, siblings)
    if indicator and previous and indicator in _GENERIC_HEADS:
        indicator = previous + indicator
    return indicator or previous or ""


_SUBJECT_END = re.compile(r"持续|保持|实现|完成|达到|增长|下降|稳步|加快|继续|进一步|均|同比|比上年|达|为|是|有")


def _subject_of_previous_clause(sentence: str, clause_start: int, siblings: list[_Figure]) -> str:
    if clause_start == 0:
        return ""
    previous_start = _clause_start(sentence, clause_start - 1, 0)
    previous_clause = sentence[previous_start : clause_start - 1]
    if any(char.isdigit() for char in previous_clause):
        return ""  # that clause has figures of its own; its subject was already used
    verb = _SUBJECT_END.search(previous_clause)
    if verb is None or verb.start() == 0:
        return ""
    return _strip_leading_region(_clean_indicator(previous_clause[: verb.start()], [], 0))


def _lines(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def facts_for_segment(segment: Segment, default_year: int | None = None) -> list[Fact]:
    """Every figure of one article, with indicator, period, status and comparison."""
    glossary = load_glossary()
    mapped = segment.normalized
    text = mapped.text
    segment_region = segment.region
    headings = {normalize_string(heading) for heading in segment.subheadings}
    facts: list[Fact] = []
    lines = list(_lines(text))
    # The lead's opening year (2023年，重庆市…取得积极进展) frames the whole article until a section says otherwise.
    lead = text[slice(*lines[0])] if lines else ""
    section = _Section(year=_section_context("", lead, default_year).year)
    # One scan of the whole article; paragraphs and sentences take their share.
    scans = _Scans(find_quantities(text), find_periods(text, default_year=default_year), find_regions(text))
    for number, (line_start, line_end) in enumerate(lines):
        line = text[line_start:line_end]
        following_line = text[slice(*lines[number + 1])] if number + 1 < len(lines) else ""
        if line in headings:
            # A heading and the opening of its section frame the figures below (力争今年… / 2024年，…将…);
            # a figure in the heading itself shares that frame.
            section = _section_context(line, following_line, default_year)
        facts.extend(
            _facts_of_paragraph(segment, text, line_start, line_end, section, scans, segment_region, glossary)
        )
    return _merge_repeats(facts, segment)


def _facts_of_paragraph(
    segment: Segment,
    text: str,
    paragraph_start: int,
    paragraph_end: int,
    section: _Section,
    scans: _Scans,
    segment_region: Region | None,
    glossary: Glossary,
) -> list[Fact]:
    mapped = segment.normalized
    facts: list[Fact] = []
    previous_indicator: str | None = None
    paragraph_year: str | None = None
    paragraph = text[paragraph_start:paragraph_end]
    for local_start, local_end in _sentences(paragraph):
        sent_start = paragraph_start + local_start
        sent_end = paragraph_start + local_end
        sentence = paragraph[local_start:local_end]
        mentions = scans.periods_in(sent_start, sent_end)
        quantities = [_Figure.of(q, sent_start) for q in scans.quantities_in(sent_start, sent_end)]
        if not quantities and not mentions:
            continue
        masked = _mask_names(sentence) if _NAME_OPENERS.search(sentence) else sentence
        periods = [
            _When(p.start - sent_start, p.end - sent_start, p.period, p.kind, p.cumulative, p.deadline, p.relative)
            for p in mentions
        ]
        # Time expressions inside names, and starting points (自2015年以来), frame no figure.
        periods = [
            p for p in periods if masked[p.start : p.end] == sentence[p.start : p.end] and not _is_since(sentence, p)
        ]
        if quantities:
            cues = _Cues.of(masked)
            sentence_regions = scans.regions_in(sent_start, sent_end)
            region = sentence_regions[0].region if sentence_regions else segment_region
            by_clause: dict[int, list[_Figure]] = {}
            indicators_by_clause: dict[int, list[str]] = {}
            clause_of: list[int] = []
            for quantity in quantities:
                clause_of.append(_clause_start(sentence, quantity.start, 0))
                by_clause.setdefault(clause_of[-1], []).append(quantity)
            for quantity, clause_start in zip(quantities, clause_of, strict=True):
                if _is_class_label(quantity, sentence):
                    continue
                comparison = _comparison(sentence, quantity.start, quantity)
                siblings = by_clause[clause_start]
                indicator = _respectively_from_previous_clause(
                    sentence, quantity, siblings, clause_start, indicators_by_clause
                ) or _choose_indicator(
                    sentence, quantity, siblings, clause_start, periods, previous_indicator, comparison
                )
                if indicator:
                    previous_indicator = indicator
                    indicators_by_clause.setdefault(clause_start, []).append(indicator)
                change = _change(sentence, quantity, siblings, clause_start)
                before = [p for p in periods if p.end <= quantity.start]
                # The nearest time expression governs, even one without a year (一季度, 今年前十个月):
                # then the period is unknown rather than borrowed from another sentence.
                governing = [p for p in before if p.period or p.kind != "relative" or p.relative == "this_year"]
                period = _period_of(governing[-1], section) if governing else paragraph_year or section.year
                deadline = any(p.deadline for p in before)
                cumulative = cues.cumulative_before(quantity.start) or any(p.cumulative for p in before)
                status = cues.status(quantity.start, section.status)
                if deadline and status == "actual" and not cues.achieved_after(-1, quantity.start):
                    status = "target"
                start, end = mapped.to_original(sent_start + quantity.start, sent_start + quantity.end)
                translation = _translate(indicator) if indicator else None
                facts.append(
                    Fact(
                        segment=segment.index,
                        text=segment.original_text(start, end),
                        start=start,
                        end=end,
                        value=quantity.value,
                        value_max=quantity.value_max,
                        unit=quantity.unit,
                        measure=quantity.measure,
                        qualifier=quantity.qualifier,
                        indicator_zh=indicator or None,
                        indicator_en=translation,
                        indicator_translated=translation is not None,
                        change=change,
                        period=period,
                        cumulative=cumulative,
                        status=status,
                        comparison=comparison,
                        region=region,
                        sentence=sentence.strip(),
                    )
                )
        years = [p.period for p in periods if p.kind == "year" and p.period and not p.deadline]
        if years:
            paragraph_year = years[-1]
    return facts


_Spanned = TypeVar("_Spanned", Quantity, PeriodMention, RegionMention)


def _within(items: list[_Spanned], starts: list[int], start: int, end: int) -> list[_Spanned]:
    result: list[_Spanned] = []
    for item in items[bisect_left(starts, start) :]:
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


def _period_of(mention: _When, section: _Section) -> str | None:
    """A mention's period; 今年 (this year) in a plan section is the plan's year (力争今年… under 2024年，…将…)."""
    if mention.period or not mention.relative or not mention.relative.startswith("this_year"):
        return mention.period
    if section.status != "target" or section.year is None:
        return None  # 今年 in a report on last year's results: which year is not said
    partial = mention.relative.partition(":")[2]  # "--01/--10" for 今年1—10月
    return partial.replace("--", f"{section.year}-") if partial else section.year


def _is_since(sentence: str, period: _When) -> bool:
    """自2015年以来 / 2015年以来: a starting point, not the period a figure belongs to."""
    return sentence[period.end : period.end + 2] == "以来"


def _change(sentence: str, quantity: _Figure, siblings: list[_Figure], clause_start: int) -> Literal["increase", "decrease"] | None:
    """增长/下降 before the figure; for a listed figure (分别增长17.9%和16.8%) the verb before the list."""
    if quantity.unit == "rank":
        return None
    zone = sentence[clause_start : quantity.start]
    earlier = [q for q in siblings if q.start < quantity.start]
    if earlier and sentence[earlier[-1].end : quantity.start].strip(" 、和及与,，") == "":
        zone = sentence[clause_start : siblings[0].start]
    if _CHANGE_DOWN.search(zone):
        return "decrease"
    if _CHANGE_UP.search(zone):
        return "increase"
    return None


def _respectively_from_previous_clause(
    sentence: str,
    quantity: _Figure,
    siblings: list[_Figure],
    clause_start: int,
    indicators_by_clause: dict[int, list[str]],
) -> str:
    """分别 whose items stand in the clause before.

    增值税12.8亿元、城镇土地使用税9.5亿元、城市维护建设税3.3亿元，同比分别增长210.8%、29.5%、17.8%: the
    rates go, in order, to the figures of the clause before. 功率半导体及集成电路、传感器及仪器仪表等领域
    发展迅速，增加值分别增长18.9%和12.8%: to the listed items of the clause before.
    """
    own = sentence[clause_start : siblings[0].start]
    if len(siblings) < 2 or "分别" not in own or _respectively(own, len(siblings)) is not None:
        return ""
    number = siblings.index(quantity)
    previous_start = _clause_start(sentence, clause_start - 1, 0) if clause_start else 0
    previous_indicators = indicators_by_clause.get(previous_start, [])
    if len(previous_indicators) == len(siblings):
        return previous_indicators[number]
    previous_clause = sentence[previous_start : max(previous_start, clause_start - 1)]
    if previous_indicators or any(char.isdigit() for char in previous_clause):
        return ""
    items = [item for item in previous_clause.split("、") if item]
    if len(items) != len(siblings):
        return ""
    item = items[number]
    if number == 0 and "中" in item:
        item = item[item.rfind("中") + 1 :]  # 新一代电子信息制造业中功率半导体…: the list starts after 中
    item = re.split(r"等(?:领域|行业|产业|方面)?", item, maxsplit=1)[0]
    head = _clean_indicator(own.split("分别")[0], [], 0)
    return _clean_indicator(item, [], 0) + head


def _is_class_label(quantity: _Figure, sentence: str) -> bool:
    """千亿元级企业, 百亿元企业: a size class, not an amount."""
    if quantity.number_text not in ("十", "百", "千", "万", "亿", "千万", "百万"):
        return False
    return sentence[quantity.end : quantity.end + 1] in ("级", "企", "产", "项")


def _merge_repeats(facts: list[Fact], segment: Segment) -> list[Fact]:
    """A figure restated (subheading, lead, summary) is one fact with ``also_at`` spans."""
    kept: dict[tuple[Any, ...], int] = {}
    result: list[Fact] = []
    for fact in facts:
        key = (fact.indicator_zh, fact.value, fact.value_max, fact.unit, fact.period, fact.status, fact.change)
        if fact.indicator_zh and key in kept:
            index = kept[key]
            result[index] = result[index].model_copy(update={"also_at": [*result[index].also_at, (fact.start, fact.end)]})
            continue
        kept[key] = len(result)
        result.append(fact)
    return result


def extract_facts(page: SegmentedPage, default_year: int | None = None) -> FactTable:
    """The fact table of a whole page."""
    facts: list[Fact] = []
    for segment in page.segments:
        facts.extend(facts_for_segment(segment, default_year=default_year))
    return FactTable(source=page.source, facts=facts)
