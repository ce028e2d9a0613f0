"""The rule work of one batch input, run in a worker process: read → repair → segment → facts.

:func:`analyse_input` writes the input's fact table (``<stem>.facts.json``, exactly
``summarizer facts FILE --format json``) and then either briefs it by the rules right here (a
facts-only plan: the verifier's work stays in the worker too) or hands the analysis back to the
parent, which briefs it with the one LLM client every page shares. Nothing raised for one input
escapes: a bad input comes back as its one-line reason, so the batch goes on.

Workers ignore Ctrl-C (the parent decides what an interruption means) and leave when their parent
is gone, so a parent killed outright does not leave them behind.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from summarizer.batch.manifest import InputSummary
from summarizer.errors import SummarizerError

if TYPE_CHECKING:
    from summarizer.pipeline import Analysis, BriefResult

__all__ = [
    "FACTS_SUFFIX",
    "Job",
    "WorkResult",
    "analyse_input",
    "init_worker",
    "internal_error",
    "preload",
    "summarise",
    "write_facts",
]

FACTS_SUFFIX = ".facts.json"
_PARENT_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class Job:
    """One input for a worker (plain values: it crosses a process boundary)."""

    path: str
    stem: str
    out_dir: str
    formats: str
    """Briefing formats to write: md, json, html or all."""
    max_bytes: int
    rules_reason: str | None
    """Brief by the rules in the worker, saying this is why; None: return the analysis instead."""
    secrets: tuple[str, ...] = ()


@dataclass
class WorkResult:
    """What became of a job: an error, a finished summary, or an analysis for the parent to brief."""

    sha256: str | None = None
    byte_size: int | None = None
    error: str | None = None
    summary: InputSummary | None = None
    analysis: Analysis | None = None
    facts_output: str | None = None
    figures: int = 0


def init_worker(parent_pid: int) -> None:
    """Process-pool initializer: Ctrl-C is the parent's business; leave when the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A forked worker inherits the parent's event-loop wake-up descriptor; signals here are not its.
    signal.set_wakeup_fd(-1)
    threading.Thread(target=_leave_when_orphaned, args=(parent_pid,), daemon=True).start()


def preload() -> None:
    """Import and load what every input needs (the pipeline, the verifier, the renderers, the
    glossary, the gazetteer) in this process, so that workers forked from it inherit them instead
    of each loading them for its first input (~40 ms a worker)."""
    import summarizer.output.markdown
    import summarizer.output.tables
    import summarizer.pipeline
    import summarizer.rules.briefing
    import summarizer.verify  # noqa: F401
    from summarizer.gazetteer import find_regions
    from summarizer.rules.glossary import load_glossary

    load_glossary()
    find_regions("")


def _leave_when_orphaned(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(_PARENT_CHECK_SECONDS)
    os._exit(1)


def write_facts(analysis: Analysis, out_dir: Path, stem: str, secrets: tuple[str, ...] = ()) -> str:
    """Write ``<stem>.facts.json`` (the ``summarizer facts --format json`` payload); returns its name."""
    from summarizer.output.files import atomic_write
    from summarizer.output.tables import facts_payload, pretty_json
    from summarizer.redact import redact

    name = stem + FACTS_SUFFIX
    text = pretty_json(facts_payload(analysis.facts))
    atomic_write(out_dir / name, redact(text, secrets))
    return name


def summarise(result: BriefResult, figures: int, outputs: list[str]) -> InputSummary:
    """What a briefing amounts to, for the manifest and the progress display."""
    briefing = result.briefing
    checks = [a.verification for a in briefing.articles if a.verification is not None]
    outcome = result.outcome
    summary = InputSummary(
        mode=result.mode,
        outputs=outputs,
        figures=figures,
        articles=len(briefing.articles) + (len(outcome.failed) if outcome is not None else 0),
        articles_failed=len(outcome.failed) if outcome is not None else 0,
        claims_checked=sum(c.checked for c in checks),
        claims_verified=sum(c.verified for c in checks),
        claims_unverified=sum(len(a.unverified) for a in briefing.articles),
        exit_code=result.exit_code,
    )
    if outcome is not None and result.mode == "llm":  # replayed exchanges are not billed
        summary.requests = outcome.usage.requests
        summary.prompt_tokens = outcome.usage.prompt_tokens
        summary.completion_tokens = outcome.usage.completion_tokens
        if outcome.cost is not None and outcome.cost.currency == "USD":
            summary.cost_usd = round(outcome.cost.amount, 6)
    return summary


def analyse_input(job: Job) -> WorkResult:
    """Read, analyse and write the facts of one input; brief it here when the plan is the rules."""
    from summarizer.output.files import write_outputs
    from summarizer.pipeline import analyse, facts_only_result
    from summarizer.text.ingest import read_document

    result = WorkResult()
    try:
        document = read_document(Path(job.path), max_bytes=job.max_bytes)
        result.sha256, result.byte_size = document.sha256, document.byte_size
        analysis = analyse(document)
        out_dir = Path(job.out_dir)
        result.figures = len(analysis.facts.facts)
        result.facts_output = write_facts(analysis, out_dir, job.stem, job.secrets)
        if job.rules_reason is None:
            result.analysis = analysis
            return result
        brief = facts_only_result(analysis, job.rules_reason)
        written = write_outputs(
            brief.briefing, out_dir, job.stem, job.formats, job.secrets, page=analysis.page, facts=analysis.facts
        )
        result.summary = summarise(brief, result.figures, [result.facts_output, *(p.name for p in written)])
    except SummarizerError as error:
        result.error = str(error)
    except Exception as error:  # a bug on one input must not end the batch; it is that input's failure
        result.error = internal_error(job.path, error)
    return result


def internal_error(name: str, error: Exception) -> str:
    """One line for an unexpected error on one input (a bug), whatever the exception's text."""
    detail = " ".join(str(error).split())
    if len(detail) > 300:
        detail = detail[:299] + "…"
    return f"{name}: internal error ({type(error).__name__}: {detail}); please report it with the input file"
