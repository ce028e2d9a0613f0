"""``summarizer brief``: offline replay of the seed, facts-only fallback, live runs, rendering."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from summarizer.brief import brief_file
from summarizer.render import format_metric_value, format_period, render_markdown
from summarizer.schema import Comparison, Metric, PageBriefing, UnverifiedClaim
from summarizer.settings import load_settings
from summarizer.testing.fake_openai import FakeOpenAIServer, FakeReply, FakeRequest
from summarizer.testing.reference_cassette import reference_answers

from helpers import REPO, SEED, run_cli

SECRET = "sk-brief-test-SECRET-0c1d2e3f4a5b"
BRIEFING = REPO / "seeds" / "000_4e8de9e190906468.briefing.json"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a fresh clone with no key: no provider variables, no config file."""
    env = {
        k: v for k, v in os.environ.items() if not k.endswith("_API_KEY") and not k.startswith("SUMMARIZER_")
    }
    env.update(extra)
    return env


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection attempt other than to 127.0.0.1 fails the test."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"network access to {address!r} during an offline test")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


# -- the acceptance run: fresh clone, no key ----------------------------------------------------------


def test_seed_briefing_from_recordings_without_key_or_network(tmp_path: Path) -> None:
    env = clean_env(HOME=str(tmp_path), PYTHONPATH=str(REPO))
    started = time.monotonic()
    result = run_cli("brief", str(SEED), "--out", str(tmp_path / "out"), cwd=tmp_path, env=env)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 5.0, f"offline brief took {elapsed:.2f} s"
    markdown = (tmp_path / "out" / "000_4e8de9e190906468.briefing.md").read_text(encoding="utf-8")
    raw_json = (tmp_path / "out" / "000_4e8de9e190906468.briefing.json").read_text(encoding="utf-8")
    data = json.loads(raw_json)
    briefing = PageBriefing.model_validate(data)
    assert briefing.metadata.generated_by == "reference" and briefing.metadata.model is None
    assert "not a model's output" in (briefing.metadata.notes or "")
    assert [a.index for a in briefing.articles] == [0, 1, 2, 3]
    for article in briefing.articles:
        assert article.unverified == []
        assert article.verification is not None and article.verification.failed == 0
    assert "Hand-written reference briefing (not a model's output)" in markdown
    assert "## 1. Hunan" in markdown and "CNY 1.7 trn" in markdown and "+15% y/y" in markdown
    assert "湖南" in raw_json and "\\u6e56" not in raw_json  # Chinese as text, not escaped
    assert "replayed" in result.stderr and "1 of them re-ask" in result.stderr


def test_offline_replay_in_process_touches_no_network(no_network: None, tmp_path: Path) -> None:
    settings = load_settings(
        {"out_dir": tmp_path / "out", "cache_dir": tmp_path / "cache"}, env={}, cwd=tmp_path
    )
    result = brief_file(SEED, settings, offline=True)
    assert result.mode == "replay"
    assert result.outcome is not None
    assert [a.status for a in result.outcome.articles] == ["verified"] * 4
    reasked = result.outcome.articles[2]
    assert reasked.asks == 2  # the recorded wrong number was re-asked and corrected
    reference = PageBriefing.model_validate_json(BRIEFING.read_text(encoding="utf-8"))
    for produced, expected in zip(result.briefing.articles, reference.articles, strict=True):
        assert [m.value for m in produced.metrics] == [m.value for m in expected.metrics]
        assert produced.summary_en == expected.summary_en


def test_offline_flag_wins_over_a_configured_endpoint(no_network: None, tmp_path: Path) -> None:
    settings = load_settings(
        {"provider": "openai", "api_key": SECRET, "out_dir": tmp_path}, env={}, cwd=tmp_path
    )
    result = brief_file(SEED, settings, offline=True)
    assert result.mode == "replay"
    assert "offline mode" in (result.briefing.metadata.notes or "")


