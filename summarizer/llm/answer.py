"""What the model is asked to return, and how its answer becomes an :class:`ArticleBriefing`.

The rules already know every figure's value, unit, qualifier, span, period and status. The model
is given the article with those figures marked by id where they stand (``1.7万亿元[F1]``) and their
periods and statuses (:class:`FigureList`), and answers with an :class:`ArticleAnswer`: metrics and targets that *cite* a figure by id with an English label,
plus the prose, programmes, organisations and caveats. :func:`expand_answer` fills every other
field of the briefing from the cited facts, so the response model the LLM sees is a fraction of
the briefing schema (which stays whole for the JSON output).

Where the model holds that the list is wrong about a figure (its status or period), it says so in
the metric's ``status``/``period`` with ``why``; the claim is then the model's and the verifier
checks it like any other, rather than either side being obeyed. A figure the list lacks is given
in full (quote, value, unit), under the same field names the briefing uses, so an answer written
against the whole briefing schema expands to the same briefing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from summarizer.briefing.models import (
    ArticleBriefing,
    CaveatKind,
    OrganisationKind,
    ProgrammeKind,
    UnverifiedClaim,
)
from summarizer.rules.briefing import CLAUSE_BREAKS, holds_metric, metric_from_fact, metric_period
from summarizer.rules.facts import Fact
from summarizer.text.textmap import MappedText
from summarizer.verify.english_numbers import find_english_numbers
from summarizer.vocab import Qualifier, Status

__all__ = [
    "AnswerCaveat",
    "AnswerMetric",
    "AnswerOrganisation",
    "AnswerProgramme",
    "AnswerTarget",
    "ArticleAnswer",
    "Expansion",
    "Figure",
    "FigureList",
    "answer_from_briefing",
    "answer_schema_sha256",
    "expand_answer",
    "unmark",
]

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# What the rules say when the list gives no period; the model then supplies one only if stated.
_NO_PERIOD = "?"
# How a figure is marked in the article sent: 1.7万亿元[F1]. Answers are read without the marks.
_MARK = re.compile(r"\[F\d+\]")
_SENTENCE_BREAKS = "。！？!?\n"


def _lean_schema(schema: dict[str, Any]) -> None:
    """Drop what the model does not need to read: property titles, null defaults, the null branch
    of an optional field (it may be left out), length bounds (still enforced on the answer), the
    type of a list of choices (every choice is a string)."""
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)
        prop.pop("minLength", None)
        if "default" in prop and prop["default"] in (None, []):
            del prop["default"]
        branches = prop.get("anyOf")
        if branches is not None:
            kept = [b for b in branches if b != {"type": "null"}]
            if len(kept) == 1:
                del prop["anyOf"]
                prop.update(kept[0])
        if "enum" in prop and prop.get("type") == "string":
            del prop["type"]
        items = prop.get("items")
        if isinstance(items, dict):
            items.pop("minLength", None)


def unmark(text: str) -> str:
    """``text`` without the figure marks of the article sent (``[F1]``)."""
    return _MARK.sub("", text)


def _unmarked(value: Any) -> Any:
    if isinstance(value, str):
        return unmark(value) if "[F" in value else value
    if isinstance(value, list):
        return [_unmarked(v) for v in value]
    if isinstance(value, dict):
        return {k: _unmarked(v) for k, v in value.items()}
    return value


class _Answer(BaseModel):
    # Unknown keys are dropped, not refused: an answer with extra fields (a model that filled the
    # whole briefing) loses nothing it is asked for, and the schema sent stays small.
    model_config = ConfigDict(
        extra="ignore", populate_by_name=True, allow_inf_nan=False, json_schema_extra=_lean_schema
    )

    @model_validator(mode="before")
    @classmethod
    def _without_marks(cls, data: Any) -> Any:
        # A quote copied from the article sent may carry its figure marks; the source has none.
        return _unmarked(data)


class AnswerMetric(_Answer):
    figure: str | None = Field(None, description="F3")
    indicator_en: _Text
    status: Status | None = None
    period: str | None = Field(None, description="ISO 8601.")
    why: str | None = None
    from_figure: str | None = Field(None, description="Id of A in 从A到B.")
    yoy: bool | None = Field(None, description="year on year")
    source_quote: str | None = None
    value: float | None = None
    unit: str | None = None
    qualifier: Qualifier | None = None


class AnswerTarget(_Answer):
    figure: str | None = None
    description_en: _Text
    source_quote: str | None = Field(None, description="Needed without a figure.")
    period: str | None = None


class AnswerProgramme(_Answer):
    name_zh: _Text
    name_en: _Text
    kind: ProgrammeKind
    description_en: _Text


class AnswerOrganisation(_Answer):
    name_zh: _Text
    name_en: _Text
    kind: OrganisationKind
    role_en: str | None = None


class AnswerCaveat(_Answer):
    kind: CaveatKind
    description_en: _Text
    source_quote: str | None = None


class ArticleAnswer(_Answer):
    """The briefing of one article."""

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # The parts' titles repeat their $defs keys; only the whole needs one (the tool's name).
        schema = super().model_json_schema(*args, **kwargs)
        for part in schema.get("$defs", {}).values():
            part.pop("title", None)
        return schema

    headline_en: _Text
    byline_en: str | None = None
    summary_en: _Text
    key_points: list[_Text] = Field(default_factory=list)
    metrics: list[AnswerMetric] = Field(default_factory=list)
    targets: list[AnswerTarget] = Field(default_factory=list)
    programmes: list[AnswerProgramme] = Field(default_factory=list)
    organisations: list[AnswerOrganisation] = Field(default_factory=list)
    caveats: list[AnswerCaveat] = Field(default_factory=list)


def answer_schema_sha256() -> str:
    """Identity of the response schema the model is sent (cache keys, recordings' provenance)."""
    from summarizer.llm.cache import schema_hash

    return schema_hash(ArticleAnswer.model_json_schema())


# -- the figure list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One listed figure: its id, the fact and the metric the rules make of it."""

    id: str
    fact: Fact
    original: str
    """The file's text, which the fact's span is in."""
    floor: int = 0
    """Where the article starts in ``original``: a quote never reaches before it."""

    @cached_property
    def metric(self) -> dict[str, Any]:
        # Made when an answer cites the figure (in the thread that checks the answer), not when the
        # request is prepared: the list itself needs only the fact's period and status.
        metric = metric_from_fact(self.fact, self.original, self.floor)
        if metric is None:  # not a ValueError: inside a validator that would become a re-ask
            raise RuntimeError(f"{self.id}: a Figure is made only of a fact that holds a metric")
        return metric

    @property
    def period(self) -> str | None:
        return metric_period(self.fact)


@dataclass(frozen=True)
class FigureList:
    """The numbered figures of one request's text, in reading order (F1, F2, …)."""

    figures: tuple[Figure, ...]
    text: MappedText | None = None

    @classmethod
    def build(
        cls, facts: Sequence[Fact] | None, original: str, floor: int = 0, text: MappedText | None = None
    ) -> FigureList:
        """The figures of ``facts`` (those of the text sent) a metric can hold, numbered in order.

        ``floor`` is where the article starts in ``original``: a quote never reaches before it.
        ``text`` is the article as sent (the segment's repaired text and its map to ``original``),
        where a quote longer than the figure's clause is taken from.
        """
        figures: list[Figure] = []
        for fact in sorted(facts or (), key=lambda f: (f.start, f.end)):
            if holds_metric(fact):
                figures.append(Figure(f"F{len(figures) + 1}", fact, original, floor))
        return cls(tuple(figures), text)

    def _place(self, figure: Figure) -> int | None:
        """Where the figure stands in the text sent (None: it cannot be placed)."""
        if self.text is None:
            return None
        fact, text = figure.fact, self.text.text
        direct = self.text.derived_span(fact.start, fact.end)
        if direct is not None and text[direct[0] : direct[1]] == fact.text:
            return direct[0]
        # Normalised or repaired on its way into the text (rare): the occurrence that maps back to it.
        position = text.find(fact.text)
        while position >= 0 and self.text.to_original(position, position + len(fact.text)) != (fact.start, fact.end):
            position = text.find(fact.text, position + 1)
        return position if position >= 0 else None

    def sentence_quote(self, figure: Figure) -> str | None:
        """The figure's sentence up to the figure, as the article was sent: the quote of a label
        that says more than the figure's own words (a count, a year). None when the figure cannot
        be placed in the text."""
        position = self._place(figure)
        if position is None or self.text is None:
            return None
        fact, text = figure.fact, self.text.text
        start = position
        while start > 0 and text[start - 1] not in _SENTENCE_BREAKS:
            start -= 1
        end = position + len(fact.text)
        # What it measures may follow the figure (30条十亿级特色产业链): the quote then runs through it.
        label = fact.indicator_zh or ""
        after = text.find(label, end, end + len(label) + 4) if label else -1
        if after >= 0 and not any(c in CLAUSE_BREAKS for c in text[end:after]):
            end = after + len(label)
        return text[start:end].strip() or None

    def __len__(self) -> int:
        return len(self.figures)

    def get(self, figure_id: str | None) -> Figure | None:
        if not figure_id:
            return None
        key = figure_id.strip().upper()
        if not key.startswith("F"):
            key = f"F{key}"
        number = key[1:]
        if not number.isdigit() or not 1 <= int(number) <= len(self.figures):
            return None
        return self.figures[int(number) - 1]

    def mark(self, text: str, offset: int = 0) -> str:
        """``text`` (the article's text from ``offset`` of the text the list was built on) with each
        listed figure in it marked by its id: ``1.7万亿元[F1]``. Marks in place cost a fraction of
        a list that repeats the figures, and say which figure is which however often it recurs."""
        marks = []
        for figure in self.figures:
            position = self._place(figure)
            if position is None:
                continue
            end = position + len(figure.fact.text) - offset
            if 0 < end <= len(text) and position >= offset:
                marks.append((end, figure.id))
        pieces, last = [], 0
        for end, figure_id in sorted(marks):
            pieces.append(text[last:end])
            pieces.append(f"[{figure_id}]")
            last = end
        pieces.append(text[last:])
        return "".join(pieces)

    def render(self) -> str:
        """The period and status of the marked figures, in runs that share them:
        ``2023: F1-F2; 2023-01/2023-11: F3; 2024-12-31 target: F4``."""
        if not self.figures:
            return "(none)"
        runs: list[tuple[str, list[str]]] = []
        for figure in self.figures:
            status = "" if figure.fact.status == "actual" else f" {figure.fact.status}"
            group = f"{figure.period or _NO_PERIOD}{status}"
            if runs and runs[-1][0] == group:
                runs[-1][1].append(figure.id)
            else:
                runs.append((group, [figure.id]))
        return "; ".join(f"{group}: {ids[0]}" + (f"-{ids[-1]}" if len(ids) > 1 else "") for group, ids in runs)


# -- from an answer to a briefing ------------------------------------------------------------------


@dataclass
class Expansion:
    """The briefing an answer makes, and what of it could not be made (cited ids not in the list,
    unlisted figures without their value): each named so the model can be told, or the user."""

    article: ArticleBriefing
    problems: list[UnverifiedClaim]
    corrections: int = 0
    """Listed figures whose status or period the model held to be wrong (the verifier judges them)."""

    def message(self) -> str:
        lines = [f"- {p.pointer}: {p.reason}" for p in self.problems[:25]]
        return (
            f"{len(self.problems)} item(s) cannot be used; fix each and answer again:\n" + "\n".join(lines)
        )


def _metric(answer: AnswerMetric, figures: FigureList) -> tuple[dict[str, Any] | None, str | None, bool]:
    """The metric fields an answered metric stands for, or why there are none; and whether it
    corrects the list."""
    figure = figures.get(answer.figure)
    if answer.figure and figure is None:
        return None, f"cites {answer.figure}, which is not in the figure list (F1-F{len(figures)})", False
    if figure is not None:
        data = dict(figure.metric)
        data["indicator_en"] = answer.indicator_en
        if answer.from_figure or find_english_numbers(answer.indicator_en):
            # The quote must hold what the label says ("the six clusters' enterprises": 六大…) and
            # the level the figure changed from.
            quote = figures.sentence_quote(figure)
            if quote is not None and len(quote) > len(data["source_quote"]):
                data["source_quote"] = quote
                data["span"] = None  # the verifier places it (it may cross a layout break)
        earlier = figures.get(answer.from_figure)
        if answer.from_figure and earlier is None:
            return None, f"from_figure {answer.from_figure} is not in the figure list (F1-F{len(figures)})", False
        if earlier is not None and earlier is not figure:
            data["comparison"] = {
                "kind": "change_from",
                "from_value": earlier.metric["value"],
                "baseline_zh": earlier.metric["indicator_zh"] if earlier.metric["indicator_zh"] != data["indicator_zh"] else None,
            }
        elif answer.yoy and data["comparison"] is None:
            data["comparison"] = {"kind": "year_on_year"}
        corrected = False
        for name in ("status", "period"):
            claimed = getattr(answer, name)
            if claimed is not None and claimed != data[name]:
                data[name] = claimed
                corrected = True
        return data, None, corrected
    # An unlisted figure's status is the model's to state: left out, it would read as achieved.
    missing = [
        name for name in ("source_quote", "value", "unit", "status") if getattr(answer, name) in (None, "")
    ]
    if missing:
        return None, (
            "cites no figure of the list and does not give " + ", ".join(missing)
            + "; cite the figure's id, or give source_quote, value, unit and status for a figure the list lacks"
        ), False
    data = answer.model_dump(exclude={"figure", "why", "from_figure", "yoy"}, exclude_none=True)
    if answer.yoy:
        data["comparison"] = {"kind": "year_on_year"}
    data.setdefault("indicator_zh", answer.source_quote)
    return data, None, False


def _named(item: dict[str, Any]) -> dict[str, Any]:
    """A programme or organisation with the glossary's English name, where the glossary has one:
    the prompt lists only programme names, so an organisation's convention is applied here."""
    from summarizer.rules.glossary import load_glossary

    entry = load_glossary().lookup(item["name_zh"])
    if entry is not None and entry.category in ("programme", "policy", "organisation"):
        item["name_en"] = entry.en
    return item


def expand_answer(
    answer: ArticleAnswer,
    figures: FigureList,
    *,
    headline_zh: str | None = None,
    base: dict[str, Any] | None = None,
) -> Expansion:
    """The briefing ``answer`` stands for: cited figures filled from the list, everything else as
    answered. ``base`` holds the fields code fills from the segment (byline, region, …)."""
    from summarizer.briefing.models import Metric, Target

    problems: list[UnverifiedClaim] = []
    corrections = 0
    metrics: list[Metric] = []
    for position, item in enumerate(answer.metrics):
        pointer = f"/metrics/{position}"
        data, problem, corrected = _metric(item, figures)
        if data is not None:
            try:
                metrics.append(Metric.model_validate(data))
                corrections += corrected
                continue
            except ValidationError as exc:
                problem = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc']) or 'metric'}: {e['msg']}" for e in exc.errors()[:3]
                )
        problems.append(
            UnverifiedClaim(
                pointer=pointer,
                claim=item.model_dump_json(exclude_none=True),
                problem="not_in_source",
                reason=problem or "unusable",
            )
        )
    targets: list[Target] = []
    for position, goal in enumerate(answer.targets):
        pointer = f"/targets/{position}"
        figure = figures.get(goal.figure)
        if goal.figure and figure is None:
            reason = f"cites {goal.figure}, which is not in the figure list (F1-F{len(figures)})"
        elif figure is None and not goal.source_quote:
            reason = "has neither a figure id nor a source_quote"
        else:
            quote = goal.source_quote or (figure.metric["source_quote"] if figure is not None else "")
            period = goal.period or (figure.metric["period"] if figure is not None else None)
            try:
                targets.append(
                    Target.model_validate({"description_en": goal.description_en, "source_quote": quote, "period": period})
                )
                continue
            except ValidationError as exc:
                reason = "; ".join(e["msg"] for e in exc.errors()[:3])
        problems.append(
            UnverifiedClaim(
                pointer=pointer, claim=goal.model_dump_json(exclude_none=True), problem="not_in_source", reason=reason
            )
        )
    fields: dict[str, Any] = dict(base or {})
    fields.update(
        headline_zh=headline_zh,
        headline_en=answer.headline_en,
        summary_en=answer.summary_en,
        key_points=answer.key_points,
        metrics=metrics,
        targets=targets,
        programmes=[_named(p.model_dump()) for p in answer.programmes],
        organisations=[_named(o.model_dump()) for o in answer.organisations],
        caveats=[c.model_dump() for c in answer.caveats],
    )
    if answer.byline_en and fields.get("byline_zh"):
        fields["byline_en"] = answer.byline_en
    elif answer.byline_en:
        # An English byline needs the byline it renders: the source has none.
        problems.append(
            UnverifiedClaim(
                pointer="/byline_en", claim=answer.byline_en, problem="not_in_source",
                reason="byline_en: the article has no byline",
            )
        )  # fmt: skip
    return Expansion(ArticleBriefing.model_validate(fields), problems, corrections)


