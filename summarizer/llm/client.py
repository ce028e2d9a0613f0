"""The LLM engine: an instructor-wrapped client for any OpenAI-compatible endpoint.

Two retry layers, each owning one job:

* **Transport retries** (here, with tenacity) wrap the raw ``chat.completions.create`` call:
  429, 5xx, 408/409, timeouts, dropped connections and unreadable bodies are retried with
  exponential backoff and jitter, honouring ``Retry-After`` (seconds or an HTTP date, and
  ``retry-after-ms``). 400/401/403/404 are not retried; they raise an :class:`LLMError` whose
  message says what to fix. The openai SDK's own retries are off (``max_retries=0``).
* **One pause for everyone on 429**: a rate limit is the endpoint's answer to the client as a
  whole, so when one request is told to wait (``Retry-After``, else the backoff), every request of
  this client waits until then before it is sent, instead of running into the same limit. One
  client shared by many pages (``summarizer batch``) therefore backs off together.
* **Validation re-asks** are instructor's: when the response does not validate (schema or the
  verifier's validators), instructor sends the error back, at most ``max_reasks`` times.

Because instructor is given our retrying create function (``instructor.patch(create=...)``), a 429
in the middle of a re-ask sequence is retried in place and does not restart the sequence.
instructor 1.17 wraps any exception escaping the create function in ``InstructorRetryException``;
we unwrap it, and we make sure no ``ValueError`` (such as a ``JSONDecodeError`` from a non-JSON body)
escapes the create function, since instructor would take it for a validation failure.

Every HTTP attempt is recorded (:class:`summarizer.llm.calllog.AttemptRecord`) and logged as JSONL with
secrets scrubbed; token usage is summed over every attempt, re-asks included.

Re-asks do not grow the conversation without bound: before each request, all but the latest
failed answer and its error feedback are dropped, so a request is at most the original prompt plus
one answer and one correction.

instructor renders message contents as Jinja templates whenever a validation context is given.
Article text must never be interpreted as a template, so every message is passed as a single
``{{ variable }}`` reference whose value (in the context) is the real content. (A falsy context
would skip rendering, but validators written as ``info.context or {}`` would then silently skip
their checks.)

Heavy imports (openai, instructor, tenacity) happen inside functions so importing this module is cheap.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import functools
import json
import logging
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from pydantic import BaseModel

from summarizer.errors import (
    LLMAuthError,
    LLMError,
    LLMOutputTruncatedError,
    LLMRequestError,
    LLMUnavailableError,
)
from summarizer.llm.calllog import AttemptRecord, CallLog, Outcome
from summarizer.llm.pricing import Usage
from summarizer.llm.prompting import estimate_request_tokens, estimate_tokens
from summarizer.redact import redact
from summarizer.settings import Settings

if TYPE_CHECKING:
    import openai
    from tenacity import RetryCallState

__all__ = [
    "LLMClient",
    "StructuredOutcome",
    "compact_messages",
    "parse_retry_after",
]

T = TypeVar("T", bound=BaseModel)

_MESSAGE_VAR = "summarizer_message_{}"


@dataclass
class StructuredOutcome(Generic[T]):
    """Result of one structured call: the value, or why re-asks ran out, plus every attempt."""

    value: T | None
    attempts: list[AttemptRecord]
    usage: Usage
    asks: int  # answers received and parsed: the first ask plus re-asks
    completions: list[dict[str, Any]]  # raw chat.completion bodies, one per ask, in order
    validation_error: str | None = None  # the last validation error when re-asks ran out
    error: LLMError | None = None
    """With ``keep_partial``: why the call failed (transport or request) after ``completions`` answers."""

    @property
    def reasks(self) -> int:
        return max(self.asks - 1, 0)

    @property
    def last_completion(self) -> dict[str, Any] | None:
        return self.completions[-1] if self.completions else None

    @property
    def prompt_overhead_tokens(self) -> int | None:
        first = next((a for a in self.attempts if a.prompt_overhead_tokens is not None), None)
        return first.prompt_overhead_tokens if first is not None else None


@dataclass
class _CallState:
    label: str
    reference_text: str | None
    attempts: list[AttemptRecord] = field(default_factory=list)
    completions: list[dict[str, Any]] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    asks: int = 0


class _TransientError(Exception):
    """A failure worth retrying; carries the wait chosen for it."""

    def __init__(self, message: str, wait: float) -> None:
        super().__init__(message)
        self.wait = wait


def compact_messages(messages: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The original prompt plus only the latest answer and its error feedback.

    instructor appends (answer, feedback) pairs on every re-ask; keeping only the last pair bounds
    a request at the prompt plus one pair, however many re-asks are allowed.
    """
    roles = [m.get("role") for m in messages]
    if "assistant" not in roles:
        return [dict(m) for m in messages]
    first = roles.index("assistant")
    last = len(roles) - 1 - roles[::-1].index("assistant")
    return [dict(m) for m in [*messages[:first], *messages[last:]]]


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    ms = lowered.get("retry-after-ms")
    if ms:
        with contextlib.suppress(ValueError):
            return max(float(ms) / 1000.0, 0.0)
    value = lowered.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = time.time() if now is None else now
    return max(when.timestamp() - current, 0.0)


