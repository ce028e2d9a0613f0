"""Build the hand-written reference cassette of a seed from its reference briefing.

No model is reachable where this project is built, so the recording shipped for the seed is not a
model's output: each answer is the seed's hand-written reference briefing
(``seeds/<name>.briefing.json``), article by article, written as the answer the engine asks for
(:class:`~summarizer.llm.answer.ArticleAnswer`: each metric cites the request's figure list where
the figure is listed, :func:`~summarizer.llm.answer.answer_from_briefing`), in OpenAI
chat.completions wire format. To
make the file a real HTTP recording of the engine's requests, the engine is run against the fake
OpenAI server answering with those briefings while vcrpy records; ids, timestamps and the endpoint
are then made deterministic, so regenerating gives the same bytes and a test can tell whether the
shipped cassette is up to date.

One exchange is deliberately wrong: the first answer for :data:`REASK_ARTICLE` states its first
metric in full with a wrong number instead of citing the list, which the verifier rejects; the
re-ask is answered with the reference.

Run ``python scripts/regen_recordings.py`` after changing the prompt, the schema, the verifier's
messages or the reference briefing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.llm.recording import (
    CASSETTE_SUFFIX,
    Provenance,
    dump_cassette,
    load_cassette,
    reference_statement,
    request_fingerprint,
    use_cassette,
)

if TYPE_CHECKING:
    from summarizer.layout.segment import SegmentedPage
    from summarizer.llm.answer import FigureList
    from summarizer.rules.facts import FactTable
    from summarizer.verify import ArticleSource

__all__ = [
    "REASK_ARTICLE",
    "REFERENCE_ENDPOINT",
    "REFERENCE_MODEL",
    "build_reference_cassette",
    "cassette_path_for",
    "comparable",
    "figures_of",
    "is_up_to_date",
    "reference_answers",
    "stated_in_full",
    "wrong_first_answer",
]

REFERENCE_ENDPOINT = "https://reference.invalid/v1"
REFERENCE_MODEL = "hand-written-reference"
REASK_ARTICLE = 2  # 0-based index of the article whose first answer has a wrong number
_CREATED = 1704067200  # 2024-01-01T00:00:00Z: a fixed timestamp, the answers are not from a run
_CODE_FILLED = {"index", "unverified", "verification"}
_SPAN_KEYS = {"span", "value_span"}


def _strip_spans(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_spans(v) for k, v in value.items() if k not in _SPAN_KEYS}
    if isinstance(value, list):
        return [_strip_spans(v) for v in value]
    return value


def reference_answers(
    briefing_path: Path, page: SegmentedPage | None = None, facts: FactTable | None = None
) -> dict[int, dict[str, Any]]:
    """What a perfect model would answer per article index.

    With the source's ``page`` and ``facts`` it is the answer the engine asks for, citing each
    article's figure list as the engine builds it for a one-part request; without, the reference
    briefing itself without its code-filled fields.
    """
    from summarizer.briefing.models import PageBriefing

    briefing = PageBriefing.model_validate_json(briefing_path.read_text(encoding="utf-8"))
    answers: dict[int, dict[str, Any]] = {}
    for position, article in enumerate(briefing.articles):
        index = article.index if article.index is not None else position
        if page is not None and facts is not None:
            answers[index] = _citing_answer(article, index, page, facts)
            continue
        data = article.model_dump(mode="json", exclude=_CODE_FILLED)
        answers[index] = _strip_spans(data)
    return answers


def figures_of(index: int, page: SegmentedPage, facts: FactTable) -> tuple[FigureList, ArticleSource]:
    """The figure list of article ``index`` as the engine sends it in one part, and the verifier's view."""
    from summarizer.llm.answer import FigureList
    from summarizer.verify import ArticleSource

    segment = page.segments[index]
    original = page.document.original
    found = facts.for_segment(index)
    figures = FigureList.build(found, original, segment.start, segment.mapped)
    return figures, ArticleSource.from_segment(segment, found, original, facts.document_date)


