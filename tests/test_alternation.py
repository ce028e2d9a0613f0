"""The trie pattern for long word lists: the matches of the flat alternation, longest first."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.text.alternation import literal_alternation


def _flat(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True))))


@pytest.mark.parametrize(
    ("words", "text", "found"),
    [
        (["规模以上工业", "增加值", "规模以上工业增加值"], "全省规模以上工业增加值增长", ["规模以上工业增加值"]),
        (["规模以上工业", "增加值", "规模以上工业增加值"], "规模以上工业企业的增加值", ["规模以上工业", "增加值"]),
        (["ab", "abcd"], "abcabcd", ["ab", "abcd"]),  # a longer word that fails falls back to the shorter
        (["a.b", "a+", "(x)"], "a.b a+ (x) axb", ["a.b", "a+", "(x)"]),  # metacharacters are literal
        (["5G", "5G+工业互联网"], "5G+工业互联网与5G", ["5G+工业互联网", "5G"]),
        (["", "a"], "ba", ["a"]),  # an empty word matches nothing
        (["x"], "", []),
    ],
)
def test_matches_are_the_longest_word_at_the_leftmost_position(words: list[str], text: str, found: list[str]) -> None:
    assert [m.group() for m in re.finditer(literal_alternation(words), text)] == found


def test_no_words_matches_nothing_but_the_empty_string() -> None:
    assert literal_alternation([]) == ""
    assert literal_alternation([""]) == ""


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.text(alphabet="ab.工业增", min_size=1, max_size=5), min_size=1, max_size=12),
    text=st.text(alphabet="ab.工业增x", max_size=40),
)
def test_the_trie_finds_what_the_flat_alternation_finds(words: list[str], text: str) -> None:
    trie = re.compile(literal_alternation(words))
    expected = [(m.start(), m.group()) for m in _flat(words).finditer(text)]
    assert [(m.start(), m.group()) for m in trie.finditer(text)] == expected
