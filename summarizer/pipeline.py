"""The one orchestrator: read → repair → segment → facts → extract | replay | rules → verify → render.

The CLI, the batch runner and library callers all go through here, so a file is always handled the
same way. :func:`analyse` runs the rule path (no LLM) and is what ``segment``, ``facts`` and
``verify`` need; :func:`brief_file` adds the briefing, made by the first way that is available:

1. an LLM endpoint is configured (and ``--offline`` is not given): live extraction
   (:mod:`summarizer.llm.extract`), with the disk cache. An endpoint configured only in part (a base
   URL, provider or key given, but the model or key still missing) is a :class:`ConfigError`, not a
   fallback (:meth:`Settings.check_endpoint`); an endpoint that cannot be reached at all is one
   line naming it and suggesting ``--offline``;
2. otherwise, a recording of this input exists (``seeds/recordings/*.cassette.yaml``, matched by the
   input's SHA-256): the recorded exchanges are replayed through the same engine with no network;
   a hand-written reference recording yields ``generated_by: reference`` and never names a model;
3. otherwise: a facts-only briefing from the rule-based engine, saying clearly that an LLM endpoint
   gives the full briefing.

Every number in the output went through the verifier; what failed is listed as unverified, and
the exit status is 1 whenever anything is (in every mode). The written briefing verifies cleanly
with ``summarizer verify``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from summarizer.errors import InputError, LLMError
from summarizer.layout.segment import SegmentedPage, segment_document
from summarizer.output.files import check_out_dir, write_outputs
from summarizer.rules.facts import FactTable, extract_facts
from summarizer.settings import Settings
from summarizer.text.ingest import DEFAULT_MAX_BYTES, Document, read_document

if TYPE_CHECKING:
    import asyncio

    from summarizer.briefing.models import PageBriefing
    from summarizer.llm.cache import ResultCache
    from summarizer.llm.client import LLMClient
    from summarizer.llm.extract import PageOutcome
    from summarizer.verify import VerificationReport

__all__ = [
    "Analysis",
    "BriefPlan",
    "BriefResult",
    "analyse",
    "analyse_file",
    "brief",
    "brief_async",
    "brief_file",
    "brief_text",
    "facts_only_briefing",
    "facts_only_result",
    "plan_brief",
    "record_file",
    "segment_file",
    "verify_file",
]

BriefMode = Literal["llm", "replay", "rules"]


@dataclass
class Analysis:
    """What the rule path makes of one document: the segmented page and its facts."""

    document: Document
    page: SegmentedPage
    facts: FactTable


def analyse(document: Document, *, document_date: date | None = None) -> Analysis:
    """Repair, segment and extract the facts of a decoded document (no LLM).

    ``document_date`` (``--date``) wins over the date the text gives (header, front matter,
    dateline); relative periods (今年, 一季度, 去年同期) are resolved with whichever is known.
    """
    page = segment_document(document)
    return Analysis(document, page, extract_facts(page, document_date=document_date))


def analyse_file(
    source: str | Path | bytes,
    *,
    max_bytes: int | None = None,
    name: str | None = None,
    document_date: date | None = None,
) -> Analysis:
    """Read and :func:`analyse` a file (or raw bytes; ``-`` is standard input)."""
    document = read_document(source, max_bytes=max_bytes or DEFAULT_MAX_BYTES, name=name)
    return analyse(document, document_date=document_date)


def segment_file(source: str | Path | bytes, *, max_bytes: int | None = None) -> SegmentedPage:
    """Read, repair and segment a file (the ``summarizer segment`` step; no facts)."""
    return segment_document(read_document(source, max_bytes=max_bytes or DEFAULT_MAX_BYTES))


def verify_file(
    source_path: str | Path, briefing_path: str | Path, *, document_date: date | None = None
) -> VerificationReport:
    """Read, segment and verify: the whole ``summarizer verify SOURCE BRIEFING.json`` step.

    The source's periods are resolved with ``document_date`` if given, else with the date the
    briefing was made with when that came from ``--date`` (recorded in its ``source``), else with
    the date the text gives.

    Raises :class:`~summarizer.errors.InputError` for an unusable source and
    :class:`~summarizer.errors.BriefingFormatError` for malformed or schema-invalid JSON.
    """
    from summarizer.briefing.io import load_briefing
    from summarizer.inputs import is_stdin
    from summarizer.verify import verify_briefing

    if is_stdin(source_path) and is_stdin(briefing_path):
        raise InputError("SOURCE and BRIEFING cannot both be standard input (-): give one of them as a file")
    briefing = load_briefing(briefing_path)
    recorded = briefing.source
    if document_date is None and recorded is not None and recorded.document_date and recorded.document_date_source == "flag":
        document_date = date.fromisoformat(recorded.document_date)
    analysis = analyse_file(source_path, document_date=document_date)
    report = verify_briefing(analysis.page, briefing, analysis.facts)
    report.briefing = str(briefing_path)
    return report


@dataclass
class BriefResult:
    """A briefing, the files written, and what to tell the user."""

    briefing: PageBriefing
    mode: BriefMode
    outputs: list[Path] = field(default_factory=list)
    outcome: PageOutcome | None = None
    recording: Path | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0: every article briefed and verified; 1: some articles failed or kept unverified claims.

        The same in every mode: an LLM run (failed or partially verified articles) and a facts-only
        briefing (figures of the rules the verifier rejected, listed as unverified) alike.
        """
        if self.outcome is not None and (self.outcome.failed or self.outcome.partially_verified):
            return 1
        if any(article.unverified for article in self.briefing.articles):
            return 1
        return 0


