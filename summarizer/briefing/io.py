"""Briefings on disk: load a briefing JSON file, and the JSON Schema committed in ``schemas/``.

Regenerate the committed schema with ``python -m summarizer.briefing.io > schemas/briefing.schema.json``
(or ``summarizer schema``); a test fails when it is stale.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarizer.briefing.models import ArticleBriefing, PageBriefing
from summarizer.errors import BriefingFormatError

__all__ = [
    "MAX_BRIEFING_BYTES",
    "article_json_schema",
    "briefing_json_schema",
    "load_briefing",
    "parse_briefing_json",
    "render_json_schema",
]

_SCHEMA_ID = "https://summarizer.invalid/schemas/briefing.schema.json"


def briefing_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a page briefing, as committed in ``schemas/briefing.schema.json``."""
    schema = PageBriefing.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": _SCHEMA_ID, **schema}


def article_json_schema() -> dict[str, Any]:
    """The JSON Schema of one article briefing: the shape the LLM is asked to fill."""
    return ArticleBriefing.model_json_schema(mode="validation")


def render_json_schema() -> str:
    """The committed text of ``schemas/briefing.schema.json`` (stable key order, trailing newline)."""
    return json.dumps(briefing_json_schema(), ensure_ascii=False, indent=2) + "\n"


# A briefing is JSON text of some kilobytes; far more than this is not a briefing (and a stream
# such as /dev/zero must not be read without end).
MAX_BRIEFING_BYTES = 64 * 1024 * 1024


def _not_a_json_value(constant: str) -> float:
    raise ValueError(f"{constant} is not a JSON value")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def parse_briefing_json(raw: str, label: str) -> Any:
    """Strict JSON: NaN, Infinity and -Infinity (which Python's json accepts) and numbers out of
    float range are errors, and so is nesting too deep to parse; each a one-line BriefingFormatError."""
    try:
        return json.loads(raw, parse_constant=_not_a_json_value, parse_float=_finite_float)
    except json.JSONDecodeError as error:
        raise BriefingFormatError(
            f"{label}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise BriefingFormatError(f"{label}: not a briefing (JSON nested too deeply to read)") from None
    except ValueError as error:  # from the hooks above, or Python's limit on integer digits
        reason = str(error)
        if "digits" in reason:
            reason = f"an integer has more than {sys.get_int_max_str_digits()} digits"
        raise BriefingFormatError(f"{label}: not valid JSON ({reason})") from None


def load_briefing(path: str | Path) -> PageBriefing:
    """Read a briefing JSON file (``-``: standard input); raises BriefingFormatError with a one-line
    message if it is unusable."""
    from summarizer.inputs import STDIN_LABEL, is_stdin, read_bounded

    label = STDIN_LABEL if is_stdin(path) else str(path)
    data = read_bounded(path, MAX_BRIEFING_BYTES, label=label, kind="briefing", error=BriefingFormatError)
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BriefingFormatError(
            f"{label}: cannot read the briefing (not UTF-8: byte {error.start}); give a UTF-8 JSON file"
        ) from None
    data_value = parse_briefing_json(raw, label)
    try:
        return PageBriefing.model_validate(data_value)
    except ValidationError as error:
        first = error.errors()[0]
        location = "/" + "/".join(str(part) for part in first["loc"])
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        raise BriefingFormatError(
            f"{label}: does not match the briefing schema at {location}: {first['msg']}{more}; "
            "see schemas/briefing.schema.json"
        ) from None
    except RecursionError:
        raise BriefingFormatError(f"{label}: not a briefing (JSON nested too deeply to read)") from None


if __name__ == "__main__":
    sys.stdout.write(render_json_schema())