def _citing_answer(article: Any, index: int, page: SegmentedPage, facts: FactTable) -> dict[str, Any]:
    from summarizer.llm.answer import answer_from_briefing
    from summarizer.verify import check_article

    figures, source = figures_of(index, page, facts)
    filled = article.model_copy(deep=True)
    check_article(source, filled)  # fills the value spans that say which listed figure a metric is
    return answer_from_briefing(filled, figures)


def stated_in_full(metric: dict[str, Any], figures: FigureList) -> dict[str, Any]:
    """An answered metric that cites a listed figure, written out in full instead (quote, value,
    unit, status), as a model that ignored the list would."""
    figure = figures.get(metric.get("figure"))
    if figure is None:
        return dict(metric)
    listed = figure.metric
    return {
        "indicator_en": metric["indicator_en"],
        "source_quote": listed["source_quote"],
        "value": listed["value"],
        "unit": listed["unit"],
        "qualifier": listed["qualifier"],
        "status": metric.get("status", listed["status"]),
        "period": metric.get("period", listed["period"]),
    }


def wrong_first_answer(
    answer: dict[str, Any], index: int, page: SegmentedPage, facts: FactTable
) -> dict[str, Any]:
    """``answer`` with its first metric stated in full and its value off by one: a hallucinated number."""
    wrong: dict[str, Any] = json.loads(json.dumps(answer))
    metrics = wrong.get("metrics") or []
    if not metrics:
        raise ValueError("the re-ask article needs at least one metric")
    first = stated_in_full(metrics[0], figures_of(index, page, facts)[0])
    first["value"] = first["value"] + 1
    metrics[0] = first
    return wrong


def cassette_path_for(input_path: Path, directory: Path) -> Path:
    return directory / f"{input_path.stem}.reference{CASSETTE_SUFFIX}"


def _normalise(document: dict[str, Any], fake_base_url: str) -> dict[str, Any]:
    """Deterministic ids, timestamps and endpoint; interactions in (article, ask) order."""
    interactions = document["interactions"]
    articles: list[str] = []
    for interaction in interactions:
        article = request_fingerprint(interaction["request"]["body"]).split()[1]
        if article not in articles:
            articles.append(article)

    def order(interaction: dict[str, Any]) -> tuple[int, str]:
        _, article, answers = request_fingerprint(interaction["request"]["body"]).split()
        return articles.index(article), answers

    ids: dict[str, str] = {}
    ordered = sorted(interactions, key=order)
    for number, interaction in enumerate(ordered, start=1):
        body = json.loads(interaction["response"]["body"]["string"])
        body["id"] = f"chatcmpl-reference-{number:03d}"
        body["created"] = _CREATED
        body["system_fingerprint"] = None
        for choice in body.get("choices", []):
            for call in choice.get("message", {}).get("tool_calls") or []:
                ids[call["id"]] = f"call_reference_{number:03d}"
                call["id"] = ids[call["id"]]
        interaction["response"]["body"]["string"] = json.dumps(body, ensure_ascii=False)
    for interaction in ordered:
        request = interaction["request"]
        request["uri"] = request["uri"].replace(fake_base_url, REFERENCE_ENDPOINT)
        body_text = request["body"]
        for fake, reference in ids.items():
            body_text = body_text.replace(fake, reference)
        request["body"] = body_text
    return {**document, "interactions": ordered}


