"""What the checks of one article share: the source, the article, and the verdicts found so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from summarizer.briefing.models import ArticleBriefing, Problem, Span, Verdict
from summarizer.verify.english_numbers import class_words, content_words, find_english_numbers
from summarizer.verify.report import ClaimResult
from summarizer.verify.source import ArticleSource, value_key

__all__ = ["CheckContext", "short"]


def short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _prose(value: float, unit: str) -> float:
    """A metric's value as English states it: a fraction or a permille as percent."""
    return value * 100 if unit == "fraction" else value / 10 if unit == "permille" else value


def _claim_text(claim: object) -> str:
    if isinstance(claim, float):
        from summarizer.verify.compare import fmt

        return fmt(claim)
    return str(claim)


@dataclass
class CheckContext:
    source: ArticleSource
    article: ArticleBriefing
    prefix: str = ""
    fill_spans: bool = False
    results: list[ClaimResult] = field(default_factory=list)
    mentioned: set[int] = field(default_factory=set)
    failed_metrics: set[int] = field(default_factory=set)
    value_spans: dict[tuple[int, int], int] = field(default_factory=dict)
    # (metric number, content words of its indicator_en, values it states) for prose-metric agreement
    metric_words: list[tuple[int, frozenset[str], list[tuple[float, str]]]] = field(default_factory=list)
    word_index: dict[str, list[int]] = field(default_factory=dict)
    subjects: dict[str, str] = field(default_factory=dict)
    # English labels the briefing's verified metrics give the figures they read, by source span
    labels_by_span: dict[tuple[int, int], str] = field(default_factory=dict)
    # The programme and organisation names with digits in them, made once per article by the prose checks
    names_with_digits: list[str] | None = None

    def __post_init__(self) -> None:
        for number, programme in enumerate(self.article.programmes):
            self.subjects[f"/programmes/{number}/description_en"] = programme.name_en
        for number, organisation in enumerate(self.article.organisations):
            self.subjects[f"/organisations/{number}/role_en"] = organisation.name_en
        for number, metric in enumerate(self.article.metrics):
            values: list[tuple[float, str]] = [(_prose(metric.value, metric.unit), metric.unit)]
            if metric.value_max is not None:
                values.append((_prose(metric.value_max, metric.unit), metric.unit))
            if metric.comparison is not None and metric.comparison.from_value is not None:
                values.append((_prose(metric.comparison.from_value, metric.unit), metric.unit))
            for mention in find_english_numbers(metric.indicator_en):
                if mention.kind == "quantity":
                    values.append((mention.value, "count" if mention.unit == "plain" else mention.unit))
            words = content_words(metric.indicator_en) | class_words(metric.indicator_en)
            for word in words:
                self.word_index.setdefault(word, []).append(len(self.metric_words))
            self.metric_words.append((number, words, values))

    def add(
        self,
        pointer: str,
        claim: object,
        verdict: Verdict,
        message: str,
        span: Span | None = None,
        problem: Problem | None = None,
    ) -> None:
        parts = pointer.split("/")
        if verdict == "contradicted" and len(parts) > 2 and parts[1] == "metrics" and parts[-1] in (
            "value", "unit", "source_quote"
        ):  # fmt: skip
            self.failed_metrics.add(int(parts[2]))
        self.results.append(
            ClaimResult(
                pointer=self.prefix + pointer,
                claim=_claim_text(claim),
                verdict=verdict,
                problem=None if verdict == "verified" else problem,
                span=span,
                message=message,
            )
        )

    def verified(self, pointer: str, claim: object, message: str, span: Span | None = None) -> None:
        self.add(pointer, claim, "verified", message, span)

    def unconfirmed(self, pointer: str, claim: object, problem: Problem, message: str, span: Span | None = None) -> None:
        self.add(pointer, claim, "unconfirmed", message, span, problem)

    def contradicted(self, pointer: str, claim: object, problem: Problem, message: str, span: Span | None = None) -> None:
        self.add(pointer, claim, "contradicted", message, span, problem)

    def mark_mentioned(self, value: float, unit: str) -> None:
        from summarizer.verify.compare import units_compatible

        for number in self.source._by_value.get(value_key(value), ()):
            if units_compatible(unit, self.source.evidence[number].unit):
                self.mentioned.add(number)
