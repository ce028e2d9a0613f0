"""What each number of an English sentence describes: the words that bind it to an indicator.

A briefing's sentence states several figures, each of something ("Total retail sales grew 3.5% and
investment 5.5%"). Which words describe which number follows how English strings figures together:

* the words **before** a number, back to the last clause boundary or the figure before it, name what
  it measures ("… and *retail sales of department stores* 5.5%"); a boundary is punctuation, or a word
  that joins two items ("and", "while", "of which" …) when a figure of its clause stands on that side
  ("grew 9.2% and retail sales …", "77 factories and 5 parks", but not "power semiconductors and
  integrated circuits 18.9%");
* the words **after** it, up to the next boundary, figure or preposition, are its noun ("5 *green
  industrial parks*", "12 *key chains* by share of …");
* the words between two figures with no boundary between them belong to the first when they end in a
  preposition ("2,700 people were housed in 18 sites"); in "29 of 45 projects" the words describe the
  whole, so the part (29) is bound to nothing;
* a number whose clause names nothing ("…, *up* 9.9%", "(up 7.2%)") describes what the clause before
  describes: the words after that clause's last figure, else the subject of that figure ("Industrial
  value added was 315.74 billion yuan, up 9.9%");
* a **list** of figures joined only by commas and "and" ("accounted for 3.8%, 80.9% and 15.3%") belongs,
  in order, to a list of as many items before it ("primary, secondary and tertiary industries"), each
  item with the words the last item shares ("industries accounted for"); a list whose items cannot be
  counted binds its figures to nothing.

:func:`describe` returns those words per number; :func:`ranges` the numbers written as a range
("6-10 degrees", "2 to 3 industries"). Nothing here knows the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from summarizer.verify.english_numbers import EnglishNumber, class_words, content_words

__all__ = ["Range", "describe", "ranges", "without_digit_commas"]

_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_PUNCTUATION = re.compile(r"[,;:()]|\s[-–—]\s")
_CONNECTOR = re.compile(r"\b(?:and|while|but|whereas|of which|including|as well as|compared with|versus)\b", re.I)
_LIST_GLUE = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)\s*", re.IGNORECASE)
_ITEM_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+", re.IGNORECASE)
_CLAUSE_START = re.compile(r"[;:()]")
# Words of every kind of figure: they tell no indicator from another ("grew", "growth", "reached").
_GENERIC = frozenset(
    content_words("grew grow growth growing rose rise risen rising fell fall fallen falling increase increased "
                  "decrease decreased decline declined reach reached stood stand amount amounted account accounted "
                  "expect expected compared class level grade")
)  # fmt: skip
# Prepositions that start a modifier of the whole statement, not the complement of the count's verb
# ("12 key chains by share of …", but "13,000 enterprises moved to the cloud").
_PREPOSITION = re.compile(r"\b(?:by|among|across|through|than|since|during|within|per)\b", re.I)
_ENDS_IN_PREPOSITION = re.compile(r"\b(?:in|of|to|from|at|for|by|with|across|among|under|over|into)\s*$", re.I)
# Numbers whose words after are a phrase, not what they measure: "up 5% at comparable prices".
_PHRASE_UNITS = frozenset({"percent", "percentage_point", "times"})
_OF = re.compile(r"\s*of(?:\s+the)?\s*", re.IGNORECASE)
_RANGE_GLUE = re.compile(r"^\s*(?:-|–|—|to)\s*$", re.IGNORECASE)


def without_digit_commas(text: str) -> str:
    """``text`` with the thousands separators of its numbers blanked (same length): "133,000" is no clause
    boundary."""
    return _DIGIT_COMMA.sub(" ", text)


def _separators(numbers: list[EnglishNumber]) -> list[EnglishNumber]:
    """Numbers that end a run of words: quantities and years (a hyphenated "100-billion-yuan" class is
    part of a noun phrase, not a figure between words)."""
    return [n for n in numbers if n.kind in ("quantity", "year") and not re.search(r"-[A-Za-z]", n.text)]


def _kind(number: EnglishNumber) -> tuple[str, bool]:
    return number.unit, number.kind == "quantity"


def describe(sentence: str, numbers: list[EnglishNumber]) -> dict[int, frozenset[str]]:
    """Content words describing each quantity of ``sentence``, by its index in ``numbers``; a quantity
    the words do not describe (a part, a member of a list without items) has none."""
    stops = _separators(numbers)
    punctuation = [(m.start(), m.end()) for m in _PUNCTUATION.finditer(without_digit_commas(sentence))]
    # A connector separates the items of two figures: it starts a new item after a figure of its clause
    # ("grew 9.2% and retail sales … 5.5%"), and ends one before a figure of its clause ("77 factories and
    # 5 parks"); inside a noun phrase ("power semiconductors and integrated circuits") it separates nothing.
    before_stops = list(punctuation)
    after_stops = list(punctuation)
    figures = [n for n in stops if n.kind == "quantity"]
    for match in _CONNECTOR.finditer(sentence):
        clause_start = max([e for s, e in punctuation if e <= match.start()], default=0)
        clause_end = min([s for s, e in punctuation if s >= match.end()], default=len(sentence))
        if any(clause_start <= n.start and n.end <= match.start() for n in figures):
            before_stops.append(match.span())
        if any(match.end() <= n.start and n.end <= clause_end for n in figures):
            after_stops.append(match.span())
    boundaries = before_stops
    found: dict[int, frozenset[str]] = {}
    own: dict[int, frozenset[str]] = {}  # the words before each number, for numbers that inherit them
    listed = _lists(sentence, stops)
    for index, number in enumerate(numbers):
        if number.kind != "quantity":
            continue
        previous = [n for n in stops if n.end <= number.start]
        following = [n for n in stops if n.start >= number.end]
        last_boundary = max([end for start, end in boundaries if end <= number.start], default=0)
        previous_end = previous[-1].end if previous else 0
        start = max(last_boundary, previous_end)
        before = sentence[start : number.start]
        if start == previous_end > last_boundary and _ENDS_IN_PREPOSITION.search(before):
            before = ""  # "2,700 people were housed in 18 sites": the words between are the first figure's
        if re.search(r"\(\s*$", before) and not content_words(before.rstrip(" (")):
            # "(190)", "(up 7.2%)": an aside of the phrase before the parenthesis
            opening = sentence.rfind("(", 0, number.start)
            before = sentence[max([e for s, e in boundaries if e <= opening] + [previous_end, 0]) : opening]
        if following and _OF.fullmatch(sentence[number.end : following[0].start]):
            continue  # "29 of 45 projects": a part of the next figure; the words are the whole's
        next_boundary = min([s for s, _ in after_stops if s >= number.end], default=len(sentence))
        next_number = following[0].start if following else len(sentence)
        after = sentence[number.end : min(next_boundary, next_number)]
        classes = class_words(after)  # "50 in the 10-billion-yuan class": the class is the count's, however far
        preposition = _PREPOSITION.search(after)
        if preposition and number.unit == "plain":
            after = after[: preposition.start()]  # "12 key chains by share of …": the count's noun ends there
        before = _nearest(before)
        words = _words(before) | _words(after) | classes
        own[id(number)] = _words(before)
        if id(number) in listed:
            item = listed[id(number)]
            if item is None:
                continue  # a list whose items cannot be counted
            words = item | _words(after) | classes
        elif (
            (len(words) < 2 or (len(content_words(before)) < 2 and number.unit in _PHRASE_UNITS))
            and start == last_boundary
            and start > 0
        ):  # a percentage's words after it ("at comparable prices") name nothing it measures
            words |= _inherited(sentence, start, stops, boundaries, own)
        found[index] = words
    for pair in ranges(sentence, numbers):  # "12-16 degrees in Inner Mongolia": both ends, one description
        low, high = numbers.index(pair.low), numbers.index(pair.high)
        if low in found and high in found:
            found[low] = found[high] = found[low] | found[high]
    return {index: words - _GENERIC for index, words in found.items()}


_WINDOW = 8  # content words before a number that may describe it: a long subject's far end names the agency


def _words(text: str) -> frozenset[str]:
    return content_words(text) | class_words(text)


def _nearest(before: str) -> str:
    """The end of ``before`` holding its last :data:`_WINDOW` content words."""
    tokens = list(re.finditer(r"[A-Za-z]+", before))
    kept = 0
    for token in reversed(tokens):
        if content_words(token.group()):
            kept += 1
            if kept == _WINDOW:
                return before[token.start() :]
    return before


def _inherited(
    sentence: str,
    start: int,
    stops: list[EnglishNumber],
    boundaries: list[tuple[int, int]],
    own: dict[int, frozenset[str]],
) -> frozenset[str]:
    """What the clause before ``start`` describes: the words after its last figure (a count's noun), else
    that figure's own words before it (a percentage's subject)."""
    boundary_start = max([s for s, e in boundaries if e <= start], default=0)
    clause_start = max([e for s, e in boundaries if e <= boundary_start], default=0)
    inside = [n for n in stops if clause_start <= n.start and n.end <= boundary_start]
    if inside and inside[-1].unit in _PHRASE_UNITS:
        return own.get(id(inside[-1]), frozenset())  # "CPI up 0.2% month on month and down 0.3%": CPI
    tail_start = inside[-1].end if inside else clause_start
    words = _words(sentence[tail_start:boundary_start])
    if len(words) < 2 and inside:
        words |= own.get(id(inside[-1]), frozenset())
    return words


def _lists(sentence: str, stops: list[EnglishNumber]) -> dict[int, frozenset[str] | None]:
    """Numbers of a list ("3.8%, 80.9% and 15.3%") bound in order to the items of a list before it (None
    when the items cannot be counted)."""
    bound: dict[int, frozenset[str] | None] = {}
    quantities = [n for n in stops if n.kind == "quantity"]
    position = 0
    while position < len(quantities):
        run = [quantities[position]]
        while position + len(run) < len(quantities):
            following = quantities[position + len(run)]
            glue = sentence[run[-1].end : following.start]
            if _kind(following) != _kind(run[0]) or not _LIST_GLUE.fullmatch(glue):
                break
            run.append(following)
        position += len(run)
        if len(run) < 2:
            continue
        first = run[0]
        earlier = [n.end for n in stops if n.end <= first.start]
        clause = max([m.end() for m in _CLAUSE_START.finditer(sentence, 0, first.start)] + earlier + [0])
        items = [item for item in _ITEM_SPLIT.split(without_digit_commas(sentence[clause : first.start]).strip()) if item]
        if len(items) < len(run):
            for number in run:
                bound[id(number)] = None
            continue
        items = items[-len(run) :]
        head = items[-1].split(None, 1)
        shared = content_words(head[1]) if len(head) > 1 else frozenset()
        for number, item in zip(run, items, strict=True):
            bound[id(number)] = content_words(item) | shared
    return bound


@dataclass(frozen=True, slots=True)
class Range:
    """Two quantities written as one range: "6-10 degrees", "2 to 3 industries"."""

    low: EnglishNumber
    high: EnglishNumber


def ranges(sentence: str, numbers: list[EnglishNumber]) -> list[Range]:
    """Pairs of quantities joined by a dash or "to" as a range (not "from X to Y", a change)."""
    found: list[Range] = []
    quantities = [n for n in numbers if n.kind == "quantity"]
    for first, second in pairwise(quantities):
        glue = sentence[first.end : second.start]
        if not _RANGE_GLUE.match(glue):
            continue
        if re.search(r"\bfrom\s+$", sentence[max(0, first.start - 6) : first.start], re.IGNORECASE):
            continue  # "rose from 0.7 trillion to 2.1 trillion": a change, not a range
        if "to" in glue.lower() and first.unit != "plain" and second.unit != first.unit:
            continue
        found.append(Range(first, second))
    return found
