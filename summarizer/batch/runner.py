"""``summarizer batch``: brief many inputs with bounded concurrency, resumably.

For every input (see :func:`~summarizer.batch.inputs.expand_inputs`):

1. its bytes are hashed; an input the manifest has ``done`` with the same hash (and outputs still in
   place) is skipped, unless it got only a facts-only briefing and a model or a recording can now
   do better, or ``force`` is given;
2. :func:`summarizer.pipeline.plan_brief` decides live / replay / facts-only, exactly as
   ``summarizer brief`` does (``facts_only`` fixes it to the rules);
3. the rule work (read → repair → segment → facts, and the whole facts-only briefing) runs in a
   process pool of ``workers`` processes (:mod:`summarizer.batch.worker`);
4. live and replayed briefings run in this process's event loop with ONE
   :class:`~summarizer.llm.client.LLMClient` and one answer cache for every page: the client's
   limit on requests in flight (``settings.concurrency``) holds across all pages, and a 429 pauses
   them all; replays take turns (a recording replaces the HTTP transport while it plays);
5. the manifest records each step (:mod:`summarizer.batch.manifest`), so Ctrl-C, ``kill`` or a crash
   loses at most the inputs in flight, which the next run does again.

A bad input fails alone with its one-line reason. Exit code: 0 when every input was briefed and
every claim verified; 1 when an input failed or kept unverified claims; 2 for unusable arguments or
settings (raised before any work, as :class:`~summarizer.errors.SummarizerError`). An endpoint that
rejects the key stops the run (every page would fail the same way): the error is raised, and the
inputs not yet briefed stay pending for the next run.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.batch.inputs import DEFAULT_PATTERN, expand_inputs
from summarizer.batch.manifest import (
    MANIFEST_NAME,
    InputRecord,
    InputSummary,
    Manifest,
    ManifestStore,
    RunTotals,
    State,
)
from summarizer.batch.progress import Reporter, Tally, default_reporter
from summarizer.batch.worker import (
    Job,
    WorkResult,
    analyse_input,
    init_worker,
    internal_error,
    preload,
    summarise,
)
from summarizer.errors import ConfigError, LLMAuthError, SummarizerError
from summarizer.settings import Settings

if TYPE_CHECKING:
    from summarizer.llm.cache import ResultCache
    from summarizer.llm.client import LLMClient
    from summarizer.pipeline import BriefPlan

__all__ = ["FACTS_ONLY_REASON", "BatchReport", "InputReport", "run_batch"]

FACTS_ONLY_REASON = "a facts-only batch (--facts-only)"
BRIEFING_FORMATS = "all"  # the JSON for export and tools, the Markdown and the HTML report for people


@dataclass
class InputReport:
    """How one input of the run ended."""

    name: str
    key: str
    stem: str
    state: State
    error: str | None = None
    summary: InputSummary | None = None
    skipped: bool = False
    """Finished by an earlier run with the same content: not analysed again."""


@dataclass
class BatchReport:
    """The outcome of a batch run."""

    out_dir: Path
    run_id: int
    inputs: list[InputReport] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    requests: int = 0
    """LLM requests of the whole run, failed ones included."""

    @property
    def manifest_path(self) -> Path:
        return self.out_dir / MANIFEST_NAME

    @property
    def analysed(self) -> int:
        return sum(1 for item in self.inputs if not item.skipped and item.state in ("done", "failed"))

    @property
    def exit_code(self) -> int:
        """0: every input briefed and verified; 1: an input failed or kept unverified claims."""
        for item in self.inputs:
            if item.state != "done" or item.summary is None or item.summary.exit_code != 0:
                return 1
        return 0


@dataclass
class _Pending:
    record: InputRecord
    path: Path
    sha256: str
    byte_size: int
    plan: BriefPlan


def _sha256_of(path: Path) -> tuple[str, int]:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest(), os.fstat(stream.fileno()).st_size


def _outputs_present(out_dir: Path, summary: InputSummary | None) -> bool:
    return summary is not None and all((out_dir / name).is_file() for name in summary.outputs)


def _finished_before(record: InputRecord, sha256: str, plan: BriefPlan, out_dir: Path) -> bool:
    """Done by an earlier run with these bytes, its outputs in place, and no better briefing possible."""
    summary = record.summary
    if record.state != "done" or record.sha256 != sha256 or not _outputs_present(out_dir, summary):
        return False
    assert summary is not None  # checked by _outputs_present
    # A facts-only briefing is done again when a model or a recording can now brief the input.
    return not (summary.mode == "rules" and plan.mode != "rules")


def _pool_context() -> Any:
    """fork on Linux: workers start at once with the rules already imported (spawn would import
    everything again in each). Elsewhere the platform's default."""
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class _Pool:
    """The worker processes, replaced once when one dies (killed, out of memory) so that the
    inputs in flight can be tried again; an input that kills a fresh pool too has failed."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        context = _pool_context()
        if context.get_start_method() == "fork":
            preload()
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=init_worker,
            initargs=(os.getpid(),),
        )

    async def analyse(self, job: Job) -> WorkResult:
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            executor = self.executor
            try:
                return await loop.run_in_executor(executor, analyse_input, job)
            except BrokenProcessPool:
                if attempt == 2:
                    break
                if executor is self.executor:  # the first task to notice replaces the pool
                    executor.shutdown(wait=False, cancel_futures=True)
                    self.executor = self._new()
        return WorkResult(error=f"{job.path}: the worker process died while analysing it (out of memory?)")

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True)

    def stop(self) -> None:
        _stop_workers(self.executor)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now: their results are no longer wanted.

    ProcessPoolExecutor has no public way to end running workers before Python 3.14
    (``terminate_workers``); its process table is used for that.
    """
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()


