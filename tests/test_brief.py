"""``summarizer brief``: offline replay of the seed, facts-only fallback, live runs, rendering."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from summarizer.briefing.models import Comparison, Metric, PageBriefing, UnverifiedClaim
from summarizer.layout.segment import segment_document
from summarizer.llm.answer import unmark
from summarizer.output.markdown import format_metric_value, format_period, render_markdown
from summarizer.pipeline import brief_file
from summarizer.settings import load_settings
from summarizer.testing.fake_openai import FakeOpenAIServer, FakeReply, FakeRequest
from summarizer.testing.reference_cassette import reference_answers
from summarizer.text.ingest import read_document

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
    # How long this takes is measured in benchmarks/bench_brief_offline.py, not asserted here.
    result = run_cli("brief", str(SEED), "--out", str(tmp_path / "out"), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
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
        from summarizer.layout.segment import segment_document
        from summarizer.text.ingest import read_document

        if not texts:
            for segment in segment_document(read_document(SEED)).segments:
                texts[segment.index] = segment.text[:60]
        user = unmark(next(m["content"] for m in request.messages if m.get("role") == "user"))
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
            pointer="/metrics/0/value", claim="13", problem="wrong_value", reason="the source says 12"
        )
    ]
    page = reference.model_copy(update={"articles": [article]})
    page = PageBriefing.model_validate(page.model_dump())
    text = render_markdown(page)
    figures, _, rest = text.partition("**Contradicted by the source (excluded from the briefing above)**")
    assert "the source says 12" not in figures and "the source says 12" in rest
    assert "1 claim(s) could not be verified" in text


def test_module_imports_stay_light() -> None:
    code = "import sys, summarizer.cli, summarizer.pipeline, summarizer.output.markdown; print(sorted(m for m in ('openai', 'instructor', 'vcr', 'diskcache') if m in sys.modules))"
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



# -- exit status, outputs, endpoints ------------------------------------------------------------------


def made_up_server() -> FakeOpenAIServer:
    """The reference answers, each (re-asks too) with a made-up headline clause and summary sentence."""
    answers = reference_answers(BRIEFING)
    page = segment_document(read_document(SEED))

    def respond(request: FakeRequest) -> FakeReply:
        user = unmark(next(m["content"] for m in request.messages if m.get("role") == "user"))
        index = next(s.index for s in page.segments if s.text[:60] in user)
        answer: dict[str, Any] = json.loads(json.dumps(answers[index]))
        answer["headline_en"] += " as output tops 9 trillion yuan"
        answer["summary_en"] += " Exports rose 37% to 4.2 trillion yuan in 2023."
        return FakeReply.json_for_request(answer)

    return FakeOpenAIServer(responder=respond)


def test_cli_output_after_exhausted_reasks_verifies_cleanly(tmp_path: Path) -> None:
    """Re-asks run out: exit 1, and ``summarizer verify`` on the tool's own output passes."""
    with made_up_server() as server:
        env = clean_env(
            HOME=str(tmp_path),
            SUMMARIZER_BASE_URL=server.base_url,
            SUMMARIZER_MODEL="fake-model",
            SUMMARIZER_API_KEY=SECRET,
        )
        out = tmp_path / "out"
        result = run_cli("brief", str(SEED), "--out", str(out), "--max-reasks", "1", cwd=tmp_path, env=env)
    assert result.returncode == 1, result.stderr
    produced = out / "000_4e8de9e190906468.briefing.json"
    data = json.loads(produced.read_text(encoding="utf-8"))
    for article in data["articles"]:
        assert "withheld" in article["headline_en"] and "9 trillion" not in article["headline_en"]
        claims = [(u["pointer"], u["claim"]) for u in article["unverified"]]
        assert len(claims) == len(set(claims))
    markdown = (out / "000_4e8de9e190906468.briefing.md").read_text(encoding="utf-8")
    assert not [line for line in markdown.splitlines() if line.startswith("## ") and "9 trillion" in line]
    checked = run_cli("verify", str(SEED), str(produced), "--format", "json", cwd=tmp_path, env=env)
    assert checked.returncode == 0, checked.stdout[-2000:]


