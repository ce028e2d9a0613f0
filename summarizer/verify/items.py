"""Targets, programmes, organisations, caveats and heading fields: grounded, and their numbers checked.

* a target's quote must be in the article and state a goal: a quote whose figures the source states
  as achieved, by a cue of their own sentence or as a plain report, is not a target; its period must
  be a year the quote gives (its own time words, its figures, its sentence's figures, its section's
  year): contradicted when the rules are sure of those, else a year of the article is unconfirmed;
* a programme's and an organisation's Chinese name must be in the article, and the digits of the
  English name those of the Chinese name; a year in its description or role must be a year of the
  sentences that name it;
* a caveat's quote must be in the article; a caveat that disputes the source (source_error,
  internal_inconsistency) may state a number the source does not (the correct sum), so such a number
  is unconfirmed, not contradicted;
* every English description is checked like any prose (:mod:`summarizer.verify.prose`).
"""

from __future__ import annotations

import re

from summarizer.briefing.models import Span
from summarizer.rules.dates import resolve_period
from summarizer.rules.periods import find_periods
from summarizer.verify.context import CheckContext
from summarizer.verify.grounding import check_heading, ground
from summarizer.verify.prose import check_name_digits, check_prose
from summarizer.verify.source import Evidence, Located, matching_form, period_years

__all__ = ["check_items"]

_WRITTEN_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_DISPUTING = frozenset({"source_error", "internal_inconsistency"})


def _years_at(context: CheckContext, located: Located | None) -> set[int]:
    """Years the article gives for a passage: the periods of the figures inside it."""
    if located is None:
        return set()
    years: set[int] = set()
    for item in context.source.evidence_within(located.start, located.end):
        years |= period_years(item.period)
    return years


_SENTENCE_END = "。！？!?；;\n"


def _target_years(
    context: CheckContext, quote: str, located: Located | None, claimed: set[int]
) -> tuple[set[int], bool]:
    """The years the article gives a target's quote, and whether the rules are sure of them.

    Sure: a time expression of the quote itself (今年 with the document's date, 到2025年), the periods of
    the quote's figures, of its sentence's figures or of its section (a figure of the paragraph dated by
    the section's heading, 2024年，…将…) when the rules are sure of those (:meth:`Evidence.period_certain`).
    Else the years of the figures around it, which are not sure.
    """
    if located is None:
        return set(), False
    sure_years = _written_years(context, matching_form(quote))
    inside = [e for e in context.source.evidence_within(located.start, located.end) if e.is_fact and e.period]
    if inside:
        sure_years |= _held_years(inside, claimed)
        return sure_years, bool(sure_years)
    body = context.source.body
    text = body.text
    needle = matching_form(quote).strip()
    position = text.find(needle)
    if position < 0:
        return sure_years, bool(sure_years)
    sentence = body.to_original(*_bounds(text, position, position + len(needle), _SENTENCE_END))
    around = [e for e in context.source.evidence_within(*sentence) if e.is_fact and e.period]
    paragraph = body.to_original(*_bounds(text, position, position + len(needle), "\n"))
    around += [
        e for e in context.source.evidence_within(*paragraph) if e.is_fact and e.period and e.period_scope == "section"
    ]
    sure_years |= _held_years(around, claimed)
    if sure_years:
        return sure_years, True
    return _years_of_sentences(context, quote), False


def _held_years(figures: list[Evidence], claimed: set[int]) -> set[int]:
    """The years of ``figures`` when the rules are sure of every one of them, else none."""
    if not all(e.period_certain(claimed) for e in figures):
        return set()
    years: set[int] = set()
    for item in figures:
        years |= period_years(item.period)
    return years


def _years_of_sentences(context: CheckContext, name: str) -> set[int]:
    """Years the article gives where a name stands: the years its sentence writes out and the periods
    of that sentence's figures, else the periods of its paragraph's figures (a plan section's 2024).
    Empty when the rules know none (nothing is then held)."""
    needle = matching_form(name).strip()
    if not needle:
        return set()
    body = context.source.body
    text = body.text
    years: set[int] = set()
    facts: list[Evidence] | None = None  # made on first need
    for start, end in body.find_all(needle):
        sentence = _bounds(text, start, end, _SENTENCE_END)
        paragraph = _bounds(text, start, end, "\n")
        found = _written_years(context, text[sentence[0] : sentence[1]])
        found |= _fact_years(context, body.to_original(*sentence))
        if not found:
            found = _fact_years(context, body.to_original(*paragraph))
        if not found:  # a paragraph without figures belongs with the figures around it (a plan section)
            at, _ = body.to_original(start, end)
            facts = context.source.facts() if facts is None else facts
            before = [item for item in facts if item.end <= at and item.period]
            after = [item for item in facts if item.start >= at and item.period]
            for item in before[-1:] + after[:1]:
                found |= period_years(item.period)
        years |= found
    return years


