"""Score the rule-based facts against the hand-written development gold (``benchmarks/gold/``).

For every gold file, the corpus text it annotates is run through the rule path exactly as
``summarizer facts FILE`` runs it, and each gold figure is matched to a fact: the spans overlap and
the value (magnitude), the upper end of a range and the unit agree. Printed per file and overall:

* recall (gold figures found) and precision (facts that are gold figures; a fact that matches no
  figure is an error, and is named as inside a non-quantity or boilerplate span when it is);
* of the matched figures, how many have the right status, period, qualifier and change;
* the critical errors: a gold target or estimate reported as actual;
* the document date found against the gold's;
* with ``--errors`` (the default), every error.

Usage::

    .venv/bin/python benchmarks/eval_facts.py [--corpus ../shared/corpus] [--quiet] [GOLD.json ...]

Exit 0 always (it is a measurement); ``--require`` makes it exit 1 when a target in the issue
("recall >= 0.97, precision >= 0.97, status and period >= 0.90, no target or estimate as actual")
is missed.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from summarizer.pipeline import analyse_file  # noqa: E402
from summarizer.rules.facts import Fact  # noqa: E402

GOLD_DIR = REPO / "benchmarks" / "gold"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
_COUNTS = {"count", "number"}


@dataclass
class Score:
    gold: int = 0
    facts: int = 0
    matched: int = 0
    matched_facts: int = 0
    status_right: int = 0
    period_right: int = 0
    qualifier_right: int = 0
    change_right: int = 0
    labelled: int = 0
    label_right: int = 0
    critical: int = 0
    dates_right: int = 0
    dates: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("gold", "facts", "matched", "matched_facts", "status_right", "period_right",
                     "qualifier_right", "change_right", "labelled", "label_right", "critical", "dates_right",
                     "dates"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def ratio(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    def line(self, label: str) -> str:
        return (
            f"{label:<48} recall {self.ratio(self.matched, self.gold):.3f} ({self.matched}/{self.gold})  "
            f"precision {self.ratio(self.matched_facts, self.facts):.3f} ({self.matched_facts}/{self.facts})  "
            f"status {self.ratio(self.status_right, self.matched):.3f}  period {self.ratio(self.period_right, self.matched):.3f}  "
            f"qualifier {self.ratio(self.qualifier_right, self.matched):.3f}  change {self.ratio(self.change_right, self.matched):.3f}  "
            f"indicator {self.ratio(self.label_right, self.labelled):.3f}  critical {self.critical}"
        )


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(abs(a) - abs(b)) <= 1e-9 * max(abs(a), abs(b), 1.0)


def _units_agree(gold: str, fact: str) -> bool:
    return gold == fact or (gold in _COUNTS and fact in _COUNTS)


def _value_max(fact: Fact) -> float | None:
    # A decline's range is stored low..high in signed values (-10..-6 for 下降6—10℃): compare magnitudes.
    if fact.value_max is None or fact.value is None:
        return fact.value_max
    return max(abs(fact.value), abs(fact.value_max)) if fact.change == "decrease" else fact.value_max


def _low(fact: Fact) -> float | None:
    if fact.value is None:
        return None
    if fact.value_max is not None and fact.change == "decrease":
        return min(abs(fact.value), abs(fact.value_max))
    return fact.value


def _overlaps(figure: dict[str, Any], fact: Fact) -> bool:
    """The fact stands at the figure's span (its own span or one where it is restated, ``also_at``)."""
    spans = [(fact.start, fact.end), *fact.also_at]
    return any(start < figure["end"] and figure["start"] < end for start, end in spans)


def _matches(figure: dict[str, Any], fact: Fact) -> bool:
    return (
        _overlaps(figure, fact)
        and _same(_low(fact), figure["value"])
        and _same(_value_max(fact), figure.get("value_max"))
        and _units_agree(figure["unit"], fact.unit)
    )


def _same_label(gold: str, found: str | None) -> bool:
    """Indicator labels agree when one contains the other, ignoring scope words and spaces (a reader
    would accept 规模以上工业增加值 for 全省规模以上工业增加值)."""
    if not found:
        return False
    a = gold.replace(" ", "").removeprefix("全省").removeprefix("全市").removeprefix("全国")
    b = found.replace(" ", "").removeprefix("全省").removeprefix("全市").removeprefix("全国")
    return a in b or b in a


