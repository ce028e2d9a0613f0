"""The extraction engine on the seed page against the fake OpenAI server.

Answers are the seed's hand-written reference briefing (``seeds/…briefing.json``), so every article
verifies unless a test deliberately corrupts an answer.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from summarizer.errors import LLMAuthError
from summarizer.layout.segment import SegmentedPage, segment_document
from summarizer.llm.answer import unmark
from summarizer.llm.extract import PageOutcome, extract_page, split_text
from summarizer.rules.facts import FactTable, extract_facts
from summarizer.settings import Settings, load_settings
from summarizer.testing.fake_openai import FakeOpenAIServer, FakeReply, FakeRequest
from summarizer.testing.reference_cassette import reference_answers
from summarizer.text.ingest import read_document

from helpers import REPO, SEED

SECRET = "sk-extract-test-SECRET-5f3a9c2e71d4"
BRIEFING = REPO / "seeds" / "000_4e8de9e190906468.briefing.json"
JIANGXI = 2  # the article used for wrong-number tests (its first metric is 12 条 chains)


@pytest.fixture(scope="module")
def page() -> SegmentedPage:
    return segment_document(read_document(SEED))


@pytest.fixture(scope="module")
def facts(page: SegmentedPage) -> FactTable:
    return extract_facts(page)


@pytest.fixture(scope="module")
def answers() -> dict[int, dict[str, Any]]:
    return reference_answers(BRIEFING)


def wrong(answer: dict[str, Any]) -> dict[str, Any]:
    corrupted: dict[str, Any] = json.loads(json.dumps(answer))
    corrupted["metrics"][0]["value"] += 1
    return corrupted


def article_of(request: FakeRequest, page: SegmentedPage) -> int:
    user = next((m.get("content") for m in request.messages if m.get("role") == "user"), "") or ""
    return next(s.index for s in page.segments if s.text[:60] in unmark(user))


def asks_before(request: FakeRequest) -> int:
    return sum(1 for m in request.messages if m.get("role") == "assistant")


Responder = Callable[[FakeRequest], FakeReply]


def reference_responder(
    page: SegmentedPage,
    answers: dict[int, dict[str, Any]],
    *,
    wrong_until: dict[int, int] | None = None,
    failing: set[int] | None = None,
) -> Responder:
    """Reference answers; article i answers wrongly for its first ``wrong_until[i]`` asks."""
    wrong_until = wrong_until or {}

    def respond(request: FakeRequest) -> FakeReply:
        index = article_of(request, page)
        if failing and index in failing:
            return FakeReply.error(503)
        answer = answers[index]
        if asks_before(request) < wrong_until.get(index, 0):
            answer = wrong(answer)
        return FakeReply.json_for_request(answer)

    return respond


def settings_for(server: FakeOpenAIServer, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "base_url": server.base_url,
        "model": "fake-model",
        "api_key": SECRET,
        "cache_dir": tmp_path / "cache",
        "log_path": tmp_path / "calls.jsonl",
        "retry_initial_wait": 0.01,
        "retry_max_wait": 0.02,
        "max_transport_retries": 2,
        "timeout": 5.0,
    }
    values.update(overrides)
    return load_settings(values, env={}, cwd=tmp_path)


def run(page: SegmentedPage, facts: FactTable, settings: Settings) -> PageOutcome:
    return extract_page(page, settings, facts=facts)


# -- the happy path and the modes -----------------------------------------------------------------


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_every_article_verified_in_each_mode(
    mode: str, page: SegmentedPage, facts: FactTable, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    citing = reference_answers(BRIEFING, page, facts)  # the answers the engine asks for: figures cited by id
    with FakeOpenAIServer(responder=reference_responder(page, citing)) as server:
        outcome = run(page, facts, settings_for(server, tmp_path, mode=mode))
        assert server.request_count == 4
    assert [a.status for a in outcome.articles] == ["verified"] * 4
    briefing = outcome.briefing
    assert briefing is not None
    assert [a.index for a in briefing.articles] == [0, 1, 2, 3]
    for article in briefing.articles:
        assert article.unverified == []
        assert article.verification is not None and article.verification.failed == 0
        assert all(m.span is not None and m.value_span is not None for m in article.metrics)
    metadata = briefing.metadata
    assert metadata.generated_by == "llm" and metadata.model == "fake-model"
    assert metadata.prompt_version == "article_briefing.v3"
    assert metadata.llm_calls == 4 and metadata.reasks == 0
    assert metadata.usage is not None and metadata.usage.total_tokens == outcome.usage.total_tokens > 0
    assert metadata.cost_usd == 0.0  # the fake server is a local server: no charge
    assert len(outcome.prompt_overhead_tokens) == 4 and min(outcome.prompt_overhead_tokens) > 0


def test_each_answer_is_checked_once(
    page: SegmentedPage, facts: FactTable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The validator's check of the answer that passed becomes the article's: finalising does not
    run the verifier again (it is most of the engine's CPU)."""
    import summarizer.verify.checker as checker

    runs: list[str] = []
    real = checker._run_checks

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(args[1].headline_en)
        return real(*args, **kwargs)

    citing = reference_answers(BRIEFING, page, facts)  # checks the reference to write its answers
    monkeypatch.setattr(checker, "_run_checks", counted)
    with FakeOpenAIServer(responder=reference_responder(page, citing)) as server:
        outcome = run(page, facts, settings_for(server, tmp_path))
    assert [a.status for a in outcome.articles] == ["verified"] * 4
    assert len(runs) == 4 == len(set(runs))


