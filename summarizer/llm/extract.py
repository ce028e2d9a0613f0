"""LLM extraction: fill one :class:`~summarizer.briefing.models.ArticleBriefing` per article segment.

One call per segment (per part, for segments over ``segment_char_budget``). The request carries
the article and the numbered list of the figures the rules found in it; the response model is the
compact :class:`~summarizer.llm.answer.ArticleAnswer`, whose metrics and targets cite those figures
by id, and code fills every field the list states (:func:`~summarizer.llm.answer.expand_answer`).
The verifier is the response model's validator: instructor's validation context carries the
segment, its figure list and the verifier's view of the source, so an id not in the list or a claim
the article contradicts is re-asked with the verifier's message, at most ``max_reasks`` times.

Whatever happens, a segment ends in one of three states, and nothing unverified is ever presented
as verified:

* **verified**: every claim checks out against the source;
* **partially verified**: re-asks ran out; the claims that verify stay, the others are moved to
  the article's ``unverified`` list with the verifier's reasons (:func:`~summarizer.verify.quarantine_unverified`);
* **failed**: the endpoint failed (after transport retries) or the answer was unusable; the run
  reports it and the other articles are still produced.

The raw completion is the source of truth: cached answers (JSON in the disk cache, see
:mod:`summarizer.llm.cache`) go through the parse -> verify -> quarantine path again, so validation is
re-run offline on every cache hit. A fresh answer is parsed and verified once, by the response
model's validator; the article of a single-part answer that passed is that check's, not a second one.

Segments over the size budget are split at subheadings, else at paragraph breaks, else at sentence
ends; the parts are extracted separately (same context: the whole segment) and merged, metrics
de-duplicated by source span. Segments of a page are extracted concurrently; the LLM client bounds
the requests in flight by ``concurrency``.
"""

from __future__ import annotations

import asyncio
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import ValidationError

from summarizer.briefing.models import (
    ArticleBriefing,
    PageBriefing,
    RunMetadata,
    TokenUsage,
    UnverifiedClaim,
)
from summarizer.errors import LLMError, LLMUnavailableError
from summarizer.llm.answer import ArticleAnswer, Expansion, FigureList, answer_schema_sha256, expand_answer
from summarizer.llm.cache import ResultCache, cache_key, endpoint_identity
from summarizer.llm.client import LLMClient
from summarizer.llm.pricing import Cost, Usage, run_cost
from summarizer.llm.prompting import PromptTemplate, RenderedPrompt, latest_prompt, render_article_prompt
from summarizer.llm.responsiveness import loop_first
from summarizer.llm.validation import ValidatedArticleAnswer
from summarizer.settings import Settings
from summarizer.text.collector import collector_frozen

if TYPE_CHECKING:
    from summarizer.layout.segment import Segment, SegmentedPage
    from summarizer.rules.facts import Fact, FactTable
    from summarizer.verify import ArticleCheck, ArticleSource

__all__ = [
    "PROMPT_NAME",
    "ArticleOutcome",
    "PageOutcome",
    "extract_page",
    "extract_page_async",
    "finalise_parts",
    "part_spans",
    "payload_from_completion",
    "split_text",
]

PROMPT_NAME = "article_briefing"
ArticleStatus = Literal["verified", "partially_verified", "failed"]
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


# -- results --------------------------------------------------------------------------------------


@dataclass
class PartResult:
    article: ArticleBriefing | None
    error: str | None = None
    problems: list[UnverifiedClaim] = field(default_factory=list)
    """Items of the answer that could not be made into claims (an id not in the figure list)."""
    check: ArticleCheck | None = None
    """The validator's check of ``article`` when it passed (finalising need not run it again)."""
    usage: Usage = field(default_factory=Usage)
    asks: int = 0
    requests: int = 0
    cached: bool = False
    validation_error: str | None = None
    prompt_overhead_tokens: int | None = None
    unreachable: bool = False
    interrupted: str | None = None
    """The re-asks were cut short by this failure; ``article`` is the best answer received before it."""


