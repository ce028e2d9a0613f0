"""Metrics: a briefing's figures against the facts stated where each one's quote stands.

For every metric the quote is grounded, the figures inside it are the candidates, and the one the
claimed value reads is compared field by field. What the rules are sure of decides the verdict:

* **value** — the same magnitude, or a decline given as a positive number where the source states
  a decline (下降8.5%) is contradicted; a value a power of ten away is a scale error; a value the quote
  does not hold at all is contradicted (never compute new numbers);
* **unit** — percent for percentage points is contradicted; a unit the source leaves implicit (a bare
  number) is unconfirmed;
* **qualifier** — dropping the source's bound (突破, 近, 不到) or reversing it is contradicted; adding
  "about" to an exact figure is unconfirmed;
* **status** — a figure the source states as a target or an estimate by a cue of its own sentence (or
  of its section's plan heading) may not be stated as achieved; a status the rules only inherit is
  unconfirmed;
* **period** — a year the source's period does not cover is contradicted when the period is stated in
  the figure's sentence, else unconfirmed; a coarser or finer period of the same years is unconfirmed.
"""

from __future__ import annotations

import re
from datetime import timedelta

from summarizer.briefing.models import Metric, Span
from summarizer.verify.compare import (
    UNIT_WORDS,
    best_match,
    describe,
    fmt,
    power_of_ten,
    same_value,
    scale_hint,
    units_compatible,
)
from summarizer.verify.context import CheckContext, short
from summarizer.verify.grounding import ground
from summarizer.verify.source import Evidence, Located, period_end, period_years

__all__ = ["check_metric", "check_metric_consistency"]

_STATUS_WORDS = {"actual": "achieved", "estimate": "an estimate", "target": "a target"}
_DECLINE_WORDS = re.compile(r"\b(?:declin|fall|fell|drop|decreas|reduc|down|cut|sav|lower|contract|shrink)", re.I)
_UPPER_BOUNDS = frozenset({"nearly", "less_than"})


_WRITTEN_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _label_years(metric: Metric) -> set[int] | None:
    """The years an indicator's English label may name: its period's and those its quote and Chinese
    indicator write ("the second half of 2023" for 2023年下半年财经精品节目)."""
    written = _WRITTEN_YEAR.findall(metric.source_quote + (metric.indicator_zh or ""))
    return period_years(metric.period) | {int(year) for year in written} or None


def check_metric(context: CheckContext, number: int, metric: Metric) -> None:
    from summarizer.verify.prose import check_prose

    base = f"/metrics/{number}"
    label = f"metrics[{number}] ({short(metric.indicator_en, 40)})"
    located = ground(context, base + "/source_quote", label, metric.source_quote, "source_quote", metric.span)
    if located is None:
        check_prose(context, base + "/indicator_en", metric.indicator_en, hedged=True)
        return
    if context.fill_spans:
        metric.span = Span(start=located.start, end=located.end)
        pieces = _merge_layout_gaps(list(located.pieces), context.source.original)
        metric.span_pieces = [Span(start=a, end=b) for a, b in pieces] if len(pieces) > 1 else None
    candidates = context.source.evidence_within(located.start, located.end)
    if not candidates and located.where == "article":
        candidates = context.source.quote_figures(metric.source_quote, located)
    check_prose(context, base + "/indicator_en", metric.indicator_en, hedged=True, pool=candidates, years=_label_years(metric))
    if not candidates:
        context.contradicted(
            base + "/value",
            metric.value,
            "not_in_source",
            f"{label}: the quote '{short(metric.source_quote)}' contains no number; quote the passage that states the figure",
            Span(start=located.start, end=located.end),
        )
        return
    named = (metric.value_span.start, metric.value_span.end) if metric.value_span is not None else None
    best = best_match(candidates, metric.value, metric.unit, context.value_spans.keys(), named)
    span = Span(start=best.start, end=best.end)
    if context.fill_spans:
        metric.value_span = span
    if best.is_fact and _same_magnitude(metric.value, best):
        earlier = context.value_spans.setdefault((best.start, best.end), number)
        if earlier != number:
            context.contradicted(
                base + "/value",
                metric.value,
                "wrong_value",
                f"{label}: reads {best.text} at the same place in the source as metrics[{earlier}]; each figure of "
                "the source is one metric, so one of the two reads the wrong number of its quote",
                span,
            )
    context.mark_mentioned(abs(best.value), best.unit)
    before = len(context.results)
    _check_value(context, base, label, metric, best, candidates, span)
    if all(r.ok for r in context.results[before:]):
        context.labels_by_span[(best.start, best.end)] = metric.indicator_en
    _check_status(context, base, label, metric, best, span)
    _check_period(context, base, label, metric, best, span, located)
    _check_extra_numbers(context, base, label, metric, candidates, span)


