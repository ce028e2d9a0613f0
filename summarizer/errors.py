"""Exceptions that carry a message a person can act on.

Every error the CLI reports comes from here: it prints ``str(error)`` on one line and exits with
``error.exit_code``; no traceback reaches the user.
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Base class for every error the tool reports to a user."""

    exit_code: int = 2


class InputError(SummarizerError):
    """The input file cannot be used (missing, empty, binary, undecodable, too large)."""


class BriefingFormatError(SummarizerError):
    """A briefing JSON file is malformed or does not match the schema."""


class ConfigError(SummarizerError):
    """Settings are missing or contradictory."""


class LLMError(SummarizerError):
    """The model endpoint failed in a way retries cannot fix."""
