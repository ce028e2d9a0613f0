"""`summarizer verify` and `summarizer schema` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import REPO, SEED, run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "verify"
REFERENCE = REPO / "seeds" / "000_4e8de9e190906468.briefing.json"


def test_reference_briefing_verifies_with_exit_0() -> None:
    result = run_cli("verify", str(SEED), str(REFERENCE), "--format", "json")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True


def test_three_findings_and_exit_1() -> None:
    result = run_cli("verify", str(SEED), str(FIXTURES / "three_findings.briefing.json"), "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    failed = [claim for claim in report["claims"] if claim["verdict"] == "contradicted"]
    assert sorted(claim["problem"] for claim in failed) == ["not_in_source", "unsupported_number", "wrong_unit"]
    assert report["failures"] == 3 and report["exit_code"] == 1
    assert all(claim["message"] and claim["pointer"].startswith("/articles/") for claim in failed)
    table = run_cli("verify", str(SEED), str(FIXTURES / "three_findings.briefing.json"), "-f", "table")
    assert table.returncode == 1
    assert "not_in_source" in table.stdout and "wrong_unit" in table.stdout


def test_malformed_and_schema_invalid_briefings_exit_2_with_one_line() -> None:
    for name in ("malformed.briefing.json", "schema_invalid.briefing.json"):
        result = run_cli("verify", str(FIXTURES / "short_article.txt"), str(FIXTURES / name))
        assert result.returncode == 2, (name, result.stdout, result.stderr)
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr


def test_missing_source_exits_2(tmp_path: Path) -> None:
    result = run_cli("verify", str(tmp_path / "nope.txt"), str(REFERENCE))
    assert result.returncode == 2
    assert "file not found" in result.stderr


def test_schema_command_prints_the_committed_schema() -> None:
    result = run_cli("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == json.loads((REPO / "schemas" / "briefing.schema.json").read_text(encoding="utf-8"))


def test_a_quote_put_together_from_two_places_lists_its_pieces() -> None:
    from summarizer.briefing.io import load_briefing
    from summarizer.layout.segment import segment_document
    from summarizer.text.ingest import read_document
    from summarizer.verify import annotate_briefing

    page = segment_document(read_document(SEED))
    annotated = annotate_briefing(page, load_briefing(REFERENCE))
    original = page.document.original
    (metric,) = [m for m in annotated.articles[0].metrics if "产品创新强基" in m.source_quote]
    assert metric.span_pieces is not None
    assert "".join(original[p.start : p.end] for p in metric.span_pieces) == "实施“产品创新强基”项目106个"
    # Quotes across a joined line break are one piece: the break is layout, not text.
    joined = [m for m in annotated.articles[0].metrics if "小巨人”企业116家" in m.source_quote]
    assert joined and all(m.span_pieces is None for m in joined)
