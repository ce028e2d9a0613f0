"""Prices (genai-prices, a user's price file, local servers) and the usage they are applied to."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizer.errors import ConfigError
from summarizer.llm.pricing import Price, Usage, find_price, run_cost
from summarizer.settings import PRESETS


def genai_rates(model: str, provider_id: str) -> tuple[Decimal, Decimal]:
    from genai_prices import Usage as PricedUsage
    from genai_prices import calc_price

    rates = calc_price(PricedUsage(), model, provider_id=provider_id, genai_request_timestamp=datetime.now(UTC))
    return rates.model_price.input_mtok, rates.model_price.output_mtok  # type: ignore[attr-defined]


@pytest.mark.parametrize(("provider", "genai_id"), [("openai", "openai"), ("deepseek", "deepseek"), ("moonshot", "moonshotai")])
def test_presets_are_priced_from_genai_prices(provider: str, genai_id: str) -> None:
    from genai_prices import __version__

    preset = PRESETS[provider]
    price = find_price(preset.model, provider=provider, base_url=preset.base_url)
    assert isinstance(price, Price) and not price.free
    assert (price.input_per_mtok, price.output_per_mtok) == genai_rates(preset.model, genai_id)
    assert price.source.startswith(f"genai-prices {__version__} data, in effect ") and price.provider == genai_id
    assert re.fullmatch(r".*, in effect \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", price.source)
    assert f"UTC: {preset.model} at {genai_id}, input USD " in price.describe()


@pytest.mark.parametrize(
    ("provider", "base_url"),
    [
        ("ollama", PRESETS["ollama"].base_url),
        ("vllm", "http://gpu-box:8000/v1"),
        ("custom", "http://127.0.0.1:41234/v1"),
        ("custom", "http://localhost:8080/v1"),
    ],
)
def test_local_servers_cost_nothing(provider: str, base_url: str) -> None:
    price = find_price("qwen2.5:14b-instruct", provider=provider, base_url=base_url)
    assert isinstance(price, Price) and price.free
    cost = price.cost(Usage(10_000, 2_000, 3))
    assert cost.amount == 0.0 and cost.describe().startswith("USD 0.0000 (local server at ")
    assert price.describe().endswith(": no charge")


@pytest.mark.parametrize(
    ("model", "provider", "base_url", "says"),
    [
        ("qwen-plus", "qwen", PRESETS["qwen"].base_url, "has no price for qwen-plus at qwen (https://dashscope"),
        ("my-model", "custom", "https://llm.example.com/v1", "has no price for my-model at custom (https://llm.example.com/v1)"),
        ("gpt-9-ultra", "openai", PRESETS["openai"].base_url, "has no price for gpt-9-ultra at openai"),
    ],
)
def test_an_unpriced_model_has_no_cost_and_the_run_says_why(model: str, provider: str, base_url: str, says: str) -> None:
    cost, line = run_cost(Usage(1000, 100, 1), model=model, provider=provider, base_url=base_url)
    assert cost is None
    assert line.startswith("cost unknown: genai-prices ") and says in line
    assert line.endswith("give its price in a price file (prices_path, SUMMARIZER_PRICES_PATH)")


def test_a_custom_endpoint_is_priced_by_its_url() -> None:
    price = find_price("openai/gpt-4o", provider="custom", base_url="https://openrouter.ai/api/v1")
    assert isinstance(price, Price) and price.provider == "openrouter"


def price_file(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


PRICES = {
    "as_of": "2026-11-01",
    "source": "our contract",
    "free_providers": ["vllm"],
    "models": {"qwen-plus": {"input": 0.4, "output": 1.2}, "deepseek-chat": {"input": 0.1, "output": 0.2}},
}


def test_a_price_file_wins_over_genai_prices_for_the_models_it_lists(tmp_path: Path) -> None:
    path = price_file(tmp_path, PRICES)
    for model, provider in [("qwen-plus", "qwen"), ("qwen-plus-2025-01-25", "qwen"), ("deepseek-chat", "deepseek")]:
        price = find_price(model, provider=provider, base_url=PRESETS[provider].base_url, prices_path=path)
        assert isinstance(price, Price) and price.source == f"price file {path}, as of 2026-11-01, our contract"
    cost, line = run_cost(
        Usage(1_000_000, 1_000_000, 2), model="qwen-plus", provider="qwen", base_url=None, prices_path=path
    )
    assert cost is not None and cost.amount == pytest.approx(1.6)
    assert line == f"price file {path}, as of 2026-11-01, our contract: qwen-plus at qwen, input USD 0.4/M, output USD 1.2/M tokens"
    # Models it does not list still come from genai-prices; its free providers cost nothing.
    other = find_price("gpt-4o-mini", provider="openai", base_url=None, prices_path=path)
    assert isinstance(other, Price) and other.source.startswith("genai-prices ")
    free = find_price("Qwen/Qwen2.5-14B-Instruct", provider="vllm", base_url="http://gpu-box:8000/v1", prices_path=path)
    assert isinstance(free, Price) and free.free
    missing = find_price("kimi-x", provider="custom", base_url="https://llm.example.com/v1", prices_path=path)
    assert isinstance(missing, str) and missing.endswith(f", nor does {path}")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "is malformed (Expecting property name"),
        ("[]", "is malformed (not a JSON object)"),
        ('{"models": {}}', "is malformed (as_of: Field required)"),
        ('{"as_of": "x", "models": {"m": {"input": -1, "output": 1}}}', "is malformed (models.m.input: Input should be greater than or equal to 0)"),
    ],
)
def test_a_bad_price_file_is_a_one_line_config_error(tmp_path: Path, content: str, says: str) -> None:
    path = tmp_path / "prices.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        find_price("qwen-plus", provider="qwen", base_url=None, prices_path=path)
    message = str(raised.value)
    assert "\n" not in message and f"price file {path} {says}" in message and "it needs as_of" in message


def test_a_missing_price_file_says_which_setting_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"cannot read the price file .*: No such file or directory; fix prices_path"):
        find_price("qwen-plus", provider="qwen", base_url=None, prices_path=tmp_path / "nope.json")


def test_the_cost_includes_attempts_without_usage_and_says_so() -> None:
    usage = Usage(12_000, 3_000, 5, 2, 4_000, 0, "deepseek tokenizer", "tokenizer")
    cost, _ = run_cost(usage, model="deepseek-chat", provider="deepseek", base_url=PRESETS["deepseek"].base_url)
    assert cost is not None
    rate_in, rate_out = genai_rates("deepseek-chat", "deepseek")
    assert cost.amount == pytest.approx(float((12_000 * rate_in + 3_000 * rate_out) / 1_000_000))
    text = cost.describe()
    assert text.startswith(f"USD {cost.amount:.4f} (genai-prices ")
    assert "includes 4,000 prompt tokens of 2 request(s) that reported no usage, tokenizer-counted (deepseek tokenizer)" in text


# -- where the token counts come from -------------------------------------------------------------------------

SOURCES = [
    (Usage(), None, "provider-reported"),
    (Usage(100, 10, 2, 0, counter="cl100k_base tokenizer", counter_kind="tokenizer"), "provider", "provider-reported"),
    (Usage(100, 10, 2, 2, 100, 10, "qwen tokenizer", "tokenizer"), "tokenizer", "tokenizer-counted (qwen tokenizer): the endpoint reported no usage"),
    (Usage(100, 10, 2, 2, 100, 10, "calibrated estimate", "estimate"), "estimate", "estimated (calibrated estimate): the endpoint reported no usage"),
    (
        Usage(100, 10, 3, 1, 40, 0, "cl100k_base tokenizer", "tokenizer"),
        "mixed",
        "mixed: provider-reported except 40 prompt tokens of the 1 request(s) that reported none, tokenizer-counted (cl100k_base tokenizer)",
    ),
]


@pytest.mark.parametrize(("usage", "source", "described"), SOURCES)
def test_usage_says_where_its_counts_come_from(usage: Usage, source: str | None, described: str) -> None:
    assert usage.source == source and usage.describe_source() == described


def test_adding_usages_keeps_every_count_and_the_weaker_kind() -> None:
    reported = Usage(100, 10, 1, 0, counter="cl100k_base tokenizer", counter_kind="tokenizer")
    failed = Usage(50, 0, 1, 1, 50, 0, "calibrated estimate", "estimate")
    total = reported + failed
    assert (total.prompt_tokens, total.completion_tokens, total.requests, total.requests_without_usage) == (150, 10, 2, 1)
    assert total.counted_tokens == 50 and total.source == "mixed"
    assert total.counter == "cl100k_base tokenizer + calibrated estimate" and total.counter_kind == "estimate"


counts = st.integers(min_value=0, max_value=10**9)


@given(
    st.builds(
        Usage,
        counts,
        counts,
        counts,
        counts,
        counts,
        counts,
        st.one_of(st.none(), st.sampled_from(["cl100k_base tokenizer", "calibrated estimate"])),
        st.one_of(st.none(), st.sampled_from(["tokenizer", "estimate"])),
    )
)
def test_usage_survives_the_cache_round_trip(usage: Usage) -> None:
    assert Usage.from_dict(json.loads(json.dumps(usage.to_dict()))) == usage
    assert Usage.from_dict({"prompt_tokens": 3}) == Usage(3)  # entries cached before the counts existed
