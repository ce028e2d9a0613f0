"""What a batch shows while it runs: a live rich display on a terminal, else one line per input.

The live display (on stderr) has the inputs done of all with a bar, failures, figures, claims
verified, tokens, cost, elapsed time and ETA; each failure is printed above it with its reason.
When stdout or stderr is not a terminal (a pipe, a log file, CI) every finished input is one plain
line on stdout instead, and the run ends with one summary line either way.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol, TextIO

if TYPE_CHECKING:
    from summarizer.batch.runner import BatchReport, InputReport

__all__ = ["PlainReporter", "Reporter", "RichReporter", "Tally", "default_reporter", "summary_line"]


@dataclass
class Tally:
    """Running totals over the inputs finished so far."""

    total: int = 0
    done: int = 0
    failed: int = 0
    skipped: int = 0
    figures: int = 0
    claims_checked: int = 0
    claims_verified: int = 0
    claims_unverified: int = 0
    requests: int = 0
    tokens: int = 0
    cost_usd: float = 0.0
    costed: bool = field(default=False)

    @property
    def finished(self) -> int:
        return self.done + self.failed + self.skipped

    def add(self, item: InputReport) -> None:
        if item.state == "failed":
            self.failed += 1
        elif item.skipped:
            self.skipped += 1
        else:
            self.done += 1
        summary = item.summary
        if summary is None:
            return
        self.figures += summary.figures
        self.claims_checked += summary.claims_checked
        self.claims_verified += summary.claims_verified
        self.claims_unverified += summary.claims_unverified
        if not item.skipped:  # usage is what this run spent
            self.requests += summary.requests
            self.tokens += summary.tokens
            if summary.cost_usd is not None:
                self.cost_usd += summary.cost_usd
                self.costed = True

    def describe(self) -> str:
        parts = [
            f"{self.figures:,} figures",
            f"{self.claims_verified:,}/{self.claims_checked:,} claims verified",
        ]
        parts += _doubts(self.claims_checked, self.claims_verified, self.claims_unverified)
        if self.requests:
            parts.append(f"{self.requests:,} requests, {self.tokens:,} tokens")
            parts.append(f"USD {self.cost_usd:.4f}" if self.costed else "cost unknown")
        return ", ".join(parts)


def _doubts(checked: int, verified: int, contradicted: int) -> list[str]:
    """What is not verified: kept as unconfirmed (the rules cannot tell) and moved out as contradicted."""
    parts = []
    unconfirmed = max(0, checked - verified - contradicted)
    if unconfirmed:
        parts.append(f"{unconfirmed:,} unconfirmed")
    if contradicted:
        parts.append(f"{contradicted:,} contradicted")
    return parts


def summary_line(report: BatchReport) -> str:
    """One line for the end of a run."""
    tally = report.tally
    head = f"{tally.done} done, {tally.failed} failed, {tally.skipped} skipped of {tally.total} input(s)"
    return f"{head}; {tally.describe()}; manifest {report.manifest_path}"


class Reporter(Protocol):
    """Receives the run's events (all from the event loop's thread)."""

    def start(self, total: int) -> None: ...
    def update(self, item: InputReport, tally: Tally) -> None: ...
    def close(self, report: BatchReport | None) -> None: ...


def _describe_item(item: InputReport) -> str:
    summary = item.summary
    if item.state == "failed":
        return item.error or "failed"
    assert summary is not None  # a finished input has its summary
    verified = f"{summary.claims_verified}/{summary.claims_checked} claims verified"
    extra = "".join(f", {part}" for part in _doubts(summary.claims_checked, summary.claims_verified, summary.claims_unverified))
    failed = f", {summary.articles_failed} article(s) failed" if summary.articles_failed else ""
    return f"{item.name}: {summary.figures} figures, {verified}{extra}{failed} ({summary.mode})"


class PlainReporter:
    """One line per finished input on ``stream`` (stdout), for pipes and logs."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.total = 0

    def start(self, total: int) -> None:
        self.total = total

    def update(self, item: InputReport, tally: Tally) -> None:
        word: Literal["done", "failed", "skipped"] = (
            "failed" if item.state == "failed" else "skipped" if item.skipped else "done"
        )
        width = len(str(self.total))
        line = f"[{tally.finished:>{width}}/{self.total}] {word:<7} {_describe_item(item)}"
        if item.skipped:
            line += " (unchanged since an earlier run)"
        self.stream.write(line + "\n")
        self.stream.flush()

    def close(self, report: BatchReport | None) -> None:
        if report is not None:
            self.stream.write(summary_line(report) + "\n")
            self.stream.flush()


class RichReporter:
    """A live progress display on a terminal; failures printed above it as they happen."""

    def __init__(self, console: Any | None = None, summary_stream: TextIO | None = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = console or Console(stderr=True)
        self.summary_stream = summary_stream or sys.stdout
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]}"),
            TextColumn("{task.fields[stats]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.task: Any = None

    def start(self, total: int) -> None:
        self.progress.start()
        self.task = self.progress.add_task("batch", total=total, failed="", stats="")

    def update(self, item: InputReport, tally: Tally) -> None:
        if item.state == "failed":
            self.progress.console.print(f"failed {item.error}", markup=False, highlight=False, style="red")
        failed = f"{tally.failed} failed" if tally.failed else ""
        self.progress.update(
            self.task, completed=tally.finished, failed=failed, stats=tally.describe(), refresh=True
        )

    def close(self, report: BatchReport | None) -> None:
        self.progress.stop()
        if report is not None:
            self.summary_stream.write(summary_line(report) + "\n")
            self.summary_stream.flush()


def default_reporter() -> Reporter:
    """The live display when both stdout and stderr are terminals, else plain lines on stdout."""
    if sys.stdout.isatty() and sys.stderr.isatty():
        return RichReporter()
    return PlainReporter(sys.stdout)
