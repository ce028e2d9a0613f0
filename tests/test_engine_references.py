"""The LLM engine against a fake model that answers with faithful briefings, and one that errs.

A faithful answer must cost one request per article, no re-ask, and keep every metric: a verifier
that rejected faithful claims would make the engine re-ask and then drop correct figures. An answer
with a wrong number, a dropped hedge and a wrong year must be re-asked, each error named, and the
corrected answer kept.

The faithful briefings are the seed's reference (always) and the development references of
``benchmarks/references/`` (run when their sources in ``../shared/corpus/`` are present).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.briefing.models import PageBriefing
from summarizer.layout.segment import SegmentedPage
from summarizer.llm.answer import unmark
from summarizer.llm.extract import PageOutcome, extract_page
from summarizer.pipeline import analyse_file
from summarizer.settings import load_settings
from summarizer.testing.fake_openai import FakeOpenAIServer, FakeReply, FakeRequest
from summarizer.testing.reference_cassette import figures_of, reference_answers, stated_in_full

from helpers import REPO, SEED

CORPUS = REPO.parent / "shared" / "corpus"
PAIRS = [(SEED, REPO / "seeds" / "000_4e8de9e190906468.briefing.json")] + [
    (CORPUS / f"{path.name.removesuffix('.briefing.json')}.txt", path)
    for path in sorted((REPO / "benchmarks" / "references").glob("*.briefing.json"))
]


def _article_of(request: FakeRequest, page: SegmentedPage) -> int:
    user = next((m.get("content") for m in request.messages if m.get("role") == "user"), "") or ""
    matching = [s.index for s in page.segments if s.text[:60] in unmark(user)]
    return matching[0]


def _asks_before(request: FakeRequest) -> int:
    return sum(1 for m in request.messages if m.get("role") == "assistant")


def _run(source: Path, answer_for: Any, tmp_path: Path) -> tuple[PageOutcome, list[FakeRequest], SegmentedPage]:
    analysis = analyse_file(source)
    seen: list[FakeRequest] = []

    def respond(request: FakeRequest) -> FakeReply:
        seen.append(request)
        return FakeReply.json_for_request(answer_for(_article_of(request, analysis.page), _asks_before(request)))

    with FakeOpenAIServer(responder=respond) as server:
        settings = load_settings(
            {
                "base_url": server.base_url,
                "model": "fake-model",
                "api_key": "sk-reference-test",
                "cache_dir": tmp_path / "cache",
                "log_path": tmp_path / "calls.jsonl",
                "timeout": 10.0,
                # One request per article: the development references brief whole articles.
                "segment_char_budget": 200_000,
            },
            env={},
            cwd=tmp_path,
        )
        outcome = extract_page(analysis.page, settings, facts=analysis.facts)
    return outcome, seen, analysis.page


@pytest.mark.parametrize(
    ("source", "reference"),
    [
        pytest.param(s, r, id=r.name[:24], marks=[] if s.exists() else [pytest.mark.skip(reason=f"{s} is not here")])
        for s, r in PAIRS
    ],
)
def test_faithful_answers_cost_one_request_per_article_and_keep_every_metric(
    source: Path, reference: Path, tmp_path: Path
) -> None:
    analysis = analyse_file(source)
    answers = reference_answers(reference, analysis.page, analysis.facts)
    outcome, seen, _ = _run(source, lambda index, _: answers[index], tmp_path)
    assert len(seen) == len(answers), "a faithful answer was re-asked"
    assert outcome.briefing is not None
    cited = 0
    for article in outcome.briefing.articles:
        expected = answers[article.index if article.index is not None else 0]
        assert article.unverified == [], [u.reason for u in article.unverified]
        assert len(article.metrics) == len(expected["metrics"])
        assert len(article.targets) == len(expected["targets"])
        assert article.summary_en == expected["summary_en"]
        cited += sum(1 for m in expected["metrics"] if "figure" in m)
    assert outcome.briefing.metadata.reasks == 0
    # The answers cite the figure list: most metrics are a figure id and a label, not a copy of the figure.
    total = sum(len(a["metrics"]) for a in answers.values())
    assert cited >= 0.9 * total, (cited, total)


def test_a_wrong_number_a_dropped_hedge_and_a_wrong_year_are_each_reasked_and_corrected(tmp_path: Path) -> None:
    analysis = analyse_file(SEED)
    answers = reference_answers(PAIRS[0][1], analysis.page, analysis.facts)
    figures, _ = figures_of(0, analysis.page, analysis.facts)
    hunan = answers[0]
    wrong = copy.deepcopy(hunan)

    def listed(metric: dict[str, Any]) -> dict[str, Any]:
        figure = figures.get(metric.get("figure"))
        assert figure is not None
        return figure.metric

    # A number the model states itself, ten times the source's.
    number = next(i for i, m in enumerate(wrong["metrics"]) if "figure" in m and listed(m)["unit"] == "CNY")
    wrong["metrics"][number] = stated_in_full(wrong["metrics"][number], figures)
    wrong["metrics"][number]["value"] *= 10
    # A goal the model holds was achieved, against the list: the hedge dropped.
    hedged = next(i for i, m in enumerate(wrong["metrics"]) if "figure" in m and listed(m)["status"] == "target")
    wrong["metrics"][hedged].update(status="actual", why="reported as done")
    # A year the model holds the list has wrong.
    dated = next(
        i for i, m in enumerate(wrong["metrics"])
        if "figure" in m and listed(m)["period"] == "2023" and i not in (number, hedged)
    )  # fmt: skip
    wrong["metrics"][dated].update(period="2021", why="the year before")

    def answer(index: int, asks: int) -> dict[str, Any]:
        return wrong if index == 0 and asks == 0 else answers[index]

    outcome, seen, _ = _run(SEED, answer, tmp_path)
    reasks = [r for r in seen if _asks_before(r) == 1]
    assert len(seen) == len(answers) + 1 and len(reasks) == 1
    feedback = reasks[0].messages[-1]["content"]
    for metric in (number, hedged, dated):
        assert f"metrics[{metric}]" in feedback, feedback
    assert "wrong_scale" in feedback or "10^1" in feedback
    assert "target" in feedback and "2021" in feedback
    assert outcome.briefing is not None
    corrected = outcome.briefing.articles[0]
    assert corrected.unverified == []
    reference = PageBriefing.model_validate_json(PAIRS[0][1].read_text(encoding="utf-8")).articles[0]
    assert json.dumps([m.value for m in corrected.metrics]) == json.dumps([m.value for m in reference.metrics])
    assert corrected.metrics[hedged].status == "target" and corrected.metrics[dated].period == "2023"


def test_an_id_not_in_the_figure_list_is_reasked_and_never_shown(tmp_path: Path) -> None:
    analysis = analyse_file(SEED)
    answers = reference_answers(PAIRS[0][1], analysis.page, analysis.facts)
    wrong = copy.deepcopy(answers[0])
    wrong["metrics"][0]["figure"] = "F999"

    outcome, seen, _ = _run(SEED, lambda index, asks: wrong if index == 0 else answers[index], tmp_path)
    reasks = [r for r in seen if _asks_before(r) >= 1]
    assert reasks, "an id outside the list was accepted"
    assert "F999" in reasks[0].messages[-1]["content"] and "not in the figure list" in reasks[0].messages[-1]["content"]
    assert outcome.briefing is not None
    article = outcome.briefing.articles[0]
    # Re-asks ran out: the item is listed as unverified, never dropped silently, never shown as a metric.
    assert any("F999" in u.claim and u.pointer == "/metrics/0" for u in article.unverified)
    assert len(article.metrics) == len(answers[0]["metrics"]) - 1
