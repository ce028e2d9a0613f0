"""``summarizer batch`` against the fake OpenAI server: transient faults, resuming, interruptions.

Every page is one of our own small fixtures (``helpers.page_text``); the fake model answers with
the rule-based draft of the page's article, so an answered page verifies. Which page a request is
for is read from the article title in the prompt.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from summarizer.batch.manifest import MANIFEST_NAME
from summarizer.batch.progress import PlainReporter
from summarizer.batch.runner import BatchReport, run_batch
from summarizer.llm.client import LLMClient
from summarizer.pipeline import analyse_file
from summarizer.rules.briefing import article_from_facts
from summarizer.settings import Settings, load_settings
from summarizer.testing.fake_openai import FakeOpenAIServer, FakeReply, FakeRequest

from helpers import REPO, write_pages

SECRET = "sk-batch-test-SECRET-7c1e4b9a02"


def answers_for(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """Article title -> the answer the fake model gives for it (the page's rule-based draft)."""
    answers = {}
    for path in paths:
        analysis = analyse_file(path)
        original = analysis.document.original
        for segment in analysis.page.segments:
            draft = article_from_facts(segment, analysis.facts.for_segment(segment.index), original)
            answer = draft.model_dump(mode="json", exclude={"index", "verification", "unverified"})
            answer["headline_en"] = "Manufacturing picks up (fixture)"
            answer["summary_en"] = "Industrial output, new high-tech firms and software revenue grew (fixture)."
            answers[segment.title] = answer
    return answers


def title_of(request: FakeRequest, titles: list[str]) -> str:
    user = next((m.get("content") for m in request.messages if m.get("role") == "user"), "") or ""
    return next(title for title in titles if title in user)


class FaultyModel:
    """Answers every page; with ``rate`` > 0 a request fails with a transient fault instead.

    Whether the n-th request for a page fails is drawn from a generator seeded by (seed, title, n),
    so it does not depend on the order in which concurrent requests arrive: which pages run out of
    retries can be predicted exactly (:meth:`pages_failing`).
    """

    def __init__(self, answers: dict[str, dict[str, Any]], *, rate: float, seed: int, latency: float = 0.0):
        self.answers = answers
        self.titles = list(answers)
        self.rate = rate
        self.seed = seed
        self.latency = latency
        self.asked: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        self._lock = threading.Lock()

    def faulty(self, title: str, attempt: int) -> bool:
        return random.Random(f"{self.seed}:{title}:{attempt}").random() < self.rate

    def pages_failing(self, tries: int) -> set[str]:
        """Pages whose first ``tries`` requests all fail."""
        return {t for t in self.titles if all(self.faulty(t, n) for n in range(tries))}

    def __call__(self, request: FakeRequest) -> FakeReply:
        title = title_of(request, self.titles)
        with self._lock:
            attempt = self.asked[title]
            self.asked[title] += 1
        if self.faulty(title, attempt):
            kind = random.Random(f"{self.seed}:{title}:{attempt}:kind").choice(["429", "503", "drop"])
            self.faults[kind] += 1
            if kind == "429":
                return FakeReply.rate_limited(0.05)
            if kind == "503":
                return FakeReply.error(503)
            return FakeReply.drop()
        return FakeReply.json_for_request(self.answers[title], latency=self.latency)


def settings_for(server: FakeOpenAIServer, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "base_url": server.base_url,
        "model": "fake-model",
        "api_key": SECRET,
        "use_cache": False,  # the manifest alone must keep finished pages from being asked again
        "cache_dir": tmp_path / "cache",
        "log_path": tmp_path / "calls.jsonl",
        "retry_initial_wait": 0.01,
        "retry_max_wait": 0.02,
        "max_transport_retries": 1,
        "timeout": 5.0,
        "concurrency": 4,
    }
    values.update(overrides)
    return load_settings(values, env={}, cwd=tmp_path)


def batch(inputs: Path, out: Path, settings: Settings, **options: Any) -> tuple[BatchReport, str]:
    stream = io.StringIO()
    report = run_batch([inputs], out, settings, workers=2, reporter=PlainReporter(stream), **options)
    return report, stream.getvalue()


def manifest_rows(out: Path) -> dict[str, dict[str, Any]]:
    with sqlite3.connect(out / MANIFEST_NAME) as db:
        db.row_factory = sqlite3.Row
        return {Path(row["path"]).name: dict(row) for row in db.execute("SELECT * FROM inputs")}


def manifest_runs(out: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(out / MANIFEST_NAME) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT * FROM runs ORDER BY run_id")]


# -- transient faults ---------------------------------------------------------------------------------


def test_thirty_percent_faults_every_page_accounted_for_and_a_rerun_asks_only_for_the_failed(
    tmp_path: Path,
) -> None:
    pages = write_pages(tmp_path / "in", 20)
    model = FaultyModel(answers_for(pages), rate=0.3, seed=8)
    tries = 2  # max_transport_retries=1
    expected_failures = model.pages_failing(tries)
    assert 0 < len(expected_failures) < len(pages)  # the seed gives the rerun something to do
    out = tmp_path / "out"
    with FakeOpenAIServer(responder=model) as server:
        settings = settings_for(server, tmp_path)
        report, lines = batch(tmp_path / "in", out, settings)

        # every page accounted for: briefed and verified, or failed with its reason
        assert len(report.inputs) == len(pages)
        failed = {item.name for item in report.inputs if item.state == "failed"}
        done = {item.name for item in report.inputs if item.state == "done"}
        assert failed | done == {str(p) for p in pages} and not failed & done
        titles_failed = {model.titles[int(Path(name).stem[4:])] for name in failed}
        assert titles_failed == expected_failures
        assert all(i.summary is not None and i.summary.exit_code == 0 for i in report.inputs if i.state == "done")
        assert report.exit_code == 1
        assert sum(model.faults.values()) >= 0.2 * server.request_count  # faults were really injected
        assert set(model.faults) == {"429", "503", "drop"}
        for item in report.inputs:
            if item.state == "failed":
                assert item.error and "\n" not in item.error and item.name in item.error
        assert len(lines.splitlines()) == len(pages) + 1  # a line per page and the summary
        rows = manifest_rows(out)
        assert {name for name, row in rows.items() if row["state"] == "failed"} == {Path(n).name for n in failed}
        assert all(row["requests"] > 0 and row["prompt_tokens"] > 0 for row in rows.values() if row["state"] == "done")
        # a failed page keeps its facts (the rules did not fail), not a briefing
        for name in failed:
            stem = Path(name).stem
            assert json.loads(rows[f"{stem}.txt"]["outputs"]) == [f"{stem}.facts.json"]

        # the export has the failed pages as documents with their error, and their facts
        from summarizer.batch.export import export_directory

        counts = {table: rows for _, table, rows in export_directory(out, tmp_path / "first.duckdb")}
        assert counts["documents"] == len(pages) and counts["facts"] == 6 * len(pages)
        assert counts["articles"] == len(pages) - len(failed)

        # second run, the endpoint healthy again: requests only for the pages that failed
        model.rate = 0.0
        server.reset()
        second, _ = batch(tmp_path / "in", out, settings)
        asked = Counter(title_of(request, model.titles) for request in server.requests)
        assert set(asked) == expected_failures
        assert server.request_count == len(expected_failures)
        assert second.exit_code == 0
        assert sum(1 for item in second.inputs if item.skipped) == len(pages) - len(expected_failures)
        assert all(row["state"] == "done" for row in manifest_rows(out).values())
        assert manifest_runs(out)[-1]["analysed"] == len(expected_failures)
    for path in [*out.iterdir(), tmp_path / "calls.jsonl"]:
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_an_unchanged_finished_page_is_skipped_and_an_edited_one_briefed_again(tmp_path: Path) -> None:
    pages = write_pages(tmp_path / "in", 3)
    model = FaultyModel(answers_for(pages), rate=0.0, seed=0)
    with FakeOpenAIServer(responder=model) as server:
        settings = settings_for(server, tmp_path)
        batch(tmp_path / "in", tmp_path / "out", settings)
        assert server.request_count == 3
        pages[1].write_text(pages[1].read_text(encoding="utf-8") + "\n", encoding="utf-8")
        server.reset()
        report, _ = batch(tmp_path / "in", tmp_path / "out", settings)
        assert server.request_count == 1
        assert [item.name for item in report.inputs if not item.skipped] == [str(pages[1])]
        server.reset()
        batch(tmp_path / "in", tmp_path / "out", settings, force=True)
        assert server.request_count == 3


def test_a_rejected_key_stops_the_run_and_leaves_the_rest_pending(tmp_path: Path) -> None:
    write_pages(tmp_path / "in", 4)
    with FakeOpenAIServer(responder=lambda request: FakeReply.error(401)) as server:
        settings = settings_for(server, tmp_path)
        from summarizer.errors import LLMAuthError

        with pytest.raises(LLMAuthError):
            batch(tmp_path / "in", tmp_path / "out", settings)
    rows = manifest_rows(tmp_path / "out")
    assert {row["state"] for row in rows.values()} == {"pending"}
    assert manifest_runs(tmp_path / "out")[-1]["status"] == "aborted"


# -- one pause for everyone on 429 ------------------------------------------------------------------


def test_a_429_makes_every_request_of_the_client_wait(tmp_path: Path) -> None:
    """The second call is sent after the first one was told to wait 30 s: it waits too (the wait
    is recorded by an injected sleep, nothing sleeps for real)."""
    replies = [FakeReply.rate_limited(30.0), *[FakeReply.json_for_request({"value": 1}) for _ in range(2)]]
    slept: list[float] = []

    async def record_sleep(seconds: float) -> None:
        slept.append(seconds)

    from pydantic import BaseModel

    class Value(BaseModel):
        value: int

    with FakeOpenAIServer(replies=replies) as server:
        settings = settings_for(server, tmp_path, concurrency=1, retry_after_cap=60.0)

        async def go() -> None:
            async with LLMClient(settings, sleep=record_sleep) as client:
                ask = [{"role": "user", "content": "value?"}]
                await client.structured(Value, ask, label="first")
                await client.structured(Value, ask, label="second")

        asyncio.run(go())
    # The first call's retry waits 30 s (tenacity's wait). The injected sleep does not let time pass,
    # so the retry then still finds the pause in force, and so does the second call: both wait
    # out what is left of it before they are sent (with real sleeps the retry's remainder is ~0).
    assert slept[0] == 30.0
    assert len(slept) == 3 and all(25.0 < wait <= 30.0 for wait in slept[1:])
    assert server.request_count == 3


# -- interrupted runs ---------------------------------------------------------------------------------


def _cli_env(server: FakeOpenAIServer, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("API_KEY") and not k.startswith("SUMMARIZER_")}
    env.update(
        {
            "SUMMARIZER_BASE_URL": server.base_url,
            "SUMMARIZER_MODEL": "fake-model",
            "SUMMARIZER_API_KEY": SECRET,
            "SUMMARIZER_USE_CACHE": "false",
            "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"),
            "SUMMARIZER_CONCURRENCY": "1",
            "PYTHONPATH": str(REPO),
        }
    )
    return env


def _start_batch(inputs: Path, out: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    # Its own process group, so that the test can stop the batch and its workers together, as a
    # terminal's Ctrl-C or a `kill` of the job would.
    return subprocess.Popen(
        [sys.executable, "-m", "summarizer", "batch", str(inputs), "--out", str(out), "--workers", "1"],
        cwd=inputs.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for_done(out: Path, count: int, process: subprocess.Popen[str], limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the batch ended before it was stopped: {process.communicate()}")
        if (out / MANIFEST_NAME).exists():
            try:
                done = sum(1 for row in manifest_rows(out).values() if row["state"] == "done")
            except sqlite3.OperationalError:  # the schema is being created
                done = 0
            if done >= count:
                return
        time.sleep(0.02)
    raise AssertionError(f"fewer than {count} inputs done after {limit} s")


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_a_stopped_run_resumes_and_the_rerun_briefs_only_the_rest(stop: signal.Signals, tmp_path: Path) -> None:
    pages = write_pages(tmp_path / "in", 20)
    model = FaultyModel(answers_for(pages), rate=0.0, seed=0, latency=0.15)  # >= 3 s for 20 pages
    out = tmp_path / "out"
    with FakeOpenAIServer(responder=model) as server:
        env = _cli_env(server, tmp_path)
        first = _start_batch(tmp_path / "in", out, env)
        try:
            _wait_for_done(out, 4, first)
            os.killpg(first.pid, stop)
            first.communicate(timeout=60)
        finally:
            if first.poll() is None:
                os.killpg(first.pid, signal.SIGKILL)
                first.wait()
        if stop == signal.SIGINT:
            assert first.returncode == 130
            # stopped cleanly: nothing left running, the run recorded as interrupted
            assert "running" not in {row["state"] for row in manifest_rows(out).values()}
            assert manifest_runs(out)[-1]["status"] == "interrupted"
        done_first = {name for name, row in manifest_rows(out).items() if row["state"] == "done"}
        assert 4 <= len(done_first) < len(pages)

        server.reset()
        second = subprocess.run(
            [sys.executable, "-m", "summarizer", "batch", str(tmp_path / "in"), "--out", str(out)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert second.returncode == 0, second.stderr
        rows = manifest_rows(out)
        assert all(row["state"] == "done" for row in rows.values())
        # the second run analysed exactly the inputs the first did not finish, and asked only for them
        runs = manifest_runs(out)
        assert runs[0]["status"] == "interrupted"
        assert runs[-1]["analysed"] == len(pages) - len(done_first)
        assert {name for name, row in rows.items() if row["run_id"] == runs[-1]["run_id"]} == (
            {p.name for p in pages} - done_first
        )
        assert all(rows[name]["attempts"] == 1 and rows[name]["run_id"] == runs[0]["run_id"] for name in done_first)
        assert server.request_count == len(pages) - len(done_first)
        asked = {title_of(request, model.titles) for request in server.requests}
        assert asked == {model.titles[int(Path(name).stem[4:])] for name in {p.name for p in pages} - done_first}
