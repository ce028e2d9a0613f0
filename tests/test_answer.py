"""The compact answer the model gives, and the briefing code makes of it (summarizer.llm.answer).

The fixture is an invented two-paragraph report: figures with a year, a target, a from-to change
and a count whose label needs its sentence.
"""

from __future__ import annotations

from typing import Any

import pytest

from summarizer.llm.answer import ArticleAnswer, FigureList, answer_from_briefing, expand_answer, unmark
from summarizer.pipeline import Analysis, analyse_file
from summarizer.verify import ArticleSource, check_article

ARTICLE = (
    "示例省：制造业稳步增长\n\n"
    "2023年，示例省规模以上工业增加值增长6.5%，数字经济总量突破1.2万亿元。"
    "全省进出口总额由2020年的0.8万亿元增长至2023年的1.1万亿元。"
    "其中，五大产业集群中，入选企业320家。\n"
    "2024年，示例省力争规模以上工业增加值增长7%。\n"
)


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse_file(ARTICLE.encode("utf-8"), name="example.txt")


@pytest.fixture(scope="module")
def figures(analysis: Analysis) -> FigureList:
    segment = analysis.page.segments[0]
    return FigureList.build(
        analysis.facts.for_segment(0), analysis.page.document.original, segment.start, segment.mapped
    )


def _id(figures: FigureList, text: str) -> str:
    return next(f.id for f in figures.figures if f.fact.text == text)


def _expand(figures: FigureList, metrics: list[dict[str, Any]], **extra: Any) -> Any:
    answer = ArticleAnswer.model_validate({"headline_en": "h", "summary_en": "s", "metrics": metrics, **extra})
    return expand_answer(answer, figures, headline_zh="示例省：制造业稳步增长", base={"byline_zh": None})


def test_the_figures_are_numbered_in_reading_order_and_their_periods_given_in_runs(figures: FigureList) -> None:
    ids = [f.id for f in figures.figures]
    assert ids == [f"F{n}" for n in range(1, len(ids) + 1)]
    assert [f.fact.start for f in figures.figures] == sorted(f.fact.start for f in figures.figures)
    assert figures.render() == "2023: F1-F2; 2020: F3; 2023: F4-F5; 2024 target: F6"
    assert FigureList.build([], "").render() == "(none)"


def test_each_figure_is_marked_by_its_id_where_it_stands_and_the_marks_come_off(
    analysis: Analysis, figures: FigureList
) -> None:
    text = analysis.page.segments[0].text
    marked = figures.mark(text)
    assert "增长6.5%[F1]" in marked and "0.8万亿元[F3]" in marked and "增长7%[F6]" in marked
    assert unmark(marked) == text
    # A part of the text is marked in its own coordinates: only the figures inside it.
    start = text.index("全省进出口")
    part = text[start : text.index("。", start) + 1]
    assert figures.mark(part, start) == "全省进出口总额由2020年的0.8万亿元[F3]增长至2023年的1.1万亿元[F4]。"
    # A quote the model copies with its marks is read without them.
    answer = ArticleAnswer.model_validate(
        {"headline_en": "h", "summary_en": "up 6.5%[F1]", "targets": [{"description_en": "g", "source_quote": "增长7%[F6]"}]}
    )
    assert answer.summary_en == "up 6.5%" and answer.targets[0].source_quote == "增长7%"


def test_a_cited_figure_is_filled_from_the_list(figures: FigureList) -> None:
    figure = figures.get(_id(figures, "1.2万亿元"))
    assert figure is not None
    expansion = _expand(figures, [{"figure": figure.id, "indicator_en": "size of the digital economy"}])
    assert expansion.problems == []
    metric = expansion.article.metrics[0]
    assert (metric.value, metric.unit, metric.qualifier, metric.period, metric.status) == (
        1.2e12, "CNY", "more_than", "2023", "actual",
    )
    assert metric.indicator_en == "size of the digital economy" and metric.source_quote.endswith("1.2万亿元")


@pytest.mark.parametrize(
    ("metric", "reason"),
    [
        ({"figure": "F99", "indicator_en": "x"}, "F99, which is not in the figure list"),
        ({"figure": "Fx", "indicator_en": "x"}, "Fx, which is not in the figure list"),
        ({"indicator_en": "x", "value": 3.0}, "does not give source_quote, unit"),
        ({"indicator_en": "x", "source_quote": "增长7%", "value": 7.0, "unit": "percent"}, "does not give status"),
        ({"figure": "F1", "from_figure": "F77", "indicator_en": "x"}, "from_figure F77 is not in the figure list"),
    ],
)
def test_what_cannot_be_made_a_claim_is_named_not_dropped(
    figures: FigureList, metric: dict[str, Any], reason: str
) -> None:
    expansion = _expand(figures, [metric])
    assert expansion.article.metrics == []
    assert [p.pointer for p in expansion.problems] == ["/metrics/0"]
    assert reason in expansion.problems[0].reason
    assert reason.split(",")[0] in expansion.message()