@dataclass
class ArticleOutcome:
    """What happened to one segment."""

    index: int
    title: str
    status: ArticleStatus
    article: ArticleBriefing | None
    error: str | None = None
    parts: int = 1
    usage: Usage = field(default_factory=Usage)
    asks: int = 0
    requests: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    prompt_overhead_tokens: list[int] = field(default_factory=list)
    unreachable: bool = False
    """Failed because the endpoint could not be reached at all (connection refused, DNS failure)."""
    interrupted: list[str] = field(default_factory=list)
    """Failures that cut a re-ask sequence short; the article is the best answer received before."""
    partial_from_cache: bool = False
    """The article (still) fails verification and its answer came from the cache, not the model."""

    @property
    def reasks(self) -> int:
        return max(self.asks - self.parts, 0) if self.asks else 0


@dataclass
class PageOutcome:
    """A page's briefing plus everything a run reports about it."""

    briefing: PageBriefing | None
    articles: list[ArticleOutcome]
    usage: Usage
    cost: Cost | None
    prompt_version: str
    cache_hits: int
    cache_misses: int
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[ArticleOutcome]:
        return [a for a in self.articles if a.status == "failed"]

    @property
    def partially_verified(self) -> list[ArticleOutcome]:
        return [a for a in self.articles if a.status == "partially_verified"]

    @property
    def prompt_overhead_tokens(self) -> list[int]:
        return [t for a in self.articles for t in a.prompt_overhead_tokens]

    @property
    def unreachable(self) -> bool:
        """Every article failed because the endpoint could not be reached (after the retries)."""
        return bool(self.articles) and all(a.status == "failed" and a.unreachable for a in self.articles)


# -- splitting ------------------------------------------------------------------------------------


def _pack(pieces: Sequence[str], budget: int, joiner: str) -> list[str]:
    parts: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{joiner}{piece}" if current else piece
        if current and len(candidate) > budget:
            parts.append(current)
            current = piece
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


def _split_long_paragraph(paragraph: str, budget: int) -> list[str]:
    if len(paragraph) <= budget:
        return [paragraph]
    sentences = [s for s in _SENTENCE_END.split(paragraph) if s]
    parts = _pack(sentences, budget, "")
    # A single sentence over budget is cut hard; better a cut than a refused request.
    return [p[i : i + budget] for p in parts for i in range(0, len(p), budget)]


def split_text(text: str, budget: int, subheadings: Sequence[str] = ()) -> list[str]:
    """``text`` in contiguous parts of at most ``budget`` characters (joined by newlines).

    Splits at subheadings first, then at paragraph breaks (newlines), then at sentence ends.
    """
    if len(text) <= budget:
        return [text]
    headings = {h.strip() for h in subheadings if h.strip()}
    sections: list[list[str]] = [[]]
    for paragraph in text.split("\n"):
        if paragraph.strip() in headings and sections[-1]:
            sections.append([])
        sections[-1].append(paragraph)
    blocks: list[str] = []
    for section in sections:
        joined = "\n".join(section)
        if len(joined) <= budget:
            blocks.append(joined)
            continue
        pieces = [piece for paragraph in section for piece in _split_long_paragraph(paragraph, budget)]
        blocks.extend(_pack(pieces, budget, "\n"))
    return _pack(blocks, budget, "\n")


def part_spans(text: str, parts: Sequence[str]) -> list[tuple[int, int]]:
    """Where each of ``parts`` (:func:`split_text` of ``text``) stands in ``text``."""
    spans: list[tuple[int, int]] = []
    position = 0
    for part in parts:
        start = text.find(part, position)
        if start < 0:  # not a part of text: the whole text is its context
            spans.append((0, len(text)))
            continue
        spans.append((start, start + len(part)))
        position = start + len(part)
    return spans


# -- completions ----------------------------------------------------------------------------------