def _load(path: Path, settings: Settings) -> Analysis:
    return analyse(read_document(path, max_bytes=settings.max_input_bytes), document_date=settings.document_date)


def facts_only_briefing(page: SegmentedPage, facts: FactTable, reason: str) -> PageBriefing:
    """A briefing from the rule-based engine alone: headlines, regions and verified figures.

    ``reason`` completes "Facts-only briefing from the rule-based engine: …" (why no model was used).
    """
    from summarizer.briefing.models import PageBriefing, RunMetadata
    from summarizer.rules.briefing import article_from_facts
    from summarizer.rules.glossary import load_glossary
    from summarizer.verify import ArticleSource, finalise_article

    original = page.document.original
    articles = []
    for segment in page.segments:
        segment_facts = facts.for_segment(segment.index)
        draft = article_from_facts(segment, segment_facts, original)
        source = ArticleSource.from_segment(segment, segment_facts, original, facts.document_date)
        articles.append(finalise_article(source, draft, segment.index))
    return PageBriefing(
        source=page.document.source_info(facts.document_date, facts.document_date_source),
        articles=articles,
        metadata=RunMetadata(
            generated_by="rules",
            glossary_version=load_glossary().version,
            created_at=datetime.now(UTC).replace(microsecond=0),
            notes=(
                f"Facts-only briefing from the rule-based engine: {reason}. "
                "Configure an LLM endpoint for the full English briefing: set OPENAI_API_KEY (or "
                "--provider deepseek|qwen|moonshot with its key, or --provider ollama for a local model)."
            ),
        ),
    )


@dataclass(frozen=True)
class BriefPlan:
    """How a document will be briefed: live, from its recording, or by the rules alone."""

    mode: BriefMode
    reason: str | None = None
    """Why no live model is used (None for a live run), e.g. "offline mode (--offline)"."""
    recording: Path | None = None
    """The recording to replay (mode ``replay``)."""