# -- from a briefing to an answer (references) -----------------------------------------------------


def _same_figure(metric: dict[str, Any], figure: Figure) -> bool:
    """The briefing's metric and the listed figure are one figure stated the same way."""
    listed = figure.metric
    return bool(
        listed["value"] == metric.get("value")
        and listed["value_max"] == metric.get("value_max")
        and listed["unit"] == metric.get("unit")
        and listed["qualifier"] == metric.get("qualifier", "exact")
    )


def answer_from_briefing(article: ArticleBriefing, figures: FigureList) -> dict[str, Any]:
    """The answer that stands for ``article`` under this request shape: each metric whose figure is
    listed (same place, same value, unit and qualifier) cites it, with the status and period as
    corrections where they differ from the list's; any other metric is given in full.

    ``article``'s value spans must be filled (:func:`summarizer.verify.check_article` fills them).
    This is how hand-written references are replayed as a model's answers.
    """
    by_place = {(f.fact.start, f.fact.end): f for f in figures.figures}
    metrics: list[dict[str, Any]] = []
    for metric in article.metrics:
        data = metric.model_dump(mode="json", exclude={"span", "span_pieces", "value_span"}, exclude_none=True)
        place = (metric.value_span.start, metric.value_span.end) if metric.value_span is not None else None
        figure = by_place.get(place) if place is not None else None
        if figure is None or not _same_figure(data, figure):
            metrics.append({k: v for k, v in data.items() if k in AnswerMetric.model_fields})
            continue
        cited: dict[str, Any] = {"figure": figure.id, "indicator_en": metric.indicator_en}
        comparison = metric.comparison
        if comparison is not None and comparison.kind == "change_from" and comparison.from_value is not None:
            earlier = [
                f for f in figures.figures
                if f.fact.sentence == figure.fact.sentence and f.metric["value"] == comparison.from_value and f is not figure
            ]  # fmt: skip
            if earlier:
                cited["from_figure"] = earlier[-1].id
        elif comparison is not None and comparison.kind == "year_on_year" and figure.metric["comparison"] is None:
            cited["yoy"] = True
        for name in ("status", "period"):
            if data.get(name) != figure.metric[name] and data.get(name) is not None:
                cited[name] = data[name]
        metrics.append(cited)
    targets = [
        t.model_dump(mode="json", exclude={"span"}, exclude_none=True) for t in article.targets
    ]
    drop = {"span"}
    answer: dict[str, Any] = {
        "headline_en": article.headline_en,
        "summary_en": article.summary_en,
        "key_points": list(article.key_points),
        "metrics": metrics,
        "targets": targets,
        "programmes": [p.model_dump(mode="json", exclude=drop) for p in article.programmes],
        "organisations": [o.model_dump(mode="json", exclude=drop) for o in article.organisations],
        "caveats": [c.model_dump(mode="json", exclude=drop) for c in article.caveats if c.kind != "suspected_injection"],
    }
    if article.byline_en:
        answer["byline_en"] = article.byline_en
    return answer
