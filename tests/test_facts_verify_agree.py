"""The verifier reads the facts; it never decides status, period or qualifier again.

Every figure the rules find is turned into a metric that states exactly what the fact table says
(value, unit, qualifier, status, period) and quotes the figure where it stands; verified against the
same source, none of those metrics may be contradicted. If the verifier re-derived a cue or a period
with rules of its own, the two would disagree somewhere on real text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summarizer.briefing.models import PERIOD_PATTERN, ArticleBriefing, Metric, Span
from summarizer.pipeline import analyse_file
from summarizer.verify import ArticleSource, verify_article
from summarizer.vocab import UNITS

from helpers import REPO, SEED

CORPUS = REPO.parent / "shared" / "corpus"
OWN = [SEED, *sorted((Path(__file__).parent / "fixtures").glob("**/*.txt"))]


def _disagreements(path: Path) -> list[str]:
    analysis = analyse_file(path)
    original = analysis.document.original
    found: list[str] = []
    for segment in analysis.page.segments:
        facts = analysis.facts.for_segment(segment.index)
        source = ArticleSource.from_segment(segment, facts, original, analysis.facts.document_date)
        metrics = []
        for fact in facts:
            if fact.value is None or (fact.unit not in UNITS and not re.fullmatch(r"[A-Z]{3}/[a-z_]+", fact.unit)):
                continue
            period = fact.period if fact.period and re.match(PERIOD_PATTERN, fact.period) else None
            value, value_max = float(fact.value), None if fact.value_max is None else float(fact.value_max)
            if fact.change == "decrease" and value_max is None:
                value = -abs(value)
            metrics.append(
                Metric(
                    indicator_zh=fact.indicator_zh or fact.text,
                    indicator_en="the figure",
                    value=value,
                    value_max=value_max,
                    unit=fact.unit,
                    qualifier=fact.qualifier,
                    period=period,
                    cumulative=fact.cumulative,
                    status=fact.status,
                    source_quote=original[fact.start : fact.end],
                    span=Span(start=fact.start, end=fact.end),
                    value_span=Span(start=fact.start, end=fact.end),
                )
            )
        article = ArticleBriefing(index=segment.index, headline_en="x", summary_en="x", metrics=metrics)
        for result in verify_article(source, article):
            field = result.pointer.rsplit("/", 1)[-1]
            if result.verdict == "contradicted" and field in ("status", "period", "qualifier", "value", "unit"):
                found.append(f"{path.name} article {segment.index}: {result.message}")
    return found


@pytest.mark.parametrize("path", OWN, ids=lambda p: p.stem)
def test_the_verifier_agrees_with_every_fact_of_our_own_texts(path: Path) -> None:
    assert _disagreements(path) == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not on this machine")
def test_the_verifier_agrees_with_every_fact_of_the_corpus() -> None:
    found = [line for path in sorted(CORPUS.glob("*.txt")) for line in _disagreements(path)]
    assert found == [], found[:20]