def plan_brief(sha256: str, settings: Settings) -> BriefPlan:
    """The one decision between live, replay and facts-only (see the module docstring).

    ``sha256`` is the input's (a recording is matched by it). Raises
    :class:`~summarizer.errors.ConfigError` for an endpoint configured only in part.
    """
    from summarizer.llm.recording import default_recording_dirs, find_recording

    problem = settings.check_endpoint()  # a half-configured endpoint is an error, not a fallback
    if problem is None:
        return BriefPlan("llm")
    recording = find_recording(sha256, default_recording_dirs(settings.recordings_dir))
    if recording is not None:
        return BriefPlan("replay", problem, recording)
    return BriefPlan("rules", f"{problem}; no recording of this input")


def brief(analysis: Analysis, settings: Settings) -> BriefResult:
    """The verified briefing of an analysed document (live, replayed, or facts-only); writes nothing."""
    import asyncio

    return asyncio.run(brief_async(analysis, settings))


async def brief_async(
    analysis: Analysis,
    settings: Settings,
    *,
    plan: BriefPlan | None = None,
    client: LLMClient | None = None,
    cache: ResultCache | None = None,
    replay_lock: asyncio.Lock | None = None,
) -> BriefResult:
    """:func:`brief` inside a running event loop, for callers that brief many documents at once.

    ``plan`` is :func:`plan_brief` of the document unless given; ``client`` is the LLM client to
    share (one client keeps one limit on the requests in flight for every document it serves) and
    ``cache`` the answer cache to share (live runs; else one is opened for the call);
    ``replay_lock`` serialises replays, since a recording takes over the HTTP transport of the whole
    process while it plays.
    """
    import contextlib

    from summarizer.llm.extract import extract_page_async

    _require_articles(analysis)
    document, page, facts = analysis.document, analysis.page, analysis.facts
    plan = plan or plan_brief(document.sha256, settings)
    if plan.mode == "rules":
        return facts_only_result(analysis, plan.reason or "no LLM endpoint")
    messages: list[str] = []
    result: BriefResult
    if plan.mode == "llm":
        outcome = await extract_page_async(page, settings, facts=facts, client=client, cache=cache)
        if outcome.briefing is None:
            raise LLMError(_unreachable(outcome, settings) or _all_failed(outcome))
        result = BriefResult(outcome.briefing, "llm", outcome=outcome)
    else:
        from summarizer.llm.replay import replay_page

        recording = plan.recording
        if recording is None:
            raise ValueError("a replay plan names its recording")
        async with replay_lock or contextlib.nullcontext():
            outcome, provenance = await replay_page(page, facts, settings, recording, plan.reason or "")
        if outcome.briefing is None:
            raise LLMError(f"replaying {recording}: " + _all_failed(outcome))
        result = BriefResult(outcome.briefing, "replay", outcome=outcome, recording=recording)
        messages.append(f"replayed {recording} ({provenance.statement})")
    messages.extend(_outcome_messages(outcome, settings, live=result.mode == "llm"))
    result.messages = messages
    return result


def facts_only_result(analysis: Analysis, reason: str) -> BriefResult:
    """The facts-only briefing of an analysed document and what to tell the user (rules only, no LLM).

    ``reason`` says why no model is used, e.g. "offline mode (--offline); no recording of this input".
    """
    _require_articles(analysis)
    briefing = facts_only_briefing(analysis.page, analysis.facts, reason)
    messages = [f"facts-only briefing ({reason}): configure an LLM endpoint for the full briefing"]
    rejected = [a for a in briefing.articles if a.unverified]
    if rejected:
        count = sum(len(a.unverified) for a in rejected)
        messages.append(
            f"{count} claim(s) of the rule-based engine failed verification and are listed under "
            "'unverified', not in the briefing: " + ", ".join(f"article {(a.index or 0) + 1}" for a in rejected)
        )
    return BriefResult(briefing, "rules", messages=messages)


