"""Settings: resolution order, presets, config files, key handling and masking."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.errors import ConfigError
from summarizer.settings import PRESETS, load_settings

KEY = "sk-settings-test-SECRET-9876543210"


def write_config(directory: Path, text: str, name: str = "summarizer.toml") -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_anything(tmp_path: Path) -> None:
    settings = load_settings(env={}, cwd=tmp_path)
    assert settings.provider == "openai"
    assert settings.effective_model == PRESETS["openai"].model
    assert settings.mode == "tools"
    assert settings.max_reasks == 2
    assert settings.max_input_bytes == 5 * 1024 * 1024
    assert settings.cache_dir == Path("cache")
    assert settings.api_key is None
    assert (
        settings.endpoint_problem() == "no API key for provider openai: set OPENAI_API_KEY or pass --api-key"
    )


def test_flags_beat_env_beat_config_beat_defaults(tmp_path: Path) -> None:
    write_config(tmp_path, 'model = "from-config"\ntemperature = 0.5\nconcurrency = 3\ntimeout = 9\n')
    env = {"SUMMARIZER_MODEL": "from-env", "SUMMARIZER_TEMPERATURE": "0.7"}
    settings = load_settings({"model": "from-flag", "concurrency": None}, env=env, cwd=tmp_path)
    assert settings.model == "from-flag" and settings.source_of("model") == "flag"
    assert settings.temperature == 0.7 and settings.source_of("temperature") == "env SUMMARIZER_TEMPERATURE"
    assert settings.concurrency == 3 and settings.source_of("concurrency").startswith("config ")
    assert settings.timeout == 9.0
    assert settings.max_reasks == 2 and settings.source_of("max_reasks") == "default"


@pytest.mark.parametrize(
    ("provider", "variable", "mode"),
    [
        ("openai", "OPENAI_API_KEY", "tools"),
        ("deepseek", "DEEPSEEK_API_KEY", "tools"),
        ("qwen", "DASHSCOPE_API_KEY", "tools"),
        ("moonshot", "MOONSHOT_API_KEY", "tools"),
    ],
)
def test_hosted_presets_read_their_conventional_key(
    provider: str, variable: str, mode: str, tmp_path: Path
) -> None:
    settings = load_settings({"provider": provider}, env={variable: KEY}, cwd=tmp_path)
    assert settings.api_key is not None and settings.api_key.get_secret_value() == KEY
    assert settings.source_of("api_key") == f"env {variable}"
    assert settings.effective_base_url == PRESETS[provider].base_url
    assert settings.mode == mode
    assert settings.endpoint_problem() is None


def test_other_providers_keys_are_not_used(tmp_path: Path) -> None:
    settings = load_settings({"provider": "deepseek"}, env={"OPENAI_API_KEY": KEY}, cwd=tmp_path)
    assert settings.api_key is None
    assert "DEEPSEEK_API_KEY" in (settings.endpoint_problem() or "")


@pytest.mark.parametrize("provider", ["ollama", "vllm"])
def test_local_presets_need_no_key_and_default_to_json_mode(provider: str, tmp_path: Path) -> None:
    settings = load_settings({"provider": provider}, env={}, cwd=tmp_path)
    assert settings.mode == "json"
    assert settings.endpoint_problem() is None
    assert settings.api_key_value() == "not-needed"
    assert settings.effective_base_url.startswith("http://127.0.0.1")


def test_summarizer_api_key_beats_the_provider_variable(tmp_path: Path) -> None:
    env = {"SUMMARIZER_API_KEY": KEY, "DEEPSEEK_API_KEY": "sk-other-key-123456"}
    settings = load_settings({"provider": "deepseek"}, env=env, cwd=tmp_path)
    assert settings.api_key is not None and settings.api_key.get_secret_value() == KEY


def test_base_url_alone_means_a_custom_endpoint(tmp_path: Path) -> None:
    settings = load_settings({"base_url": "http://127.0.0.1:9999/v1/", "model": "m"}, env={}, cwd=tmp_path)
    assert settings.provider == "custom"
    assert settings.effective_base_url == "http://127.0.0.1:9999/v1"
    assert settings.endpoint_problem() is None


def test_custom_endpoint_needs_a_model(tmp_path: Path) -> None:
    settings = load_settings({"base_url": "http://127.0.0.1:9999/v1"}, env={}, cwd=tmp_path)
    assert "no model" in (settings.endpoint_problem() or "")


def test_mode_flag_overrides_the_preset(tmp_path: Path) -> None:
    settings = load_settings({"provider": "ollama", "mode": "md_json"}, env={}, cwd=tmp_path)
    assert settings.mode == "md_json"


def test_user_config_file_and_explicit_path(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_config(home / ".config" / "summarizer", 'provider = "moonshot"\ncache_dir = "c"\n', "config.toml")
    settings = load_settings(env={"HOME": str(home)}, cwd=tmp_path)
    assert settings.provider == "moonshot"
    assert settings.cache_dir == home / ".config" / "summarizer" / "c"  # relative to the file
    explicit = write_config(tmp_path / "elsewhere", 'provider = "qwen"\n', "my.toml")
    assert load_settings(config_path=explicit, env={"HOME": str(home)}, cwd=tmp_path).provider == "qwen"
    # ./summarizer.toml wins over the user file
    write_config(tmp_path, 'provider = "vllm"\n')
    assert load_settings(env={"HOME": str(home)}, cwd=tmp_path).provider == "vllm"


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(config_path=tmp_path / "nope.toml", env={}, cwd=tmp_path)


def test_bad_config_files_say_what_is_wrong(tmp_path: Path) -> None:
    write_config(tmp_path, "modle = 'x'\n")
    with pytest.raises(ConfigError, match=r"unknown setting.*modle"):
        load_settings(env={}, cwd=tmp_path)
    write_config(tmp_path, "model = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(env={}, cwd=tmp_path)


def test_invalid_values_name_their_source(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"temperature = 'hot' \(env SUMMARIZER_TEMPERATURE\)"):
        load_settings(env={"SUMMARIZER_TEMPERATURE": "hot"}, cwd=tmp_path)
    with pytest.raises(ConfigError, match="mode"):
        load_settings({"mode": "xml"}, env={}, cwd=tmp_path)
    with pytest.raises(ConfigError, match="unknown provider 'gemini'"):
        load_settings({"provider": "gemini"}, env={}, cwd=tmp_path)
    with pytest.raises(ConfigError, match="base_url must start with http"):
        load_settings({"base_url": "api.example.com"}, env={}, cwd=tmp_path)


def test_env_values_are_parsed(tmp_path: Path) -> None:
    env = {
        "SUMMARIZER_USE_CACHE": "false",
        "SUMMARIZER_CONCURRENCY": "8",
        "SUMMARIZER_CACHE_DIR": "/tmp/x-cache",
        "SUMMARIZER_MAX_INPUT_BYTES": "1000",
    }
    settings = load_settings(env=env, cwd=tmp_path)
    assert settings.use_cache is False
    assert settings.concurrency == 8
    assert settings.cache_dir == Path("/tmp/x-cache")
    assert settings.max_input_bytes == 1000


def test_the_key_is_never_printed_or_serialised(tmp_path: Path) -> None:
    settings = load_settings({"provider": "deepseek", "api_key": KEY}, env={}, cwd=tmp_path)
    assert settings.api_key is not None
    for text in (
        repr(settings),
        str(settings),
        settings.describe(),
        settings.model_dump_json(),
        str(settings.model_dump()),
        str(settings.public_dict()),
    ):
        assert KEY not in text
    assert "api_key" not in settings.model_dump()
    assert settings.public_dict()["api_key_set"] is True
    assert "********" in settings.describe()
    assert settings.secrets() == (KEY,)


def test_describe_names_sources_and_endpoint_state(tmp_path: Path) -> None:
    text = load_settings({"provider": "deepseek"}, env={"DEEPSEEK_API_KEY": KEY}, cwd=tmp_path).describe()
    assert "(env DEEPSEEK_API_KEY)" in text
    assert "https://api.deepseek.com/v1" in text and "(preset deepseek)" in text
    assert "endpoint" in text and "ready" in text


def test_replace_validates_and_keeps_the_key(tmp_path: Path) -> None:
    settings = load_settings({"provider": "deepseek", "api_key": KEY}, env={}, cwd=tmp_path)
    changed = settings.replace(concurrency=2)
    assert changed.concurrency == 2 and changed.api_key == settings.api_key
    assert changed.source_of("concurrency") == "flag"
    with pytest.raises(ConfigError):
        settings.replace(concurrency=0)


def test_importing_settings_does_not_import_openai() -> None:
    code = "import sys, summarizer.settings, summarizer.llm.client, summarizer.llm.cache; print('openai' in sys.modules, 'instructor' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False False"


def test_nothing_configured_is_a_fallback_not_an_error(tmp_path: Path) -> None:
    settings = load_settings(env={}, cwd=tmp_path)
    assert settings.endpoint_configuration() == []
    assert settings.check_endpoint() == settings.endpoint_problem() is not None
    # The model alone does not ask for a live endpoint.
    assert load_settings({"model": "gpt-4o"}, env={}, cwd=tmp_path).check_endpoint() is not None


@pytest.mark.parametrize(
    ("overrides", "env", "config", "named", "missing"),
    [
        ({"base_url": "http://127.0.0.1:9/v1", "api_key": KEY}, {}, "", "--base-url", "--model or SUMMARIZER_MODEL"),
        ({}, {"SUMMARIZER_BASE_URL": "http://127.0.0.1:9/v1"}, "", "SUMMARIZER_BASE_URL", "SUMMARIZER_MODEL"),
        ({}, {}, 'base_url = "http://127.0.0.1:9/v1"\n', "base_url in", "SUMMARIZER_MODEL"),
        ({"provider": "deepseek"}, {}, "", "--provider", "DEEPSEEK_API_KEY"),
        ({}, {"SUMMARIZER_PROVIDER": "qwen"}, "", "SUMMARIZER_PROVIDER", "DASHSCOPE_API_KEY"),
        ({}, {}, 'provider = "moonshot"\n', "provider in", "MOONSHOT_API_KEY"),
        ({"provider": "custom", "api_key": KEY}, {}, "", "--api-key", "--base-url or SUMMARIZER_BASE_URL"),
        ({"api_key_env": "MY_KEY"}, {}, "", "--api-key-env", "MY_KEY"),
    ],
)
def test_a_half_configured_endpoint_is_a_config_error(
    overrides: dict[str, str], env: dict[str, str], config: str, named: str, missing: str, tmp_path: Path
) -> None:
    if config:
        write_config(tmp_path, config)
    settings = load_settings(overrides, env=env, cwd=tmp_path)
    with pytest.raises(ConfigError) as caught:
        settings.check_endpoint()
    message = str(caught.value)
    assert named in message and missing in message and "--offline" in message
    assert KEY not in message and "\n" not in message
    # --offline still wins: replay or rules, no error.
    assert settings.replace(offline=True).check_endpoint() == "offline mode (--offline)"


def test_a_complete_endpoint_passes_the_check(tmp_path: Path) -> None:
    assert load_settings({"provider": "ollama"}, env={}, cwd=tmp_path).check_endpoint() is None
    assert load_settings(env={"OPENAI_API_KEY": KEY}, cwd=tmp_path).check_endpoint() is None
    custom = load_settings({"base_url": "http://127.0.0.1:9/v1", "model": "m"}, env={}, cwd=tmp_path)
    assert custom.check_endpoint() is None
