"""Keep secrets out of everything the tool writes: cache entries, logs, recordings, outputs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["REDACTED", "SECRET_HEADERS", "contains_secret", "redact", "redact_headers"]

REDACTED = "[REDACTED]"
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "api-key",
        "x-api-key",
        "openai-organization",
        "openai-project",
        "cookie",
        "set-cookie",
    }
)
# Shorter strings could be ordinary words; nothing that short is a real key.
_MIN_SECRET_LENGTH = 8


def _usable(secrets: Iterable[str]) -> list[str]:
    return sorted({s for s in secrets if s and len(s) >= _MIN_SECRET_LENGTH}, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of every secret replaced by ``[REDACTED]``."""
    for secret in _usable(secrets):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def contains_secret(text: str, secrets: Iterable[str]) -> bool:
    return any(secret in text for secret in _usable(secrets))


def redact_headers(headers: Mapping[str, str], secrets: Iterable[str] = ()) -> dict[str, str]:
    """Headers with credential headers masked and any secret value scrubbed."""
    return {
        name: REDACTED if name.lower() in SECRET_HEADERS else redact(value, secrets)
        for name, value in headers.items()
    }
