"""Verify a briefing against its source: every quote, number, unit, qualifier, status, period and hedge.

The verifier is pure (no I/O except :func:`verify_file`) and fast, and runs in two places:

* standalone — :func:`verify_briefing` checks a whole :class:`~summarizer.briefing.models.PageBriefing`
  against the segmented page and returns a :class:`VerificationReport` (``summarizer verify``);
* inside an LLM call — :func:`verify_article` checks one :class:`~summarizer.briefing.models.ArticleBriefing`
  against its segment; the schema's validators call it through :func:`validate_article_in_context`
  and turn failures into a message that tells the model what to fix.

What is checked, per article:

* **grounding** — every ``source_quote`` (metrics, targets, caveats), ``name_zh``, headline, byline
  and tag occurs verbatim in the article after the same normalisation as ingest (NFKC, quotation
  marks, spaces next to CJK); quotes are found in the repaired body, or failing that in the
  article's original text (a pull-quote is still source text). Spans are filled in or checked;
* **value** — a metric's value, unit, scale and qualifier agree with the quantity parsed from its
  quote (:mod:`summarizer.rules.quantities`); of several quantities in a quote the best match is judged
  and the nearest one named in the message; comparison numbers must be in the quote too;
* **status and period** — against the rule-based fact at that span (:mod:`summarizer.rules.facts`):
  a target stays a target, an estimate stays an estimate, 2023 is not 2022;
* **English prose** — every number in the headline, summary, key points, indicators and
  descriptions must equal a quantity of the same article in value (the source's own precision,
  whatever scale words the English uses: 1.7万亿 is "1.7 trillion" or "1,700 billion") and unit,
  with its qualifier ("more than" vs "nearly"). A rounded number ("2 trillion" for 1.7万亿,
  "5%" for 4.6%) is a wrong value unless the prose marks it as approximate right before it
  ("about", "around", "roughly", "nearly", "some", "~" …), and then only when it is the source's
  figure rounded to the precision the English states, within 10% of it, and never "nearly X" for
  a figure above X; a bound ("more than", "tops", "under" …) must be the source's own figure;
  years must be years of the article; a sentence whose number matches only targets or estimates
  must say so ("aims", "target", "expected", "estimated", "will" …);
* **coverage** — which rule-based facts the briefing does not mention (a ratio, not a failure).
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, Protocol, cast

from pydantic import BaseModel, ConfigDict, Field, computed_field

from summarizer.briefing.models import (
    UNITS,
    ArticleBriefing,
    Metric,
    PageBriefing,
    Span,
    Status,
    UnverifiedClaim,
    Verdict,
    VerificationSummary,
)
from summarizer.rules.facts import extract_facts
from summarizer.rules.numerals import parse_number
from summarizer.rules.periods import PeriodMention, find_periods
from summarizer.rules.quantities import find_quantities, parse_quantity
from summarizer.text.textmap import MappedText, normalize
from summarizer.text.textmap import normalize_string as _normalize_string
from summarizer.verify.english_numbers import (
    APPROXIMATE,
    EnglishNumber,
    content_words,
    find_english_numbers,
    hedge_positions,
    is_hedged,
    may_contain_number,
    nearest_years,
    number_context,
    sentences,
)

if TYPE_CHECKING:
    from rich.console import Console

    from summarizer.layout.segment import Segment, SegmentedPage

__all__ = [
    "VERIFIER_VERSION",
    "ArticleCheck",
    "ArticleCoverage",
    "ArticleSource",
    "ClaimResult",
    "FactLike",
    "FactTableLike",
    "UnmentionedFact",
    "VerificationReport",
    "annotate_briefing",
    "check_article",
    "coverage_of_article",
    "print_report_table",
    "quarantine_unverified",
    "report_to_json",
    "verify_article",
    "verify_briefing",
]

VERIFIER_VERSION = "1"

# --- the contract of the rule-based facts (summarizer.rules.facts) -----------------------------------------


class FactLike(Protocol):
    """What the verifier reads from a rule-based fact (see ``summarizer.rules.facts.Fact``)."""

    @property
    def segment(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def value(self) -> float | None: ...
    @property
    def value_max(self) -> float | None: ...
    @property
    def unit(self) -> str: ...
    @property
    def qualifier(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def period(self) -> str | None: ...
    @property
    def indicator_zh(self) -> str | None: ...


class FactTableLike(Protocol):
    """A table of facts for a page (see ``summarizer.rules.facts.FactTable``)."""

    @property
    def facts(self) -> Sequence[FactLike]: ...


# --- the report ----------------------------------------------------------------------------------------


class ClaimResult(BaseModel):
    """The verdict on one claim of a briefing."""

    model_config = ConfigDict(frozen=True)

    pointer: str = Field(description="JSON pointer into the briefing, e.g. /articles/0/metrics/3/value.")
    claim: str = Field(description="The claimed text or value.")
    verdict: Verdict
    span: Span | None = Field(
        default=None, description="Source span (original-file offsets) of the evidence."
    )
    message: str = Field(description="What was found and what to do about it.")

    @property
    def ok(self) -> bool:
        return self.verdict == "verified"


class UnmentionedFact(BaseModel):
    """A figure the rule-based extractor found that the briefing does not mention."""

    model_config = ConfigDict(frozen=True)

    text: str
    value: float
    unit: str
    status: Status | None = None
    period: str | None = None
    indicator_zh: str | None = None
    span: Span


class ArticleCoverage(BaseModel):
    """How many of an article's rule-based facts the briefing mentions."""

    model_config = ConfigDict(frozen=True)

    article: int
    headline: str
    facts_found: int
    facts_mentioned: int
    ratio: float | None
    unmentioned: list[UnmentionedFact] = Field(default_factory=list)


class VerificationReport(BaseModel):
    """Every claim of a briefing with its verdict, and the coverage of each article."""

    source: str | None = None
    briefing: str | None = None
    verifier_version: str = VERIFIER_VERSION
    claims: list[ClaimResult] = Field(default_factory=list)
    coverage: list[ArticleCoverage] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failures(self) -> int:
        return sum(1 for claim in self.claims if not claim.ok)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return self.failures == 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exit_code(self) -> int:
        """0 when every claim is verified, 1 when any failed (2 is for unusable input, raised as errors)."""
        return 0 if self.ok else 1

    def failed(self) -> list[ClaimResult]:
        return [claim for claim in self.claims if not claim.ok]

    def verdict_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for claim in self.claims:
            counts[claim.verdict] = counts.get(claim.verdict, 0) + 1
        return counts


# --- evidence: the quantities of one article with status and period ---------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quantity of the source with what the rules know about it."""

    norm_start: int
    norm_end: int
    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    unit: str
    qualifier: str
    status: Status | None
    period: str | None
    decline: bool
    indicator_zh: str | None = None
    label: bool = False  # a class label (千亿元级, 六大): supports prose, not counted as a fact
    context_period: str | None = None  # the nearest period stated before it in the article

    @property
    def known_period(self) -> str | None:
        """The period a claim is held to: the rules' period, else the article's period at that point."""
        return self.period if self.period is not None else self.context_period

    def prose_value(self) -> float:
        """The value as English prose states it: fractions and permille as percent."""
        if self.unit == "fraction":
            return abs(self.value) * 100
        if self.unit == "permille":
            return abs(self.value) / 10
        return abs(self.value)

    def prose_unit(self) -> str:
        return "percent" if self.unit in ("fraction", "permille") else self.unit


_COUNT_UNITS = frozenset({"count", "number"})
_DECLINE_RE = re.compile(r"(?:下降|减少|降低|回落|下滑|缩小|收窄|下跌|减)了?(?:超过|超|近|约|达到|达)?$")
# Hedge cues, a superset of summarizer.rules.facts' so that the refinements below only ever narrow it.
_ESTIMATE_RE = re.compile(r"预计|预期(?!目标)|有望|估计|初步|约计|预测")
_TARGET_RE = re.compile(
    r"力争|目标|争取|确保|计划(?!总投资|投资|单列)|规划到|拟|将(?![近])|到20\d\d年|20\d\d年(?:底|年底)?前|"
    r"要(?:达到|实现|突破|超过)"
)
# Titles and quoted names: a cue inside 《…行动计划》 or “…目标…” says nothing about the figure.
_TITLES_RE = re.compile(r"《[^》]*》|\"[^\"\n]{0,24}\"")
_PLAN_HEADING_RE = re.compile(r"力争|目标|争取|计划|将(?![近])")
_PLAN_OPENING_RE = re.compile(
    r"^(?:(?:19|20)\d\d年|今年|明年|下一步)[，,]?[^。\n]*?(?:将(?![近])|力争|计划|目标)"
)
_SENTENCE_END = "。！？!?\n"
_YEAR_IN_PERIOD = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_CJK_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")


@lru_cache(maxsize=16384)
def _matching_form(text: str) -> str:
    """The ingest normalisation of a short string (quotes, names), cached: briefings repeat them."""
    return _normalize_string(text)


def _period_years(period: str | None) -> set[int]:
    if not period:
        return set()
    years = [int(y) for y in _YEAR_IN_PERIOD.findall(period)]
    if not years:
        return set()
    return set(range(min(years), max(years) + 1))


