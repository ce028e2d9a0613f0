"""Token usage of a run, and its cost from a maintained price database.

Prices come from pydantic's ``genai-prices``, whose data ships inside the package (no network: its
optional background updater is never started). It knows OpenAI's, DeepSeek's and Moonshot's models
(and many more, found by the endpoint's URL for a custom ``--base-url``), not Alibaba's DashScope.
The package records no date for its data: the version names it (``pip install -U genai-prices``
brings newer prices), with the time the price is in effect for (DeepSeek's prices depend on the
hour).

A price file (setting ``prices_path``, ``SUMMARIZER_PRICES_PATH``) wins over genai-prices for the
models it lists::

    {"as_of": "2026-11-01", "source": "my contract", "currency": "USD",
     "free_providers": ["ollama"],
     "models": {"qwen-plus": {"input": 0.40, "output": 1.20}}}

(prices per 1M tokens; a model matches exactly, without an ``org/`` prefix, or by its longest
listed prefix: ``gpt-4o-mini-2024-07-18`` uses ``gpt-4o-mini``). Local servers (the ollama and vllm
presets, any endpoint on this machine) cost nothing. A model with no price has no cost, and the run
says why.

Costs are estimates: list prices, cached-input discounts ignored, a tiered price at its base tier
(every request here is far below the thresholds). Every request counts, re-asks and failed
attempts included; a request whose response reported no usage is costed from its prompt tokens as
counted here (:mod:`summarizer.llm.tokens`), which the cost line says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer.errors import ConfigError

__all__ = [
    "LOCAL_PROVIDERS",
    "Cost",
    "CountSource",
    "ModelPrice",
    "Price",
    "PriceTable",
    "Usage",
    "find_price",
    "load_price_table",
    "run_cost",
]

CountSource = Literal["provider", "tokenizer", "estimate", "mixed"]
LOCAL_PROVIDERS = frozenset({"ollama", "vllm"})
# Our presets → genai-prices provider ids (qwen's DashScope is not in its data).
_GENAI_PROVIDERS = {"openai": "openai", "deepseek": "deepseek", "moonshot": "moonshotai"}


@dataclass(frozen=True)
class Usage:
    """Tokens of every request of a run (re-asks and failed attempts included).

    ``prompt_tokens`` and ``completion_tokens`` are the endpoint's own counts where its response
    reported usage; for requests whose response reported none (failed attempts, some local servers)
    they hold the counts made here, which ``counted_*`` repeat. ``counter`` names the counter of
    this usage's requests and ``counter_kind`` says whether it is a real tokenizer or the estimate.
    """

    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0
    requests_without_usage: int = 0
    """Requests whose response carried no usage block (failed transports, some local servers)."""
    counted_prompt_tokens: int = 0
    counted_completion_tokens: int = 0
    counter: str | None = None
    counter_kind: Literal["tokenizer", "estimate"] | None = None

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def counted_tokens(self) -> int:
        return self.counted_prompt_tokens + self.counted_completion_tokens

    @property
    def source(self) -> CountSource | None:
        """provider: every count reported by the endpoint; tokenizer / estimate: none was, all are
        counted here; mixed: some of each. None for no request."""
        if not self.requests:
            return None
        if not self.requests_without_usage:
            return "provider"
        if self.requests_without_usage < self.requests:
            return "mixed"
        return self.counter_kind or "estimate"

    def describe_source(self) -> str:
        """How the token counts were obtained, for the run's usage line."""
        source = self.source
        if source is None or source == "provider":
            return "provider-reported"
        if source == "mixed":
            counted = f"{self.counted_prompt_tokens:,} prompt"
            if self.counted_completion_tokens:
                counted += f" + {self.counted_completion_tokens:,} completion"
            return (
                f"mixed: provider-reported except {counted} tokens of the {self.requests_without_usage} "
                f"request(s) that reported none, {_counted_with(self.counter_kind, self.counter)}"
            )
        return f"{_counted_with(source, self.counter)}: the endpoint reported no usage"

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.requests + other.requests,
            self.requests_without_usage + other.requests_without_usage,
            self.counted_prompt_tokens + other.counted_prompt_tokens,
            self.counted_completion_tokens + other.counted_completion_tokens,
            _join(self.counter, other.counter),
            "estimate"
            if "estimate" in (self.counter_kind, other.counter_kind)
            else self.counter_kind or other.counter_kind,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
            "requests": self.requests,
            "requests_without_usage": self.requests_without_usage,
            "counted_prompt_tokens": self.counted_prompt_tokens,
            "counted_completion_tokens": self.counted_completion_tokens,
            "counter": self.counter,
            "counter_kind": self.counter_kind,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Usage:
        kind = data.get("counter_kind")
        return cls(
            int(data.get("prompt_tokens", 0)),
            int(data.get("completion_tokens", 0)),
            int(data.get("requests", 0)),
            int(data.get("requests_without_usage", 0)),
            int(data.get("counted_prompt_tokens", 0)),
            int(data.get("counted_completion_tokens", 0)),
            data.get("counter"),
            kind if kind in ("tokenizer", "estimate") else None,
        )


