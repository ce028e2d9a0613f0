"""What the verifier reports: one verdict per claim, the coverage of each article, and how to show them.

A verdict says how sure the rules are, not only whether the claim agrees:

* ``verified`` — the source states it (the value at the quote, the year of its period …);
* ``unconfirmed`` — the rules cannot tell: the claim is kept and shown as such, and no model is told
  to change it (a period stated more coarsely than the source's, a unit the source leaves implicit,
  a status the rules only inherit from a section);
* ``contradicted`` — the rules are sure the source says otherwise: the value differs, the scale is
  wrong, a target is stated as achieved, the quote is not in the article. A contradicted claim is
  never shown as verified.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, computed_field

from summarizer.briefing.models import Problem, Span, Status, Verdict

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "VERIFIER_VERSION",
    "ArticleCoverage",
    "ClaimResult",
    "UnmentionedFact",
    "VerificationReport",
    "print_report_table",
    "report_to_json",
]

VERIFIER_VERSION = "2"


class ClaimResult(BaseModel):
    """The verdict on one claim of a briefing."""

    model_config = ConfigDict(frozen=True)

    pointer: str = Field(description="JSON pointer into the briefing, e.g. /articles/0/metrics/3/value.")
    claim: str = Field(description="The claimed text or value.")
    verdict: Verdict
    problem: Problem | None = Field(default=None, description="What is wrong or unknown; null when verified.")
    span: Span | None = Field(default=None, description="Source span (original-file offsets) of the evidence.")
    message: str = Field(description="What was found, quoting the source.")

    @property
    def ok(self) -> bool:
        """Not contradicted: verified, or kept as unconfirmed."""
        return self.verdict != "contradicted"

    @property
    def verified(self) -> bool:
        return self.verdict == "verified"


class UnmentionedFact(BaseModel):
    """A figure the rule-based extractor found that the briefing does not mention."""

    model_config = ConfigDict(frozen=True)

    text: str
    value: float
    unit: str
    status: Status | None = None
    period: str | None = None
    indicator_zh: str | None = None
    span: Span


class ArticleCoverage(BaseModel):
    """How many of an article's rule-based facts the briefing mentions."""

    model_config = ConfigDict(frozen=True)

    article: int
    headline: str
    facts_found: int
    facts_mentioned: int
    ratio: float | None
    unmentioned: list[UnmentionedFact] = Field(default_factory=list)


class VerificationReport(BaseModel):
    """Every claim of a briefing with its verdict, and the coverage of each article."""

    source: str | None = None
    briefing: str | None = None
    document_date: str | None = None
    verifier_version: str = VERIFIER_VERSION
    claims: list[ClaimResult] = Field(default_factory=list)
    coverage: list[ArticleCoverage] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failures(self) -> int:
        """Claims the source contradicts."""
        return sum(1 for claim in self.claims if not claim.ok)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def unconfirmed(self) -> int:
        return sum(1 for claim in self.claims if claim.verdict == "unconfirmed")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return self.failures == 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exit_code(self) -> int:
        """0 when nothing is contradicted, 1 when any claim is (2 is for unusable input, raised as errors)."""
        return 0 if self.ok else 1

    def failed(self) -> list[ClaimResult]:
        return [claim for claim in self.claims if not claim.ok]

    def verdict_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for claim in self.claims:
            counts[claim.verdict] = counts.get(claim.verdict, 0) + 1
        return counts


def report_to_json(report: VerificationReport) -> str:
    """The report as indented JSON (UTF-8 text, Chinese unescaped)."""
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def print_report_table(report: VerificationReport, console: Console, *, show_verified: bool = False) -> None:
    """Render the report with rich: failures and unconfirmed claims (or all), coverage, a verdict line."""
    from rich.table import Table

    claims = report.claims if show_verified else [c for c in report.claims if not c.verified]
    table = Table(
        title=f"Claims ({len(report.claims)} checked, {report.failures} contradicted, {report.unconfirmed} unconfirmed)"
    )
    table.add_column("pointer", style="cyan", overflow="fold")
    table.add_column("claim", overflow="fold")
    table.add_column("verdict")
    table.add_column("span", justify="right")
    table.add_column("message", overflow="fold")
    styles = {"verified": "green", "unconfirmed": "yellow", "contradicted": "red"}
    for claim in claims:
        style = styles[claim.verdict]
        span = f"{claim.span.start}-{claim.span.end}" if claim.span else ""
        label = claim.verdict + (f" ({claim.problem})" if claim.problem else "")
        table.add_row(claim.pointer, claim.claim, f"[{style}]{label}[/{style}]", span, claim.message)
    if claims:
        console.print(table)
    coverage = Table(title="Coverage of rule-based facts")
    coverage.add_column("article", justify="right")
    coverage.add_column("headline", overflow="fold")
    coverage.add_column("found", justify="right")
    coverage.add_column("mentioned", justify="right")
    coverage.add_column("ratio", justify="right")
    for item in report.coverage:
        ratio = f"{item.ratio:.0%}" if item.ratio is not None else "-"
        coverage.add_row(str(item.article), item.headline, str(item.facts_found), str(item.facts_mentioned), ratio)
    console.print(coverage)
    counts = ", ".join(f"{verdict} {count}" for verdict, count in sorted(report.verdict_counts().items()))
    if report.ok:
        console.print(f"[green]OK[/green]: no claim of {len(report.claims)} is contradicted ({counts})")
    else:
        console.print(f"[red]FAILED[/red]: {report.failures} of {len(report.claims)} claims contradicted ({counts})")
