"""The closed vocabularies every step shares: status, qualifier, unit and the unit groups.

This is the only copy. The quantity parser reports these units, facts carry these statuses, the
briefing schema accepts exactly these values, and the verifier compares them; each imports them
from here.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "COUNT_UNITS",
    "MONEY_UNITS",
    "PERCENT_LIKE_UNITS",
    "QUALIFIERS",
    "RATE_UNITS",
    "STATUSES",
    "UNITS",
    "Qualifier",
    "Status",
    "Unit",
]

Status = Literal["actual", "estimate", "target"]
"""actual: reported as achieved; estimate: 预计/预期/有望 (a projection); target: 力争/目标/将/计划 (a goal)."""
STATUSES: tuple[str, ...] = get_args(Status)

Qualifier = Literal["exact", "more_than", "nearly", "about", "less_than"]
"""How the source bounds the number: 突破/超过/以上/不低于 -> more_than; 近/接近 -> nearly; 约/左右 -> about;
不到/不足/以下/低于 -> less_than; none -> exact."""
QUALIFIERS: tuple[str, ...] = get_args(Qualifier)

# fmt: off
Unit = Literal[
    # currencies (ISO 4217)
    "CNY", "USD", "EUR", "JPY", "HKD", "GBP", "KRW", "RUB", "THB", "AUD", "CAD", "TWD", "SGD", "CHF", "INR",
    "NGN",
    # ratios, counts and ranks
    "percent", "percentage_point", "permille", "basis_point", "fraction", "times", "rank", "count", "number",
    "point",
    # computing and data
    "PFlops", "EFlops", "TFlops", "bit", "byte", "KB", "MB", "GB", "TB", "PB", "EB", "Mbps", "Gbps", "Tbps",
    "Hz", "MHz", "GHz",
    # mass, length, area, volume
    "tonne", "tonne_km", "kg", "g", "mg", "μg", "jin", "km", "m", "cm", "mm", "nm", "μm", "nmi", "km2", "m2",
    "m3", "L", "mL", "barrel", "mu", "hectare", "ft", "ft2", "in", "mi",
    # temperature
    "degC",
    # energy and power
    "W", "kW", "MW", "GW", "kWh", "MWh", "GWh", "TWh", "kV", "kVA", "MVA", "kcal", "hp", "mAh",
    # transport and time
    "person_time", "passenger_km", "TEU", "s", "ms", "min", "h", "day",
]
# fmt: on
"""Units of the rule-based quantity extractor: money as ISO codes, ratios, counts, physical units."""
UNITS: tuple[str, ...] = get_args(Unit)

MONEY_UNITS: frozenset[str] = frozenset(UNITS[:16])
"""The currencies among :data:`UNITS`."""
COUNT_UNITS: frozenset[str] = frozenset({"count", "number"})
"""Things counted, with or without a measure word: interchangeable in a comparison."""
RATE_UNITS: frozenset[str] = frozenset({"percent", "percentage_point", "permille", "basis_point", "times"})
"""Units of a rate or a multiple: a change stated in them reads as growth or decline."""
PERCENT_LIKE_UNITS: frozenset[str] = frozenset({"fraction", "permille"})
"""Units that English prose states as percent (三分之一 -> 33.3%, 5‰ -> 0.5%)."""
