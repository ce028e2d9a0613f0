"""The briefing schema: shape, constraints, committed JSON Schema, and validators with a context."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from pydantic import ValidationError

from summarizer.briefing.io import article_json_schema, briefing_json_schema, render_json_schema
from summarizer.briefing.models import (
    PERIOD_PATTERN,
    UNITS,
    ArticleBriefing,
    Metric,
    PageBriefing,
    RunMetadata,
    Span,
)
from summarizer.layout.segment import segment_document
from summarizer.llm.validation import ValidatedArticleBriefing
from summarizer.rules.quantities import find_quantities
from summarizer.text.ingest import read_document

from helpers import REPO, SEED

SCHEMA_FILE = REPO / "schemas" / "briefing.schema.json"
REFERENCE = REPO / "seeds" / "000_4e8de9e190906468.briefing.json"


def _metric(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "indicator_zh": "数字经济总量",
        "indicator_en": "size of the digital economy",
        "value": 1.7e12,
        "unit": "CNY",
        "qualifier": "more_than",
        "period": "2023",
        "status": "actual",
        "source_quote": "湖南省数字经济总量突破1.7万亿元",
    }
    data.update(changes)
    return data


def _article(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "headline_zh": "湖南：打造国家先进制造业高地",
        "headline_en": "Hunan: Building a National Advanced Manufacturing Highland",
        "summary_en": "Hunan's digital economy exceeded 1.7 trillion yuan in 2023.",
        "metrics": [_metric()],
    }
    data.update(changes)
    return data


# --- the committed JSON Schema ---------------------------------------------------------------------


def test_committed_json_schema_is_up_to_date() -> None:
    committed = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
    assert committed == render_json_schema(), (
        "schemas/briefing.schema.json is out of date with summarizer/schema.py; regenerate it with\n"
        "    python -m summarizer.briefing.io > schemas/briefing.schema.json"
    )


def test_json_schema_is_draft_2020_12_with_closed_vocabularies() -> None:
    schema = briefing_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    definitions = schema["$defs"]
    metric = definitions["Metric"]["properties"]
    assert set(metric["status"]["enum"]) == {"actual", "estimate", "target"}
    assert set(metric["qualifier"]["enum"]) == {"exact", "more_than", "nearly", "about", "less_than"}
    unit_enum = next(option["enum"] for option in metric["unit"]["anyOf"] if "enum" in option)
    assert "percentage_point" in unit_enum
    assert any("pattern" in option for option in metric["unit"]["anyOf"])  # money rates: CNY/person
    assert metric["source_quote"]["description"].startswith("The shortest passage")
    assert definitions["Metric"]["additionalProperties"] is False
    assert set(definitions["RunMetadata"]["properties"]["generated_by"]["enum"]) == {
        "reference",
        "llm",
        "rules",
    }


def test_article_schema_is_the_llm_response_model() -> None:
    schema = article_json_schema()
    assert schema["title"] == "ArticleBriefing"
    for name in ("headline_en", "summary_en", "metrics", "targets", "programmes", "caveats", "unverified"):
        assert name in schema["properties"]
    assert "leave null" in schema["$defs"]["Metric"]["properties"]["span"]["description"]


def test_python_m_summarizer_schema_prints_the_schema() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "summarizer.briefing.io"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=60,
    )
    assert completed.stdout == render_json_schema()


# --- the reference briefing ------------------------------------------------------------------------------


def test_reference_briefing_validates_and_is_marked_as_hand_written() -> None:
    briefing = PageBriefing.model_validate_json(REFERENCE.read_text(encoding="utf-8"))
    assert [a.index for a in briefing.articles] == [0, 1, 2, 3]
    assert briefing.metadata.generated_by == "reference"
    assert briefing.metadata.model is None
    statuses = {m.status for a in briefing.articles for m in a.metrics}
    assert statuses == {"actual", "estimate", "target"}
    for article in briefing.articles:
        for metric in article.metrics:
            assert metric.span is not None and metric.value_span is not None, metric.indicator_en


def test_reference_briefing_keeps_the_hedges_of_the_seed() -> None:
    briefing = PageBriefing.model_validate_json(REFERENCE.read_text(encoding="utf-8"))
    hunan, _, jiangxi, chongqing = briefing.articles
    by_quote = {m.source_quote: m for m in hunan.metrics}
    assert by_quote["力争全省规模以上工业增加值增长7%"].status == "target"
    assert by_quote["力争全省规模以上工业增加值增长7%"].period == "2024"
    estimates = {m.value for m in chongqing.metrics if m.status == "estimate"}
    assert estimates == {10.5, 37, 11.5, 18.9, 12.8}
    near = next(m for m in jiangxi.metrics if m.value == 42)
    assert (near.unit, near.qualifier) == ("percent", "nearly")
    margin = next(m for m in hunan.metrics if m.value == 0.3)
    assert margin.unit == "percentage_point"
    kinds = {c.kind for c in hunan.caveats}
    assert {"internal_inconsistency", "source_typo", "layout_fault"} <= kinds


# --- constraints --------------------------------------------------------------------------------------


def test_span_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="before its start"):
        Span(start=10, end=5)


def test_range_must_run_low_to_high() -> None:
    with pytest.raises(ValidationError, match="give the range low to high"):
        Metric.model_validate(_metric(value=9, value_max=7))


@pytest.mark.parametrize("period", ["2023", "2023-01/2023-11", "2024-12-31", "2023-Q1", "2023-H1"])
def test_iso_periods_are_accepted(period: str) -> None:
    assert Metric.model_validate(_metric(period=period)).period == period


@pytest.mark.parametrize("period", ["2023年", "Jan-Nov 2023", "23", "2023-1"])
def test_other_period_notations_are_rejected(period: str) -> None:
    with pytest.raises(ValidationError, match="pattern"):
        Metric.model_validate(_metric(period=period))
    assert PERIOD_PATTERN.startswith("^")


def test_closed_vocabularies_reject_free_text() -> None:
    with pytest.raises(ValidationError, match="status"):
        Metric.model_validate(_metric(status="achieved"))
    with pytest.raises(ValidationError, match="unit"):
        Metric.model_validate(_metric(unit="yuan"))
    with pytest.raises(ValidationError, match="Extra inputs"):
        Metric.model_validate(_metric(confidence=0.9))


def test_blank_quote_is_rejected() -> None:
    with pytest.raises(ValidationError, match="source_quote"):
        Metric.model_validate(_metric(source_quote="  "))


def test_provenance_must_be_consistent() -> None:
    with pytest.raises(ValidationError, match="name the model"):
        RunMetadata(generated_by="llm")
    with pytest.raises(ValidationError, match="only a model's output may name a model"):
        RunMetadata(generated_by="reference", model="gpt-4o")
    assert RunMetadata(generated_by="llm", model="deepseek-chat").model == "deepseek-chat"


def test_page_articles_need_distinct_indices() -> None:
    metadata = {"generated_by": "reference"}
    with pytest.raises(ValidationError, match="index is required"):
        PageBriefing.model_validate({"articles": [_article()], "metadata": metadata})
    with pytest.raises(ValidationError, match="used by another article"):
        PageBriefing.model_validate(
            {"articles": [_article(index=0), _article(index=0)], "metadata": metadata}
        )


def test_units_cover_what_the_quantity_extractor_produces() -> None:
    text = read_document(SEED).original + (
        "产量120万吨，发电量30亿千瓦时，装机容量500万千瓦，面积12平方公里，比重三分之一，"
        "出口额5亿美元，增长2倍，新增用户300万人，客运量80万人次，集装箱20万标箱。"
    )
    units = {quantity.unit for quantity in find_quantities(text)}
    assert units <= set(UNITS), units - set(UNITS)


# --- validators with instructor's validation context -----------------------------------------------------


def test_validators_are_inert_without_context() -> None:
    article = ArticleBriefing.model_validate(_article(metrics=[_metric(source_quote="不在原文中的句子")]))
    assert article.metrics[0].span is None


def test_validators_reject_a_quote_that_is_not_in_the_source_text() -> None:
    data = _article(metrics=[_metric(source_quote="湖南省数字经济总量突破1.8万亿元")])
    with pytest.raises(ValidationError) as raised:
        ValidatedArticleBriefing.model_validate(data, context={"source_text": "2023年，湖南省数字经济总量突破1.7万亿元。"}
        )
    message = str(raised.value)
    assert "metrics[0]" in message
    assert "does not occur in the article; quote the Chinese text verbatim" in message


def test_validators_reject_a_wrong_value_and_say_why() -> None:
    data = _article(metrics=[_metric(value=1.7e8)])
    with pytest.raises(ValidationError, match=r"value 170,000,000 is 10\^-4 times the source's 1.7万亿元"):
        ValidatedArticleBriefing.model_validate(data, context={"source_text": "2023年，湖南省数字经济总量突破1.7万亿元。"}
        )


def test_validators_fill_spans_from_a_segment() -> None:
    page = segment_document(read_document(SEED))
    segment = page.segments[0]
    article = ValidatedArticleBriefing.model_validate(_article(), context={"segment": segment})
    metric = article.metrics[0]
    assert metric.span is not None and metric.value_span is not None
    original = page.document.original
    assert original[metric.value_span.start : metric.value_span.end] == "1.7万亿元"
    assert original[metric.span.start : metric.span.end] == "湖南省数字经济总量突破1.7万亿元"


def test_validators_catch_a_target_reported_as_achieved() -> None:
    page = segment_document(read_document(SEED))
    data = _article(
        summary_en="Hunan's industrial value added will grow 7% in 2024.",
        metrics=[
            _metric(
                indicator_en="growth of industrial value added",
                value=7,
                unit="percent",
                qualifier="exact",
                period="2024",
                status="actual",
                source_quote="力争全省规模以上工业增加值增长7%",
            )
        ],
    )
    with pytest.raises(ValidationError, match="the source states 7% as a target, not as achieved"):
        ValidatedArticleBriefing.model_validate(data, context={"segment": page.segments[0]})
