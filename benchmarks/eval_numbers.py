"""Evaluate summarizer.rules.quantities against an external table of Chinese number test cases.

Usage: python benchmarks/eval_numbers.py [PATH] [--show N] [--only SOURCE_SUBSTRING]

PATH defaults to ../shared/testdata/numbers/cases.json relative to the repository root. The
table holds cases from the public test suites of microsoft/Recognizers-Text, Ailln/cn2an,
dongrixinyu/JioNLP and wenet-e2e/WeTextProcessing (see the README next to it).

The sources follow conventions of their own; a case counts as *agreed* when our result says the
same thing under the mapping below, not when it is byte-for-byte identical:

* Recognizers-Text resolves 个百分点 as a percent: our ``percentage_point`` value is compared
  with its percent value. Its spans leave measure words out (199个 -> "199"): our span only has
  to overlap its span. Approximate forms resolve to the base value (500余万 -> 5000000, and
  "(50000000000,)" for 500多亿): our ``value`` is compared with the lower bound. Ranges compare
  both bounds, open bounds against our qualifier (more_than / less_than).
* 千分之 / 万分之 are percent in Recognizers-Text; ours are ``permille`` / ``basis_point``.
* JioNLP's money parser assumes 元 when no currency is written (三百万 -> 3000000 元): a bare
  ``number`` of ours agrees when the value does. Its blurred ranges (3000多欧元 -> [3000, 4000])
  agree on the lower bound.
* cn2an's ``invalid`` cases raise only in its strict mode; only those it rejects in its lenient
  modes too are scored (we parse leniently). Its an2cn ``rmb`` mode rounds to fen, so those cases
  are compared at two decimals.
* Whole-sentence rewrites (ITN), transforms, date periods, ages and temperatures are out of scope
  for the quantity finder and are listed as skipped with their counts.

The script never fails on a case: an exception is counted as a disagreement and shown.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from summarizer.rules.numerals import fold_width, parse_number  # noqa: E402
from summarizer.rules.quantities import Quantity, find_quantities, parse_quantity  # noqa: E402

DEFAULT_PATH = REPO_ROOT.parent / "shared" / "testdata" / "numbers" / "cases.json"

SKIPPED_TYPES: dict[str, str] = {
    "itn_rewrite": "whole-sentence inverse text normalisation, not extraction",
    "transform": "whole-sentence rewrite, not extraction",
    "dateperiod": "time expressions: find_periods, not quantities",
    "age": "ages are out of scope",
    "temperature": "temperatures are out of scope",
}
SKIPPED_NO_MATCH_MODELS: dict[str, str] = {"temperature": "temperature model is out of scope"}

CURRENCY_NAMES: dict[str, str] = {
    "元": "CNY", "人民币": "CNY", "港元": "HKD", "港币": "HKD", "美元": "USD", "日元": "JPY", "欧元": "EUR",
    "新台币": "TWD", "台币": "TWD", "泰铢": "THB", "卢布": "RUB", "澳元": "AUD", "韩元": "KRW", "英镑": "GBP",
    "Dollar": "USD",
}  # fmt: skip
CURRENCY_CODES = frozenset(CURRENCY_NAMES.values()) | {"CHF", "NGN", "CAD", "SGD", "INR"}

# Recognizers-Text dimension unit -> (our unit, how many of ours one of theirs is)
DIMENSION_UNITS: dict[str, tuple[str, float]] = {
    "Mu": ("mu", 1), "Kilogram": ("kg", 1), "Centimeter": ("cm", 1), "Ton": ("tonne", 1), "Meter": ("m", 1),
    "Kilometer": ("km", 1), "Gram": ("g", 1), "Kilobit": ("bit", 1000), "Megabyte": ("MB", 1),
    "Kilobyte": ("KB", 1), "Megahertz": ("MHz", 1), "Hertz": ("Hz", 1), "Kilowatt": ("kW", 1),
    "Kilocalorie": ("kcal", 1), "Jin": ("jin", 1), "Microgram": ("μg", 1), "Bit": ("bit", 1),
}  # fmt: skip

RATIO_TO_PERCENT: dict[str, float] = {
    "percent": 1.0, "percentage_point": 1.0, "permille": 0.1, "basis_point": 0.01, "fraction": 100.0,
}  # fmt: skip
NUMBER_LIKE = frozenset({"number", "count", "rank", "fraction"})


@dataclass
class Outcome:
    agreed: bool
    detail: str = ""


@dataclass
class Group:
    cases: int = 0
    agreed: int = 0
    failures: list[tuple[dict[str, Any], str]] = field(default_factory=list)


def close(a: float | None, b: float | None, *, decimals: int | None = None) -> bool:
    if a is None or b is None:
        return False
    if decimals is not None:
        return round(a, decimals) == round(b, decimals)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def to_float(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().rstrip("%")
    try:
        return float(text)
    except ValueError:
        return None


def parse_interval(value: str) -> tuple[float | None, float | None]:
    """'(20,35]' -> (20, 35); '(50000000000,)' -> (5e10, None)."""
    inner = value.strip()[1:-1]
    low_text, _, high_text = inner.partition(",")
    return to_float(low_text) if low_text.strip() else None, to_float(
        high_text
    ) if high_text.strip() else None


def bounds(quantity: Quantity, value: float | None) -> tuple[float | None, float | None]:
    if quantity.value_max is not None:
        return value, quantity.value_max * (value / quantity.value if quantity.value and value else 1.0)
    if quantity.qualifier == "more_than":
        return value, None
    if quantity.qualifier == "less_than":
        return None, value
    return value, value


def short_source(case: dict[str, Any]) -> str:
    repo, _, path = case["source"].partition(":")
    name = path.rsplit("/", 1)[-1]
    for suffix in (".json", ".py", ".txt"):
        name = name.removesuffix(suffix)
    return f"{repo.split('/')[-1]}/{name}"


def expected_span(case: dict[str, Any]) -> tuple[int, int] | None:
    """The expected span in the input: offsets from the source, else a search for the text."""
    text_input: str = case["input"]
    if isinstance(case.get("offset"), list):
        start, end = case["offset"]
        return int(start), int(end)
    if "start" in case and "end" in case and case.get("start") is not None:
        return int(case["start"]), int(case["end"]) + 1  # Recognizers-Text end is inclusive
    text = case.get("text")
    if text:
        index = text_input.find(text)
        if index >= 0:
            return index, index + len(text)
    return None


def overlapping(quantities: Iterable[Quantity], span: tuple[int, int] | None) -> list[Quantity]:
    if span is None:
        return list(quantities)
    start, end = span
    return [q for q in quantities if q.start < end and start < q.end]


def whole_string(case: dict[str, Any]) -> bool:
    text = case.get("text")
    if text is None:
        return False
    return fold_width(case["input"]).strip().lower() == fold_width(str(text)).strip().lower()


def candidates(case: dict[str, Any]) -> list[Quantity]:
    """Our quantities for the case's expected span (parse mode for whole-string inputs)."""
    if whole_string(case):
        parsed = parse_quantity(case["input"])
        if parsed is not None:
            return [parsed]
    return overlapping(find_quantities(case["input"]), expected_span(case))