def _sentence_start(text: str, position: int) -> int:
    return max(text.rfind(c, 0, position) for c in _SENTENCE_END) + 1


def _cue_status(prefix: str) -> Status | None:
    if _ESTIMATE_RE.search(prefix):
        return "estimate"
    if _TARGET_RE.search(prefix):
        return "target"
    return None


def _fallback_status(text: str, start: int) -> Status | None:
    """Status from hedge words earlier in the same sentence; None when the sentence has none."""
    return _cue_status(_TITLES_RE.sub("", text[_sentence_start(text, start) : start]))


def _plan_sections(text: str, subheadings: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of sections that set out plans: a subheading with a target cue (力争今年…增长7%), or one
    whose first sentence opens with a year and a cue (2024年，…将…). Every figure in such a section
    is a goal even when its own sentence carries no cue (滚动实施…，加快培育10个千亿元级企业)."""
    starts: list[tuple[int, str]] = []
    position = 0
    for heading in subheadings:
        needle = _matching_form(heading).strip()
        found = text.find(needle, position) if needle else -1
        if found >= 0:
            starts.append((found, needle))
            position = found + len(needle)
    sections: list[tuple[int, int]] = []
    for number, (start, heading) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(text)
        body = text[start + len(heading) : end].lstrip("\n")
        if _PLAN_HEADING_RE.search(_TITLES_RE.sub("", heading)) or _PLAN_OPENING_RE.match(body):
            sections.append((start, end))
    return sections


def _refined_status(
    ruled: Status | None, text: str, start: int, plan_sections: Sequence[tuple[int, int]]
) -> Status | None:
    """The status the verifier holds a claim to, from the rules' status at the figure.

    Two refinements on the sentence-level rules: a cue that stands only inside a title or quoted
    name (《…行动计划》) does not make a figure a target; and a figure in a plan section
    (:func:`_plan_sections`) is a target when its sentence has no cue of its own.
    """
    raw_prefix = text[_sentence_start(text, start) : start]
    if (
        ruled in ("target", "estimate")
        and _cue_status(raw_prefix)
        and not _cue_status(_TITLES_RE.sub("", raw_prefix))
    ):
        ruled = "actual"
    if ruled in (None, "actual") and any(lo <= start < hi for lo, hi in plan_sections):
        return "target"
    return ruled


def _period_anchors(periods: Sequence[PeriodMention]) -> list[tuple[int, str | None]]:
    """(position, period) of every period mention that sets the time of what follows.

    累计 / 截至 (to date) say nothing about the year and are skipped; a relative year (今年) that
    the rules could not resolve is kept with period None, so it hides an earlier explicit year.
    """
    anchors: list[tuple[int, str | None]] = []
    for mention in periods:
        relative = mention.relative or ""
        if mention.period is None and (not relative or relative.startswith("to_date")):
            continue
        anchors.append((mention.start, mention.period))
    return anchors


def _period_before(anchors: list[tuple[int, str | None]], position: int) -> str | None:
    index = bisect_right(anchors, (position, "\uffff")) - 1
    while index >= 0 and anchors[index][0] >= position:
        index -= 1
    return anchors[index][1] if index >= 0 else None


def _fallback_period(periods: Sequence[PeriodMention], start: int, text: str) -> str | None:
    """The last period stated before ``start`` in its sentence (when no fact table is given)."""
    sentence_start = _sentence_start(text, start)
    best: str | None = None
    for mention in periods:
        if sentence_start <= mention.start and mention.end <= start and mention.period:
            best = mention.period
    return best


@dataclass
class ArticleSource:
    """One article's text in matching form, its quantities and everything derived once for checks.

    Build it with :meth:`from_segment` (spans in original-file offsets) or :meth:`from_text`
    (spans in offsets of that text).
    """

    index: int
    title: str
    mapped: MappedText  # normalised repaired body, mapped to original offsets
    evidence: list[Evidence]
    years: set[int]
    name_runs: set[str]
    facts_from: Literal["facts", "rules_fallback"]
    fallback_text: MappedText | None = None  # normalised original text of the whole article
    fallback_offset: int = 0
    original: str | None = None  # the whole file text, when known (to tell layout gaps from text)
    anchors: list[tuple[int, str | None]] = field(default_factory=list)
    period_spans: list[tuple[int, int, str]] = field(default_factory=list)
    _stripped: tuple[str, list[int]] | None = field(default=None, repr=False)

    # -- construction ------------------------------------------------------------------------------

    @classmethod
    def from_segment(
        cls, segment: Segment, facts: Sequence[FactLike] | None = None, original: str | None = None
    ) -> ArticleSource:
        """The source of ``segment``; ``facts`` are that segment's rule-based facts (None: fallback rules)."""
        fallback: MappedText | None = None
        if original is not None:
            fallback = normalize(original[segment.start : segment.end])
        source = cls._build(
            segment.index,
            segment.title or "",
            segment.normalized,
            facts,
            fallback,
            segment.start,
            segment.subheadings,
        )
        source.original = original if original is not None else segment.document_text or None
        return source

    @classmethod
    def from_text(cls, text: str, facts: Sequence[FactLike] | None = None, title: str = "") -> ArticleSource:
        """The source of a plain article text (spans are offsets into ``text``)."""
        return cls._build(0, title, normalize(text), facts, None, 0)

    @classmethod
    def _build(
        cls,
        index: int,
        title: str,
        mapped: MappedText,
        facts: Sequence[FactLike] | None,
        fallback: MappedText | None,
        fallback_offset: int,
        subheadings: Sequence[str] = (),
    ) -> ArticleSource:
        text = mapped.text
        periods = find_periods(text)
        plan_sections = _plan_sections(text, subheadings)
        anchors = _period_anchors(periods)
        # The extractor's quantities are the evidence (a fact table may leave some out); the facts
        # tell what the rules know about them: status, period, indicator.
        fact_index = _index_facts(facts) if facts is not None else {}
        evidence: list[Evidence] = []
        for quantity in find_quantities(text):
            if quantity.value is None:
                continue
            start, end = mapped.to_original(quantity.start, quantity.end)
            fact = _fact_at(facts, start, end, quantity.value, fact_index) if facts is not None else None
            if fact is not None:
                status: Status | None = cast("Status", fact.status) if fact.status in _STATUSES else None
                period = fact.period
                indicator = fact.indicator_zh
            else:
                status = _fallback_status(text, quantity.start)
                period = _fallback_period(periods, quantity.start, text)
                indicator = None
            evidence.append(
                Evidence(
                    norm_start=quantity.start,
                    norm_end=quantity.end,
                    start=start,
                    end=end,
                    text=quantity.text,
                    value=float(quantity.value),
                    value_max=None if quantity.value_max is None else float(quantity.value_max),
                    unit=str(quantity.unit),
                    qualifier=quantity.qualifier,
                    # The facts already scope status to sections and ignore cues inside names; only a
                    # figure the fact table lacks needs the verifier's own refinement.
                    status=status
                    if fact is not None
                    else _refined_status(status, text, quantity.start, plan_sections),
                    period=period,
                    decline=bool(_DECLINE_RE.search(text[max(0, quantity.start - 8) : quantity.start])),
                    indicator_zh=indicator,
                    context_period=_period_before(anchors, quantity.start),
                )
            )
        evidence.extend(_class_labels(text, mapped, evidence, periods, plan_sections))
        years: set[int] = set()
        for mention in periods:
            years |= _period_years(mention.period)
        years |= {int(y) for y in _CJK_YEAR.findall(text)}
        years |= {int(y) for y in _CJK_YEAR.findall(_matching_form(title))}
        for item in evidence:
            years |= _period_years(item.period)
        name_runs = set(re.findall(r"\d+", text)) | set(re.findall(r"\d+", _matching_form(title)))
        if fallback is not None:
            name_runs |= set(re.findall(r"\d+", fallback.text))
            years |= {int(y) for y in _CJK_YEAR.findall(fallback.text)}
        return cls(
            index=index,
            title=title,
            mapped=mapped,
            evidence=evidence,
            years=years,
            name_runs=name_runs,
            facts_from="facts" if facts is not None else "rules_fallback",
            fallback_text=fallback,
            fallback_offset=fallback_offset,
            anchors=anchors,
            period_spans=[(m.start, m.end, m.period) for m in periods if m.period],
        )

    # -- lookups ----------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.mapped.text

    def locate(self, quote: str) -> tuple[int, int, Span] | None:
        """(normalised start, end, original span) of ``quote`` in the body; start is -1 when found
        only in the article's original text (e.g. a pull-quote)."""
        needle = _matching_form(quote).strip()
        if not needle:
            return None
        position = self.text.find(needle)
        if position >= 0:
            start, end = self.mapped.to_original(position, position + len(needle))
            return position, position + len(needle), Span(start=start, end=end)
        if self.fallback_text is not None:
            position = self.fallback_text.text.find(needle)
            if position >= 0:
                start, end = self.fallback_text.to_original(position, position + len(needle))
                offset = self.fallback_offset
                return -1, -1, Span(start=start + offset, end=end + offset)
        return self._locate_ignoring_quotes(needle)

    def _locate_ignoring_quotes(self, needle: str) -> tuple[int, int, Span] | None:
        """Names are written with or without quotation marks (专精特新“小巨人” / 专精特新小巨人)."""
        bare = re.sub(r"[\"'《》〈〉「」]", "", needle)
        if not bare:
            return None
        if self._stripped is None:
            kept = [i for i, char in enumerate(self.text) if char not in "\"'《》〈〉「」"]
            self._stripped = ("".join(self.text[i] for i in kept), kept)
        stripped, kept = self._stripped
        position = stripped.find(bare)
        if position < 0:
            return None
        start = kept[position]
        end = kept[position + len(bare) - 1] + 1
        original_start, original_end = self.mapped.to_original(start, end)
        return start, end, Span(start=original_start, end=original_end)

    def years_at(self, needle: str) -> set[int]:
        """Years the article gives for the passages where ``needle`` occurs: the period in force at
        each occurrence and the periods stated in its sentence."""
        target = _matching_form(needle).strip()
        years: set[int] = set()
        if not target:
            return years
        position = self.text.find(target)
        while position >= 0:
            years |= _period_years(_period_before(self.anchors, position + len(target)))
            start = _sentence_start(self.text, position)
            end_candidates = [self.text.find(c, position) for c in _SENTENCE_END]
            end = min([e for e in end_candidates if e >= 0] + [len(self.text)])
            for lo, hi, period in self.period_spans:
                if start <= lo and hi <= end:
                    years |= _period_years(period)
            position = self.text.find(target, position + len(target))
        return years

    def evidence_in(self, norm_start: int, norm_end: int) -> list[Evidence]:
        return [e for e in self.evidence if norm_start <= e.norm_start and e.norm_end <= norm_end]

    def parse_quote(self, quote: str, span: Span) -> list[Evidence]:
        """Quantities of a quote found only in the original text (not in the repaired body)."""
        needle = _matching_form(quote).strip()
        found: list[Evidence] = []
        for quantity in find_quantities(needle):
            if quantity.value is None:
                continue
            match = self._evidence_like(float(quantity.value), str(quantity.unit))
            found.append(
                Evidence(
                    norm_start=-1,
                    norm_end=-1,
                    start=span.start,
                    end=span.end,
                    text=quantity.text,
                    value=float(quantity.value),
                    value_max=None if quantity.value_max is None else float(quantity.value_max),
                    unit=str(quantity.unit),
                    qualifier=quantity.qualifier,
                    status=match.status if match else _fallback_status(needle, quantity.start),
                    period=match.period if match else None,
                    decline=bool(_DECLINE_RE.search(needle[max(0, quantity.start - 8) : quantity.start])),
                )
            )
        return found

    def _evidence_like(self, value: float, unit: str) -> Evidence | None:
        for item in self.evidence:
            if _same_value(item.value, value) and _units_compatible(item.unit, unit):
                return item
        return None


_STATUSES = frozenset({"actual", "estimate", "target"})

# Class labels the quantity extractor leaves out on purpose (千亿元级企业, 六大集群, 500强) are still
# true statements of the source: "six advanced manufacturing clusters", "100-billion-yuan
# enterprises". They support English prose and metrics, but are not facts for coverage.
_LABEL_RE = re.compile(
    r"(?P<money>[0-9.]*[十百千万亿]+元)(?:级)?"
    r"|(?<![0-9一二两三四五六七八九十百千万亿第])(?P<big>[一二两三四五六七八九十]{1,3})大(?=[\u4e00-\u9fff])"
    r"|(?<![0-9.])(?P<top>[0-9]+)强"
)


def _class_labels(
    text: str,
    mapped: MappedText,
    known: list[Evidence],
    periods: Sequence[PeriodMention],
    plan_sections: list[tuple[int, int]],
) -> list[Evidence]:
    labels: list[Evidence] = []
    for match in _LABEL_RE.finditer(text):
        group = match.lastgroup or ""
        start, end = match.span(group)
        if any(e.norm_start < end and start < e.norm_end for e in known):
            continue
        piece = match.group(group)
        if group == "money":
            quantity = parse_quantity(piece)
            if quantity is None or quantity.value is None:
                continue
            value, unit = float(quantity.value), str(quantity.unit)
        else:
            number = parse_number(piece)
            if number is None:
                continue
            value, unit = float(number), "count" if group == "big" else "number"
        original = mapped.to_original(start, end)
        labels.append(
            Evidence(
                norm_start=start,
                norm_end=end,
                start=original[0],
                end=original[1],
                text=match.group(),
                value=value,
                value_max=None,
                unit=unit,
                qualifier="exact",
                status=_refined_status(_fallback_status(text, start), text, start, plan_sections),
                period=_fallback_period(periods, start, text),
                decline=False,
                label=True,
            )
        )
    return labels


def _index_facts(facts: Sequence[FactLike]) -> dict[tuple[int, int], FactLike]:
    index: dict[tuple[int, int], FactLike] = {}
    for fact in facts:
        for span in [(fact.start, fact.end), *getattr(fact, "also_at", ())]:
            index.setdefault((int(span[0]), int(span[1])), fact)
    return index


def _fact_at(
    facts: Sequence[FactLike], start: int, end: int, value: float, index: Mapping[tuple[int, int], FactLike]
) -> FactLike | None:
    """The fact stated at original span [start, end) (its own span or one of its ``also_at`` spans)."""
    exact = index.get((start, end))
    if exact is not None:
        return exact
    best: FactLike | None = None
    for fact in facts:
        spans = [(fact.start, fact.end), *getattr(fact, "also_at", ())]
        overlaps = any(lo < end and start < hi for lo, hi in spans)
        same = fact.value is not None and _same_value(abs(float(fact.value)), abs(float(value)))
        if overlaps and (best is None or same):
            best = fact
    return best


# --- comparisons -----------------------------------------------------------------------------------------


def _same_value(a: float, b: float, tolerance: float = 0.0) -> bool:
    return abs(a - b) <= max(tolerance, 1e-9 * max(abs(a), abs(b), 1.0))


def _units_compatible(claimed: str, source: str) -> bool:
    return claimed == source or (claimed in _COUNT_UNITS and source in _COUNT_UNITS)


def _power_of_ten(claimed: float, source: float) -> int | None:
    if claimed == 0 or source == 0:
        return None
    exponent = math.log10(abs(claimed) / abs(source))
    rounded = round(exponent)
    if rounded != 0 and abs(exponent - rounded) < 1e-6:
        return int(rounded)
    return None


_UNIT_WORDS = {
    "CNY": "yuan (CNY)",
    "USD": "US dollars",
    "percent": "percent",
    "percentage_point": "percentage points (个百分点)",
    "times": "times (倍)",
    "rank": "a rank (第N位)",
    "count": "a count",
    "number": "a number",
}


def _fmt(value: float) -> str:
    if value == int(value) and abs(value) < 1e16:
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1e6 else f"{value:g}"


def _describe(item: Evidence) -> str:
    return f"{item.text} ({_fmt(item.value)} {item.unit})"


def _scale_hint(exponent: int) -> str:
    hints = {
        4: "万 is 10^4, 亿 is 10^8: a 亿 read as 万 or the reverse",
        -4: "万 is 10^4, 亿 is 10^8: a 亿 read as 万 or the reverse",
        3: "million vs billion, or billion vs trillion",
        -3: "million vs billion, or billion vs trillion",
        8: "亿 is 10^8; give the value scale-free",
        -8: "亿 is 10^8; give the value scale-free",
    }
    return hints.get(exponent, "give the value scale-free: 1.7万亿元 is 1700000000000")


# --- the per-article check --------------------------------------------------------------------------------


@dataclass
class _Checker:
    source: ArticleSource
    article: ArticleBriefing
    prefix: str
    fill_spans: bool
    results: list[ClaimResult] = field(default_factory=list)
    mentioned: set[int] = field(default_factory=set)
    masks: list[str] = field(default_factory=list)
    by_value: dict[str, list[int]] = field(default_factory=dict)

    prose_sorted: list[tuple[float, int]] = field(default_factory=list)
    subjects: dict[str, str] = field(default_factory=dict)
    metric_words: list[tuple[int, frozenset[str], list[tuple[float, str]]]] = field(default_factory=list)
    word_index: dict[str, list[int]] = field(default_factory=dict)
    failed_metrics: set[int] = field(default_factory=set)
    value_spans: dict[tuple[int, int], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for number, programme in enumerate(self.article.programmes):
            self.subjects[f"/programmes/{number}/description_en"] = programme.name_en
        for number, organisation in enumerate(self.article.organisations):
            self.subjects[f"/organisations/{number}/role_en"] = organisation.name_en
        for number, metric in enumerate(self.article.metrics):
            values: list[tuple[float, str]] = [(metric.value, metric.unit)]
            if metric.value_max is not None:
                values.append((metric.value_max, metric.unit))
            if metric.comparison is not None and metric.comparison.from_value is not None:
                values.append((metric.comparison.from_value, metric.unit))
            # Numbers in the indicator describe the figure too ("the six clusters", "the 10-billion-yuan class").
            for mention in find_english_numbers(metric.indicator_en):
                if mention.kind == "quantity":
                    values.append((mention.value, "count" if mention.unit == "plain" else mention.unit))
            words = content_words(metric.indicator_en)
            for word in words:
                self.word_index.setdefault(word, []).append(len(self.metric_words))
            self.metric_words.append((number, words, values))
        self.prose_sorted = sorted(
            (item.prose_value(), number) for number, item in enumerate(self.source.evidence)
        )
        self.masks = [name.lower() for name in self.names_to_mask()]
        for number, item in enumerate(self.source.evidence):
            self.by_value.setdefault(_value_key(item.value), []).append(number)

    # -- recording ------------------------------------------------------------------------------------

    def add(
        self, pointer: str, claim: object, verdict: Verdict, message: str, span: Span | None = None
    ) -> None:
        parts = pointer.split("/")
        if verdict != "verified" and parts[1] == "metrics" and parts[-1] in ("value", "unit", "source_quote"):
            self.failed_metrics.add(int(parts[2]))
        self.results.append(
            ClaimResult(
                pointer=self.prefix + pointer,
                claim=_claim_text(claim),
                verdict=verdict,
                span=span,
                message=message,
            )
        )

    def mark_mentioned(self, value: float, unit: str) -> None:
        for number in self.by_value.get(_value_key(value), ()):
            if _units_compatible(unit, self.source.evidence[number].unit):
                self.mentioned.add(number)

    # -- grounding ------------------------------------------------------------------------------------

    def ground(
        self, pointer: str, label: str, quote: str, what: str, current: Span | None
    ) -> tuple[int, int, Span] | None:
        located = self.source.locate(quote)
        if located is None:
            self.add(
                pointer,
                quote,
                "not_in_source",
                f"{label}: {what} '{_short(quote)}' does not occur in the article; "
                "quote the Chinese text verbatim, character for character",
            )
            return None
        span = located[2]
        if current is not None and not self.fill_spans and current != span:
            occurrences = self._occurrences(quote)
            if current not in occurrences:
                self.add(
                    pointer,
                    quote,
                    "not_in_source",
                    f"{label}: span [{current.start}, {current.end}) does not hold '{_short(quote)}'; "
                    f"it is at [{span.start}, {span.end})",
                    span,
                )
                return located
        self.add(pointer, quote, "verified", f"{label}: found in the article", span)
        return located

    def _occurrences(self, quote: str) -> list[Span]:
        needle = _matching_form(quote).strip()
        spans = []
        for start, end in self.source.mapped.find_all(needle):
            original = self.source.mapped.to_original(start, end)
            spans.append(Span(start=original[0], end=original[1]))
        return spans

    # -- metrics -------------------------------------------------------------------------------------

    def check_metric(self, number: int, metric: Metric) -> None:
        base = f"/metrics/{number}"
        label = f"metrics[{number}] ({_short(metric.indicator_en, 40)})"
        located = self.ground(base + "/source_quote", label, metric.source_quote, "source_quote", metric.span)
        if located is None:
            self.check_prose(base + "/indicator_en", metric.indicator_en, hedged=True)
            return
        norm_start, norm_end, span = located
        if self.fill_spans:
            metric.span = span
            pieces = self.source.mapped.original_pieces(norm_start, norm_end) if norm_start >= 0 else []
            # Whitespace between pieces is layout; only a quote put together from separate places says so.
            pieces = _merge_layout_gaps(pieces, self.source.original)
            metric.span_pieces = [Span(start=a, end=b) for a, b in pieces] if len(pieces) > 1 else None
        candidates = (
            self.source.evidence_in(norm_start, norm_end)
            if norm_start >= 0
            else self.source.parse_quote(metric.source_quote, span)
        )
        # The indicator describes this figure: its numbers ("the 10-billion-yuan class") come from the quote.
        self.check_prose(base + "/indicator_en", metric.indicator_en, hedged=True, pool=candidates)
        if not candidates:
            self.add(
                base + "/value",
                metric.value,
                "not_in_source",
                f"{label}: the quote '{_short(metric.source_quote)}' contains no number; "
                "quote the passage that states the figure",
                span,
            )
            return
        best = _best_match(candidates, metric.value, metric.unit)
        item_span = Span(start=best.start, end=best.end)
        if self.fill_spans:
            metric.value_span = item_span
        if best.norm_start >= 0 and _same_value(abs(metric.value), abs(best.value)):
            key = (best.norm_start, best.norm_end)
            earlier = self.value_spans.setdefault(key, number)
            if earlier != number:
                self.add(
                    base + "/value",
                    metric.value,
                    "wrong_value",
                    f"{label}: takes {best.text} from the same place in the source as metrics[{earlier}]; each figure "
                    "of the source is one metric, so one of the two reads the wrong number of its quote",
                    item_span,
                )
        self.mark_mentioned(best.value, best.unit)
        self._check_value(base, label, metric, best, candidates, item_span)
        self._check_status_period(base, label, metric, best, item_span)
        self._check_extra_numbers(base, label, metric, candidates, item_span)

    def check_metric_consistency(self) -> None:
        """Two metrics with the same indicator, unit, period and status must give the same value."""
        seen: dict[tuple[str, str, str | None, str], int] = {}
        for number, metric in enumerate(self.article.metrics):
            words = " ".join(re.split(r"[\s\-]+", metric.indicator_en.lower().strip()))
            key = (words, metric.unit, metric.period, metric.status)
            first = seen.setdefault(key, number)
            if first != number and not _same_value(metric.value, self.article.metrics[first].value):
                self.add(
                    f"/metrics/{number}/indicator_en",
                    metric.indicator_en,
                    "wrong_value",
                    f"metrics[{number}]: same indicator, unit, period and status as metrics[{first}] but value "
                    f"{_fmt(metric.value)} instead of {_fmt(self.article.metrics[first].value)}; one of the two "
                    "describes its figure wrongly — say what each number measures",
                    metric.value_span,
                )

    def _check_value(
        self, base: str, label: str, metric: Metric, best: Evidence, candidates: list[Evidence], span: Span
    ) -> None:
        claimed = metric.value
        unit_ok = _units_compatible(metric.unit, best.unit)
        if _same_value(abs(claimed), abs(best.value)):
            self._check_sign(base, label, metric, best, span)
        elif unit_ok and (exponent := _power_of_ten(claimed, best.value)) is not None:
            self.add(
                base + "/value",
                claimed,
                "wrong_scale",
                f"{label}: value {_fmt(claimed)} is 10^{exponent} times the source's {_describe(best)} "
                f"({_scale_hint(exponent)}); set value to {_fmt(best.value if not best.decline else -best.value)}",
                span,
            )
        else:
            nearest = ", ".join(_describe(c) for c in candidates[:4])
            self.add(
                base + "/value",
                claimed,
                "wrong_value",
                f"{label}: value {_fmt(claimed)} is not stated in the quote, which gives {nearest}; "
                "use the number the source states",
                span,
            )
        if unit_ok:
            self.add(base + "/unit", metric.unit, "verified", f"{label}: unit {metric.unit} agrees", span)
        else:
            self.add(
                base + "/unit",
                metric.unit,
                "wrong_unit",
                f"{label}: unit '{metric.unit}' but the source's {best.text} is {_UNIT_WORDS.get(best.unit, best.unit)}; "
                f"set unit to '{best.unit}'",
                span,
            )
        if metric.qualifier == best.qualifier:
            self.add(base + "/qualifier", metric.qualifier, "verified", f"{label}: qualifier agrees", span)
        else:
            self.add(
                base + "/qualifier",
                metric.qualifier,
                "wrong_qualifier",
                f"{label}: qualifier '{metric.qualifier}' but the source qualifies {best.text} as "
                f"'{best.qualifier}' (突破/超过/以上 more_than, 近 nearly, 约/左右 about, 不到 less_than); "
                f"set qualifier to '{best.qualifier}'",
                span,
            )

    def _check_sign(self, base: str, label: str, metric: Metric, best: Evidence, span: Span) -> None:
        claimed = metric.value
        if best.decline and claimed > 0 and best.unit in ("percent", "percentage_point"):
            self.add(
                base + "/value",
                claimed,
                "wrong_value",
                f"{label}: the source states a decline ({best.text} after 下降/减少); give a negative value",
                span,
            )
        elif claimed < 0 and not best.decline and best.value >= 0:
            self.add(
                base + "/value",
                claimed,
                "wrong_value",
                f"{label}: value {_fmt(claimed)} is negative but the source states {best.text} without a decline; "
                "give a positive value",
                span,
            )
        else:
            self.add(base + "/value", claimed, "verified", f"{label}: value agrees with {best.text}", span)

    def _check_status_period(self, base: str, label: str, metric: Metric, best: Evidence, span: Span) -> None:
        if best.status is not None:
            if metric.status == best.status:
                self.add(base + "/status", metric.status, "verified", f"{label}: status agrees", span)
            else:
                self.add(
                    base + "/status",
                    metric.status,
                    "wrong_status",
                    f"{label}: status '{metric.status}' but the source states {best.text} as {_STATUS_WORDS[best.status]}; "
                    f"set status to '{best.status}'",
                    span,
                )
        if metric.period is None:
            return
        claimed_years = _period_years(metric.period)
        source_period = best.known_period
        if source_period is not None:
            source_years = _period_years(source_period)
            if claimed_years & source_years:
                self.add(base + "/period", metric.period, "verified", f"{label}: period agrees", span)
            else:
                where = "for" if best.period is not None else "in a passage about"
                self.add(
                    base + "/period",
                    metric.period,
                    "wrong_period",
                    f"{label}: period {metric.period} but the source gives {best.text} {where} {source_period}; "
                    f"set period to '{source_period}'",
                    span,
                )
        elif claimed_years and not claimed_years & self.source.years:
            self.add(
                base + "/period",
                metric.period,
                "wrong_period",
                f"{label}: period {metric.period} is not a year the article mentions "
                f"({', '.join(map(str, sorted(self.source.years))) or 'none'}); give the period the source states",
                span,
            )
        else:
            self.add(
                base + "/period",
                metric.period,
                "verified",
                f"{label}: period is a period of the article",
                span,
            )

    def _check_extra_numbers(
        self, base: str, label: str, metric: Metric, candidates: list[Evidence], span: Span
    ) -> None:
        extras: list[tuple[str, float, str]] = []
        if metric.value_max is not None:
            extras.append(("/value_max", metric.value_max, metric.unit))
        if metric.comparison is not None:
            if metric.comparison.from_value is not None:
                extras.append(("/comparison/from_value", metric.comparison.from_value, metric.unit))
            if metric.comparison.difference is not None:
                difference_unit: str = metric.comparison.difference_unit or metric.unit
                extras.append(("/comparison/difference", metric.comparison.difference, difference_unit))
        for suffix, value, unit in extras:
            values = [(c, c.value) for c in candidates] + [
                (c, c.value_max) for c in candidates if c.value_max is not None
            ]
            matches = [c for c, v in values if v is not None and _same_value(abs(v), abs(value))]
            if matches and any(_units_compatible(unit, c.unit) for c in matches):
                self.add(base + suffix, value, "verified", f"{label}: {suffix[1:]} is in the quote", span)
                self.mark_mentioned(value, unit)
            elif matches:
                self.add(
                    base + suffix,
                    value,
                    "wrong_unit",
                    f"{label}: {suffix[1:]} {_fmt(value)} is in the quote as {matches[0].text} "
                    f"({matches[0].unit}), not {unit}",
                    span,
                )
            else:
                self.add(
                    base + suffix,
                    value,
                    "not_in_source",
                    f"{label}: {suffix[1:]} {_fmt(value)} is not in the quote "
                    f"(it gives {', '.join(_describe(c) for c in candidates[:4])}); "
                    "quote the passage that states it or leave the field null",
                    span,
                )

    # -- other grounded items ------------------------------------------------------------------------

    def check_items(self) -> None:
        article = self.article
        for number, target in enumerate(article.targets):
            base = f"/targets/{number}"
            label = f"targets[{number}]"
            located = self.ground(
                base + "/source_quote", label, target.source_quote, "source_quote", target.span
            )
            if located is not None:
                if self.fill_spans:
                    target.span = located[2]
                self._check_target_status(base, label, located)
            if target.period is not None:
                years = _period_years(target.period)
                if years & self.source.years:
                    self.add(
                        base + "/period", target.period, "verified", f"{label}: period is in the article"
                    )
                else:
                    self.add(
                        base + "/period",
                        target.period,
                        "wrong_period",
                        f"{label}: period {target.period} is not a year the article mentions; "
                        "give the year or deadline the source states",
                    )
            self.check_prose(
                base + "/description_en",
                target.description_en,
                hedged=True,
                years=self.source.years_at(target.source_quote),
            )
        for number, programme in enumerate(article.programmes):
            base = f"/programmes/{number}"
            label = f"programmes[{number}]"
            located = self.ground(base + "/name_zh", label, programme.name_zh, "name_zh", programme.span)
            if located is not None and self.fill_spans:
                programme.span = located[2]
            self._check_name_digits(base + "/name_en", label, programme.name_en, programme.name_zh)
            self.check_prose(
                base + "/description_en",
                programme.description_en,
                years=self.source.years_at(programme.name_zh),
            )
        for number, organisation in enumerate(article.organisations):
            base = f"/organisations/{number}"
            label = f"organisations[{number}]"
            located = self.ground(
                base + "/name_zh", label, organisation.name_zh, "name_zh", organisation.span
            )
            if located is not None and self.fill_spans:
                organisation.span = located[2]
            self._check_name_digits(base + "/name_en", label, organisation.name_en, organisation.name_zh)
            if organisation.role_en:
                self.check_prose(base + "/role_en", organisation.role_en)
        for number, caveat in enumerate(article.caveats):
            base = f"/caveats/{number}"
            label = f"caveats[{number}]"
            if caveat.source_quote:
                located = self.ground(
                    base + "/source_quote", label, caveat.source_quote, "source_quote", caveat.span
                )
                if located is not None and self.fill_spans:
                    caveat.span = located[2]
            self.check_prose(
                base + "/description_en",
                caveat.description_en,
                years=self.source.years_at(caveat.source_quote) if caveat.source_quote else None,
            )
        for name, value in (
            ("headline_zh", article.headline_zh),
            ("byline_zh", article.byline_zh),
            ("source_tag_zh", article.source_tag_zh),
            ("credit_zh", article.credit_zh),
        ):
            if value:
                self._check_heading(name, value)

    def _check_heading(self, name: str, value: str) -> None:
        needle = _matching_form(value).strip()
        title = _matching_form(self.source.title).strip()
        if name == "headline_zh" and title and needle == title:
            self.add("/" + name, value, "verified", f"{name}: matches the article's headline")
            return
        located = self.source.locate(value)
        if located is None and self.source.fallback_text is not None:
            located = None if needle not in self.source.fallback_text.text else (-1, -1, Span(start=0, end=0))
        if located is None:
            self.add(
                "/" + name,
                value,
                "not_in_source",
                f"{name}: '{_short(value)}' does not occur in the article; copy it verbatim or leave it null",
            )
        else:
            self.add("/" + name, value, "verified", f"{name}: found in the article")

    def _check_target_status(self, base: str, label: str, located: tuple[int, int, Span]) -> None:
        norm_start, norm_end, span = located
        if norm_start < 0:
            return
        statuses = {e.status for e in self.source.evidence_in(norm_start, norm_end)}
        if statuses and statuses <= {"actual"}:
            self.add(
                base + "/status",
                "target",
                "wrong_status",
                f"{label}: the quote states its figures as achieved, not as a goal; "
                "list achievements as metrics with status 'actual', not as targets",
                span,
            )

    def _check_name_digits(self, pointer: str, label: str, name_en: str, name_zh: str) -> None:
        english_runs = re.findall(r"\d+", name_en)
        if not english_runs:
            return
        chinese_runs = _digit_runs(name_zh)
        missing = [run for run in english_runs if run not in chinese_runs]
        if missing:
            self.add(
                pointer,
                name_en,
                "unsupported_number",
                f"{label}: name_en has {', '.join(missing)} which name_zh '{name_zh}' does not; "
                "keep the digits of the Chinese name",
            )
        else:
            self.add(pointer, name_en, "verified", f"{label}: digits of the name agree with name_zh")

    # -- English prose ---------------------------------------------------------------------------------

    def _mask(self, text: str) -> str:
        """``text`` with programme and organisation names blanked out (their numbers are names)."""
        lower = text.lower()
        for name in self.masks:
            position = lower.find(name)
            while position >= 0:
                text = text[:position] + "N" * len(name) + text[position + len(name) :]
                lower = lower[:position] + "n" * len(name) + lower[position + len(name) :]
                position = lower.find(name, position + len(name))
        return text

    def names_to_mask(self) -> list[str]:
        names: list[str] = []
        for name in [p.name_en for p in self.article.programmes] + [
            o.name_en for o in self.article.organisations
        ]:
            names.append(name)
            bare = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
            if bare and bare != name:
                names.append(bare)
            names.extend(re.findall(r"\"([^\"]+)\"", name))
        return sorted({n for n in names if n and re.search(r"\d|[A-Za-z]", n)}, key=len, reverse=True)

    def check_prose(
        self,
        pointer: str,
        text: str,
        hedged: bool = False,
        pool: list[Evidence] | None = None,
        years: set[int] | None = None,
    ) -> None:
        """Check every number of an English text.

        ``hedged``: the field states goals by definition (a target's description). ``pool``: the
        quantities the text may draw on (default: the whole article). ``years``: the years the
        item the text describes is about (a year outside them is a wrong period).
        """
        if not may_contain_number(text):
            return
        masked = self._mask(text)
        subject = self.subjects.get(pointer, "")
        for sentence_start, sentence in sentences(masked):
            numbers = find_english_numbers(sentence)
            year_mentions = [n for n in numbers if n.kind == "year"]
            hedges = () if hedged else hedge_positions(sentence)
            for number in numbers:
                has_hedge = hedged or is_hedged(sentence, number, hedges)
                if number.kind == "year" and years and int(number.value) not in years:
                    claim = text[sentence_start + number.start : sentence_start + number.end]
                    self.add(
                        pointer,
                        claim,
                        "wrong_period",
                        f"{pointer.lstrip('/')}: {claim} is not a period the article gives for what this text "
                        f"describes ({', '.join(map(str, sorted(years)))}); use the period the source states",
                    )
                    continue
                before = len(self.results)
                self._check_number(
                    pointer,
                    text,
                    number,
                    nearest_years(number, year_mentions),
                    has_hedge,
                    sentence_start,
                    pool,
                )
                # One finding per number: a number the source check failed needs no second verdict.
                failed = any(not result.ok for result in self.results[before:])
                if number.kind == "quantity" and not failed and not pointer.endswith("/indicator_en"):
                    self._check_against_metrics(
                        pointer, text, sentence, number, numbers, subject, sentence_start
                    )

    def _check_number(
        self,
        pointer: str,
        text: str,
        number: EnglishNumber,
        sentence_years: set[int],
        has_hedge: bool,
        offset: int,
        pool: list[Evidence] | None = None,
    ) -> None:
        claim = text[offset + number.start : offset + number.end]
        where = f"{pointer.lstrip('/')}"
        if number.kind in ("date", "ordinal"):
            return
        if number.kind == "year":
            year = int(number.value)
            if year in self.source.years:
                self.add(pointer, claim, "verified", f"{where}: {year} is a year of the article")
            else:
                self.add(
                    pointer,
                    claim,
                    "wrong_period",
                    f"{where}: the year {year} does not occur in the article "
                    f"({', '.join(map(str, sorted(self.source.years))) or 'no years'}); use the period the source states",
                )
            return
        if number.kind == "name":
            runs = re.findall(r"\d+", number.text)
            if runs and all(run in self.source.name_runs for run in runs):
                self.add(pointer, claim, "verified", f"{where}: '{claim}' is a name from the article")
            elif not runs:
                self.add(pointer, claim, "verified", f"{where}: '{claim}' is a quoted name")
            else:
                self.add(
                    pointer,
                    claim,
                    "unsupported_number",
                    f"{where}: '{claim}' looks like a name but its digits are not in the article; "
                    "use the name as the source writes it",
                )
            return
        self._check_quantity(pointer, where, claim, number, sentence_years, has_hedge, pool)

    def _check_quantity(
        self,
        pointer: str,
        where: str,
        claim: str,
        number: EnglishNumber,
        sentence_years: set[int],
        has_hedge: bool,
        pool: list[Evidence] | None = None,
    ) -> None:
        units = _prose_units(number.unit)
        value_matches = self._prose_candidates(number, 1e-9 * max(number.value, 1.0), pool)
        unit_matches = [e for e in value_matches if e.prose_unit() in units]
        approximate = False
        if not unit_matches:
            # Not the source's figure. A rounding of one is allowed only when marked approximate.
            reach = number.precision * (1 + 1e-9)
            rounded = [
                e
                for e in self._prose_candidates(number, reach, pool)
                if e.prose_unit() in units and not e.label
            ]
            accepted = [e for e in rounded if _approximation_problem(number, e) is None]
            if not accepted:
                if rounded:
                    self._reject_rounding(pointer, where, claim, number, rounded)
                else:
                    self._diagnose_prose(pointer, where, claim, number, value_matches, pool)
                return
            unit_matches = accepted
            approximate = True
        qualified = (
            unit_matches
            if approximate
            else [e for e in unit_matches if _prose_qualifier_ok(number.qualifier, e.qualifier)]
        )
        if not qualified:
            source = unit_matches[0]
            self.add(
                pointer,
                claim,
                "wrong_qualifier",
                f"{where}: '{claim}' but the source says {source.text} with qualifier '{source.qualifier}' "
                f"({_QUALIFIER_WORDS[source.qualifier]}); match the source's wording",
                Span(start=source.start, end=source.end),
            )
            return
        candidates = qualified
        if sentence_years:
            in_period = [
                e
                for e in candidates
                if e.known_period is None or _period_years(e.known_period) & sentence_years
            ]
            if not in_period:
                source = candidates[0]
                self.add(
                    pointer,
                    claim,
                    "wrong_period",
                    f"{where}: '{claim}' is stated in the source for {source.known_period}, not for "
                    f"{', '.join(map(str, sorted(sentence_years)))}; give the period the source states",
                    Span(start=source.start, end=source.end),
                )
                return
            candidates = in_period
        statuses = {e.status for e in candidates}
        source = candidates[0]
        if not has_hedge and None not in statuses and statuses <= {"target", "estimate"}:
            kind = "a target" if "target" in statuses else "an estimate"
            words = "'aims to', 'target' or 'plans'" if "target" in statuses else "'expected' or 'estimated'"
            self.add(
                pointer,
                claim,
                "missing_hedge",
                f"{where}: '{claim}' is {kind} in the source ({source.text}), but the sentence states it as a fact; "
                f"say so with {words}",
                Span(start=source.start, end=source.end),
            )
            return
        for item in candidates:
            self.mark_mentioned(item.value, item.unit)
        how = f"is an approximation of {_source_figure(source)}" if approximate else f"matches {source.text}"
        self.add(
            pointer, claim, "verified", f"{where}: '{claim}' {how}", Span(start=source.start, end=source.end)
        )

    def _prose_candidates(
        self, number: EnglishNumber, reach: float, pool: list[Evidence] | None
    ) -> list[Evidence]:
        """Quantities of the source (or of ``pool``) whose prose value is within ``reach`` of the number."""
        if pool is not None:
            return [e for e in pool if abs(e.prose_value() - number.value) <= reach]
        evidence = self.source.evidence
        low = bisect_left(self.prose_sorted, (number.value - reach, -1))
        high = bisect_right(self.prose_sorted, (number.value + reach, len(evidence)))
        return [evidence[i] for _, i in self.prose_sorted[low:high]]

    def _reject_rounding(
        self, pointer: str, where: str, claim: str, number: EnglishNumber, rounded: list[Evidence]
    ) -> None:
        """The number is a rounding of a source figure that the prose may not round (see the module doc)."""
        source = min(rounded, key=lambda e: abs(e.prose_value() - number.value))
        exact = _in_english(source)
        span = Span(start=source.start, end=source.end)
        problem = _approximation_problem(number, source)
        if number.qualifier in APPROXIMATE and problem is not None:
            verdict, reason = problem
            self.add(pointer, claim, verdict, f"{where}: '{claim}' {reason}", span)
            return
        up = number.value > source.prose_value()
        message = (
            f"{where}: '{claim}' is not the source's figure: the English number is rounded {'up' if up else 'down'} "
            f"from {_source_figure(source)}"
        )
        if (number.qualifier == "more_than" and up) or (number.qualifier == "less_than" and not up):
            side = "below" if up else "above"
            message += (
                f", and the bound is false: the source's figure is {side} {_fmt_prose(number)}; state {exact}"
            )
        elif number.qualifier in ("more_than", "less_than"):
            message += f"; a bound ('more than', 'under' …) must be the source's own figure: state {exact}"
        else:
            message += f"; state {exact} as the source does, or mark the rounding as approximate ('about …')"
        self.add(pointer, claim, "wrong_value", message, span)

    def _check_against_metrics(
        self,
        pointer: str,
        text: str,
        sentence: str,
        number: EnglishNumber,
        numbers: list[EnglishNumber],
        subject: str,
        offset: int,
    ) -> None:
        """A number in prose must agree with the briefing's own metric for the same thing.

        The words around the number ("5 green industrial parks") are matched against each metric's
        indicator_en. When the metric they describe best gives another value, and no metric with
        this value is described nearly as well, the prose contradicts the metric list: a figure
        restated with a digit off can still be some other figure of the source, so the source
        check alone cannot see it.
        """
        context = number_context(sentence, number, numbers) | content_words(subject)
        if len(context) < 2 or not self.metric_words:
            return
        units = _prose_units(number.unit)
        if number.unit == "plain" and number.value < 1e6:
            units = units - _MONEY_UNITS
        ranked: list[tuple[float, int, int, bool]] = []
        sharing = {position for word in context for position in self.word_index.get(word, ())}
        for position in sharing:
            index, words, values = self.metric_words[position]
            if index in self.failed_metrics:
                continue  # a metric the source does not support says nothing about the prose
            overlap = len(context & words)
            fitting = [v for v, unit in values if _prose_unit_of(unit) in units]
            if fitting:
                same = any(
                    _same_value(abs(v), number.value)
                    or (number.qualifier in APPROXIMATE and _rounds_within(number, abs(v)))
                    for v in fitting
                )
                ranked.append((overlap / max(len(words), 1), overlap, index, same))
        if not ranked:
            return
        ranked.sort(key=lambda item: item[2])
        top = max((coverage, overlap) for coverage, overlap, _, _ in ranked)
        leaders = [item for item in ranked if (item[0], item[1]) == top]
        if any(same for *_, same in leaders) or not (top[1] >= 3 or (top[1] >= 2 and top[0] >= 0.6)):
            return
        best_same = max((coverage for coverage, _, _, same in ranked if same), default=0.0)
        if best_same > top[0] - 0.3:
            return
        index = leaders[0][2]
        metric = self.article.metrics[index]
        claim = text[offset + number.start : offset + number.end]
        self.add(
            pointer,
            claim,
            "wrong_value",
            f"{pointer.lstrip('/')}: '{claim}' contradicts metrics[{index}] ({_short(metric.indicator_en, 50)} = "
            f"{_fmt(metric.value)} {metric.unit}), which the words around it describe; state the figure of that "
            "metric, or add the metric this number belongs to",
            metric.value_span,
        )

    def _diagnose_prose(
        self,
        pointer: str,
        where: str,
        claim: str,
        number: EnglishNumber,
        value_matches: list[Evidence],
        pool: list[Evidence] | None = None,
    ) -> None:
        units = _prose_units(number.unit)
        if value_matches:
            source = value_matches[0]
            self.add(
                pointer,
                claim,
                "wrong_unit",
                f"{where}: '{claim}' but the source's {source.text} is {_UNIT_WORDS.get(source.unit, source.unit)}; "
                "use the source's unit",
                Span(start=source.start, end=source.end),
            )
            return
        same_unit = [e for e in (self.source.evidence if pool is None else pool) if e.prose_unit() in units]
        for item in same_unit:
            exponent = _power_of_ten(number.value, item.prose_value())
            if exponent is not None:
                self.add(
                    pointer,
                    claim,
                    "wrong_scale",
                    f"{where}: '{claim}' is 10^{exponent} times the source's {_describe(item)} ({_scale_hint(exponent)})",
                    Span(start=item.start, end=item.end),
                )
                return
        nearest = sorted(same_unit, key=lambda e: abs(e.prose_value() - number.value))[:3]
        hint = f"; nearest in the source: {', '.join(e.text for e in nearest)}" if nearest else ""
        scope = "the article" if pool is None else "the metric's source_quote"
        self.add(
            pointer,
            claim,
            "unsupported_number",
            f"{where}: '{claim}' is not a figure of {scope}{hint}; state only numbers the source gives",
        )


_STATUS_WORDS = {"actual": "achieved", "estimate": "an estimate (预计)", "target": "a target (力争/目标/将)"}
_QUALIFIER_WORDS = {
    "exact": "no qualifier",
    "more_than": "more than",
    "nearly": "nearly",
    "about": "about",
    "less_than": "less than",
}


# A bare number in prose ("133,000 base stations", "1.7 trillion") may stand for any amount; it may
# not stand for a ratio or a rank, which English always marks (%, percentage points, "eighth").
_MARKED_UNITS = frozenset(
    {"percent", "percentage_point", "permille", "basis_point", "fraction", "times", "rank", "point"}
)
_PLAIN_UNITS = frozenset(UNITS) - _MARKED_UNITS


def _prose_units(unit: str) -> frozenset[str]:
    if unit == "plain":
        return _PLAIN_UNITS
    if unit in _COUNT_UNITS:
        return _COUNT_UNITS
    return frozenset({unit})


# An approximation may round the source's figure to the precision the English states, but never by
# more than this share of the figure: "about 5%" for 4.6% and "about 10 million" for 955万 are fine,
# "about 2 trillion" for 1.7万亿 or "about 100,000" for 13.3万 round to one digit and mislead.
_ROUNDING_LIMIT = 0.1


def _rounds_within(number: EnglishNumber, source: float) -> bool:
    """Whether ``source`` rounded to the precision the English states is the number, within the limit."""
    difference = abs(number.value - source)
    return difference <= number.precision * (1 + 1e-9) and difference <= _ROUNDING_LIMIT * source


def _approximation_problem(number: EnglishNumber, source: Evidence) -> tuple[Verdict, str] | None:
    """Why the number may not stand for ``source`` as a rounding of it (verdict, reason); None when it may.

    Only a number marked approximate ("about", "around", "roughly", "nearly", "almost", "some",
    "close to", "~" …) may differ from the source's figure, by rounding it to the precision the
    English states, within :data:`_ROUNDING_LIMIT`; "nearly X" also needs the figure to be below X
    (42% is not "nearly 40%"). A lower bound of the source (突破/超 S) states S truncated at its last
    digit, so "nearly 10 million" for 超955万 is a fair rounding.
    """
    value = source.prose_value()
    figure, exact = _source_figure(source), _in_english(source)
    if number.qualifier not in APPROXIMATE:
        return (
            "wrong_value",
            f"is not the source's figure ({figure}) and is not marked as approximate; state {exact}",
        )
    if abs(number.value - value) > number.precision * (1 + 1e-9):
        return "wrong_value", f"is not {figure} rounded to the precision the English states; state {exact}"
    if abs(number.value - value) > _ROUNDING_LIMIT * value:
        return "wrong_value", (
            f"is too coarse a rounding of {figure}: an approximation may differ from the source's figure by at "
            f"most {_ROUNDING_LIMIT:.0%}; state {exact}"
        )
    if number.qualifier == "nearly" and value > number.value:
        return "wrong_qualifier", (
            f"says the figure is just below {_fmt_prose(number)}, but the source's {figure} is above it; "
            f"say 'about', or state {exact}"
        )
    return None


def _source_figure(item: Evidence) -> str:
    """The source's text with its English reading when that differs: "1.7万亿元 (1.7 trillion yuan)", "4.6%"."""
    english = _in_english(item)
    return item.text if english == item.text else f"{item.text} ({english})"


def _fmt_prose(number: EnglishNumber) -> str:
    return _in_english_value(number.value, number.unit)


def _in_english(item: Evidence) -> str:
    """The source's figure as English prose states it exactly: 1.7万亿元 -> 1.7 trillion yuan, 955万 -> 9.55 million."""
    return _in_english_value(item.prose_value(), item.prose_unit())


def _in_english_value(value: float, unit: str) -> str:
    text = f"{value:,.10g}"
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= scale:
            text = f"{value / scale:.10g} {word}"
            break
    suffix = {
        "percent": "%",
        "percentage_point": " percentage points",
        "CNY": " yuan",
        "times": " times",
    }.get(unit)
    if suffix is None and unit in UNITS and unit not in _COUNT_UNITS and unit != "rank":
        suffix = f" {unit}"
    return text + (suffix or "")


def _prose_qualifier_ok(prose: str | None, source: str) -> bool:
    """Whether the prose's qualifier is true to the source's.

    No qualifier in prose is fine unless the source bounds the number from above (近, 不到): "42%" for
    近42% overstates. "about" fits anything; "more than" needs a lower bound in the source; "nearly" /
    "less than" need an upper bound.
    """
    if prose is None:
        return source not in ("nearly", "less_than")
    if prose == "about":
        return True
    if prose == "more_than":
        return source == "more_than"
    return source in ("nearly", "less_than")


def _best_match(candidates: list[Evidence], value: float, unit: str) -> Evidence:
    def rank(item: Evidence) -> tuple[int, float]:
        same_value = _same_value(abs(item.value), abs(value))
        same_unit = _units_compatible(unit, item.unit)
        if same_value and same_unit:
            return (0, 0.0)
        if same_value:
            return (1, 0.0)
        if same_unit and _power_of_ten(value, item.value) is not None:
            return (2, 0.0)
        distance = abs(abs(item.value) - abs(value)) / max(abs(value), abs(item.value), 1e-9)
        return (3 if same_unit else 4, distance)

    return min(candidates, key=rank)


_MONEY_UNITS = frozenset({"CNY", "USD", "EUR", "JPY", "HKD", "GBP", "KRW", "RUB", "THB", "AUD", "CAD", "TWD", "SGD",
                          "CHF", "INR", "NGN"})  # fmt: skip


def _prose_unit_of(unit: str) -> str:
    return "percent" if unit in ("fraction", "permille") else unit


def _digit_runs(chinese: str) -> set[str]:
    """Numbers written in a Chinese name, as digit strings: 33618 -> 33618, 一号工程 -> 1, 十条 -> 10."""
    text = _matching_form(chinese)
    runs = set(re.findall(r"\d+", text))
    for run in re.findall(r"[零〇一二两三四五六七八九十百千万亿]+", text):
        value = parse_number(run)
        if value is not None and value == int(value):
            runs.add(str(int(value)))
    return runs


def _value_key(value: float) -> str:
    return f"{abs(value):.9g}"


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _claim_text(claim: object) -> str:
    if isinstance(claim, float):
        return _fmt(claim)
    return str(claim)


# --- public API ----------------------------------------------------------------------------------------------


def _run_checks(source: ArticleSource, article: ArticleBriefing, prefix: str, fill_spans: bool) -> _Checker:
    checker = _Checker(source=source, article=article, prefix=prefix, fill_spans=fill_spans)
    for number, metric in enumerate(article.metrics):
        checker.check_metric(number, metric)
    checker.check_metric_consistency()
    checker.check_items()
    checker.check_prose("/headline_en", article.headline_en)
    checker.check_prose("/summary_en", article.summary_en)
    for number, point in enumerate(article.key_points):
        checker.check_prose(f"/key_points/{number}", point)
    return checker


def verify_article(
    segment: Segment | ArticleSource,
    article: ArticleBriefing,
    facts_for_segment: Sequence[FactLike] | None = None,
    *,
    pointer_prefix: str = "",
    fill_spans: bool = False,
    original: str | None = None,
) -> list[ClaimResult]:
    """Check one article briefing against its segment; one :class:`ClaimResult` per checked claim.

    ``facts_for_segment`` are the rule-based facts of that segment (None: the verifier's fallback
    rules judge status and period). With ``fill_spans`` the article's span fields are set from the
    source (the article is modified in place). ``original`` (the whole file text) lets quotes that
    only occur in the original, such as pull-quotes, be found. Pointers are relative to the
    article ("/metrics/3/value") unless ``pointer_prefix`` is given.
    """
    source = (
        segment
        if isinstance(segment, ArticleSource)
        else ArticleSource.from_segment(segment, facts_for_segment, original)
    )
    return _run_checks(source, article, pointer_prefix, fill_spans).results


def _coverage_of(
    article_number: int, headline: str, source: ArticleSource, mentioned: set[int]
) -> ArticleCoverage:
    unique: dict[tuple[int, int], int] = {}
    for number, item in enumerate(source.evidence):
        if not item.label:
            unique.setdefault((item.start, item.end), number)
    found = len(unique)
    hit = sum(1 for number in unique.values() if number in mentioned)
    unmentioned = [
        UnmentionedFact(
            text=source.evidence[number].text,
            value=source.evidence[number].value,
            unit=source.evidence[number].unit,
            status=source.evidence[number].status,
            period=source.evidence[number].period,
            indicator_zh=source.evidence[number].indicator_zh,
            span=Span(start=source.evidence[number].start, end=source.evidence[number].end),
        )
        for number in unique.values()
        if number not in mentioned
    ]
    return ArticleCoverage(
        article=article_number,
        headline=headline,
        facts_found=found,
        facts_mentioned=hit,
        ratio=round(hit / found, 4) if found else None,
        unmentioned=unmentioned,
    )


@dataclass(frozen=True)
class ArticleCheck:
    """Every check of one article, run once: the claims' results and the coverage of the facts."""

    results: list[ClaimResult]
    coverage: ArticleCoverage


def check_article(
    source: ArticleSource, article: ArticleBriefing, *, fill_spans: bool = True, article_number: int = 0
) -> ArticleCheck:
    """Run the verifier on one article (filling spans when asked) and measure its coverage."""
    checker = _run_checks(source, article, "", fill_spans)
    coverage = _coverage_of(article_number, article.headline_en, source, checker.mentioned)
    return ArticleCheck(list(checker.results), coverage)


def coverage_of_article(
    source: ArticleSource, article: ArticleBriefing, article_number: int = 0
) -> ArticleCoverage:
    """Which rule-based facts of ``source`` the article briefing mentions (runs the checks once)."""
    checker = _run_checks(source, article, "", False)
    return _coverage_of(article_number, article.headline_en, source, checker.mentioned)


def _facts_by_segment(page: SegmentedPage, facts: FactTableLike | None) -> dict[int, list[FactLike]]:
    """The page's facts grouped by segment, extracted with the rules when not given."""
    table: FactTableLike = extract_facts(page) if facts is None else facts
    grouped: dict[int, list[FactLike]] = {segment.index: [] for segment in page.segments}
    for fact in table.facts:
        grouped.setdefault(fact.segment, []).append(fact)
    return grouped


def verify_briefing(
    page: SegmentedPage,
    briefing: PageBriefing,
    facts: FactTableLike | None = None,
    *,
    fill_spans: bool = False,
) -> VerificationReport:
    """Verify every article of ``briefing`` against the segmented source ``page``.

    ``facts`` is the page's rule-based fact table (:func:`summarizer.rules.facts.extract_facts`, computed
    here when None). With ``fill_spans`` the briefing's span fields are set (it is modified in place;
    see :func:`annotate_briefing` for a copy).
    """
    grouped = _facts_by_segment(page, facts)
    original = page.document.original
    segments = {segment.index: segment for segment in page.segments}
    claims: list[ClaimResult] = []
    coverage: list[ArticleCoverage] = []
    for number, article in enumerate(briefing.articles):
        prefix = f"/articles/{number}"
        segment = segments.get(article.index if article.index is not None else number)
        if segment is None:
            claims.append(
                ClaimResult(
                    pointer=prefix + "/index",
                    claim=str(article.index),
                    verdict="not_in_source",
                    message=f"article index {article.index} but the source has {len(page.segments)} articles "
                    f"(0-{len(page.segments) - 1}); set index to the article's position on the page",
                )
            )
            continue
        source = ArticleSource.from_segment(segment, grouped.get(segment.index, []), original)
        checker = _run_checks(source, article, prefix, fill_spans)
        claims.extend(checker.results)
        coverage.append(_coverage_of(number, article.headline_en, source, checker.mentioned))
    return VerificationReport(
        source=page.source,
        claims=claims,
        coverage=coverage,
    )


def annotate_briefing(
    page: SegmentedPage, briefing: PageBriefing, facts: FactTableLike | None = None
) -> PageBriefing:
    """A copy of ``briefing`` with spans filled in and each article's verification summary set."""
    annotated = briefing.model_copy(deep=True)
    report = verify_briefing(page, annotated, facts, fill_spans=True)
    for number, article in enumerate(annotated.articles):
        prefix = f"/articles/{number}/"
        own = [c for c in report.claims if c.pointer.startswith(prefix)]
        cover = next((c for c in report.coverage if c.article == number), None)
        article.verification = VerificationSummary(
            checked=len(own),
            verified=sum(1 for c in own if c.ok),
            failed=sum(1 for c in own if not c.ok),
            facts_found=cover.facts_found if cover else 0,
            facts_mentioned=cover.facts_mentioned if cover else 0,
            coverage=cover.ratio if cover else None,
        )
    return annotated


def quarantine_unverified(article: ArticleBriefing, results: Sequence[ClaimResult]) -> ArticleBriefing:
    """A copy of ``article`` with every failed claim moved to ``unverified``.

    Failed metrics, targets, programmes, organisations and caveats leave their lists; a key point
    with a failed number is dropped; a sentence of the summary with a failed number is cut out
    (the headline stays and is recorded). ``results`` are :func:`verify_article` results with
    pointers relative to the article (no ``/articles/N`` prefix).
    """
    copy = article.model_copy(deep=True)
    failed = [r for r in results if not r.ok]
    drop: dict[str, set[int]] = {}
    summary_claims: list[str] = []
    for result in failed:
        parts = result.pointer.strip("/").split("/")
        copy.unverified.append(
            UnverifiedClaim(
                pointer=result.pointer, claim=result.claim, verdict=result.verdict, reason=result.message
            )
        )
        if len(parts) >= 2 and parts[0] in (
            "metrics",
            "targets",
            "programmes",
            "organisations",
            "caveats",
            "key_points",
        ):
            drop.setdefault(parts[0], set()).add(int(parts[1]))
        elif parts[0] == "summary_en":
            summary_claims.append(result.claim)
    for name, numbers in drop.items():
        items = getattr(copy, name)
        setattr(copy, name, [item for number, item in enumerate(items) if number not in numbers])
    if summary_claims:
        kept = [s for _, s in sentences(copy.summary_en) if not any(claim in s for claim in summary_claims)]
        copy.summary_en = " ".join(kept) or "(summary withheld: its figures could not be verified)"
    return copy


def _merge_layout_gaps(pieces: list[tuple[int, int]], original: str | None) -> list[tuple[int, int]]:
    """Adjacent pieces separated only by whitespace (a joined line break) count as one piece."""
    merged: list[tuple[int, int]] = []
    for start, end in pieces:
        if merged and original is not None and merged[-1][1] <= start and not original[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def report_to_json(report: VerificationReport) -> str:
    """The report as indented JSON (UTF-8 text, Chinese unescaped)."""
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def print_report_table(report: VerificationReport, console: Console, *, show_verified: bool = False) -> None:
    """Render the report with rich: failures (or all claims), coverage per article, a verdict line."""
    from rich.table import Table

    claims = report.claims if show_verified else report.failed()
    table = Table(title=f"Claims ({len(report.claims)} checked, {report.failures} failed)", show_lines=False)
    table.add_column("pointer", style="cyan", overflow="fold")
    table.add_column("claim", overflow="fold")
    table.add_column("verdict")
    table.add_column("span", justify="right")
    table.add_column("message", overflow="fold")
    for claim in claims:
        style = "green" if claim.ok else "red"
        span = f"{claim.span.start}-{claim.span.end}" if claim.span else ""
        table.add_row(claim.pointer, claim.claim, f"[{style}]{claim.verdict}[/{style}]", span, claim.message)
    if claims:
        console.print(table)
    coverage = Table(title="Coverage of rule-based facts")
    coverage.add_column("article", justify="right")
    coverage.add_column("headline", overflow="fold")
    coverage.add_column("found", justify="right")
    coverage.add_column("mentioned", justify="right")
    coverage.add_column("ratio", justify="right")
    for item in report.coverage:
        ratio = f"{item.ratio:.0%}" if item.ratio is not None else "-"
        coverage.add_row(
            str(item.article), item.headline, str(item.facts_found), str(item.facts_mentioned), ratio
        )
    console.print(coverage)
    counts = ", ".join(f"{verdict} {count}" for verdict, count in sorted(report.verdict_counts().items()))
    if report.ok:
        console.print(f"[green]OK[/green]: all {len(report.claims)} claims verified ({counts})")
    else:
        console.print(f"[red]FAILED[/red]: {report.failures} of {len(report.claims)} claims ({counts})")