class _Run:
    def __init__(
        self,
        settings: Settings,
        out_dir: Path,
        manifest: ManifestStore,
        reporter: Reporter,
        *,
        workers: int,
        run_id: int,
    ) -> None:
        self.settings = settings
        self.out_dir = out_dir
        self.manifest = manifest
        self.reporter = reporter
        self.workers = workers
        self.report = BatchReport(out_dir, run_id)
        self.running: set[str] = set()
        self.client: LLMClient | None = None
        self.cache: ResultCache | None = None
        self.replay_lock = asyncio.Lock()

    def finish(self, item: InputReport) -> None:
        self.report.inputs.append(item)
        self.report.tally.add(item)
        self.reporter.update(item, self.report.tally)

    def fail(
        self,
        record: InputRecord,
        error: str,
        sha256: str | None,
        byte_size: int | None,
        outputs: Sequence[str] = (),
    ) -> None:
        self.manifest.mark_failed(record.path, error, sha256, byte_size, outputs)
        self.running.discard(record.path)
        self.finish(InputReport(record.name, record.path, record.stem, "failed", error=error))

    def done(self, record: InputRecord, sha256: str, byte_size: int, summary: InputSummary) -> None:
        self.manifest.mark_done(record.path, sha256, byte_size, summary)
        self.running.discard(record.path)
        self.finish(InputReport(record.name, record.path, record.stem, "done", summary=summary))

    async def process(self, item: _Pending, pool: _Pool, slots: asyncio.Semaphore) -> None:
        async with slots:
            await self._process(item, pool)

    async def _process(self, item: _Pending, pool: _Pool) -> None:
        record = item.record
        self.manifest.mark_running(record.path, self.report.run_id)
        self.running.add(record.path)
        job = Job(
            path=record.name,
            stem=record.stem,
            out_dir=str(self.out_dir),
            formats=BRIEFING_FORMATS,
            max_bytes=self.settings.max_input_bytes,
            rules_reason=item.plan.reason if item.plan.mode == "rules" else None,
            secrets=self.settings.secrets(),
        )
        result = await pool.analyse(job)
        sha256 = result.sha256 or item.sha256
        if result.error is not None:
            self.fail(record, result.error, sha256, result.byte_size)
        elif result.summary is not None:
            self.done(record, sha256, result.byte_size or 0, result.summary)
        elif result.analysis is not None:
            await self._brief(item, result)
        else:  # pragma: no cover - analyse_input always sets one of the three
            self.fail(record, f"{record.name}: the worker returned nothing", sha256, result.byte_size)

    async def _brief(self, item: _Pending, result: WorkResult) -> None:
        from summarizer.output.files import write_outputs
        from summarizer.pipeline import brief_async

        record, analysis = item.record, result.analysis
        assert analysis is not None and result.sha256 is not None  # a returned analysis has its document
        facts = [result.facts_output] if result.facts_output else []  # kept when the briefing fails
        try:
            brief = await brief_async(
                analysis,
                self.settings,
                plan=item.plan,
                client=self.client,
                cache=self.cache,
                replay_lock=self.replay_lock,
            )
            write = functools.partial(
                write_outputs,
                brief.briefing,
                self.out_dir,
                record.stem,
                BRIEFING_FORMATS,
                self.settings.secrets(),
                page=analysis.page,
                facts=analysis.facts,
            )
            written = await asyncio.to_thread(write)
        except LLMAuthError:
            raise  # every page would fail the same way: the run stops
        except SummarizerError as error:
            self.fail(record, f"{record.name}: {error}", result.sha256, result.byte_size, facts)
            return
        except Exception as error:  # a bug on one input must not end the batch
            self.fail(record, internal_error(record.name, error), result.sha256, result.byte_size, facts)
            return
        outputs = [*facts, *(path.name for path in written)]
        self.done(record, result.sha256, analysis.document.byte_size, summarise(brief, result.figures, outputs))