def describe(quantities: list[Quantity]) -> str:
    if not quantities:
        return "nothing found"
    return "; ".join(
        f"{q.text!r}={q.value}{'..' + str(q.value_max) if q.value_max is not None else ''} {q.unit}"
        f"{' ' + q.qualifier if q.qualifier != 'exact' else ''}"
        for q in quantities
    )


# -- one function per case type -----------------------------------------------------------------


def eval_rt_number(case: dict[str, Any]) -> Outcome:
    expected = to_float(case["value"])
    found = candidates(case)
    for quantity in found:
        # The number inside 百分之五十 is the printed value, as is ours; a source without ranges
        # (前三 -> 3) agrees with either end of our range (ranks 1 to 3).
        if close(quantity.value, expected) or close(quantity.value_max, expected):
            return Outcome(True)
    return Outcome(False, describe(found))


def eval_percent(case: dict[str, Any]) -> Outcome:
    expected = to_float(case["value"])
    found = candidates(case)
    for quantity in found:
        factor = RATIO_TO_PERCENT.get(quantity.unit)
        if factor is None:
            continue
        # A range 5-20% agrees with a source that only finds 20%.
        for value in (quantity.value, quantity.value_max):
            if value is not None and close(value * factor, expected):
                return Outcome(True)
    return Outcome(False, describe(found))


def eval_ordinal(case: dict[str, Any]) -> Outcome:
    expected = to_float(case["value"])
    found = candidates(case)
    if any(q.unit == "rank" and close(q.value, expected) for q in found):
        return Outcome(True)
    return Outcome(False, describe(found))


