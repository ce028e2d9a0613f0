"""Check the development gold (``benchmarks/gold/*.json``) against the corpus it annotates.

Every span must hold its text in the decoded file, the file's SHA-256 must match, values, units,
qualifiers, statuses and periods must use the project's vocabulary, and figures must not overlap
each other. Exit 0 when all files are sound, 1 otherwise (each problem on one line).

Usage::

    .venv/bin/python benchmarks/check_gold.py [--corpus ../shared/corpus] [FILE.json ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from summarizer.briefing.models import PERIOD_PATTERN  # noqa: E402
from summarizer.vocab import QUALIFIERS, STATUSES, UNITS  # noqa: E402

GOLD_DIR = REPO / "benchmarks" / "gold"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
NON_QUANTITY_KINDS = {"year", "date", "time", "period", "name", "code", "ordinal", "class_label", "idiom", "other"}
BOILERPLATE_KINDS = {"metadata", "editor", "credit", "advert", "trailer", "other"}
_RATE = re.compile(r"^[A-Z]{3}/[a-z_]+$")


def check_file(path: Path, corpus: Path) -> list[str]:
    problems: list[str] = []
    gold: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    source = corpus / gold["file"]
    if not source.exists():
        return [f"{path.name}: {source} not found"]
    data = source.read_bytes()
    if hashlib.sha256(data).hexdigest() != gold.get("sha256"):
        problems.append(f"{path.name}: sha256 does not match {source.name}")
    original = data.decode("utf-8")
    date = gold.get("document_date")
    if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        problems.append(f"{path.name}: document_date {date!r} is not YYYY-MM-DD")

    def span_ok(kind: str, number: int, item: dict[str, Any]) -> bool:
        start, end, text = item.get("start"), item.get("end"), item.get("text")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(original):
            problems.append(f"{path.name}: {kind}[{number}] has a bad span {start}..{end}")
            return False
        if text is not None and original[start:end] != text:
            problems.append(
                f"{path.name}: {kind}[{number}] text {text!r} but the file has {original[start:end]!r} at {start}..{end}"
            )
            return False
        return True

    figures = gold.get("figures", [])
    for number, figure in enumerate(figures):
        if not span_ok("figures", number, figure):
            continue
        where = f"{path.name}: figures[{number}] {figure['text']!r}"
        if not isinstance(figure.get("value"), (int, float)):
            problems.append(f"{where}: value must be a number")
        if figure.get("value_max") is not None and figure["value_max"] < figure["value"]:
            problems.append(f"{where}: value_max below value")
        unit = figure.get("unit")
        if unit not in UNITS and not (isinstance(unit, str) and _RATE.match(unit)):
            problems.append(f"{where}: unknown unit {unit!r}")
        if unit == "count" and not figure.get("measure"):
            problems.append(f"{where}: a count needs its measure word")
        if figure.get("qualifier", "exact") not in QUALIFIERS:
            problems.append(f"{where}: unknown qualifier {figure.get('qualifier')!r}")
        if figure.get("status") not in STATUSES:
            problems.append(f"{where}: unknown status {figure.get('status')!r}")
        if figure.get("change") not in (None, "increase", "decrease"):
            problems.append(f"{where}: change must be increase, decrease or null")
        period = figure.get("period")
        if period is not None and not re.match(PERIOD_PATTERN, period):
            problems.append(f"{where}: period {period!r} is not ISO 8601 as the schema has it")
    ordered = sorted((f["start"], f["end"], n) for n, f in enumerate(figures) if isinstance(f.get("start"), int))
    for (_, end_a, a), (start_b, _, b) in pairwise(ordered):
        if start_b < end_a:
            problems.append(f"{path.name}: figures[{a}] and figures[{b}] overlap")
    for number, item in enumerate(gold.get("non_quantities", [])):
        if span_ok("non_quantities", number, item) and item.get("kind") not in NON_QUANTITY_KINDS:
            problems.append(f"{path.name}: non_quantities[{number}] has unknown kind {item.get('kind')!r}")
    for number, item in enumerate(gold.get("boilerplate", [])):
        if span_ok("boilerplate", number, item) and item.get("kind") not in BOILERPLATE_KINDS:
            problems.append(f"{path.name}: boilerplate[{number}] has unknown kind {item.get('kind')!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    files = args.files or sorted(GOLD_DIR.glob("*.json"))
    problems = [problem for path in files for problem in check_file(path, args.corpus)]
    for problem in problems:
        print(problem)
    figures = sum(len(json.loads(p.read_text(encoding="utf-8")).get("figures", [])) for p in files)
    print(f"{len(files)} file(s), {figures} figure(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
