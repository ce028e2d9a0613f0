"""Verify a briefing against its source."""

from summarizer.verify.checks import *  # noqa: F403
from summarizer.verify.checks import __all__ as _checks_all
from summarizer.verify.finalise import (
    WITHHELD_HEADLINE,
    WITHHELD_SUMMARY,
    finalise_article,
    withheld_headline,
)

__all__ = [*_checks_all, "WITHHELD_HEADLINE", "WITHHELD_SUMMARY", "finalise_article", "withheld_headline"]