def _inside(spans: list[dict[str, Any]], fact: Fact) -> dict[str, Any] | None:
    return next((s for s in spans if s["start"] < fact.end and fact.start < s["end"]), None)


def score_file(path: Path, corpus: Path) -> Score:
    gold = json.loads(path.read_text(encoding="utf-8"))
    source = corpus / gold["file"]
    analysis = analyse_file(source)
    facts = list(analysis.facts.facts)
    score = Score(gold=len(gold["figures"]), facts=len(facts))
    name = gold["file"]
    found_date = getattr(analysis.facts, "document_date", None)
    if "document_date" in gold:
        score.dates = 1
        if found_date == gold["document_date"]:
            score.dates_right = 1
        else:
            score.errors.append(f"{name}: document date {found_date} (gold {gold['document_date']})")
    used: set[int] = set()
    for figure in gold["figures"]:
        candidates = [n for n, fact in enumerate(facts) if _matches(figure, fact) and (n not in used or fact.also_at)]
        where = f"{name} @{figure['start']} {figure['text']!r}"
        if not candidates:
            near = [f for f in facts if _overlaps(figure, f)]
            seen = "; found " + ", ".join(f"{f.text!r} = {f.value} {f.unit}" for f in near) if near else ""
            score.errors.append(f"{where}: missed ({figure['value']} {figure['unit']}){seen}")
            continue
        number = candidates[0]
        used.add(number)
        fact = facts[number]
        score.matched += 1
        if fact.status == figure["status"]:
            score.status_right += 1
        else:
            critical = figure["status"] in ("target", "estimate") and fact.status == "actual"
            score.critical += critical
            score.errors.append(
                f"{where}: status {fact.status} (gold {figure['status']}){'  <-- CRITICAL' if critical else ''}"
            )
        if fact.period == figure.get("period"):
            score.period_right += 1
        else:
            score.errors.append(f"{where}: period {fact.period} (gold {figure.get('period')})")
        if fact.qualifier == figure.get("qualifier", "exact"):
            score.qualifier_right += 1
        else:
            score.errors.append(f"{where}: qualifier {fact.qualifier} (gold {figure.get('qualifier', 'exact')})")
        if figure.get("indicator_zh"):
            score.labelled += 1
            if _same_label(figure["indicator_zh"], fact.indicator_zh):
                score.label_right += 1
            else:
                score.errors.append(f"{where}: indicator {fact.indicator_zh!r} (gold {figure['indicator_zh']!r})")
        if fact.change == figure.get("change"):
            score.change_right += 1
        else:
            score.errors.append(f"{where}: change {fact.change} (gold {figure.get('change')})")
    score.matched_facts = len(used)
    for number, fact in enumerate(facts):
        if number in used:
            continue
        inside = _inside(gold.get("boilerplate", []), fact) or _inside(gold.get("non_quantities", []), fact)
        what = f" inside {inside.get('kind')} {inside.get('text', '')!r}".removesuffix(" ''") if inside else ""
        score.errors.append(f"{name} @{fact.start} {fact.text!r}: not a gold figure ({fact.value} {fact.unit}){what}")
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the rule-based facts against benchmarks/gold/.")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--quiet", action="store_true", help="scores only, no error list")
    parser.add_argument("--require", action="store_true", help="exit 1 when a target of the issue is missed")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}; give --corpus", file=sys.stderr)
        return 2
    files = args.files or sorted(GOLD_DIR.glob("*.json"))
    total = Score()
    errors: list[str] = []
    for path in files:
        score = score_file(path, args.corpus)
        print(score.line(path.stem[:48]))
        total.add(score)
        errors.extend(score.errors)
    print(total.line("OVERALL"))
    print(f"document dates right: {total.dates_right}/{total.dates}")
    if not args.quiet:
        print(f"\n{len(errors)} error(s):")
        for error in errors:
            print("  " + error)
    met = (
        Score.ratio(total.matched, total.gold) >= 0.97
        and Score.ratio(total.matched_facts, total.facts) >= 0.97
        and Score.ratio(total.status_right, total.matched) >= 0.90
        and Score.ratio(total.period_right, total.matched) >= 0.90
        and total.critical == 0
    )
    print("targets met" if met else "targets NOT met")
    return 1 if args.require and not met else 0


if __name__ == "__main__":
    raise SystemExit(main())