def _counted_with(kind: str | None, counter: str | None) -> str:
    how = "tokenizer-counted" if kind == "tokenizer" else "estimated"
    return f"{how} ({counter or 'calibrated estimate'})"


def _join(first: str | None, second: str | None) -> str | None:
    if first is None or second is None or first == second:
        return first or second
    names = dict.fromkeys([*first.split(" + "), *second.split(" + ")])
    return " + ".join(names)


# -- prices ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Price:
    """The price of one model's tokens and where it came from."""

    model: str  # the entry used
    provider: str | None
    input_per_mtok: Decimal
    output_per_mtok: Decimal
    currency: str
    source: str  # "genai-prices 0.2.3 data", "price file PATH, as of …", "local server at ollama"
    free: bool = False

    def describe(self) -> str:
        """``genai-prices 0.2.3 data: deepseek-chat at deepseek, input USD 0.27/M, output USD 1.1/M
        tokens``, or ``local server at ollama: no charge``."""
        if self.free:
            return f"{self.source}: no charge"
        where = f"{self.model} at {self.provider}" if self.provider else self.model
        return (
            f"{self.source}: {where}, input {self.currency} {_amount(self.input_per_mtok)}/M, "
            f"output {self.currency} {_amount(self.output_per_mtok)}/M tokens"
        )

    def cost(self, usage: Usage) -> Cost:
        amount = (
            Decimal(usage.prompt_tokens) * self.input_per_mtok
            + Decimal(usage.completion_tokens) * self.output_per_mtok
        ) / 1_000_000
        return Cost(float(amount), self.currency, self, usage)


def _amount(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text if "." in text or len(text) < 4 else f"{int(value):,}"


@dataclass(frozen=True)
class Cost:
    """The estimated cost of a run's usage at one price."""

    amount: float
    currency: str
    price: Price
    usage: Usage

    def describe(self) -> str:
        if self.price.free:
            return f"{self.currency} {self.amount:.4f} ({self.price.describe()})"
        parts = [self.price.describe(), "an estimate: list prices, cached-input discounts ignored"]
        usage = self.usage
        if usage.requests_without_usage:
            parts.append(
                f"includes {usage.counted_prompt_tokens:,} prompt tokens of {usage.requests_without_usage} "
                f"request(s) that reported no usage, {_counted_with(usage.counter_kind, usage.counter)}; "
                "failed requests are seldom billed"
            )
        return f"{self.currency} {self.amount:.4f} ({'; '.join(parts)})"


class ModelPrice(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    input: float = Field(ge=0, description="price per 1M input (prompt) tokens")
    output: float = Field(ge=0, description="price per 1M output (completion) tokens")


class PriceTable(BaseModel):
    """A user's price file: it wins over genai-prices for the models it lists."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    as_of: str
    currency: str = "USD"
    source: str = ""
    free_providers: tuple[str, ...] = ()
    models: dict[str, ModelPrice]
    path: str

    def lookup(self, model: str) -> tuple[str, ModelPrice] | None:
        """The entry for ``model``: exact, then without an ``org/`` prefix, then the longest prefix
        (``gpt-4o-mini-2024-07-18`` uses ``gpt-4o-mini``)."""
        candidates = [model, model.rsplit("/", 1)[-1]]
        for name in candidates:
            if name in self.models:
                return name, self.models[name]
        for name in candidates:
            prefixes = [key for key in self.models if name.startswith(key + "-")]
            if prefixes:
                best = max(prefixes, key=len)
                return best, self.models[best]
        return None

    @property
    def described(self) -> str:
        return f"price file {self.path}, as of {self.as_of}" + (f", {self.source}" if self.source else "")

    def price(self, model: str, provider: str | None) -> Price | None:
        if provider is not None and provider in self.free_providers:
            return Price(model, provider, Decimal(0), Decimal(0), self.currency, self.described, free=True)
        found = self.lookup(model)
        if found is None:
            return None
        key, entry = found
        return Price(
            key, provider, Decimal(str(entry.input)), Decimal(str(entry.output)), self.currency, self.described
        )


def load_price_table(path: Path) -> PriceTable:
    """The price file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot read the price file {path}: {exc.strerror or exc}; fix prices_path (SUMMARIZER_PRICES_PATH) or unset it"
        ) from None
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return PriceTable.model_validate({**data, "path": str(path)})
    except (ValueError, ValidationError) as exc:
        detail = _first_error(exc) if isinstance(exc, ValidationError) else str(exc)
        raise ConfigError(
            f"price file {path} is malformed ({detail}); it needs as_of and "
            'models: {"name": {"input": <USD per 1M>, "output": <USD per 1M>}}'
        ) from None


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}"