def brief_file(
    path: Path,
    settings: Settings,
    *,
    out_dir: Path | None = None,
    formats: str | None = None,
    offline: bool | None = None,
) -> BriefResult:
    """Brief ``path`` (see the module docstring) and write the outputs into ``out_dir``."""
    if offline is not None:
        settings = settings.replace(offline=offline)
    check_out_dir(out_dir or settings.out_dir, None if out_dir is not None else settings)
    analysis = _load(path, settings)
    result = brief(analysis, settings)
    result.outputs = write_outputs(
        result.briefing,
        out_dir or settings.out_dir,
        Path(analysis.document.name).stem,
        formats or settings.output_format,
        settings.secrets(),
        None if out_dir is not None else settings,
        page=analysis.page,
        facts=analysis.facts,
    )
    return result


def brief_text(text: str, settings: Settings | None = None, *, name: str = "<text>") -> BriefResult:
    """Brief a text given as a string (nothing is written; render ``result.briefing`` as you like).

    Without ``settings`` the environment and config file decide, as for the CLI.
    """
    from summarizer.settings import load_settings

    settings = settings or load_settings()
    document = read_document(text.encode("utf-8"), max_bytes=settings.max_input_bytes, name=name)
    return brief(analyse(document, document_date=settings.document_date), settings)


def _require_articles(analysis: Analysis) -> None:
    """A briefing needs an article: text in which no article is found (a stray encoding, a page of
    punctuation) is an unusable input, not a crash."""
    if not analysis.page.segments:
        raise InputError(f"{analysis.document.name}: no article found in the text; is it a news page?")


def _unreachable(outcome: PageOutcome, settings: Settings) -> str | None:
    """One line for a live run that never reached its endpoint, or None."""
    if not outcome.unreachable:
        return None
    endpoint = settings.effective_base_url
    tries = settings.max_transport_retries + 1
    error = outcome.articles[0].error or ""
    cause = error.rpartition("last: ")[2].split("; try again")[0].strip()
    inner = re.search(r"\(([^()]+)\)$", cause)  # "APIConnectionError: Connection error. (reason)"
    cause = inner.group(1) if inner else cause or "connection failed"
    why = ""
    key_source = settings.source_of("api_key")
    chosen = {settings.source_of("base_url"), settings.source_of("provider")} == {"default"}
    if chosen and key_source.startswith(("env ", "config ")):
        # Nothing but a key was configured: say why this is a live run at all.
        where = key_source.removeprefix("env ").replace("config ", "the config file ")
        why = f" (a live run: an API key is set in {where})"
    return (
        f"cannot reach the LLM endpoint {endpoint}{why}: {cause} ({tries} attempt(s)); "
        "check the network and --base-url / --provider, or pass --offline to replay recordings"
    )


def _all_failed(outcome: PageOutcome) -> str:
    """One line for a run in which no article could be briefed (the errors are usually the same)."""
    errors = [a.error or "no usable answer" for a in outcome.articles]
    first = errors[0].split(": ", 1)[-1] if errors else "the page has no article"
    if len(set(e.split(": ", 1)[-1] for e in errors)) <= 1:
        return f"no article could be briefed; all {len(errors)} failed: {first}"
    return "no article could be briefed: " + "; ".join(errors)


def _outcome_messages(outcome: PageOutcome, settings: Settings, *, live: bool = True) -> list[str]:
    """What to tell the user after a run: notes, verification, usage and cost, overhead, cache."""
    from summarizer.llm.pricing import run_cost

    lines = list(outcome.notes)
    usage = outcome.usage
    verified = sum(1 for a in outcome.articles if a.status == "verified")
    lines.append(f"{verified} of {len(outcome.articles)} article(s) fully verified")
    if usage.requests and not live:
        reasks = sum(a.reasks for a in outcome.articles)
        lines.append(
            f"replayed {usage.requests} recorded exchange(s), {reasks} of them re-ask(s); nothing billed"
        )
    elif usage.requests:
        cost, price = run_cost(
            usage,
            model=settings.effective_model,
            provider=settings.provider,
            base_url=settings.effective_base_url,
            prices_path=settings.prices_path,
        )
        # Every attempt counts, those of failed articles and failed transports included.
        without = (
            f" ({usage.requests_without_usage} of them failed or reported no tokens)"
            if usage.requests_without_usage
            else ""
        )
        lines.append(
            f"usage: {usage.requests} request(s){without}, {usage.prompt_tokens:,} prompt + "
            f"{usage.completion_tokens:,} completion tokens ({usage.describe_source()}); "
            + (f"cost {cost.describe()}" if cost is not None else price)
        )
    overhead = outcome.prompt_overhead_tokens
    if overhead:
        counted = f"counted with {usage.counter}" if usage.counter else "counted"
        lines.append(
            f"prompt overhead per call (everything but the article): {min(overhead):,}-{max(overhead):,} tokens "
            f"({counted})"
        )
    if live and settings.use_cache:
        lines.append(
            f"cache: {outcome.cache_hits} hit(s), {outcome.cache_misses} miss(es) ({settings.cache_dir})"
        )
    return lines