def payload_from_completion(completion: dict[str, Any], mode: str) -> str:
    """The JSON text of the answer in a chat.completion body, as instructor reads it for ``mode``."""
    choices = completion.get("choices") or []
    if not choices or not isinstance(choices[0], dict):
        raise ValueError("the completion has no choices")
    message = choices[0].get("message") or {}
    if mode == "tools":
        calls = message.get("tool_calls") or []
        if not calls:
            raise ValueError("the completion has no tool call")
        arguments = (calls[0].get("function") or {}).get("arguments")
        if not isinstance(arguments, str):
            raise ValueError("the tool call has no arguments")
        return arguments
    content = message.get("content")
    if not isinstance(content, str):
        raise ValueError("the completion has no content")
    if mode == "md_json":
        from instructor.v2.core.json import extract_json_from_codeblock

        return str(extract_json_from_codeblock(content))
    return content


def _parse_answer(completion: dict[str, Any], mode: str) -> ArticleAnswer:
    """Shape-only validation (no context): the verifier judges the content afterwards."""
    return ArticleAnswer.model_validate_json(payload_from_completion(completion, mode), strict=False)


# -- verification ---------------------------------------------------------------------------------


def finalise_parts(
    source: ArticleSource,
    parts: Sequence[ArticleBriefing],
    index: int,
    checked: ArticleCheck | None = None,
) -> ArticleBriefing:
    """One verified article from the answers for the parts of a segment (usually one part).

    The parts' spans are filled first, so that list items found by several parts are merged by
    source span; then :func:`~summarizer.verify.finalise.finalise_article` verifies the whole.
    ``checked`` is the validator's check of a single part's answer, which need not run again.
    """
    from summarizer.verify import check_article, finalise_article

    if len(parts) > 1:
        for part in parts:
            check_article(source, part)  # fills the spans that identify duplicates
        checked = None
    return finalise_article(source, _merge(parts), index, first_check=checked)


def _merge(parts: Sequence[ArticleBriefing]) -> ArticleBriefing:
    """One article from the briefings of its parts; list items de-duplicated by source span/name."""
    first = parts[0]
    if len(parts) == 1:
        return first
    merged = first.model_copy(deep=True)
    merged.summary_en = " ".join(p.summary_en.strip() for p in parts if p.summary_en.strip())

    def unique(items: Sequence[Any], key: Any) -> list[Any]:
        seen: set[Any] = set()
        out = []
        for item in items:
            k = key(item)
            if k not in seen:
                seen.add(k)
                out.append(item)
        return out

    def span_key(item: Any) -> Any:
        span = getattr(item, "value_span", None) or getattr(item, "span", None)
        if span is not None:
            return (span.start, span.end)
        # No span (the quote was not found): the claim itself identifies it.
        return ("claim", item.model_dump_json(exclude={"span", "value_span"}))

    merged.key_points = unique([k for p in parts for k in p.key_points], lambda k: k)
    merged.metrics = unique([m for p in parts for m in p.metrics], span_key)
    merged.targets = unique([t for p in parts for t in p.targets], span_key)
    merged.programmes = unique([g for p in parts for g in p.programmes], lambda g: g.name_zh)
    merged.organisations = unique([o for p in parts for o in p.organisations], lambda o: o.name_zh)
    merged.caveats = unique(
        [c for p in parts for c in p.caveats], lambda c: (c.kind, c.source_quote, c.description_en)
    )
    return merged


# -- the engine ------------------------------------------------------------------------------------


def _is_unreachable(error: LLMError) -> bool:
    """The transport gave up because no connection could be made (refused, DNS failure), not
    because the endpoint answered with errors or was slow: the endpoint is unreachable."""
    if not isinstance(error, LLMUnavailableError):
        return False
    last = str(error).rpartition("last: ")[2]
    return last.startswith("APIConnectionError")


