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
  verifier's validators), the mode's instructor re-ask handler sends the error back, at most
  ``max_reasks`` times.

The re-ask loop calls our retrying create function, so a 429 in the middle of a re-ask sequence is
retried in place and does not restart the sequence. No ``ValueError`` (such as a
``JSONDecodeError`` from a non-JSON body) escapes the create function, since it would be taken for
a validation failure.

Every HTTP attempt is recorded (:class:`summarizer.llm.calllog.AttemptRecord`) and logged as JSONL with
secrets scrubbed; token usage is summed over every attempt, re-asks included.

Re-asks do not grow the conversation without bound: before each request, all but the latest
failed answer and its error feedback are dropped, so a request is at most the original prompt plus
one answer and one correction.

The response model is prepared for instructor once per class, mode and message roles
(:func:`_prepared_call`): instructor's own entry point re-walks the model on every call (its
async-validator check, ``prepare_response_model``, and in JSON / MD_JSON modes a fresh
``model_json_schema()`` dumped into the system message and compiled as a Jinja template: 5-10 ms of
CPU per call for the briefing schema). The prepared request (tool definitions or the schema
message) is reused and every call only fills in its messages. The loop of ``retry_async_v2``
(instructor 1.17) is reproduced with the mode's own parser and re-ask handler, so no call re-walks
the model, and the parse, which runs the verifier's validators, runs in a worker thread: requests
waiting for a slot go out while an answer is checked. Requests are byte-for-byte those
instructor's patched ``create`` sends (a test compares them, re-asks included), except that JSON
and MD_JSON carry the schema compact where instructor indents it (a third fewer tokens): its message
templating (Jinja, then ``textwrap.dedent``) is reproduced with the message texts inserted after
rendering, so article text is never interpreted as a template.

Token counts: each request is counted with the provider's tokenizer, or the calibrated estimate
(:mod:`summarizer.llm.tokens`), after its answer arrives (never on the way out). The usage of a
request is the one its response reports; a request without one (a failed attempt, a local server
that reports none) counts with the tokens counted here, and says so.

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
import re
import textwrap
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
from summarizer.llm.tokens import TokenCounter, counter_for
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

# A message's text stands in instructor's templates as this placeholder until the call fills it in.
_PLACEHOLDER = "\x00summarizer-message-{}\x00"
_PLACEHOLDER_RE = re.compile("\x00summarizer-message-(\\d+)\x00")


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
    counted: dict[int, int] = field(default_factory=dict)  # prompt tokens counted, per ask


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
        self._usages: list[Usage] = []  # the usage of each of those attempts
        self.counter: TokenCounter = counter_for(settings.provider, self.model)

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
        """Every attempt of every call of this client (provider-reported where the response said)."""
        return sum(self._usages, Usage())

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
        ``reference_text`` (the article) is excluded from the prompt-overhead count.
        """
        from instructor.core.exceptions import IncompleteOutputException

        _quiet_instructor_logs()

        state = _CallState(label=label, reference_text=reference_text)
        prepared = _prepared_call(response_model, self.settings.mode, tuple(m["role"] for m in messages))
        request: dict[str, Any] = {
            "messages": prepared.messages_for([m["content"] for m in messages]),
            "model": self.model,
            **self.settings.sampling(),
            **prepared.extra,
        }
        create = self._make_create(state)
        validation_context = dict(context or {})
        try:
            for ask in range(self.settings.max_reasks + 1):
                response = await create(**request)
                try:
                    # The validators are the verifier: CPU work, done in a worker thread so that
                    # requests waiting for a slot go out while this answer is checked.
                    value = await asyncio.to_thread(
                        prepared.parse,
                        response=response,
                        response_model=prepared.response_model,
                        validation_context=validation_context,
                        strict=False,
                    )
                except IncompleteOutputException:
                    raise LLMOutputTruncatedError(
                        f"{label or 'call'}: the model stopped at max_tokens={self.settings.max_tokens} before "
                        "finishing; raise SUMMARIZER_MAX_TOKENS or lower SUMMARIZER_SEGMENT_CHAR_BUDGET so segments are split"
                    ) from None
                except prepared.reask_on as exc:
                    error: Exception = exc
                    if ask < self.settings.max_reasks:
                        request = prepared.reask(kwargs=request, response=response, exception=exc)
                    continue
                except Exception as exc:  # an answer instructor cannot read at all (a refusal): no re-ask
                    error = exc
                    break
                return self._outcome(state, cast(T, value))
            return self._outcome(state, None, validation_error=redact(str(error), self._secrets))
        except LLMAuthError:
            raise
        except LLMError as exc:
            if not keep_partial:
                raise
            return self._outcome(state, None, error=exc)

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
            self._fail(record, state, request, ask, "http_error", exc, status=exc.status_code, body=exc.body)
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
                self._fail(record, state, request, ask, "error", reason)
                raise LLMRequestError(
                    f"{state.label or 'call'}: {reason}; the recording does not cover this request "
                    "(different input, model or segmentation): regenerate or re-record it"
                ) from None
            detail = f"{type(exc).__name__}: {exc}"
            if cause is not None:
                detail += f" ({cause})"
            record.wait_s = round(self._backoff(attempt), 3)
            self._fail(record, state, request, ask, outcome, detail)
            raise _TransientError(detail, record.wait_s) from None
        record.duration_s = round(time.monotonic() - started, 4)
        try:
            body: Any = json.loads(body_text)
        except ValueError:
            body = body_text
        record.response = body
        record.usage = body.get("usage") if isinstance(body, dict) else None
        as_dict = body if isinstance(body, dict) else {}
        self._log(record, state, request, ask, as_dict)
        state.completions.append(as_dict)
        return completion

    def _fail(
        self,
        record: AttemptRecord,
        state: _CallState,
        request: Mapping[str, Any],
        ask: int,
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
        self._log(record, state, request, ask, None)

    def _log(
        self,
        record: AttemptRecord,
        state: _CallState,
        request: Mapping[str, Any],
        ask: int,
        completion: Mapping[str, Any] | None,
    ) -> None:
        """Count the attempt's tokens (after the exchange, off the way out), sum its usage, log it."""
        counter = self.counter
        prompt_tokens = state.counted.get(ask)
        if prompt_tokens is None:
            prompt_tokens = state.counted[ask] = counter.count_request(request)
        record.prompt_tokens_estimate = prompt_tokens
        record.prompt_tokens_counter = counter.label
        if state.reference_text:
            record.prompt_overhead_tokens = prompt_tokens - counter.count(state.reference_text)
        usage = _attempt_usage(record.usage if completion is not None else None, completion, prompt_tokens, counter)
        state.usage = state.usage + usage
        state.attempts.append(record)
        self.attempts.append(record)
        self._usages.append(usage)
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


