"""Token usage and its cost, from a price table kept as data (``prompts/prices.json``).

The table is dated and names its source; a different table can be used through the
``prices_path`` setting (``SUMMARIZER_PRICES_PATH``). Costs are estimates: providers change prices
and bill cached input at a discount this table ignores.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer.errors import ConfigError

__all__ = ["Cost", "ModelPrice", "PriceTable", "Usage", "load_price_table"]


@dataclass(frozen=True)
class Usage:
    """Tokens billed by the endpoint, summed over every request of a run (re-asks included)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0
    # Requests whose response carried no usage block (failed transports, some local servers).
    requests_without_usage: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.requests + other.requests,
            self.requests_without_usage + other.requests_without_usage,
        )

    @classmethod
    def from_completion(cls, completion: dict[str, Any] | None) -> Usage:
        """Usage of one response body (a chat.completion dict); a response without usage counts too."""
        usage = (completion or {}).get("usage")
        if not isinstance(usage, dict):
            return cls(requests=1, requests_without_usage=1)
        prompt = usage.get("prompt_tokens")
        completion_tokens = usage.get("completion_tokens")
        if not isinstance(prompt, int) or not isinstance(completion_tokens, int):
            return cls(requests=1, requests_without_usage=1)
        return cls(prompt, completion_tokens, 1, 0)

    def to_dict(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
            "requests": self.requests,
            "requests_without_usage": self.requests_without_usage,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Usage:
        return cls(
            int(data.get("prompt_tokens", 0)),
            int(data.get("completion_tokens", 0)),
            int(data.get("requests", 0)),
            int(data.get("requests_without_usage", 0)),
        )


class ModelPrice(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    input: float = Field(ge=0, description="price per 1M input (prompt) tokens")
    output: float = Field(ge=0, description="price per 1M output (completion) tokens")


@dataclass(frozen=True)
class Cost:
    amount: float
    currency: str
    model_key: str  # the table entry used
    as_of: str

    def describe(self) -> str:
        return f"{self.currency} {self.amount:.4f} (prices of {self.model_key} as of {self.as_of}; estimate)"


class PriceTable(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    as_of: str
    currency: str = "USD"
    source: str
    free_providers: tuple[str, ...] = ()
    models: dict[str, ModelPrice]
    path: str | None = None

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

    def cost(self, model: str, usage: Usage, provider: str | None = None) -> Cost | None:
        """Cost of ``usage`` on ``model``; None when the model is not in the table."""
        if provider is not None and provider in self.free_providers:
            return Cost(0.0, self.currency, f"{provider} (local)", self.as_of)
        found = self.lookup(model)
        if found is None:
            return None
        key, price = found
        amount = (usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1_000_000
        return Cost(amount, self.currency, key, self.as_of)


def load_price_table(path: Path | None = None) -> PriceTable:
    """The shipped table (``prompts/prices.json``), or the one at ``path``."""
    try:
        if path is None:
            text = files("summarizer.prompts").joinpath("prices.json").read_text(encoding="utf-8")
            where = "prompts/prices.json"
        else:
            text = path.read_text(encoding="utf-8")
            where = str(path)
    except OSError as exc:
        raise ConfigError(f"cannot read price table {path}: {exc}; fix prices_path or unset it") from None
    try:
        data = json.loads(text)
        return PriceTable.model_validate({**data, "path": where})
    except (ValueError, ValidationError) as exc:
        raise ConfigError(
            f"price table {where} is malformed: {exc}; it needs as_of, source and "
            'models: {"name": {"input": <per 1M>, "output": <per 1M>}}'
        ) from None