def _server_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])
    return exc.message


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class LLMClient:
    """Structured calls against one endpoint. Use one instance per event loop::

    async with LLMClient(settings) as client:
        outcome = await client.structured(ArticleBriefing, messages, context={...}, label="seg 1")
    """

    def __init__(
        self,
        settings: Settings,
        *,
        log: CallLog | None = None,
        run_id: str | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.settings = settings
        self.base_url = settings.effective_base_url
        self.model = settings.effective_model
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self._secrets = settings.secrets()
        if log is None:
            log = CallLog(settings.effective_log_path if settings.log_calls else None, self._secrets)
        self.log = log
        self._sleep = sleep
        self._client: openai.AsyncOpenAI | None = None
        self._slots: asyncio.Semaphore | None = None
        self._resume_at = 0.0  # time.monotonic() before which no request is sent (after a 429)
        self.attempts: list[AttemptRecord] = []  # every attempt of every call, for reports

    # -- lifecycle ----------------------------------------------------------------------------

    def _openai(self) -> openai.AsyncOpenAI:
        if self._client is None:
            import openai

            self._client = openai.AsyncOpenAI(
                api_key=self.settings.api_key_value(),
                base_url=self.base_url,
                timeout=self.settings.timeout,
                max_retries=0,  # transport retries are ours (tenacity), not the SDK's
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def __aenter__(self) -> LLMClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def _semaphore(self) -> asyncio.Semaphore:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.settings.concurrency)
        return self._slots

    async def _honour_rate_limit(self) -> None:
        """Wait out a rate limit another request of this client was given.

        One sleep, not a loop: a later 429 moves the pause on for requests that come after it.
        """
        delay = self._resume_at - time.monotonic()
        if delay > 0:
            await self._sleep(delay)

    @property
    def usage(self) -> Usage:
        total = Usage()
        for record in self.attempts:
            if record.outcome == "ok":
                total = total + Usage.from_completion({"usage": record.usage})
            else:
                total = total + Usage(requests=1, requests_without_usage=1)
        return total

    # -- the structured call --------------------------------------------------------------------

    async def structured(
        self,
        response_model: type[T],
        messages: Sequence[Mapping[str, str]],
        *,
        context: Mapping[str, Any] | None = None,
        label: str = "",
        reference_text: str | None = None,
        keep_partial: bool = False,
    ) -> StructuredOutcome[T]:
        """Fill ``response_model`` from ``messages``; validators see ``context``.

        Returns the value, or (when every re-ask failed validation) ``value=None`` with the last
        raw completion and validation error so the caller can salvage what verifies. Raises an
        :class:`LLMError` subclass for transport failures and rejected requests — unless
        ``keep_partial`` is set: then only :class:`LLMAuthError` is raised (every call would fail
        alike), and any other failure comes back as ``error`` with every attempt, its usage and the
        answers received before it (a re-ask that fails in transport keeps the first answers).
        ``reference_text`` (the article) is excluded from the prompt-overhead estimate.
        """
        import instructor
        from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

        _quiet_instructor_logs()

        state = _CallState(label=label, reference_text=reference_text)
        wrapped = _response_schema(response_model)
        patched: Any = instructor.patch(
            create=self._make_create(state), mode=_instructor_mode(self.settings.mode)
        )
        validation_context: dict[str, Any] = dict(context or {})
        templated: list[dict[str, str]] = []
        for position, message in enumerate(messages):
            name = _MESSAGE_VAR.format(position)
            validation_context[name] = message["content"]
            templated.append({"role": message["role"], "content": "{{ " + name + " }}"})
        try:
            try:
                value = await patched(
                    response_model=wrapped,
                    messages=templated,
                    context=validation_context,
                    max_retries=self.settings.max_reasks,
                    strict=False,
                    model=self.model,
                    **self.settings.sampling(),
                )
            except InstructorRetryException as exc:
                cause = exc.__cause__
                if isinstance(cause, LLMError):
                    raise cause from None
                if not state.completions:  # nothing was answered: not a validation problem
                    raise LLMError(f"{label or 'call'}: {exc}") from None
                return self._outcome(state, None, validation_error=redact(str(cause or exc), self._secrets))
            except IncompleteOutputException:
                raise LLMOutputTruncatedError(
                    f"{label or 'call'}: the model stopped at max_tokens={self.settings.max_tokens} before "
                    "finishing; raise SUMMARIZER_MAX_TOKENS or lower SUMMARIZER_SEGMENT_CHAR_BUDGET so segments are split"
                ) from None
        except LLMAuthError:
            raise
        except LLMError as exc:
            if not keep_partial:
                raise
            return self._outcome(state, None, error=exc)
        return self._outcome(state, value)

    def _outcome(
        self,
        state: _CallState,
        value: T | None,
        validation_error: str | None = None,
        error: LLMError | None = None,
    ) -> StructuredOutcome[T]:
        return StructuredOutcome(
            value=value,
            attempts=list(state.attempts),
            usage=state.usage,
            # An ask whose request failed produced no answer: asks count answers received.
            asks=len(state.completions) if error is not None else state.asks,
            completions=list(state.completions),
            validation_error=validation_error,
            error=error,
        )

    def _make_create(self, state: _CallState) -> Callable[..., Awaitable[Any]]:
        async def create(*args: Any, **kwargs: Any) -> Any:
            kwargs["messages"] = compact_messages(kwargs.get("messages") or [])
            ask = state.asks
            state.asks += 1
            return await self._send_with_retries(kwargs, state, ask)

        return create

    # -- transport ----------------------------------------------------------------------------

    async def _send_with_retries(self, request: dict[str, Any], state: _CallState, ask: int) -> Any:
        from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt

        def wait(retry_state: RetryCallState) -> float:
            exc = retry_state.outcome.exception() if retry_state.outcome is not None else None
            return float(exc.wait) if isinstance(exc, _TransientError) else 0.0

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.max_transport_retries + 1),
            wait=wait,
            retry=retry_if_exception_type(_TransientError),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._send_once(request, state, ask, attempt.retry_state.attempt_number)
        except _TransientError as exc:
            tries = self.settings.max_transport_retries + 1
            raise LLMUnavailableError(
                f"{state.label or 'call'}: {self.base_url} failed {tries} time(s), last: {exc}; "
                "try again later, or raise --max-retries / --timeout"
            ) from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with equal jitter: half the step fixed, half random."""
        step = min(self.settings.retry_max_wait, self.settings.retry_initial_wait * (2.0 ** (attempt - 1)))
        return step / 2 + random.uniform(0, step / 2)

    async def _send_once(self, request: dict[str, Any], state: _CallState, ask: int, attempt: int) -> Any:
        import openai

        client = self._openai()
        prompt_tokens = estimate_request_tokens(request)
        overhead = prompt_tokens - estimate_tokens(state.reference_text) if state.reference_text else None
        record = AttemptRecord(
            run_id=self.run_id,
            call=state.label,
            ask=ask,
            attempt=attempt,
            started_at=_now_iso(),
            duration_s=0.0,
            endpoint=self.base_url,
            model=self.model,
            mode=self.settings.mode,
            outcome="ok",
            request=_loggable_request(request),
            prompt_tokens_estimate=prompt_tokens,
            prompt_overhead_tokens=overhead,
        )
        started = time.monotonic()
        try:
            async with self._semaphore():
                await self._honour_rate_limit()
                started = time.monotonic()
                raw = await client.chat.completions.with_raw_response.create(**request)
            # Let a request waiting for this slot go out before this answer is parsed and verified.
            await asyncio.sleep(0)
            body_text = raw.text
            completion = raw.parse()
        except openai.APIStatusError as exc:
            record.duration_s = round(time.monotonic() - started, 4)
            self._fail(record, state, "http_error", exc, status=exc.status_code, body=exc.body)
            self._raise_for_status(exc, state, record, attempt)
        except (openai.APIConnectionError, ValueError, openai.APIResponseValidationError) as exc:
            # APITimeoutError is an APIConnectionError; ValueError covers JSONDecodeError of a
            # non-JSON body, which must not reach instructor (it would treat it as a re-ask).
            record.duration_s = round(time.monotonic() - started, 4)
            outcome: Outcome = (
                "timeout"
                if isinstance(exc, openai.APITimeoutError)
                else "connection_error"
                if isinstance(exc, openai.APIConnectionError)
                else "bad_response"
            )
            cause = exc.__cause__
            if cause is not None and type(cause).__name__ == "CannotOverwriteExistingCassetteException":
                # Replaying a recording: no recorded exchange matches; retrying cannot help.
                reason = str(cause).splitlines()[0] if str(cause) else "no recorded response matches"
                self._fail(record, state, "error", reason)
                raise LLMRequestError(
                    f"{state.label or 'call'}: {reason}; the recording does not cover this request "
                    "(different input, model or segmentation): regenerate or re-record it"
                ) from None
            detail = f"{type(exc).__name__}: {exc}"
            if cause is not None:
                detail += f" ({cause})"
            record.wait_s = round(self._backoff(attempt), 3)
            self._fail(record, state, outcome, detail)
            raise _TransientError(detail, record.wait_s) from None
        record.duration_s = round(time.monotonic() - started, 4)
        try:
            body: Any = json.loads(body_text)
        except ValueError:
            body = body_text
        record.response = body
        record.usage = body.get("usage") if isinstance(body, dict) else None
        self._log(record, state)
        as_dict = body if isinstance(body, dict) else {}
        state.completions.append(as_dict)
        state.usage = state.usage + Usage.from_completion(as_dict)
        return completion

    def _fail(
        self,
        record: AttemptRecord,
        state: _CallState,
        outcome: Outcome,
        error: Exception | str,
        *,
        status: int | None = None,
        body: object = None,
    ) -> None:
        record.outcome = outcome
        record.status = status
        record.error = redact(str(error), self._secrets)
        record.response = body
        state.usage = state.usage + Usage(requests=1, requests_without_usage=1)
        self._log(record, state)

    def _log(self, record: AttemptRecord, state: _CallState) -> None:
        state.attempts.append(record)
        self.attempts.append(record)
        self.log.write(record)

    def _raise_for_status(
        self, exc: openai.APIStatusError, state: _CallState, record: AttemptRecord, attempt: int
    ) -> None:
        status = exc.status_code
        message = redact(_server_message(exc), self._secrets)
        where = f"{state.label + ': ' if state.label else ''}{self.base_url}"
        if status in (408, 409, 429) or status >= 500:
            retry_after = parse_retry_after(dict(exc.response.headers))
            record.retry_after_s = retry_after
            if retry_after is not None and retry_after > self.settings.retry_after_cap:
                raise LLMUnavailableError(
                    f"{where} is rate limiting and asks to wait {retry_after:.0f} s, more than "
                    f"retry_after_cap ({self.settings.retry_after_cap:.0f} s): the quota may be exhausted; "
                    "try again later or raise retry_after_cap"
                )
            record.wait_s = round(retry_after if retry_after is not None else self._backoff(attempt), 3)
            if status == 429:
                self._resume_at = max(self._resume_at, time.monotonic() + record.wait_s)
            raise _TransientError(f"HTTP {status}: {message}", record.wait_s)
        # The key, not an article, is at fault: the message names the endpoint alone, so it is the
        # same whichever article's request happened to be answered first.
        if status == 401:
            raise LLMAuthError(
                f"authentication failed at {self.base_url} (HTTP 401: {message}): {self.settings.key_hint}"
            )
        if status == 403:
            raise LLMAuthError(
                f"permission denied at {self.base_url} (HTTP 403: {message}): the key may lack access to "
                f"model {self.model}; check the key, the account, or --model"
            )
        if status == 404:
            raise LLMRequestError(
                f"not found at {where} (HTTP 404: {message}): check --base-url (it usually ends in /v1) "
                f"and that --model {self.model} exists there"
            )
        if status in (400, 422):
            raise LLMRequestError(
                f"the endpoint rejected the request at {where} (HTTP {status}: {message}); if the model "
                f"lacks tool calling try --mode json or --mode md_json, else check --model and SUMMARIZER_MAX_TOKENS"
            )
        raise LLMRequestError(f"request failed at {where} (HTTP {status}: {message}); not retried")


def _loggable_request(request: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a request worth logging (everything the SDK sends as the JSON body)."""
    return {k: v for k, v in request.items() if k not in {"extra_headers", "extra_query", "timeout"}}


@functools.lru_cache(maxsize=32)
def _response_schema(model: type[BaseModel]) -> type[BaseModel]:
    """instructor's wrapper class of ``model``, built once.

    instructor wraps a plain model in a new ``ResponseSchema`` subclass on every call, which defeats
    its own schema cache and costs ~20 ms of CPU per call for the briefing schema; a model that is
    already wrapped is used as is. Instances are still instances of ``model``.
    """
    from instructor.v2.core.function_calls import response_schema

    return cast(type[BaseModel], response_schema(model))


def _quiet_instructor_logs() -> None:
    """instructor logs every failed attempt at ERROR; our own errors and call log say it better.

    A NullHandler stops Python's last-resort handler from printing them to stderr, while an
    application that configures logging still receives them.
    """
    logger = logging.getLogger("instructor")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _instructor_mode(name: str) -> Any:
    from instructor import Mode

    modes = {"tools": Mode.TOOLS, "json": Mode.JSON, "md_json": Mode.MD_JSON}
    return modes[name]
