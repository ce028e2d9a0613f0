"""Comparing a claimed number with the source's: value, scale, unit, qualifier, rounding.

A number must equal the source's figure. The only numbers allowed to differ are those the English
marks as approximate ("about", "around", "nearly" …): they may round the source's figure to the
precision they state, by at most :data:`ROUNDING_LIMIT`, and "nearly X" needs the figure below X. A
bound ("more than", "under") must be the source's own.
"""

from __future__ import annotations

import math
from collections.abc import Collection

from summarizer.verify.english_numbers import APPROXIMATE, EnglishNumber
from summarizer.verify.source import Evidence
from summarizer.vocab import COUNT_UNITS, MONEY_UNITS, PERCENT_LIKE_UNITS, UNITS

__all__ = [
    "MARKED_UNITS",
    "ROUNDING_LIMIT",
    "approximation_problem",
    "best_match",
    "describe",
    "fmt",
    "in_english",
    "power_of_ten",
    "prose_qualifier_ok",
    "prose_units",
    "rounds_within",
    "same_value",
    "scale_hint",
    "source_figure",
    "units_compatible",
]

# A bare number in prose ("133,000 base stations", "1.7 trillion") may stand for any amount; it may
# not stand for a ratio or a rank, which English always marks (%, percentage points, "eighth").
MARKED_UNITS = frozenset({"percent", "percentage_point", "permille", "basis_point", "fraction", "times", "rank", "point"})
_PLAIN_UNITS = frozenset(UNITS) - MARKED_UNITS
ROUNDING_LIMIT = 0.1
UNIT_WORDS = {
    "CNY": "yuan (CNY)",
    "USD": "US dollars",
    "percent": "percent",
    "percentage_point": "percentage points (个百分点)",
    "times": "times (倍)",
    "rank": "a rank (第N位)",
    "count": "a count",
    "number": "a number",
}


def same_value(a: float, b: float, tolerance: float = 0.0) -> bool:
    return abs(a - b) <= max(tolerance, 1e-9 * max(abs(a), abs(b), 1.0))


def units_compatible(claimed: str, source: str) -> bool:
    return claimed == source or (claimed in COUNT_UNITS and source in COUNT_UNITS)


def power_of_ten(claimed: float, source: float) -> int | None:
    if claimed == 0 or source == 0:
        return None
    ratio = abs(claimed) / abs(source)
    if not math.isfinite(ratio) or ratio == 0:
        return None  # 1e308 against 0.3: no scale error explains it
    exponent = math.log10(ratio)
    rounded = round(exponent)
    if rounded != 0 and abs(exponent - rounded) < 1e-6:
        return int(rounded)
    return None


def fmt(value: float) -> str:
    if value == int(value) and abs(value) < 1e16:
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1e6 else f"{value:g}"


def describe(item: Evidence) -> str:
    return f"{item.text} ({fmt(item.value)} {item.unit})"


def scale_hint(exponent: int) -> str:
    hints = {
        4: "万 is 10^4, 亿 is 10^8: a 亿 read as 万 or the reverse",
        -4: "万 is 10^4, 亿 is 10^8: a 亿 read as 万 or the reverse",
        3: "million vs billion, or billion vs trillion",
        -3: "million vs billion, or billion vs trillion",
        8: "亿 is 10^8",
        -8: "亿 is 10^8",
    }
    return hints.get(exponent, "the value is scale-free: 1.7万亿元 is 1700000000000")


def prose_units(unit: str) -> frozenset[str]:
    if unit == "plain":
        return _PLAIN_UNITS
    if unit in COUNT_UNITS:
        return COUNT_UNITS
    return frozenset({unit})


def prose_unit_of(unit: str) -> str:
    return "percent" if unit in PERCENT_LIKE_UNITS else unit


def money_units() -> frozenset[str]:
    return MONEY_UNITS


def rounds_within(number: EnglishNumber, source: float) -> bool:
    """Whether ``source`` rounded to the precision the English states is the number, within the limit."""
    difference = abs(number.value - source)
    return difference <= number.precision * (1 + 1e-9) and difference <= ROUNDING_LIMIT * source


def approximation_problem(number: EnglishNumber, source: Evidence) -> str | None:
    """Why the number may not stand for ``source`` as a rounding of it; None when it may."""
    value = source.prose_value()
    figure, exact = source_figure(source), in_english(source)
    if number.qualifier not in APPROXIMATE:
        return f"is not the source's figure ({figure}) and is not marked as approximate; the source states {exact}"
    if abs(number.value - value) > number.precision * (1 + 1e-9):
        return f"is not {figure} rounded to the precision the English states; the source states {exact}"
    if abs(number.value - value) > ROUNDING_LIMIT * value:
        return (
            f"is too coarse a rounding of {figure}: an approximation may differ from the source's figure by at "
            f"most {ROUNDING_LIMIT:.0%}; the source states {exact}"
        )
    if number.qualifier == "nearly" and value > number.value:
        return f"says the figure is just below {in_english_value(number.value, number.unit)}, but the source's {figure} is above it"
    return None


def source_figure(item: Evidence) -> str:
    """The source's text with its English reading when that differs: "1.7万亿元 (1.7 trillion yuan)"."""
    english = in_english(item)
    return item.text if english == item.text else f"{item.text} ({english})"


def in_english(item: Evidence) -> str:
    """The source's figure as English prose states it exactly: 1.7万亿元 -> 1.7 trillion yuan."""
    return in_english_value(item.prose_value(), item.prose_unit())


def in_english_value(value: float, unit: str) -> str:
    text = f"{value:,.10g}"
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= scale:
            text = f"{value / scale:.10g} {word}"
            break
    suffix = {"percent": "%", "percentage_point": " percentage points", "CNY": " yuan", "times": " times"}.get(unit)
    if suffix is None and unit in UNITS and unit not in COUNT_UNITS and unit != "rank":
        suffix = f" {unit}"
    return text + (suffix or "")


def prose_qualifier_ok(prose: str | None, source: str) -> bool:
    """Whether the prose's qualifier is true to the source's.

    No qualifier in prose is fine unless the source bounds the number from above (近, 不到): "42%" for
    近42% overstates. "about" fits anything; "more than" needs a lower bound in the source; "nearly" /
    "less than" need an upper bound.
    """
    if prose is None:
        return source not in ("nearly", "less_than")
    if prose == "about":
        return True
    if prose == "more_than":
        return source == "more_than"
    return source in ("nearly", "less_than")


def best_match(
    candidates: list[Evidence],
    value: float,
    unit: str,
    taken: Collection[tuple[int, int]] = (),
    named: tuple[int, int] | None = None,
) -> Evidence:
    """The candidate a claimed value most likely reads: same value and unit, then same value, then a
    power of ten away, then the nearest. Among equals, the one at the span the claim names
    (``named``), then one no other claim has read (``taken``: a quote holding 1.9% twice)."""

    def rank(item: Evidence) -> tuple[int, int, float, float]:
        same = same_value(abs(item.value), abs(value))
        unit_ok = units_compatible(unit, item.unit)
        weak = 0 if item.is_fact else 1
        place = 0.0 if (item.start, item.end) == named else 1.0 if (item.start, item.end) in taken else 0.5
        if same and unit_ok:
            return (0, weak, place, 0.0)
        if same:
            return (1, weak, place, 0.0)
        if unit_ok and power_of_ten(value, item.value) is not None:
            return (2, weak, place, 0.0)
        distance = abs(abs(item.value) - abs(value)) / max(abs(value), abs(item.value), 1e-9)
        return (3 if unit_ok else 4, weak, place, distance)

    return min(candidates, key=rank)
