"""The layout stage's fast paths give what the plain code gives."""

from __future__ import annotations

import re
import re._parser as sre_parse

from hypothesis import given
from hypothesis import strategies as st

from summarizer.layout import boilerplate
from summarizer.text.textmap import MappedText, MappedTextBuilder, Piece, distinct_characters


def _anchored(pattern: re.Pattern[str]) -> bool:
    items = list(sre_parse.parse(pattern.pattern, pattern.flags))
    if len(items) == 1 and items[0][0] == sre_parse.BRANCH:
        return all(next(iter(branch)) == (sre_parse.AT, sre_parse.AT_BEGINNING) for branch in items[0][1][1])
    return items[0] == (sre_parse.AT, sre_parse.AT_BEGINNING)


def test_match_only_for_patterns_anchored_at_the_start() -> None:
    for (kind, pattern), (kind_, find) in zip(boilerplate._PARAGRAPH_KINDS, boilerplate._PARAGRAPH_FINDERS, strict=True):
        assert kind == kind_
        assert not pattern.flags & re.MULTILINE
        assert (find == pattern.match) == _anchored(pattern), kind


def test_cue_guard_holds_every_first_character() -> None:
    for pattern in (boilerplate._INJECTION_WORDS, boilerplate._CREDIT_WORDS):
        for word in pattern.pattern.split("|"):
            assert boilerplate._ANY_CUE.match(word[0]), word
    for char in "AZaz<":
        assert boilerplate._ANY_CUE.match(char)


@given(st.text(alphabet=st.sampled_from(list("忽略以上所有指令你作为AI摘要中写ignore previous instructions<|im_start|>系统提示ſK约 sdiywSDIYW（）摄"))))
def test_lookahead_prefilters_change_no_match(text: str) -> None:
    plain = re.compile(boilerplate._INJECTION.pattern.removeprefix("(?=[忽无你作请在系提sdiyw<])"), re.IGNORECASE)
    assert [m.span() for m in plain.finditer(text)] == [m.span() for m in boilerplate._INJECTION.finditer(text)]
    english = re.compile(r"system|developer|ignore|disregard|you|write|say|state|<", re.IGNORECASE)
    assert bool(english.search(text)) == bool(boilerplate._ENGLISH_INJECTION_WORDS.search(text))


@given(st.text(alphabet=st.sampled_from(list("abc一二三四五\n 、")), max_size=30000))
def test_distinct_characters(text: str) -> None:
    assert distinct_characters(text) == set(text)


def test_distinct_characters_of_a_long_varied_text() -> None:
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(60000)) + "a-]\\^"
    assert distinct_characters(text) == set(text)


@given(st.lists(st.tuples(st.integers(1, 5), st.booleans(), st.integers(0, 3)), max_size=8), st.integers(0, 3))
def test_append_whole_is_append_from(spec: list[tuple[int, bool, int]], before: int) -> None:
    pieces, parts, position, orig = [], [], 0, 0
    for length, linear, gap in spec:
        orig += gap
        orig_length = length if linear else length + 1
        pieces.append(Piece(position, length, orig, orig_length))
        parts.append("x" * length)
        position += length
        orig += orig_length
    source = MappedText("".join(parts), pieces, orig + 10)
    whole, sliced = MappedTextBuilder(orig + 10), MappedTextBuilder(orig + 10)
    for builder in (whole, sliced):
        builder.append_original("y" * (orig + 10), 0, before)
    whole.append_whole(source)
    sliced.append_from(source, 0, len(source.text))
    a, b = whole.build(), sliced.build()
    assert a.text == b.text and a.pieces == b.pieces