def test_a_correction_is_the_model_s_claim_and_the_verifier_judges_it(
    analysis: Analysis, figures: FigureList
) -> None:
    target = next(f for f in figures.figures if f.fact.status == "target")
    source = ArticleSource.from_segment(
        analysis.page.segments[0], analysis.facts.for_segment(0), analysis.page.document.original,
        analysis.facts.document_date,
    )  # fmt: skip
    wrong = _expand(figures, [{"figure": target.id, "indicator_en": "growth", "status": "actual", "why": "done"}])
    assert wrong.corrections == 1 and wrong.article.metrics[0].status == "actual"
    verdicts = {r.pointer: r.verdict for r in check_article(source, wrong.article).results}
    assert verdicts.get("/metrics/0/status") == "contradicted"
    agreeing = _expand(figures, [{"figure": target.id, "indicator_en": "growth", "status": "target"}])
    assert agreeing.corrections == 0


def test_a_change_from_a_to_b_cites_both_figures_and_quotes_both(figures: FigureList) -> None:
    expansion = _expand(
        figures,
        [{"figure": _id(figures, "1.1万亿元"), "from_figure": _id(figures, "0.8万亿元"), "indicator_en": "trade"}],
    )
    metric = expansion.article.metrics[0]
    assert metric.comparison is not None and metric.comparison.kind == "change_from"
    assert metric.comparison.from_value == 0.8e12
    assert "0.8万亿元" in metric.source_quote and metric.source_quote.endswith("1.1万亿元")


def test_a_label_that_states_a_number_gets_the_sentence_as_its_quote(figures: FigureList) -> None:
    figure_id = _id(figures, "320家")
    short = _expand(figures, [{"figure": figure_id, "indicator_en": "enterprises"}]).article.metrics[0]
    long = _expand(figures, [{"figure": figure_id, "indicator_en": "enterprises of the five clusters"}]).article.metrics[0]
    assert "五大" not in short.source_quote and long.source_quote.startswith("其中，五大产业集群")


def test_an_english_byline_without_a_byline_in_the_source_is_not_kept(figures: FigureList) -> None:
    expansion = _expand(figures, [], byline_en="Zhang San")
    assert expansion.article.byline_en is None
    assert [p.pointer for p in expansion.problems] == ["/byline_en"]


def test_a_briefing_round_trips_through_its_answer(analysis: Analysis, figures: FigureList) -> None:
    """answer_from_briefing is the inverse of expand_answer on figures the list holds."""
    metrics = [{"figure": f.id, "indicator_en": f"label {f.id}"} for f in figures.figures]
    article = _expand(figures, metrics).article
    source = ArticleSource.from_segment(
        analysis.page.segments[0], analysis.facts.for_segment(0), analysis.page.document.original,
        analysis.facts.document_date,
    )  # fmt: skip
    check_article(source, article)
    answer = answer_from_briefing(article, figures)
    assert [m.get("figure") for m in answer["metrics"]] == [f.id for f in figures.figures]
    again = _expand(figures, answer["metrics"]).article
    assert [m.model_dump(exclude={"span", "value_span", "span_pieces"}) for m in again.metrics] == [
        m.model_dump(exclude={"span", "value_span", "span_pieces"}) for m in article.metrics
    ]


def test_the_schema_the_model_sees_is_a_fraction_of_the_briefing_s() -> None:
    import json

    from summarizer.briefing.io import article_json_schema

    compact = json.dumps(ArticleAnswer.model_json_schema(), separators=(",", ":"))
    full = json.dumps(article_json_schema(), separators=(",", ":"))
    assert len(compact) * 4 < len(full)
    assert '"title":"AnswerMetric"' not in compact  # only the tool itself is titled


@pytest.mark.parametrize("wrong_status", [False, True])
def test_finalising_with_the_validator_s_check_is_finalising_without_it(
    analysis: Analysis, figures: FigureList, wrong_status: bool
) -> None:
    """The engine hands the validator's check to finalise_article instead of running it again."""
    from summarizer.verify import finalise_article

    metrics: list[dict[str, Any]] = [{"figure": f.id, "indicator_en": f"label {f.id}"} for f in figures.figures]
    if wrong_status:
        target = next(m for m, f in zip(metrics, figures.figures, strict=True) if f.fact.status == "target")
        target.update(status="actual", why="done")
    source = ArticleSource.from_segment(
        analysis.page.segments[0], analysis.facts.for_segment(0), analysis.page.document.original,
        analysis.facts.document_date,
    )  # fmt: skip
    checked_article = _expand(figures, metrics).article
    check = check_article(source, checked_article)
    reused = finalise_article(source, checked_article, 0, first_check=check)
    fresh = finalise_article(source, _expand(figures, metrics).article, 0)
    assert reused.model_dump() == fresh.model_dump()
    assert bool(reused.unverified) == wrong_status
