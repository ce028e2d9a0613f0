"""All of the tool's configuration in one object, and where each value came from.

Resolution order, highest first::

    flags (the ``overrides`` mapping)  >  environment  >  config file  >  provider preset  >  defaults

*Environment* means ``SUMMARIZER_<FIELD>`` for every field (``SUMMARIZER_MODEL``,
``SUMMARIZER_CONCURRENCY``, ...) plus, for the API key, the provider's conventional variable
(``OPENAI_API_KEY``, ``DEEPSEEK_API_KEY``, ``DASHSCOPE_API_KEY``, ``MOONSHOT_API_KEY``, ...).
The *config file* is TOML with the same field names at the top level: ``--config PATH``, else
``$SUMMARIZER_CONFIG``, else ``./summarizer.toml``, else ``~/.config/summarizer/config.toml``
(``$XDG_CONFIG_HOME`` honoured). Relative paths in a config file are relative to that file.

A *preset* (``provider = "deepseek"``) supplies the base URL, default model, default instructor
mode and the key variable of a known OpenAI-compatible service. Setting only ``base_url`` means a
custom endpoint whose key is optional.

The API key is a :class:`pydantic.SecretStr` excluded from every dump: it never appears in
``repr``, ``model_dump``, ``describe()``, cache keys or metadata.

This module must stay cheap to import: it never imports openai or instructor.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, ValidationError, field_validator

from summarizer.errors import ConfigError

__all__ = [
    "ENV_PREFIX",
    "PRESETS",
    "InstructorModeName",
    "Preset",
    "ProviderName",
    "Settings",
    "find_config_file",
    "load_settings",
]

ENV_PREFIX = "SUMMARIZER_"
InstructorModeName = Literal["tools", "json", "md_json"]
ProviderName = Literal["openai", "deepseek", "qwen", "moonshot", "ollama", "vllm", "custom"]
OutputFormat = Literal["md", "json", "html", "all"]

# The openai SDK refuses an empty key; local servers ignore whatever is sent.
PLACEHOLDER_API_KEY = "not-needed"


class Preset(BaseModel):
    """Connection defaults of one known OpenAI-compatible service."""

    model_config = ConfigDict(frozen=True)

    name: ProviderName
    base_url: str
    model: str
    mode: InstructorModeName
    key_env: str | None
    key_required: bool
    note: str = ""


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            name="openai",
            base_url="https://api.openai.com/v1",
            model="gpt-4o-mini",
            mode="tools",
            key_env="OPENAI_API_KEY",
            key_required=True,
        ),
        Preset(
            name="deepseek",
            base_url="https://api.deepseek.com/v1",
            model="deepseek-chat",
            mode="tools",
            key_env="DEEPSEEK_API_KEY",
            key_required=True,
        ),
        Preset(
            name="qwen",
            base_url="https://dashscope.aliyuncs.com/compatible-mode/v1",
            model="qwen-plus",
            mode="tools",
            key_env="DASHSCOPE_API_KEY",
            key_required=True,
            note="DashScope OpenAI-compatible mode; outside mainland China use "
            "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
        ),
        Preset(
            name="moonshot",
            base_url="https://api.moonshot.cn/v1",
            model="moonshot-v1-32k",
            mode="tools",
            key_env="MOONSHOT_API_KEY",
            key_required=True,
        ),
        Preset(
            name="ollama",
            base_url="http://127.0.0.1:11434/v1",
            model="qwen2.5:14b-instruct",
            mode="json",
            key_env=None,
            key_required=False,
            note="local server; many local models lack reliable tool calling, so JSON mode",
        ),
        Preset(
            name="vllm",
            base_url="http://127.0.0.1:8000/v1",
            model="Qwen/Qwen2.5-14B-Instruct",
            mode="json",
            key_env="VLLM_API_KEY",
            key_required=False,
            note="local server started with `vllm serve`; the key is only needed with --api-key",
        ),
    )
}

# Settings that, given explicitly, mean the user wants a live endpoint (see Settings.check_endpoint).
_ENDPOINT_FIELDS = ("provider", "base_url", "api_key", "api_key_env")

# Custom endpoints (only base_url given) accept these, in order.
_CUSTOM_KEY_ENVS = ("OPENAI_API_KEY",)


def _default_cache_dir() -> Path:
    return Path("cache")


class Settings(BaseModel):
    """Every setting of the tool. Build it with :func:`load_settings`, not by hand."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    # -- endpoint -------------------------------------------------------------------------------
    provider: ProviderName = Field("openai", description="preset of a known OpenAI-compatible service")
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. https://host/v1")
    api_key: SecretStr | None = Field(None, exclude=True, repr=False, description="never printed or stored")
    api_key_env: str | None = Field(None, description="read the API key from this environment variable")
    model: str | None = Field(None, description="model name as the endpoint knows it")
    mode: InstructorModeName = Field("tools", description="instructor mode: tools, json or md_json")
    # -- sampling (part of the cache key) -------------------------------------------------------
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    top_p: float | None = Field(None, gt=0.0, le=1.0)
    seed: int | None = None
    max_tokens: int | None = Field(4096, ge=1, description="cap on completion tokens per call")
    # -- reliability ----------------------------------------------------------------------------
    timeout: float = Field(120.0, gt=0.0, description="seconds per HTTP request")
    max_reasks: int = Field(2, ge=0, le=10, description="validation re-asks per segment")
    max_transport_retries: int = Field(4, ge=0, le=20, description="retries of 429/5xx/timeouts per call")
    retry_initial_wait: float = Field(1.0, ge=0.0, description="seconds; exponential backoff base")
    retry_max_wait: float = Field(30.0, ge=0.0, description="seconds; cap of one backoff wait")
    retry_after_cap: float = Field(120.0, ge=0.0, description="longest Retry-After honoured, seconds")
    concurrency: int = Field(4, ge=1, le=64, description="segments extracted at the same time")
    # -- inputs and outputs ---------------------------------------------------------------------
    max_input_bytes: int = Field(5 * 1024 * 1024, ge=1, description="largest input file accepted")
    segment_char_budget: int = Field(6000, ge=200, description="longer segments are split")
    document_date: date | None = Field(
        None, description="the document's date (--date YYYY-MM-DD): wins over the date its text gives"
    )
    out_dir: Path = Field(Path("out"), description="where briefings are written")
    output_format: OutputFormat = "all"
    # -- cache, logs, recordings, prices ---------------------------------------------------------
    cache_dir: Path = Field(default_factory=_default_cache_dir)
    cache_size_limit: int = Field(1024**3, ge=1024 * 1024, description="bytes")
    use_cache: bool = Field(True, description="--no-cache sets this to false")
    refresh_cache: bool = Field(False, description="--refresh: ignore cached results, store new ones")
    log_calls: bool = Field(True, description="log every prompt and response as JSONL")
    log_path: Path | None = Field(None, description="default: <cache_dir>/calls.jsonl")
    recordings_dir: Path | None = Field(None, description="extra directory searched for recordings")
    prices_path: Path | None = Field(None, description="price file whose entries win over genai-prices")
    offline: bool = Field(False, description="never contact an endpoint; replay recordings or rules only")

    _sources: dict[str, str] = PrivateAttr(default_factory=dict)

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {value!r}")
        return value

    @field_validator("api_key")
    @classmethod
    def _check_api_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        return SecretStr(value.get_secret_value().strip())

    @field_validator("out_dir", "cache_dir", "log_path", "recordings_dir", "prices_path")
    @classmethod
    def _expand_user(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    # -- derived values ---------------------------------------------------------------------------

    @property
    def preset(self) -> Preset | None:
        return PRESETS.get(self.provider)

    @property
    def effective_base_url(self) -> str:
        if self.base_url:
            return self.base_url
        if self.preset is not None:
            return self.preset.base_url
        raise ConfigError("no endpoint: set --base-url or SUMMARIZER_BASE_URL, or choose a --provider preset")

    @property
    def effective_model(self) -> str:
        if self.model:
            return self.model
        if self.preset is not None:
            return self.preset.model
        where = f" for the endpoint {self.base_url}" if self.base_url else ""
        raise ConfigError(f"no model{where}: set --model or SUMMARIZER_MODEL (the name the endpoint uses)")

    @property
    def key_env_names(self) -> tuple[str, ...]:
        """Environment variables that may hold the key, highest priority first."""
        names = [f"{ENV_PREFIX}API_KEY"]
        if self.api_key_env:
            names.insert(0, self.api_key_env)
        if self.preset is not None and self.preset.key_env:
            names.append(self.preset.key_env)
        elif self.preset is None:
            names.extend(_CUSTOM_KEY_ENVS)
        return tuple(dict.fromkeys(names))

    @property
    def key_required(self) -> bool:
        return self.preset.key_required if self.preset is not None else False

    @property
    def key_hint(self) -> str:
        """What the user should set, for error messages."""
        preferred = self.api_key_env or (self.preset.key_env if self.preset is not None else None)
        return f"set {preferred or ENV_PREFIX + 'API_KEY'} or pass --api-key"

    def endpoint_problem(self) -> str | None:
        """Why no request can be sent with these settings, or None when the endpoint is usable."""
        if self.offline:
            return "offline mode (--offline)"
        try:
            _endpoint = (self.effective_base_url, self.effective_model)
        except ConfigError as exc:
            return str(exc)
        if self.key_required and self.api_key is None:
            return f"no API key for provider {self.provider}: {self.key_hint}"
        return None

    def endpoint_configuration(self) -> list[str]:
        """The endpoint settings the user gave explicitly, named as given (``--base-url``,
        ``SUMMARIZER_API_KEY``, ``provider in ./summarizer.toml``): empty when only defaults apply.
        The model alone does not count."""
        given: list[str] = []
        for name in _ENDPOINT_FIELDS:
            source = self.source_of(name)
            if source == "flag":
                given.append("--" + name.replace("_", "-"))
            elif source.startswith("env "):
                given.append(source.removeprefix("env "))
            elif source.startswith("config "):
                given.append(f"{name} in {source.removeprefix('config ')}")
            # "default", "preset …" and "implied by base_url …" are not the user's choice
        return given

    def check_endpoint(self) -> str | None:
        """Like :meth:`endpoint_problem`, but an endpoint the user configured and left incomplete is
        an error, not a reason to fall back to recordings or the rules.

        Returns None when the endpoint is usable, the reason otherwise when nothing was configured
        (or ``offline`` is set): the caller replays recordings or writes a facts-only briefing. Raises
        :class:`ConfigError` naming the missing piece when ``base_url``, ``provider``, the API key or
        its variable was set by flag, environment or config file and the endpoint is still unusable.
        """
        problem = self.endpoint_problem()
        if problem is None or self.offline:
            return problem
        given = self.endpoint_configuration()
        if not given:
            return problem
        raise ConfigError(
            f"the LLM endpoint is only partly configured ({', '.join(given)} given): {problem}; "
            "or pass --offline to replay recordings without an endpoint"
        )

    def api_key_value(self) -> str:
        """The key to send; a harmless placeholder for servers that need none."""
        if self.api_key is not None:
            return self.api_key.get_secret_value()
        if self.key_required:
            raise ConfigError(f"no API key for provider {self.provider}: {self.key_hint}")
        return PLACEHOLDER_API_KEY

    def secrets(self) -> tuple[str, ...]:
        """Secret strings to scrub from anything written (cache, logs, recordings, outputs)."""
        return (self.api_key.get_secret_value(),) if self.api_key is not None else ()

    @property
    def effective_log_path(self) -> Path:
        return self.log_path if self.log_path is not None else self.cache_dir / "calls.jsonl"

    def source_of(self, field: str) -> str:
        """Where a field's value came from: flag, env NAME, config PATH, preset NAME or default."""
        return self._sources.get(field, "default")

    def sampling(self) -> dict[str, Any]:
        """Sampling parameters sent with every request (and part of the cache key)."""
        params: dict[str, Any] = {"temperature": self.temperature}
        if self.top_p is not None:
            params["top_p"] = self.top_p
        if self.seed is not None:
            params["seed"] = self.seed
        if self.max_tokens is not None:
            params["max_tokens"] = self.max_tokens
        return params

    def public_dict(self) -> dict[str, Any]:
        """A JSON-safe dump without the key, for metadata and ``describe``."""
        data = self.model_dump(mode="json")
        data["base_url"] = self.base_url or (self.preset.base_url if self.preset else None)
        data["model"] = self.model or (self.preset.model if self.preset else None)
        data["api_key_set"] = self.api_key is not None
        return data

    def describe(self) -> str:
        """Human-readable settings, one per line with its source; the API key is masked."""
        rows: list[tuple[str, str, str]] = []
        for name in type(self).model_fields:
            if name == "api_key":
                if self.api_key is None:
                    shown = "(not set)"
                else:
                    shown = f"******** ({len(self.api_key.get_secret_value())} characters)"
                rows.append((name, shown, self.source_of(name)))
                continue
            value = getattr(self, name)
            source = self.source_of(name)
            if value is None and name in ("base_url", "model") and self.preset is not None:
                value = getattr(self.preset, name)
                source = f"preset {self.provider}"
            rows.append((name, "(not set)" if value is None else str(value), source))
        problem = self.endpoint_problem()
        rows.append(("endpoint", "ready" if problem is None else f"not usable: {problem}", ""))
        width = max(len(r[0]) for r in rows)
        vwidth = min(60, max(len(r[1]) for r in rows))
        return "\n".join(
            f"{name:<{width}}  {value:<{vwidth}}  {('(' + source + ')') if source else ''}".rstrip()
            for name, value, source in rows
        )

    def replace(self, **changes: Any) -> Settings:
        """A validated copy with ``changes`` applied (recorded as flags); the key is kept."""
        data = self.model_dump()
        data["api_key"] = self.api_key
        data.update(changes)
        try:
            new = type(self).model_validate(data)
        except ValidationError as exc:
            raise ConfigError(_format_validation_error(exc, {k: "flag" for k in changes})) from None
        new._sources = {**self._sources, **{k: "flag" for k in changes}}
        return new


# -- loading -------------------------------------------------------------------------------------

_PATH_FIELDS = frozenset({"out_dir", "cache_dir", "log_path", "recordings_dir", "prices_path"})
_FIELDS = tuple(Settings.model_fields)


def find_config_file(
    config_path: str | Path | None, env: Mapping[str, str], cwd: Path | None = None
) -> Path | None:
    """The config file to read, or None. An explicitly named file must exist."""
    explicit = config_path if config_path is not None else env.get(f"{ENV_PREFIX}CONFIG")
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist: check --config / {ENV_PREFIX}CONFIG")
        return path
    here = (cwd or Path.cwd()) / "summarizer.toml"
    if here.is_file():
        return here
    xdg = env.get("XDG_CONFIG_HOME")
    home = env.get("HOME")
    base = Path(xdg) if xdg else (Path(home) / ".config" if home else None)
    if base is not None:
        user = base / "summarizer" / "config.toml"
        if user.is_file():
            return user
    return None


def _read_config(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        raise ConfigError(
            f"config file {path}: unknown setting(s) {', '.join(unknown)}; known settings: {', '.join(_FIELDS)}"
        )
    for name in _PATH_FIELDS & set(data):
        if isinstance(data[name], str):
            candidate = Path(data[name]).expanduser()
            data[name] = candidate if candidate.is_absolute() else path.parent / candidate
    return data


def _read_env(env: Mapping[str, str]) -> dict[str, tuple[Any, str]]:
    values: dict[str, tuple[Any, str]] = {}
    for name in _FIELDS:
        if name == "api_key":
            continue  # resolved with the provider's key variables below
        var = ENV_PREFIX + name.upper()
        raw = env.get(var)
        if raw is not None and raw.strip() != "":
            values[name] = (raw.strip(), f"env {var}")
    return values


def _format_validation_error(exc: ValidationError, sources: Mapping[str, str]) -> str:
    problems = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]) or "settings"
        source = sources.get(field.split(".")[0], "default")
        value = error.get("input")
        shown = "" if field == "api_key" else f" = {value!r}"
        problems.append(f"{field}{shown} ({source}): {error['msg']}")
    return "invalid settings: " + "; ".join(problems)


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    config_path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    *,
    cwd: Path | None = None,
) -> Settings:
    """Resolve settings from flags (``overrides``), environment, config file, presets and defaults.

    ``overrides`` uses field names; ``None`` values are ignored, so CLI options can be passed through
    unconditionally. Raises :class:`ConfigError` with the offending source on any invalid value.
    """
    env = os.environ if env is None else env
    flags = {k: v for k, v in (overrides or {}).items() if v is not None}
    unknown = sorted(set(flags) - set(_FIELDS))
    if unknown:
        raise ConfigError(f"unknown setting(s) {', '.join(unknown)}; known settings: {', '.join(_FIELDS)}")

    path = find_config_file(config_path, env, cwd)
    config = _read_config(path) if path is not None else {}
    env_values = _read_env(env)

    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name in _FIELDS:
        if name in flags:
            merged[name], sources[name] = flags[name], "flag"
        elif name in env_values:
            merged[name], sources[name] = env_values[name]
        elif name in config:
            merged[name], sources[name] = config[name], f"config {path}"

    # Setting a base URL without naming a provider means a custom endpoint, not OpenAI.
    if "base_url" in merged and "provider" not in merged:
        merged["provider"], sources["provider"] = "custom", f"implied by base_url ({sources['base_url']})"
    provider = merged.get("provider", "openai")
    if provider not in get_args(ProviderName):
        raise ConfigError(
            f"unknown provider {provider!r} ({sources.get('provider', 'default')}); "
            f"choose one of {', '.join(get_args(ProviderName))}, or set base_url for any other endpoint"
        )
    preset = PRESETS.get(provider)
    if preset is not None and "mode" not in merged:
        merged["mode"], sources["mode"] = preset.mode, f"preset {preset.name}"

    # The key: flag > SUMMARIZER_API_KEY / api_key_env / provider variable > config file.
    key_env_override = merged.get("api_key_env")
    if "api_key" not in flags:
        candidates = [ENV_PREFIX + "API_KEY"]
        if key_env_override:
            candidates.insert(0, str(key_env_override))
        if preset is not None and preset.key_env:
            candidates.append(preset.key_env)
        elif preset is None:
            candidates.extend(_CUSTOM_KEY_ENVS)
        for var in candidates:
            if env.get(var, "").strip():
                merged["api_key"], sources["api_key"] = env[var], f"env {var}"
                break
        else:
            if "api_key" in config:
                merged["api_key"], sources["api_key"] = config["api_key"], f"config {path}"

    try:
        settings = Settings.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(exc, sources)) from None
    settings._sources = sources
    return settings
