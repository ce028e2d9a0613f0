"""A disk cache of extraction results (diskcache, under the settings' ``cache_dir``).

* **Key**: SHA-256 of a canonical JSON (sorted keys, no whitespace) of everything that determines
  the answer: endpoint, model, instructor mode, prompt version and the rendered prompt's hash,
  schema hash, the segment text and the sampling settings. See :func:`cache_key`. A server on this
  machine (127.0.0.0/8, localhost, ::1) is keyed without its port (:func:`endpoint_identity`): the
  port of a local Ollama, vLLM or llama.cpp server is an accident of how it was started, and the
  model name says which model answers; a remote endpoint is keyed by its whole URL.
* **Values** are JSON text, never pickle: diskcache stores ``str`` values as text in its SQLite
  file (or as a UTF-8 file when large). An entry keeps the raw completions beside the parsed result
  so validation can be re-run offline when the verifier changes.
* **Secrets**: the API key is not part of any key material and every value is checked before it
  is written; a value containing a secret is scrubbed.

``use_cache = false`` (``--no-cache``) disables reads and writes; ``refresh_cache`` (``--refresh``)
skips reads but stores the new results.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

from summarizer.errors import ConfigError
from summarizer.redact import contains_secret, redact

__all__ = [
    "CACHE_DB_NAME",
    "CACHE_FORMAT",
    "CacheStats",
    "ResultCache",
    "cache_exists",
    "cache_key",
    "canonical_json",
    "endpoint_identity",
    "schema_hash",
]

CACHE_FORMAT = 1
# The database file diskcache keeps in its directory (diskcache.core.DBNAME).
CACHE_DB_NAME = "cache.db"


def canonical_json(value: object) -> str:
    """Deterministic JSON: sorted keys, no insignificant whitespace, non-ASCII kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


_LOOPBACK_NAMES = frozenset({"localhost", "::1", "ip6-localhost"})


def endpoint_identity(base_url: str) -> str:
    """The endpoint as the cache tells endpoints apart.

    A loopback endpoint is ``loopback<path>`` whatever its scheme, address or port, so restarting
    a local server on another port (or a test server on an ephemeral one) keeps its cached answers;
    ``--refresh`` asks again after swapping the model behind the same name. Any other endpoint is
    its URL as given, less a trailing slash.
    """
    parts = urlsplit(base_url.strip())
    host = (parts.hostname or "").lower()
    if host in _LOOPBACK_NAMES or host.startswith("127."):
        return "loopback" + (parts.path.rstrip("/") or "/")
    return base_url.strip().rstrip("/")


def cache_key(fields: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of ``fields`` plus the cache format version."""
    return hashlib.sha256(
        canonical_json({"cache_format": CACHE_FORMAT, **fields}).encode("utf-8")
    ).hexdigest()


def schema_hash(schema: Mapping[str, Any]) -> str:
    """SHA-256 of a JSON Schema, so a schema change invalidates cached answers."""
    return hashlib.sha256(canonical_json(schema).encode("utf-8")).hexdigest()


def cache_exists(directory: Path) -> bool:
    """Whether ``directory`` holds a cache (looked at, never created)."""
    return (directory / CACHE_DB_NAME).is_file()


@dataclass(frozen=True)
class CacheStats:
    directory: str
    entries: int
    size_bytes: int
    hits: int
    misses: int
    writes: int

    def describe(self) -> str:
        size = self.size_bytes
        shown = f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.1f} kB"
        return (
            f"cache at {self.directory}: {self.entries} entries, {shown}; "
            f"this run: {self.hits} hits, {self.misses} misses, {self.writes} writes"
        )


class ResultCache:
    """JSON values by :func:`cache_key`. Opens the directory lazily; counts hits and misses.

    With ``create=False`` (inspecting or clearing) nothing is ever created: opening a directory
    that holds no cache raises :class:`ConfigError`; check :func:`cache_exists` first.
    """

    def __init__(
        self,
        directory: Path,
        *,
        size_limit: int = 1024**3,
        secrets: Iterable[str] = (),
        enabled: bool = True,
        refresh: bool = False,
        create: bool = True,
    ) -> None:
        self.directory = directory
        self.create = create
        self.size_limit = size_limit
        self.enabled = enabled
        self.refresh = refresh
        self._secrets = tuple(secrets)
        self._cache: Any = None
        self.hits = 0
        self.misses = 0
        self.writes = 0

    def _open(self) -> Any:
        if self._cache is None:
            import diskcache

            if not self.create and not cache_exists(self.directory):
                raise ConfigError(f"no cache at {self.directory}")
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._cache = diskcache.Cache(
                    str(self.directory),
                    size_limit=self.size_limit,
                    eviction_policy="least-recently-stored",
                )
            except OSError as exc:
                raise ConfigError(
                    f"cannot open the cache at {self.directory}: {exc}; set cache_dir or pass --no-cache"
                ) from None
        return self._cache

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored value, or None (also when reads are disabled or the entry is unreadable)."""
        if not self.enabled or self.refresh:
            self.misses += 1
            return None
        raw = self._open().get(key)
        if not isinstance(raw, str):
            self.misses += 1
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            self.misses += 1
            return None
        if not isinstance(value, dict) or value.get("cache_format") != CACHE_FORMAT:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def set(self, key: str, value: Mapping[str, Any]) -> None:
        if not self.enabled:
            return
        text = json.dumps({"cache_format": CACHE_FORMAT, **value}, ensure_ascii=False, default=str)
        if contains_secret(text, self._secrets):
            text = redact(text, self._secrets)
        self._open().set(key, text)
        self.writes += 1

    def keys(self) -> Iterator[str]:
        yield from (str(k) for k in self._open().iterkeys())

    def raw_values(self) -> Iterator[str]:
        """Every stored value as text (for audits such as the secrets test)."""
        cache = self._open()
        for key in cache.iterkeys():
            value = cache.get(key)
            if isinstance(value, str):
                yield value

    def stats(self) -> CacheStats:
        cache = self._open()
        return CacheStats(
            directory=str(self.directory),
            entries=len(cache),
            size_bytes=int(cache.volume()),
            hits=self.hits,
            misses=self.misses,
            writes=self.writes,
        )

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        cache = self._open()
        count = len(cache)
        cache.clear()
        return count

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
