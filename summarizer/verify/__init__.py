"""Verify a briefing against its source: every quote, number, unit, qualifier, status, period and hedge.

The verifier reads the rule engine's facts (:mod:`summarizer.rules.facts`) and aligns each claim of a
briefing with the figure it reads; each verdict says how sure the rules are (:mod:`.report`). The
modules name what they check:

* :mod:`.source` — the article as the checks see it: where quotes stand, the facts by span and value;
* :mod:`.grounding` — quotes and Chinese names occur verbatim in the article;
* :mod:`.metrics` — value, unit, scale, qualifier, status and period of every metric;
* :mod:`.items` — targets, programmes, organisations, caveats, heading fields;
* :mod:`.prose` — every number in every English text (with :mod:`.english_numbers`);
* :mod:`.coverage` — which facts the briefing mentions;
* :mod:`.quarantine` and :mod:`.finalise` — what the source contradicts leaves the briefing;
* :mod:`.checker` — running all of it for an article or a page.
"""

from summarizer.verify.checker import (
    ArticleCheck,
    annotate_briefing,
    check_article,
    verify_article,
    verify_briefing,
)
from summarizer.verify.finalise import (
    WITHHELD_HEADLINE,
    WITHHELD_SUMMARY,
    finalise_article,
    withheld_headline,
)
from summarizer.verify.quarantine import list_unconfirmed, quarantine_unverified
from summarizer.verify.report import (
    VERIFIER_VERSION,
    ArticleCoverage,
    ClaimResult,
    UnmentionedFact,
    VerificationReport,
    print_report_table,
    report_to_json,
)
from summarizer.verify.source import ArticleSource, Evidence

__all__ = [
    "VERIFIER_VERSION",
    "WITHHELD_HEADLINE",
    "WITHHELD_SUMMARY",
    "ArticleCheck",
    "ArticleCoverage",
    "ArticleSource",
    "ClaimResult",
    "Evidence",
    "UnmentionedFact",
    "VerificationReport",
    "annotate_briefing",
    "check_article",
    "finalise_article",
    "list_unconfirmed",
    "print_report_table",
    "quarantine_unverified",
    "report_to_json",
    "verify_article",
    "verify_briefing",
    "withheld_headline",
]
