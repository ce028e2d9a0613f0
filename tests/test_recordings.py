"""The shipped recordings: provenance, readability, no secrets, up to date, and replay behaviour."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from summarizer.errors import LLMRequestError
from summarizer.llm.client import LLMClient
from summarizer.llm.recording import (
    Provenance,
    dump_cassette,
    find_recording,
    load_cassette,
    read_provenance,
    recorded_statement,
    request_fingerprint,
    use_cassette,
)
from summarizer.settings import load_settings
from summarizer.testing.fake_openai import FakeOpenAIServer, FakeReply
from summarizer.testing.reference_cassette import (
    REASK_ARTICLE,
    build_reference_cassette,
    cassette_path_for,
    comparable,
    reference_answers,
)
from summarizer.text.ingest import read_document

from helpers import REPO, SEED

RECORDINGS = REPO / "seeds" / "recordings"
BRIEFING = REPO / "seeds" / "000_4e8de9e190906468.briefing.json"
SHIPPED = cassette_path_for(SEED, RECORDINGS)


def interactions(path: Path) -> list[dict[str, Any]]:
    return list(load_cassette(path.read_text(encoding="utf-8"))["interactions"])


def test_shipped_reference_recording_is_up_to_date(tmp_path: Path) -> None:
    fresh = build_reference_cassette(SEED, BRIEFING, tmp_path / SHIPPED.name, root=REPO)
    shipped_doc = load_cassette(SHIPPED.read_text(encoding="utf-8"))
    fresh_doc = load_cassette(fresh.read_text(encoding="utf-8"))
    assert comparable(shipped_doc) == comparable(fresh_doc), (
        "seeds/recordings is stale: run .venv/bin/python scripts/regen_recordings.py"
    )


def test_reference_recording_says_it_is_hand_written() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    first_line = text.splitlines()[0]
    assert first_line == (
        "# hand-written reference response in OpenAI chat.completions wire format, derived from "
        "seeds/000_4e8de9e190906468.briefing.json; not a model's output"
    )
    provenance = read_provenance(SHIPPED)
    assert provenance.kind == "reference" and provenance.model == "hand-written-reference"
    assert provenance.input_sha256 == read_document(SEED).sha256
    assert (
        provenance.recorded_on is None
        and provenance.derived_from == "seeds/000_4e8de9e190906468.briefing.json"
    )
    for interaction in interactions(SHIPPED):
        body = json.loads(interaction["response"]["body"]["string"])
        assert body["model"] == "hand-written-reference"


def test_recordings_are_readable_and_hold_no_secrets() -> None:
    for path in RECORDINGS.glob("*.cassette.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "湖南" in text or "上海" in text  # Chinese stored as text
        assert not re.search(r"\\u[0-9a-fA-F]{4}", text), f"{path}: \\u escapes"
        assert "!!binary" not in text, f"{path}: base64 body"
        assert "authorization" not in text.lower() and "api-key" not in text.lower()
        assert not re.search(r"\bsk-[A-Za-z0-9_-]{8,}", text)
        for interaction in interactions(path):
            assert set(interaction["request"]["headers"]) <= {"content-type"}
            assert set(interaction["response"]["headers"]) <= {"content-type"}


def test_reference_recording_contains_the_corrected_reask() -> None:
    answers = reference_answers(BRIEFING)
    exchanges = interactions(SHIPPED)
    assert len(exchanges) == len(answers) + 1
    reasks = [i for i in exchanges if request_fingerprint(i["request"]["body"]).endswith("answers=1")]
    assert len(reasks) == 1
    reask = reasks[0]
    article = request_fingerprint(reask["request"]["body"]).split()[1]
    first = next(
        i
        for i in exchanges
        if request_fingerprint(i["request"]["body"]) == f"model=hand-written-reference {article} answers=0"
    )

    def arguments(interaction: dict[str, Any]) -> dict[str, Any]:
        body = json.loads(interaction["response"]["body"]["string"])
        result: dict[str, Any] = json.loads(
            body["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
        )
        return result

    right = answers[REASK_ARTICLE]["metrics"][0]["value"]
    # The wrong answer states the figure itself, one off; the corrected one cites the figure list.
    assert arguments(first)["metrics"][0]["value"] == right + 1
    assert "value" not in arguments(reask)["metrics"][0] and arguments(reask)["metrics"][0]["figure"].startswith("F")
    feedback = json.loads(reask["request"]["body"])["messages"][-1]["content"]
    assert "not stated" in feedback


def test_recording_lookup_is_by_input_hash(tmp_path: Path) -> None:
    sha = read_document(SEED).sha256
    assert find_recording(sha, [RECORDINGS]) == SHIPPED
    assert find_recording("0" * 64, [RECORDINGS]) is None


def test_dump_and_load_round_trip() -> None:
    original = load_cassette(SHIPPED.read_text(encoding="utf-8"))
    again = load_cassette(dump_cassette(original))
    assert comparable(again) == comparable(original)


class Answer(BaseModel):
    value: float


def test_replay_of_an_unrecorded_request_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "one.cassette.yaml"
    secret = "sk-recording-test-SECRET-998877"
    with FakeOpenAIServer(responder=lambda request: FakeReply.json_for_request({"value": 1.0})) as server:
        settings = load_settings(
            {"base_url": server.base_url, "model": "fake-model", "api_key": secret, "log_calls": False},
            env={},
        )
        provenance = Provenance(
            kind="recorded",
            statement=recorded_statement("fake-model", server.base_url),
            endpoint=server.base_url,
            model="fake-model",
            mode="tools",
            prompt_version="test",
            schema_sha256="0" * 64,
            input_name="x",
            input_sha256="0" * 64,
            generator="tests",
        )

        async def ask(article: str) -> Any:
            async with LLMClient(settings) as client:
                messages = [{"role": "user", "content": f"<article>\n{article}\n</article>"}]
                return await client.structured(Answer, messages)

        with use_cassette(path, mode="record", provenance=provenance, secrets=settings.secrets()):
            asyncio.run(ask("数字"))
        assert server.request_count == 1
    assert secret not in path.read_text(encoding="utf-8")
    replay_settings = settings.replace(max_transport_retries=3)
    with use_cassette(path, mode="replay"):
        settings = replay_settings

        async def replay(article: str) -> Any:
            async with LLMClient(settings) as client:
                return await client.structured(
                    Answer, [{"role": "user", "content": f"<article>\n{article}\n</article>"}]
                )

        assert asyncio.run(replay("数字")).value is not None
    with (
        use_cassette(path, mode="replay"),
        pytest.raises(LLMRequestError, match="the recording does not cover"),
    ):
        asyncio.run(replay("别的文章"))
