"""Numbers and hedges in English prose: "CNY 1.7 trillion", "RMB 25bn", "0.3 percentage points", "eighth".

:func:`find_english_numbers` scans a sentence of English and returns every numeric mention with a
scale-free value, a unit, the qualifier the prose puts on it and the rounding the prose allows, so
the verifier can compare it with the quantities of the Chinese source:

* digits with thousands separators and decimals, with scale words or abbreviations (thousand/k,
  million/mn/m, billion/bn/b, trillion/trn/tn, hundred million) and hyphenated forms
  ("100-billion-yuan");
* currencies before or after (CNY, RMB, yuan, renminbi, ¥, US$, USD, dollars, EUR, €);
* percent (%, percent, per cent, pct), percentage points (percentage points, pp, ppt, points),
  multiples (times, -fold);
* spelled-out cardinals ("twelve", "forty-six", "ten million") and fractions ("half of", "a third of");
* ranks: ordinals ("eighth", "8th", "No. 8") in a ranking context ("ranked eighth", "sixth in the
  country"); other ordinals ("the first batch") are not quantities;
* qualifiers: more than / over / exceeded / tops / at least / "20,000+" -> more_than; nearly /
  almost / close to / just under -> nearly; about / around / approximately / roughly / some / "~" /
  "or so" -> about; less than / under / fewer than -> less_than. ``about`` and ``nearly`` mark a
  number as approximate (:data:`APPROXIMATE`): the only numbers the verifier lets differ from the
  source's figure, by rounding.

Years (2023, "2023–2025") and calendar dates are reported with kind ``year`` / ``date``, the length
of a period ("the first ten months", "the past five years") with kind ``duration`` and unit ``month``,
``quarter`` or ``year``, the size of a unit ("per 10,000 yuan") with kind ``size``; names that
contain digits ("4+6", "5G", a quoted "33618") with kind ``name``. Nothing here knows the source.

The second half reads the prose around a number, for the verifier: :func:`sentences`, whether a
hedge ("aims", "target", "expected" …) governs a number (:func:`is_hedged`), which year mention a
number belongs to (:func:`nearest_years`) and the content words that describe it
(:func:`number_context`, :func:`content_words`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from summarizer.vocab import Qualifier

__all__ = [
    "APPROXIMATE",
    "HEDGE_WORDS",
    "EnglishNumber",
    "NumberKind",
    "class_words",
    "content_words",
    "find_english_numbers",
    "hedge_positions",
    "is_hedged",
    "may_contain_number",
    "nearest_years",
    "number_context",
    "quoted_spans",
    "sentences",
]

NumberKind = Literal["quantity", "year", "date", "name", "ordinal", "duration", "size"]
# Qualifiers that mark a number as approximate ("about 2 trillion", "nearly 10 million", "~5%").
APPROXIMATE: frozenset[str] = frozenset({"about", "nearly"})


@dataclass(frozen=True, slots=True)
class EnglishNumber:
    """One numeric mention in English text.

    ``value`` is scale-free and non-negative (the direction is carried by the words: "fell 8.5%");
    ``precision`` is half a unit of the last significant digit the prose states, scale-free
    ("1.7 trillion" -> 5e10, "10 million" -> 5e6, "4.6%" -> 0.05, "half" -> 5 points). It is not a
    tolerance for matching: a number must equal the source's figure, and only a number the prose
    marks as approximate ("about", "nearly", "~" …, see :data:`APPROXIMATE`) may stand for a source
    figure that rounds to it at this precision ("about 5%" for 4.6%). ``unit`` is one of the
    schema's units, or ``plain`` for a bare number ("133,000 base stations"). ``qualifier`` is None
    when the prose puts none on the number. For kind ``year`` the value is the year; for ``name``
    the text is the name token ("4+6", "5G").
    """

    start: int
    end: int
    text: str
    value: float
    unit: str
    qualifier: Qualifier | None
    precision: float
    kind: NumberKind = "quantity"
    negative: bool = False
    base: bool = False  # a year a comparison is made against ("than in 2022", "unchanged from 2011")


# --- vocabularies ----------------------------------------------------------------------------------

_SCALES: dict[str, float] = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "trillions": 1e12,
    "trn": 1e12,
    "tn": 1e12,
    "tr": 1e12,
}
# Abbreviations that only count as a scale when written straight after the digits or after one space.
_SCALE_ABBREVIATIONS = {"k", "m", "b", "mn", "mln", "bn", "trn", "tn", "tr"}

_SMALL: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
}
_FRACTIONS: dict[str, float] = {
    "half": 50.0,
    "a half": 50.0,
    "one half": 50.0,
    "a third": 100 / 3,
    "one third": 100 / 3,
    "one-third": 100 / 3,
    "two thirds": 200 / 3,
    "two-thirds": 200 / 3,
    "a quarter": 25.0,
    "a fifth": 20.0,
    "one fifth": 20.0,
    "one-fifth": 20.0,
    "a tenth": 10.0,
    "one tenth": 10.0,
    "one-tenth": 10.0,
    "one quarter": 25.0,
    "one-quarter": 25.0,
    "three quarters": 75.0,
    "three-quarters": 75.0,
}
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)

# Qualifier phrases written immediately before the number (currency words may stand between).
_QUALIFIER_BEFORE: list[tuple[str, Qualifier]] = [
    (r"more than", "more_than"),
    (r"over", "more_than"),
    (r"above", "more_than"),
    (r"exceed(?:s|ed|ing)?", "more_than"),
    (r"surpass(?:es|ed|ing)?", "more_than"),
    (r"tops", "more_than"),
    (r"topp(?:ed|ing)", "more_than"),
    (r"(?:broke|breaks|breaking) through", "more_than"),
    (r"in excess of", "more_than"),
    (r"upwards of", "more_than"),
    (r"at least", "more_than"),
    (r"beyond", "more_than"),
    (r"nearly", "nearly"),
    (r"almost", "nearly"),
    (r"close to", "nearly"),
    (r"just under", "nearly"),
    (r"just below", "nearly"),
    (r"approaching", "nearly"),
    (r"about", "about"),
    (r"around", "about"),
    (r"approximately", "about"),
    (r"approx\.", "about"),
    (r"roughly", "about"),
    (r"some", "about"),
    (r"circa", "about"),
    (r"an estimated", "about"),
    (r"~", "about"),
    (r"≈", "about"),
    (r"less than", "less_than"),
    (r"fewer than", "less_than"),
    (r"under", "less_than"),
    (r"below", "less_than"),
    (r"up to", "less_than"),
    # "within 10 days" renders both 10天内 (a bound) and 3天就能 (a plain duration): no bound of its own.
    (r"within", "about"),
]
_QUALIFIER_BEFORE_RE = re.compile(
    r"(?:^|(?<=[\s(\"“'‘]))(?P<q>"
    + "|".join(pattern for pattern, _ in _QUALIFIER_BEFORE)
    + r")(?:\s+|(?<=[~≈])\s?)(?:(?:CNY|RMB|Rmb|USD|US\$|EUR|€|¥|\$)\s?)?$",
    re.IGNORECASE,
)
_WITHIN_PERIOD_RE = re.compile(r"\S+\s+(?:years?|months?|quarters?)\b", re.IGNORECASE)
_QUALIFIER_AFTER_RE = re.compile(
    r"^(?:\s*\+|-plus\b|\s+plus\b|\s+or more\b|\s+and above\b|(?P<about>\s+or so\b))", re.I
)

_CURRENCY_BEFORE_RE = re.compile(r"(?:(?P<code>CNY|RMB|Rmb|USD|EUR)\s?|(?P<sym>US\$|\$|¥|￥|€))$")
_CURRENCY_AFTER: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^[\s-]?(?:yuan|renminbi|RMB|CNY|Rmb)\b", re.I), "CNY"),
    (re.compile(r"^[\s-]?(?:US dollars|U\.S\. dollars|dollars|USD)\b", re.I), "USD"),
    (re.compile(r"^[\s-]?(?:euros?|EUR)\b", re.I), "EUR"),
]
_PERCENT_RE = re.compile(r"^\s?(?:%|percent\b|per cent\b|pct\b|per-cent\b)", re.I)
_POINTS_RE = re.compile(r"^[\s-]?(?:percentage[\s-]points?|pct[\s-]points?|pp\b|ppts?\b|points?\b)", re.I)
_TIMES_RE = re.compile(r"^(?:\s?times\b|-fold\b|\s?fold\b)", re.I)
_PHYSICAL_UNITS: list[tuple[str, str]] = [
    ("EFlops", "EFlops"),
    ("PFlops", "PFlops"),
    ("TFlops", "TFlops"),
    ("petaflops", "PFlops"),
    ("exaflops", "EFlops"),
    ("teraflops", "TFlops"),
    ("tonne-kilometres", "tonne_km"),
    ("tonnes", "tonne"),
    ("tonne", "tonne"),
    ("tons", "tonne"),
    ("kWh", "kWh"),
    ("MWh", "MWh"),
    ("GWh", "GWh"),
    ("TWh", "TWh"),
    ("kW", "kW"),
    ("MW", "MW"),
    ("GW", "GW"),
    ("Gbps", "Gbps"),
    ("Tbps", "Tbps"),
    ("Mbps", "Mbps"),
    ("square kilometres", "km2"),
    ("square kilometers", "km2"),
    ("sq km", "km2"),
    ("km2", "km2"),
    ("km", "km"),
    ("kilometres", "km"),
    ("kilometers", "km"),
    ("square metres", "m2"),
    ("square meters", "m2"),
    ("sq m", "m2"),
    ("cubic metres", "m3"),
    ("hectares", "hectare"),
    ("mu", "mu"),
    ("TEU", "TEU"),
    ("milliseconds", "ms"),
    ("millisecond", "ms"),
    ("seconds", "s"),
    ("second", "s"),
    ("minutes", "min"),
    ("minute", "min"),
    ("hours", "h"),
    ("hour", "h"),
    ("days", "day"),
    ("day", "day"),
    ("degrees Celsius", "degC"),
    ("degree Celsius", "degC"),
    ("degrees", "degC"),
    ("°C", "degC"),
    ("℃", "degC"),
]
_PHYSICAL_RE = re.compile(
    r"^[\s-]?(?P<u>" + "|".join(re.escape(word) for word, _ in _PHYSICAL_UNITS) + r")(?![A-Za-z])", re.I
)
_PHYSICAL_LOOKUP = {word.lower(): unit for word, unit in _PHYSICAL_UNITS}

# A digit string: 1,234,567.89 / 1234 / .5 is not allowed (prose writes 0.5).
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER_RE = re.compile(rf"(?<![\w.])(?P<num>{_DIGITS})")
_SPELLED_WORD = "|".join(sorted([*_SMALL, *_TENS, "hundred", "dozen"], key=len, reverse=True))
_SPELLED_RE = re.compile(
    rf"\b(?P<num>(?:(?:{'|'.join(_TENS)})-(?:{'|'.join(w for w in _SMALL if _SMALL[w] < 10)})|{_SPELLED_WORD})"
    rf"(?:[\s-](?:hundred|thousand|million|billion|trillion))*)\b",
    re.IGNORECASE,
)
# "the first ten months", "over the past five years": the length of a period, not a figure.
_DURATION_RE = re.compile(
    rf"\b(?:first|past|last|previous|preceding|recent|latest)\s+(?P<num>{_DIGITS}|{_SPELLED_WORD})"
    r"\s+(?P<unit>months?|quarters?|years?)\b",
    re.IGNORECASE,
)
_FRACTION_RE = re.compile(
    r"\b(?P<num>"
    + "|".join(re.escape(f) for f in sorted(_FRACTIONS, key=len, reverse=True))
    + r")\b(?=\s+(?:of|the)\b)",
    re.IGNORECASE,
)
_ORDINAL_WORD_RE = re.compile(r"\b(?P<num>" + "|".join(_ORDINALS) + r")\b", re.IGNORECASE)
_ORDINAL_DIGIT_RE = re.compile(r"(?<![\w.])(?P<num>\d+)(?:st|nd|rd|th)\b", re.IGNORECASE)
_NO_RE = re.compile(r"\b(?:No\.|number)\s?(?P<num>\d+)\b")
_YEAR_RANGE_RE = re.compile(r"(?<![\w.,])(?P<a>(?:19|20)\d{2})\s?[-–—/]\s?(?P<b>(?:19|20)?\d{2})(?![\w%])")
_DATE_RE = re.compile(
    rf"\b(?:\d{{1,2}}\s+(?:{_MONTHS})\b|(?:{_MONTHS})\.?\s+\d{{1,2}}(?!\d)(?:st|nd|rd|th)?)|\b\d{{4}}-\d{{2}}(?:-\d{{2}})?\b",
    re.IGNORECASE,
)
_CLOCK_RE = re.compile(r"(?<![\w.:])\d{1,2}:\d{1,2}(?![\w:])")
_DAY_RANGE_RE = re.compile(
    rf"\b\d{{1,2}}\s*(?:-|–|—|to|and)\s*\d{{1,2}}\s+(?:{_MONTHS})\b|\b(?:{_MONTHS})\.?\s+\d{{1,2}}\s*(?:-|–|—|to)\s*\d{{1,2}}\b",
    re.IGNORECASE,
)
# Plan names: the 14th Five-Year Plan, the "Fifteenth Five-Year Plan" (a name, not the number five).
_PLAN_NAME_RE = re.compile(
    r"\b(?:(?:\d{1,2}(?:st|nd|rd|th)|[A-Za-z]+(?:th|st|nd|rd))[\s-]+)?Five[\s-]Year\s+Plan\b", re.IGNORECASE
)
# A number right after "per" is the size of a unit (per 10,000 yuan of GDP, per 100 people).
_ROUTE_BEFORE_RE = re.compile(r"\b(?:route|line|bus|flight|train|platform|gate|highway|expressway|motorway)\s$", re.I)
_PER_BEFORE_RE = re.compile(r"\bper\s+(?:(?:CNY|RMB|USD|US\$|\$|¥)\s?)?$", re.IGNORECASE)
# Words before a year that make it the base of a comparison, not the period of a figure.
_BASE_YEAR_BEFORE_RE = re.compile(
    r"(?:\bthan|\bcompared\s+(?:with|to)|\bversus|\bvs\.?|\brelative\s+to|\bagainst|\bover\s+the\s+same\s+period"
    r"|\b(?:unchanged|up|down|rose|fell|increased?|decreased?|grew|growth|rise|dropped|higher|lower|faster|slower)"
    r"\b[^,.;:]{0,20}?\b(?:from|on|over|since))\b[^,.;:\d]{0,30}$",
    re.IGNORECASE,
)
_NAME_JOINED_RE = re.compile(r"(?<![\w.])\d+(?:\s?[+×xX*]\s?\d+)+(?![\w.])")
_ALNUM_NAME_RE = re.compile(r"(?<![\w.])(?:\d+[A-Za-z][A-Za-z0-9]*|[A-Za-z]+\d+[A-Za-z0-9]*)(?![\w])")

_RANK_BEFORE_RE = re.compile(
    r"\b(?:rank(?:s|ed|ing)?|plac(?:e|es|ed|ing)|position(?:s|ed)?|c(?:a|o)me|comes|st(?:oo|an)d(?:s|ing)?)"
    r"(?:\s+\w+){0,3}?\s+(?:(?:at|as|in)\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_RANK_AFTER_RE = re.compile(
    r"^[\s-]+(?:place|position|(?:highest|largest|biggest|most)\b|among\b|nationally\b|nationwide\b|"
    r"in\s+(?:the\s+)?(?:country|nation|china|world)\b)",
    re.IGNORECASE,
)
_PIONEER_AFTER_RE = re.compile(
    r"^[\s-]+(?:\w+\s+){0,3}?(?:in|across)\s+(?:the\s+)?(?:country|nation|china)\s+to\b", re.I
)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of text between double quotation marks (straight or curly), quotes included."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"“[^”]*”|\"[^\"]*\"", text):
        spans.append((match.start(), match.end()))
    return spans


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in taken)


# "about half", "nearly a third": a fraction word is precise to half a 成 (5 percentage points).
_FRACTION_PRECISION = 5.0


def _half_unit(digits: str) -> float:
    """Half a unit of the last significant digit written, before any scale word.

    "4.6" -> 0.05, "1.70" -> 0.005 (a decimal's trailing zeros are stated precision), "92" -> 0.5;
    an integer's trailing zeros are not significant: "130,000" -> 5000, "10" -> 5, "2" -> 0.5.
    """
    plain = digits.replace(",", "")
    if "." in plain:
        return 0.5 / 10.0 ** len(plain.split(".", 1)[1])
    stripped = plain.rstrip("0")
    if not stripped:
        return 0.5  # "0"
    return 0.5 * 10.0 ** (len(plain) - len(stripped))


def _spelled_value(words: str) -> float | None:
    total = 0.0
    current = 0.0
    seen = False
    for word in re.split(r"[\s-]+", words.lower()):
        if word in _SMALL:
            current += _SMALL[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "dozen":
            current = (current or 1) * 12
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in ("thousand", "million", "billion", "trillion"):
            scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}[word]
            total += (current or 1) * scale
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _qualifier_before(text: str, start: int) -> tuple[Qualifier | None, int]:
    window = text[max(0, start - 40) : start]
    match = _QUALIFIER_BEFORE_RE.search(window)
    if match is None:
        return None, start
    phrase = match.group("q").lower()
    if phrase == "within" and _WITHIN_PERIOD_RE.match(text, start):
        return None, start  # "within three years": the span of a plan, not a figure's bound
    for pattern, qualifier in _QUALIFIER_BEFORE:
        if re.fullmatch(pattern, phrase, re.IGNORECASE):
            return qualifier, start - (len(window) - match.start("q"))
    return None, start  # pragma: no cover - every alternative is listed above


def _unit_after(text: str, position: int) -> tuple[str | None, int]:
    rest = text[position : position + 40]
    for pattern, unit in _CURRENCY_AFTER:
        match = pattern.match(rest)
        if match:
            return unit, position + match.end()
    match = _PERCENT_RE.match(rest)
    if match:
        return "percent", position + match.end()
    match = _POINTS_RE.match(rest)
    if match:
        return "percentage_point", position + match.end()
    match = _TIMES_RE.match(rest)
    if match:
        return "times", position + match.end()
    match = _PHYSICAL_RE.match(rest)
    if match:
        return _PHYSICAL_LOOKUP[match.group("u").lower()], position + match.end()
    return None, position


_SCALE_WORD_RE = re.compile(r"(?P<sep>[\s-]?)(?P<word>[A-Za-z]+)(?![A-Za-z])")
_HUNDRED_MILLION_RE = re.compile(r"[\s-]?hundred[\s-]million\b", re.IGNORECASE)


def _scale_after(text: str, position: int) -> tuple[float, int]:
    """Scale words after a number: "1.7 trillion", "25bn", "9.55m", "5.2 hundred million"."""
    factor = 1.0
    while True:
        hundred_million = _HUNDRED_MILLION_RE.match(text, position)
        if hundred_million:
            factor *= 1e8
            position = hundred_million.end()
            continue
        match = _SCALE_WORD_RE.match(text, position)
        if match is None:
            return factor, position
        word = match.group("word")
        lower = word.lower()
        if lower not in _SCALES:
            return factor, position
        if lower in _SCALE_ABBREVIATIONS and (word != lower and lower not in ("bn", "mn", "trn")):
            return factor, position  # "5 M" or "3 B" as written: not a scale abbreviation
        if lower == "m" and re.match(r"[\s-]?m\s*[²2]", text[position:]):
            return factor, position  # square metres
        factor *= _SCALES[lower]
        position = match.end()


def _is_rank_context(text: str, start: int, end: int) -> bool:
    """An ordinal is a rank when a ranking verb precedes it or a ranking phrase follows it.

    "ranked eighth", "eighth in the country", "sixth place" are ranks; "the first batch" is not,
    nor is "the first in the country to build" (a pioneer, 率先, not a position in a ranking).
    """
    after = text[end : end + 60]
    if _PIONEER_AFTER_RE.match(after):
        return False
    return bool(_RANK_BEFORE_RE.search(text[max(0, start - 60) : start]) or _RANK_AFTER_RE.match(after))


# "pick-up in growth of value added … from December 2022": a change measured from a year (not a span
# "from 2021 to 2023").
_BASE_FROM_RE = re.compile(
    rf"\b(?:pick-?up|acceleration|increase|rise|growth|decline|drop|change|gain|improvement|slowdown)\b[^,.;:]{{0,80}}?"
    rf"\bfrom\s+(?:the\s+)?(?:(?:end|whole)\s+of\s+)?(?:(?:{_MONTHS})\s+)?$",
    re.IGNORECASE,
)


def _is_base_year(text: str, start: int) -> bool:
    if _BASE_YEAR_BEFORE_RE.search(text[max(0, start - 60) : start]):
        return True
    end = start + 4
    return bool(_BASE_FROM_RE.search(text[max(0, start - 140) : start])) and not re.match(
        r"\s*(?:to|until|through|-|–)\b", text[end:]
    )


def find_english_numbers(text: str) -> list[EnglishNumber]:
    """Every numeric mention in ``text``, in order of position.

    The result includes years, dates and names (see :class:`EnglishNumber.kind`) so a caller can
    decide what to check; quantities carry value, unit, qualifier and precision.
    """
    return list(_find_english_numbers(text))


@lru_cache(maxsize=8192)
def _find_english_numbers(text: str) -> tuple[EnglishNumber, ...]:
    found: list[EnglishNumber] = []
    taken: list[tuple[int, int]] = []
    quotes = quoted_spans(text)

    def add(number: EnglishNumber) -> None:
        found.append(number)
        taken.append((number.start, number.end))

    # Dates, clock times, plan names, year ranges and joined names first: their digits are not quantities.
    for pattern in (_DAY_RANGE_RE, _CLOCK_RE):
        for match in pattern.finditer(text):
            if not _overlaps(taken, match.start(), match.end()):
                add(EnglishNumber(match.start(), match.end(), match.group(), 0.0, "date", None, 0.0, "date"))
    for match in _PLAN_NAME_RE.finditer(text):
        if not _overlaps(taken, match.start(), match.end()):
            add(EnglishNumber(match.start(), match.end(), match.group(), 0.0, "name", None, 0.0, "name"))
    for match in _DATE_RE.finditer(text):
        if not _overlaps(taken, match.start(), match.end()):
            add(EnglishNumber(match.start(), match.end(), match.group(), 0.0, "date", None, 0.0, "date"))
    for match in _YEAR_RANGE_RE.finditer(text):
        if _overlaps(taken, match.start(), match.end()):
            continue
        first = int(match.group("a"))
        second_text = match.group("b")
        second = int(second_text) if len(second_text) == 4 else first // 100 * 100 + int(second_text)
        if second <= first:
            continue
        for year, (s, e) in ((first, match.span("a")), (second, match.span("b"))):
            add(EnglishNumber(s, e, text[s:e], float(year), "year", None, 0.0, "year", base=_is_base_year(text, s)))
    for match in _NAME_JOINED_RE.finditer(text):
        if not _overlaps(taken, match.start(), match.end()):
            add(EnglishNumber(match.start(), match.end(), match.group(), 0.0, "name", None, 0.0, "name"))

    for match in _DURATION_RE.finditer(text):
        start, end = match.span("num")
        if _overlaps(taken, start, end):
            continue
        words = match.group("num")
        length = float(words.replace(",", "")) if words[0].isdigit() else _spelled_value(words)
        if length is not None:
            unit = match.group("unit").lower().rstrip("s")
            add(EnglishNumber(start, match.end(), text[start : match.end()], length, unit, None, 0.0, "duration"))

    for match in _NO_RE.finditer(text):
        if _overlaps(taken, match.start(), match.end()):
            continue
        if _inside(quotes, match.start(), match.end()):  # the "No. 1 Project" is a name
            add(EnglishNumber(match.start(), match.end(), match.group(), 0.0, "name", None, 0.0, "name"))
            continue
        value = float(match.group("num"))
        add(EnglishNumber(match.start(), match.end(), match.group(), value, "rank", None, 0.0))

    for match in _ORDINAL_DIGIT_RE.finditer(text):
        if _overlaps(taken, match.start(), match.end()):
            continue
        kind: NumberKind = "quantity" if _is_rank_context(text, match.start(), match.end()) else "ordinal"
        add(
            EnglishNumber(
                match.start(), match.end(), match.group(), float(match.group("num")), "rank", None, 0.0, kind
            )
        )

    for match in _NUMBER_RE.finditer(text):
        start, end = match.span("num")
        if _overlaps(taken, start, end):
            continue
        digits = match.group("num")
        value = float(digits.replace(",", ""))
        # A number glued to letters that are not a scale or unit is part of a name (5G, 3D, G20).
        glued = re.match(r"[A-Za-z]+", text[end:])
        if glued and glued.group().lower() not in _SCALES and not _PHYSICAL_RE.match(text[end:]):
            name_match = _ALNUM_NAME_RE.match(text, start)
            name_end = name_match.end() if name_match else end + glued.end()
            add(EnglishNumber(start, name_end, text[start:name_end], value, "name", None, 0.0, "name"))
            continue
        if start > 0 and re.match(r"[A-Za-z]", text[start - 1]):
            continue  # inside a token such as "G20": handled as a name above or not a number
        if _inside(quotes, start, end):
            add(EnglishNumber(start, end, digits, value, "name", None, 0.0, "name"))
            continue
        precision = _half_unit(digits)
        factor, position = _scale_after(text, end)
        unit, position = _unit_after(text, position)
        if factor == 1.0 and unit is None:
            factor, position = _scale_after(text, position)
        qualifier, qualifier_start = _qualifier_before(text, start)
        span_start = start
        currency = _CURRENCY_BEFORE_RE.search(text[max(0, start - 4) : start])
        if currency:
            symbol = currency.group("code") or currency.group("sym")
            unit = {
                "CNY": "CNY",
                "RMB": "CNY",
                "Rmb": "CNY",
                "USD": "USD",
                "EUR": "EUR",
                "US$": "USD",
                "$": "USD",
            }.get(symbol, "EUR" if symbol == "€" else "CNY")
            span_start = start - (len(currency.group()))
        negative = bool(re.search(r"[-−]\s?$", text[max(0, span_start - 2) : span_start])) and not re.search(
            r"\w[-−]$", text[max(0, span_start - 2) : span_start]
        )
        after = _QUALIFIER_AFTER_RE.match(text[position:])
        if after and qualifier is None:
            qualifier = "about" if after.group("about") else "more_than"
            position += after.end()
        is_year = (
            factor == 1.0
            and unit is None
            and "," not in digits
            and "." not in digits
            and len(digits) == 4
            and 1900 <= value <= 2100
        )
        if is_year:
            add(EnglishNumber(start, end, digits, value, "year", None, 0.0, "year", base=_is_base_year(text, start)))
            continue
        if factor == 1.0 and unit is None and qualifier is None and _ROUTE_BEFORE_RE.search(text[max(0, start - 12) : start]):
            add(EnglishNumber(start, end, digits, value, "name", None, 0.0, "name"))
            continue  # bus route 838, Line 3, flight 5735: a name
        if _PER_BEFORE_RE.search(text[max(0, span_start - 12) : span_start]):
            add(EnglishNumber(span_start, position, text[span_start:position], value * factor, "plain", None, 0.0, "size"))
            continue  # per 10,000 yuan: the size of a unit, not a figure
        if qualifier is not None:
            span_start = min(span_start, qualifier_start)
        add(
            EnglishNumber(
                span_start,
                position,
                text[span_start:position],
                value * factor,
                unit or "plain",
                qualifier,
                precision * factor,
                "quantity",
                negative,
            )
        )

    for match in _FRACTION_RE.finditer(text):
        start, end = match.span("num")
        if _overlaps(taken, start, end):
            continue
        if re.search(r"\b(?:first|second|1st|2nd|latter|other)\s+$", text[max(0, start - 10) : start], re.I):
            continue  # "the first half of 2023" is a period
        qualifier, qualifier_start = _qualifier_before(text, start)
        span_start = min(start, qualifier_start)
        add(
            EnglishNumber(
                span_start,
                end,
                text[span_start:end],
                _FRACTIONS[match.group("num").lower()],
                "percent",
                qualifier,
                _FRACTION_PRECISION,
            )
        )

    for match in _SPELLED_RE.finditer(text):
        start, end = match.span("num")
        if _overlaps(taken, start, end):
            continue
        words = match.group("num")
        if words.lower() == "one":
            continue  # "one of the", "one-stop": not a count a briefing would state this way
        spelled = _spelled_value(words)
        if spelled is None:
            continue
        if _inside(quotes, start, end):
            add(EnglishNumber(start, end, words, spelled, "name", None, 0.0, "name"))
            continue
        factor, position = _scale_after(text, end)
        unit, position = _unit_after(text, position)
        qualifier, qualifier_start = _qualifier_before(text, start)
        after = _QUALIFIER_AFTER_RE.match(text[position:])
        if after and qualifier is None:
            qualifier = "about" if after.group("about") else "more_than"
            position += after.end()
        span_start = min(start, qualifier_start) if qualifier else start
        add(
            EnglishNumber(
                span_start,
                position,
                text[span_start:position],
                spelled * factor,
                unit or "plain",
                qualifier,
                _half_unit(f"{spelled:.0f}") * factor,
            )
        )

    for match in _ORDINAL_WORD_RE.finditer(text):
        start, end = match.span("num")
        if _overlaps(taken, start, end):
            continue
        kind = "quantity" if _is_rank_context(text, start, end) else "ordinal"
        add(
            EnglishNumber(
                start, end, match.group(), float(_ORDINALS[match.group().lower()]), "rank", None, 0.0, kind
            )
        )

    found.sort(key=lambda number: number.start)
    return tuple(found)


# --- sentences, hedges and the words around a number ----------------------------------------------

# Words that mark a statement as a goal, plan, projection or estimate.
HEDGE_WORDS = frozenset(
    {
        "aim", "aims", "aiming", "aimed", "target", "targets", "targeted", "targeting", "plan", "plans",
        "planned", "planning", "expected", "expect", "expects", "expectation", "estimate", "estimated",
        "estimates", "projected", "projection", "projections", "forecast", "forecasts", "forecasted", "seek",
        "seeks", "seeking", "will", "would", "goal", "goals", "intend", "intends", "intended", "strive",
        "strives", "striving", "pledge", "pledges", "pledged", "hope", "hopes", "likely", "preliminary",
        "should", "objective", "objectives", "ambition", "envisage", "envisages",
    }
)  # fmt: skip
_HEDGE_PAIRS = frozenset({("is", "to"), ("are", "to"), ("set", "to")})
_WORD_TOKEN = re.compile(r"[A-Za-z]+")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?;])\s+(?=\S)")
_NUMBER_WORDS = frozenset(
    {
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
        "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "dozen", "half", "third",
        "thirds", "quarter", "quarters", "first", "second", "fourth", "fifth", "sixth", "seventh", "eighth",
        "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
        "seventeenth", "eighteenth", "nineteenth", "twentieth",
    }
)  # fmt: skip


_STOPWORDS = frozenset(
    {
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "from", "with", "and", "or", "its", "their",
        "it", "is", "are", "was", "were", "be", "been", "has", "have", "had", "that", "this", "these", "those",
        "as", "per", "than", "more", "less", "over", "under", "nearly", "about", "around", "some", "new", "newly",
        "total", "number", "share", "up", "down", "into", "onto", "s", "n", "which", "who", "whose",
    }
)  # fmt: skip


def _stem(word: str) -> str:
    """A crude stem, enough to match "parks"/"park", "cultivated"/"cultivate", "factories"/"factory"."""
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


@lru_cache(maxsize=8192)
def content_words(text: str) -> frozenset[str]:
    return frozenset(
        _stem(w) for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOPWORDS and not w.isdigit()
    )


_CLASS_LABEL = re.compile(
    r"(?<![\w.])(?:(?P<n>\d+(?:\.\d+)?)(?P<join>[\s-]))?(?P<scale>thousand|million|billion|trillion)-yuan"
    r"(?P<cls>[\s-](?:class|level|grade|scale)\b)?",
    re.IGNORECASE,
)
_CLASS_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


@lru_cache(maxsize=8192)
def class_words(text: str) -> frozenset[str]:
    """Class labels of ``text`` as words ("the 10-billion-yuan class" -> ``yuan:1e+10``): what tells the
    百亿元 enterprises from the 千亿元 ones, which :func:`content_words` (no digits) cannot."""
    found: set[str] = set()
    for match in _CLASS_LABEL.finditer(text):
        if match.group("n") and match.group("join") != "-" and not match.group("cls"):
            continue  # "an investment of 10 billion-yuan …" is an amount, not a class
        value = float(match.group("n") or 1) * _CLASS_SCALES[match.group("scale").lower()]
        found.add(f"yuan:{value:.6g}")
    return frozenset(found)


def number_context(sentence: str, number: EnglishNumber, numbers: list[EnglishNumber]) -> frozenset[str]:
    """Content words that describe a number in its sentence.

    What follows it up to the next number or punctuation ("5 green industrial parks were added"),
    and what precedes it back to the last punctuation unless another number stands between (the
    words after a number describe that number). When that gives fewer than two words, the clause
    before is added ("…5G base stations, ranking eighth"). Hyphenated compounds
    ("100-billion-yuan") are part of a noun phrase, not boundaries.
    """
    boundaries = [
        n
        for n in numbers
        if n is not number and n.kind in ("quantity", "year") and not re.search(r"-[A-Za-z]", n.text)
    ]
    following = sorted(n.start for n in boundaries if n.start >= number.end)
    after_limit = following[0] if following else len(sentence)
    if following and re.fullmatch(r"\s*of(?:\s+the)?\s*", sentence[number.end : after_limit]):
        # "29 of 45 projects …": both numbers count the same noun.
        after_limit = following[1] if len(following) > 1 else len(sentence)
    after = re.split(r"[,;:()]", sentence[number.end : after_limit], maxsplit=1)[0]
    punctuation = [m.end() for m in re.finditer(r"[,;:()]", sentence[: number.start])]
    last_punctuation = max([*punctuation, 0])
    number_between = any(last_punctuation <= n.end <= number.start for n in boundaries)
    before = "" if number_between else sentence[last_punctuation : number.start]
    words = content_words(before) | content_words(after)
    if len(words) < 2 and not number_between and last_punctuation > 0:
        previous_start = max([p for p in punctuation if p < last_punctuation - 1] + [0])
        previous_numbers = [n.end for n in boundaries if previous_start <= n.end < last_punctuation]
        words |= content_words(sentence[max([previous_start, *previous_numbers]) : last_punctuation])
    return words


_CLAUSE_SPLIT = re.compile(r"[,;:]|\b(?:and|while|but|whereas)\b")


def hedge_positions(sentence: str) -> tuple[int, ...]:
    """Offsets of the hedge words of a sentence ("aims", "target", "expected", "is to" …)."""
    tokens = [(match.start(), match.group().lower()) for match in _WORD_TOKEN.finditer(sentence)]
    positions = [start for start, word in tokens if word in HEDGE_WORDS]
    positions += [
        tokens[i][0] for i in range(len(tokens) - 1) if (tokens[i][1], tokens[i + 1][1]) in _HEDGE_PAIRS
    ]
    return tuple(sorted(positions))


def is_hedged(sentence: str, number: EnglishNumber, positions: tuple[int, ...] | None = None) -> bool:
    """Whether a hedge governs a number: one earlier in its sentence, or one in its own clause
    ("the body states 7% as the 2024 target"). ``positions`` are :func:`hedge_positions` of the
    sentence, when the caller has them."""
    hedges = hedge_positions(sentence) if positions is None else positions
    if not hedges:
        return False
    if hedges[0] < number.start:
        return True
    following = _CLAUSE_SPLIT.search(re.sub(r"(?<=\d),(?=\d{3}(?!\d))", " ", sentence), number.end)
    clause_end = following.start() if following else len(sentence)
    return any(number.end <= position < clause_end for position in hedges)


def nearest_years(
    number: EnglishNumber,
    years: list[EnglishNumber],
    numbers: list[EnglishNumber] | None = None,
    sentence: str | None = None,
) -> set[int]:
    """The year(s) a number in a sentence is about: the nearest year mention(s) that is not a comparison
    base, and that no other figure stands between ("from 0.7 trillion to 2.1 trillion in 2022": 2022
    is the second figure's year, not the first's); with the ``sentence``, a year of the number's own
    clause before the others."""
    if not years or number.kind == "year":
        return set()
    others = [n for n in (numbers or []) if n.kind == "quantity" and n is not number]

    def between(year: EnglishNumber) -> bool:
        lo, hi = (number.end, year.start) if year.start >= number.end else (year.end, number.start)
        return any(lo <= other.start and other.end <= hi for other in others)

    usable = [year for year in years if not year.base and not between(year)]
    if not usable:
        return set()
    if sentence is not None:
        # A year of the number's own clause first: "100 were under way in 2023 and 100 are to continue in 2024".
        plain = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", " ", sentence)  # "1,132" is no clause boundary

        def clause(position: int) -> int:
            return len(_CLAUSE_SPLIT.findall(plain, 0, position))

        own = [year for year in usable if clause(year.start) == clause(number.start)]
        usable = own or usable

    def distance(year: EnglishNumber) -> int:
        return year.start - number.end if year.start >= number.end else number.start - year.end

    best = min(distance(year) for year in usable)
    return {int(year.value) for year in usable if distance(year) == best}


def sentences(text: str) -> Iterable[tuple[int, str]]:
    position = 0
    for part in _SENTENCE_SPLIT.split(text):
        start = text.find(part, position)
        yield start, part
        position = start + len(part)


def may_contain_number(text: str) -> bool:
    """A cheap test: False when ``text`` certainly has no number (no digit, no number word)."""
    if any(map(str.isdigit, text)):
        return True
    return not _NUMBER_WORDS.isdisjoint(word.lower() for word in _WORD_TOKEN.findall(text))