def _attempt_usage(
    reported: Mapping[str, Any] | None,
    completion: Mapping[str, Any] | None,
    prompt_tokens: int,
    counter: TokenCounter,
) -> Usage:
    """The usage of one attempt: the response's own, else the tokens counted here (a failed attempt
    is costed by its prompt; an answer without usage by its prompt and its answer)."""
    if isinstance(reported, Mapping):
        prompt, answer = reported.get("prompt_tokens"), reported.get("completion_tokens")
        if isinstance(prompt, int) and isinstance(answer, int):
            return Usage(prompt, answer, 1, 0, counter=counter.label, counter_kind=counter.kind)
    answer_tokens = counter.count_completion(completion) if completion is not None else 0
    return Usage(
        prompt_tokens, answer_tokens, 1, 1, prompt_tokens, answer_tokens, counter.label, counter.kind
    )


@dataclass(frozen=True)
class _PreparedCall:
    """A response model as instructor prepares it for one mode and one sequence of message roles."""

    response_model: type[BaseModel]  # instructor's ResponseSchema subclass of the model
    extra: dict[str, Any]  # what the mode adds to the request: tools and tool_choice, response_format
    messages: tuple[dict[str, Any], ...]  # the messages as instructor sends them, texts as placeholders
    parse: Callable[..., Any]  # the mode's parser: the answer validated against the model (and context)
    reask: Callable[..., dict[str, Any]]  # the mode's re-ask: the request plus the answer and the error
    reask_on: tuple[type[Exception], ...]  # the errors instructor re-asks on

    def messages_for(self, contents: Sequence[str]) -> list[dict[str, Any]]:
        """The messages of one call: its texts put in place, then dedented as instructor does."""

        def fill(match: re.Match[str]) -> str:
            return contents[int(match[1])]

        filled = []
        for message in self.messages:
            message = dict(message)
            if isinstance(message.get("content"), str):
                message["content"] = textwrap.dedent(_PLACEHOLDER_RE.sub(fill, message["content"]))
            filled.append(message)
        return filled


@functools.lru_cache(maxsize=64)
def _prepared_call(model: type[BaseModel], mode_name: str, roles: tuple[str, ...]) -> _PreparedCall:
    """What instructor's patched ``create`` does before its retry loop, done once per model, mode and
    roles: ``prepare_response_model`` (its wrapper class and async-validator check), the mode's
    request handler (the tool definitions, or the schema message of JSON / MD_JSON), the message
    converter, and the Jinja rendering of each message (instructor renders message text as a
    template whenever a validation context is given; here only its own additions are rendered, the
    texts stand in as placeholders); plus the mode's parser and re-ask handler its retry loop uses,
    and the errors it re-asks on."""
    from instructor.v2.core.errors import ResponseParsingError
    from instructor.v2.core.providers import Provider
    from instructor.v2.core.registry import mode_registry
    from instructor.v2.core.response_model import prepare_response_model
    from jinja2.sandbox import SandboxedEnvironment
    from pydantic import ValidationError

    mode = _instructor_mode(mode_name)
    handlers = mode_registry.get_handlers(Provider.OPENAI, mode)
    placeholders = [{"role": role, "content": _PLACEHOLDER.format(n)} for n, role in enumerate(roles)]
    prepared, kwargs = handlers.request_handler(
        response_model=prepare_response_model(model), kwargs={"messages": placeholders}
    )
    messages = kwargs.pop("messages")
    if handlers.message_converter is not None:
        messages = handlers.message_converter(messages, autodetect_images=False)
    environment = SandboxedEnvironment()
    # JSON / MD_JSON write the schema into the system message indented (7,657 cl100k tokens for the
    # whole briefing against 4,919 compact); the model reads it as well compact.
    schema = prepared.model_json_schema() if prepared is not None else {}
    indented = json.dumps(schema, indent=2, ensure_ascii=False)
    compact = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
    rendered = []
    for message in messages:
        message = dict(message)
        if isinstance(message.get("content"), str):
            content = environment.from_string(message["content"]).render()
            message["content"] = content.replace(indented, compact)
        rendered.append(message)
    return _PreparedCall(
        cast(type[BaseModel], prepared),
        kwargs,
        tuple(rendered),
        handlers.response_parser,
        handlers.reask_handler,
        (ValidationError, json.JSONDecodeError, ResponseParsingError),
    )


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
