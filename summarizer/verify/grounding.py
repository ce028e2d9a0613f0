"""Grounding: every quote and Chinese name of a briefing occurs verbatim in its article.

Quotes are matched after the same normalisation as ingest (NFKC, quotation marks, spaces next to CJK)
in the repaired body, then in the headline, then anywhere in the article's original text (a pull-quote
is still source text); what was set aside as page furniture or as a suspected injection supports
nothing. A quote that is not in the article is contradicted: that is sure.
"""

from __future__ import annotations

from summarizer.briefing.models import Span
from summarizer.verify.context import CheckContext, short
from summarizer.verify.source import Located, matching_form

__all__ = ["check_heading", "ground", "span_of"]


def span_of(located: Located) -> Span:
    return Span(start=located.start, end=located.end)


def ground(
    context: CheckContext, pointer: str, label: str, quote: str, what: str, current: Span | None
) -> Located | None:
    """Locate ``quote`` and record the verdict on it; None when it is not in the article."""
    located = context.source.locate(quote)
    if located is None:
        context.contradicted(
            pointer,
            quote,
            "not_in_source",
            f"{label}: {what} '{short(quote)}' does not occur in the article; quote the Chinese text verbatim, "
            "character for character",
        )
        return None
    span = span_of(located)
    if current is not None and current != span and (current.start, current.end) in context.source.occurrences(quote):
        # A quote that occurs more than once is the occurrence its span names (a table cell "153.6").
        located = Located(current.start, current.end, ((current.start, current.end),), located.where)
        span = current
    elif current is not None and not context.fill_spans and current != span:
        context.contradicted(
            pointer,
            quote,
            "not_in_source",
            f"{label}: span [{current.start}, {current.end}) does not hold '{short(quote)}'; it is at "
            f"[{span.start}, {span.end})",
            span,
        )
        return located
    context.verified(pointer, quote, f"{label}: found in the article", span)
    return located


def check_heading(context: CheckContext, name: str, value: str) -> None:
    """A Chinese heading field (headline, byline, source tag, credit) copied from the article."""
    needle = matching_form(value).strip()
    title = matching_form(context.source.title).strip()
    if name == "headline_zh" and title and needle == title:
        context.verified("/" + name, value, f"{name}: matches the article's headline")
        return
    # A byline printed on two lines is one byline: whitespace between its parts is layout, and
    # " / " joins bylines printed apart (大庆市统计局 / 国家统计局大庆调查队).
    parts = [part for part in (p.strip() for p in value.split(" / ")) if part] or [value]
    if any(context.source.locate(part) is None and not context.source.contains_ignoring_space(part) for part in parts):
        context.contradicted(
            "/" + name,
            value,
            "not_in_source",
            f"{name}: '{short(value)}' does not occur in the article; copy it verbatim or leave it null",
        )
    else:
        context.verified("/" + name, value, f"{name}: found in the article")
