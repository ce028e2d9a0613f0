"""The fake OpenAI server against the real openai SDK, raw httpx and instructor.

Besides checking the fake, these tests pin down what openai 3.x and instructor 1.17 actually do on
each fault, which is what the retry layer is written against.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import instructor
import openai
import pytest
from instructor.core import InstructorRetryException
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionFunctionToolParam,
    ChatCompletionMessageFunctionToolCall,
)
from pydantic import BaseModel, field_validator

from summarizer.testing.fake_openai import (
    FakeOpenAIServer,
    FakeReply,
    FakeRequest,
    estimate_tokens,
    main,
)

API_KEY = "sk-test-very-secret-0123456789"
MESSAGES: list[Any] = [
    {"role": "user", "content": "工信部发布钢铁行业稳增长方案，粗钢产量控制在10亿吨以内。"}
]
TOOL: ChatCompletionFunctionToolParam = {
    "type": "function",
    "function": {
        "name": "Output",
        "parameters": {"type": "object", "properties": {"n": {"type": "integer"}}},
    },
}


class Item(BaseModel):
    name: str
    count: int

    @field_validator("count")
    @classmethod
    def count_not_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError("count must be non-negative")
        return value


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as srv:
        yield srv


def function_call(completion: ChatCompletion) -> ChatCompletionMessageFunctionToolCall:
    calls = completion.choices[0].message.tool_calls
    assert calls is not None
    assert isinstance(calls[0], ChatCompletionMessageFunctionToolCall)
    return calls[0]


def make_client(srv: FakeOpenAIServer, *, timeout: float = 2.0, max_retries: int = 0) -> openai.OpenAI:
    return openai.OpenAI(base_url=srv.base_url, api_key=API_KEY, max_retries=max_retries, timeout=timeout)


# -- ok replies ------------------------------------------------------------------------------------


def test_tool_call_reply_is_parsed_by_sdk_and_echoes_tool_name(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.tool_call({"n": 7}))
    completion = make_client(server).chat.completions.create(
        model="deepseek-chat",
        messages=MESSAGES,
        tools=[TOOL],
        tool_choice={"type": "function", "function": {"name": "Output"}},
    )
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    call = function_call(completion)
    assert call.type == "function"
    assert call.function.name == "Output"
    assert json.loads(call.function.arguments) == {"n": 7}
    assert completion.model == "deepseek-chat"
    assert completion.id.startswith("chatcmpl-")
    usage = completion.usage
    assert usage is not None
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    assert server.request_count == 1
    assert server.requests[0].tool_name == "Output"


def test_content_reply_plain_and_fenced(server: FakeOpenAIServer) -> None:
    client = make_client(server)
    server.push(FakeReply.content('{"n": 1}'), FakeReply.content('{"n": 2}', fenced=True))
    plain = client.chat.completions.create(model="m", messages=MESSAGES)
    fenced = client.chat.completions.create(model="m", messages=MESSAGES)
    assert plain.choices[0].finish_reason == "stop"
    assert plain.choices[0].message.content == '{"n": 1}'
    assert plain.choices[0].message.tool_calls is None
    assert fenced.choices[0].message.content == '```json\n{"n": 2}\n```'


def test_json_for_request_picks_shape_from_request(server: FakeOpenAIServer) -> None:
    client = make_client(server)
    server.push(*[FakeReply.json_for_request({"n": 3})] * 3)
    with_tools = client.chat.completions.create(model="m", messages=MESSAGES, tools=[TOOL])
    json_mode = client.chat.completions.create(
        model="m", messages=MESSAGES, response_format={"type": "json_object"}
    )
    md_json = client.chat.completions.create(model="m", messages=MESSAGES)
    assert function_call(with_tools).function.name == "Output"
    assert json_mode.choices[0].message.content == '{"n": 3}'
    assert md_json.choices[0].message.content == '```json\n{"n": 3}\n```'


def test_finish_reason_override(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.content('{"n": ', finish_reason="length"))
    completion = make_client(server).chat.completions.create(model="m", messages=MESSAGES)
    assert completion.choices[0].finish_reason == "length"


def test_usage_estimate_counts_cjk_per_character() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("钢铁行业") == 4
    assert estimate_tokens("abcdefgh") == 2


def test_models_endpoint(server: FakeOpenAIServer) -> None:
    models = make_client(server).models.list()
    assert [m.id for m in models.data] == ["fake-model"]
    assert server.requests[0].method == "GET" and server.requests[0].path == "/v1/models"


# -- HTTP errors -----------------------------------------------------------------------------------


def test_429_raises_rate_limit_error_with_retry_after(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.rate_limited(retry_after=3))
    with pytest.raises(openai.RateLimitError) as caught:
        make_client(server).chat.completions.create(model="m", messages=MESSAGES)
    error = caught.value
    assert error.status_code == 429
    assert error.response.headers["retry-after"] == "3"
    assert error.code == "rate_limit_exceeded"
    assert error.response.headers["content-type"] == "application/json"


def test_sdk_own_retry_honours_retry_after(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.rate_limited(retry_after=0.2), FakeReply.content("ok"))
    completion = make_client(server, max_retries=1).chat.completions.create(model="m", messages=MESSAGES)
    assert completion.choices[0].message.content == "ok"
    first, second = server.requests
    assert second.arrived_at - first.arrived_at >= 0.2
    assert second.headers["x-stainless-retry-count"] == "1"


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (500, openai.InternalServerError),
        (503, openai.InternalServerError),
        (400, openai.BadRequestError),
        (401, openai.AuthenticationError),
    ],
)
def test_status_errors_map_to_sdk_exceptions(
    server: FakeOpenAIServer, status: int, error_class: type[openai.APIStatusError]
) -> None:
    server.push(FakeReply.error(status, "injected failure", code="test_code"))
    with pytest.raises(error_class) as caught:
        make_client(server).chat.completions.create(model="m", messages=MESSAGES)
    assert caught.value.status_code == status
    assert caught.value.message.startswith(f"Error code: {status}")
    assert caught.value.body == {
        "message": "injected failure",
        "type": caught.value.type,
        "param": None,
        "code": "test_code",
    }


def test_unscripted_request_gets_clear_500(server: FakeOpenAIServer) -> None:
    with pytest.raises(openai.InternalServerError, match="no scripted reply for request #1"):
        make_client(server).chat.completions.create(model="m", messages=MESSAGES)


# -- latency and connection faults ---------------------------------------------------------------


def test_latency_delays_reply_and_combines_with_errors(server: FakeOpenAIServer) -> None:
    client = make_client(server)
    server.push(FakeReply.content("late", latency=0.3), FakeReply.error(503).with_latency(0.2))
    start = time.monotonic()
    assert client.chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content == "late"
    assert time.monotonic() - start >= 0.3
    start = time.monotonic()
    with pytest.raises(openai.InternalServerError):
        client.chat.completions.create(model="m", messages=MESSAGES)
    assert time.monotonic() - start >= 0.2


def _stops(server: FakeOpenAIServer) -> bool:
    """Whether ``server.stop()`` returns while a reply still hangs or a connection idles (a stop that
    blocked would wait out the 60 s hang; the 30 s allowance is no speed measurement)."""
    stopper = threading.Thread(target=server.stop, daemon=True)
    stopper.start()
    stopper.join(timeout=30)
    return not stopper.is_alive()


def test_hang_gives_timeout_error_and_does_not_block_stop() -> None:
    srv = FakeOpenAIServer([FakeReply.hang(seconds=60)]).start()
    with pytest.raises(openai.APITimeoutError) as caught:
        make_client(srv, timeout=0.5).chat.completions.create(model="m", messages=MESSAGES)
    assert type(caught.value.__cause__).__name__ == "ReadTimeout"
    assert _stops(srv)
    assert srv.request_count == 1


def test_drop_gives_connection_error(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.drop(), FakeReply.content("after drop"))
    client = make_client(server)
    with pytest.raises(openai.APIConnectionError) as caught:
        client.chat.completions.create(model="m", messages=MESSAGES)
    assert not isinstance(caught.value, openai.APITimeoutError)
    assert "without sending a response" in str(caught.value.__cause__)
    # The pool discards the dead connection; the next request opens a new one and succeeds.
    assert (
        client.chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content
        == "after drop"
    )
    first, second = server.requests
    assert first.connection != second.connection


def test_drop_sends_zero_bytes_on_raw_socket(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.drop())
    body = b'{"model": "m", "messages": []}'
    head = (
        f"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=2.0) as sock:
        sock.sendall(head + body)
        assert sock.recv(1024) == b""


def test_truncated_body_gives_connection_error(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.truncated())
    with pytest.raises(openai.APIConnectionError) as caught:
        make_client(server).chat.completions.create(model="m", messages=MESSAGES)
    assert not isinstance(caught.value, openai.APITimeoutError)
    assert "without sending complete message body" in str(caught.value.__cause__)


def test_truncated_body_on_raw_httpx(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.truncated(keep_fraction=0.5))
    with (
        httpx.Client(timeout=2.0) as client,
        client.stream(
            "POST", f"{server.base_url}/chat/completions", json={"model": "m", "messages": MESSAGES}
        ) as response,
    ):
        assert response.status_code == 200
        announced = int(response.headers["content-length"])
        with pytest.raises(httpx.RemoteProtocolError):
            response.read()
    assert announced > 0


def test_non_json_body_raises_plain_json_decode_error(server: FakeOpenAIServer) -> None:
    # openai 3.x parses the body outside its try/except, so this is json.JSONDecodeError,
    # NOT an openai.OpenAIError: a retry layer catching only OpenAIError misses it.
    server.push(FakeReply.non_json())
    with pytest.raises(json.JSONDecodeError) as caught:
        make_client(server).chat.completions.create(model="m", messages=MESSAGES)
    assert not isinstance(caught.value, openai.OpenAIError)


def test_non_json_body_on_raw_httpx(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.non_json("<html>oops</html>"))
    response = httpx.post(
        f"{server.base_url}/chat/completions", json={"model": "m", "messages": []}, timeout=2.0
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.text == "<html>oops</html>"
    assert response.headers["content-length"] == str(len("<html>oops</html>"))


def test_stop_is_fast_with_idle_keep_alive_connections() -> None:
    srv = FakeOpenAIServer([FakeReply.content("a")]).start()
    client = make_client(srv)  # its pool keeps the connection open after the request
    client.chat.completions.create(model="m", messages=MESSAGES)
    assert _stops(srv)
    client.close()


# -- recording, scripting, keep-alive ---------------------------------------------------------------


def test_keep_alive_reuses_one_connection(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.rate_limited(1), *[FakeReply.content("x")] * 3)
    client = make_client(server)
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(model="m", messages=MESSAGES)
    for _ in range(3):
        client.chat.completions.create(model="m", messages=MESSAGES)
    assert len({r.connection for r in server.requests}) == 1


def test_authorization_header_is_never_stored_unredacted(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.content("x"))
    make_client(server).chat.completions.create(model="m", messages=MESSAGES)
    make_client(server).models.list()
    for request in server.requests:
        assert request.headers["authorization"] == "Bearer ***"
        assert API_KEY not in repr(request)
        assert API_KEY.encode() not in request.raw_body
        assert all(API_KEY not in value for value in request.headers.values())


def test_request_record_has_parsed_body_and_order(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.content("1"), FakeReply.content("2"))
    client = make_client(server)
    client.chat.completions.create(model="m1", messages=MESSAGES)
    client.chat.completions.create(model="m2", messages=MESSAGES, temperature=0)
    first, second = server.requests
    assert (first.index, second.index) == (1, 2)
    assert first.method == "POST" and first.path == "/v1/chat/completions"
    assert first.model == "m1" and second.body is not None and second.body["temperature"] == 0
    assert first.messages == MESSAGES
    assert first.arrived_at <= second.arrived_at
    assert server.pending == 0


def test_responder_answers_when_queue_is_empty_and_reset_clears(server: FakeOpenAIServer) -> None:
    def respond(request: FakeRequest) -> FakeReply:
        return FakeReply.json_for_request({"n": len(request.messages)})

    server.responder = respond
    server.push(FakeReply.error(503))
    client = make_client(server)
    with pytest.raises(openai.InternalServerError):
        client.chat.completions.create(model="m", messages=MESSAGES)
    for _ in range(5):
        completion = client.chat.completions.create(model="m", messages=MESSAGES, tools=[TOOL])
        assert json.loads(function_call(completion).function.arguments) == {"n": 1}
    assert server.request_count == 6
    server.push(FakeReply.content("queued"))
    server.reset()
    assert server.request_count == 0 and server.requests == [] and server.pending == 0
    client.chat.completions.create(model="m", messages=MESSAGES)
    assert server.requests[0].index == 1


def test_broken_responder_gives_500(server: FakeOpenAIServer) -> None:
    def respond(request: FakeRequest) -> FakeReply:
        raise RuntimeError("responder bug")

    server.responder = respond
    with pytest.raises(openai.InternalServerError, match="responder bug"):
        make_client(server).chat.completions.create(model="m", messages=MESSAGES)


def test_invalid_reply_construction_is_rejected() -> None:
    with pytest.raises(ValueError):
        FakeReply.error(200)
    with pytest.raises(ValueError):
        FakeReply.content("x", latency=-1)


def test_cli_serves_until_deadline(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--port", "0", "--seconds", "0.05"])
    assert "fake OpenAI server at http://127.0.0.1:" in capsys.readouterr().out


# -- instructor --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "reply"),
    [
        (instructor.Mode.TOOLS, FakeReply.tool_call({"name": "钢", "count": 3})),
        (instructor.Mode.JSON, FakeReply.content('{"name": "钢", "count": 3}')),
        (instructor.Mode.MD_JSON, FakeReply.content('{"name": "钢", "count": 3}', fenced=True)),
    ],
)
def test_instructor_parses_each_mode(
    server: FakeOpenAIServer, mode: instructor.Mode, reply: FakeReply
) -> None:
    server.push(reply)
    client = instructor.from_openai(make_client(server), mode=mode)
    item = client.chat.completions.create(model="m", messages=MESSAGES, response_model=Item, max_retries=0)
    # Compare dumps: instructor attaches _raw_response to the instance, which defeats ==.
    assert item.model_dump() == {"name": "钢", "count": 3}
    body = server.requests[0].body
    assert body is not None
    if mode is instructor.Mode.TOOLS:
        assert body["tool_choice"] == {"type": "function", "function": {"name": "Item"}}
    elif mode is instructor.Mode.JSON:
        assert body["response_format"] == {"type": "json_object"}
    else:
        assert "```json codeblock" in body["messages"][-1]["content"]


def test_instructor_tools_reask_after_validation_error(server: FakeOpenAIServer) -> None:
    server.push(
        FakeReply.json_for_request({"name": "钢", "count": -1}),
        FakeReply.json_for_request({"name": "钢", "count": 3}),
    )
    client = instructor.from_openai(make_client(server), mode=instructor.Mode.TOOLS)
    per_attempt_tokens: list[int] = []
    client.on("completion:response", lambda r: per_attempt_tokens.append(r.usage.total_tokens))
    item, completion = client.chat.completions.create_with_completion(
        model="m", messages=MESSAGES, response_model=Item, max_retries=2
    )
    assert item.model_dump() == {"name": "钢", "count": 3}
    assert server.request_count == 2
    reask = server.requests[1].messages
    # TOOLS re-ask: the assistant tool call is echoed, then a "tool" message carries the error.
    assert reask[-2]["role"] == "assistant" and reask[-2]["tool_calls"][0]["function"]["name"] == "Item"
    assert reask[-1]["role"] == "tool"
    assert reask[-1]["tool_call_id"] == reask[-2]["tool_calls"][0]["id"]
    assert reask[-1]["content"].startswith("Validation Error found:\n1 validation error for Item")
    assert "count must be non-negative" in reask[-1]["content"]
    # The returned completion's usage is cumulative over both attempts (instructor mutates it).
    assert completion.usage.total_tokens == sum(per_attempt_tokens)


def test_instructor_json_reask_after_validation_error(server: FakeOpenAIServer) -> None:
    server.push(
        FakeReply.content('{"name": "钢", "count": -1}'), FakeReply.content('{"name": "钢", "count": 3}')
    )
    client = instructor.from_openai(make_client(server), mode=instructor.Mode.JSON)
    item = client.chat.completions.create(model="m", messages=MESSAGES, response_model=Item, max_retries=2)
    assert item.count == 3
    assert server.request_count == 2
    reask = server.requests[1].messages
    assert reask[-2] == {"role": "assistant", "content": '{"name": "钢", "count": -1}'}
    assert reask[-1]["role"] == "user"
    assert reask[-1]["content"].startswith(
        "Correct your JSON ONLY RESPONSE, based on the following errors:\n"
    )
    assert "count must be non-negative" in reask[-1]["content"]


@pytest.mark.parametrize(
    "arguments",
    [
        {"name": "钢", "count": "很多"},  # wrong type
        {"name": "钢"},  # missing field
        '{"name": "钢", "count": 3',  # not even JSON
    ],
)
def test_instructor_gives_up_on_schema_invalid_arguments(server: FakeOpenAIServer, arguments: Any) -> None:
    server.push(*[FakeReply.tool_call(arguments)] * 3)
    client = instructor.from_openai(make_client(server), mode=instructor.Mode.TOOLS)
    with pytest.raises(InstructorRetryException) as caught:
        client.chat.completions.create(model="m", messages=MESSAGES, response_model=Item, max_retries=2)
    # max_retries counts retries after the first attempt.
    assert caught.value.n_attempts == 3
    assert caught.value.failed_attempts is not None and len(caught.value.failed_attempts) == 3
    assert server.request_count == 3


def test_hallucinated_number_passes_schema_validation(server: FakeOpenAIServer) -> None:
    # The source says 10亿吨; the reply invents 12. Nothing in instructor notices: that is the
    # verifier's job, and this fake is how its tests produce the case.
    server.push(FakeReply.json_for_request({"name": "粗钢产量上限", "count": 12}))
    client = instructor.from_openai(make_client(server), mode=instructor.Mode.TOOLS)
    item = client.chat.completions.create(model="m", messages=MESSAGES, response_model=Item, max_retries=0)
    assert item.count == 12
    assert "12" not in MESSAGES[0]["content"]


def test_instructor_wraps_api_errors_without_retrying(server: FakeOpenAIServer) -> None:
    server.push(FakeReply.rate_limited(1), FakeReply.tool_call({"name": "x", "count": 1}))
    client = instructor.from_openai(make_client(server), mode=instructor.Mode.TOOLS)
    with pytest.raises(InstructorRetryException) as caught:
        client.chat.completions.create(model="m", messages=MESSAGES, response_model=Item, max_retries=2)
    assert isinstance(caught.value.__cause__, openai.RateLimitError)
    assert caught.value.n_attempts == 1
    assert server.request_count == 1


def test_instructor_retries_non_json_body_as_parse_error(server: FakeOpenAIServer) -> None:
    # json.JSONDecodeError is one of instructor's retryable parse errors, so the same request is
    # simply sent again (no re-ask message is added).
    server.push(FakeReply.non_json(), FakeReply.tool_call({"name": "x", "count": 1}))
    client = instructor.from_openai(make_client(server), mode=instructor.Mode.TOOLS)
    item = client.chat.completions.create(model="m", messages=MESSAGES, response_model=Item, max_retries=2)
    assert item.count == 1
    first, second = server.requests
    assert first.messages == second.messages
