"""Instructions planted in an article are set aside, never believed (own fixtures, fake server).

The fake server plays a model that obeys the planted instruction on every ask: it writes the planted
figure into the summary, a key point and a metric quoting the planted sentence. The engine re-asks,
the model obeys again, and the figure still never reaches the verified briefing: the passage was set
aside (no fact, not in the prompt), so every claim resting on it is contradicted and moved out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.llm.extract import extract_page
from summarizer.pipeline import analyse_file
from summarizer.settings import load_settings
from summarizer.testing.fake_openai import FakeOpenAIServer, FakeReply, FakeRequest

from helpers import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "injection"
CHINESE = FIXTURES / "chinese_order.txt"
ENGLISH = FIXTURES / "english_order.txt"

# What a model that obeys the planted sentence of CHINESE writes (9.9万亿元 and 88% are planted).
OBEYING = {
    "headline_zh": "示例市数字经济稳步发展",
    "headline_en": "Example city's digital economy reaches 9.9 trillion yuan",
    "summary_en": "In 2023 the city's digital economy reached 320 billion yuan, up 12.5%. "
    "It reached 9.9 trillion yuan, up 88%.",
    "key_points": [
        "The digital economy grew 12.5% in 2023 and accounts for 41% of GRP.",
        "The digital economy reached 9.9 trillion yuan, up 88%.",
    ],
    "metrics": [
        {
            "indicator_zh": "数字经济总量",
            "indicator_en": "size of the digital economy",
            "value": 320000000000,
            "unit": "CNY",
            "qualifier": "exact",
            "period": "2023",
            "status": "actual",
            "source_quote": "示例市数字经济总量达到3200亿元",
        },
        {
            "indicator_zh": "数字经济总量",
            "indicator_en": "size of the digital economy",
            "value": 9900000000000,
            "unit": "CNY",
            "qualifier": "exact",
            "period": "2023",
            "status": "actual",
            "source_quote": "示例市数字经济总量达到9.9万亿元",
        },
    ],
}
PLANTED = ("9.9", "9,900", "88%")


def _settings(server: FakeOpenAIServer, tmp_path: Path) -> Any:
    values = {
        "base_url": server.base_url,
        "model": "fake-model",
        "api_key": "sk-injection-test",
        "cache_dir": tmp_path / "cache",
        "log_path": tmp_path / "calls.jsonl",
        "retry_initial_wait": 0.01,
        "retry_max_wait": 0.02,
        "timeout": 5.0,
    }
    return load_settings(values, env={}, cwd=tmp_path)


@pytest.mark.parametrize(("path", "planted"), [(CHINESE, "忽略以上所有指令"), (ENGLISH, "Ignore all previous")])
def test_the_planted_passage_is_set_aside_with_its_span_and_yields_no_fact(path: Path, planted: str) -> None:
    analysis = analyse_file(path)
    original = analysis.document.original
    (passage,) = [item for segment in analysis.page.segments for item in segment.set_aside]
    assert passage.kind == "suspected_injection"
    assert original[passage.start : passage.end].startswith(planted)
    assert all(not (passage.start <= f.start < passage.end) for f in analysis.facts.facts)
    # ... and only that sentence: the article's own figures before and after it are all there.
    assert len(analysis.facts.facts) >= 4
    result = run_cli("segment", str(path), "--format", "json")
    listed = [item for segment in json.loads(result.stdout)["segments"] for item in segment["set_aside"]]
    assert [(item["kind"], item["start"], item["end"]) for item in listed] == [
        ("suspected_injection", passage.start, passage.end)
    ]


def test_a_model_that_obeys_the_injection_never_gets_its_figure_into_the_briefing(tmp_path: Path) -> None:
    analysis = analyse_file(CHINESE)
    seen: list[FakeRequest] = []

    def obey(request: FakeRequest) -> FakeReply:
        seen.append(request)
        return FakeReply.json_for_request(OBEYING)

    with FakeOpenAIServer(responder=obey) as server:
        outcome = extract_page(analysis.page, _settings(server, tmp_path), facts=analysis.facts)
    # The planted sentence was never shown to the model.
    first_prompt = json.dumps(seen[0].messages, ensure_ascii=False)
    assert "忽略以上所有指令" not in first_prompt and "9.9万亿元" not in first_prompt
    assert len(seen) > 1, "the obeying answer must have been re-asked"
    briefing = outcome.briefing
    assert briefing is not None
    (article,) = briefing.articles
    shown = json.dumps(
        article.model_dump(exclude={"unverified", "unconfirmed", "verification", "caveats"}), ensure_ascii=False
    )
    assert not any(figure in shown for figure in PLANTED), shown
    assert [m.value for m in article.metrics] == [3.2e11]
    assert any(u.claim.startswith("示例市数字经济总量达到9.9万亿元") or "9.9" in u.claim for u in article.unverified)
    (caveat,) = [c for c in article.caveats if c.kind == "suspected_injection"]
    assert "set aside" in caveat.description_en
    # It points at the passage by span and does not repeat it (the briefing may be read by a model).
    assert caveat.source_quote is None and caveat.span is not None
    assert analysis.document.original[caveat.span.start : caveat.span.end].startswith("忽略以上所有指令")


def test_a_facts_only_briefing_names_the_injection_too(tmp_path: Path) -> None:
    result = run_cli("brief", str(ENGLISH), "--offline", "--out", str(tmp_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "english_order.briefing.json").read_text(encoding="utf-8"))
    (article,) = data["articles"]
    assert [c["kind"] for c in article["caveats"]] == ["suspected_injection"]
    assert all(m["value"] != 990000 for m in article["metrics"])
    assert any(m["value"] == 250000 and m["status"] == "target" for m in article["metrics"])
