"""The verifier: grounding, values, units, scales, qualifiers, status, periods, English prose, coverage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from summarizer.briefing.models import ArticleBriefing, PageBriefing
from summarizer.errors import BriefingFormatError, InputError
from summarizer.layout.segment import SegmentedPage, segment_document
from summarizer.pipeline import verify_file
from summarizer.text.ingest import read_document
from summarizer.verify import (
    ArticleSource,
    ClaimResult,
    VerificationReport,
    annotate_briefing,
    print_report_table,
    quarantine_unverified,
    report_to_json,
    verify_article,
    verify_briefing,
)
from summarizer.verify.english_numbers import find_english_numbers, is_hedged

from helpers import REPO, SEED

REFERENCE = REPO / "seeds" / "000_4e8de9e190906468.briefing.json"
FIXTURES = Path(__file__).parent / "fixtures" / "verify"
SHORT = FIXTURES / "short_article.txt"
SHORT_BRIEFING = FIXTURES / "short_article.briefing.json"


@pytest.fixture(scope="module")
def seed_page() -> SegmentedPage:
    return segment_document(read_document(SEED))


@pytest.fixture(scope="module")
def short_source() -> ArticleSource:
    page = segment_document(read_document(SHORT))
    from summarizer.rules.facts import facts_for_segment

    segment = page.segments[0]
    return ArticleSource.from_segment(segment, facts_for_segment(segment), page.document.original)


def _short_article() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SHORT_BRIEFING.read_text(encoding="utf-8"))["articles"][0]
    return data


def _failures(source: ArticleSource, data: dict[str, Any]) -> list[ClaimResult]:
    return [r for r in verify_article(source, ArticleBriefing.model_validate(data)) if not r.ok]


def _metric(data: dict[str, Any], quote_part: str) -> dict[str, Any]:
    metric: dict[str, Any] = next(m for m in data["metrics"] if quote_part in m["source_quote"])
    return metric


# --- whole files ------------------------------------------------------------------------------------


def test_reference_briefing_verifies_with_zero_failures() -> None:
    report = verify_file(SEED, REFERENCE)
    assert report.ok, [c.message for c in report.failed()]
    assert report.exit_code == 0
    assert len(report.claims) > 500
    assert [c.article for c in report.coverage] == [0, 1, 2, 3]
    hunan = report.coverage[0]
    assert hunan.facts_found > 50 and hunan.ratio is not None and hunan.ratio > 0.9


def test_three_errors_give_three_clear_findings_and_exit_code_1() -> None:
    report = verify_file(SEED, FIXTURES / "three_findings.briefing.json")
    failed = report.failed()
    assert report.exit_code == 1 and not report.ok
    assert [(c.pointer, c.problem) for c in failed] == [
        ("/articles/0/metrics/2/source_quote", "not_in_source"),
        ("/articles/0/metrics/5/unit", "wrong_unit"),
        ("/articles/0/summary_en", "unsupported_number"),
    ]
    assert "quote the Chinese text verbatim" in failed[0].message
    assert "the source's 42% is percent" in failed[1].message
    assert "'500 billion yuan' is not a figure of the article" in failed[2].message


def test_invented_short_article_verifies(short_source: ArticleSource) -> None:
    report = verify_file(SHORT, SHORT_BRIEFING)
    assert report.ok, [c.message for c in report.failed()]
    assert report.coverage[0].ratio == 1.0


def test_malformed_json_is_a_one_line_briefing_format_error() -> None:
    with pytest.raises(BriefingFormatError) as raised:
        verify_file(SHORT, FIXTURES / "malformed.briefing.json")
    message = str(raised.value)
    assert "\n" not in message and "not valid JSON (line 2" in message
    assert raised.value.exit_code == 2


def test_schema_invalid_briefing_is_a_one_line_briefing_format_error() -> None:
    with pytest.raises(BriefingFormatError) as raised:
        verify_file(SHORT, FIXTURES / "schema_invalid.briefing.json")
    message = str(raised.value)
    assert "\n" not in message
    assert "does not match the briefing schema at /articles/0/metrics/0/status" in message
    assert "schemas/briefing.schema.json" in message


def test_missing_briefing_file(tmp_path: Path) -> None:
    with pytest.raises(BriefingFormatError, match="briefing file not found"):
        verify_file(SHORT, tmp_path / "absent.json")


def test_unusable_source_is_an_input_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        verify_file(empty, SHORT_BRIEFING)


# --- metrics ---------------------------------------------------------------------------------------------


def test_yi_read_as_wan_is_a_wrong_scale(short_source: ArticleSource) -> None:
    data = _short_article()
    _metric(data, "800亿元")["value"] = 8e6
    failures = _failures(short_source, data)
    (failure,) = failures
    assert failure.pointer == "/metrics/6/value" and failure.problem == "wrong_scale"
    assert "10^-4" in failure.message and "万 is 10^4" in failure.message


def test_percentage_points_are_not_percent(short_source: ArticleSource) -> None:
    data = _short_article()
    _metric(data, "1.1个百分点")["unit"] = "percent"
    (failure,) = _failures(short_source, data)
    assert failure.problem == "wrong_unit" and "percentage points (个百分点)" in failure.message


def test_nearly_is_not_more_than(short_source: ArticleSource) -> None:
    data = _short_article()
    _metric(data, "近一成")["qualifier"] = "more_than"
    (failure,) = _failures(short_source, data)
    assert failure.problem == "wrong_qualifier" and "as 'nearly'" in failure.message


@pytest.mark.parametrize(
    ("quote", "status"), [("预计", "estimate"), ("力争", "target"), ("新培育", "target")]
)
def test_hedged_figures_must_keep_their_status(short_source: ArticleSource, quote: str, status: str) -> None:
    data = _short_article()
    _metric(data, quote)["status"] = "actual"
    failures = _failures(short_source, data)
    assert [f.problem for f in failures] == ["wrong_status"]
    assert f"as {'an estimate' if status == 'estimate' else 'a target'}, not as achieved" in failures[0].message


def test_wrong_year_is_a_wrong_period(short_source: ArticleSource) -> None:
    data = _short_article()
    _metric(data, "6.2%")["period"] = "2022"
    (failure,) = _failures(short_source, data)
    assert failure.problem == "wrong_period" and "for 2023" in failure.message


def test_a_decline_is_negative(short_source: ArticleSource) -> None:
    data = _short_article()
    _metric(data, "下降3.4%")["value"] = 3.4
    (failure,) = _failures(short_source, data)
    assert failure.problem == "wrong_value" and "decline" in failure.message


def test_the_best_matching_quantity_of_a_quote_is_judged(short_source: ArticleSource) -> None:
    data = _short_article()
    metric = _metric(data, "高于全省1.1个百分点")
    metric["source_quote"] = "2023年，示例市规模以上工业增加值增长6.2%，高于全省1.1个百分点"
    assert _failures(short_source, data) == []
    metric["value"] = 1.2
    (failure,) = _failures(short_source, data)
    assert failure.problem == "wrong_value" and "6.2%" in failure.message and "1.1个百分点" in failure.message


def test_comparison_numbers_must_be_in_the_quote(short_source: ArticleSource) -> None:
    data = _short_article()
    _metric(data, "6.2%")["comparison"] = {
        "kind": "above_baseline",
        "difference": 1.5,
        "difference_unit": "percentage_point",
    }
    (failure,) = _failures(short_source, data)
    assert failure.pointer == "/metrics/0/comparison/difference" and failure.problem == "not_in_source"


def test_two_metrics_cannot_take_the_same_figure(short_source: ArticleSource) -> None:
    data = _short_article()
    data["metrics"].append(dict(_metric(data, "6.2%"), indicator_en="growth of industrial output"))
    failures = _failures(short_source, data)
    assert [f.problem for f in failures] == ["wrong_value"]
    assert "same place in the source as metrics[0]" in failures[0].message


def test_quote_of_a_pull_quote_is_grounded_in_the_original(seed_page: SegmentedPage) -> None:
    data = {
        "headline_zh": "湖南：打造国家先进制造业高地",
        "headline_en": "Hunan",
        "summary_en": "Hunan's advanced computing industry exceeded 250 billion yuan in 2023.",
        "metrics": [
            {
                "indicator_zh": "先进计算产业规模",
                "indicator_en": "size of the advanced computing industry",
                "value": 2.5e11,
                "unit": "CNY",
                "qualifier": "more_than",
                "period": "2023",
                "status": "actual",
                "source_quote": "2023年，湖南先进计算产业规模超过2500亿元，软件和信息技术服务业营收增长超15%。",
            }
        ],
    }
    article = ArticleBriefing.model_validate(data)
    results = verify_article(
        seed_page.segments[0], article, fill_spans=True, original=seed_page.document.original
    )
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    span = article.metrics[0].span
    assert span is not None
    assert seed_page.document.original[span.start : span.end].startswith("2023年，湖南先进计算产业规模")


# --- English prose ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("The city's core digital economy is expected to exceed 80 billion yuan.", "verified"),
        ("The city's core digital economy is expected to exceed 8 billion yuan.", "wrong_scale"),
        ("Industry grew 1.1% faster than in the province.", "wrong_unit"),
        ("The digital economy is expected to reach more than a tenth of GRP.", "wrong_qualifier"),
        ("The digital economy exceeded 80 billion yuan.", "missing_hedge"),
        ("Industry grew 6.2% in 2022.", "wrong_period"),
        ("The city has 75 little giants.", "unsupported_number"),
        ("It ranks second in the province.", "verified"),
        ("It ranks third in the province.", "wrong_unit"),
    ],
)
def test_numbers_in_english_prose(short_source: ArticleSource, sentence: str, verdict: str) -> None:
    data = _short_article()
    data["key_points"] = [sentence]
    results = [
        r
        for r in verify_article(short_source, ArticleBriefing.model_validate(data))
        if r.pointer == "/key_points/0"
    ]
    assert results, "the sentence's number was not checked"
    if verdict == "verified":
        assert all(r.verified for r in results), [r.message for r in results]
    else:
        assert verdict in {r.problem for r in results if r.verdict == "contradicted"}, [r.message for r in results]


def test_a_target_needs_a_hedge_in_prose(short_source: ArticleSource) -> None:
    data = _short_article()
    data["summary_en"] = "Industrial value added grew more than 7% in 2024."
    failures = _failures(short_source, data)
    assert [f.problem for f in failures] == ["missing_hedge"]
    assert "'aims to', 'target' or 'plans'" in failures[0].message
    data["summary_en"] = "The city aims for industrial growth of more than 7% in 2024."
    assert _failures(short_source, data) == []


def test_prose_number_that_contradicts_its_metric(seed_page: SegmentedPage) -> None:
    # 6 is a figure of the article (6个 quality cases), but not the number of green industrial parks.
    briefing = PageBriefing.model_validate_json(REFERENCE.read_text(encoding="utf-8"))
    hunan = briefing.articles[0]
    point = next(k for k, p in enumerate(hunan.key_points) if "5 green industrial parks" in p)
    hunan.key_points[point] = hunan.key_points[point].replace(
        "5 green industrial parks", "6 green industrial parks"
    )
    failures = [c for c in verify_briefing(seed_page, briefing).claims if not c.ok]
    assert [(c.pointer, c.problem) for c in failures] == [(f"/articles/0/key_points/{point}", "wrong_indicator")]
    assert "green industrial parks) = 5" in failures[0].message


# --- rounded numbers in prose ---------------------------------------------------------------------------
# A number in English prose is the source's figure at the source's precision, whatever scale words the
# English uses; it may be rounded only when the prose marks it as approximate right before it.


def _hunan_failures(seed_page: SegmentedPage, field: str, old: str, new: str) -> list[ClaimResult]:
    """Failures of the reference briefing after ``old`` -> ``new`` in one English field of the Hunan article."""
    briefing = PageBriefing.model_validate_json(REFERENCE.read_text(encoding="utf-8"))
    hunan = briefing.articles[0]
    if field == "headline_en":
        hunan.headline_en = new
    else:
        point = next(k for k, p in enumerate(hunan.key_points) if old in p)
        hunan.key_points[point] = hunan.key_points[point].replace(old, new)
    return [c for c in verify_briefing(seed_page, briefing).claims if not c.ok]


@pytest.mark.parametrize(
    ("field", "old", "new", "pointer", "expected"),
    [
        (  # 突破1.7万亿元
            "headline_en",
            "",
            "Hunan digital economy tops 2 trillion yuan",
            "/articles/0/headline_en",
            [
                "rounded up from 1.7万亿元 (1.7 trillion yuan)",
                "the bound is false",
                "the source's figure is below 2 trillion yuan",
            ],
        ),
        (  # 增长4.6%
            "key_points",
            "grew 4.6% in January-November 2023",
            "grew 5% in January-November 2023",
            "/articles/0/key_points/1",
            ["'5%' is not the source's figure", "rounded up from 4.6%", "the source states 4.6%", "approximate ('about"],
        ),
        (  # 超955万台(套): 9.55 million, so "more than 10 million" is false
            "key_points",
            "more than 9.55 million industrial devices",
            "more than 10 million industrial devices",
            "/articles/0/key_points/3",
            ["rounded up from 955万台(套) (9.55 million)", "the bound is false", "is below 10 million"],
        ),
    ],
)
def test_a_rounded_number_in_prose_is_a_wrong_value(
    seed_page: SegmentedPage, field: str, old: str, new: str, pointer: str, expected: list[str]
) -> None:
    failures = _hunan_failures(seed_page, field, old, new)
    assert [(c.pointer, c.problem) for c in failures] == [(pointer, "wrong_value")]
    assert "is not the source's figure" in failures[0].message
    for words in expected:
        assert words in failures[0].message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("grew 4.6% in", "grew about 5% in"),
        ("grew 4.6% in", "grew around 5% in"),
        ("grew 4.6% in", "grew ~5% in"),
        ("grew 4.6% in", "grew roughly 5% in"),
        ("133,000 enterprises", "approximately 130,000 enterprises"),
        ("133,000 enterprises", "some 130,000 enterprises"),
        ("more than 9.55 million industrial devices", "about 10 million industrial devices"),
        # 超955万 states the figure truncated: just over 9.55 million, so nearly 10 million.
        ("more than 9.55 million industrial devices", "nearly 10 million industrial devices"),
        ("more than 9.55 million industrial devices", "close to 10 million industrial devices"),
        ("more than 9.55 million industrial devices", "roughly 9.6 million industrial devices"),
    ],
)
def test_a_rounding_marked_as_approximate_passes(seed_page: SegmentedPage, old: str, new: str) -> None:
    assert _hunan_failures(seed_page, "key_points", old, new) == []


@pytest.mark.parametrize(
    ("old", "new", "verdict", "words"),
    [
        # 13.3万 is above 130,000: "nearly" / "less than" 130,000 is false, "more than" is not the source's bound.
        ("133,000 enterprises", "nearly 130,000 enterprises", "wrong_qualifier", "is above it"),
        ("133,000 enterprises", "less than 130,000 enterprises", "wrong_value", "the bound is false"),
        (
            "133,000 enterprises",
            "more than 130,000 enterprises",
            "wrong_value",
            "must be the source's own figure",
        ),
        # Too coarse (more than 10% off): 133,000 is not "about 100,000", 1.7 trillion not "about 2 trillion".
        ("133,000 enterprises", "about 100,000 enterprises", "wrong_value", "too coarse a rounding"),
        (
            "exceeded 1.7 trillion yuan",
            "reached about 2 trillion yuan",
            "wrong_value",
            "too coarse a rounding",
        ),
        # Not a rounding of the source at the precision the English states.
        ("grew 4.6% in", "grew about 4.4% in", "unsupported_number", "not a figure of the article"),
    ],
)
def test_an_approximation_must_stay_close_and_on_the_right_side(
    seed_page: SegmentedPage, old: str, new: str, verdict: str, words: str
) -> None:
    failures = _hunan_failures(seed_page, "key_points", old, new)
    assert [c.problem for c in failures] == [verdict], [c.message for c in failures]
    assert words in failures[0].message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("exceeded 1.7 trillion yuan", "exceeded 1,700 billion yuan"),
        ("exceeded 1.7 trillion yuan", "exceeded CNY 1.7 trillion"),
        ("exceeded 1.7 trillion yuan", "exceeded RMB 1.7trn"),
        ("more than 9.55 million", "more than 9,550,000"),
        ("more than 9.55 million", "more than 9.55m"),
        ("more than 9.55 million", "more than 9,550 thousand"),
        ("133,000 enterprises", "0.133 million enterprises"),
        ("exceeded 250 billion yuan", "exceeded CNY 250bn"),
        ("exceeded 250 billion yuan", "exceeded 0.25 trillion yuan"),
    ],
)
def test_the_source_figure_in_any_scale_passes(seed_page: SegmentedPage, old: str, new: str) -> None:
    assert _hunan_failures(seed_page, "key_points", old, new) == []


@pytest.mark.parametrize(
    ("text", "value", "precision", "qualifier"),
    [
        ("1.7 trillion yuan", 1.7e12, 5e10, None),
        ("10 million devices", 1e7, 5e6, None),
        ("4.6%", 4.6, 0.05, None),
        ("133,000 enterprises", 133000, 500, None),
        ("1.70 trillion yuan", 1.7e12, 5e9, None),
        ("ten firms", 10, 5, None),
        ("tops 2 trillion yuan", 2e12, 5e11, "more_than"),
        ("~5%", 5, 0.5, "about"),
        ("grew ~ 5%", 5, 0.5, "about"),
        ("20 or so parks", 20, 5, "about"),
        ("roughly 9.6 million", 9.6e6, 5e4, "about"),
        ("almost 10 million", 1e7, 5e6, "nearly"),
    ],
)
def test_english_precision_and_approximation_markers(
    text: str, value: float, precision: float, qualifier: str | None
) -> None:
    (number,) = [n for n in find_english_numbers(text) if n.kind == "quantity"]
    assert number.value == pytest.approx(value) and number.qualifier == qualifier
    assert number.precision == pytest.approx(precision)


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("CNY 1.7 trillion", 1.7e12, "CNY", None),
        ("250 billion yuan", 2.5e11, "CNY", None),
        ("RMB 25bn", 2.5e10, "CNY", None),
        ("133,000 base stations", 133000, "plain", None),
        ("up 15%", 15, "percent", None),
        ("0.3 percentage points", 0.3, "percentage_point", None),
        ("ranked eighth in the country", 8, "rank", None),
        ("nearly half of the laptops", 50, "percent", "nearly"),
        ("ten enterprises", 10, "plain", None),
        ("1.7 trn", 1.7e12, "plain", None),
        ("more than 20,000 firms", 20000, "plain", "more_than"),
        ("20,000+ firms", 20000, "plain", "more_than"),
        ("US$3.5 million", 3.5e6, "USD", None),
        ("5,200 PFlops", 5200, "PFlops", None),
        ("doubled 2 times", 2, "times", None),
    ],
)
def test_english_number_parsing(text: str, value: float, unit: str, qualifier: str | None) -> None:
    quantities = [n for n in find_english_numbers(text) if n.kind == "quantity"]
    assert len(quantities) == 1, quantities
    number = quantities[0]
    assert number.value == pytest.approx(value) and number.unit == unit and number.qualifier == qualifier


def test_years_dates_and_names_are_not_quantities() -> None:
    numbers = find_english_numbers(
        'In 2023 and 2024, the "4+6" clusters, 5G and "33618" on 11 November were named.'
    )
    kinds = {n.text: n.kind for n in numbers}
    assert kinds == {
        "2023": "year",
        "2024": "year",
        "4+6": "name",
        "5G": "name",
        "33618": "name",
        "11 November": "date",
    }
    assert [n.kind for n in find_english_numbers("the first batch of platforms")] == ["ordinal"]


def test_hedges_govern_their_own_clause_or_what_follows() -> None:
    sentence = "100 were under way in 2023 and 100 are to continue in 2024."
    first, _, second, _ = find_english_numbers(sentence)
    assert not is_hedged(sentence, first)
    assert is_hedged(sentence, second)
    sentence = "The province aims to raise value added by 7%, cultivate ten firms."
    assert all(is_hedged(sentence, n) for n in find_english_numbers(sentence))


# --- facts, report, quarantine -----------------------------------------------------------------------


def test_status_and_period_come_from_the_fact_table() -> None:
    from summarizer.rules.facts import extract_facts

    page = segment_document(read_document(SHORT))
    briefing = PageBriefing.model_validate_json(SHORT_BRIEFING.read_text(encoding="utf-8"))
    table = extract_facts(page)
    growth = next(f for f in table.facts if f.text == "6.2%")
    # The verifier reads status and period from the rules, so rules that say otherwise change its verdict.
    said_otherwise = growth.model_copy(
        update={"status": "target", "status_scope": "sentence", "period": "2025", "period_scope": "sentence"}
    )
    table = table.model_copy(update={"facts": [said_otherwise if f is growth else f for f in table.facts]})
    report = verify_briefing(page, briefing, table)
    problems = {c.pointer: c.problem for c in report.failed()}
    assert problems == {
        "/articles/0/metrics/0/status": "wrong_status",
        "/articles/0/metrics/0/period": "wrong_period",
        "/articles/0/summary_en": "wrong_period",  # the summary says 6.2% in 2023; the (altered) rules say 2025
    }


def test_report_json_and_table() -> None:
    report = verify_file(SEED, FIXTURES / "three_findings.briefing.json")
    again = VerificationReport.model_validate(
        {
            k: v
            for k, v in json.loads(report_to_json(report)).items()
            if k not in ("ok", "exit_code", "failures")
        }
    )
    assert again.failures == 3 and again.exit_code == 1
    console = Console(record=True, width=200)
    print_report_table(report, console)
    text = console.export_text()
    assert "FAILED" in text and "/articles/0/metrics/5/unit" in text and "wrong_unit" in text


def test_quarantine_moves_failed_claims_out(short_source: ArticleSource) -> None:
    data = _short_article()
    _metric(data, "800亿元")["value"] = 8e6
    data["summary_en"] += " Output reached 999 billion yuan."
    article = ArticleBriefing.model_validate(data)
    results = verify_article(short_source, article)
    cleaned = quarantine_unverified(article, results)
    assert len(cleaned.metrics) == len(article.metrics) - 1
    assert "999" not in cleaned.summary_en and "6.2%" in cleaned.summary_en
    assert {u.problem for u in cleaned.unverified} == {"wrong_scale", "unsupported_number"}
    assert "80 billion yuan" in cleaned.summary_en
    assert all(r.ok for r in verify_article(short_source, cleaned))


def test_annotate_fills_spans_and_summaries(seed_page: SegmentedPage) -> None:
    briefing = PageBriefing.model_validate_json(REFERENCE.read_text(encoding="utf-8"))
    for article in briefing.articles:
        for metric in article.metrics:
            metric.span = metric.value_span = None
    annotated = annotate_briefing(seed_page, briefing)
    first = annotated.articles[0]
    assert first.metrics[0].value_span is not None
    assert first.verification is not None and first.verification.failed == 0
    assert briefing.articles[0].metrics[0].span is None, "the input is not modified"


def test_spans_in_a_briefing_are_checked(seed_page: SegmentedPage) -> None:
    briefing = PageBriefing.model_validate_json(REFERENCE.read_text(encoding="utf-8"))
    metric = briefing.articles[0].metrics[0]
    assert metric.span is not None
    metric.span = metric.span.model_copy(update={"start": metric.span.start + 1})
    report = verify_briefing(seed_page, briefing)
    assert [c.pointer for c in report.failed()] == ["/articles/0/metrics/0/source_quote"]