def build_reference_cassette(
    input_path: Path, briefing_path: Path, output: Path, *, root: Path | None = None
) -> Path:
    """Write the reference cassette of ``input_path`` to ``output`` and return it."""
    from summarizer.layout.segment import segment_document
    from summarizer.llm.answer import answer_schema_sha256, unmark
    from summarizer.llm.extract import PROMPT_NAME, extract_page_async
    from summarizer.llm.prompting import latest_prompt
    from summarizer.rules.facts import extract_facts
    from summarizer.settings import load_settings
    from summarizer.testing.fake_openai import FakeOpenAIServer, FakeReply, FakeRequest
    from summarizer.text.ingest import read_document

    document = read_document(input_path)
    page = segment_document(document)
    facts = extract_facts(page)
    answers = reference_answers(briefing_path, page, facts)
    by_text = {segment.text: segment.index for segment in page.segments}

    def responder(request: FakeRequest) -> FakeReply:
        user = unmark(str(next((m["content"] for m in request.messages if m.get("role") == "user"), "")))
        index = next((i for text, i in by_text.items() if text in user), None)
        if index is None or index not in answers:
            return FakeReply.error(
                400, "reference cassette: request for an article without a reference answer"
            )
        first_ask = not any(m.get("role") == "assistant" for m in request.messages)
        answer = answers[index]
        if index == REASK_ARTICLE and first_ask:
            answer = wrong_first_answer(answer, index, page, facts)
        return FakeReply.tool_call(json.dumps(answer, ensure_ascii=False))

    relative = briefing_path.relative_to(root) if root is not None else briefing_path
    statement = reference_statement(str(relative))
    prompt = latest_prompt(PROMPT_NAME)
    with tempfile.TemporaryDirectory() as scratch, FakeOpenAIServer(responder=responder) as server:
        settings = load_settings(
            {
                "base_url": server.base_url,
                "model": REFERENCE_MODEL,
                "mode": "tools",
                "api_key": "reference-no-key",
                "concurrency": 1,
                "use_cache": False,
                "log_calls": False,
                "cache_dir": Path(scratch),
            },
            env={},
        )
        provenance = Provenance(
            kind="reference",
            statement=statement,
            endpoint=REFERENCE_ENDPOINT,
            model=REFERENCE_MODEL,
            mode="tools",
            sampling=settings.sampling(),
            prompt_version=prompt.version,
            schema_sha256=answer_schema_sha256(),
            input_name=document.name,
            input_sha256=document.sha256,
            derived_from=str(relative),
            derived_from_sha256=hashlib.sha256(briefing_path.read_bytes()).hexdigest(),
            generator="scripts/regen_recordings.py",
            notes=(
                f"The first answer for article {REASK_ARTICLE + 1} deliberately states a wrong number "
                "(its first metric in full, value plus one) so that the verifier's re-ask is exercised; the "
                "re-ask is answered with the reference. Token usage figures are the fake server's "
                "estimates, not billed tokens."
            ),
        )
        raw = Path(scratch) / f"raw{CASSETTE_SUFFIX}"
        with use_cassette(raw, mode="record", provenance=provenance):
            outcome = asyncio.run(extract_page_async(page, settings, facts=facts))
        statuses = {o.index: o.status for o in outcome.articles}
        if any(status != "verified" for status in statuses.values()):
            raise RuntimeError(
                f"the reference answers do not all verify: {statuses}; fix the reference briefing"
            )
        reasked = next(o for o in outcome.articles if o.index == REASK_ARTICLE)
        if reasked.asks != 2:
            raise RuntimeError(
                f"article {REASK_ARTICLE + 1} was asked {reasked.asks} times, expected one re-ask"
            )
        document_dict = load_cassette(raw.read_text(encoding="utf-8"))
        normalised = _normalise(document_dict, server.base_url)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(dump_cassette(normalised), encoding="utf-8")
    return output


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """A cassette dict with what may legitimately drift blanked: the verifier's re-ask feedback
    text (its wording evolves) and the usage estimates of the re-ask requests that contain it."""
    result: dict[str, Any] = json.loads(json.dumps(document))
    for interaction in result["interactions"]:
        body = json.loads(interaction["request"]["body"])
        seen_answer = False
        for message in body.get("messages", []):
            if message.get("role") == "assistant":
                seen_answer = True
            elif seen_answer and message.get("role") in ("user", "tool"):
                message["content"] = "<feedback>"
        interaction["request"]["body"] = body
        response = json.loads(interaction["response"]["body"]["string"])
        if seen_answer:
            response.pop("usage", None)
        interaction["response"]["body"] = response
    return result


def is_up_to_date(shipped: Path, fresh: Path) -> bool:
    """Whether ``shipped`` matches a freshly generated cassette, up to :func:`comparable`."""
    if not shipped.is_file():
        return False
    old = load_cassette(shipped.read_text(encoding="utf-8"))
    new = load_cassette(fresh.read_text(encoding="utf-8"))
    return comparable(old) == comparable(new)
