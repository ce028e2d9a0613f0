"""Offsets are sacred: every derived span maps back to exactly the original text it came from."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from summarizer.text.textmap import MappedText, MappedTextBuilder, normalize, normalize_string

# Characters of the genre: CJK, full-width digits and signs, ASCII, spaces of every kind, and a few
# compatibility characters that NFKC expands (㎡, ½, ﬁ) so pieces are not always linear.
ALPHABET = st.sampled_from(
    list("湖南省数字经济总量突破亿元增长规模以上工业，。、；：“”（）")
    + list("０１２３４５６７８９％．，")
    + list("0123456789.%abcXY")
    + [" ", "\u3000", "\u00a0", "\n", "\u200b", "㎡", "½", "ﬁ", "①"]
)
TEXTS = st.text(ALPHABET, max_size=200)


@given(TEXTS)
def test_normalize_maps_every_character_back(text: str) -> None:
    mapped = normalize(text)
    for i in range(len(mapped.text)):
        start, end = mapped.to_original(i, i + 1)
        source = text[start:end]
        assert source, (i, mapped.text)
        # The derived character is part of what its original span normalises to.
        assert mapped.text[i] in normalize_string(source) or mapped.text[i] in unicodedata.normalize("NFKC", source)


@given(TEXTS, st.data())
def test_normalized_spans_round_trip(text: str, data: st.DataObject) -> None:
    mapped = normalize(text)
    if not mapped.text:
        return
    start = data.draw(st.integers(0, len(mapped.text) - 1))
    end = data.draw(st.integers(start + 1, len(mapped.text)))
    orig_start, orig_end = mapped.to_original(start, end)
    assert 0 <= orig_start < orig_end <= len(text)
    # Normalising the original span gives back the derived span (spaces next to CJK aside).
    assert normalize_string(text[orig_start:orig_end]).replace(" ", "") .find(
        mapped.text[start:end].replace(" ", "")
    ) != -1


@given(st.lists(st.text(ALPHABET, min_size=1, max_size=30), min_size=1, max_size=8), st.randoms())
def test_builder_reordering_keeps_every_piece_exact(parts: list[str], rnd: object) -> None:
    original = "".join(parts)
    offsets = []
    position = 0
    for part in parts:
        offsets.append((position, position + len(part)))
        position += len(part)
    shuffled = list(offsets)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    builder = MappedTextBuilder(len(original))
    for start, end in shuffled:
        builder.append_original(original, start, end)
    mapped = builder.build()
    assert sorted(mapped.text) == sorted(original)
    for i, char in enumerate(mapped.text):
        start, end = mapped.to_original(i, i + 1)
        assert original[start:end] == char
    # Any span maps to an original span containing every piece it is made of.
    for start, end in [(0, len(mapped.text)), (len(mapped.text) // 3, len(mapped.text))]:
        if start == end:
            continue
        orig_start, orig_end = mapped.to_original(start, end)
        for piece_start, piece_end in mapped.original_pieces(start, end):
            assert orig_start <= piece_start <= piece_end <= orig_end


def test_full_width_digits_map_to_their_original_span() -> None:
    text = "增长１５％，总量突破１．７万亿元"
    mapped = normalize(text)
    assert mapped.text == "增长15%,总量突破1.7万亿元"
    start = mapped.text.index("1.7万亿元")
    assert text[slice(*mapped.to_original(start, start + len("1.7万亿元")))] == "１．７万亿元"


def test_spaces_next_to_cjk_are_dropped_but_mapped() -> None:
    text = "同比增长 37.7%。"
    mapped = normalize(text)
    assert mapped.text == "同比增长37.7%。"
    start = mapped.text.index("37.7%")
    assert text[slice(*mapped.to_original(start, start + 5))] == "37.7%"
    assert text[slice(*mapped.to_original(0, len(mapped.text)))] == text


def test_slice_keeps_original_coordinates() -> None:
    text = "abc１２３def"
    mapped = normalize(text).slice(3, 6)
    assert mapped.text == "123"
    assert mapped.to_original(0, 3) == (3, 6)


def test_identity_and_empty() -> None:
    assert MappedText.identity("").to_original(0, 0) == (0, 0)
    assert MappedText.identity("abc").to_original(1, 2) == (1, 2)
