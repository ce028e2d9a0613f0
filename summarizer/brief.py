"""``summarizer brief`` and ``summarizer record``: a file in, an English briefing and JSON out.

How the briefing is made depends on what is available, and the output always says which:

1. an LLM endpoint is configured (and ``--offline`` is not given): live extraction
   (:mod:`summarizer.extract`), with the disk cache. An endpoint configured only in part (a base
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

import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from summarizer.errors import ConfigError, LLMError
from summarizer.redact import redact
from summarizer.settings import Settings

if TYPE_CHECKING:
    from summarizer.extract import PageOutcome
    from summarizer.facts import FactTable
    from summarizer.ingest import Document
    from summarizer.schema import PageBriefing
    from summarizer.segment import SegmentedPage

__all__ = [
    "BriefResult",
    "brief_file",
    "change_indicator",
    "check_out_dir",
    "facts_only_briefing",
    "record_file",
    "write_outputs",
]

BriefMode = Literal["llm", "replay", "rules"]
_REPLAY_API_KEY = "replay-without-key"


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


def _load(path: Path, settings: Settings) -> tuple[Document, SegmentedPage, FactTable | None]:
    from summarizer.ingest import read_document
    from summarizer.segment import segment_document

    document = read_document(path, max_bytes=settings.max_input_bytes)
    page = segment_document(document)
    try:
        from summarizer.facts import extract_facts
    except ImportError:  # the rule-based engine is optional for the LLM path
        return document, page, None
    return document, page, extract_facts(page)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        # mkstemp creates the file private (0600); an output is an ordinary file for its reader.
        os.chmod(temporary, 0o666 & ~_current_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _out_dir_name(settings: Settings | None) -> str:
    """How the user set the output directory, for error messages."""
    source = settings.source_of("out_dir") if settings is not None else "flag"
    if source.startswith("env "):
        return source.removeprefix("env ")
    if source.startswith("config "):
        return f"out_dir ({source})"
    return "--out"


def check_out_dir(out_dir: Path, settings: Settings | None = None) -> None:
    """Raise :class:`ConfigError` unless ``out_dir`` is, or can be created as, a directory.

    Checked before any work is done, so that a run (perhaps a paid one) does not end in an error.
    Nothing is created here.
    """
    name = _out_dir_name(settings)
    if out_dir.exists() and not out_dir.is_dir():
        raise ConfigError(f"{name} must be a directory, but {out_dir} is a file: give a directory to write into")
    for parent in out_dir.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ConfigError(
                    f"{name} must be a directory, but {parent} (in {out_dir}) is a file: give a directory to write into"
                )
            break


def _make_out_dir(out_dir: Path, settings: Settings | None = None) -> None:
    check_out_dir(out_dir, settings)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"cannot create the output directory {out_dir} ({reason}): check {_out_dir_name(settings)}") from None


def write_outputs(
    briefing: PageBriefing,
    out_dir: Path,
    stem: str,
    formats: str,
    secrets: Sequence[str] = (),
    settings: Settings | None = None,
) -> list[Path]:
    """Write ``<stem>.briefing.md`` and/or ``<stem>.briefing.json``; secrets are scrubbed.

    Raises :class:`ConfigError` when ``out_dir`` is not a directory and cannot be made one.
    """
    from summarizer.render import render_json, render_markdown

    _make_out_dir(out_dir, settings)
    written: list[Path] = []
    outputs: list[tuple[Path, Callable[[PageBriefing], str]]] = []
    if formats in ("md", "all"):
        outputs.append((out_dir / f"{stem}.briefing.md", render_markdown))
    if formats in ("json", "all"):
        outputs.append((out_dir / f"{stem}.briefing.json", render_json))
    for path, render in outputs:
        try:
            _atomic_write(path, redact(render(briefing), secrets))
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise ConfigError(f"cannot write {path} ({reason}): check {_out_dir_name(settings)}") from None
        written.append(path)
    return written


# -- facts-only ----------------------------------------------------------------------------------------

_COMPARISON_KIND = {
    "yoy": "year_on_year",
    "vs_previous_year": "year_on_year",
    "rank": "rank_among",
    "share": "share_of",
}
_BASELINE_EN = {
    "national": "national average",
    "province": "the province",
    "city": "the city",
    "region": "the region",
    "world": "the world",
}


_RANK_BASELINE_EN = {
    "national": "in China",
    "province": "in the province",
    "city": "in the city",
    "world": "in the world",
}


_CLAUSE_BREAKS = "，,。；;：:！？!?\n"


def _quote_for(fact: Any, original: str) -> str:
    """The figure with the words before it, verbatim, long enough to occur once in the source:
    "16℃" alone is ambiguous where "12—16℃" stands earlier, "部分地区可超过16℃" is not."""
    start = fact.start
    for _ in range(4):  # at most four clauses back
        while start > 0 and original[start - 1] not in _CLAUSE_BREAKS and fact.start - start < 60:
            start -= 1
        quote = original[start : fact.end].strip()
        if original.count(quote) <= 1 or start == 0:
            return quote
        start -= 1  # step over the clause break into the clause before
    return original[start : fact.end].strip()


_RATE_UNITS = ("percent", "percentage_point", "permille", "basis_point", "times")


def change_indicator(label: str, change: str, unit: str, *, translated: bool = True) -> str:
    """The indicator of a figure that is a change (增长15%, 下降8.5%, 新增13.3万家), not a level.

    Rates read as growth or decline ("growth of the size of the digital economy"), amounts as an
    increase or decrease; an untranslated label as a "change in" it (the Chinese may already say
    增速). The sign of the value gives the direction; :func:`summarizer.render.format_metric_value`
    shows it (+15%, -8.5%).
    """
    if not translated:
        return f"change in {label}"
    if unit in _RATE_UNITS:
        return f"{'decline in' if change == 'decrease' else 'growth of'} {label}"
    return f"{'decrease in' if change == 'decrease' else 'increase in'} {label}"


def _metric_from_fact(fact: Any, original: str) -> dict[str, Any] | None:
    from summarizer.schema import PERIOD_PATTERN, UNITS

    if fact.indicator_zh is None:
        return None  # a bare table cell: nothing says what it measures
    if fact.value is None or (fact.unit not in UNITS and not re.fullmatch(r"[A-Z]{3}/[a-z_]+", fact.unit)):
        return None
    period = fact.period if fact.period and re.match(PERIOD_PATTERN, fact.period) else None
    value, value_max = fact.value, fact.value_max
    if fact.change == "decrease" and value_max is None:
        # A fall is negative in a briefing; a range (降温6—10℃) stays as printed, its words say "fall".
        value = -abs(value)
    comparison: dict[str, Any] | None = None
    if fact.comparison is not None:
        kind = _COMPARISON_KIND.get(fact.comparison.kind)
        if fact.comparison.kind == "vs_baseline":
            kind = "below_baseline" if fact.comparison.direction == "lower" else "above_baseline"
        if kind is not None:
            baseline = fact.comparison.baseline or ""
            comparison = {
                "kind": kind,
                "baseline_en": _RANK_BASELINE_EN.get(baseline)
                if kind == "rank_among"
                else _BASELINE_EN.get(baseline),
                "difference": fact.comparison.difference,
                "difference_unit": fact.comparison.unit if fact.comparison.unit in UNITS else None,
            }
    indicator_en = fact.indicator_en or f"(untranslated) {fact.indicator_zh or fact.text}"
    if fact.change is not None and comparison is None:
        indicator_en = change_indicator(indicator_en, fact.change, fact.unit, translated=bool(fact.indicator_en))
    return {
        "indicator_zh": fact.indicator_zh or fact.text,
        "indicator_en": indicator_en,
        "value": value,
        "value_max": value_max,
        "unit": fact.unit,
        "measure": fact.measure,
        "qualifier": fact.qualifier
        if fact.qualifier in ("exact", "more_than", "nearly", "about", "less_than")
        else "exact",
        "period": period,
        "cumulative": fact.cumulative,
        "status": fact.status,
        "comparison": comparison,
        "source_quote": _quote_for(fact, original),
    }


def facts_only_briefing(page: SegmentedPage, facts: FactTable | None, reason: str) -> PageBriefing:
    """A briefing from the rule-based engine alone: headlines, regions and verified figures."""
    from pydantic import ValidationError

    from summarizer.extract import finalise_article, source_info
    from summarizer.glossary import load_glossary
    from summarizer.schema import ArticleBriefing, Metric, PageBriefing, Region, RunMetadata

    articles: list[ArticleBriefing] = []
    for segment in page.segments:
        segment_facts = facts.for_segment(segment.index) if facts is not None else []
        metrics = []
        seen: set[tuple[Any, ...]] = set()
        for fact in segment_facts:
            data = _metric_from_fact(fact, page.document.original)
            if data is None:
                continue
            identity = (data["indicator_zh"], data["value"], data["unit"], data["period"], data["status"])
            if identity in seen:  # a figure repeated in the heading or the lead
                continue
            seen.add(identity)
            try:
                metrics.append(Metric.model_validate(data))
            except ValidationError:
                continue
        region = segment.region
        article = ArticleBriefing(
            index=segment.index,
            headline_zh=segment.title,
            headline_en="(English headline requires an LLM endpoint)",
            byline_zh=segment.byline,
            source_tag_zh=segment.source_tag,
            credit_zh=segment.signoff,
            region=Region(zh=region.zh, en=region.en, city_zh=region.city_zh, city_en=region.city_en)
            if region is not None
            else None,
            summary_en=(
                "Facts-only briefing: the figures below were found and verified by the rule-based engine. "
                "An LLM endpoint gives the full briefing (English headline, summary, targets, programmes)."
            ),
            metrics=metrics,
        )
        articles.append(finalise_article(page, segment, article, facts))
    briefing = PageBriefing(
        source=source_info(page.document),
        articles=articles,
        metadata=RunMetadata(
            generated_by="rules",
            glossary_version=load_glossary().version,
            created_at=datetime.now(UTC).replace(microsecond=0),
            notes=(
                f"Facts-only briefing from the rule-based engine: {reason}, and no recording of this input exists. "
                "Configure an LLM endpoint for the full English briefing: set OPENAI_API_KEY (or "
                "--provider deepseek|qwen|moonshot with its key, or --provider ollama for a local model)."
            ),
        ),
    )
    return briefing


# -- replay -------------------------------------------------------------------------------------------


def _replay_settings(settings: Settings, provenance: Any) -> Settings:
    sampling = dict(provenance.sampling or {})
    return settings.replace(
        provider="custom",
        base_url=provenance.endpoint,
        model=provenance.model,
        mode=provenance.mode,
        api_key=_REPLAY_API_KEY,
        temperature=sampling.get("temperature", settings.temperature),
        top_p=sampling.get("top_p"),
        seed=sampling.get("seed"),
        max_tokens=sampling.get("max_tokens"),
        use_cache=False,
        log_calls=False,
        max_transport_retries=0,
        offline=False,
    )


async def _replay(
    page: SegmentedPage, facts: FactTable | None, settings: Settings, recording: Path, reason: str
) -> tuple[PageOutcome, Any]:
    from summarizer.extract import extract_page_async
    from summarizer.llm import LLMClient
    from summarizer.recording import read_provenance, use_cassette

    provenance = read_provenance(recording)
    replay_settings = _replay_settings(settings, provenance)
    notes = [
        f"Replayed recorded responses ({recording.name}): {provenance.statement}.",
        f"No live model was called: {reason}.",
    ]
    generated_by: Literal["llm", "reference"] = "reference" if provenance.kind == "reference" else "llm"
    with use_cassette(recording, mode="replay"):
        async with LLMClient(replay_settings) as client:
            outcome = await extract_page_async(
                page, replay_settings, facts=facts, client=client, generated_by=generated_by, notes=notes
            )
    return outcome, provenance


def brief_file(
    path: Path,
    settings: Settings,
    *,
    out_dir: Path | None = None,
    formats: str | None = None,
    offline: bool | None = None,
) -> BriefResult:
    """Brief ``path`` (live, replayed, or facts-only; see the module docstring) and write the outputs."""
    import asyncio

    from summarizer.extract import extract_page_async
    from summarizer.recording import default_recording_dirs, find_recording

    if offline is not None:
        settings = settings.replace(offline=offline)
    check_out_dir(out_dir or settings.out_dir, None if out_dir is not None else settings)
    problem = settings.check_endpoint()  # a half-configured endpoint is an error, not a fallback
    document, page, facts = _load(path, settings)
    messages: list[str] = []
    result: BriefResult
    if problem is None:
        outcome = asyncio.run(extract_page_async(page, settings, facts=facts))
        if outcome.briefing is None:
            raise LLMError(_unreachable(outcome, settings) or _all_failed(outcome))
        result = BriefResult(outcome.briefing, "llm", outcome=outcome)
    else:
        recording = find_recording(document.sha256, default_recording_dirs(settings.recordings_dir))
        if recording is not None:
            outcome, provenance = asyncio.run(_replay(page, facts, settings, recording, problem))
            if outcome.briefing is None:
                raise LLMError(f"replaying {recording}: " + _all_failed(outcome))
            result = BriefResult(outcome.briefing, "replay", outcome=outcome, recording=recording)
            messages.append(f"replayed {recording} ({provenance.statement})")
        else:
            briefing = facts_only_briefing(page, facts, problem)
            result = BriefResult(briefing, "rules")
            messages.append(
                f"facts-only briefing ({problem}; no recording of this input): "
                "configure an LLM endpoint for the full briefing"
            )
            rejected = [a for a in briefing.articles if a.unverified]
            if rejected:
                count = sum(len(a.unverified) for a in rejected)
                messages.append(
                    f"{count} claim(s) of the rule-based engine failed verification and are listed under "
                    "'unverified', not in the briefing: "
                    + ", ".join(f"article {(a.index or 0) + 1}" for a in rejected)
                )
    if result.outcome is not None:
        messages.extend(_outcome_messages(result.outcome, settings, live=result.mode == "llm"))
    result.outputs = write_outputs(
        result.briefing,
        out_dir or settings.out_dir,
        Path(document.name).stem,
        formats or settings.output_format,
        settings.secrets(),
        None if out_dir is not None else settings,
    )
    result.messages = messages
    return result


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
    from summarizer.prompting import TOKEN_ESTIMATOR

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
        cost = (
            outcome.cost.describe()
            if outcome.cost is not None
            else "cost unknown (model not in the price table)"
        )
        lines.append(
            f"usage: {usage.requests} request(s), {usage.prompt_tokens:,} prompt + {usage.completion_tokens:,} "
            f"completion tokens; {cost}"
        )
    overhead = outcome.prompt_overhead_tokens
    if overhead:
        lines.append(
            f"prompt overhead per call (everything but the article): {min(overhead):,}-{max(overhead):,} tokens "
            f"({TOKEN_ESTIMATOR})"
        )
    if live and settings.use_cache:
        lines.append(
            f"cache: {outcome.cache_hits} hit(s), {outcome.cache_misses} miss(es) ({settings.cache_dir})"
        )
    return lines


# -- record -------------------------------------------------------------------------------------------


def record_file(path: Path, settings: Settings, *, cassette: Path | None = None) -> tuple[Path, BriefResult]:
    """Brief ``path`` against the live endpoint, recording every exchange into a cassette.

    The cache is bypassed so that every segment is actually requested and recorded.
    """
    import asyncio

    from summarizer.cache import schema_hash
    from summarizer.extract import PROMPT_NAME, extract_page_async
    from summarizer.prompting import latest_prompt
    from summarizer.recording import CASSETTE_SUFFIX, Provenance, recorded_statement, use_cassette
    from summarizer.schema import article_json_schema

    problem = settings.check_endpoint()
    if problem is not None:
        raise LLMError(f"cannot record without a live endpoint: {problem}")
    settings = settings.replace(use_cache=False)
    check_out_dir(settings.out_dir, settings)
    document, page, facts = _load(path, settings)
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
        schema_sha256=schema_hash(article_json_schema()),
        input_name=document.name,
        input_sha256=document.sha256,
        recorded_on=now.date().isoformat(),
        generator="summarizer record",
    )
    slug = "".join(c if c.isalnum() or c in "-." else "-" for c in model).strip("-")
    target = cassette or (settings.recordings_dir or Path("seeds") / "recordings") / (
        f"{Path(document.name).stem}.{slug}{CASSETTE_SUFFIX}"
    )
    with use_cassette(target, mode="record", provenance=provenance, secrets=settings.secrets()):
        outcome = asyncio.run(extract_page_async(page, settings, facts=facts))
    if outcome.briefing is None:
        raise LLMError("while recording: " + (_unreachable(outcome, settings) or _all_failed(outcome)))
    result = BriefResult(outcome.briefing, "llm", outcome=outcome)
    result.messages = [f"recorded {target} ({provenance.statement})", *_outcome_messages(outcome, settings)]
    result.outputs = write_outputs(
        outcome.briefing,
        settings.out_dir,
        Path(document.name).stem,
        settings.output_format,
        settings.secrets(),
        settings,
    )
    return target, result