def _same_magnitude(value: float, item: Evidence) -> bool:
    return same_value(abs(value), abs(item.value)) or same_value(abs(value), item.prose_value())


def _check_value(
    context: CheckContext, base: str, label: str, metric: Metric, best: Evidence, candidates: list[Evidence], span: Span
) -> None:
    claimed = metric.value
    unit_ok = units_compatible(metric.unit, best.unit) or (
        metric.unit == "percent" and best.prose_unit() == "percent"
    )
    if _same_magnitude(claimed, best):
        if not _reads_another_figure(context, base, label, metric, best, candidates, span):
            _check_sign(context, base, label, metric, best, span)
    elif unit_ok and (exponent := power_of_ten(claimed, best.value)) is not None:
        # Even a bare numeral is held: the quote states no number equal to the value, so nothing in it
        # supports the claim (the scale is only the likeliest way it went wrong).
        context.contradicted(
            base + "/value",
            claimed,
            "wrong_scale",
            f"{label}: value {fmt(claimed)} is 10^{exponent} times the source's {describe(best)} ({scale_hint(exponent)})",
            span,
        )
    else:
        stated = ", ".join(describe(c) for c in candidates[:4])
        context.contradicted(
            base + "/value",
            claimed,
            "wrong_value",
            f"{label}: value {fmt(claimed)} is not stated in the quote, which gives {stated}; use the number the source states",
            span,
        )
    if unit_ok:
        context.verified(base + "/unit", metric.unit, f"{label}: unit {metric.unit} agrees", span)
    elif not best.is_fact or best.unit == "number":
        context.unconfirmed(
            base + "/unit",
            metric.unit,
            "wrong_unit",
            f"{label}: the source writes {best.text} without a unit the rules can read; '{metric.unit}' is not confirmed",
            span,
        )
    else:
        context.contradicted(
            base + "/unit",
            metric.unit,
            "wrong_unit",
            f"{label}: unit '{metric.unit}' but the source's {best.text} is {UNIT_WORDS.get(best.unit, best.unit)}",
            span,
        )
    _check_qualifier(context, base, label, metric, best, span)


_SCOPE_PREFIX = re.compile(r"^(?:全省|全市|全国|全区|全县|其中|全年|当年)")
_CHANGE_SUFFIX = re.compile(r"(?:的)?(?:同比)?(?:增长|增速|增幅|下降|降幅|增加|减少|比重|占比)$")


def _names(fact_zh: str, metric_zh: str) -> bool:
    """Whether a metric's Chinese indicator names the figure the rules read as ``fact_zh``: it contains
    it (工业税收增长 names 工业税收), or its core without the change word is part of it (软件信息服务增长
    names 软件信息服务三大支柱产业)."""
    fact = _SCOPE_PREFIX.sub("", fact_zh)
    core = _CHANGE_SUFFIX.sub("", metric_zh)
    return (len(fact) >= 2 and fact in metric_zh) or (len(core) >= 2 and core in fact)


def _reads_another_figure(
    context: CheckContext, base: str, label: str, metric: Metric, best: Evidence, candidates: list[Evidence], span: Span
) -> bool:
    """A quote states several figures (分别, a list, 10省市二级节点47个) and the metric's value is the figure
    of another indicator than the one it names: two values swapped between metrics. Told apart by the
    measure word (省市 is not 个) or by the indicator the rules read for each figure (工业税收 17.9%,
    制造业税收 16.8%): the metric's indicator_zh names another figure of the quote and not this one."""
    if not best.is_fact or metric.value_max is not None:
        return False
    # The metric's own comparison (从5小时缩短到2小时: from_value 5) is of the same indicator.
    stated = [v for v in (metric.comparison.from_value, metric.comparison.difference) if v is not None] if metric.comparison else []
    others = [
        c for c in candidates
        if c.is_fact and c is not best and units_compatible(metric.unit, c.unit) and not _same_magnitude(metric.value, c)
        and not any(_same_magnitude(v, c) for v in stated)
    ]  # fmt: skip
    if not others:
        return False
    named: list[Evidence] = []
    if metric.measure and best.measure and metric.measure != best.measure:
        named = [c for c in others if c.measure == metric.measure]
    zh = metric.indicator_zh
    if not named and zh and best.indicator_zh and not _names(best.indicator_zh, zh):
        named = [
            c for c in others
            if c.indicator_zh and _names(c.indicator_zh, zh)
            and not _names(c.indicator_zh, best.indicator_zh) and not _names(best.indicator_zh, c.indicator_zh)
        ]  # fmt: skip
    if not named:
        return False
    other = named[0]
    context.contradicted(
        base + "/value",
        metric.value,
        "wrong_value",
        f"{label}: value {fmt(metric.value)} is the quote's figure for {best.indicator_zh or best.text} ({best.text}); "
        f"what the metric names ({zh or metric.measure}) is {other.text}: two figures swapped",
        span,
    )
    return True


