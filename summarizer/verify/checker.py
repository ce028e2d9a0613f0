"""Running every check of a briefing: per article, per page, and with the spans filled in.

The verifier is pure (no I/O) and runs in two places: standalone (:func:`verify_briefing`,
``summarizer verify``) and inside an LLM call, where :mod:`summarizer.llm.validation` turns the
contradicted claims of :func:`verify_article` into a message for the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from summarizer.briefing.models import ArticleBriefing, PageBriefing, VerificationSummary
from summarizer.verify.context import CheckContext
from summarizer.verify.coverage import coverage_of
from summarizer.verify.items import check_items
from summarizer.verify.metrics import check_metric, check_metric_consistency
from summarizer.verify.prose import check_prose
from summarizer.verify.report import ArticleCoverage, ClaimResult, VerificationReport
from summarizer.verify.source import ArticleSource

if TYPE_CHECKING:
    from summarizer.layout.segment import Segment, SegmentedPage
    from summarizer.rules.facts import Fact, FactTable

__all__ = ["ArticleCheck", "annotate_briefing", "check_article", "verify_article", "verify_briefing"]


def _run_checks(source: ArticleSource, article: ArticleBriefing, prefix: str, fill_spans: bool) -> CheckContext:
    context = CheckContext(source=source, article=article, prefix=prefix, fill_spans=fill_spans)
    for number, metric in enumerate(article.metrics):
        check_metric(context, number, metric)
    check_metric_consistency(context)
    check_items(context)
    check_prose(context, "/headline_en", article.headline_en)
    check_prose(context, "/summary_en", article.summary_en)
    for number, point in enumerate(article.key_points):
        check_prose(context, f"/key_points/{number}", point)
    return context


def verify_article(
    segment: Segment | ArticleSource,
    article: ArticleBriefing,
    facts: Sequence[Fact] | None = None,
    *,
    pointer_prefix: str = "",
    fill_spans: bool = False,
    original: str | None = None,
    document_date: date | str | None = None,
) -> list[ClaimResult]:
    """Check one article briefing against its segment; one :class:`ClaimResult` per checked claim.

    ``facts`` are the rule-based facts of that segment (computed when None). With ``fill_spans`` the
    article's span fields are set from the source (the article is modified in place). Pointers are
    relative to the article ("/metrics/3/value") unless ``pointer_prefix`` is given.
    """
    source = (
        segment
        if isinstance(segment, ArticleSource)
        else ArticleSource.from_segment(segment, facts, original, document_date)
    )
    return _run_checks(source, article, pointer_prefix, fill_spans).results


@dataclass(frozen=True)
class ArticleCheck:
    """Every check of one article, run once: the claims' results and the coverage of the facts."""

    results: list[ClaimResult]
    coverage: ArticleCoverage


def check_article(
    source: ArticleSource, article: ArticleBriefing, *, fill_spans: bool = True, article_number: int = 0
) -> ArticleCheck:
    """Run the verifier on one article (filling spans when asked) and measure its coverage."""
    context = _run_checks(source, article, "", fill_spans)
    return ArticleCheck(list(context.results), coverage_of(article_number, article.headline_en, source, context.mentioned))


def verify_briefing(
    page: SegmentedPage,
    briefing: PageBriefing,
    facts: FactTable | None = None,
    *,
    fill_spans: bool = False,
) -> VerificationReport:
    """Verify every article of ``briefing`` against the segmented source ``page``.

    ``facts`` is the page's rule-based fact table (:func:`summarizer.rules.facts.extract_facts`,
    computed here when None); its document date resolves the periods of the source.
    """
    from summarizer.rules.facts import extract_facts

    table = facts if facts is not None else extract_facts(page)
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
                    verdict="contradicted",
                    problem="not_in_source",
                    message=f"article index {article.index} but the source has {len(page.segments)} articles "
                    f"(0-{len(page.segments) - 1}); set index to the article's position on the page",
                )
            )
            continue
        source = ArticleSource.from_segment(segment, table.for_segment(segment.index), original, table.document_date)
        context = _run_checks(source, article, prefix, fill_spans)
        claims.extend(context.results)
        coverage.append(coverage_of(number, article.headline_en, source, context.mentioned))
    return VerificationReport(source=page.source, document_date=table.document_date, claims=claims, coverage=coverage)


def annotate_briefing(page: SegmentedPage, briefing: PageBriefing, facts: FactTable | None = None) -> PageBriefing:
    """A copy of ``briefing`` with spans filled in and each article's verification summary set."""
    annotated = briefing.model_copy(deep=True)
    report = verify_briefing(page, annotated, facts, fill_spans=True)
    for number, article in enumerate(annotated.articles):
        prefix = f"/articles/{number}/"
        own = [c for c in report.claims if c.pointer.startswith(prefix)]
        cover = next((c for c in report.coverage if c.article == number), None)
        article.verification = VerificationSummary(
            checked=len(own),
            verified=sum(1 for c in own if c.verified),
            unconfirmed=sum(1 for c in own if c.verdict == "unconfirmed"),
            failed=sum(1 for c in own if not c.ok),
            facts_found=cover.facts_found if cover else 0,
            facts_mentioned=cover.facts_mentioned if cover else 0,
            coverage=cover.ratio if cover else None,
        )
    return annotated
