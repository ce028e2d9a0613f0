"""The response model is prepared for instructor once: the same requests, no schema work on repeat calls.

The engine calls instructor's retry loop with a request prepared once per response model, mode and
message roles; these tests pin that the requests are exactly those instructor's own patched
``create`` sends (first asks and re-asks, in every mode) and that a repeat call does no schema work.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from summarizer.llm.client import LLMClient, _attempt_usage
from summarizer.llm.tokens import counter_named
from summarizer.settings import Settings, load_settings
from summarizer.testing.fake_openai import FakeOpenAIServer, FakeReply

from helpers import Figure as SharedFigure

SOURCE = "数字经济总量突破1.7万亿元，增长15%。\n  缩进的一行\n"
GOOD = {"value": 1.7, "quote": "数字经济总量突破1.7万亿元"}
WRONG = {"value": 1.8, "quote": "数字经济总量突破1.8万亿元"}
MESSAGES = [
    {"role": "system", "content": "Extract the figure. {{ not a template }}\n    indented line"},
    {"role": "user", "content": f"<article>\n{SOURCE}\n</article>"},
]


def figure_model() -> type[BaseModel]:
    """A fresh class per test, so the per-class preparation is not shared with other tests."""

    class Figure(SharedFigure):
        """A figure quoted from the article."""

    return Figure


def settings_for(server: FakeOpenAIServer, tmp_path: Path, mode: str) -> Settings:
    return load_settings(
        {
            "base_url": server.base_url,
            "model": "fake-model",
            "api_key": "sk-test",
            "mode": mode,
            "max_reasks": 1,
            "log_calls": False,
            "cache_dir": tmp_path / "cache",
        },
        env={},
        cwd=tmp_path,
    )


async def through_instructor(settings: Settings, model: type[BaseModel]) -> None:
    """What the engine did before: instructor's patched create, messages as template variables."""
    import instructor
    import openai

    client = openai.AsyncOpenAI(base_url=settings.effective_base_url, api_key="sk-test", max_retries=0)
    modes = {"tools": instructor.Mode.TOOLS, "json": instructor.Mode.JSON, "md_json": instructor.Mode.MD_JSON}
    patched: Any = instructor.patch(create=client.chat.completions.create, mode=modes[settings.mode])
    context: dict[str, Any] = {"source_text": SOURCE}
    templated = []
    for n, message in enumerate(MESSAGES):
        context[f"m{n}"] = message["content"]
        templated.append({"role": message["role"], "content": "{{ m" + str(n) + " }}"})
    try:
        await patched(
            response_model=model,
            messages=templated,
            context=context,
            max_retries=settings.max_reasks,
            strict=False,
            model=settings.effective_model,
            **settings.sampling(),
        )
    finally:
        await client.close()


async def through_the_engine(settings: Settings, model: type[BaseModel]) -> None:
    async with LLMClient(settings) as client:
        outcome = await client.structured(model, MESSAGES, context={"source_text": SOURCE})
        assert outcome.value is not None and outcome.reasks == 1


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_requests_are_those_instructor_itself_sends(mode: str, tmp_path: Path) -> None:
    model = figure_model()
    bodies = []
    for path in (through_instructor, through_the_engine):
        replies = [FakeReply.json_for_request(WRONG), FakeReply.json_for_request(GOOD)]
        with FakeOpenAIServer(replies=replies) as server:
            asyncio.run(path(settings_for(server, tmp_path, mode), model))
            bodies.append([request.body for request in server.requests])
    instructor_bodies, engine_bodies = bodies
    assert len(engine_bodies) == 2  # the first ask and the re-ask
    # The one difference: JSON / MD_JSON carry the schema compact, where instructor indents it.
    schema = model.model_json_schema()
    indented = json.dumps(schema, indent=2, ensure_ascii=False)
    compact = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
    expected = json.loads(json.dumps(instructor_bodies, ensure_ascii=False).replace(
        json.dumps(indented, ensure_ascii=False)[1:-1], json.dumps(compact, ensure_ascii=False)[1:-1]
    ))  # fmt: skip
    assert (mode == "tools") == (expected == instructor_bodies)
    assert engine_bodies == expected


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_a_repeat_call_does_no_schema_work(mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from instructor.v2.core import response_model as instructor_response_model
    from instructor.v2.validation import async_validators

    model = figure_model()
    prepared: list[object] = []
    schemas: list[object] = []
    original_prepare = instructor_response_model.prepare_response_model
    original_reject = async_validators.reject_async_validators
    original_schema = BaseModel.model_json_schema.__func__  # type: ignore[attr-defined]

    def counting_prepare(response_model: Any) -> Any:
        prepared.append(response_model)
        return original_prepare(response_model)

    def counting_reject(response_model: Any) -> None:
        prepared.append(response_model)  # the walk over the model's fields instructor makes per call
        original_reject(response_model)

    def counting_schema(cls: type[BaseModel], *args: Any, **kwargs: Any) -> Any:
        schemas.append(cls)
        return original_schema(cls, *args, **kwargs)

    monkeypatch.setattr(instructor_response_model, "prepare_response_model", counting_prepare)
    monkeypatch.setattr(async_validators, "reject_async_validators", counting_reject)
    monkeypatch.setattr(model, "model_json_schema", classmethod(counting_schema))

    async def three_calls(settings: Settings) -> list[int]:
        work = []
        async with LLMClient(settings) as client:
            for _ in range(3):
                before = len(prepared) + len(schemas)
                outcome = await client.structured(model, MESSAGES, context={"source_text": SOURCE})
                assert outcome.value is not None
                work.append(len(prepared) + len(schemas) - before)
        return work

    with FakeOpenAIServer(responder=lambda request: FakeReply.json_for_request(GOOD)) as server:
        work = asyncio.run(three_calls(settings_for(server, tmp_path, mode)))
    assert work[0] > 0  # prepared once, on the first call
    assert work[1:] == [0, 0]


def test_an_answer_without_usage_is_counted_prompt_and_answer() -> None:
    counter = counter_named("cl100k")
    completion = {"choices": [{"message": {"role": "assistant", "content": '{"value": 1.7}'}}]}
    usage = _attempt_usage(None, completion, 120, counter)
    assert (usage.prompt_tokens, usage.requests, usage.requests_without_usage) == (120, 1, 1)
    assert usage.completion_tokens == usage.counted_completion_tokens == counter.count('{"value": 1.7}') > 0
    assert usage.source == "tokenizer" and usage.counter == "cl100k_base tokenizer"
    reported = _attempt_usage({"prompt_tokens": 100, "completion_tokens": 7}, completion, 120, counter)
    assert (reported.prompt_tokens, reported.completion_tokens, reported.counted_tokens) == (100, 7, 0)
    assert reported.source == "provider"
    failed = _attempt_usage(None, None, 120, counter)
    assert (failed.prompt_tokens, failed.completion_tokens, failed.counted_prompt_tokens) == (120, 0, 120)
