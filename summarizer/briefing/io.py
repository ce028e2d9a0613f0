"""Briefings on disk: load a briefing JSON file, and the JSON Schema committed in ``schemas/``.

Regenerate the committed schema with ``python -m summarizer.briefing.io > schemas/briefing.schema.json``
(or ``summarizer schema``); a test fails when it is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarizer.briefing.models import ArticleBriefing, PageBriefing
from summarizer.errors import BriefingFormatError

__all__ = ["article_json_schema", "briefing_json_schema", "load_briefing", "render_json_schema"]

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


def load_briefing(path: str | Path) -> PageBriefing:
    """Read a briefing JSON file; raises BriefingFormatError with a one-line message if unusable."""
    label = str(path)
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BriefingFormatError(f"{label}: briefing file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BriefingFormatError(
            f"{label}: cannot read the briefing ({error}); give a UTF-8 JSON file"
        ) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise BriefingFormatError(
            f"{label}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    try:
        return PageBriefing.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        location = "/" + "/".join(str(part) for part in first["loc"])
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        raise BriefingFormatError(
            f"{label}: does not match the briefing schema at {location}: {first['msg']}{more}; "
            "see schemas/briefing.schema.json"
        ) from None


if __name__ == "__main__":
    sys.stdout.write(render_json_schema())