def _check_sign(context: CheckContext, base: str, label: str, metric: Metric, best: Evidence, span: Span) -> None:
    claimed = metric.value
    declines = best.value < 0 or best.change == "decrease"
    if declines and claimed > 0 and not _DECLINE_WORDS.search(metric.indicator_en) and best.is_fact:
        context.contradicted(
            base + "/value",
            claimed,
            "wrong_value",
            f"{label}: the source states a decline ({best.text}); a decline is a negative value, or say so in the indicator",
            span,
        )
    elif claimed < 0 and not declines:
        context.unconfirmed(
            base + "/value",
            claimed,
            "wrong_value",
            f"{label}: value {fmt(claimed)} is negative, but the rules read {best.text} without a decline",
            span,
        )
    else:
        context.verified(base + "/value", claimed, f"{label}: value agrees with {best.text}", span)


def _check_qualifier(context: CheckContext, base: str, label: str, metric: Metric, best: Evidence, span: Span) -> None:
    claimed, source = metric.qualifier, best.qualifier
    pointer = base + "/qualifier"
    if claimed == source or (claimed in _UPPER_BOUNDS and source == "nearly"):
        context.verified(pointer, claimed, f"{label}: qualifier agrees", span)
        return
    if not best.is_fact:
        context.unconfirmed(pointer, claimed, "wrong_qualifier", f"{label}: the rules read no qualifier at {best.text}", span)
        return
    if claimed == "about" or (source == "about" and claimed == "exact"):
        context.unconfirmed(
            pointer,
            claimed,
            "wrong_qualifier",
            f"{label}: qualifier '{claimed}' but the source writes {best.text} as '{source}'",
            span,
        )
        return
    context.contradicted(
        pointer,
        claimed,
        "wrong_qualifier",
        f"{label}: qualifier '{claimed}' but the source qualifies {best.text} as '{source}' "
        "(突破/超过/以上 more_than, 近 nearly, 约/左右 about, 不到/低于 less_than)",
        span,
    )


def _check_status(context: CheckContext, base: str, label: str, metric: Metric, best: Evidence, span: Span) -> None:
    pointer = base + "/status"
    if best.status is None:
        context.unconfirmed(pointer, metric.status, "wrong_status", f"{label}: the rules do not know the status of {best.text}", span)
        return
    if metric.status == best.status:
        context.verified(pointer, metric.status, f"{label}: status agrees", span)
        return
    if metric.status == "actual" and best.status_sure:
        context.contradicted(
            pointer,
            metric.status,
            "wrong_status",
            f"{label}: the source states {best.text} as {_STATUS_WORDS[best.status]}, not as achieved; a "
            f"{best.status} must never be reported as actual",
            span,
        )
        return
    if metric.status == "actual" and _not_over(context, metric.period):
        context.contradicted(
            pointer, metric.status, "wrong_status",
            f"{label}: status 'actual' for {metric.period}, but the article is dated {context.source.document_date} "
            f"and the rules read {best.text} as {_STATUS_WORDS[best.status]}: a result for a period not yet over "
            "is not known",
            span,
        )  # fmt: skip
        return
    verdict = context.contradicted if best.marked_achieved else context.unconfirmed
    verdict(
        pointer,
        metric.status,
        "wrong_status",
        f"{label}: status '{metric.status}' but the rules read {best.text} as {_STATUS_WORDS[best.status]}",
        span,
    )


# A release may report a month or a quarter in its last days (a January report of 1月 figures): a period
# ending more than a month after the article's date has not been lived through.
_NOT_YET_OVER = timedelta(days=31)


def _not_over(context: CheckContext, period: str | None) -> bool:
    """Whether ``period`` ends well after the article's date, so that no result for it can be known."""
    end, written = period_end(period), context.source.document_date
    return end is not None and written is not None and end > written + _NOT_YET_OVER


