"""Indexes answer as the plain definitions they replace (the verifier's view of a source, the fact table)."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.pipeline import analyse_file
from summarizer.verify import ArticleSource
from summarizer.verify.english_numbers import class_words, content_words

from helpers import SEED


@lru_cache(maxsize=1)
def _sources() -> tuple[ArticleSource, ...]:
    analysis = analyse_file(SEED)
    return tuple(
        ArticleSource.from_segment(
            segment, analysis.facts.for_segment(segment.index), analysis.document.original, analysis.facts.document_date
        )
        for segment in analysis.page.segments
    )


def _plain_within(source: ArticleSource, start: int, end: int) -> list[object]:
    found = [item for item in source.evidence if item.start < end and item.within(start, end)]
    found.sort(key=lambda item: (item.kind != "fact", item.start))
    return found


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 3), st.integers(0, 6000), st.integers(0, 400))
def test_figures_within_a_span_are_those_the_plain_scan_finds(article: int, start: int, length: int) -> None:
    source = _sources()[article]
    assert source.evidence_within(start, start + length) == _plain_within(source, start, start + length)


def test_labelled_facts_are_the_facts_with_a_label_and_its_words() -> None:
    for source in _sources():
        expected = [
            (item, content_words(item.indicator_en) | class_words(item.indicator_en))
            for item in source.facts()
            if item.indicator_en
        ]
        assert source.labelled_facts() == expected
        assert source.labelled_facts() is source.labelled_facts()  # made once


def test_facts_of_a_segment_are_the_plain_filter_and_follow_the_list() -> None:
    analysis = analyse_file(SEED)
    table = analysis.facts
    for index in range(-1, len(analysis.page.segments) + 1):
        assert table.for_segment(index) == [f for f in table.facts if f.segment == index]
    first = table.facts[0]
    table.facts.append(first.model_copy(update={"segment": 99}))
    assert table.for_segment(99) == [table.facts[-1]]
    copied = table.model_copy(update={"facts": [f for f in table.facts if f.segment != 99]})
    assert copied.for_segment(99) == [] and table.for_segment(99) != []
    returned = table.for_segment(0)
    returned.clear()  # a caller's list is its own
    assert table.for_segment(0)


def test_an_original_span_maps_to_the_derived_span_it_became() -> None:
    from summarizer.text.textmap import MappedTextBuilder

    analysis = analyse_file(SEED)
    placed = total = 0
    for segment in analysis.page.segments:
        mapped = segment.mapped
        for fact in analysis.facts.for_segment(segment.index):
            total += 1
            derived = mapped.derived_span(fact.start, fact.end)
            if derived is None:
                continue
            placed += 1
            assert mapped.to_original(*derived) == (fact.start, fact.end)
            assert mapped.text[derived[0] : derived[1]] == analysis.document.original[fact.start : fact.end]
    assert placed >= 0.95 * total
    # A replaced run has no derived span of its own: the caller searches instead.
    builder = MappedTextBuilder(10)
    builder.append_original("0123456789", 0, 4)
    builder.append_replacement("X", 4, 6)
    built = builder.build()
    assert built.derived_span(1, 3) == (1, 3) and built.derived_span(4, 6) is None and built.derived_span(3, 5) is None


@settings(max_examples=60, deadline=None)
@given(source_number=st.integers(0, 3), picks=st.lists(st.integers(0, 10_000), max_size=6), extra=st.sampled_from(["", "growth", "zzz"]))
def test_labelled_facts_sharing_is_the_filter_over_every_labelled_fact(
    source_number: int, picks: list[int], extra: str
) -> None:
    source = _sources()[source_number]
    labelled = source.labelled_facts()
    vocabulary = sorted({word for _, words in labelled for word in words})
    words = frozenset([vocabulary[p % len(vocabulary)] for p in picks] + ([extra] if extra else [])) if vocabulary else frozenset()
    assert source.labelled_facts_sharing(words) == [(item, w) for item, w in labelled if words & w]