def facts_only_copy(tmp_path: Path) -> Path:
    """The seed's text as another input (no recording applies): the facts-only path."""
    other = tmp_path / "other_page.txt"
    other.write_text(SEED.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    return other


def test_facts_only_exit_status_follows_the_unverified_claims(tmp_path: Path) -> None:
    other = facts_only_copy(tmp_path)
    env = clean_env(HOME=str(tmp_path), PYTHONPATH=str(REPO))
    result = run_cli("brief", str(other), "--out", str(tmp_path / "out"), cwd=tmp_path, env=env)
    data = json.loads((tmp_path / "out" / "other_page.briefing.json").read_text(encoding="utf-8"))
    assert data["metadata"]["generated_by"] == "rules"
    unverified = sum(len(a["unverified"]) for a in data["articles"])
    assert result.returncode == (1 if unverified else 0), result.stderr
    if unverified:
        assert "failed verification" in result.stderr


def test_exit_status_counts_unverified_claims_in_every_mode() -> None:
    from summarizer.pipeline import BriefResult

    reference = PageBriefing.model_validate_json(BRIEFING.read_text(encoding="utf-8"))
    assert BriefResult(reference, "rules").exit_code == 0
    flagged = reference.model_copy(deep=True)
    flagged.articles[0].unverified = [
        UnverifiedClaim(pointer="/metrics/0/value", claim="13", problem="wrong_value", reason="the source says 12")
    ]
    for mode in ("rules", "replay", "llm"):
        assert BriefResult(flagged, mode).exit_code == 1


def test_facts_only_growth_rates_read_as_changes_and_verify(tmp_path: Path) -> None:
    from summarizer.output.markdown import reads_as_change
    from summarizer.pipeline import verify_file

    other = facts_only_copy(tmp_path)
    settings = load_settings({"out_dir": tmp_path / "out"}, env={}, cwd=tmp_path)
    result = brief_file(other, settings)
    assert result.mode == "rules"
    hunan = result.briefing.articles[0]
    growth = next(m for m in hunan.metrics if m.indicator_zh == "数字经济总量" and m.unit == "percent")
    assert growth.value == 15 and growth.comparison is None
    assert growth.indicator_en.startswith("growth of ") and reads_as_change(growth.indicator_en)
    assert format_metric_value(growth) == "+15%"
    decline = next(m for m in hunan.metrics if m.source_quote.endswith("下降8.5%"))
    assert decline.value == -8.5 and decline.indicator_en.startswith("decline in ")
    assert format_metric_value(decline) == "-8.5%"
    # A level stays a level: the size of the digital economy is not signed.
    level = next(m for m in hunan.metrics if m.indicator_zh == "数字经济总量" and m.unit == "CNY")
    assert not reads_as_change(level.indicator_en) and format_metric_value(level) == "over CNY 1.7 trn"
    markdown = (tmp_path / "out" / "other_page.briefing.md").read_text(encoding="utf-8")
    assert f"| {growth.indicator_en} | +15% |" in markdown
    assert "| size of the digital economy | 15% |" not in markdown
    report = verify_file(other, tmp_path / "out" / "other_page.briefing.json")
    assert report.ok, [(c.pointer, c.claim, c.message) for c in report.failed()]


@pytest.mark.parametrize(
    ("label", "change", "unit", "translated", "expected"),
    [
        ("size of the digital economy", "increase", "percent", True, "growth of size of the digital economy"),
        ("energy consumption", "decrease", "percent", True, "decline in energy consumption"),
        ("tax revenue", "increase", "CNY", True, "increase in tax revenue"),
        ("enterprises", "decrease", "count", True, "decrease in enterprises"),
        ("(untranslated) 投资", "increase", "percent", False, "change in (untranslated) 投资"),
    ],
)
def test_change_indicators(label: str, change: str, unit: str, translated: bool, expected: str) -> None:
    from summarizer.rules.briefing import change_indicator

    assert change_indicator(label, change, unit, translated=translated) == expected


def test_change_metrics_render_signed() -> None:
    assert format_metric_value(metric(11.4, "percent", indicator_en="change in (untranslated) 投资")) == "+11.4%"
    assert format_metric_value(metric(-8.5, "percent", indicator_en="decline in energy use")) == "-8.5%"
    assert format_metric_value(metric(3, "count", indicator_en="increase in quality benchmarks")) == "+3"
    assert format_metric_value(metric(15, "percent", indicator_en="share of exports")) == "15%"


def test_out_that_is_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    existing = tmp_path / "briefing.md"
    existing.write_text("keep me\n", encoding="utf-8")
    env = clean_env(HOME=str(tmp_path), PYTHONPATH=str(REPO))
    for out in (existing, existing / "sub"):
        result = run_cli("brief", str(SEED), "--out", str(out), cwd=tmp_path, env=env)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "internal error" not in result.stderr
        assert result.stderr.startswith("summarizer: error: --out must be a directory")
        assert result.stdout == ""
    assert existing.read_text(encoding="utf-8") == "keep me\n"


def test_out_from_the_environment_is_named_in_the_error(tmp_path: Path) -> None:
    from summarizer.errors import ConfigError

    existing = tmp_path / "file"
    existing.write_text("", encoding="utf-8")
    settings = load_settings(env={"SUMMARIZER_OUT_DIR": str(existing)}, cwd=tmp_path)
    with pytest.raises(ConfigError, match="SUMMARIZER_OUT_DIR must be a directory"):
        brief_file(SEED, settings)


def test_a_half_configured_endpoint_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    page = tmp_path / "t1.txt"
    page.write_text("湖南：测试\n本报讯 2023年，湖南省数字经济总量突破1.7万亿元，增长15%。\n", encoding="utf-8")
    env = clean_env(HOME=str(tmp_path), PYTHONPATH=str(REPO))
    out = tmp_path / "out"
    result = run_cli(
        "brief", str(page), "--base-url", "http://127.0.0.1:9/v1", "--api-key", SECRET, "--out", str(out),
        cwd=tmp_path, env=env,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and SECRET not in result.stderr
    assert "--model or SUMMARIZER_MODEL" in result.stderr and "--base-url" in result.stderr
    assert not out.exists()
    # A preset named in the environment without its key: the same.
    result = run_cli("brief", str(page), cwd=tmp_path, env={**env, "SUMMARIZER_PROVIDER": "deepseek"})
    assert result.returncode == 2 and "DEEPSEEK_API_KEY" in result.stderr
    # Nothing configured at all: the facts-only briefing, with a note saying what is missing.
    result = run_cli("brief", str(page), "--out", str(out), cwd=tmp_path, env=env)
    assert result.returncode in (0, 1) and "facts-only briefing" in result.stderr
    assert (out / "t1.briefing.json").is_file()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_an_unreachable_endpoint_is_one_line_suggesting_offline(tmp_path: Path) -> None:
    from summarizer.errors import LLMError

    endpoint = f"http://127.0.0.1:{closed_port()}/v1"
    env = {"OPENAI_API_KEY": SECRET, "SUMMARIZER_BASE_URL": endpoint, "SUMMARIZER_MODEL": "m"}
    settings = load_settings(
        {
            "out_dir": tmp_path / "out",
            "cache_dir": tmp_path / "cache",
            "max_transport_retries": 1,
            "retry_initial_wait": 0.01,
            "retry_max_wait": 0.02,
        },
        env=env,
        cwd=tmp_path,
    )
    with pytest.raises(LLMError) as caught:
        brief_file(SEED, settings)
    message = str(caught.value)
    assert "\n" not in message and SECRET not in message
    assert message.startswith(f"cannot reach the LLM endpoint {endpoint}")
    assert "--offline" in message and "2 attempt(s)" in message


def test_a_key_alone_explains_why_the_run_is_live(tmp_path: Path) -> None:
    from summarizer.llm.extract import ArticleOutcome, PageOutcome
    from summarizer.llm.pricing import Usage
    from summarizer.pipeline import _unreachable

    settings = load_settings(env={"OPENAI_API_KEY": SECRET}, cwd=tmp_path)
    error = (
        "article 1: https://api.openai.com/v1 failed 5 time(s), last: APIConnectionError: Connection error. "
        "([Errno -2] Name or service not known); try again later, or raise --max-retries / --timeout"
    )
    failed = ArticleOutcome(index=0, title="t", status="failed", article=None, error=error, unreachable=True)
    outcome = PageOutcome(None, [failed], Usage(), None, "v1", 0, 1)
    message = _unreachable(outcome, settings)
    assert message is not None and message.startswith("cannot reach the LLM endpoint https://api.openai.com/v1")
    assert "an API key is set in OPENAI_API_KEY" in message and "Name or service not known" in message
    assert "--offline" in message


FACTS_ONLY_FIXTURES = Path(__file__).parent / "fixtures" / "facts_only"
CORPUS = REPO.parent / "shared" / "corpus"


def _contradicted_in_facts_only(path: Path, tmp_path: Path) -> list[tuple[str, str]]:
    settings = load_settings({"out_dir": tmp_path / "out", "offline": True}, env={}, cwd=tmp_path)
    result = brief_file(path, settings)
    assert result.mode == "rules"
    return [(u.pointer, u.reason) for a in result.briefing.articles for u in a.unverified]


@pytest.mark.parametrize("path", sorted(FACTS_ONLY_FIXTURES.glob("*.txt")), ids=lambda p: p.stem)
def test_a_facts_only_briefing_is_never_contradicted_by_its_own_source(path: Path, tmp_path: Path) -> None:
    # The rules wrote it: a figure repeated in the headline, in one clause or in table cells, and a
    # byline on two lines must each be quoted where they stand, so the verifier confirms them.
    assert _contradicted_in_facts_only(path, tmp_path) == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not on this machine")
def test_facts_only_briefings_of_the_corpus_are_never_contradicted(tmp_path: Path) -> None:
    found = {p.name: c for p in sorted(CORPUS.glob("*.txt")) if (c := _contradicted_in_facts_only(p, tmp_path))}
    assert found == {}
