"""The LLM engine against the fake OpenAI server: transport faults, re-asks, modes, usage, logs."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from summarizer.llm.calllog import read_call_log
from summarizer.llm.client import (
    LLMAuthError,
    LLMClient,
    LLMOutputTruncatedError,
    LLMRequestError,
    LLMUnavailableError,
    StructuredOutcome,
    compact_messages,
    parse_retry_after,
)
from summarizer.settings import Settings, load_settings
from summarizer.testing.fake_openai import FakeOpenAIServer, FakeReply, FakeRequest

from helpers import Figure

SECRET = "sk-test-DO-NOT-LEAK-0123456789abcdef"
SOURCE = "数字经济总量突破1.7万亿元，增长15%。"
GOOD = {"value": 1.7, "quote": "数字经济总量突破1.7万亿元"}
HALLUCINATED = {"value": 1.8, "quote": "数字经济总量突破1.8万亿元"}


def make_settings(server: FakeOpenAIServer, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "base_url": server.base_url,
        "model": "fake-model",
        "api_key": SECRET,
        "retry_initial_wait": 0.01,
        "retry_max_wait": 0.05,
        "timeout": 2.0,
        "cache_dir": tmp_path / "cache",
        "log_path": tmp_path / "calls.jsonl",
    }
    values.update(overrides)
    return load_settings(values, env={}, cwd=tmp_path)


def messages(source: str = SOURCE) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "Extract the figure. Keep {{ braces }} and {% tags %} literal."},
        {"role": "user", "content": f"<article>\n{source}\n</article>"},
    ]


def run(settings: Settings, msgs: Sequence[dict[str, str]] | None = None) -> StructuredOutcome[Figure]:
    async def go() -> StructuredOutcome[Figure]:
        async with LLMClient(settings) as client:
            return await client.structured(
                Figure,
                msgs or messages(),
                context={"source_text": SOURCE},
                label="article 1",
                reference_text=SOURCE,
            )

    return asyncio.run(go())


# -- transport faults that are retried ------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        FakeReply.rate_limited(0.05),
        FakeReply.error(500),
        FakeReply.error(502),
        FakeReply.error(503),
        FakeReply.drop(),
        FakeReply.truncated(),
        FakeReply.non_json(),
        FakeReply.hang(5.0),
    ],
    ids=["429", "500", "502", "503", "drop", "truncated", "non_json", "timeout"],
)
def test_transient_fault_is_retried_then_succeeds(fault: FakeReply, tmp_path: Path) -> None:
    with FakeOpenAIServer(replies=[fault, fault, FakeReply.json_for_request(GOOD)]) as server:
        outcome = run(make_settings(server, tmp_path, timeout=0.3))
        assert server.request_count == 3
    assert outcome.value is not None and outcome.value.model_dump() == GOOD
    assert outcome.asks == 1 and outcome.reasks == 0
    assert [a.outcome == "ok" for a in outcome.attempts] == [False, False, True]
    assert [a.attempt for a in outcome.attempts] == [1, 2, 3]


def test_retry_after_is_honoured(tmp_path: Path) -> None:
    replies = [FakeReply.rate_limited(0.3), FakeReply.json_for_request(GOOD)]
    with FakeOpenAIServer(replies=replies) as server:
        outcome = run(make_settings(server, tmp_path))
        first, second = server.requests
    assert outcome.value is not None
    assert outcome.attempts[0].retry_after_s == pytest.approx(0.3)
    assert outcome.attempts[0].wait_s == pytest.approx(0.3)
    assert second.arrived_at - first.arrived_at >= 0.29


def test_retry_after_longer_than_the_cap_fails_fast(tmp_path: Path) -> None:
    with FakeOpenAIServer(replies=[FakeReply.rate_limited(3600)]) as server:
        with pytest.raises(LLMUnavailableError, match="asks to wait 3600 s"):
            run(make_settings(server, tmp_path))
        assert server.request_count == 1


def test_persistent_failure_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    with FakeOpenAIServer(responder=lambda request: FakeReply.error(503)) as server:
        with pytest.raises(LLMUnavailableError, match=r"failed 3 time\(s\).*HTTP 503") as info:
            run(make_settings(server, tmp_path, max_transport_retries=2))
        assert server.request_count == 3  # the SDK's own retries are off: only ours count
    assert "--max-retries" in str(info.value)


def test_no_retry_at_all_when_transport_retries_are_zero(tmp_path: Path) -> None:
    with FakeOpenAIServer(responder=lambda request: FakeReply.error(500)) as server:
        with pytest.raises(LLMUnavailableError):
            run(make_settings(server, tmp_path, max_transport_retries=0))
        assert server.request_count == 1


# -- client errors that are not retried -------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (400, LLMRequestError, "try --mode json"),
        (401, LLMAuthError, "authentication failed"),
        (403, LLMAuthError, "permission denied"),
        (404, LLMRequestError, "check --base-url"),
    ],
)
def test_client_errors_are_not_retried(
    status: int, error: type[Exception], message: str, tmp_path: Path
) -> None:
    with FakeOpenAIServer(responder=lambda request: FakeReply.error(status)) as server:
        with pytest.raises(error, match=message) as info:
            run(make_settings(server, tmp_path))
        assert server.request_count == 1
    assert SECRET not in str(info.value)


def test_authentication_error_names_the_key_variable(tmp_path: Path) -> None:
    with FakeOpenAIServer(responder=lambda request: FakeReply.error(401)) as server:
        settings = load_settings(
            {"provider": "deepseek", "base_url": server.base_url, "retry_initial_wait": 0.01},
            env={"DEEPSEEK_API_KEY": SECRET},
            cwd=tmp_path,
        ).replace(log_calls=False)
        with pytest.raises(LLMAuthError, match="set DEEPSEEK_API_KEY or pass --api-key"):
            run(settings)


def test_output_cut_at_max_tokens_is_a_clear_error(tmp_path: Path) -> None:
    reply = FakeReply.tool_call('{"value": 1.7, "quo', finish_reason="length")
    with (
        FakeOpenAIServer(replies=[reply]) as server,
        pytest.raises(LLMOutputTruncatedError, match="MAX_TOKENS"),
    ):
        run(make_settings(server, tmp_path))


# -- validation re-asks -------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_hallucinated_number_is_reasked_and_corrected(mode: str, tmp_path: Path) -> None:
    replies = [FakeReply.json_for_request(HALLUCINATED), FakeReply.json_for_request(GOOD)]
    with FakeOpenAIServer(replies=replies) as server:
        outcome = run(make_settings(server, tmp_path, mode=mode))
        first, second = server.requests
    assert outcome.value is not None and outcome.value.model_dump() == GOOD
    assert outcome.asks == 2 and outcome.reasks == 1
    assert bool(first.body and first.body.get("tools")) == (mode == "tools")
    feedback = second.messages[-1]["content"]
    assert "is not in the article" in feedback and "1.8" in feedback
    assert [m["role"] for m in second.messages][-2] == "assistant"


def test_exhausted_reasks_return_the_last_answer_not_an_exception(tmp_path: Path) -> None:
    with FakeOpenAIServer(responder=lambda request: FakeReply.json_for_request(HALLUCINATED)) as server:
        outcome = run(make_settings(server, tmp_path, max_reasks=2))
        assert server.request_count == 3
    assert outcome.value is None
    assert outcome.asks == 3
    assert outcome.validation_error is not None and "is not in the article" in outcome.validation_error
    last = outcome.last_completion
    assert last is not None
    arguments = last["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
    assert json.loads(arguments) == HALLUCINATED


def test_rate_limit_inside_a_reask_sequence_does_not_restart_it(tmp_path: Path) -> None:
    replies = [
        FakeReply.json_for_request(HALLUCINATED),
        FakeReply.rate_limited(0.01),
        FakeReply.json_for_request(GOOD),
    ]
    with FakeOpenAIServer(replies=replies) as server:
        outcome = run(make_settings(server, tmp_path))
        requests = server.requests
    assert outcome.value is not None and outcome.value.model_dump() == GOOD
    assert outcome.asks == 2
    # The retried request is the re-ask itself (with the feedback), not the original prompt again.
    assert requests[1].raw_body == requests[2].raw_body
    assert len(requests[2].messages) == len(requests[0].messages) + 2
    assert [(a.ask, a.attempt) for a in outcome.attempts] == [(0, 1), (1, 1), (1, 2)]


def test_reask_conversation_stays_bounded(tmp_path: Path) -> None:
    with FakeOpenAIServer(responder=lambda request: FakeReply.json_for_request(HALLUCINATED)) as server:
        run(make_settings(server, tmp_path, max_reasks=5))
        sizes = [len(r.messages) for r in server.requests]
    assert len(sizes) == 6
    assert sizes[0] == 2 and max(sizes) == 4


def test_compact_messages_keeps_prompt_and_latest_exchange() -> None:
    prompt = [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]
    history = [
        {"role": "assistant", "content": "a1"},
        {"role": "user", "content": "fix 1"},
        {"role": "assistant", "content": "a2"},
        {"role": "user", "content": "fix 2"},
    ]
    assert compact_messages(prompt) == prompt
    assert compact_messages(prompt + history) == [*prompt, *history[2:]]


# -- messages, usage, logs ------------------------------------------------------------------------------


def test_message_text_is_never_rendered_as_a_template(tmp_path: Path) -> None:
    source = "{{ 7 * 7 }} {% for x in y %}{# c #} 数字经济总量突破1.7万亿元"
    with FakeOpenAIServer(replies=[FakeReply.json_for_request(GOOD)]) as server:
        run(make_settings(server, tmp_path), messages(source))
        (request,) = server.requests
    assert request.messages[1]["content"] == f"<article>\n{source}\n</article>"
    assert "{{ braces }}" in request.messages[0]["content"]


def test_usage_is_summed_over_every_attempt(tmp_path: Path) -> None:
    replies = [
        FakeReply.error(500),
        FakeReply.json_for_request(HALLUCINATED),
        FakeReply.json_for_request(GOOD),
    ]
    with FakeOpenAIServer(replies=replies) as server:
        outcome = run(make_settings(server, tmp_path))
    answered = [a.usage for a in outcome.attempts if a.usage]
    assert len(answered) == 2
    # The failed attempt reported nothing: its prompt counts as counted here, and the totals say so.
    (failed,) = [a for a in outcome.attempts if a.outcome != "ok"]
    assert failed.prompt_tokens_estimate is not None and failed.prompt_tokens_estimate > 0
    usage = outcome.usage
    assert usage.prompt_tokens == sum(u["prompt_tokens"] for u in answered) + failed.prompt_tokens_estimate
    assert usage.completion_tokens == sum(u["completion_tokens"] for u in answered)
    assert usage.requests == 3 and usage.requests_without_usage == 1
    assert (usage.counted_prompt_tokens, usage.counted_completion_tokens) == (failed.prompt_tokens_estimate, 0)
    assert usage.source == "mixed" and usage.counter == "calibrated estimate" == failed.prompt_tokens_counter
    overhead = outcome.prompt_overhead_tokens
    assert overhead is not None and overhead > 0


def test_every_attempt_is_logged_without_the_key(tmp_path: Path) -> None:
    replies = [
        FakeReply.rate_limited(0.01),
        FakeReply.json_for_request(HALLUCINATED),
        FakeReply.json_for_request(GOOD),
    ]
    with FakeOpenAIServer(replies=replies) as server:
        settings = make_settings(server, tmp_path)
        run(settings)
    log_path = settings.effective_log_path
    text = log_path.read_text(encoding="utf-8")
    assert SECRET not in text
    records = list(read_call_log(log_path))
    assert [(r["ask"], r["attempt"], r["outcome"]) for r in records] == [
        (0, 1, "http_error"),
        (0, 2, "ok"),
        (1, 1, "ok"),
    ]
    assert "数字经济总量" in text  # prompts are logged readable, not \\u-escaped
    assert records[1]["request"]["messages"][1]["content"].startswith("<article>")


def test_concurrent_calls_share_the_concurrency_limit(tmp_path: Path) -> None:
    lock = threading.Lock()
    in_flight = 0
    peak = 0

    def respond(request: FakeRequest) -> FakeReply:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.3)
        with lock:
            in_flight -= 1
        return FakeReply.json_for_request(GOOD)

    with FakeOpenAIServer(responder=respond) as server:
        settings = make_settings(server, tmp_path, concurrency=3)

        async def go() -> None:
            async with LLMClient(settings) as client:
                await asyncio.gather(
                    *(
                        client.structured(Figure, messages(), context={"source_text": SOURCE})
                        for _ in range(7)
                    )
                )

        asyncio.run(go())
        assert server.request_count == 7
    assert peak == 3  # requests overlap, but never more than the limit


# -- Retry-After parsing ---------------------------------------------------------------------------------


def test_parse_retry_after_forms() -> None:
    now = time.time()
    later = format_datetime(datetime.fromtimestamp(now, UTC) + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after({"Retry-After": "7"}) == 7.0
    assert parse_retry_after({"retry-after": "0.25"}) == 0.25
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert parse_retry_after({"Retry-After": later}, now=now) == pytest.approx(30, abs=1)
    assert parse_retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert parse_retry_after({"Retry-After": "soon"}) is None
    assert parse_retry_after({}) is None
