"""Coverage: which of an article's rule-based facts a briefing mentions (a ratio, not a failure)."""

from __future__ import annotations

from summarizer.briefing.models import Span
from summarizer.verify.report import ArticleCoverage, UnmentionedFact
from summarizer.verify.source import ArticleSource

__all__ = ["coverage_of"]


def coverage_of(article_number: int, headline: str, source: ArticleSource, mentioned: set[int]) -> ArticleCoverage:
    """Facts found, facts mentioned (by a metric or by a number in prose), and those left out."""
    unique: dict[tuple[int, int], int] = {}
    for number, item in enumerate(source.evidence):
        if item.is_fact:
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
