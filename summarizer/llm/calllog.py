"""A log of every request sent to a model and what came back, one JSON object per line.

Like simonw/llm's log, it keeps every prompt and every response, including failed transport
attempts and validation re-asks, so a run can be audited and replayed by hand. Secrets are
scrubbed before a line is written; HTTP headers are never logged.

Default location: ``<cache_dir>/calls.jsonl`` (setting ``log_path``; ``log_calls = false`` disables).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from summarizer.redact import redact

__all__ = ["AttemptRecord", "CallLog", "Outcome", "read_call_log"]

Outcome = Literal["ok", "http_error", "timeout", "connection_error", "bad_response", "error"]


@dataclass
class AttemptRecord:
    """One HTTP request to the model endpoint and its outcome."""

    run_id: str
    call: str  # which segment / call this belongs to
    ask: int  # 0 = first ask, 1.. = validation re-asks
    attempt: int  # transport attempt within this ask, 1-based
    started_at: str  # ISO 8601, UTC
    duration_s: float
    endpoint: str
    model: str
    mode: str
    outcome: Outcome
    request: dict[str, Any] = field(default_factory=dict)
    status: int | None = None
    error: str | None = None
    response: Any = None  # parsed JSON body when there is one, else the text
    usage: dict[str, Any] | None = None
    retry_after_s: float | None = None
    wait_s: float | None = None  # backoff before the next attempt, when one follows
    prompt_tokens_estimate: int | None = None  # prompt tokens counted here (see prompt_tokens_counter)
    prompt_overhead_tokens: int | None = None  # the same count, less the article text
    prompt_tokens_counter: str | None = None  # the tokenizer or estimate that counted them

    def to_json(self, secrets: Iterable[str] = ()) -> str:
        return redact(json.dumps(asdict(self), ensure_ascii=False, default=str), secrets)


class CallLog:
    """Appends :class:`AttemptRecord` lines to a JSONL file (thread-safe); a no-op without a path."""

    def __init__(self, path: Path | None, secrets: Iterable[str] = ()) -> None:
        self.path = path
        self._secrets = tuple(secrets)
        self._lock = threading.Lock()

    def write(self, record: AttemptRecord) -> None:
        if self.path is None:
            return
        line = record.to_json(self._secrets)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")


def read_call_log(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a call log, oldest first."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
