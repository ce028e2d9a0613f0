"""Rule-based facts: indicator, period, status and comparison on the seed and invented sentences."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from summarizer.layout.segment import segment_document
from summarizer.rules.facts import Fact, FactTable, extract_facts
from summarizer.text.ingest import read_document

from helpers import run_cli


def facts_of(text: str) -> list[Fact]:
    page = segment_document(read_document(text.encode("utf-8"), name="fixture.txt"))
    return extract_facts(page).facts


@pytest.fixture(scope="module")
def seed_table() -> FactTable:
    from helpers import SEED

    return extract_facts(segment_document(read_document(SEED)))


def find(table: FactTable, text: str, segment: int | None = None, nth: int = 0) -> Fact:
    matches = [f for f in table.facts if f.text == text and (segment is None or f.segment == segment)]
    assert len(matches) > nth, f"{text!r} not found; facts: {[f.text for f in table.facts]}"
    return matches[nth]


# (text, segment, value, unit, qualifier, period, status, indicator contains)
SEED_FIGURES = [
    ("1.7万亿元", 0, 1.7e12, "CNY", "more_than", "2023", "actual", "数字经济总量"),
    ("15%", 0, 15.0, "percent", "exact", "2023", "actual", "数字经济总量"),
    ("4.6%", 0, 4.6, "percent", "exact", "2023-01/2023-11", "actual", "规模以上工业增加值"),
    ("79.5%", 0, 79.5, "percent", "exact", None, "actual", "普及率"),
    ("81.1%", 0, 81.1, "percent", "exact", None, "actual", "普及率"),
    ("2.1个百分点", 0, 2.1, "percentage_point", "exact", None, "actual", None),
    ("5200PFlops", 0, 5200.0, "PFlops", "more_than", "2023", "actual", "算力"),
    ("13.3万个", 0, 133000.0, "count", "exact", "2023", "actual", "5G基站"),
    ("第八位", 0, 8.0, "rank", "exact", "2023", "actual", None),
    ("955万台(套)", 0, 9.55e6, "count", "more_than", None, "actual", "工业设备"),
    ("2500亿元", 0, 2.5e11, "CNY", "more_than", "2023", "actual", "先进计算产业规模"),
    ("8.5%", 0, -8.5, "percent", "exact", "2023-01/2023-11", "actual", "能耗"),
    ("520.73亿元", 0, 5.2073e10, "CNY", "exact", None, "actual", "投资"),
    ("10个", 0, 10.0, "count", "exact", "2024", "target", None),
    ("1279家", 2, 1279.0, "count", "exact", None, "actual", "产业链重点企业"),
    ("42%", 2, 42.0, "percent", "nearly", None, "actual", None),
    ("10.5%", 3, 10.5, "percent", "exact", "2023", "estimate", "智能网联新能源汽车产业增加值"),
    ("37%", 3, 37.0, "percent", "exact", "2023", "estimate", "新能源汽车产量"),
    ("5.1%", 3, 5.1, "percent", "exact", None, "actual", None),
    ("287亿", 3, 2.87e10, "number", "exact", None, "actual", "标识注册量"),
    ("7000万元", 3, 7e7, "CNY", "exact", None, "actual", None),
    ("896亿元", 3, 8.96e10, "CNY", "exact", "2023-01/2023-11", "actual", "计划总投资"),
]


@pytest.mark.parametrize(
    ("text", "segment", "value", "unit", "qualifier", "period", "status", "indicator"),
    SEED_FIGURES,
    ids=[f"{row[1]}:{row[0]}" for row in SEED_FIGURES],
)
def test_seed_figures(
    seed_table: FactTable,
    text: str,
    segment: int,
    value: float,
    unit: str,
    qualifier: str,
    period: str | None,
    status: str,
    indicator: str | None,
) -> None:
    fact = find(seed_table, text, segment)
    assert fact.value == pytest.approx(value)
    assert fact.unit == unit
    assert fact.qualifier == qualifier
    if period is not None:
        assert fact.period == period
    assert fact.status == status
    if indicator is not None:
        assert fact.indicator_zh is not None and indicator in fact.indicator_zh


def test_seed_2024_target_is_a_target_wherever_it_is_stated(seed_table: FactTable) -> None:
    sevens = [f for f in seed_table.facts if f.segment == 0 and f.value == 7.0 and f.unit == "percent"]
    assert sevens, "the 7% target is missing"
    assert all(f.status == "target" for f in sevens)
    assert any(f.period == "2024" for f in sevens)


def test_seed_comparisons(seed_table: FactTable) -> None:
    growth = find(seed_table, "4.6%", 0)
    difference = find(seed_table, "0.3个百分点", 0)
    assert difference.comparison is not None
    assert difference.comparison.baseline == "national"
    assert difference.comparison.difference == pytest.approx(0.3)
    assert difference.comparison.unit == "percentage_point"
    assert growth.change == "increase"
    assert find(seed_table, "8.5%", 0).change == "decrease"
    rank = find(seed_table, "第八位", 0)
    assert rank.comparison is not None and rank.comparison.kind == "rank" and rank.comparison.baseline == "national"
    assert find(seed_table, "13.6%", 3).comparison is not None


def test_seed_has_no_years_programmes_or_5g(seed_table: FactTable) -> None:
    texts = {f.text for f in seed_table.facts}
    for not_a_figure in ("2023", "2024", "4+6", "4×4", "33618", "1269", "5G", "2023年", "1—11月"):
        assert not_a_figure not in texts
    assert all(not f.text.startswith("5G") for f in seed_table.facts)


def test_every_fact_text_is_the_original_span(seed_table: FactTable) -> None:
    from helpers import SEED

    original = read_document(SEED).original
    for fact in seed_table.facts:
        assert original[fact.start : fact.end] == fact.text


def test_regions_come_from_the_segment_or_the_sentence(seed_table: FactTable) -> None:
    assert find(seed_table, "1279家", 2).region is not None
    assert find(seed_table, "1279家", 2).region.en == "Jiangxi"  # type: ignore[union-attr]


STATUS_TABLE = [
    ("2024年，全省将新增智能工厂50家。", "50家", "target", "2024"),
    ("力争2024年全省规模以上工业增加值增长6%。", "6%", "target", "2024"),
    ("到2025年，数字经济规模达到2万亿元。", "2万亿元", "target", "2025"),
    ("预计全年地区生产总值增长5.5%左右。", "5.5%左右", "estimate", None),
    # A preliminary official figure is what the office reports as achieved: actual, marked preliminary.
    ("初步核算，全年实现地区生产总值4000.5亿元。", "4000.5亿元", "actual", None),
    ("2023年全省新增专精特新企业320家。", "320家", "actual", "2023"),
    ("今年有望实现产值突破1000亿元。", "1000亿元", "estimate", None),
]


@pytest.mark.parametrize(("sentence", "text", "status", "period"), STATUS_TABLE)
def test_status_and_period_are_scoped_to_the_sentence(sentence: str, text: str, status: str, period: str | None) -> None:
    facts = facts_of("标题\n\n" + sentence + "\n\n另外，全省新增企业10家。\n")
    fact = next(f for f in facts if f.text == text)
    assert fact.status == status
    if period is not None:
        assert fact.period == period
    assert next(f for f in facts if f.text == "10家").status == "actual"


def test_respectively_lists_assign_indicators_in_order() -> None:
    facts = facts_of("标题\n\n2023年，工业税收、制造业税收分别增长17.9%和16.8%。\n")
    assert [(f.text, f.indicator_zh) for f in facts] == [("17.9%", "工业税收"), ("16.8%", "制造业税收")]


def test_indicator_after_the_figure() -> None:
    facts = facts_of("标题\n\n新增13.3万家企业上云、1.3万家企业上平台。\n")
    assert [(f.value, f.indicator_zh) for f in facts] == [(133000.0, "企业上云"), (13000.0, "企业上平台")]


def test_yoy_comparison_and_cumulative() -> None:
    facts = facts_of("标题\n\n截至11月底，全市累计完成投资389.2亿元，同比增长11.4%。\n")
    amount, growth = facts
    assert amount.cumulative
    assert growth.comparison is not None and growth.comparison.kind == "yoy"
    assert growth.change == "increase"


def test_untranslated_indicator_is_marked_not_invented() -> None:
    facts = facts_of("标题\n\n全省咕噜咕噜指数达到88个。\n")
    (fact,) = facts
    assert fact.indicator_en is None
    assert fact.indicator_translated is False


def test_facts_command_json_contract(seed_path: Path) -> None:
    result = run_cli("facts", str(seed_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    keys = {"segment", "text", "start", "end", "value", "value_max", "unit", "measure", "qualifier",
            "indicator_zh", "indicator_en", "period", "cumulative", "status", "comparison", "region"}  # fmt: skip
    original = seed_path.read_text(encoding="utf-8")
    assert payload["facts"]
    for item in payload["facts"]:
        assert keys <= set(item)
        assert original[item["start"] : item["end"]] == item["text"]
        assert item["status"] in ("actual", "estimate", "target")


def test_facts_command_csv_and_table(seed_path: Path) -> None:
    result = run_cli("facts", str(seed_path), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert any(row["text"] == "1.7万亿元" and row["unit"] == "CNY" and row["value"] == "1700000000000" for row in rows)
    table = run_cli("facts", str(seed_path), "--format", "table")
    assert table.returncode == 0 and "1.7万亿元" in table.stdout


def test_respectively_with_items_in_the_clause_before() -> None:
    facts = facts_of(
        "标题\n\n2023年1—11月，增值税12.8亿元、城镇土地使用税9.5亿元、城市维护建设税3.3亿元，"
        "同比分别增长210.8%、29.5%、17.8%。\n"
    )
    rates = [(f.text, f.indicator_zh, f.change) for f in facts if f.unit == "percent"]
    assert rates == [
        ("210.8%", "增值税", "increase"),
        ("29.5%", "城镇土地使用税", "increase"),
        ("17.8%", "城市维护建设税", "increase"),
    ]


def test_respectively_with_listed_fields_in_the_clause_before() -> None:
    facts = facts_of("标题\n\n2023年，电子信息制造业中集成电路、传感器等领域发展迅速，增加值分别增长18.9%和12.8%。\n")
    assert [(f.indicator_zh, f.change) for f in facts] == [("集成电路增加值", "increase"), ("传感器增加值", "increase")]


def test_every_listed_figure_after_one_verb_is_a_change() -> None:
    facts = facts_of("标题\n\n三大支柱产业分别增长5.1%、4.5%和7.0%。\n")
    assert [f.change for f in facts] == ["increase", "increase", "increase"]


PERIOD_TABLE = [
    # A time expression without a year governs its sentence: the period is unknown, not borrowed.
    ("2023年全市投资增长5%。一季度全市实现工业增加值384.1亿元。", "384.1亿元", None),
    # 自2015年以来 is a starting point, not the figure's period.
    ("一季度工业增长0.5%，结束了自2015年以来首季下降的局面。中直工业实现增加值268亿元。", "268亿元", None),
    ("2023年，全省新增企业300家。其中制造业企业120家。", "120家", "2023"),
]


@pytest.mark.parametrize(("text", "figure", "period"), PERIOD_TABLE)
def test_periods_are_not_borrowed_across_time_expressions(text: str, figure: str, period: str | None) -> None:
    fact = next(f for f in facts_of("标题\n\n" + text + "\n") if f.text == figure)
    assert fact.period == period


def test_a_deadline_already_reached_is_an_achievement() -> None:
    (fact,) = facts_of("标题\n\n到今年10月底，已经有3000多家规模以上工业企业实施了数字化转型。\n")
    assert fact.status == "actual"