def eval_range(case: dict[str, Any]) -> Outcome:
    low, high = parse_interval(str(case["value"]))
    found = candidates(case)
    for quantity in found:
        ours_low, ours_high = bounds(quantity, quantity.value)
        low_ok = low is None or close(ours_low, low)
        high_ok = high is None or close(ours_high, high)
        if low_ok and high_ok and (low is not None or high is not None):
            return Outcome(True)
    return Outcome(False, describe(found))


def eval_rt_currency(case: dict[str, Any]) -> Outcome:
    expected = to_float(case["value"])
    code = CURRENCY_NAMES.get(case["unit"], case["unit"])
    found = candidates(case)
    if expected is None:
        return Outcome(False, "currency name without an amount: not a quantity (convention)")
    if any(q.unit == code and close(q.value, expected) for q in found):
        return Outcome(True)
    return Outcome(False, describe(found))


def eval_dimension(case: dict[str, Any]) -> Outcome:
    expected = to_float(case["value"])
    unit, factor = DIMENSION_UNITS.get(case["unit"], (case["unit"], 1.0))
    found = candidates(case)
    if expected is not None and any(q.unit == unit and close(q.value, expected * factor) for q in found):
        return Outcome(True)
    return Outcome(False, describe(found))


def eval_cn2an_number(case: dict[str, Any]) -> Outcome:
    expected = to_float(case["value"])
    rmb = "rmb" in case.get("modes", [])
    value = None if rmb else parse_number(case["input"])
    if value is None:
        parsed = parse_quantity(case["input"])
        value = parsed.value if parsed is not None else None
    if close(value, expected, decimals=2 if rmb else None):
        return Outcome(True)
    return Outcome(False, f"got {value}")


def eval_digit_string(case: dict[str, Any]) -> Outcome:
    value = parse_number(case["input"])
    if close(value, to_float(case["value"])):
        return Outcome(True)
    return Outcome(False, f"got {value}")


def eval_invalid(case: dict[str, Any]) -> Outcome:
    value = parse_number(case["input"])
    if value is None:
        return Outcome(True)
    return Outcome(False, f"accepted as {value}")


def eval_money_parser(case: dict[str, Any]) -> Outcome:
    value = case["value"]
    low, high = (
        (to_float(value[0]), to_float(value[1])) if isinstance(value, list) else (to_float(value), None)
    )
    code = CURRENCY_NAMES.get(case["unit"], case["unit"])
    parsed = parse_quantity(case["input"])
    found = [parsed] if parsed is not None else find_quantities(case["input"])
    for quantity in found:
        unit_ok = quantity.unit == code or (quantity.unit == "number" and code == "CNY")
        high_ok = high is None or quantity.value_max is None or close(quantity.value_max, high, decimals=2)
        if unit_ok and high_ok and close(quantity.value, low, decimals=2):
            return Outcome(True)
    return Outcome(False, describe(found))


def eval_money_span(case: dict[str, Any]) -> Outcome:
    span = expected_span(case)
    found = overlapping(find_quantities(case["input"]), span)
    if span is None:
        return Outcome(False, "no span")
    for quantity in found:
        if quantity.unit in CURRENCY_CODES and quantity.start <= span[0] + 2 and quantity.end >= span[1] - 2:
            return Outcome(True)
    return Outcome(False, describe(found))


NO_MATCH_UNITS: dict[str, Callable[[Quantity], bool]] = {
    "number": lambda q: q.unit in NUMBER_LIKE,
    "percent": lambda q: q.unit in RATIO_TO_PERCENT,
    "currency": lambda q: q.unit in CURRENCY_CODES,
    "money": lambda q: q.unit in CURRENCY_CODES,
    "dimension": lambda q: (
        q.unit not in NUMBER_LIKE and q.unit not in RATIO_TO_PERCENT and q.unit not in CURRENCY_CODES
    ),
}


def any_quantity(quantity: Quantity) -> bool:
    return True


def eval_no_match(case: dict[str, Any]) -> Outcome:
    relevant = NO_MATCH_UNITS.get(case.get("model", ""), any_quantity)
    found = [q for q in find_quantities(case["input"]) if relevant(q)]
    return Outcome(not found, describe(found))