def test_without_recording_a_facts_only_briefing_says_what_is_missing(tmp_path: Path) -> None:
    other = tmp_path / "other_page.txt"
    other.write_text(SEED.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # another input, no recording
    settings = load_settings({"out_dir": tmp_path / "out"}, env={}, cwd=tmp_path)
    result = brief_file(other, settings)
    assert result.mode == "rules"
    metadata = result.briefing.metadata
    assert metadata.generated_by == "rules" and metadata.model is None
    assert "Configure an LLM endpoint" in (metadata.notes or "")
    markdown = (tmp_path / "out" / "other_page.briefing.md").read_text(encoding="utf-8")
    assert "Rule-based facts only" in markdown and "An LLM endpoint gives the full briefing" in markdown
    hunan = result.briefing.articles[0]
    assert hunan.metrics and all(m.span is not None for m in hunan.metrics)
    assert any("configure an LLM endpoint" in message for message in result.messages)


def test_format_option_writes_only_what_is_asked(tmp_path: Path) -> None:
    settings = load_settings({"out_dir": tmp_path}, env={}, cwd=tmp_path)
    result = brief_file(SEED, settings, formats="json")
    assert [p.name for p in result.outputs] == ["000_4e8de9e190906468.briefing.json"]


# -- live runs against the fake server ------------------------------------------------------------------


def reference_server() -> FakeOpenAIServer:
    answers = reference_answers(BRIEFING)
    texts: dict[int, str] = {}

    def respond(request: FakeRequest) -> FakeReply:
        from summarizer.ingest import read_document
        from summarizer.segment import segment_document

        if not texts:
            for segment in segment_document(read_document(SEED)).segments:
                texts[segment.index] = segment.text[:60]
        user = next(m["content"] for m in request.messages if m.get("role") == "user")
        index = next(i for i, text in texts.items() if text in user)
        return FakeReply.json_for_request(answers[index])

    return FakeOpenAIServer(responder=respond)


def test_live_brief_then_cached_brief_makes_no_requests(tmp_path: Path) -> None:
    with reference_server() as server:
        env = clean_env(
            HOME=str(tmp_path),
            SUMMARIZER_BASE_URL=server.base_url,
            SUMMARIZER_MODEL="fake-model",
            SUMMARIZER_API_KEY=SECRET,
        )
        first = run_cli("brief", str(SEED), "--out", str(tmp_path / "out"), cwd=tmp_path, env=env)
        assert first.returncode == 0, first.stderr
        assert server.request_count == 4
        second = run_cli("brief", str(SEED), "--out", str(tmp_path / "out2"), cwd=tmp_path, env=env)
        assert second.returncode == 0, second.stderr
        assert server.request_count == 4
    assert "cache: 0 hit(s), 4 miss(es)" in first.stderr and "cache: 4 hit(s), 0 miss(es)" in second.stderr
    assert "usage: 4 request(s)" in first.stderr and "USD 0.0000" in first.stderr
    assert "prompt overhead per call" in first.stderr
    data = json.loads((tmp_path / "out" / "000_4e8de9e190906468.briefing.json").read_text(encoding="utf-8"))
    assert data["metadata"]["generated_by"] == "llm" and data["metadata"]["model"] == "fake-model"
    assert data["metadata"]["usage"]["total_tokens"] > 0 and data["metadata"]["cost_usd"] == 0.0
    stats = run_cli("cache", "stats", cwd=tmp_path, env=env)
    assert "4 entries" in stats.stdout
    cleared = run_cli("cache", "clear", cwd=tmp_path, env=env)
    assert "removed 4" in cleared.stdout
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_authentication_failure_is_one_clear_line(tmp_path: Path) -> None:
    with FakeOpenAIServer(responder=lambda request: FakeReply.error(401)) as server:
        env = clean_env(HOME=str(tmp_path), OPENAI_API_KEY=SECRET)
        result = run_cli(
            "brief", str(SEED), "--base-url", server.base_url, "--provider", "openai", cwd=tmp_path, env=env
        )
    assert result.returncode == 2
    assert result.stderr.startswith("summarizer: error: authentication failed")
    assert "set OPENAI_API_KEY or pass --api-key" in result.stderr
    assert "Traceback" not in result.stderr and SECRET not in result.stderr


def test_record_then_replay_offline(tmp_path: Path) -> None:
    cassette = tmp_path / "rec" / "seed.cassette.yaml"
    with reference_server() as server:
        env = clean_env(HOME=str(tmp_path), SUMMARIZER_API_KEY=SECRET)
        recorded = run_cli(
            "record",
            str(SEED),
            "--base-url",
            server.base_url,
            "--model",
            "fake-model",
            "--cassette",
            str(cassette),
            cwd=tmp_path,
            env=env,
        )
        assert recorded.returncode == 0, recorded.stderr
        assert server.request_count == 4
    text = cassette.read_text(encoding="utf-8")
    assert text.startswith("# recorded from fake-model at http://127.0.0.1:")
    assert SECRET not in text and "authorization" not in text.lower()
    settings = load_settings(
        {"recordings_dir": cassette.parent, "out_dir": tmp_path / "out"}, env={}, cwd=tmp_path
    )
    # The seed's shipped reference recording is also found; the newest recording wins.
    os.utime(cassette)
    result = brief_file(SEED, settings, offline=True)
    assert result.recording == cassette
    metadata = result.briefing.metadata
    assert metadata.generated_by == "llm" and metadata.model == "fake-model"
    assert "recorded from fake-model" in (metadata.notes or "")


# -- rendering ---------------------------------------------------------------------------------------------


def metric(value: float, unit: str, **extra: Any) -> Metric:
    data: dict[str, Any] = {
        "indicator_zh": "指标",
        "indicator_en": "indicator",
        "value": value,
        "unit": unit,
        "status": "actual",
        "source_quote": "原文",
    }
    data.update(extra)
    return Metric.model_validate(data)


@pytest.mark.parametrize(
    ("built", "expected"),
    [
        (metric(1.7e12, "CNY", qualifier="more_than"), "over CNY 1.7 trn"),
        (metric(15, "percent", comparison=Comparison(kind="year_on_year")), "+15% y/y"),
        (metric(-8.5, "percent", comparison=Comparison(kind="year_on_year")), "-8.5% y/y"),
        (metric(8.96e10, "CNY"), "CNY 89.6 bn"),
        (metric(7e7, "CNY"), "CNY 70 mn"),
        (metric(133000, "count"), "133,000"),
        (
            metric(
                0.3, "percentage_point", comparison=Comparison(kind="above_baseline", baseline_en="national")
            ),
            "0.3 pp above national",
        ),
        (
            metric(8, "rank", comparison=Comparison(kind="rank_among", baseline_en="provinces")),
            "ranked 8th among provinces",
        ),
        (
            metric(81.1, "percent", comparison=Comparison(kind="change_from", from_value=79.5)),
            "81.1% (from 79.5%)",
        ),
        (metric(5200, "PFlops", qualifier="more_than"), "over 5,200 PFlops"),
        (metric(2.5, "times"), "2.5x"),
    ],
)
def test_metric_values_in_english_units(built: Metric, expected: str) -> None:
    assert format_metric_value(built) == expected


def test_periods_in_english() -> None:
    assert format_period("2023") == "2023"
    assert format_period("2023-01/2023-11") == "Jan–Nov 2023"
    assert format_period("2024-12-31") == "31 Dec 2024"
    assert format_period("2023-Q3") == "Q3 2023"
    assert format_period(None) == ""


def test_unverified_claims_are_shown_apart_from_the_briefing() -> None:
    reference = PageBriefing.model_validate_json(BRIEFING.read_text(encoding="utf-8"))
    article = reference.articles[2].model_copy(deep=True)
    article.unverified = [
        UnverifiedClaim(
            pointer="/metrics/0/value", claim="13", verdict="wrong_value", reason="the source says 12"
        )
    ]
    page = reference.model_copy(update={"articles": [article]})
    page = PageBriefing.model_validate(page.model_dump())
    text = render_markdown(page)
    figures, _, rest = text.partition("**Not verified (excluded from the briefing above)**")
    assert "the source says 12" not in figures and "the source says 12" in rest
    assert "1 claim(s) could not be verified" in text


def test_module_imports_stay_light() -> None:
    code = "import sys, summarizer.cli, summarizer.brief, summarizer.render; print(sorted(m for m in ('openai', 'instructor', 'vcr', 'diskcache') if m in sys.modules))"
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"


def test_cassettes_dir_is_found_from_any_working_directory(tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere.txt"
    shutil.copy(SEED, copy)  # same bytes, so the same recording applies
    settings = load_settings({"out_dir": tmp_path / "out"}, env={}, cwd=tmp_path)
    result = brief_file(copy, settings)
    assert result.mode == "replay"