def _is_local(provider: str | None, base_url: str | None) -> bool:
    from summarizer.llm.cache import endpoint_identity

    return provider in LOCAL_PROVIDERS or (base_url is not None and endpoint_identity(base_url).startswith("loopback"))


def _genai_price(model: str, provider: str | None, base_url: str | None) -> Price | str:
    try:
        from genai_prices import Usage as PricedUsage
        from genai_prices import __version__, calc_price
    except ImportError:
        return "genai-prices is not installed (pip install genai-prices)"
    # The data carries no date of its own; prices may depend on the time (DeepSeek's off-peak hours,
    # dated price changes): the price is the one in effect when the run is costed, and says so.
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    source = f"genai-prices {__version__} data, in effect {now:%Y-%m-%d %H:%M} UTC"
    provider_id = _GENAI_PROVIDERS.get(provider or "")
    where = " ".join(filter(None, [provider, f"({base_url})" if base_url else None])) or "this endpoint"
    try:
        if provider_id is not None:
            found = calc_price(PricedUsage(), model, provider_id=provider_id, genai_request_timestamp=now)
        elif base_url is not None:
            found = calc_price(PricedUsage(), model, provider_api_url=base_url, genai_request_timestamp=now)
        else:
            return f"{source} cannot price {model} without an endpoint"
    except LookupError:
        return f"{source} has no price for {model} at {where}"
    rates = found.model_price
    input_rate = _base_rate(getattr(rates, "input_mtok", None))
    output_rate = _base_rate(getattr(rates, "output_mtok", None))
    if input_rate is None and output_rate is None:
        return f"{source} has no token price for {model} at {where}"
    return Price(
        found.model.id,
        found.provider.id,
        input_rate or Decimal(0),
        output_rate or Decimal(0),
        "USD",
        source,
    )


def _base_rate(value: object) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    base = getattr(value, "base", None)  # genai_prices.types.TieredPrices
    return base if isinstance(base, Decimal) else None


def find_price(
    model: str, *, provider: str | None, base_url: str | None, prices_path: Path | None = None
) -> Price | str:
    """The price of ``model``'s tokens, or why there is none.

    The price file (if any) first, then a local server (free), then genai-prices: by provider
    preset, else by the endpoint's URL.
    """
    if prices_path is not None:
        price = load_price_table(prices_path).price(model, provider)
        if price is not None:
            return price
    if _is_local(provider, base_url):
        where = provider if provider in LOCAL_PROVIDERS else base_url
        return Price(model, provider, Decimal(0), Decimal(0), "USD", f"local server at {where}", free=True)
    found = _genai_price(model, provider, base_url)
    if isinstance(found, str) and prices_path is not None:
        return f"{found}, nor does {prices_path}"
    return found


def run_cost(
    usage: Usage, *, model: str, provider: str | None, base_url: str | None, prices_path: Path | None = None
) -> tuple[Cost | None, str]:
    """The cost of ``usage`` and the line that says which price was used (or why there is none)."""
    price = find_price(model, provider=provider, base_url=base_url, prices_path=prices_path)
    if isinstance(price, str):
        return None, (
            f"cost unknown: {price}; give its price in a price file (prices_path, SUMMARIZER_PRICES_PATH)"
        )
    return price.cost(usage), price.describe()
