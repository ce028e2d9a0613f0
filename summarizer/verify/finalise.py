"""Finalising an article briefing: what verified stays, what the source contradicts moves to ``unverified``.

The result verifies cleanly: ``summarizer verify`` on it reports nothing contradicted, every
contradicted claim is listed once with the verifier's reason, and every claim the rules could not
confirm is kept and listed under ``unconfirmed``. Passages of the article that were set aside as
suspected injections are named in a caveat. This is the last step of every way a briefing is made
(an LLM's answer, a replayed recording, the rules-only briefing).
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.briefing.models import ArticleBriefing, Caveat, Span, UnverifiedClaim, VerificationSummary
from summarizer.verify.checker import ArticleCheck, check_article
from summarizer.verify.quarantine import list_unconfirmed, quarantine_unverified
from summarizer.verify.report import ClaimResult
from summarizer.verify.source import ArticleSource

__all__ = ["WITHHELD_HEADLINE", "WITHHELD_SUMMARY", "finalise_article", "withheld_headline"]

_MAX_QUARANTINE_ROUNDS = 4
_FIGURE_POINTERS = ("/metrics/", "/targets/")


def finalise_article(
    source: ArticleSource, article: ArticleBriefing, index: int, *, first_check: ArticleCheck | None = None
) -> ArticleBriefing:
    """The verified ``article``: spans filled, every failed claim moved to ``unverified`` (figures
    first, then whatever still fails), and the verification summary with coverage set.

    What cannot be dropped is replaced: a headline that fails verification by the Chinese headline
    marked as withheld (:func:`withheld_headline`), Chinese heading fields that are not in the
    source by null, a summary that still fails after its sentences were cut by a notice.
    ``unverified`` holds each failed claim once. ``article`` is modified (spans); pass a copy to
    keep it. Pure CPU work: run it off the event loop.

    ``first_check`` is the check already run on exactly this article with its spans filled (the LLM
    validator's): it stands for the first round instead of running the same checks again.
    """
    article.index = index
    article.unverified = []  # the model must not pre-fill these; only the verifier does
    article.unconfirmed = []
    caveats = [c for c in article.caveats if c.kind != "suspected_injection"] + _injection_caveats(source)
    if caveats != article.caveats:
        first_check = None  # the article checked is not this one
    article.caveats = caveats
    first: list[ClaimResult] | None = None
    check: ArticleCheck | None = None
    cut: set[str] = set()
    # Every round removes or replaces at least one failing claim, so the loop ends well before its
    # bound; the bound only guards against a verifier that keeps failing what was put in its place.
    limit = _MAX_QUARANTINE_ROUNDS + len(article.metrics) + len(article.targets) + len(article.programmes)
    limit += len(article.organisations) + len(article.caveats) + len(article.key_points) + 8
    for round_number in range(limit):
        check = first_check if round_number == 0 and first_check is not None else check_article(source, article)
        if first is None:
            first = check.results
        failed = [r for r in check.results if not r.ok]
        if not failed:
            break
        # Figures first: prose is often flagged only because it disagrees with a wrong figure, and
        # is judged again once that figure is out.
        figures = [r for r in failed if r.pointer.startswith(_FIGURE_POINTERS)]
        chosen = figures if figures and round_number < _MAX_QUARANTINE_ROUNDS else failed
        article = quarantine_unverified(article, chosen)
        article = _replace_fixed_fields(article, chosen, source.title, cut)
        check = None
    else:
        check = check_article(source, article)
        if not all(r.ok for r in check.results):
            article = _withhold_everything(quarantine_unverified(article, check.results), source.title)
            check = None
    article.unverified = _unique_claims(article.unverified)
    final = check or check_article(source, article, fill_spans=False)
    article.unconfirmed = list_unconfirmed(final.results)
    cover = final.coverage
    unverified = len(article.unverified)
    checked = max(len(first or []), unverified)
    unconfirmed = len(article.unconfirmed)
    article.verification = VerificationSummary(
        checked=checked,
        verified=max(checked - unverified - unconfirmed, 0),
        unconfirmed=unconfirmed,
        failed=unverified,
        facts_found=cover.facts_found if cover is not None else 0,
        facts_mentioned=cover.facts_mentioned if cover is not None else 0,
        coverage=cover.ratio if cover is not None else None,
    )
    return article


def _injection_caveats(source: ArticleSource) -> list[Caveat]:
    """One caveat per passage set aside because it addresses an AI: the reader should know it was there."""
    caveats = []
    for start, end, kind in source.set_aside:
        if kind == "suspected_injection":
            caveats.append(
                Caveat(
                    kind="suspected_injection",
                    description_en=(
                        "A passage of the source addresses an AI system instead of the reader (a suspected prompt "
                        "injection); it was set aside, and nothing in it was used in this briefing."
                    ),
                    span=Span(start=start, end=end),
                )
            )
    return caveats


WITHHELD_HEADLINE = "English headline withheld: it failed verification"
WITHHELD_SUMMARY = "(Summary withheld: it failed verification; see the unverified claims.)"
_HEADING_FIELDS = ("byline_zh", "source_tag_zh", "credit_zh")


def withheld_headline(title: str, current: str | None = None) -> str:
    """The headline shown instead of an English one that failed verification: the Chinese headline,
    marked as withheld. It adds nothing to the source; when even that fails (``current`` is already
    it), the bare notice."""
    title = " ".join(title.split())
    marked = f"{title} ({WITHHELD_HEADLINE})" if title else f"({WITHHELD_HEADLINE})"
    return marked if current != marked else f"({WITHHELD_HEADLINE})"


def _replace_fixed_fields(
    article: ArticleBriefing, failed: Sequence[ClaimResult], title: str, cut: set[str]
) -> ArticleBriefing:
    """``article`` with the failing fields quarantine cannot drop replaced by values that add no claim.

    ``cut`` remembers the summary's claims whose sentences were already cut out: one that fails
    again (the cut did not remove it) withholds the summary as a whole.
    """
    fields = {r.pointer.strip("/").split("/")[0] for r in failed if not r.ok}
    if "headline_en" in fields:
        article.headline_en = withheld_headline(title, article.headline_en)
    if "headline_zh" in fields and title.strip():
        article.headline_zh = title.strip()
    for name in _HEADING_FIELDS:
        if name in fields:
            setattr(article, name, None)
            if name == "byline_zh":
                article.byline_en = None  # the English of a byline the source does not have
    summary_claims = {r.claim for r in failed if not r.ok and r.pointer.strip("/") == "summary_en"}
    if summary_claims & cut:
        article.summary_en = WITHHELD_SUMMARY
    cut.update(summary_claims)
    return article


def _withhold_everything(article: ArticleBriefing, title: str) -> ArticleBriefing:
    """The last resort when the verifier keeps failing what replaced a claim: only what the source
    states by construction remains (the headline, the region); every dropped claim is listed."""
    copy = article.model_copy(deep=True)
    for name in ("metrics", "targets", "programmes", "organisations", "caveats", "key_points"):
        for number, item in enumerate(getattr(copy, name)):
            text = item if isinstance(item, str) else getattr(item, "source_quote", None)
            copy.unverified.append(
                UnverifiedClaim(
                    pointer=f"/{name}/{number}",
                    claim=text or getattr(item, "name_zh", None) or getattr(item, "description_en", name),
                    problem="not_in_source",
                    reason="withheld: the article's claims could not be brought to verify",
                )
            )
        setattr(copy, name, [])
    copy.headline_zh = title.strip() or copy.headline_zh
    copy.headline_en = f"({WITHHELD_HEADLINE})"
    copy.summary_en = WITHHELD_SUMMARY
    for name in _HEADING_FIELDS:
        setattr(copy, name, None)
    copy.byline_en = None
    return copy


def _unique_claims(claims: Sequence[UnverifiedClaim]) -> list[UnverifiedClaim]:
    """Each failed claim once (a field judged in several rounds fails the same way each time)."""
    seen: set[tuple[str, str, str, str]] = set()
    unique: list[UnverifiedClaim] = []
    for claim in claims:
        key = (claim.pointer, claim.claim, claim.problem, claim.reason)
        if key not in seen:
            seen.add(key)
            unique.append(claim)
    return unique


