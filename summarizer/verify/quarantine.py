"""Quarantine: what the source contradicts leaves the briefing; what the rules cannot confirm is listed.

A contradicted metric, target, programme, organisation or caveat leaves its list; a key point with a
contradicted number is dropped; a sentence of the summary with one is cut out. Each goes to the
article's ``unverified`` list with the verifier's reason. Unconfirmed claims stay where they are and
are listed under ``unconfirmed``, so a reader sees both.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.briefing.models import ArticleBriefing, UnconfirmedClaim, UnverifiedClaim
from summarizer.verify.english_numbers import sentences
from summarizer.verify.report import ClaimResult

__all__ = ["list_unconfirmed", "quarantine_unverified"]

_LISTS = ("metrics", "targets", "programmes", "organisations", "caveats", "key_points")


def quarantine_unverified(article: ArticleBriefing, results: Sequence[ClaimResult]) -> ArticleBriefing:
    """A copy of ``article`` with every contradicted claim moved to ``unverified``.

    ``results`` are verify results with pointers relative to the article (no ``/articles/N`` prefix).
    """
    copy = article.model_copy(deep=True)
    drop: dict[str, set[int]] = {}
    summary_claims: list[str] = []
    for result in results:
        if result.ok:
            continue
        parts = result.pointer.strip("/").split("/")
        copy.unverified.append(
            UnverifiedClaim(
                pointer=result.pointer, claim=result.claim, problem=result.problem or "not_in_source", reason=result.message
            )
        )
        if len(parts) >= 2 and parts[0] in _LISTS:
            drop.setdefault(parts[0], set()).add(int(parts[1]))
        elif parts[0] == "summary_en":
            summary_claims.append(result.claim)
    for name, numbers in drop.items():
        items = getattr(copy, name)
        setattr(copy, name, [item for number, item in enumerate(items) if number not in numbers])
    if summary_claims:
        kept = [s for _, s in sentences(copy.summary_en) if not any(claim in s for claim in summary_claims)]
        copy.summary_en = " ".join(kept) or "(summary withheld: its figures could not be verified)"
    return copy


def list_unconfirmed(results: Sequence[ClaimResult]) -> list[UnconfirmedClaim]:
    """The unconfirmed claims of a verify run, each once (pointers relative to the article)."""
    seen: set[tuple[str, str, str]] = set()
    listed: list[UnconfirmedClaim] = []
    for result in results:
        if result.verdict != "unconfirmed":
            continue
        key = (result.pointer, result.claim, result.message)
        if key in seen:
            continue
        seen.add(key)
        listed.append(
            UnconfirmedClaim(
                pointer=result.pointer, claim=result.claim, problem=result.problem or "unsupported_number", reason=result.message
            )
        )
    return listed
