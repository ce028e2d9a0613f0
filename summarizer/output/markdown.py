"""Render a :class:`~summarizer.briefing.models.PageBriefing` as an English Markdown briefing, or as JSON.

Per article: headline (English, then the Chinese original), dateline/byline/region, the summary,
key points, a key-figures table in English units ("CNY 1.7 trn", "+15% y/y", "+0.3 pp"), targets,
programmes, organisations, caveats and a verification line. Claims that failed verification are
never shown among the verified content: they are listed separately under "Not verified".

Units follow common analyst usage: currency code first (CNY, USD, EUR), scale words mn / bn / trn
(10^6 / 10^9 / 10^12), "pp" for percentage points, "y/y" for year on year.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from summarizer.briefing.models import (
    ArticleBriefing,
    Comparison,
    Metric,
    PageBriefing,
    RunMetadata,
    TokenUsage,
)

__all__ = [
    "QUALIFIER_WORDS",
    "format_amount",
    "format_metric_value",
    "format_period",
    "provenance_line",
    "reads_as_change",
    "render_json",
    "render_markdown",
    "run_line",
]

_CURRENCIES = {"CNY", "USD", "EUR"}
_UNIT_SUFFIX = {
    "PFlops": " PFlops",
    "EFlops": " EFlops",
    "TFlops": " TFlops",
    "tonne": " tonnes",
    "kWh": " kWh",
    "MW": " MW",
    "GW": " GW",
    "Gbps": " Gbps",
    "Tbps": " Tbps",
    "km": " km",
    "square_metre": " m²",
    "hectare": " ha",
    "mu": " mu",
    "person": " people",
    "person_time": " person-times",
    "passenger_km": " passenger-km",
    "tonne_km": " tonne-km",
    "TEU": " TEU",
    "km2": " km²",
    "m2": " m²",
    "m3": " m³",
    "degC": "°C",
}
QUALIFIER_WORDS = {
    "more_than": "over ",
    "nearly": "nearly ",
    "about": "about ",
    "less_than": "under ",
    "exact": "",
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _trim(value: float, digits: int = 3) -> str:
    """A number with at most ``digits`` decimals and no trailing zeros: 1.70 -> 1.7, 12.0 -> 12."""
    text = f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _scaled(value: float) -> str:
    """1.7e12 -> '1.7 trn', 8.96e10 -> '89.6 bn', 7e7 -> '70 mn', 133000 -> '133,000'."""
    magnitude = abs(value)
    for threshold, word in ((1e12, "trn"), (1e9, "bn"), (1e6, "mn")):
        if magnitude >= threshold:
            return f"{_trim(value / threshold)} {word}"
    return _trim(value)


def _ordinal(number: float) -> str:
    if not float(number).is_integer():
        return _trim(number)
    n = int(number)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_amount(value: float, unit: str) -> str:
    """A value in English units: CNY 1.7 trn, 15%, 0.3 pp, 2x, 8th, 5,200 PFlops."""
    if unit in _CURRENCIES:
        return f"{unit} {_scaled(value)}"
    if unit == "percent":
        return f"{_trim(value)}%"
    if unit == "percentage_point":
        return f"{_trim(value)} pp"
    if unit == "times":
        return f"{_trim(value)}x"
    if unit == "rank":
        return _ordinal(value)
    # Every physical unit is shown: a bare "11.01 bn" would hide what is counted.
    suffix = _UNIT_SUFFIX.get(unit, "" if unit in ("count", "number") else f" {unit}")
    return f"{_scaled(value)}{suffix}"


_CHANGE_WORDING = re.compile(r"(?:growth|decline|increase|decrease|rise|fall|change)\s+(?:of|in)\b", re.IGNORECASE)


def reads_as_change(indicator_en: str) -> bool:
    """An indicator that names a change ("growth of …", "decline in …", "change in …"): its value is
    shown signed, +15% / -8.5%, even without a year-on-year comparison."""
    return _CHANGE_WORDING.match(indicator_en.strip()) is not None


def _signed(text: str, value: float) -> str:
    return text if value < 0 or text.startswith(("+", "-")) else f"+{text}"


def format_metric_value(metric: Metric) -> str:
    """The value of a metric in English units, with its qualifier and comparison."""
    unit = metric.unit
    amount = format_amount(metric.value, unit)
    if metric.value_max is not None:
        upper = format_amount(metric.value_max, unit)
        amount = f"{format_amount(metric.value, unit).removesuffix('%').removesuffix(' pp')}–{upper}"
    comparison: Comparison | None = metric.comparison
    kind = comparison.kind if comparison is not None else None
    if kind == "year_on_year" or (comparison is None and reads_as_change(metric.indicator_en)):
        amount = _signed(amount, metric.value)
    if unit == "rank":
        # 居全国前七: a rank range starting at first place is a "top N", not "1st–7th".
        top = metric.value == 1 and metric.value_max is not None
        amount = f"top {_trim(metric.value_max or 0)}" if top else f"ranked {amount}"
    text = QUALIFIER_WORDS[metric.qualifier] + amount
    if comparison is None:
        return text
    baseline = comparison.baseline_en or comparison.baseline_zh
    if kind == "year_on_year":
        text += " y/y"
    elif kind == "change_from" and comparison.from_value is not None:
        text += f" (from {format_amount(comparison.from_value, unit)})"
    elif kind in ("above_baseline", "below_baseline"):
        direction = "above" if kind == "above_baseline" else "below"
        gap = ""
        difference = comparison.difference
        gap_unit = comparison.difference_unit or unit
        if difference is not None and not (gap_unit == unit and abs(difference) == abs(metric.value)):
            gap = format_amount(abs(difference), gap_unit) + " "
        text += f"{', ' if gap else ' '}{gap}{direction} {baseline or 'the baseline'}"
    elif kind == "share_of" and baseline:
        text += f" of {baseline}"
    elif kind == "rank_among" and baseline:
        text += f" {baseline}" if baseline.startswith(("in ", "nationwide")) else f" among {baseline}"
    return text


def _month(point: str) -> str:
    year, _, rest = point.partition("-")
    if not rest:
        return year
    if rest.startswith("Q") or rest.startswith("H"):
        return f"{rest} {year}"
    month, _, day = rest.partition("-")
    name = _MONTHS[int(month) - 1] if month.isdigit() and 1 <= int(month) <= 12 else month
    return f"{int(day)} {name} {year}" if day else f"{name} {year}"


def format_period(period: str | None) -> str:
    """ISO period to English: 2023 -> 2023; 2023-01/2023-11 -> Jan–Nov 2023."""
    if not period:
        return ""
    start, _, end = period.partition("/")
    if not end:
        return _month(start)
    if start[:4] == end[:4] and len(start) == len(end) == 7:
        return f"{_month(start).split()[0]}–{_month(end)}"
    return f"{_month(start)} – {_month(end)}"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ").strip()


def _status(metric: Metric) -> str:
    return {"actual": "actual", "estimate": "**estimate**", "target": "**target**"}[metric.status]


def _metrics_table(metrics: Iterable[Metric]) -> list[str]:
    rows = [
        "| Indicator | Value | Period | Status | Source |",
        "|---|---|---|---|---|",
    ]
    for metric in metrics:
        period = format_period(metric.period)
        if metric.cumulative:
            period = f"{period} (cumulative)".strip()
        rows.append(
            f"| {_cell(metric.indicator_en)} | {_cell(format_metric_value(metric))} | {_cell(period)} | "
            f"{_status(metric)} | {_cell(metric.source_quote)} |"
        )
    return rows


def _verification_line(article: ArticleBriefing) -> str:
    summary = article.verification
    unverified = len(article.unverified)
    if summary is None:
        text = "**Verification:** no summary recorded"
    else:
        text = f"**Verification:** {summary.verified} of {summary.checked} checked claims verified against the source"
    if summary is not None and summary.facts_found:
        text += f"; the briefing covers {summary.facts_mentioned} of {summary.facts_found} figures the rules found"
    if unverified:
        text += (
            f". **{unverified} claim(s) could not be verified** and are listed below, not in the briefing."
        )
    else:
        text += "."
    return text


def _article_markdown(position: int, article: ArticleBriefing) -> list[str]:
    lines = [f"## {position}. {article.headline_en}", ""]
    if article.headline_zh:
        lines += [f"*{article.headline_zh}*", ""]
    facts = []
    if article.region is not None:
        place = article.region.en
        if article.region.city_en:
            place = f"{article.region.city_en}, {place}"
        facts.append(place)
    if article.dateline:
        facts.append(article.dateline)
    if article.outlet:
        facts.append(article.outlet)
    if article.byline_en or article.byline_zh:
        facts.append(article.byline_en or article.byline_zh or "")
    if facts:
        lines += [" · ".join(facts), ""]
    lines += [article.summary_en, ""]
    if article.key_points:
        lines += ["**Key points**", ""] + [f"- {point}" for point in article.key_points] + [""]
    if article.metrics:
        lines += ["**Key figures**", "", *_metrics_table(article.metrics), ""]
    if article.targets:
        lines += ["**Targets**", ""]
        for target in article.targets:
            when = f" ({format_period(target.period)})" if target.period else ""
            lines.append(f"- {target.description_en}{when} — {target.source_quote}")
        lines.append("")
    if article.programmes:
        lines += ["**Programmes and policies**", ""]
        for programme in article.programmes:
            lines.append(
                f"- **{programme.name_en}** ({programme.name_zh}), {programme.kind.replace('_', ' ')}: "
                f"{programme.description_en}"
            )
        lines.append("")
    if article.organisations:
        lines += ["**Organisations**", ""]
        for organisation in article.organisations:
            role = f": {organisation.role_en}" if organisation.role_en else ""
            lines.append(f"- {organisation.name_en} ({organisation.name_zh}){role}")
        lines.append("")
    if article.caveats:
        lines += ["**Caveats**", ""]
        for caveat in article.caveats:
            quote = f" — {caveat.source_quote}" if caveat.source_quote else ""
            lines.append(f"- {caveat.kind.replace('_', ' ')}: {caveat.description_en}{quote}")
        lines.append("")
    lines += [_verification_line(article), ""]
    if article.unconfirmed:
        lines += ["**Not confirmed by the rules (kept above; check before relying on them)**", ""]
        for note in article.unconfirmed:
            lines.append(f"- `{note.pointer}` {_cell(note.claim)}: {note.problem.replace('_', ' ')} — {note.reason}")
        lines.append("")
    if article.unverified:
        lines += ["**Contradicted by the source (excluded from the briefing above)**", ""]
        for claim in article.unverified:
            lines.append(
                f"- `{claim.pointer}` {_cell(claim.claim)}: {claim.problem.replace('_', ' ')} — {claim.reason}"
            )
        lines.append("")
    return lines


def provenance_line(metadata: RunMetadata) -> str:
    """Who wrote the briefing: a model (named), a person (the reference) or the rules."""
    if metadata.generated_by == "llm":
        return f"Generated by {metadata.model}" + (f" ({metadata.provider})" if metadata.provider else "")
    if metadata.generated_by == "reference":
        return "Hand-written reference briefing (not a model's output)"
    return "Rule-based facts only (no language model)"


def _counted_by(usage: TokenUsage) -> str:
    counter = usage.counter or "calibrated estimate"
    if usage.counted_by == "provider":
        return "provider-reported"
    if usage.counted_by == "mixed":
        return f"provider-reported, {usage.counted_tokens:,} of them counted here ({counter}) for requests that reported none"
    if usage.counted_by == "tokenizer":
        return f"tokenizer-counted ({counter}): the endpoint reported none"
    return f"estimated ({counter}): the endpoint reported none"


def run_line(metadata: RunMetadata) -> str:
    """Prompt version, tokens, cost, requests and cache use of the run, or an empty string."""
    parts = []
    if metadata.prompt_version:
        parts.append(f"prompt {metadata.prompt_version}")
    if metadata.usage is not None and metadata.usage.total_tokens:
        usage = metadata.usage
        parts.append(
            f"{usage.total_tokens:,} tokens ({usage.prompt_tokens:,} in, {usage.completion_tokens:,} out; "
            f"{_counted_by(usage)})"
        )
    if metadata.generated_by == "llm":
        if metadata.cost_usd is not None:
            parts.append(
                f"estimated cost USD {metadata.cost_usd:.4f}" + (f" ({metadata.price})" if metadata.price else "")
            )
        elif metadata.price:
            parts.append(metadata.price)
    if metadata.llm_calls:
        parts.append(f"{metadata.llm_calls} model requests, {metadata.reasks} re-asks")
    if metadata.cache_hits or metadata.cache_misses:
        parts.append(f"cache {metadata.cache_hits} hits / {metadata.cache_misses} misses")
    return "; ".join(parts)


def render_markdown(page: PageBriefing, *, title: str | None = None) -> str:
    """The English Markdown briefing of a page."""
    metadata = page.metadata
    heading = title or (page.source.path or "Briefing")
    lines = [f"# Briefing: {heading}", ""]
    source = []
    if page.source.path:
        source.append(f"Source: {page.source.path}")
    if page.source.source:
        source.append(page.source.source)
    source.append(f"{len(page.articles)} article(s)")
    source.append(provenance_line(metadata))
    lines += [" · ".join(source), ""]
    if metadata.notes:
        lines += [f"> {line}" if line else ">" for line in metadata.notes.splitlines()] + [""]
    for position, article in enumerate(page.articles, start=1):
        lines += _article_markdown(position, article)
        lines += ["---", ""]
    run = run_line(metadata)
    if run:
        lines += [f"*Run: {run}.*", ""]
    return "\n".join(lines).rstrip() + "\n"


def render_json(page: PageBriefing) -> str:
    """The JSON briefing: UTF-8 with Chinese as text, two-space indent, trailing newline."""
    return json.dumps(page.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
