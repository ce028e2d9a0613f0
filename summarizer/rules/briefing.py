"""The rules-only briefing: an article briefing drafted from the rule-based facts, no LLM.

Each fact with an indicator becomes a metric (its quote: the figure with the words before it, long
enough to occur once); headline, byline and region come from the segment. The draft is then
verified like any other briefing (:func:`summarizer.verify.finalise_article`), so a fact the
verifier cannot confirm is listed as unverified, never shown as verified.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from summarizer.briefing.models import PERIOD_PATTERN, ArticleBriefing, Metric
from summarizer.layout.segment import Segment
from summarizer.rules.facts import Fact
from summarizer.vocab import QUALIFIERS, RATE_UNITS, UNITS

__all__ = [
    "CLAUSE_BREAKS",
    "FACTS_ONLY_HEADLINE",
    "FACTS_ONLY_SUMMARY",
    "article_from_facts",
    "change_indicator",
    "holds_metric",
    "metric_from_fact",
    "metric_period",
]

FACTS_ONLY_HEADLINE = "(English headline requires an LLM endpoint)"
FACTS_ONLY_SUMMARY = (
    "Facts-only briefing: the figures below were found and verified by the rule-based engine. "
    "An LLM endpoint gives the full briefing (English headline, summary, targets, programmes)."
)

_COMPARISON_KIND = {
    "yoy": "year_on_year",
    "vs_previous_year": "year_on_year",
    "rank": "rank_among",
    "share": "share_of",
}
_BASELINE_EN = {
    "national": "national average",
    "province": "the province",
    "city": "the city",
    "region": "the region",
    "world": "the world",
}


_RANK_BASELINE_EN = {
    "national": "in China",
    "province": "in the province",
    "city": "in the city",
    "world": "in the world",
}


# Where a clause ends: a quote of a figure reaches back no further than the clauses it needs.
CLAUSE_BREAKS = "，,。；;：:！？!?\n"
_WINDOW = 2_000  # characters either side of a figure its quote is chosen within


def _quote_for(fact: Fact, original: str, floor: int = 0) -> tuple[str, int]:
    """The figure with the words before it, verbatim, long enough to occur once around it:
    "16℃" alone is ambiguous where "12—16℃" stands earlier, "部分地区可超过16℃" is not. It stays
    on the figure's line (a quote never spans two paragraphs) and after ``floor`` (the article's
    start), and starts after any earlier occurrence of the same figure, so it names one figure."""
    # A quote reaches at most four clauses of 60 characters back, and is unique among its
    # neighbours: every search stays in a window around the figure, so a page of any size costs the
    # same per figure (a search of the whole file per figure grows with the square of the page).
    reach = max(floor, fact.start - _WINDOW)
    line_start = max(original.rfind("\n", reach, fact.start) + 1, reach)
    around = (reach, min(len(original), fact.end + _WINDOW))
    start = fact.start
    quote = original[start : fact.end]
    for _ in range(4):  # at most four clauses back
        while start > line_start and original[start - 1] not in CLAUSE_BREAKS and fact.start - start < 60:
            start -= 1
        quote = original[start : fact.end]
        if original.count(quote, *around) <= 1 or start <= line_start:
            break
        start -= 1  # step over the clause break into the clause before
    earlier = original.rfind(fact.text, start, fact.start)
    if earlier >= 0:
        start = earlier + len(fact.text)
    quote = original[start : fact.end]
    stripped = quote.lstrip()
    return (stripped.rstrip(), start + len(quote) - len(stripped)) if stripped.strip() else (fact.text, fact.start)


def change_indicator(label: str, change: str, unit: str, *, translated: bool = True) -> str:
    """The indicator of a figure that is a change (增长15%, 下降8.5%, 新增13.3万家), not a level.

    Rates read as growth or decline ("growth of the size of the digital economy"), amounts as an
    increase or decrease; an untranslated label as a "change in" it (the Chinese may already say
    增速). The sign of the value gives the direction; :func:`summarizer.output.markdown.format_metric_value`
    shows it (+15%, -8.5%).
    """
    if not translated:
        return f"change in {label}"
    if unit in RATE_UNITS:
        return f"{'decline in' if change == 'decrease' else 'growth of'} {label}"
    return f"{'decrease in' if change == 'decrease' else 'increase in'} {label}"


def holds_metric(fact: Fact) -> bool:
    """Whether a metric can hold ``fact``: not a bare table cell (nothing says what it measures), and
    a value in a unit of the schema's."""
    if fact.indicator_zh is None or fact.value is None:
        return False
    return fact.unit in UNITS or re.fullmatch(r"[A-Z]{3}/[a-z_]+", fact.unit) is not None


