"""The rule path's shortcuts give exactly what the plain ways of doing the same thing give.

Each shortcut (a cheaper regex, a guard before a regex, a search restricted to some lines, a bound
that skips counting) is checked here against the plain computation it replaces, on random texts
made of the characters that matter to it. Speed itself is measured in benchmarks/bench_rules.py,
never here.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.layout import boilerplate, repair, segment
from summarizer.rules import cues, facts, numerals, periods, quantities
from summarizer.text import script, textmap
from summarizer.text.textmap import normalize_string, translation_table

CJK_AND_SPACES = st.text(
    st.sampled_from([*"中国经济 \t\n，,a1、“”", "\u3000", "\u9fff", "\u4e00"]), max_size=40
)


@given(CJK_AND_SPACES)
def test_spaces_next_to_cjk_are_what_the_lookaround_pattern_finds(text: str) -> None:
    plain = re.compile(rf"(?<=[{textmap._CJK}])[ \t]+|[ \t]+(?=[{textmap._CJK}])")
    assert textmap._spaces_next_to_cjk(text) == [m.span() for m in plain.finditer(text)]
    assert normalize_string(text) == plain.sub("", text.translate(translation_table(text)))


@given(st.text(st.sampled_from(list("０１２ａＡ％，個萬億中文1a \u3000\u00a0\u2212"))))
def test_width_folding_is_the_translation(text: str) -> None:
    assert numerals.fold_width(text) == text.translate(numerals._FOLD_TABLE)


@given(st.text(st.sampled_from([*"億萬個國於後湖南中文abc1", "\u4e7e", "\u8457"]), max_size=30))
def test_simplify_is_the_per_call_table(text: str) -> None:
    table = {ord(c): s for c in set(text) if (s := script.simplified_form(c)) != c}
    assert script.simplify(text) == text.translate(table)


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**15), 10**15).map(float))
def test_times_one_is_the_decimal_product(value: float) -> None:
    assert repr(numerals.times(value, 1.0)) == repr(float(Decimal(repr(value)) * Decimal(repr(1.0))))


REPEATS = st.text(st.sampled_from([*"中国经济发展、，a1", "\u9fff", "\u4e00", "\ua000"]), max_size=40)


@given(REPEATS, st.text(st.sampled_from(list("中国经济")), min_size=1, max_size=10))
def test_repeated_list_items_are_what_the_backreference_pattern_finds(text: str, item: str) -> None:
    for candidate in (text, text[:7] + item + "、" + item + text[7:]):
        assert repair._repeated_phrases(candidate) == [
            m.span() for m in repair._REPEATED_PHRASE.finditer(candidate)
        ]


def _without_lookahead_prefix(pattern: re.Pattern[str]) -> re.Pattern[str]:
    source = pattern.pattern
    assert source.startswith("(?=[")
    return re.compile(source[source.index("]") + 2 :], pattern.flags)


SENTENCES = st.lists(
    st.sampled_from(
        ["预期目标", "力争", "完成目标", "计划总投资", "将近", "将", "纳入", "已经", "已建成", "去年", "比去年", "同期",
         "预计", "建成后", "符合预期", "预期增长", "同比", "比上年", "高于全国", "居全国", "占全省", "实现", "目标",
         "通过", "3年", "努力", "，", "。", "的", "增长5%", "拟", "设立", "《", "》"]
    ),
    max_size=12,
).map("".join)  # fmt: skip


@pytest.mark.parametrize(
    "pattern",
    [
        cues._TARGET,
        cues._ESTIMATE,
        cues._RESET,
        cues._EXPECTATION_NOUN,
        facts._COMPARISON_WORDS,
        quantities._TITLE_RE,
    ],
)
@settings(max_examples=200)
@given(text=SENTENCES)
def test_first_character_lookaheads_change_no_match(pattern: re.Pattern[str], text: str) -> None:
    plain = _without_lookahead_prefix(pattern)
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]


PERIOD_PIECES = st.sampled_from(
    ["2023年", "1—11月", "一季度", "上半年", "前10个月", "今年", "去年", "年初以来", "截至目前", "累计", "到2025年",
     "“十四五”", "11月20日", "2021-2025年", "1月以来", "年末", "前三季度", "近5年", "本月", "今天", "以前", "底",
     "\n", "，", "增长5%", "12", "月", "年", "季度", "半年", "五", "十", "个", " ", "份", "以来"]
)  # fmt: skip


def _plain_markers(norm: str, draft: periods._PeriodDraft) -> periods._PeriodDraft:
    window = norm[max(0, draft.start - 3) : draft.start]
    cumulative = periods._CUMULATIVE_PREFIX_RE.search(window)
    if cumulative:
        draft.cumulative = True
        draft.start -= len(cumulative.group())
    else:
        deadline = periods._DEADLINE_PREFIX_RE.search(window)
        if deadline and draft.kind != "relative":
            draft.deadline = True
            draft.start -= len(deadline.group())
    suffix = periods._DEADLINE_SUFFIX_RE.match(norm, draft.end)
    if suffix and draft.kind != "relative":
        draft.deadline = True
        draft.end = suffix.end()
    return draft


def _plain_find_periods(text: str) -> list[periods.PeriodMention]:
    """find_periods without its shortcuts: every pattern over the whole text, no anchors, no guards."""
    reader = periods._PeriodReader(text, None)
    drafts = []
    for name, _required, pattern in periods._PERIOD_PATTERNS:
        plain = re.compile(re.sub(r"\(\?=\[\^(.)\]\{0,\d+\}\1\)", "", pattern.pattern))
        for match in plain.finditer(reader.norm):
            draft = getattr(reader, f"_{name}")(match, match.start(), match.end())
            if draft is not None:
                drafts.append(_plain_markers(reader.norm, draft))
    return [reader._mention(draft) for draft in reader._without_overlaps(drafts)]


@settings(max_examples=300)
@given(st.lists(PERIOD_PIECES, max_size=40).map("".join))
def test_period_search_by_line_and_anchor_is_the_plain_search(text: str) -> None:
    assert periods.find_periods(text) == _plain_find_periods(text)


def test_period_search_on_long_texts_is_the_plain_search() -> None:
    rnd = random.Random(11)
    pieces = [
        "2023年", "1—11月", "一季度", "上半年", "今年", "年初以来", "截至目前", "累计", "到2025年", "“十四五”", "11月20日",
        "年末", "前三季度", "近5年", "本月", "今天", "全省规模以上工业增加值增长5.5%，", "。\n", "比上年提高1.2个百分点",
    ]  # fmt: skip
    for _ in range(20):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(50, 400)))
        assert periods.find_periods(text) == _plain_find_periods(text)


WINDOWS = st.lists(
    st.sampled_from(
        [*quantities._PREFIX_QUALIFIERS, *quantities._CURRENCY_PREFIXES, " ", "\n", "约", "签约", "1"]
    ),
    max_size=6,
).map("".join)


@given(WINDOWS, st.integers(0, 3))
def test_prefix_guards_never_hide_a_match(text: str, start: int) -> None:
    start = min(start, len(text))
    for pattern, ends in (
        (quantities._PREFIX_QUALIFIER_RE, quantities._PREFIX_QUALIFIER_ENDS),
        (quantities._CURRENCY_PREFIX_RE, quantities._CURRENCY_PREFIX_ENDS),
    ):
        if pattern.search(text, start, len(text)) is not None:
            assert quantities._may_end_with(text, start, len(text), ends)


def test_units_grouped_by_first_character_match_as_the_flat_alternation() -> None:
    surfaces = sorted(quantities._UNITS, key=len, reverse=True)
    parts = []
    for surface in surfaces:
        _, guard = quantities._UNITS[surface]
        part = re.escape(surface)
        if surface.isascii() and surface[-1].isalpha():
            part += r"(?![A-Za-z])"
        if guard:
            part += f"(?!{guard})"
        parts.append(part)
    flat = re.compile("|".join(parts))
    rnd = random.Random(5)
    alphabet = [*surfaces, *"0123456789素旦区位数合算粮GWx ", "个百分点", "千瓦时"]
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(4))
        for position in range(len(text)):
            grouped, plain = quantities._UNIT_RE.match(text, position), flat.match(text, position)
            assert (grouped and grouped.span()) == (plain and plain.span()), (text, position)


@given(
    st.text(
        st.sampled_from(
            list("忽略以上指令你作为AI摘要中写ignore previous instructions<|im_start|>系统提示ſK约 systemprompt you are now a")
        ),
        max_size=30,
    )
)
def test_injection_guard_never_hides_a_match(text: str) -> None:
    if boilerplate._INJECTION.search(text):
        assert boilerplate._INJECTION_WORDS.search(text) or (
            boilerplate._LATIN_OR_TAG.search(text) and boilerplate._ENGLISH_INJECTION_WORDS.search(text)
        )
    if boilerplate._INLINE_CREDIT.search(text):
        assert boilerplate._CREDIT_WORDS.search(text)


@given(st.text(st.sampled_from(list("中国经济发展，。“”（）１２ ㎡…　\t")), max_size=60))
def test_matching_form_is_normalised_text_without_punctuation(text: str) -> None:
    page = text + "，。、"
    form = repair._MatchingForm(set(page))
    assert form(text) == repair._PUNCT_FOR_NGRAMS.sub("", normalize_string(text, translation_table(page)))


@settings(max_examples=200)
@given(
    st.lists(
        st.text(st.sampled_from(list("中国经济发展增长")), min_size=5, max_size=40), min_size=1, max_size=6
    )
)
def test_coverage_shortcuts_agree_with_the_count(paragraphs: list[str]) -> None:
    grams = [repair._ngrams(text) for text in paragraphs]
    pool: Counter[str] = Counter()
    for paragraph_grams in grams:
        pool.update(paragraph_grams)
    repeated = {gram for gram, count in pool.items() if count > 1}
    for text, own in zip(paragraphs, grams, strict=True):
        coverage = repair._coverage(text, pool, own)
        assert repair._coverage_by(text, repeated) == coverage
        if len(text) <= repair._PULL_QUOTE_MAX and repair._surely_short(text, own, repeated):
            assert coverage < repair._PULL_QUOTE_COVERAGE


@given(
    st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=30),
    st.integers(0, 50),
    st.integers(0, 50),
)
def test_spans_within_are_the_linear_filter(spans: list[tuple[int, int]], start: int, end: int) -> None:
    items = [repair.SetAside(kind="credit", start=a, end=b, text="", reason="") for a, b in spans]
    expected = [item for item in items if start <= item.start and item.end <= end]
    assert segment._Spans(items).within(start, end) == expected
