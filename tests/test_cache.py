"""The result cache: keys, JSON-only storage, secrets, --no-cache / --refresh, stats and clear."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from summarizer.llm.cache import ResultCache, cache_key, canonical_json, schema_hash

SECRET = "sk-cache-test-SECRET-abcdef123456"
FIELDS = {
    "endpoint": "https://api.example.com/v1",
    "model": "m",
    "mode": "tools",
    "prompt_version": "article_briefing.v1",
    "schema_sha256": "0" * 64,
    "segment_text": "数字经济总量突破1.7万亿元",
    "sampling": {"temperature": 0.0, "max_tokens": 4096},
}


def test_key_is_stable_and_order_independent() -> None:
    reordered = dict(reversed(list(FIELDS.items())))
    assert cache_key(FIELDS) == cache_key(reordered)
    assert len(cache_key(FIELDS)) == 64


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("endpoint", "http://127.0.0.1:11434/v1"),
        ("model", "other"),
        ("mode", "json"),
        ("prompt_version", "article_briefing.v3"),
        ("schema_sha256", "1" * 64),
        ("segment_text", "数字经济总量突破1.8万亿元"),
        ("sampling", {"temperature": 0.2, "max_tokens": 4096}),
    ],
)
def test_every_key_field_changes_the_key(field: str, value: object) -> None:
    assert cache_key({**FIELDS, field: value}) != cache_key(FIELDS)


def test_canonical_json_keeps_chinese_readable() -> None:
    assert canonical_json({"b": 1, "a": "数字"}) == '{"a":"数字","b":1}'
    assert schema_hash({"a": 1}) == schema_hash({"a": 1})


def test_values_round_trip_as_json_text_never_pickle(tmp_path: Path) -> None:
    with ResultCache(tmp_path / "c") as cache:
        key = cache_key(FIELDS)
        big = "长" * 100_000  # large values go to a file, still as text
        cache.set(key, {"result": {"headline": "湖南"}, "completions": [{"x": 1}]})
        cache.set("big", {"result": big})
        assert cache.get(key) == {
            "cache_format": 1,
            "result": {"headline": "湖南"},
            "completions": [{"x": 1}],
        }
        assert cache.get("big") == {"cache_format": 1, "result": big}
    with sqlite3.connect(tmp_path / "c" / "cache.db") as db:
        modes = {row[0] for row in db.execute("SELECT mode FROM Cache")}
    # diskcache modes: 1 = raw (text in SQLite), 3 = text file; 4 = pickle must never appear.
    assert modes <= {1, 3}
    assert not any(
        p.suffix == ".val" and p.read_bytes().startswith(b"\x80") for p in (tmp_path / "c").rglob("*")
    )


def test_a_secret_is_scrubbed_before_it_is_stored(tmp_path: Path) -> None:
    with ResultCache(tmp_path / "c", secrets=[SECRET]) as cache:
        cache.set("k", {"result": f"echoed key {SECRET}"})
        assert all(SECRET not in value for value in cache.raw_values())
    assert all(SECRET.encode() not in p.read_bytes() for p in (tmp_path / "c").rglob("*") if p.is_file())


def test_hits_misses_stats_and_clear(tmp_path: Path) -> None:
    with ResultCache(tmp_path / "c") as cache:
        assert cache.get("k") is None
        cache.set("k", {"result": 1})
        assert cache.get("k") is not None
        stats = cache.stats()
        assert (stats.entries, stats.hits, stats.misses, stats.writes) == (1, 1, 1, 1)
        assert stats.size_bytes > 0
        assert "1 entries" in stats.describe() and "1 hits, 1 misses" in stats.describe()
        assert cache.clear() == 1
        assert cache.stats().entries == 0


def test_disabled_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    with ResultCache(tmp_path / "c") as cache:
        cache.set("k", {"result": 1})
    with ResultCache(tmp_path / "c", enabled=False) as cache:
        assert cache.get("k") is None
        cache.set("k2", {"result": 2})
        assert cache.writes == 0
    with ResultCache(tmp_path / "c") as cache:
        assert cache.get("k2") is None


def test_refresh_skips_reads_but_stores(tmp_path: Path) -> None:
    with ResultCache(tmp_path / "c") as cache:
        cache.set("k", {"result": "old"})
    with ResultCache(tmp_path / "c", refresh=True) as cache:
        assert cache.get("k") is None
        cache.set("k", {"result": "new"})
    with ResultCache(tmp_path / "c") as cache:
        assert cache.get("k") == {"cache_format": 1, "result": "new"}


def test_an_entry_of_another_format_is_a_miss(tmp_path: Path) -> None:
    with ResultCache(tmp_path / "c") as cache:
        cache._open().set("k", '{"cache_format": 0}')
        cache._open().set("j", "not json")
        assert cache.get("k") is None and cache.get("j") is None
        assert cache.misses == 2


def test_inspecting_never_creates_a_cache(tmp_path: Path) -> None:
    import diskcache.core

    from summarizer.errors import ConfigError
    from summarizer.llm.cache import CACHE_DB_NAME, cache_exists

    assert CACHE_DB_NAME == diskcache.core.DBNAME
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = tmp_path / "missing"
    for directory in (empty, missing):
        assert not cache_exists(directory)
        with ResultCache(directory, create=False) as cache, pytest.raises(ConfigError, match="no cache at"):
            cache.stats()
    assert list(empty.iterdir()) == [] and not missing.exists()
    with ResultCache(tmp_path / "c") as cache:
        cache.set("k", {"result": 1})
    assert cache_exists(tmp_path / "c")
    with ResultCache(tmp_path / "c", create=False) as cache:
        assert cache.stats().entries == 1


@pytest.mark.parametrize("command", ["stats", "clear"])
def test_cache_commands_on_a_directory_without_a_cache(command: str, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**os.environ, "HOME": str(tmp_path)}
    for directory in (empty, tmp_path / "missing"):
        result = subprocess.run(
            [sys.executable, "-m", "summarizer", "cache", command, "--cache-dir", str(directory)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"no cache at {directory}\n"
    assert list(empty.iterdir()) == [] and not (tmp_path / "missing").exists()
    assert not (tmp_path / "cache").exists()
