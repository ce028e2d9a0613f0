"""``summarizer batch --facts-only`` and ``summarizer export``: inputs, bad inputs, progress, tables.

Inputs are our own small pages (``helpers.page_text``); the corpus is used only by the README
queries test, which skips when ``/work/shared/corpus`` is absent.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import duckdb
import pytest

from summarizer.batch.export import export_directory
from summarizer.batch.inputs import expand_inputs
from summarizer.batch.manifest import MANIFEST_NAME, Manifest
from summarizer.batch.progress import PlainReporter, RichReporter
from summarizer.batch.runner import BatchReport, run_batch
from summarizer.errors import ConfigError, InputError
from summarizer.rules.facts import Fact
from summarizer.settings import load_settings

from helpers import REPO, run_cli, write_pages

CORPUS = Path("/work/shared/corpus")
BAD_INPUTS = {
    "binary.txt": (b"\x00\x01\x02 not text \x00" * 4, "binary content"),
    "empty.txt": (b"", "file is empty"),
    "undecodable.txt": (b"\xc3\x28\xa0\xa1\xff" * 10, "cannot decode"),
}


def facts_only(inputs: list[Any], out: Path, **options: Any) -> tuple[BatchReport, str]:
    stream = io.StringIO()
    settings = load_settings({}, env={})
    report = run_batch(inputs, out, settings, facts_only=True, workers=2, reporter=PlainReporter(stream), **options)
    return report, stream.getvalue()


def states(out: Path) -> dict[str, str]:
    with sqlite3.connect(out / MANIFEST_NAME) as db:
        return {Path(path).name: state for path, state in db.execute("SELECT path, state FROM inputs")}


def last_run(out: Path) -> dict[str, Any]:
    with sqlite3.connect(out / MANIFEST_NAME) as db:
        db.row_factory = sqlite3.Row
        return dict(db.execute("SELECT * FROM runs ORDER BY run_id DESC LIMIT 1").fetchone())


# -- inputs ------------------------------------------------------------------------------------------


def test_files_directories_and_globs_each_once_in_order(tmp_path: Path) -> None:
    write_pages(tmp_path / "a", 2)
    write_pages(tmp_path / "a" / "deeper", 1, start=5)
    (tmp_path / "a" / "notes.md").write_text("x", encoding="utf-8")
    (tmp_path / "a" / ".hidden").mkdir()
    (tmp_path / "a" / ".hidden" / "page.txt").write_text("x", encoding="utf-8")
    write_pages(tmp_path / "b", 2, start=10)
    out = tmp_path / "a" / "out"
    write_pages(out, 1, start=15)  # outputs of an earlier run are not inputs
    found = expand_inputs(
        [tmp_path / "a", str(tmp_path / "b" / "*.txt"), tmp_path / "a" / "page00.txt", tmp_path / "a" / "notes.md"],
        exclude=out,
    )
    names = [p.relative_to(tmp_path).as_posix() for p in found]
    assert names == ["a/deeper/page05.txt", "a/page00.txt", "a/page01.txt", "b/page10.txt", "b/page11.txt", "a/notes.md"]
    assert expand_inputs([str(tmp_path / "**" / "page1*.txt")], exclude=out)[-1].name == "page11.txt"
    assert [p.name for p in expand_inputs([tmp_path / "a"], pattern="*.md")] == ["notes.md"]


@pytest.mark.parametrize(
    ("argument", "message"),
    [("missing.txt", "file not found"), ("*.nothing", "no file matches"), ("empty-dir", "no input files")],
)
def test_unusable_arguments_are_input_errors(tmp_path: Path, argument: str, message: str) -> None:
    (tmp_path / "empty-dir").mkdir()
    with pytest.raises(InputError, match=message):
        expand_inputs([str(tmp_path / argument)])
    with pytest.raises(InputError, match="no input"):
        expand_inputs([])


# -- facts-only runs, bad inputs, resuming ------------------------------------------------------------


def test_a_bad_input_fails_alone_with_its_reason_and_the_others_finish(tmp_path: Path) -> None:
    pages = write_pages(tmp_path / "in", 4)
    for name, (data, _) in BAD_INPUTS.items():
        (tmp_path / "in" / name).write_bytes(data)
    # A UTF-16 byte-order mark before bytes that are not UTF-16 text: decodes, but holds no article.
    (tmp_path / "in" / "stray-bom.txt").write_bytes(b"\xff\xfe\xfd\x80\x81 hello \xc3\x28")
    out = tmp_path / "out"
    report, lines = facts_only([tmp_path / "in"], out)

    assert report.exit_code == 1
    failed = {Path(item.name).name: item.error for item in report.inputs if item.state == "failed"}
    assert set(failed) == {*BAD_INPUTS, "stray-bom.txt"}
    for name, (_, reason) in BAD_INPUTS.items():
        error = failed[name]
        assert error is not None and reason in error and name in error and "\n" not in error
    assert "no article" in (failed["stray-bom.txt"] or "")
    for page in pages:
        for suffix in (".facts.json", ".briefing.json", ".briefing.md"):
            assert (out / f"{page.stem}{suffix}").is_file()
    assert states(out) == {**{p.name: "done" for p in pages}, **dict.fromkeys(failed, "failed")}
    printed = lines.splitlines()
    assert len(printed) == len(pages) + len(failed) + 1
    assert sum(line.split()[1] == "failed" for line in printed[:-1]) == len(failed)
    assert printed[-1].startswith(f"{len(pages)} done, {len(failed)} failed, 0 skipped of {len(pages) + len(failed)}")

    # A re-run analyses only what did not finish; fixing an input makes it finish.
    (tmp_path / "in" / "empty.txt").write_text(pages[0].read_text(encoding="utf-8").replace("制造业", "工业"), "utf-8")
    again, _ = facts_only([tmp_path / "in"], out)
    assert last_run(out)["analysed"] == len(failed)
    assert sum(item.skipped for item in again.inputs) == len(pages)
    assert states(out)["empty.txt"] == "done"


def test_every_input_verified_exits_zero_and_a_rerun_analyses_nothing(tmp_path: Path) -> None:
    write_pages(tmp_path / "in", 3)
    out = tmp_path / "out"
    report, _ = facts_only([tmp_path / "in"], out)
    assert report.exit_code == 0 and report.analysed == 3
    again, lines = facts_only([tmp_path / "in"], out)
    assert again.exit_code == 0 and again.analysed == 0 and last_run(out)["analysed"] == 0
    assert all("skipped" in line for line in lines.splitlines()[:-1])
    (out / "page01.briefing.json").unlink()  # an output gone: that input is done again
    third, _ = facts_only([tmp_path / "in"], out)
    assert [Path(item.name).name for item in third.inputs if not item.skipped] == ["page01.txt"]


def test_inputs_with_the_same_name_get_their_own_outputs(tmp_path: Path) -> None:
    write_pages(tmp_path / "x", 1)
    write_pages(tmp_path / "y", 1)  # y/page00.txt beside x/page00.txt
    report, _ = facts_only([tmp_path / "x", tmp_path / "y"], tmp_path / "out")
    stems = {item.stem for item in report.inputs}
    assert len(stems) == 2 and "page00" in stems
    assert len(list((tmp_path / "out").glob("*.facts.json"))) == 2


def test_one_batch_at_a_time_per_directory(tmp_path: Path) -> None:
    write_pages(tmp_path / "in", 1)
    out = tmp_path / "out"
    with Manifest(out):
        with pytest.raises(ConfigError, match="another `summarizer batch`"):
            facts_only([tmp_path / "in"], out)
        result = run_cli("batch", str(tmp_path / "in"), "--out", str(out), "--facts-only")  # another process
        assert result.returncode == 2 and "another `summarizer batch` is writing" in result.stderr
    report, _ = facts_only([tmp_path / "in"], out)  # free again
    assert report.exit_code == 0


def test_cli_batch_prints_a_line_per_input_when_piped_and_exits_by_outcome(tmp_path: Path) -> None:
    write_pages(tmp_path / "in", 2)
    result = run_cli("batch", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--facts-only", "-j", "1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and lines[0].startswith("[1/2] done") and "claims verified" in lines[0]
    (tmp_path / "in" / "binary.txt").write_bytes(BAD_INPUTS["binary.txt"][0])
    result = run_cli("batch", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--facts-only")
    assert result.returncode == 1
    assert "failed" in result.stdout and "binary content" in result.stdout
    for arguments in (
        [str(tmp_path / "nothing-here.txt"), "--out", str(tmp_path / "out")],
        [str(tmp_path / "in"), "--out", str(tmp_path / "in" / "page00.txt")],
        [str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--workers", "0"],
    ):
        result = run_cli("batch", *arguments, "--facts-only")
        assert result.returncode == 2, arguments
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("summarizer: error: ")
        assert "Traceback" not in result.stderr


def test_the_live_display_shows_progress_failures_and_totals(tmp_path: Path) -> None:
    from rich.console import Console

    write_pages(tmp_path / "in", 2)
    (tmp_path / "in" / "binary.txt").write_bytes(BAD_INPUTS["binary.txt"][0])
    screen = io.StringIO()
    summary = io.StringIO()
    reporter = RichReporter(Console(file=screen, force_terminal=True, width=200), summary_stream=summary)
    report = run_batch(
        [tmp_path / "in"], tmp_path / "out", load_settings({}, env={}), facts_only=True, workers=1, reporter=reporter
    )
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert "failed" in shown and "binary content" in shown
    assert "3/3" in shown and "1 failed" in shown and "figures" in shown and "claims verified" in shown
    assert "ETA" in shown
    assert summary.getvalue().startswith("2 done, 1 failed, 0 skipped of 3 input(s)")
    assert report.exit_code == 1


# -- export -------------------------------------------------------------------------------------------


@pytest.fixture
def batch_dir(tmp_path: Path) -> Path:
    write_pages(tmp_path / "in", 4)
    (tmp_path / "in" / "binary.txt").write_bytes(BAD_INPUTS["binary.txt"][0])
    facts_only([tmp_path / "in"], tmp_path / "out")
    return tmp_path / "out"


def rows_of(database: Path, query: str, *parameters: Any) -> list[dict[str, Any]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        cursor = connection.execute(query, list(parameters))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def expected_row(fact: dict[str, Any]) -> dict[str, Any]:
    """A fact of ``summarizer facts --format json`` as the export should hold it."""
    renamed = {"segment": "article_index", "start": "span_start", "end": "span_end"}
    row: dict[str, Any] = {}
    for key, value in fact.items():
        name = renamed.get(key, key)
        if isinstance(value, dict):
            row.update({f"{name}_{k}": v for k, v in value.items()})
        elif isinstance(value, list):
            row[name] = json.dumps(value, ensure_ascii=False)
        else:
            row[name] = value
    if fact.get("change") == "decrease":  # one sign convention: declines are negative
        row["value"] = -abs(fact["value"])
    return row


def test_exported_facts_are_the_facts_command_with_declines_negative(batch_dir: Path, tmp_path: Path) -> None:
    database = tmp_path / "facts.duckdb"
    export_directory(batch_dir, database)
    inputs = sorted((tmp_path / "in").glob("page*.txt"))
    declines = 0
    for path in inputs:
        result = run_cli("facts", str(path), "--format", "json")
        assert result.returncode == 0, result.stderr
        expected = json.loads(result.stdout)["facts"]
        exported = rows_of(database, "SELECT * FROM facts WHERE document_id = ? ORDER BY fact_index", path.stem)
        assert len(exported) == len(expected) > 0
        for fact, row in zip(expected, exported, strict=True):
            want = expected_row(fact)
            for key, value in want.items():
                if key in row:
                    assert row[key] == value, key
                else:  # a nested object that is null: all its flattened columns are null
                    assert value is None and all(v is None for k, v in row.items() if k.startswith(key + "_")), key
            assert row["text"] == path.read_text(encoding="utf-8")[row["span_start"] : row["span_end"]]
            if fact["change"] == "decrease":
                declines += 1
                # negative in the export whether the facts JSON prints it negative or as printed
                assert row["value"] == -abs(fact["value"]) < 0 and row["change"] == "decrease"
    assert declines == len(inputs)  # each page states one decline (下降x.5%)


def test_every_field_of_the_fact_model_is_a_column(batch_dir: Path, tmp_path: Path) -> None:
    """Columns come from the model: a field added to Fact is exported without a change in export."""
    export_directory(batch_dir, tmp_path / "facts.duckdb")
    with duckdb.connect(str(tmp_path / "facts.duckdb"), read_only=True) as connection:
        columns = {row[0] for row in connection.execute("DESCRIBE facts").fetchall()}
    renamed = {"segment": "article_index", "start": "span_start", "end": "span_end"}
    for name in set(Fact.model_fields) - {"sentence"}:  # the facts JSON leaves the sentence out
        column = renamed.get(name, name)
        assert column in columns or any(c.startswith(column + "_") for c in columns), name
    assert {"comparison_kind", "comparison_baseline", "region_en", "region_city_en", "also_at"} <= columns


def test_documents_articles_and_claims_join_to_the_facts(batch_dir: Path, tmp_path: Path) -> None:
    database = tmp_path / "facts.duckdb"
    export_directory(batch_dir, database)
    documents = rows_of(database, "SELECT * FROM documents ORDER BY document_id")
    assert [d["state"] for d in documents].count("failed") == 1
    bad = next(d for d in documents if d["state"] == "failed")
    assert "binary content" in bad["error"] and bad["figures"] is None
    good = [d for d in documents if d["state"] == "done"]
    assert all(d["generated_by"] == "rules" and len(d["sha256"]) == 64 and d["figures"] == 6 for d in good)
    articles = rows_of(database, "SELECT * FROM articles")
    assert len(articles) == 4 and all(a["region_en"] for a in articles)
    joined = rows_of(
        database,
        "SELECT c.value AS claimed, f.value AS fact, c.verdict FROM claims c JOIN facts f "
        "ON f.document_id = c.document_id AND f.span_start = c.value_span_start AND f.span_end = c.value_span_end "
        "WHERE c.kind = 'metric'",
    )
    assert len(joined) == len(rows_of(database, "SELECT * FROM claims WHERE kind = 'metric'")) > 0
    assert all(row["claimed"] == row["fact"] and row["verdict"] == "verified" for row in joined)


def test_contradicted_and_unconfirmed_claims_are_rows_with_their_verdict(batch_dir: Path, tmp_path: Path) -> None:
    path = batch_dir / "page02.briefing.json"
    briefing = json.loads(path.read_text(encoding="utf-8"))
    article = briefing["articles"][0]
    contradicted = {"pointer": "/metrics/1/value", "claim": "9.9", "problem": "wrong_value", "reason": "test entry"}
    article["unverified"].append(contradicted)
    doubt = {"pointer": "/metrics/0/period", "claim": "2023", "problem": "wrong_period", "reason": "coarser"}
    prose = {"pointer": "/summary_en", "claim": "ten", "problem": "unsupported_number", "reason": "a numeral"}
    article["unconfirmed"] = [doubt, prose]
    path.write_text(json.dumps(briefing, ensure_ascii=False), encoding="utf-8")
    database = tmp_path / "facts.duckdb"
    export_directory(batch_dir, database)
    found = rows_of(database, "SELECT * FROM claims WHERE verdict <> 'verified' ORDER BY claim_index")
    keys = ("document_id", "kind", "pointer", "claim", "verdict", "problem", "reason")
    assert [{k: row[k] for k in keys} for row in found][1:] == [
        {"document_id": "page02", "kind": "summary", **prose, "verdict": "unconfirmed"},
        {"document_id": "page02", "kind": "metric", **contradicted, "verdict": "contradicted"},
    ]
    metric = found[0]  # the metric itself, kept, marked unconfirmed with what is in doubt
    assert (metric["kind"], metric["pointer"], metric["verdict"], metric["problem"]) == (
        "metric", "/metrics/0", "unconfirmed", "wrong_period",
    )  # fmt: skip


def test_sqlite_parquet_and_csv_hold_the_same_tables(batch_dir: Path, tmp_path: Path) -> None:
    reference = export_directory(batch_dir, tmp_path / "x.duckdb")
    counts = {table: rows for _, table, rows in reference}
    assert counts == {"documents": 5, "articles": 4, "facts": 24, "claims": counts["claims"]} and counts["claims"] > 0
    values = [r["value"] for r in rows_of(tmp_path / "x.duckdb", "SELECT value FROM facts ORDER BY document_id, fact_index")]

    written = export_directory(batch_dir, tmp_path / "x.sqlite")
    assert {table: rows for _, table, rows in written} == counts
    with sqlite3.connect(tmp_path / "x.sqlite") as db:
        assert [v for (v,) in db.execute("SELECT value FROM facts ORDER BY document_id, fact_index")] == values

    written = export_directory(batch_dir, tmp_path / "x.parquet")
    assert {path.name for path, _, _ in written} == {f"x.{t}.parquet" for t in counts}
    parquet = str(tmp_path / "x.facts.parquet")
    assert [v for (v,) in duckdb.sql(f"SELECT value FROM '{parquet}' ORDER BY document_id, fact_index").fetchall()] == values

    written = export_directory(batch_dir, tmp_path / "x.csv")
    with (tmp_path / "x.facts.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == counts["facts"]
    assert sorted(float(r["value"]) for r in rows) == sorted(values)


def test_export_errors_are_one_line_and_exit_two(batch_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown format"):
        export_directory(batch_dir, tmp_path / "x.xlsx")
    (tmp_path / "not-a-batch").mkdir()
    result = run_cli("export", str(tmp_path / "not-a-batch"), "--to", str(tmp_path / "x.duckdb"))
    assert result.returncode == 2 and "manifest" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "x.duckdb").exists()
    result = run_cli("export", str(batch_dir), "--to", str(tmp_path / "x.duckdb"))
    assert result.returncode == 0, result.stderr
    assert [line.split("\t")[1] for line in result.stdout.splitlines()] == ["documents", "articles", "facts", "claims"]


# -- the README's queries on the corpus -----------------------------------------------------------------


def readme_queries() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Batch runs and the analysts' database", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL)


def test_the_readme_shows_three_queries() -> None:
    assert len(readme_queries()) == 3


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not on this machine")
def test_the_readme_queries_return_rows_on_the_corpus_export(tmp_path: Path) -> None:
    report, _ = facts_only([CORPUS], tmp_path / "out")
    assert report.tally.failed == 0
    database = tmp_path / "corpus.duckdb"
    export_directory(tmp_path / "out", database)
    for query in readme_queries():
        assert rows_of(database, query), query


def test_a_recorded_input_is_replayed_and_upgrades_its_facts_only_briefing(tmp_path: Path) -> None:
    from helpers import SEED

    page = write_pages(tmp_path / "in", 1)[0]
    out = tmp_path / "out"
    facts_only([SEED, page], out)
    stream = io.StringIO()
    offline = load_settings({"offline": True}, env={})
    report = run_batch([SEED, page], out, offline, workers=1, reporter=PlainReporter(stream))
    modes = {Path(item.name).name: (item.skipped, item.summary.mode if item.summary else None) for item in report.inputs}
    # the seed has a recording: its facts-only briefing is redone from it; the page has none: kept
    assert modes == {SEED.name: (False, "replay"), page.name: (True, "rules")}
    assert report.exit_code == 0
    briefing = json.loads((out / f"{SEED.stem}.briefing.json").read_text(encoding="utf-8"))
    assert briefing["metadata"]["generated_by"] == "reference"
