"""Texts derived from the user's text that remember where every character came from.

Every span the tool reports is in the coordinates of the text as the user gave it (code points of
the decoded file). Normalisation and layout repair change that text — they replace, delete and
reorder characters — so each derived text is a :class:`MappedText`: the derived string plus a
piecewise map back to the original. Pieces are either *linear* (a run copied verbatim, one derived
code point per original code point) or *atomic* (a replacement whose derived characters all map to
the whole original range, e.g. ``㎡`` -> ``m2``). A derived text always maps straight to the
original, never through a chain, so mapping a span costs two binary searches.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from summarizer.text.script import simplified_form
from summarizer.text.translation import translate

__all__ = [
    "MappedText",
    "MappedTextBuilder",
    "NormalizationTable",
    "Piece",
    "distinct_characters",
    "normalization_table",
    "normalize",
    "normalize_string",
    "translation_table",
]


@dataclass(frozen=True, slots=True)
class Piece:
    """``derived[start:start+length]`` came from ``original[orig_start:orig_start+orig_length]``."""

    start: int
    length: int
    orig_start: int
    orig_length: int

    @property
    def linear(self) -> bool:
        return self.length == self.orig_length

    @property
    def end(self) -> int:
        return self.start + self.length

    @property
    def orig_end(self) -> int:
        return self.orig_start + self.orig_length


_START = attrgetter("start")


class MappedText:
    """A string derived from an original text, with a map from its offsets to the original's."""

    __slots__ = ("_by_original", "_piece_starts", "original_length", "pieces", "text")

    def __init__(self, text: str, pieces: list[Piece], original_length: int) -> None:
        self.text = text
        self.pieces = pieces
        self.original_length = original_length
        self._piece_starts = list(map(_START, pieces))
        self._by_original: tuple[list[int], list[Piece]] | None = None

    @classmethod
    def identity(cls, text: str) -> MappedText:
        """The original text itself: every offset maps to itself."""
        pieces = [Piece(0, len(text), 0, len(text))] if text else []
        return cls(text, pieces, len(text))

    def __len__(self) -> int:
        return len(self.text)

    def __repr__(self) -> str:
        preview = self.text[:20] + ("…" if len(self.text) > 20 else "")
        return f"MappedText({preview!r}, pieces={len(self.pieces)})"

    def _piece_at(self, offset: int) -> Piece:
        index = bisect_right(self._piece_starts, offset) - 1
        return self.pieces[max(index, 0)]

    def original_offset(self, offset: int) -> int:
        """Original offset of the character at derived ``offset`` (its start)."""
        if not self.pieces:
            return 0
        if offset >= len(self.text):
            return self.pieces[-1].orig_end
        piece = self._piece_at(offset)
        if piece.linear:
            return piece.orig_start + (offset - piece.start)
        return piece.orig_start

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the derived span ``[start, end)`` to the smallest original span that produced it.

        Characters deleted by normalisation or repair inside the span are part of the original span
        (the span of an article includes the pull-quote that was taken out of it).
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) is outside a text of length {len(self.text)}")
        if not self.pieces:
            return (0, 0)
        if start == end:
            position = self.original_offset(start)
            return (position, position)
        starts = self._piece_starts
        pieces = self.pieces
        first = pieces[max(bisect_right(starts, start) - 1, 0)]
        last = pieces[max(bisect_right(starts, end - 1) - 1, 0)]
        if first.length == first.orig_length:  # linear
            orig_start = first.orig_start + (start - first.start)
        else:
            orig_start = first.orig_start
        if last.length == last.orig_length:
            orig_end = last.orig_start + (end - last.start)
        else:
            orig_end = last.orig_start + last.orig_length
        if first is last:
            return (orig_start, orig_end)
        # Pieces may have been reordered (a fragment moved back to its sentence): the honest answer
        # is the smallest original span containing every piece the derived span is made of.
        for piece in self._pieces_overlapping(start, end):
            if piece is not first:
                orig_start = min(orig_start, piece.orig_start)
            if piece is not last:
                orig_end = max(orig_end, piece.orig_end)
        return (orig_start, orig_end)

    def derived_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The derived span that ``original[start:end]`` became, when one piece copied it unchanged;
        None when it was normalised, repaired or split (search the derived text then)."""
        if self._by_original is None:
            linear = sorted((p for p in self.pieces if p.linear), key=attrgetter("orig_start"))
            self._by_original = ([p.orig_start for p in linear], linear)
        starts, pieces = self._by_original
        index = bisect_right(starts, start) - 1
        if index < 0:
            return None
        piece = pieces[index]
        if end > piece.orig_end:
            return None
        offset = piece.start + (start - piece.orig_start)
        return (offset, offset + (end - start))

    def original_pieces(self, start: int, end: int) -> list[tuple[int, int]]:
        """The original spans that derived ``[start, end)`` is made of, in derived order."""
        spans: list[tuple[int, int]] = []
        for piece in self._pieces_overlapping(start, end):
            lo = max(start, piece.start)
            hi = min(end, piece.end)
            if piece.linear:
                span = (piece.orig_start + lo - piece.start, piece.orig_start + hi - piece.start)
            else:
                span = (piece.orig_start, piece.orig_end)
            if spans and spans[-1][1] == span[0]:
                spans[-1] = (spans[-1][0], span[1])
            else:
                spans.append(span)
        return spans

    def _pieces_overlapping(self, start: int, end: int) -> Iterator[Piece]:
        index = max(bisect_right(self._piece_starts, start) - 1, 0)
        while index < len(self.pieces):
            piece = self.pieces[index]
            if piece.start >= end:
                break
            if piece.end > start:
                yield piece
            index += 1

    def slice(self, start: int, end: int) -> MappedText:
        """The derived text ``[start, end)`` as a MappedText of its own (same original)."""
        builder = MappedTextBuilder(self.original_length)
        builder.append_from(self, start, end)
        return builder.build()

    def find_all(self, needle: str) -> list[tuple[int, int]]:
        """Derived spans of every non-overlapping occurrence of ``needle``."""
        spans: list[tuple[int, int]] = []
        if not needle:
            return spans
        position = self.text.find(needle)
        while position != -1:
            spans.append((position, position + len(needle)))
            position = self.text.find(needle, position + len(needle))
        return spans


class MappedTextBuilder:
    """Builds a MappedText by appending runs of original or already-derived text."""

    def __init__(self, original_length: int) -> None:
        self._parts: list[str] = []
        # (start, length, orig_start, orig_length): pieces are made Piece objects once, in build()
        self._pieces: list[tuple[int, int, int, int]] = []
        self._length = 0
        self._original_length = original_length

    @property
    def length(self) -> int:
        return self._length

    def _add_piece(self, text: str, orig_start: int, orig_length: int) -> None:
        if not text:
            return
        size = len(text)
        pieces = self._pieces
        if pieces and size == orig_length:
            last_start, last_length, last_orig_start, last_orig_length = pieces[-1]
            if (
                last_length == last_orig_length  # linear, like this one
                and last_orig_start + last_orig_length == orig_start
                and last_start + last_length == self._length
            ):
                pieces[-1] = (last_start, last_length + size, last_orig_start, last_orig_length + orig_length)
                self._parts.append(text)
                self._length += size
                return
        pieces.append((self._length, size, orig_start, orig_length))
        self._parts.append(text)
        self._length += size

    def append_original(self, original: str, start: int, end: int) -> None:
        """Append ``original[start:end]`` verbatim."""
        self._add_piece(original[start:end], start, end - start)

    def append_replacement(self, text: str, orig_start: int, orig_end: int) -> None:
        """Append ``text`` standing for ``original[orig_start:orig_end]`` as a whole."""
        self._add_piece(text, orig_start, orig_end - orig_start)

    def append_from(self, source: MappedText, start: int, end: int) -> None:
        """Append ``source.text[start:end]`` keeping its map to the original."""
        pieces = source.pieces
        text = source.text
        index = max(bisect_right(source._piece_starts, start) - 1, 0)  # as _pieces_overlapping
        while index < len(pieces):
            piece = pieces[index]
            piece_start = piece.start
            if piece_start >= end:
                break
            piece_end = piece_start + piece.length
            if piece_end > start:
                lo = start if start > piece_start else piece_start
                hi = end if end < piece_end else piece_end
                if piece.length == piece.orig_length:
                    self._add_piece(text[lo:hi], piece.orig_start + lo - piece_start, hi - lo)
                else:
                    self._add_piece(text[lo:hi], piece.orig_start, piece.orig_length)
            index += 1

    def append_whole(self, source: MappedText) -> None:
        """Append all of ``source``: ``append_from(source, 0, len(source.text))`` without slicing its
        text piece by piece (when its pieces cover it end to end, as every built text's do)."""
        pieces = source.pieces
        position = 0
        for piece in pieces:
            if piece.start != position or piece.length <= 0:
                self.append_from(source, 0, len(source.text))
                return
            position += piece.length
        if position != len(source.text):
            self.append_from(source, 0, len(source.text))
            return
        if not pieces:
            return
        # Each piece merges with the one before it exactly as _add_piece would merge it.
        own = self._pieces
        length = self._length
        for piece in pieces:
            size = piece.length
            if own and size == piece.orig_length:
                last_start, last_length, last_orig_start, last_orig_length = own[-1]
                if (
                    last_length == last_orig_length
                    and last_orig_start + last_orig_length == piece.orig_start
                    and last_start + last_length == length
                ):
                    own[-1] = (last_start, last_length + size, last_orig_start, last_orig_length + size)
                    length += size
                    continue
            own.append((length, size, piece.orig_start, piece.orig_length))
            length += size
        self._parts.append(source.text)
        self._length = length

    def append_all(self, parts: Iterable[tuple[MappedText, int, int]]) -> None:
        for source, start, end in parts:
            self.append_from(source, start, end)

    def build(self) -> MappedText:
        return MappedText("".join(self._parts), [Piece(*piece) for piece in self._pieces], self._original_length)


_SAMPLE = 8192


def distinct_characters(text: str) -> set[str]:
    """``set(text)``, faster on a long text: a text repeats its characters, and one regex pass
    deletes the characters already seen (a character class is a bitmap test in C) where ``set``
    makes a string object of every character. At most two such passes, each over what is left."""
    found = set(text[:_SAMPLE])
    rest = text[_SAMPLE:]
    for _ in range(2):
        if not rest:
            return found
        rest = re.sub("[" + "".join(map(re.escape, sorted(found))) + "]+", "", rest)
        found.update(rest[:_SAMPLE])
        rest = rest[_SAMPLE:]
    found.update(rest)
    return found


# --- normalisation for matching -------------------------------------------------------------------

# Quotation marks vary between the source, an LLM's quote and a user's copy; matching ignores the
# difference. Zero-width characters carry no text.
_EXTRA_REPLACEMENTS = {
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u301d": '"', "\u301e": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
}  # fmt: skip

# Spaces that sit next to a CJK character are layout noise ("同比增长 37.7%"), never meaning.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_SPACE_RUN = re.compile(r"[ \t]+")


def _spaces_next_to_cjk(text: str) -> list[tuple[int, int]]:
    """Runs of spaces and tabs with a CJK character right before or right after them: the matches of
    ``(?<=[CJK])[ \t]+|[ \t]+(?=[CJK])``, found without trying that pattern at every position."""
    if " " not in text and "\t" not in text:
        return []
    spans = []
    for match in _SPACE_RUN.finditer(text):
        start, end = match.span()
        if (start and _CJK_CHAR.match(text, start - 1)) or _CJK_CHAR.match(text, end):
            spans.append((start, end))
    return spans


def _without_spaces_next_to_cjk(text: str) -> str:
    spans = _spaces_next_to_cjk(text)
    if not spans:
        return text
    parts = []
    position = 0
    for start, end in spans:
        parts.append(text[position:start])
        position = end
    parts.append(text[position:])
    return "".join(parts)


@lru_cache(maxsize=65536)
def _normalized_char(char: str) -> str:
    if char in _EXTRA_REPLACEMENTS:
        return _EXTRA_REPLACEMENTS[char]
    normalized = unicodedata.normalize("NFKC", char)
    # Traditional-only characters match as simplified ones (億 -> 亿), one for one.
    return simplified_form(normalized) if len(normalized) == 1 else normalized


# Characters known to normalise to themselves: most of a text, so that only the characters not
# seen before are looked up one by one (a set difference instead of a call per distinct character).
_UNCHANGED: set[str] = set()


def _changed_chars(text: str) -> dict[str, str]:
    """Every distinct character of ``text`` whose normalisation differs, with that normalisation."""
    chars = set(text)
    chars.difference_update(_UNCHANGED)
    changed: dict[str, str] = {}
    for char in chars:
        replacement = _normalized_char(char)
        if replacement == char:
            _UNCHANGED.add(char)
        else:
            changed[char] = replacement
    return changed


def translation_table(text: str) -> dict[int, str]:
    """The normalisation of every distinct character of ``text`` that changes (for str.translate)."""
    return {ord(char): replacement for char, replacement in _changed_chars(text).items()}


def normalize_string(text: str, table: dict[int, str] | None = None) -> str:
    """The matching form of ``text`` without the map: exactly ``normalize(text).text``, faster.

    ``table`` may be a :func:`translation_table` of a larger text that contains ``text``.
    """
    if table is None:
        table = translation_table(text)
    translated = translate(text, table) if table else text
    return _without_spaces_next_to_cjk(translated)


@dataclass(frozen=True, slots=True)
class NormalizationTable:
    """What :func:`normalize` changes in texts made of some set of characters (a page's): built once
    for the page, it spares every article of it a pass over its characters."""

    one_to_one: dict[int, str]
    reshaping: re.Pattern[str] | None  # characters whose normalisation has another length


def normalization_table(chars: Iterable[str]) -> NormalizationTable:
    """The table for texts made of ``chars`` (any superset of a text's characters will do)."""
    one_to_one: dict[int, str] = {}
    reshaping: set[str] = set()
    for char, replacement in _changed_chars(chars if isinstance(chars, str) else "".join(set(chars))).items():
        if len(replacement) == 1:
            one_to_one[ord(char)] = replacement
        else:
            reshaping.add(char)
    pattern = re.compile("[" + "".join(re.escape(c) for c in sorted(reshaping)) + "]") if reshaping else None
    return NormalizationTable(one_to_one, pattern)


def normalize(source: MappedText | str, table: NormalizationTable | None = None) -> MappedText:
    """NFKC-normalise ``source`` for matching, keeping the map to the original.

    Full-width digits and signs become ASCII (１５％ -> 15%), ideographic and no-break spaces become
    spaces, curly quotes become straight ones, zero-width characters go, spaces next to CJK
    characters go, and traditional-only characters become simplified (億 -> 亿, see
    :mod:`summarizer.text.script`). One-for-one replacements keep pieces linear, so the map stays small.
    """
    mapped = MappedText.identity(source) if isinstance(source, str) else source
    text = mapped.text
    if table is None:
        table = normalization_table(text)
    one_to_one = table.one_to_one
    translated = translate(text, one_to_one) if one_to_one else text
    edits: list[tuple[int, int, str]] = []
    if table.reshaping is not None:
        edits.extend((m.start(), m.end(), _normalized_char(m.group())) for m in table.reshaping.finditer(text))
    edits.extend((start, end, "") for start, end in _spaces_next_to_cjk(translated))
    if not edits:
        return MappedText(translated, list(mapped.pieces), mapped.original_length)
    edits.sort()
    translated_source = MappedText(translated, list(mapped.pieces), mapped.original_length)
    builder = MappedTextBuilder(mapped.original_length)
    position = 0
    for start, end, replacement in edits:
        if start < position:
            continue  # a reshaped character that is also a space: the first edit wins
        builder.append_from(translated_source, position, start)
        if replacement:
            orig_start, orig_end = mapped.to_original(start, end)
            builder.append_replacement(replacement, orig_start, orig_end)
        position = end
    builder.append_from(translated_source, position, len(translated))
    return builder.build()
