"""Every exception the tool raises on purpose, in one tree, each with the exit code the CLI uses.

::

    SummarizerError                 exit 2 unless a subclass says otherwise
    ├── InputError                  the input cannot be used (missing, empty, binary, undecodable, too large)
    ├── BriefingFormatError         a briefing JSON file is malformed or does not match the schema
    ├── ConfigError                 settings are missing or contradictory
    ├── RecordingError              a recording is missing, malformed, or does not match the requests
    └── LLMError                    the model endpoint failed in a way retries cannot fix
        ├── LLMAuthError            401/403: key missing, wrong or without access (never retried)
        ├── LLMRequestError         400/404/422 …: the request itself is wrong (never retried)
        ├── LLMUnavailableError     429/5xx/timeouts/dropped connections after every retry
        └── LLMOutputTruncatedError the model stopped at max_tokens before finishing the structure

The CLI prints ``str(error)`` on one line and exits with ``error.exit_code``; no traceback reaches
the user. Messages say what was wrong and what to do about it.
"""

from __future__ import annotations

__all__ = [
    "BriefingFormatError",
    "ConfigError",
    "InputError",
    "LLMAuthError",
    "LLMError",
    "LLMOutputTruncatedError",
    "LLMRequestError",
    "LLMUnavailableError",
    "RecordingError",
    "SummarizerError",
]


class SummarizerError(Exception):
    """Base class for every error the tool reports to a user."""

    exit_code: int = 2


class InputError(SummarizerError):
    """The input file cannot be used (missing, empty, binary, undecodable, too large)."""


class BriefingFormatError(SummarizerError):
    """A briefing JSON file is malformed or does not match the schema."""


class ConfigError(SummarizerError):
    """Settings are missing or contradictory."""


class RecordingError(SummarizerError):
    """A recording is missing, malformed, or does not match the requests being made."""


class LLMError(SummarizerError):
    """The model endpoint failed in a way retries cannot fix."""


class LLMAuthError(LLMError):
    """401/403: the key is missing, wrong, or lacks access. Not retried."""


class LLMRequestError(LLMError):
    """400/404/422 and other client errors: the request itself is wrong. Not retried."""


class LLMUnavailableError(LLMError):
    """The endpoint kept failing (429/5xx/timeouts/dropped connections) after every retry."""


class LLMOutputTruncatedError(LLMError):
    """The model stopped at max_tokens before finishing the structure."""