# -- record -------------------------------------------------------------------------------------------


def record_file(path: Path, settings: Settings, *, cassette: Path | None = None) -> tuple[Path, BriefResult]:
    """Brief ``path`` against the live endpoint, recording its exchanges into a cassette.

    The cache is bypassed so that every segment is actually requested and recorded. Only successful
    exchanges are recorded (never an error response, which a replay would repeat), and the cassette
    is written only when every article was answered: a failed run leaves any previous recording as
    it was. The briefing is written either way.
    """
    import asyncio

    from summarizer.llm.answer import answer_schema_sha256
    from summarizer.llm.extract import PROMPT_NAME, extract_page_async
    from summarizer.llm.prompting import latest_prompt
    from summarizer.llm.recording import CASSETTE_SUFFIX, Provenance, recorded_statement, recording_to

    problem = settings.check_endpoint()
    if problem is not None:
        raise LLMError(f"cannot record without a live endpoint: {problem}")
    settings = settings.replace(use_cache=False)
    check_out_dir(settings.out_dir, settings)
    analysis = _load(path, settings)
    document, page, facts = analysis.document, analysis.page, analysis.facts
    model, endpoint = settings.effective_model, settings.effective_base_url
    now = datetime.now(UTC)
    provenance = Provenance(
        kind="recorded",
        statement=recorded_statement(model, endpoint, now),
        endpoint=endpoint,
        model=model,
        mode=settings.mode,
        sampling=settings.sampling(),
        prompt_version=latest_prompt(PROMPT_NAME).version,
        schema_sha256=answer_schema_sha256(),
        input_name=document.name,
        input_sha256=document.sha256,
        recorded_on=now.date().isoformat(),
        generator="summarizer record",
    )
    slug = "".join(c if c.isalnum() or c in "-." else "-" for c in model).strip("-")
    target = cassette or (settings.recordings_dir or Path("seeds") / "recordings") / (
        f"{Path(document.name).stem}.{slug}{CASSETTE_SUFFIX}"
    )
    with recording_to(target, provenance=provenance, secrets=settings.secrets()) as pending:
        outcome = asyncio.run(extract_page_async(page, settings, facts=facts))
        pending.keep = outcome.briefing is not None and not outcome.failed
    if outcome.briefing is None:
        raise LLMError(
            "while recording (nothing recorded): " + (_unreachable(outcome, settings) or _all_failed(outcome))
        )
    result = BriefResult(outcome.briefing, "llm", outcome=outcome)
    if pending.keep:
        recorded = f"recorded {target} ({provenance.statement})"
    else:
        failed = ", ".join(f"article {a.index + 1}" for a in outcome.failed)
        recorded = (
            f"nothing recorded: {failed} failed, and a recording must answer every article "
            f"({'the previous ' + str(target) + ' is kept' if target.exists() else 'no file written'}); "
            "run record again"
        )
    result.messages = [recorded, *_outcome_messages(outcome, settings)]
    result.outputs = write_outputs(
        outcome.briefing,
        settings.out_dir,
        Path(document.name).stem,
        settings.output_format,
        settings.secrets(),
        settings,
        page=page,
        facts=facts,
    )
    return target, result
