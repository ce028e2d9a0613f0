"""Kinds of error the verifier holds prose and metrics to, one invented sentence per row.

Each row is a faithful sentence and a wrong one of the same kind: the faithful one must not be
contradicted, the wrong one must be (with the named problem). The source is an invented article
(tests/fixtures/verify/kinds_article.txt) dated 2026-01-20 by its header line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from summarizer.briefing.models import ArticleBriefing
from summarizer.layout.segment import segment_document
from summarizer.rules.facts import facts_for_segment
from summarizer.text.ingest import read_document
from summarizer.verify import ArticleSource, ClaimResult, verify_article
from summarizer.verify.source import period_end

KINDS = Path(__file__).parent / "fixtures" / "verify" / "kinds_article.txt"
WRITTEN = date(2026, 1, 20)


@pytest.fixture(scope="module")
def source() -> ArticleSource:
    page = segment_document(read_document(KINDS))
    segment = page.segments[0]
    return ArticleSource.from_segment(
        segment, facts_for_segment(segment, reference=WRITTEN), page.document.original, WRITTEN
    )


def _article(**fields: Any) -> ArticleBriefing:
    data: dict[str, Any] = {
        "index": 0,
        "headline_zh": "示例省今年重点工作新闻发布会召开",
        "headline_en": "Example Province holds a press conference on this year's work",
        "summary_en": "Example Province held a press conference.",
    }
    data.update(fields)
    return ArticleBriefing.model_validate(data)


def _results(source: ArticleSource, article: ArticleBriefing, pointer: str) -> list[ClaimResult]:
    return [r for r in verify_article(source, article) if r.pointer.startswith(pointer)]


@pytest.mark.parametrize(
    ("faithful", "wrong", "problem"),
    [
        # a bare number before a noun counts things: never minutes, kilometres or yuan
        (
            "Five departments issued an action plan.",
            "Fifty departments issued an action plan.",
            "wrong_unit",
        ),
        # "year on year" states a change: a level of the same value is another figure
        (
            "Tourist visits rose 67.9% year on year.",
            "Tourist visits rose 70% year on year.",
            "wrong_value",
        ),
        # a change "from A to B" goes the way its verb says
        (
            "The railway will cut travel time from 5 hours to 2 hours.",
            "The railway will cut travel time from 2 hours to 5 hours.",
            "wrong_value",
        ),
        # a measured figure a power of ten away is a scale error, whatever bare numerals the text holds
        (
            "A drive to the airport takes 50 minutes.",
            "A drive to the airport takes 500 minutes.",
            "wrong_scale",
        ),
        # lone place characters before a measure word are figures: 百堂, 万场
        (
            "The plan aims to create 100 fine courses and 10,000 talks.",
            "Example Province created 100 fine courses and 10,000 talks last year.",
            "missing_hedge",
        ),
        # a day told with figures is the day of the passage that states them (昨天 resolved)
        (
            "The expressway, about 48 km long, was fully opened on 19 January.",
            "The expressway, about 48 km long, was fully opened on 20 January.",
            "wrong_period",
        ),
        # a noun whose measure word tells it apart: depots are 座, batches 批次
        (
            "The province organised 29 reserve depots to dispatch 18 batches of supplies.",
            "The province organised 18 reserve depots to dispatch 29 batches of supplies.",
            "wrong_indicator",
        ),
        # 档 counts programmes
        (
            "The station announced 18 fine programmes.",
            "The station announced 28 fine programmes.",
            "unsupported_number",
        ),
    ],
)
def test_prose_kind(source: ArticleSource, faithful: str, wrong: str, problem: str) -> None:
    good = _results(source, _article(key_points=[faithful]), "/key_points/0")
    assert good and not any(r.verdict == "contradicted" for r in good), [r.message for r in good]
    bad = _results(source, _article(key_points=[wrong]), "/key_points/0")
    assert problem in {r.problem for r in bad if r.verdict == "contradicted"}, [(r.problem, r.message) for r in bad]


def _platforms(status: str, period: str, indicator_en: str = "new provincial innovation platforms") -> dict[str, Any]:
    return {
        "indicator_zh": "新增省级创新平台",
        "indicator_en": indicator_en,
        "value": 30,
        "unit": "count",
        "measure": "个",
        "status": status,
        "period": period,
        "source_quote": "今年，示例省将新增省级创新平台30个",
    }


def test_a_result_for_a_period_not_yet_over_is_contradicted(source: ArticleSource) -> None:
    target = _results(source, _article(metrics=[_platforms("target", "2026")]), "/metrics/0/status")
    assert target and all(r.verified for r in target), [r.message for r in target]
    achieved = _results(source, _article(metrics=[_platforms("actual", "2026")]), "/metrics/0/status")
    assert [r.problem for r in achieved if r.verdict == "contradicted"] == ["wrong_status"], [r.message for r in achieved]


def test_a_year_in_an_indicator_label_is_one_of_its_period_or_quote(source: ArticleSource) -> None:
    right = _platforms("target", "2026", "new provincial innovation platforms in 2026")
    good = _results(source, _article(metrics=[right]), "/metrics/0/indicator_en")
    assert not any(r.verdict == "contradicted" for r in good), [r.message for r in good]
    wrong = _platforms("target", "2026", "new provincial innovation platforms in 2025")
    bad = _results(source, _article(metrics=[wrong]), "/metrics/0/indicator_en")
    assert "wrong_period" in {r.problem for r in bad if r.verdict == "contradicted"}, [r.message for r in bad]


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ("2026", date(2026, 12, 31)),
        ("2022-Q1", date(2022, 3, 31)),
        ("2021-H1", date(2021, 6, 30)),
        ("2024-02", date(2024, 2, 29)),
        ("2021-01/2021-09", date(2021, 9, 30)),
        ("2013/2022", date(2022, 12, 31)),
        ("last year", None),
        (None, None),
    ],
)
def test_period_end(period: str | None, end: date | None) -> None:
    assert period_end(period) == end