# -- re-asks ----------------------------------------------------------------------------------------


def test_hallucinated_number_is_reasked_and_corrected(
    page: SegmentedPage, facts: FactTable, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    responder = reference_responder(page, answers, wrong_until={JIANGXI: 1})
    with FakeOpenAIServer(responder=responder) as server:
        outcome = run(page, facts, settings_for(server, tmp_path))
        reask = [r for r in server.requests if asks_before(r) == 1]
    assert len(reask) == 1 and article_of(reask[0], page) == JIANGXI
    feedback = reask[0].messages[-1]["content"]
    assert "13" in feedback and "not stated" in feedback  # the verifier's message names the bad value
    jiangxi = outcome.articles[JIANGXI]
    assert jiangxi.status == "verified" and jiangxi.asks == 2 and jiangxi.reasks == 1
    assert outcome.briefing is not None
    assert outcome.briefing.articles[JIANGXI].metrics[0].value == answers[JIANGXI]["metrics"][0]["value"]
    assert outcome.briefing.metadata.reasks == 1 and outcome.briefing.metadata.llm_calls == 5


def test_exhausted_reasks_give_an_unverified_list_not_a_crash(
    page: SegmentedPage, facts: FactTable, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    responder = reference_responder(page, answers, wrong_until={JIANGXI: 99})
    with FakeOpenAIServer(responder=responder) as server:
        outcome = run(page, facts, settings_for(server, tmp_path, max_reasks=2))
        assert server.request_count == 3 + 3  # three asks for Jiangxi, one for each other article
    jiangxi = outcome.articles[JIANGXI]
    assert jiangxi.status == "partially_verified"
    article = jiangxi.article
    assert article is not None
    # The wrong figure is quarantined first; prose the verifier still cannot square with the
    # remaining figures follows it (never shown as verified), each with the verifier's reason.
    assert article.unverified[0].pointer == "/metrics/0/value"
    assert article.unverified[0].problem == "wrong_value" and "13" in article.unverified[0].reason
    assert all(u.reason for u in article.unverified)
    bad_value = answers[JIANGXI]["metrics"][0]["value"] + 1
    assert all(
        m.value != bad_value or m.source_quote != answers[JIANGXI]["metrics"][0]["source_quote"]
        for m in article.metrics
    )
    assert len(article.metrics) == len(answers[JIANGXI]["metrics"]) - 1
    assert article.verification is not None and article.verification.failed == len(article.unverified)
    assert any("could not be verified" in note for note in outcome.notes)
    assert outcome.briefing is not None and "unverified" in (outcome.briefing.metadata.notes or "")


# -- transport failures --------------------------------------------------------------------------------


def test_a_failing_article_does_not_sink_the_page(
    page: SegmentedPage, facts: FactTable, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    responder = reference_responder(page, answers, failing={1})
    with FakeOpenAIServer(responder=responder) as server:
        outcome = run(page, facts, settings_for(server, tmp_path, max_transport_retries=1))
    assert [a.status for a in outcome.articles] == ["verified", "failed", "verified", "verified"]
    failed = outcome.articles[1]
    assert failed.error is not None and "HTTP 503" in failed.error and "failed 2 time(s)" in failed.error
    assert outcome.briefing is not None and [a.index for a in outcome.briefing.articles] == [0, 2, 3]
    assert any("failed and are missing" in note for note in outcome.notes)


def test_transient_faults_are_retried_inside_the_engine(
    page: SegmentedPage, facts: FactTable, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    faults = [FakeReply.rate_limited(0.01), FakeReply.drop(), FakeReply.truncated(), FakeReply.non_json()]
    with FakeOpenAIServer(replies=faults, responder=reference_responder(page, answers)) as server:
        outcome = run(page, facts, settings_for(server, tmp_path, max_transport_retries=4, concurrency=1))
        assert server.request_count == 8
    assert [a.status for a in outcome.articles] == ["verified"] * 4
    assert outcome.usage.requests == 8 and outcome.usage.requests_without_usage == 4


def test_authentication_failure_stops_the_run(page: SegmentedPage, facts: FactTable, tmp_path: Path) -> None:
    with FakeOpenAIServer(responder=lambda request: FakeReply.error(401)) as server:
        with pytest.raises(LLMAuthError, match="authentication failed"):
            run(page, facts, settings_for(server, tmp_path))
        assert server.request_count <= 4


# -- cache -------------------------------------------------------------------------------------------------


def test_a_second_identical_run_makes_zero_requests(
    page: SegmentedPage, facts: FactTable, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    responder = reference_responder(page, answers, wrong_until={JIANGXI: 1})
    with FakeOpenAIServer(responder=responder) as server:
        settings = settings_for(server, tmp_path)
        first = run(page, facts, settings)
        assert server.request_count == 5
        second = run(page, facts, settings)
        assert server.request_count == 5  # nothing new reached the server
    assert (first.cache_hits, first.cache_misses) == (0, 4)
    assert (second.cache_hits, second.cache_misses) == (4, 0)
    assert second.usage.requests == 0
    assert first.briefing is not None and second.briefing is not None
    strip = {"metadata"}
    assert second.briefing.model_dump(exclude=strip) == first.briefing.model_dump(exclude=strip)
    assert second.briefing.metadata.cache_hits == 4


def test_no_cache_and_refresh(
    page: SegmentedPage, facts: FactTable, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    with FakeOpenAIServer(responder=reference_responder(page, answers)) as server:
        run(page, facts, settings_for(server, tmp_path))
        run(page, facts, settings_for(server, tmp_path, use_cache=False))
        assert server.request_count == 8
        run(page, facts, settings_for(server, tmp_path, refresh_cache=True))
        assert server.request_count == 12
        run(page, facts, settings_for(server, tmp_path))
        assert server.request_count == 12


def test_cached_answers_are_verified_again(
    page: SegmentedPage, facts: FactTable, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    """A cached answer goes through the verifier on every run (here: exhausted re-asks, then cached)."""
    responder = reference_responder(page, answers, wrong_until={JIANGXI: 99})
    with FakeOpenAIServer(responder=responder) as server:
        settings = settings_for(server, tmp_path, max_reasks=0)
        first = run(page, facts, settings)
        second = run(page, facts, settings)
        assert server.request_count == 4
    assert first.articles[JIANGXI].status == second.articles[JIANGXI].status == "partially_verified"
    cached = second.articles[JIANGXI].article
    assert cached is not None
    fresh = first.articles[JIANGXI].article
    assert fresh is not None
    assert cached.unverified[0].pointer == "/metrics/0/value"
    assert cached.model_dump() == fresh.model_dump()


def test_the_key_is_in_no_cache_entry_log_or_output(
    page: SegmentedPage, facts: FactTable, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    from summarizer.output.markdown import render_json, render_markdown

    responder = reference_responder(page, answers, wrong_until={JIANGXI: 1})
    with FakeOpenAIServer(responder=responder) as server:
        settings = settings_for(server, tmp_path)
        outcome = run(page, facts, settings)
        run(page, facts, settings)
        # The key did reach the server (so the test would notice it leaking) ...
        assert all(r.headers.get("authorization") == "Bearer ***" for r in server.requests)
    assert outcome.briefing is not None
    (tmp_path / "out.md").write_text(render_markdown(outcome.briefing), encoding="utf-8")
    (tmp_path / "out.json").write_text(render_json(outcome.briefing), encoding="utf-8")
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "calls.jsonl" for p in files) and any(p.suffix == ".db" for p in files)
    for path in files:
        assert SECRET.encode() not in path.read_bytes(), path


# -- splitting and concurrency --------------------------------------------------------------------------


def test_split_text_prefers_subheadings_then_paragraphs() -> None:
    text = "\n".join(["导语。" * 20, "小标题一", "甲。" * 30, "小标题二", "乙。" * 30])
    parts = split_text(text, 150, ["小标题一", "小标题二"])
    assert "\n".join(parts) == text
    assert all(len(p) <= 150 for p in parts)
    # Sections are packed together while they fit; cuts fall at a subheading.
    assert len(parts) == 2 and parts[1].startswith("小标题二")
    assert split_text("short", 150) == ["short"]
    long_sentence_parts = split_text("长" * 400, 150)
    assert "".join(long_sentence_parts) == "长" * 400 and max(map(len, long_sentence_parts)) <= 150


def test_long_segments_are_split_and_merged(
    page: SegmentedPage, facts: FactTable, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    """Each part answers with the full reference; merging de-duplicates metrics by source span."""
    hunan = page.segments[0]

    def respond(request: FakeRequest) -> FakeReply:
        user = next(m["content"] for m in request.messages if m.get("role") == "user")
        index = next(s.index for s in page.segments if s.title in user)
        return FakeReply.json_for_request(answers[index])

    with FakeOpenAIServer(responder=respond) as server:
        outcome = run(page, facts, settings_for(server, tmp_path, segment_char_budget=1200))
        hunan_requests = [r for r in server.requests if hunan.title in r.messages[-1]["content"]]
    parts = outcome.articles[0].parts
    assert parts == len(split_text(hunan.text, 1200, hunan.subheadings)) > 1
    assert len(hunan_requests) == parts
    assert all("part " in r.messages[-1]["content"] for r in hunan_requests)
    article = outcome.articles[0].article
    assert article is not None and outcome.articles[0].status == "verified"
    assert len(article.metrics) == len(answers[0]["metrics"])
    spans = [(m.value_span.start, m.value_span.end) for m in article.metrics if m.value_span is not None]
    assert len(spans) == len(set(spans))


def test_requests_in_flight_never_exceed_concurrency(
    page: SegmentedPage, facts: FactTable, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    lock = threading.Lock()
    in_flight = 0
    peak = 0
    inner = reference_responder(page, answers)

    def respond(request: FakeRequest) -> FakeReply:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.3)
        with lock:
            in_flight -= 1
        return inner(request)

    with FakeOpenAIServer(responder=respond) as server:
        outcome = run(page, facts, settings_for(server, tmp_path, concurrency=2))
        assert server.request_count == 4
    assert peak == 2
    assert all(a.status == "verified" for a in outcome.articles)


def test_extract_page_runs_inside_an_existing_loop_via_the_async_api(
    page: SegmentedPage, facts: FactTable, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    from summarizer.llm.extract import extract_page_async

    with FakeOpenAIServer(responder=reference_responder(page, answers)) as server:
        settings = settings_for(server, tmp_path)
        outcome = asyncio.run(extract_page_async(page, settings, facts=facts))
    assert outcome.briefing is not None and len(outcome.briefing.articles) == 4


# -- what re-asks cannot fix never stays in the briefing ------------------------------------------------

MADE_UP_HEADLINE = " as output tops 9 trillion yuan"
MADE_UP_SENTENCE = " Exports rose 37% to 4.2 trillion yuan in 2023."


def hallucinating_responder(page: SegmentedPage, answers: dict[int, dict[str, Any]], **extra: Any) -> Responder:
    """Every answer (re-asks too) adds a made-up clause to the headline and a made-up sentence to the
    summary; ``extra`` fields replace the answer's."""

    def respond(request: FakeRequest) -> FakeReply:
        answer: dict[str, Any] = json.loads(json.dumps(answers[article_of(request, page)]))
        answer["headline_en"] += MADE_UP_HEADLINE
        answer["summary_en"] += MADE_UP_SENTENCE
        answer.update(extra)
        return FakeReply.json_for_request(answer)

    return respond


def test_exhausted_reasks_leave_no_rejected_text_and_the_output_verifies(
    page: SegmentedPage, facts: FactTable, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    from summarizer.output.markdown import render_json, render_markdown
    from summarizer.pipeline import verify_file

    with FakeOpenAIServer(responder=hallucinating_responder(page, answers)) as server:
        outcome = run(page, facts, settings_for(server, tmp_path, max_reasks=1))
    assert [a.status for a in outcome.articles] == ["partially_verified"] * 4
    briefing = outcome.briefing
    assert briefing is not None
    markdown = render_markdown(briefing)
    for position, (article, segment) in enumerate(zip(briefing.articles, page.segments, strict=True), 1):
        # The made-up headline is replaced by the Chinese one, marked as withheld, with no number of its own.
        assert article.headline_en == f"{segment.title} (English headline withheld: it failed verification)"
        assert f"## {position}. {segment.title} (English headline withheld" in markdown
        assert "4.2 trillion" not in article.summary_en and "37%" not in article.summary_en
        claims = [(u.pointer, u.claim) for u in article.unverified]
        assert len(claims) == len(set(claims)), claims  # each claim once
        assert [u.pointer for u in article.unverified].count("/headline_en") == 1
        assert article.verification is not None and article.verification.failed == len(article.unverified)
    # Outside the "Not verified" lists, nothing made up is left anywhere in the Markdown.
    shown = render_markdown(
        briefing.model_copy(update={"articles": [a.model_copy(update={"unverified": []}) for a in briefing.articles]})
    )
    for made_up in ("9 trillion", "4.2 trillion", "Exports rose", "output tops"):
        assert made_up not in shown
    # The verifier, run on the engine's own output as a user would, finds nothing to reject.
    path = tmp_path / "out.briefing.json"
    path.write_text(render_json(briefing), encoding="utf-8")
    report = verify_file(SEED, path)
    assert report.ok, [(c.pointer, c.claim, c.message) for c in report.failed()]


def test_heading_fields_the_model_makes_up_never_reach_the_briefing(
    page: SegmentedPage, facts: FactTable, answers: dict[int, dict[str, Any]], tmp_path: Path
) -> None:
    from summarizer.verify import verify_briefing

    made_up = {"byline_zh": "本报记者 张三", "byline_en": "Zhang San (staff reporter)", "credit_zh": "(李 四)"}
    respond = hallucinating_responder(page, answers, **made_up)
    with FakeOpenAIServer(responder=respond) as server:
        outcome = run(page, facts, settings_for(server, tmp_path, max_reasks=0))
    briefing = outcome.briefing
    assert briefing is not None
    for article in briefing.articles:
        segment = page.segments[article.index or 0]
        # The Chinese heading fields are the segmenter's, never the model's.
        assert article.byline_zh == segment.byline and article.credit_zh == segment.signoff
        pointers = [u.pointer for u in article.unverified]
        if segment.byline is None:
            assert article.byline_en is None and pointers.count("/byline_en") == 1
    assert verify_briefing(page, briefing, facts).ok


def test_a_withheld_headline_falls_back_to_the_bare_notice() -> None:
    from summarizer.verify import withheld_headline

    first = withheld_headline("湖南：打造国家先进制造业高地")
    assert first == "湖南：打造国家先进制造业高地 (English headline withheld: it failed verification)"
    assert withheld_headline("湖南：打造国家先进制造业高地", first) == "(English headline withheld: it failed verification)"


def test_a_summary_claim_that_survives_its_cut_withholds_the_summary(page: SegmentedPage) -> None:
    from summarizer.briefing.models import ArticleBriefing
    from summarizer.verify import ClaimResult
    from summarizer.verify.finalise import WITHHELD_SUMMARY, _replace_fixed_fields

    article = ArticleBriefing(headline_zh="标题", headline_en="Headline", summary_en="Output tops 9 trillion yuan.")
    failed = [ClaimResult(pointer="/summary_en", claim="9 trillion yuan", verdict="contradicted", problem="unsupported_number", message="m")]
    cut: set[str] = set()
    article = _replace_fixed_fields(article, failed, page.segments[0].title, cut)
    assert article.summary_en == "Output tops 9 trillion yuan."  # the first time, quarantine cuts sentences
    article = _replace_fixed_fields(article, failed, page.segments[0].title, cut)
    assert article.summary_en == WITHHELD_SUMMARY  # the cut did not remove it: the whole summary goes


def test_each_part_of_a_split_article_lists_and_marks_its_own_figures(
    page: SegmentedPage, facts: FactTable, tmp_path: Path
) -> None:
    """A model that cites every mark of each part's request gets every figure of the page, each
    once, filled from the rules and verified: the marks and ids of a part are that part's."""
    import re

    def respond(request: FakeRequest) -> FakeReply:
        user = str(next(m["content"] for m in request.messages if m.get("role") == "user"))
        article = user.split("<article>", 1)[1]
        ids = re.findall(r"\[(F\d+)\]", article)
        assert len(ids) == len(set(ids))
        metrics = [{"figure": figure_id, "indicator_en": "a figure of the article"} for figure_id in ids]
        return FakeReply.json_for_request({"headline_en": "A headline", "summary_en": "A summary.", "metrics": metrics})

    with FakeOpenAIServer(responder=respond) as server:
        outcome = run(page, facts, settings_for(server, tmp_path, segment_char_budget=1200))
        assert server.request_count > len(page.segments)  # the long articles were split
    assert outcome.briefing is not None
    for article in outcome.briefing.articles:
        listed = {(f.start, f.end) for f in facts.for_segment(article.index or 0) if f.indicator_zh and f.value is not None}
        shown = [(m.value_span.start, m.value_span.end) for m in article.metrics if m.value_span is not None]
        assert len(shown) == len(set(shown)) and set(shown) <= listed
        assert len(shown) >= 0.9 * len(listed), (article.index, len(shown), len(listed))
        assert article.unverified == [], [u.reason for u in article.unverified]
