"""Any malformed briefing given to ``summarizer verify`` is exit 2 with one line, never an internal error."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest

from summarizer.errors import BriefingFormatError
from summarizer.pipeline import verify_file

from helpers import REPO, SEED, run_cli

REFERENCE = REPO / "seeds" / "000_4e8de9e190906468.briefing.json"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"schema_version": NaN}', "not valid JSON (NaN is not a JSON value)"),
        ('{"schema_version": Infinity}', "not valid JSON (Infinity is not a JSON value)"),
        ('{"schema_version": -Infinity}', "not valid JSON (-Infinity is not a JSON value)"),
        ('{"schema_version": 1e999}', "not valid JSON (the number 1e999 is out of range)"),
        ('{"a": ' + "9" * 5000 + "}", "not valid JSON (an integer has more than 4300 digits)"),
        ("[" * 100_000 + "]" * 100_000, "not a briefing (JSON nested too deeply to read)"),
        ('{"a": 1', "not valid JSON (line 1, column 8: Expecting ',' delimiter)"),
        ("[]", "does not match the briefing schema at /: Input should be a valid dictionary or instance of PageBriefing; see schemas/briefing.schema.json"),
    ],
    ids=["nan", "infinity", "minus-infinity", "overflow", "huge-int", "deep-nesting", "truncated", "array"],
)
def test_malformed_json_is_exit_2_with_one_line(content: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.briefing.json"
    path.write_text(content, encoding="utf-8")
    result = run_cli("verify", str(SEED), str(path))
    assert result.returncode == 2, result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"summarizer: error: {path}: {message}"]


def _values_at(document: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON document (the first two items of each list only)."""
    paths = [path]
    if isinstance(document, dict):
        for key, value in document.items():
            paths += _values_at(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document[:2]):
            paths += _values_at(value, (*path, index))
    return paths


WRONG_VALUES: list[Any] = [
    None, "x", "NaN", "9" * 400, -1, 10**30, 1e308, [], {}, True, {"start": -5, "end": 3},
]  # fmt: skip


def test_wrong_types_anywhere_are_a_briefing_error_or_a_report(tmp_path: Path) -> None:
    """A sample of the briefing's fields, each replaced by a value of a wrong type or range: the
    verifier reports or the loader refuses; nothing else escapes (the CLI would call it exit 3)."""
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    paths = [p for p in _values_at(reference) if p]
    cases = random.Random(11).sample([(p, v) for p in paths for v in WRONG_VALUES], 120)
    path = tmp_path / "mutated.briefing.json"
    refused = reported = 0
    for where, value in cases:
        mutated = copy.deepcopy(reference)
        parent = mutated
        for key in where[:-1]:
            parent = parent[key]
        parent[where[-1]] = value
        path.write_text(json.dumps(mutated, ensure_ascii=False), encoding="utf-8")
        try:
            verify_file(SEED, path)
        except BriefingFormatError as error:
            assert "\n" not in str(error)
            refused += 1
        else:
            reported += 1
    assert refused > 50 and reported > 0


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "9" * 400])
def test_non_finite_numbers_as_strings_are_refused_by_the_schema(value: str, tmp_path: Path) -> None:
    """pydantic would read "NaN" or a 400-digit string as a float; a briefing figure must be finite."""
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    reference["articles"][0]["metrics"][0]["value"] = value
    path = tmp_path / "nan.briefing.json"
    path.write_text(json.dumps(reference, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(BriefingFormatError, match="at /articles/0/metrics/0/value: Input should be a finite number"):
        verify_file(SEED, path)


def test_briefing_from_stdin_and_both_from_stdin() -> None:
    import subprocess
    import sys

    def verify(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "summarizer", "verify", *args, "--format", "json"],
            input=REFERENCE.read_bytes(),
            capture_output=True,
            cwd=REPO,
            timeout=120,
            check=False,
        )

    assert verify(str(SEED), "-").returncode == 0
    both = verify("-", "-")
    assert both.returncode == 2
    assert both.stderr.decode().splitlines() == [
        "summarizer: error: SOURCE and BRIEFING cannot both be standard input (-): give one of them as a file"
    ]
