"""More shortcuts of the rule path, each checked against the plain computation it replaces (see
test_fast_paths.py for the others; speed is measured in benchmarks/bench_rules.py, never here)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from summarizer.briefing.models import Region
from summarizer.layout.segment import segment_document
from summarizer.output.tables import facts_payload, pretty_json
from summarizer.rules import dates, facts, indicators, numerals
from summarizer.rules.dates import resolve_period
from summarizer.rules.facts import Fact, FactComparison, FactTable, extract_facts
from summarizer.rules.periods import find_periods, may_state_calendar_year
from summarizer.text.ingest import read_document
from summarizer.text.translation import translate

from helpers import SEED

CORPUS = Path("/work/shared/corpus")  # as in test_batch.py

CHARS = list("，,：:；;“”\"（）()中文a1 \u3000")
REPLACEMENTS = st.one_of(st.none(), st.sampled_from(CHARS).map(ord), st.text(st.sampled_from(CHARS), max_size=3))
TABLES = st.dictionaries(st.sampled_from(CHARS).map(ord), REPLACEMENTS, max_size=40)


@settings(max_examples=500)
@given(st.text(st.sampled_from(CHARS), max_size=60), TABLES)
def test_translate_is_str_translate(text: str, table: dict[int, str | int | None]) -> None:
    # tables whose replacements hold characters they replace (chains, swaps) included
    assert translate(text, table) == text.translate(table)


# --- the facts payload read from the models' fields ------------------------------------------------


def _dumped_payload(table: FactTable) -> dict[str, Any]:
    """The payload as pydantic dumps it, then edited: the plain computation facts_payload replaces."""
    facts: list[dict[str, Any]] = TypeAdapter(list[Fact]).dump_python(table.facts, mode="json")
    for item in facts:
        del item["sentence"]
        for key in ("comparison", "region"):
            nested = item[key]
            if nested is not None:
                item[key] = {name: value for name, value in nested.items() if value is not None}
        item["also_at"] = item.pop("also_at")
    return {
        "source": table.source,
        "document_date": table.document_date,
        "document_date_source": table.document_date_source,
        "facts": facts,
    }


def _same_payload(table: FactTable) -> None:
    fast, plain = facts_payload(table), _dumped_payload(table)
    assert fast == plain
    assert pretty_json(fast) == pretty_json(plain)  # types too (1.0 is not 1, a list not a tuple)
    for key in ("region", "comparison", "also_at"):  # every fact has objects of its own, none shared
        values = [item[key] for item in fast["facts"] if item[key] is not None]
        assert len({id(value) for value in values}) == len(values)


PAGES = [
    SEED.read_text(encoding="utf-8"),
    # a city region, comparisons of every kind, a decline, a range, a restated figure (also_at)
    "长沙市经济运行\n长沙市地区生产总值增长5.5%，高于全国0.3个百分点，居全省第一位。\n"
    "投资下降3%，比2019年同期增长12%，两年平均增长6%，占全省比重达30%左右。\n\n"
    "产量3至5万吨。\n\n长沙市地区生产总值增长5.5%。\n",
    "全省产值增长" + "9" * 400 + "%。\n",  # an infinite value (written as Infinity)
    "湖南省统计公报\n\n一、综合\n\n2012年全省生产总值22154.2亿元，比上年增长11.3%。\n",
]


@pytest.mark.parametrize("text", PAGES, ids=["seed", "comparisons", "infinite", "bulletin"])
def test_facts_payload_is_the_edited_dump(text: str) -> None:
    table = extract_facts(segment_document(read_document(text.encode("utf-8"))))
    assert table.facts
    _same_payload(table)


def test_facts_payload_of_constructed_facts_is_the_edited_dump() -> None:
    table = extract_facts(segment_document(read_document(PAGES[1].encode("utf-8"))))
    first = table.facts[0]
    edited = [
        first.model_copy(update={"also_at": [(1, 2), (3, 4)]}),
        first.model_copy(update={"comparison": FactComparison(kind="yoy", text="同比"), "region": None}),
        first.model_copy(update={"value": -0.0, "value_max": 1e16, "preliminary": True}),
        first.model_copy(update={"region": Region(zh="湖南省", en="Hunan", city_zh="长沙市", city_en="Changsha")}),
    ]
    _same_payload(table.model_copy(update={"facts": edited}))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus is absent")
def test_facts_payload_of_the_corpus_is_the_edited_dump() -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        _same_payload(extract_facts(segment_document(read_document(path.read_bytes()))))


# --- the guard before reading a heading's year ---------------------------------------------------

PERIOD_WORDS = [
    "2023年", "二〇二三年", "2023年底", "2021—2025年", "1—11月", "2023年1—11月", "一季度", "2024年一季度", "上半年",
    "今年", "去年", "年初以来", "年末", "截至", "到", "以来", "前", "近5年", "“十四五”", "11月20日", "年代", "20",
    "年", "月", "全省", "增长5.5%", "，", "。", "\n", "１２", "年度",
]  # fmt: skip


@settings(max_examples=500)
@given(st.lists(st.sampled_from(PERIOD_WORDS), max_size=12).map("".join))
def test_no_calendar_year_means_no_numbered_year(text: str) -> None:
    numbered = any(m.kind == "year" and m.period for m in find_periods(text))
    assert not numbered or may_state_calendar_year(text)


# --- facts share one set of the names of the fields they state ----------------------------------


def test_facts_share_the_set_of_their_stated_fields_and_copies_do_not() -> None:
    page = "湖南地区生产总值增长5.5%\n\n本报讯 今年以来，投资下降3%。全省地区生产总值增长5.5%，高于全国0.3个百分点。\n"
    table = extract_facts(segment_document(read_document(page.encode("utf-8"))))
    stated = set(Fact.model_fields) - {"also_at"}
    merged = [fact for fact in table.facts if fact.also_at]
    assert merged  # the headline's figure, restated in the text
    for fact in table.facts:
        # what pydantic would have recorded: the fields given to it
        assert fact.model_fields_set == (stated | {"also_at"} if fact.also_at else stated)
        assert Fact.model_validate(fact.model_dump()).model_dump() == fact.model_dump()
    plain = [fact for fact in table.facts if not fact.also_at]
    copied = plain[0].model_copy(update={"also_at": [(0, 1)]})
    assert copied.model_fields_set == stated | {"also_at"}
    assert all(fact.model_fields_set == stated for fact in plain)  # the copy changed no one else's


# --- comparisons: the alternative that matched is the match's lastgroup --------------------------

COMPARISON_WORDS = [
    "同比", "比上年", "比上年末", "比去年同期", "较上年", "与去年相比", "和上年同期相比", "比同期", "较同期", "比2019年同期",
    "较2019年", "与2019年同期相比", "两年平均", "三年年均", "高于全国", "低于全省平均水平", "快于全市", "高出全区",
    "居全国", "位居全省", "位居", "占全国", "占", "增长", "5.5%", "，", "年", "同", "比", "两", "2019",
]  # fmt: skip
_TOP_LEVEL = ("yoy", "prev", "same", "period", "average", "cmp", "rank", "share")


@settings(max_examples=500)
@given(st.lists(st.sampled_from(COMPARISON_WORDS), max_size=10).map("".join))
def test_comparison_alternative_is_the_lastgroup(text: str) -> None:
    for match in facts._COMPARISON_WORDS.finditer(text):
        assert [name for name in _TOP_LEVEL if match.group(name) is not None] == [match.lastgroup]
        assert match.lastgroup in facts._ALWAYS_COMPARISONS | {"rank", "share"}


def test_a_stated_comparison_is_the_model_made_anew() -> None:
    shared = facts._stated_comparison("vs_period", "2019", "比2019年同期")
    assert shared == FactComparison(kind="vs_period", baseline="2019", text="比2019年同期")
    assert facts._stated_comparison("vs_period", "2019", "比2019年同期") is shared
    changed = facts._with_base_period(shared, "2021-Q1")
    assert changed.baseline == "2019-Q1" and shared.baseline == "2019"  # a copy, the shared one unchanged


# --- the words after a figure: the cache asked with what _following_noun reads -------------------

AFTER_PIECES = [
    "的", "企业", "家企业上云", "个", "项目", "同比", "增长", "，", "。", "、", "(", "）", "1", "5", "9", "\n", "亿元",
    "光伏玻璃", "“", "”", "中", "以上", "左右", "a", " ", "！",
]  # fmt: skip


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(AFTER_PIECES), max_size=14).map("".join), st.integers(0, 3))
def test_following_words_are_all_the_following_noun_reads(text: str, start: int) -> None:
    after = text[start : start + 17]
    words = facts._FOLLOWING_WORDS.match(text, start, start + 17)
    assert words is not None
    assert facts._following_noun(words.group()) == facts._following_noun(after)
    assert facts._following_indicator.__wrapped__(words.group()) == facts._following_indicator.__wrapped__(after)


# --- indicator heads looked up by their last character -------------------------------------------


def _head_keys() -> st.SearchStrategy[str]:
    words = [*(head.zh for head in indicators._heads()), "数字经济", "的", "工业", "a", ""]
    return st.lists(st.sampled_from(words), max_size=4).map("".join)


@settings(max_examples=500)
@given(_head_keys())
def test_heads_by_last_character_are_the_heads_the_key_ends_with(key: str) -> None:
    plain = [head for head in indicators._heads() if key.endswith(head.zh)]
    grouped = [head for head in indicators._heads_by_last_character().get(key[-1:], ()) if key.endswith(head.zh)]
    assert grouped == plain


# --- plain Arabic numerals parsed without the general reader ------------------------------------

ARABIC = st.from_regex(r"\A[0-9]{1,30}(?:\.[0-9]{1,20})?\Z")


@settings(max_examples=1000)
@given(ARABIC)
def test_plain_arabic_numerals_parse_as_the_general_reader_does(numeral: str) -> None:
    fast = numerals.parse_numeral.__wrapped__(numeral)
    general = numerals.parse_numeral.__wrapped__(numeral + " ")  # not plain: the general reader (space dropped)
    assert fast is not None and general is not None
    assert (fast.value, fast.scale_word, fast.digit_string, fast.has_big_unit, fast.has_unit, fast.arabic,
            fast.single_char) == (general.value, general.scale_word, general.digit_string, general.has_big_unit,
                                  general.has_unit, general.arabic, general.single_char)  # fmt: skip
    assert fast.number_len == len(numeral)


# --- the collector paused for a step and restored after it ---------------------------------------


def test_collector_paused_restores_the_setting_and_nests() -> None:
    import gc

    from summarizer.text.collector import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # only the outermost turns it back on
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()
    try:
        with collector_paused():
            raise RuntimeError
    except RuntimeError:
        pass
    assert gc.isenabled()


# --- periods without a stated year resolved once per wording and context -------------------------


@settings(max_examples=300)
@given(st.lists(st.sampled_from(PERIOD_WORDS), max_size=12).map("".join), st.sampled_from([None, "2023-02-10", "2024-07-19"]),
       st.sampled_from([None, 2012, 2024]), st.booleans())  # fmt: skip
def test_a_resolved_period_is_what_the_rules_give_afresh(text: str, day: str | None, frame_year: int | None, ahead: bool) -> None:
    reference = date.fromisoformat(day) if day else None
    for mention in find_periods(text):
        cached = resolve_period(mention, reference, frame_year=frame_year, ahead_allowed=ahead)
        if mention.period is None:
            fresh = dates._resolve_relative.__wrapped__(mention.relative or "", reference, frame_year, ahead)
            assert cached == fresh
