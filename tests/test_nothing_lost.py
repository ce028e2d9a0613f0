"""Nothing lost, nothing hidden: against the fake OpenAI server.

* a transport failure during a re-ask keeps the best answer received before it;
* usage counts every attempt of every article, failed ones included (CLI line and JSON metadata);
* a partly verified answer from the cache says so and names --refresh;
* ``record`` writes a cassette only of successful exchanges, and only when every article was answered;
* the cache key leaves out the port of a server on this machine, never that of a remote one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from summarizer.errors import LLMAuthError
from summarizer.layout.segment import SegmentedPage
from summarizer.llm.answer import unmark
from summarizer.llm.cache import endpoint_identity
from summarizer.llm.extract import PageOutcome, extract_page
from summarizer.pipeline import Analysis, analyse, brief, record_file
from summarizer.settings import Settings, load_settings
from summarizer.testing.fake_openai import FakeOpenAIServer, FakeReply, FakeRequest
from summarizer.testing.reference_cassette import reference_answers
from summarizer.text.ingest import read_document

from helpers import REPO, SEED

SECRET = "sk-nothing-lost-SECRET-77aa11bb"
BRIEFING = REPO / "seeds" / "000_4e8de9e190906468.briefing.json"
JIANGXI = 2  # its first metric is 12 条 chains; the corrupted answers change metric values


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse(read_document(SEED))


@pytest.fixture(scope="module")
def answers() -> dict[int, dict[str, Any]]:
    return reference_answers(BRIEFING)


def corrupted(answer: dict[str, Any], wrong_metrics: int) -> dict[str, Any]:
    """``answer`` with its first ``wrong_metrics`` metric values off by one."""
    copy: dict[str, Any] = json.loads(json.dumps(answer))
    for metric in copy["metrics"][:wrong_metrics]:
        metric["value"] += 1
    return copy


def article_of(request: FakeRequest, page: SegmentedPage) -> int:
    user = next((m.get("content") for m in request.messages if m.get("role") == "user"), "") or ""
    return next(s.index for s in page.segments if s.text[:60] in unmark(user))


def asks_before(request: FakeRequest) -> int:
    return sum(1 for m in request.messages if m.get("role") == "assistant")


def responder(
    page: SegmentedPage,
    answers: dict[int, dict[str, Any]],
    replies: dict[tuple[int, int], Callable[[dict[str, Any]], FakeReply]] | None = None,
) -> Callable[[FakeRequest], FakeReply]:
    """Reference answers, except ``replies[(article, ask)]`` (ask 0 first, 1 the first re-ask …)."""
    special = replies or {}

    def respond(request: FakeRequest) -> FakeReply:
        index = article_of(request, page)
        make = special.get((index, asks_before(request)))
        return make(answers[index]) if make else FakeReply.json_for_request(answers[index])

    return respond


def settings_for(server: FakeOpenAIServer, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "base_url": server.base_url,
        "model": "fake-model",
        "api_key": SECRET,
        "cache_dir": tmp_path / "cache",
        "out_dir": tmp_path / "out",
        "log_calls": False,
        "retry_initial_wait": 0.01,
        "retry_max_wait": 0.02,
        "max_transport_retries": 1,
        "timeout": 5.0,
    }
    values.update(overrides)
    return load_settings(values, env={}, cwd=tmp_path)


def run(analysis: Analysis, settings: Settings) -> PageOutcome:
    return extract_page(analysis.page, settings, facts=analysis.facts)


def failing_503(_answer: dict[str, Any]) -> FakeReply:
    return FakeReply.error(503)


# -- a re-ask cut short keeps the best answer -------------------------------------------------------------


def test_a_transport_failure_during_a_reask_keeps_the_first_answer(
    analysis: Analysis, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    replies = {(JIANGXI, 0): lambda a: FakeReply.json_for_request(corrupted(a, 1)), (JIANGXI, 1): failing_503}
    with FakeOpenAIServer(responder=responder(analysis.page, answers, replies)) as server:
        outcome = run(analysis, settings_for(server, tmp_path))
        assert server.request_count == 4 + 2  # Jiangxi: the answer, then the re-ask tried twice
    jiangxi = outcome.articles[JIANGXI]
    assert jiangxi.status == "partially_verified"
    assert jiangxi.article is not None, "the first, partly verifiable answer was lost"
    assert jiangxi.article.unverified[0].pointer == "/metrics/0/value"
    assert len(jiangxi.article.metrics) == len(answers[JIANGXI]["metrics"]) - 1  # the rest verified
    assert jiangxi.error is not None and "HTTP 503" in jiangxi.error
    assert outcome.briefing is not None and [a.index for a in outcome.briefing.articles] == [0, 1, 2, 3]
    assert any("before a re-ask failed" in note and "HTTP 503" in note for note in outcome.notes)
    assert outcome.usage.requests == server.request_count


def test_an_answer_cut_short_is_not_cached_so_the_next_run_asks_again(
    analysis: Analysis, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    replies = {(JIANGXI, 0): lambda a: FakeReply.json_for_request(corrupted(a, 1)), (JIANGXI, 1): failing_503}
    with FakeOpenAIServer(responder=responder(analysis.page, answers, replies)) as server:
        run(analysis, settings_for(server, tmp_path))
    with FakeOpenAIServer(responder=responder(analysis.page, answers)) as healthy:
        second = run(analysis, settings_for(healthy, tmp_path))
        assert healthy.request_count == 1  # only Jiangxi; the other three answers came from the cache
    assert [a.status for a in second.articles] == ["verified"] * 4


def test_when_reasks_run_out_the_best_answer_is_kept_not_the_last(
    analysis: Analysis, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    replies = {
        (JIANGXI, 0): lambda a: FakeReply.json_for_request(corrupted(a, 1)),
        (JIANGXI, 1): lambda a: FakeReply.json_for_request(corrupted(a, 3)),
    }
    with FakeOpenAIServer(responder=responder(analysis.page, answers, replies)) as server:
        outcome = run(analysis, settings_for(server, tmp_path, max_reasks=1))
    article = outcome.articles[JIANGXI].article
    assert article is not None
    assert [u.pointer for u in article.unverified if u.pointer.endswith("/value")] == ["/metrics/0/value"]
    assert len(article.metrics) == len(answers[JIANGXI]["metrics"]) - 1


# -- usage counts every attempt ---------------------------------------------------------------------------


def test_usage_and_cost_count_every_attempt_failed_ones_included(
    analysis: Analysis, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    replies = {
        (1, 0): failing_503,  # article 2 fails for good: three attempts
        (JIANGXI, 0): lambda a: FakeReply.json_for_request(corrupted(a, 1)),  # one re-ask
    }
    with FakeOpenAIServer(responder=responder(analysis.page, answers, replies)) as server:
        result = brief(analysis, settings_for(server, tmp_path, max_transport_retries=2))
        made = server.request_count
    assert made == 1 + 3 + 2 + 1
    assert result.outcome is not None and [a.status for a in result.outcome.articles] == [
        "verified", "failed", "verified", "verified",
    ]  # fmt: skip
    assert result.outcome.articles[1].requests == 3
    assert result.briefing.metadata.llm_calls == made
    assert any(line.startswith(f"usage: {made} request(s) (3 of them failed") for line in result.messages)
    assert result.exit_code == 1


# -- the cache says where a partly verified answer came from ------------------------------------------------


def test_a_partly_verified_answer_from_the_cache_says_so_and_names_refresh(
    analysis: Analysis, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    replies = {(JIANGXI, 0): lambda a: FakeReply.json_for_request(corrupted(a, 1))}
    with FakeOpenAIServer(responder=responder(analysis.page, answers, replies)) as server:
        settings = settings_for(server, tmp_path, max_reasks=0)
        first = brief(analysis, settings)
        second = brief(analysis, settings)
        assert server.request_count == 4
    assert not any("--refresh" in line for line in first.messages)
    (line,) = [line for line in second.messages if "--refresh" in line]
    assert "partly verified answer(s) came from the cache" in line and "article 3" in line
    assert line in (second.briefing.metadata.notes or "")
    assert second.exit_code == 1


# -- the cache key and local ports ---------------------------------------------------------------------------


def test_a_local_server_on_another_port_keeps_its_cached_answers(
    analysis: Analysis, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    with (
        FakeOpenAIServer(responder=responder(analysis.page, answers)) as first,
        FakeOpenAIServer(responder=responder(analysis.page, answers)) as second,
    ):
        assert second.base_url != first.base_url
        run(analysis, settings_for(first, tmp_path))
        outcome = run(analysis, settings_for(second, tmp_path))
        assert second.request_count == 0
    assert outcome.cache_hits == 4


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("http://127.0.0.1:41234/v1", "http://127.0.0.1:51234/v1", True),
        ("http://localhost:11434/v1", "http://127.0.0.1:11435/v1/", True),
        ("http://[::1]:8000/v1", "http://localhost:8001/v1", True),
        ("http://127.0.0.1:8000/v1", "http://127.0.0.1:8000/other/v1", False),
        ("https://api.example.com:8443/v1", "https://api.example.com:9443/v1", False),
        ("https://api.deepseek.com/v1", "https://api.openai.com/v1", False),
    ],
)
def test_only_a_loopback_port_is_left_out_of_the_key(one: str, other: str, same: bool) -> None:
    assert (endpoint_identity(one) == endpoint_identity(other)) is same


# -- record: only successful exchanges, only a complete recording -------------------------------------------------


def test_record_with_a_rejected_key_writes_no_cassette_and_keeps_the_old_one(tmp_path: Path) -> None:
    cassette = tmp_path / "rec" / "seed.cassette.yaml"
    cassette.parent.mkdir()
    cassette.write_text("# an earlier recording\n", encoding="utf-8")
    with (
        FakeOpenAIServer(responder=lambda request: FakeReply.error(401)) as server,
        pytest.raises(LLMAuthError),
    ):
        record_file(SEED, settings_for(server, tmp_path), cassette=cassette)
    assert cassette.read_text(encoding="utf-8") == "# an earlier recording\n"
    assert sorted(p.name for p in cassette.parent.iterdir()) == ["seed.cassette.yaml"]
    new = tmp_path / "rec" / "new.cassette.yaml"
    with (
        FakeOpenAIServer(responder=lambda request: FakeReply.error(401)) as server,
        pytest.raises(LLMAuthError),
    ):
        record_file(SEED, settings_for(server, tmp_path), cassette=new)
    assert not new.exists()


def test_record_keeps_only_successful_exchanges(
    analysis: Analysis, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    cassette = tmp_path / "seed.cassette.yaml"
    faults = [FakeReply.rate_limited(0.01), FakeReply.error(502), FakeReply.non_json()]
    with FakeOpenAIServer(replies=faults, responder=responder(analysis.page, answers)) as server:
        target, result = record_file(
            SEED, settings_for(server, tmp_path, max_transport_retries=3, concurrency=1), cassette=cassette
        )
        assert server.request_count == 7
    assert target == cassette and result.exit_code == 0
    assert result.messages[0].startswith(f"recorded {cassette}")
    document = yaml.safe_load(cassette.read_text(encoding="utf-8"))
    statuses = [i["response"]["status"]["code"] for i in document["interactions"]]
    assert statuses == [200, 200, 200, 200]
    assert all("choices" in i["response"]["body"]["json"] for i in document["interactions"])


def test_record_writes_nothing_when_an_article_failed(
    analysis: Analysis, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    cassette = tmp_path / "seed.cassette.yaml"
    with FakeOpenAIServer(responder=responder(analysis.page, answers, {(1, 0): failing_503})) as server:
        _, result = record_file(SEED, settings_for(server, tmp_path), cassette=cassette)
    assert not cassette.exists() and list(tmp_path.glob("*.recording")) == []
    assert result.messages[0] == (
        "nothing recorded: article 2 failed, and a recording must answer every article "
        "(no file written); run record again"
    )
    assert result.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "000_4e8de9e190906468.briefing.html", "000_4e8de9e190906468.briefing.json", "000_4e8de9e190906468.briefing.md",
    ]  # fmt: skip