@dataclass(frozen=True)
class _Part:
    """One request's share of a segment: its text, where it stands, and the figures it lists."""

    segment: Segment
    text: str
    number: int
    of: int
    facts: Sequence[Fact]
    """The rule-based facts inside the part, in order of position."""
    original: str
    """The whole file's text, which the facts' spans are in."""
    start: int = 0
    """Where ``text`` starts in the segment's text."""

    @cached_property
    def figures(self) -> FigureList:
        # Built when the part is about to be sent, not when the page is split: the first wave of
        # requests must not wait for the figure lists of every article of the page.
        return FigureList.build(self.facts, self.original, self.segment.start, self.segment.mapped)

    @property
    def label(self) -> str:
        return f"article {self.segment.index + 1}" + (f" part {self.number}/{self.of}" if self.of > 1 else "")


@dataclass
class _Engine:
    settings: Settings
    client: LLMClient
    cache: ResultCache
    prompt: PromptTemplate
    schema_sha256: str
    page: SegmentedPage
    facts: FactTable | None
    slots: asyncio.Semaphore = field(init=False)
    sources: dict[int, Future[Any]] = field(init=False, default_factory=dict)
    workers: ThreadPoolExecutor = field(init=False)

    def __post_init__(self) -> None:
        # A part holds its slot while its answer is verified: a second wave of parts, prepared while
        # the first is out, finds the request slots free the moment answers arrive.
        self.slots = asyncio.Semaphore(2 * self.settings.concurrency)
        self.workers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="summarizer-source")

    def facts_for(self, segment: Segment) -> list[Any] | None:
        return self.facts.for_segment(segment.index) if self.facts is not None else None

    def source_future(self, segment: Segment) -> Future[Any]:
        """The verifier's view of a segment, built once in a worker thread and shared by every call
        and re-ask: the request goes out while it is being built, and the answer's validator waits
        for it only if it is not ready when the answer arrives."""
        if segment.index not in self.sources:
            self.sources[segment.index] = self.workers.submit(self._build_source, segment)
        return self.sources[segment.index]

    def source_for(self, segment: Segment) -> Any:
        return self.source_future(segment).result()

    def _build_source(self, segment: Segment) -> Any:
        from summarizer.verify import ArticleSource

        facts = cast("Sequence[Fact] | None", self.facts_for(segment))
        document_date = self.facts.document_date if self.facts is not None else None
        return ArticleSource.from_segment(segment, facts, self.page.document.original, document_date)

    def parts_of(self, segment: Segment) -> list[_Part]:
        texts = split_text(segment.text, self.settings.segment_char_budget, segment.subheadings)
        facts = sorted(self.facts_for(segment) or [], key=lambda f: (f.start, f.end))
        starts = [f.start for f in facts]
        original = self.page.document.original
        parts = []
        for number, (text, (start, end)) in enumerate(zip(texts, part_spans(segment.text, texts), strict=True), 1):
            if len(texts) == 1:
                inside = facts
            else:
                # The facts inside the part's span, found by bisection: a scan of all of them per
                # part would grow with the square of a long article.
                low, high = segment.original_span(start, end)
                window = facts[bisect_left(starts, low) : bisect_right(starts, high)]
                inside = [f for f in window if f.end <= high]
            parts.append(_Part(segment, text, number, len(texts), inside, original, start))
        return parts

    @staticmethod
    def base_for(segment: Segment) -> dict[str, Any]:
        """The briefing fields the segmenter read: they are not asked of the model."""
        return {
            "byline_zh": segment.byline,
            "source_tag_zh": segment.source_tag,
            "credit_zh": segment.signoff,
            "region": segment.region,
        }

    def expand(self, part: _Part, completion: dict[str, Any]) -> Expansion:
        return expand_answer(
            _parse_answer(completion, self.settings.mode),
            part.figures,
            headline_zh=part.segment.title,
            base=self.base_for(part.segment),
        )

    def render(self, part: _Part) -> RenderedPrompt:
        from summarizer.rules.glossary import load_glossary

        segment = part.segment
        glossary = [(e.zh, e.en) for e in load_glossary().names_in(part.text)]
        headline = segment.title or "(no headline)"
        title = headline if part.of == 1 else f"{headline} (part {part.number} of {part.of} of this article)"
        return render_article_prompt(
            self.prompt,
            article=part.text,
            title=title,
            glossary=glossary,
            document_date=self.facts.document_date if self.facts is not None else None,
            figures=part.figures.render(),
            marked=part.figures.mark(part.text, part.start),
        )

    def key(self, rendered: RenderedPrompt, text: str) -> str:
        return cache_key(
            {
                "endpoint": endpoint_identity(self.client.base_url),  # without a local server's port
                "model": self.client.model,
                "mode": self.settings.mode,
                "prompt_version": rendered.template_version,
                "prompt_sha256": rendered.sha256,
                "schema_sha256": self.schema_sha256,
                "segment_text": text,
                "sampling": self.settings.sampling(),
                "max_reasks": self.settings.max_reasks,
            }
        )

    async def part(self, part: _Part) -> PartResult:
        # Preparing a request costs CPU (figure list, prompt); starting at most one wave more than
        # there are request slots keeps that work from delaying requests already due.
        async with self.slots:
            return await self._part(part)

    async def _part(self, part: _Part) -> PartResult:
        segment, text, label = part.segment, part.text, part.label
        rendered = self.render(part)
        key = self.key(rendered, text)
        entry = self.cache.get(key)
        checked: dict[str, Any] = {}
        answered: object = None  # the validated answer the model gave, when one verified
        if entry is not None and entry.get("completions"):
            result = PartResult(article=None, cached=True, validation_error=entry.get("validation_error"))
            completions: list[dict[str, Any]] = entry["completions"]
            verified = entry.get("validation_error") is None
        else:
            context = {
                "source": self.source_future(segment),
                "segment": segment,
                "fill_spans": True,
                "figures": part.figures,
                "headline_zh": segment.title,
                "base": self.base_for(segment),
                "checked": checked,
            }
            outcome = await self.client.structured(
                ValidatedArticleAnswer,
                rendered.messages,
                context=context,
                label=label,
                reference_text=rendered.article_text,
                keep_partial=True,  # a failed re-ask keeps the answers before it, and every attempt counts
            )
            result = PartResult(
                article=None,
                usage=outcome.usage,
                asks=outcome.asks,
                requests=len(outcome.attempts),
                validation_error=outcome.validation_error,
                prompt_overhead_tokens=outcome.prompt_overhead_tokens,
            )
            completions = outcome.completions
            verified = outcome.value is not None
            answered = outcome.value
            if outcome.error is not None:
                result.unreachable = not completions and _is_unreachable(outcome.error)
                if not completions:
                    result.error = str(outcome.error)
                    return result
                # Not cached: the failure was the endpoint's, and the next run should ask again.
                result.interrupted = str(outcome.error)
            elif not completions:
                result.error = f"{label}: no answer received"
                return result
            else:
                self.cache.set(
                    key,
                    {
                        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                        "endpoint": self.client.base_url,
                        "model": self.client.model,
                        "mode": self.settings.mode,
                        "prompt_version": rendered.template_version,
                        "schema_sha256": self.schema_sha256,
                        "asks": outcome.asks,
                        "usage": outcome.usage.to_dict(),
                        "validation_error": outcome.validation_error,
                        "completions": outcome.completions,
                    },
                )
        passed = checked.get("passed")
        if verified and passed is not None and passed[0] is answered:
            # The briefing the validator passed, spans filled, and its check: nothing to parse again.
            _, expansion, result.check = passed
            result.article, result.problems = expansion.article, expansion.problems
            return result
        if verified:
            completion = completions[-1]
        else:
            completion = await asyncio.to_thread(self.best_answer, part, completions)
        try:
            expansion = self.expand(part, completion)
            result.article, result.problems = expansion.article, expansion.problems
        except (ValueError, ValidationError) as exc:
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            result.error = f"{label}: the answer does not fit the briefing schema ({detail})"
        return result

    def best_answer(self, part: _Part, completions: Sequence[dict[str, Any]]) -> dict[str, Any]:
        """Of answers none of which verified, the one with the most verified claims (then the fewest
        failures, then the latest): what a re-ask sequence cut short, or run out, has best to keep."""
        from summarizer.verify import check_article

        def merit(numbered: tuple[int, dict[str, Any]]) -> tuple[int, int, int]:
            position, completion = numbered
            try:
                expansion = self.expand(part, completion)
            except (ValueError, ValidationError):
                return (-1, 0, position)
            results = check_article(self.source_for(part.segment), expansion.article).results
            failed = sum(1 for r in results if not r.ok) + len(expansion.problems)
            return (len(results) - failed, -failed, position)

        return max(enumerate(completions), key=merit)[1]

    async def segment(self, segment: Segment) -> ArticleOutcome:
        parts = self.parts_of(segment)
        results = await asyncio.gather(*(self.part(p) for p in parts))
        outcome = ArticleOutcome(
            index=segment.index,
            title=segment.title or "",
            status="failed",
            article=None,
            parts=len(parts),
            usage=sum((r.usage for r in results), Usage()),
            asks=sum(r.asks for r in results),
            requests=sum(r.requests for r in results),
            cache_hits=sum(1 for r in results if r.cached),
            cache_misses=sum(1 for r in results if not r.cached),
            prompt_overhead_tokens=[
                r.prompt_overhead_tokens for r in results if r.prompt_overhead_tokens is not None
            ],
        )
        articles = [r.article for r in results if r.article is not None]
        errors = [r.error for r in results if r.error]
        if not articles:
            outcome.error = "; ".join(errors) or "no usable answer"
            outcome.unreachable = bool(results) and all(r.unreachable for r in results)
            return outcome
        # Verification is CPU work: a worker thread keeps it off the event loop, so requests
        # waiting for a slot are sent while answers already received are being checked.
        source = await asyncio.wrap_future(self.source_future(segment))
        checks = [r.check for r in results if r.article is not None]
        first_check = checks[0] if len(checks) == 1 and len(results) == 1 else None
        article = await asyncio.to_thread(finalise_parts, source, articles, segment.index, first_check)
        # What the answer held that no claim could be made of is kept in view, never dropped.
        article.unverified.extend(p for r in results for p in r.problems)
        outcome.article = article
        outcome.interrupted = [r.interrupted for r in results if r.interrupted]
        partial = bool(article.unverified or errors or outcome.interrupted)
        outcome.status = "partially_verified" if partial else "verified"
        outcome.partial_from_cache = partial and any(r.cached for r in results)
        if errors or outcome.interrupted:
            outcome.error = "; ".join([*errors, *outcome.interrupted])
        return outcome


