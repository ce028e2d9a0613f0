"""The document's date: where it is found, what --date changes, and what it resolves (own fixtures)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from summarizer.pipeline import verify_file

from helpers import run_cli

QUARTER = "据统计，一季度全市规模以上工业增加值同比增长5.2%。\n"

# (name, file text, --date, expected document_date, its source, period of the 5.2%)
CASES = [
    ("undated", "示例市工业运行\n" + QUARTER, None, None, None, None),
    ("flag on an undated text", "示例市工业运行\n" + QUARTER, "2022-04-26", "2022-04-26", "flag", "2022-Q1"),
    ("SOURCE header", "SOURCE: example.org/news/2022-04-26.html\n示例市工业运行\n" + QUARTER, None,
     "2022-04-26", "header", "2022-Q1"),
    ("front matter", "---\ntitle: 示例\ndate: 2021-07-15\n---\n示例市工业运行\n" + QUARTER, None,
     "2021-07-15", "front_matter", "2021-Q1"),
    ("full dateline", "示例市工业运行\n本报讯（2023年4月20日）" + QUARTER, None, "2023-04-20", "dateline", "2023-Q1"),
    ("the flag wins over the header", "SOURCE: example.org/news/2022-04-26.html\n示例市工业运行\n" + QUARTER,
     "2019-05-01", "2019-05-01", "flag", "2019-Q1"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "flag", "expected", "source", "period"), CASES, ids=[c[0] for c in CASES])
def test_document_date_and_the_periods_it_resolves(
    tmp_path: Path, name: str, text: str, flag: str | None, expected: str | None, source: str | None, period: str | None
) -> None:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    result = run_cli("facts", str(path), "--format", "json", *(["--date", flag] if flag else []))
    assert result.returncode == 0, result.stderr
    table = json.loads(result.stdout)
    assert (table["document_date"], table["document_date_source"]) == (expected, source)
    (growth,) = [f for f in table["facts"] if f["text"] == "5.2%"]
    assert growth["period"] == period


@pytest.mark.parametrize("bad", ["2022-02-30", "26/04/2022", "yesterday", "2022-4"])
def test_a_bad_date_is_one_line_and_exit_2(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "page.txt"
    path.write_text("示例市工业运行\n" + QUARTER, encoding="utf-8")
    for command in (["facts"], ["brief", "--offline", "--out", str(tmp_path / "out")], ["verify"]):
        extra = [str(tmp_path / "none.json")] if command == ["verify"] else []
        result = run_cli(command[0], str(path), *extra, *command[1:], "--date", bad)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.strip().splitlines() == [
            f"summarizer: error: --date {bad!r} is not a date: give it as YYYY-MM-DD, e.g. --date 2022-04-26"
        ]


def test_the_briefing_records_the_date_and_verify_uses_it(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("示例市工业运行\n" + QUARTER, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("brief", str(path), "--offline", "--date", "2022-04-26", "--out", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr
    briefing = out / "page.briefing.json"
    data = json.loads(briefing.read_text(encoding="utf-8"))
    assert (data["source"]["document_date"], data["source"]["document_date_source"]) == ("2022-04-26", "flag")
    (metric,) = [m for m in data["articles"][0]["metrics"] if m["value"] == 5.2]
    assert metric["period"] == "2022-Q1"
    # verify reads the date the briefing was made with, so the same source verifies the same way ...
    assert verify_file(path, briefing).ok
    # ... and a different --date makes the period wrong.
    report = verify_file(path, briefing, document_date=date(2020, 5, 1))
    assert any(c.problem == "wrong_period" and c.pointer.endswith("/period") for c in report.failed())