async def _run(
    settings: Settings,
    out_dir: Path,
    inputs: list[Path],
    manifest: ManifestStore,
    reporter: Reporter,
    *,
    facts_only: bool,
    workers: int,
    force: bool,
) -> BatchReport:
    from summarizer.pipeline import BriefPlan, plan_brief

    run_id = manifest.begin_run("facts-only" if facts_only else "brief")
    run = _Run(settings, out_dir, manifest, reporter, workers=workers, run_id=run_id)
    run.report.tally.total = len(inputs)
    reporter.start(len(inputs))
    pending: list[_Pending] = []
    status = "interrupted"
    main = asyncio.current_task()
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not in the main thread
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main.cancel if main else lambda: None)
    try:
        for path, record in zip(inputs, manifest.register(inputs), strict=True):
            try:
                sha256, byte_size = _sha256_of(path)
            except OSError as error:
                run.fail(record, f"{record.name}: cannot read the file ({error.strerror or error})", None, None)
                continue
            plan = BriefPlan("rules", FACTS_ONLY_REASON) if facts_only else plan_brief(sha256, settings)
            if not force and _finished_before(record, sha256, plan, out_dir):
                run.finish(InputReport(record.name, record.path, record.stem, "done", summary=record.summary, skipped=True))
                continue
            pending.append(_Pending(record, path, sha256, byte_size, plan))
        if pending:
            # Largest inputs first: a long one started last would leave the other workers idle at the end.
            pending.sort(key=lambda item: -item.byte_size)
            await _run_pending(run, pending)
        status = "finished"
    except LLMAuthError:
        status = "aborted"
        raise
    finally:
        if run.running:
            manifest.release(run.running)
        client_usage = run.client.usage if run.client is not None else None
        tally = run.report.tally
        totals = RunTotals(
            inputs=len(inputs),
            analysed=run.report.analysed,
            skipped=tally.skipped,
            failed=tally.failed,
            requests=client_usage.requests if client_usage else 0,
            prompt_tokens=client_usage.prompt_tokens if client_usage else 0,
            completion_tokens=client_usage.completion_tokens if client_usage else 0,
            cost_usd=round(tally.cost_usd, 6) if tally.costed else None,
        )
        run.report.requests = totals.requests
        manifest.end_run(run_id, status, totals)
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
    return run.report


async def _run_pending(run: _Run, pending: list[_Pending]) -> None:
    live = any(item.plan.mode == "llm" for item in pending)
    pool = _Pool(min(run.workers, len(pending)))
    # Inputs in progress at once: enough to keep every worker and every request slot busy, few
    # enough that analyses waiting for the model do not pile up in memory.
    slots = asyncio.Semaphore(run.workers * 2 + (run.settings.concurrency * 2 if live else 0))
    tasks: list[asyncio.Task[None]] = []
    try:
        async with contextlib.AsyncExitStack() as stack:
            if live:
                from summarizer.llm.cache import ResultCache
                from summarizer.llm.client import LLMClient

                settings = run.settings
                run.client = await stack.enter_async_context(LLMClient(settings))
                run.cache = stack.enter_context(
                    ResultCache(
                        settings.cache_dir,
                        size_limit=settings.cache_size_limit,
                        secrets=settings.secrets(),
                        enabled=settings.use_cache,
                        refresh=settings.refresh_cache,
                    )
                )
            tasks = [asyncio.create_task(run.process(item, pool, slots)) for item in pending]
            await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        pool.stop()
        raise
    pool.shutdown()


def run_batch(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    settings: Settings | None = None,
    *,
    facts_only: bool = False,
    workers: int | None = None,
    pattern: str = DEFAULT_PATTERN,
    force: bool = False,
    reporter: Reporter | None = None,
    manifest: ManifestStore | None = None,
) -> BatchReport:
    """Brief every input named by ``paths`` into ``out_dir``; resumable (see the module docstring).

    ``paths``: files, directories (their files matching ``pattern``) and globs. ``facts_only``: the
    rules-only fact table and briefing, no LLM. ``workers``: processes for the rule work (default:
    the CPU count). Each input gets ``<stem>.facts.json``, ``<stem>.briefing.json`` (what
    :mod:`summarizer.batch.export` reads) and ``<stem>.briefing.md`` in ``out_dir``. Without
    ``settings`` the environment and config file decide, as for the CLI. ``reporter``: the progress
    display (default: live on a terminal, else a line per input). ``manifest``: another store for the
    run's records (default: ``out_dir/manifest.sqlite``).

    Raises :class:`~summarizer.errors.SummarizerError` (exit code 2) for unusable arguments or
    settings before any work, :class:`~summarizer.errors.LLMAuthError` when the endpoint rejects the
    key, and ``KeyboardInterrupt`` when interrupted (the manifest then says where to resume).
    """
    from summarizer.output.files import make_out_dir
    from summarizer.settings import load_settings

    settings = settings or load_settings()
    out = Path(out_dir)
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    if not facts_only:
        settings.check_endpoint()  # a half-configured endpoint is an error before any work
    make_out_dir(out)
    inputs = expand_inputs(paths, pattern=pattern, exclude=out)
    reporter = reporter or default_reporter()
    store: ManifestStore = manifest if manifest is not None else Manifest(out)
    report: BatchReport | None = None
    try:
        report = asyncio.run(
            _run(
                settings,
                out,
                inputs,
                store,
                reporter,
                facts_only=facts_only,
                workers=workers or os.cpu_count() or 1,
                force=force,
            )
        )
    except asyncio.CancelledError:  # SIGTERM: stopped like Ctrl-C
        raise KeyboardInterrupt from None
    finally:
        reporter.close(report)
        if manifest is None:
            store.close()
    return report