def _check_period(
    context: CheckContext, base: str, label: str, metric: Metric, best: Evidence, span: Span, located: Located
) -> None:
    if metric.period is None:
        return
    pointer = base + "/period"
    claimed = period_years(metric.period)
    source_period = best.period if best.is_fact else None
    if source_period is not None:
        if metric.period == source_period:
            context.verified(pointer, metric.period, f"{label}: period agrees", span)
        elif claimed & period_years(source_period):
            context.unconfirmed(
                pointer,
                metric.period,
                "wrong_period",
                f"{label}: period {metric.period}; the source gives {best.text} for {source_period}",
                span,
            )
        else:
            # The rules' period is sure unless the figure's own sentence names the claimed year (as a
            # comparison base, a start, a second period the rules did not pick).
            verdict = context.contradicted if best.period_certain(claimed) else context.unconfirmed
            verdict(
                pointer,
                metric.period,
                "wrong_period",
                f"{label}: period {metric.period} but the source gives {best.text} for {source_period}",
                span,
            )
        return
    if claimed and not claimed & context.source.years:
        context.contradicted(
            pointer,
            metric.period,
            "wrong_period",
            f"{label}: period {metric.period} is not a year the article or its date gives "
            f"({', '.join(map(str, sorted(context.source.years))) or 'none'})",
            span,
        )
    else:
        context.unconfirmed(
            pointer, metric.period, "wrong_period", f"{label}: the rules know no period for {best.text}", span
        )


def _check_extra_numbers(
    context: CheckContext, base: str, label: str, metric: Metric, candidates: list[Evidence], span: Span
) -> None:
    extras: list[tuple[str, float, str]] = []
    if metric.value_max is not None:
        extras.append(("/value_max", metric.value_max, metric.unit))
    if metric.comparison is not None:
        if metric.comparison.from_value is not None:
            extras.append(("/comparison/from_value", metric.comparison.from_value, metric.unit))
        if metric.comparison.difference is not None:
            extras.append(("/comparison/difference", metric.comparison.difference, metric.comparison.difference_unit or metric.unit))
    for suffix, value, unit in extras:
        ends = [(c, c.value) for c in candidates] + [(c, c.value_max) for c in candidates if c.value_max is not None]
        matches = [c for c, v in ends if v is not None and same_value(abs(v), abs(value))]
        if matches and any(units_compatible(unit, c.unit) for c in matches):
            context.verified(base + suffix, value, f"{label}: {suffix[1:]} is in the quote", span)
            context.mark_mentioned(abs(value), unit)
        elif matches:
            context.unconfirmed(
                base + suffix,
                value,
                "wrong_unit",
                f"{label}: {suffix[1:]} {fmt(value)} is in the quote as {matches[0].text} ({matches[0].unit}), not {unit}",
                span,
            )
        else:
            context.contradicted(
                base + suffix,
                value,
                "not_in_source",
                f"{label}: {suffix[1:]} {fmt(value)} is not in the quote (it gives "
                f"{', '.join(describe(c) for c in candidates[:4])}); quote the passage that states it or leave the field null",
                span,
            )


def check_metric_consistency(context: CheckContext) -> None:
    """Two metrics with the same indicator, unit, period and status should give the same value; when
    they do not, one of them describes its figure wrongly (the rules cannot tell which)."""
    seen: dict[tuple[str, str, str | None, str], int] = {}
    metrics = context.article.metrics
    for number, metric in enumerate(metrics):
        words = " ".join(re.split(r"[\s\-]+", metric.indicator_en.lower().strip()))
        key = (words, metric.unit, metric.period, metric.status)
        first = seen.setdefault(key, number)
        if first != number and not same_value(metric.value, metrics[first].value):
            context.unconfirmed(
                f"/metrics/{number}/indicator_en",
                metric.indicator_en,
                "wrong_indicator",
                f"metrics[{number}]: same indicator, unit, period and status as metrics[{first}] but value "
                f"{fmt(metric.value)} instead of {fmt(metrics[first].value)}; say what each number measures",
                metric.value_span,
            )


def _merge_layout_gaps(pieces: list[tuple[int, int]], original: str | None) -> list[tuple[int, int]]:
    """Adjacent pieces separated only by whitespace (a joined line break) count as one piece."""
    merged: list[tuple[int, int]] = []
    for start, end in pieces:
        if merged and original is not None and merged[-1][1] <= start and not original[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