def _written_years(context: CheckContext, sentence: str) -> set[int]:
    """The years a sentence writes out (2023年) or names relative to the document's date (今年底)."""
    years = {int(y) for y in _WRITTEN_YEAR.findall(sentence)}
    anchor = context.source.document_date
    for mention in find_periods(sentence):
        years |= period_years(mention.period)
        if anchor is not None:
            years |= period_years(resolve_period(mention, anchor, ahead_allowed=True))
    return years


def _bounds(text: str, start: int, end: int, stops: str) -> tuple[int, int]:
    lo = max(text.rfind(stop, 0, start) for stop in stops) + 1
    ends = [position for stop in stops if (position := text.find(stop, end)) >= 0]
    return lo, min(ends) if ends else len(text)


def _fact_years(context: CheckContext, span: tuple[int, int]) -> set[int]:
    years: set[int] = set()
    for item in context.source.evidence_within(*span):
        if item.is_fact:
            years |= period_years(item.period)
    return years


def check_items(context: CheckContext) -> None:
    article = context.article
    source = context.source
    for number, target in enumerate(article.targets):
        base, label = f"/targets/{number}", f"targets[{number}]"
        located = ground(context, base + "/source_quote", label, target.source_quote, "source_quote", target.span)
        if located is not None:
            if context.fill_spans:
                target.span = Span(start=located.start, end=located.end)
            _check_target_status(context, base, label, located)
        years = _years_at(context, located)
        if target.period is not None:
            claimed = period_years(target.period)
            given, sure = _target_years(context, target.source_quote, located, claimed)
            if claimed & (given or source.years):
                context.verified(base + "/period", target.period, f"{label}: period is one the article gives")
            elif given and sure:
                context.contradicted(
                    base + "/period", target.period, "wrong_period",
                    f"{label}: period {target.period} but the article gives the quote for "
                    f"{', '.join(map(str, sorted(given)))}",
                )  # fmt: skip
            elif claimed & source.years:
                context.unconfirmed(
                    base + "/period", target.period, "wrong_period",
                    f"{label}: period {target.period} is a year of the article, but not of the quote's figures",
                )  # fmt: skip
            else:
                context.contradicted(
                    base + "/period", target.period, "wrong_period",
                    f"{label}: period {target.period} is not a year the article or its date gives",
                )  # fmt: skip
        check_prose(context, base + "/description_en", target.description_en, hedged=True, years=years or None)
    for number, programme in enumerate(article.programmes):
        base, label = f"/programmes/{number}", f"programmes[{number}]"
        located = ground(context, base + "/name_zh", label, programme.name_zh, "name_zh", programme.span)
        if located is not None and context.fill_spans:
            programme.span = Span(start=located.start, end=located.end)
        check_name_digits(context, base + "/name_en", label, programme.name_en, programme.name_zh)
        check_prose(
            context, base + "/description_en", programme.description_en,
            years=_years_of_sentences(context, programme.name_zh) or None,
        )  # fmt: skip
    for number, organisation in enumerate(article.organisations):
        base, label = f"/organisations/{number}", f"organisations[{number}]"
        located = ground(context, base + "/name_zh", label, organisation.name_zh, "name_zh", organisation.span)
        if located is not None and context.fill_spans:
            organisation.span = Span(start=located.start, end=located.end)
        check_name_digits(context, base + "/name_en", label, organisation.name_en, organisation.name_zh)
        if organisation.role_en:
            check_prose(
                context, base + "/role_en", organisation.role_en,
                years=_years_of_sentences(context, organisation.name_zh) or None,
            )  # fmt: skip
    for number, caveat in enumerate(article.caveats):
        base, label = f"/caveats/{number}", f"caveats[{number}]"
        located = None
        if caveat.source_quote:
            located = ground(context, base + "/source_quote", label, caveat.source_quote, "source_quote", caveat.span)
            if located is not None and context.fill_spans:
                caveat.span = Span(start=located.start, end=located.end)
        # A caveat speaks about the source's figures (how they were read), not for them: no hedge is owed.
        check_prose(
            context, base + "/description_en", caveat.description_en, hedged=True, disputes=caveat.kind in _DISPUTING,
            years=(_years_at(context, located) or None) if located is not None else None,
        )  # fmt: skip
    for name, value in (
        ("headline_zh", article.headline_zh),
        ("byline_zh", article.byline_zh),
        ("source_tag_zh", article.source_tag_zh),
        ("credit_zh", article.credit_zh),
    ):
        if value:
            check_heading(context, name, value)


def _check_target_status(context: CheckContext, base: str, label: str, located: Located) -> None:
    facts = [e for e in context.source.evidence_within(located.start, located.end) if e.is_fact]
    if facts and all(e.status == "actual" for e in facts):
        span = Span(start=located.start, end=located.end)
        verdict = context.contradicted if all(e.marked_achieved for e in facts) else context.unconfirmed
        verdict(
            base + "/status",
            "target",
            "wrong_status",
            f"{label}: the rules read the quote's figures ({', '.join(e.text for e in facts[:3])}) as reported "
            "results, not as a goal",
            span,
        )