async def extract_page_async(
    page: SegmentedPage,
    settings: Settings,
    *,
    facts: FactTable | None = None,
    client: LLMClient | None = None,
    cache: ResultCache | None = None,
    generated_by: Literal["llm", "reference"] = "llm",
    notes: Sequence[str] = (),
) -> PageOutcome:
    """Extract every segment of ``page`` concurrently and assemble the verified page briefing.

    ``generated_by="reference"`` is for replaying hand-written reference recordings: the metadata
    then names no model. Raises :class:`~summarizer.llm.client.LLMAuthError` at once (every article would
    fail the same way); other failures are per article.
    """
    from summarizer.rules.glossary import load_glossary

    prompt = latest_prompt(PROMPT_NAME)
    own_client = client is None
    client = client or LLMClient(settings)
    own_cache = cache is None
    cache = cache or ResultCache(
        settings.cache_dir,
        size_limit=settings.cache_size_limit,
        secrets=settings.secrets(),
        enabled=settings.use_cache,
        refresh=settings.refresh_cache,
    )
    engine = _Engine(settings, client, cache, prompt, answer_schema_sha256(), page, facts)
    try:
        # The page, its facts and the modules loaded are old: the collector's passes during the run
        # go over what the run makes, not over the whole heap (a full pass stalls the event loop).
        # Verifier threads hand the interpreter back to the loop at short intervals.
        with collector_frozen(), loop_first():
            outcomes = list(await asyncio.gather(*(engine.segment(s) for s in page.segments)))
    finally:
        engine.workers.shutdown(wait=False, cancel_futures=True)
        if own_client:
            await client.aclose()
        if own_cache:
            cache.close()
    usage = sum((o.usage for o in outcomes), Usage())
    provider = settings.provider if generated_by == "llm" else None
    cost, price = (
        run_cost(
            usage, model=client.model, provider=provider, base_url=client.base_url, prices_path=settings.prices_path
        )
        if generated_by == "llm"
        else (None, None)
    )
    hits = sum(o.cache_hits for o in outcomes)
    misses = sum(o.cache_misses for o in outcomes)
    run_notes = list(notes)
    interrupted = [o for o in outcomes if o.status == "partially_verified" and o.interrupted]
    partial = [o for o in outcomes if o.status == "partially_verified" and not o.interrupted]
    failed = [o for o in outcomes if o.status == "failed"]
    if partial:
        run_notes.append(
            f"{len(partial)} article(s) kept claims that could not be verified after {settings.max_reasks} "
            "re-ask(s); those claims are listed under 'unverified', not in the briefing: "
            + ", ".join(f"article {o.index + 1}" for o in partial)
        )
    if interrupted:
        run_notes.append(
            f"{len(interrupted)} article(s) keep the best answer received before a re-ask failed; claims "
            "that did not verify are listed under 'unverified', not in the briefing: "
            + "; ".join(f"article {o.index + 1}: {'; '.join(o.interrupted)}" for o in interrupted)
        )
    from_cache = [o for o in outcomes if o.partial_from_cache]
    if from_cache:
        run_notes.append(
            f"{len(from_cache)} partly verified answer(s) came from the cache ({settings.cache_dir}), not from "
            "the model: " + ", ".join(f"article {o.index + 1}" for o in from_cache)
            + "; run with --refresh to ask the model again"
        )
    if failed:
        run_notes.append(
            f"{len(failed)} article(s) failed and are missing from this briefing: "
            + "; ".join(f"article {o.index + 1} ({o.title}): {o.error}" for o in failed)
        )
    articles = [o.article for o in outcomes if o.article is not None]
    briefing = None
    if articles:
        # A hand-written reference was not produced by a model: no model, no billed usage, no cost.
        by_model = generated_by == "llm"
        metadata = RunMetadata(
            generated_by=generated_by,
            model=client.model if by_model else None,
            provider=(provider or client.base_url) if by_model else None,
            prompt_version=prompt.version,
            glossary_version=load_glossary().version,
            created_at=datetime.now(UTC).replace(microsecond=0),
            usage=TokenUsage(
                prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
                total_tokens=usage.total_tokens,
                counted_by=usage.source or "provider",
                counted_tokens=usage.counted_tokens,
                counter=usage.counter if usage.counted_tokens else None,
            )
            if by_model
            else None,
            cost_usd=round(cost.amount, 6)
            if by_model and cost is not None and cost.currency == "USD"
            else None,
            price=price if by_model else None,
            llm_calls=usage.requests if by_model else 0,
            reasks=sum(o.reasks for o in outcomes),
            cache_hits=hits,
            cache_misses=misses,
            notes="\n".join(run_notes) or None,
        )
        dated = (facts.document_date, facts.document_date_source) if facts is not None else (None, None)
        briefing = PageBriefing(source=page.document.source_info(*dated), articles=articles, metadata=metadata)
    return PageOutcome(
        briefing=briefing,
        articles=outcomes,
        usage=usage,
        cost=cost,
        prompt_version=prompt.version,
        cache_hits=hits,
        cache_misses=misses,
        notes=run_notes,
    )


def extract_page(page: SegmentedPage, settings: Settings, **kwargs: Any) -> PageOutcome:
    """Synchronous :func:`extract_page_async` (runs its own event loop)."""
    return asyncio.run(extract_page_async(page, settings, **kwargs))