def evaluator(case: dict[str, Any]) -> Callable[[dict[str, Any]], Outcome] | None:
    kind = case["type"]
    source = case["source"]
    if kind == "no_match":
        return eval_no_match
    if "JioNLP" in source:
        if kind == "currency_span":
            return eval_money_span
        return eval_money_parser if kind in ("currency", "currency_range") else None
    if "cn2an" in source:
        return {"number": eval_cn2an_number, "digit_string": eval_digit_string, "invalid": eval_invalid}.get(
            kind
        )
    return {
        "number": eval_rt_number,
        "percent": eval_percent,
        "ordinal": eval_ordinal,
        "range": eval_range,
        "currency": eval_rt_currency,
        "dimension": eval_dimension,
    }.get(kind)


def scored_invalid(case: dict[str, Any], accepted_inputs: set[str]) -> bool:
    """cn2an strict-mode errors that its lenient modes accept are not errors for a lenient parser."""
    return case["input"] not in accepted_inputs


def skip_reason(case: dict[str, Any], accepted_inputs: set[str]) -> str | None:
    kind = case["type"]
    if kind in SKIPPED_TYPES:
        return SKIPPED_TYPES[kind]
    if kind == "no_match" and case.get("model") in SKIPPED_NO_MATCH_MODELS:
        return SKIPPED_NO_MATCH_MODELS[case["model"]]
    if kind == "invalid" and not scored_invalid(case, accepted_inputs):
        return "cn2an strict-mode error that its normal/smart modes accept"
    return None


def run(path: Path, show: int, only: str | None) -> None:
    cases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    accepted_inputs = {c["input"] for c in cases if "cn2an" in c["source"] and c["type"] == "number"}
    groups: dict[tuple[str, str], Group] = defaultdict(Group)
    skipped: Counter[tuple[str, str, str]] = Counter()
    for case in cases:
        if only and only not in case["source"]:
            continue
        source = short_source(case)
        reason = skip_reason(case, accepted_inputs)
        evaluate = None if reason else evaluator(case)
        if evaluate is None:
            skipped[(source, case["type"], reason or "no evaluator for this type")] += 1
            continue
        group = groups[(source, case["type"])]
        group.cases += 1
        try:
            outcome = evaluate(case)
        except Exception:  # a crash on one case must not stop the evaluation
            outcome = Outcome(False, "EXCEPTION " + traceback.format_exc(limit=2).replace("\n", " | "))
        if outcome.agreed:
            group.agreed += 1
        else:
            group.failures.append((case, outcome.detail))
    print_report(groups, skipped, show)


def print_report(
    groups: dict[tuple[str, str], Group], skipped: Counter[tuple[str, str, str]], show: int
) -> None:
    header = f"{'source':<44} {'type':<15} {'cases':>6} {'agreed':>7} {'rate':>7}"
    print(header)
    print("-" * len(header))
    total_cases = total_agreed = 0
    per_repo: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (source, kind), group in sorted(groups.items()):
        total_cases += group.cases
        total_agreed += group.agreed
        repo = source.split("/")[0]
        per_repo[repo][0] += group.cases
        per_repo[repo][1] += group.agreed
        print(
            f"{source:<44} {kind:<15} {group.cases:>6} {group.agreed:>7} {group.agreed / group.cases:>7.1%}"
        )
    print("-" * len(header))
    for repo, (cases, agreed) in sorted(per_repo.items()):
        print(f"{repo + ' (all types)':<44} {'':<15} {cases:>6} {agreed:>7} {agreed / cases:>7.1%}")
    if total_cases:
        print(
            f"{'OVERALL':<44} {'':<15} {total_cases:>6} {total_agreed:>7} {total_agreed / total_cases:>7.1%}"
        )
    if skipped:
        print("\nskipped (out of scope):")
        for (source, kind, reason), count in sorted(skipped.items()):
            print(f"  {source:<42} {kind:<15} {count:>5}  {reason}")
    if show:
        print(f"\ndisagreements (up to {show} per group):")
        for (source, kind), group in sorted(groups.items()):
            for case, detail in group.failures[:show]:
                print(f"  [{source} {kind}] {case['input'][:60]!r} expected {case.get('text')!r}="
                      f"{case.get('value')} {case.get('unit') or ''} | ours: {detail[:160]}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH, help="cases.json")
    parser.add_argument("--show", type=int, default=0, help="show up to N disagreements per group")
    parser.add_argument("--only", help="only sources containing this string")
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"no test table at {args.path}", file=sys.stderr)
        return 0
    run(args.path, args.show, args.only)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