def metric_period(fact: Fact) -> str | None:
    """The period of the metric made of ``fact``: the fact's, when the schema can state it."""
    return fact.period if fact.period and re.match(PERIOD_PATTERN, fact.period) else None


def metric_from_fact(fact: Fact, original: str, floor: int = 0) -> dict[str, Any] | None:
    """The metric (as a dict of :class:`Metric` fields, spans included) the rules make of ``fact``;
    None for a figure no metric can hold (:func:`holds_metric`)."""
    if fact.value is None or not holds_metric(fact):
        return None
    period = metric_period(fact)
    value, value_max = fact.value, fact.value_max
    if fact.change == "decrease" and value_max is None:
        # A fall is negative in a briefing; a range (降温6—10℃) stays as printed, its words say "fall".
        value = -abs(value)
    comparison: dict[str, Any] | None = None
    if fact.comparison is not None:
        kind = _COMPARISON_KIND.get(fact.comparison.kind)
        if fact.comparison.kind == "vs_baseline":
            kind = "below_baseline" if fact.comparison.direction == "lower" else "above_baseline"
        if kind is not None:
            baseline = fact.comparison.baseline or ""
            comparison = {
                "kind": kind,
                "baseline_en": _RANK_BASELINE_EN.get(baseline)
                if kind == "rank_among"
                else _BASELINE_EN.get(baseline),
                "difference": fact.comparison.difference,
                "difference_unit": fact.comparison.unit if fact.comparison.unit in UNITS else None,
            }
    quote, quote_start = _quote_for(fact, original, floor)
    indicator_en = fact.indicator_en or f"(untranslated) {fact.indicator_zh or fact.text}"
    if fact.change is not None and comparison is None:
        indicator_en = change_indicator(indicator_en, fact.change, fact.unit, translated=bool(fact.indicator_en))
    return {
        "indicator_zh": fact.indicator_zh or fact.text,
        "indicator_en": indicator_en,
        "value": value,
        "value_max": value_max,
        "unit": fact.unit,
        "measure": fact.measure,
        "qualifier": fact.qualifier
        if fact.qualifier in QUALIFIERS
        else "exact",
        "period": period,
        "cumulative": fact.cumulative,
        "status": fact.status,
        "comparison": comparison,
        "source_quote": quote,
        # The quote's own occurrence and its figure's: a table cell's "153.6" may stand twice.
        "span": {"start": quote_start, "end": quote_start + len(quote)},
        "value_span": {"start": fact.start, "end": fact.end},
    }


def article_from_facts(segment: Segment, facts: list[Fact], original: str) -> ArticleBriefing:
    """The unverified draft of one article's rules-only briefing."""
    metrics: list[Metric] = []
    seen: set[tuple[Any, ...]] = set()
    places: set[tuple[int, int]] = set()
    for fact in facts:
        data = metric_from_fact(fact, original, segment.start)
        if data is None:
            continue
        identity = (data["indicator_zh"], data["value"], data["unit"], data["period"], data["status"])
        if identity in seen or (fact.start, fact.end) in places:  # a figure repeated in the heading or the lead
            continue
        seen.add(identity)
        places.add((fact.start, fact.end))
        try:
            metrics.append(Metric.model_validate(data))
        except ValidationError:
            continue
    return ArticleBriefing(
        index=segment.index,
        headline_zh=segment.title,
        headline_en=FACTS_ONLY_HEADLINE,
        byline_zh=segment.byline,
        source_tag_zh=segment.source_tag,
        credit_zh=segment.signoff,
        region=segment.region,
        summary_en=FACTS_ONLY_SUMMARY,
        metrics=metrics,
    )
