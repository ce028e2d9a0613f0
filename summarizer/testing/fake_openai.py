"""A fake OpenAI-compatible Chat Completions server on 127.0.0.1 for tests and benchmarks.

No model is reachable from the machines this project is built on, so the openai SDK and instructor
are exercised against this real HTTP server instead. It speaks enough of the wire format for
instructor's TOOLS, JSON and MD_JSON modes and injects the faults the retry layer must survive:
HTTP errors (429 with Retry-After, 5xx, 4xx), latency, hung and dropped connections, truncated and
non-JSON bodies.

Usage::

    with FakeOpenAIServer(replies=[FakeReply.rate_limited(2), FakeReply.json_for_request({"a": 1})]) as srv:
        client = openai.OpenAI(base_url=srv.base_url, api_key="sk-test", max_retries=0)
        ...
        assert srv.request_count == 2

Every reply sent by this server is hand-written test data, never a model's output.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import re
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal, Self, cast
from urllib.parse import urlsplit

__all__ = [
    "FakeOpenAIServer",
    "FakeReply",
    "FakeRequest",
    "Responder",
    "estimate_tokens",
    "no_script_responder",
]

ReplyKind = Literal["ok", "status", "hang", "drop", "truncated", "non_json"]
# "auto" defers the tool-call-or-content choice to serve time, when the request is known.
MessageShape = Literal["tool_call", "content", "auto"]

HOST = "127.0.0.1"
DEFAULT_MODEL = "fake-model"
# Bounds how long an idle keep-alive connection may pin a handler thread.
IDLE_CONNECTION_TIMEOUT = 10.0
# Bounds how long stop() waits for handler threads after their sockets were shut down.
STOP_JOIN_TIMEOUT = 2.0

_CHAT_PATHS = frozenset({"/v1/chat/completions", "/chat/completions"})
_MODELS_PATHS = frozenset({"/v1/models", "/models"})
# Header values that must never be stored: the SDK sends the API key in Authorization.
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "api-key", "x-api-key"})

_DEFAULT_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("Invalid request (injected by the fake server).", "invalid_request_error", None),
    401: (
        "Incorrect API key provided (injected by the fake server).",
        "invalid_request_error",
        "invalid_api_key",
    ),
    403: ("Permission denied (injected by the fake server).", "invalid_request_error", None),
    404: ("Not found (injected by the fake server).", "invalid_request_error", None),
    429: ("Rate limit reached (injected by the fake server).", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request (injected).", "server_error", None),
    502: ("Bad gateway (injected by the fake server).", "server_error", None),
    503: ("The engine is currently overloaded (injected by the fake server).", "server_error", None),
}

_HTML_ERROR_PAGE = (
    "<html><head><title>502 Bad Gateway</title></head>"
    "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)

# CJK ideographs, CJK punctuation and full-width forms: roughly one token each for current tokenizers.
_CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def estimate_tokens(text: str) -> int:
    """Rough token count: one per CJK character, one per four other characters."""
    if not text:
        return 0
    cjk = len(_CJK_RE.findall(text))
    return cjk + math.ceil((len(text) - cjk) / 4)


def _strings_in(value: object) -> Iterable[str]:
    """Every string value nested in a JSON value (keys excluded), for token estimates."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_in(item)


def _format_retry_after(seconds: float) -> str:
    # Integral seconds is what the spec allows; fractions are kept because the SDK accepts floats
    # and tests want short waits.
    return str(int(seconds)) if float(seconds).is_integer() else repr(float(seconds))


@dataclass(frozen=True)
class FakeRequest:
    """One request as the server received it; secrets in headers are already redacted."""

    index: int  # 1-based arrival order across all paths
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: dict[str, Any] | None  # parsed JSON object, None when absent or not a JSON object
    raw_body: bytes = field(repr=False)
    arrived_at: float  # time.monotonic(); differences measure client backoff
    connection: int  # serial of the TCP connection it came on; equal values show keep-alive reuse

    @property
    def messages(self) -> list[dict[str, Any]]:
        messages = (self.body or {}).get("messages")
        return [m for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []

    @property
    def model(self) -> str | None:
        model = (self.body or {}).get("model")
        return model if isinstance(model, str) else None

    @property
    def tool_name(self) -> str | None:
        """The forced tool of ``tool_choice``, else the first declared tool, else None."""
        body = self.body or {}
        choice = body.get("tool_choice")
        if isinstance(choice, dict):
            name = (choice.get("function") or {}).get("name")
            if isinstance(name, str):
                return name
        tools = body.get("tools")
        if isinstance(tools, list) and tools and isinstance(tools[0], dict):
            name = (tools[0].get("function") or {}).get("name")
            if isinstance(name, str):
                return name
        return None

    @property
    def wants_tool_call(self) -> bool:
        return bool((self.body or {}).get("tools"))


@dataclass(frozen=True)
class FakeReply:
    """What the server does with one request. Build it with the class methods, not by hand."""

    kind: ReplyKind = "ok"
    shape: MessageShape = "auto"
    payload: str = "{}"  # tool-call arguments or message content (JSON text when shape is "auto")
    tool_name: str | None = None  # overrides the name echoed from the request
    fenced: bool | None = None  # wrap content in a ```json fence; None decides from the request
    finish_reason: str | None = None  # overrides "stop" / "tool_calls", e.g. "length"
    status: int = 200
    error_message: str | None = None
    error_type: str | None = None
    error_code: str | None = None
    retry_after: float | None = None  # seconds, sent as the Retry-After header
    hold_seconds: float = 0.0  # for "hang"
    keep_fraction: float = 0.5  # for "truncated": share of the body actually sent
    body_text: str = _HTML_ERROR_PAGE  # for "non_json"
    latency: float = 0.0  # seconds waited before any reply

    def __post_init__(self) -> None:
        if self.latency < 0 or self.hold_seconds < 0:
            raise ValueError("latency and hold_seconds must be >= 0")
        if self.kind == "status" and not 400 <= self.status <= 599:
            raise ValueError(f"an error reply needs a 4xx/5xx status, got {self.status}")
        if not 0.0 <= self.keep_fraction < 1.0:
            raise ValueError("keep_fraction must be in [0, 1)")

    @classmethod
    def tool_call(
        cls,
        arguments: Mapping[str, Any] | str,
        *,
        name: str | None = None,
        finish_reason: str | None = None,
        latency: float = 0.0,
    ) -> FakeReply:
        """A tool call (instructor TOOLS mode); a str is sent verbatim, so it may be invalid JSON."""
        text = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
        return cls(
            shape="tool_call", payload=text, tool_name=name, finish_reason=finish_reason, latency=latency
        )

    @classmethod
    def content(
        cls, text: str, *, fenced: bool = False, finish_reason: str | None = None, latency: float = 0.0
    ) -> FakeReply:
        """Plain assistant content (JSON mode); ``fenced=True`` wraps it in ```json (MD_JSON mode)."""
        return cls(shape="content", payload=text, fenced=fenced, finish_reason=finish_reason, latency=latency)

    @classmethod
    def json_for_request(cls, obj: Any, *, fenced: bool | None = None, latency: float = 0.0) -> FakeReply:
        """``obj`` as JSON: a tool call when the request declares tools, else content.

        With ``fenced=None`` the content is fenced when the request has neither tools nor a
        ``response_format``, which is how instructor's MD_JSON mode asks.
        """
        return cls(shape="auto", payload=json.dumps(obj, ensure_ascii=False), fenced=fenced, latency=latency)

    @classmethod
    def error(
        cls,
        status: int,
        message: str | None = None,
        *,
        error_type: str | None = None,
        code: str | None = None,
        retry_after: float | None = None,
        latency: float = 0.0,
    ) -> FakeReply:
        """An OpenAI-style error body ``{"error": {...}}`` with the given HTTP status."""
        default_message, default_type, default_code = _DEFAULT_ERRORS.get(
            status, (f"HTTP {status} (injected by the fake server).", "server_error", None)
        )
        return cls(
            kind="status",
            status=status,
            error_message=message or default_message,
            error_type=error_type or default_type,
            error_code=code if code is not None else default_code,
            retry_after=retry_after,
            latency=latency,
        )

    @classmethod
    def rate_limited(cls, retry_after: float = 1.0, message: str | None = None) -> FakeReply:
        """429 with a Retry-After header."""
        return cls.error(429, message, retry_after=retry_after)

    @classmethod
    def hang(cls, seconds: float = 30.0) -> FakeReply:
        """Read the request, then send nothing for ``seconds`` and close; stop() cuts it short."""
        return cls(kind="hang", hold_seconds=seconds)

    @classmethod
    def drop(cls) -> FakeReply:
        """Close the connection without sending a single response byte."""
        return cls(kind="drop")

    @classmethod
    def truncated(cls, keep_fraction: float = 0.5) -> FakeReply:
        """Headers announce the full body, only ``keep_fraction`` of a valid body is sent, then close."""
        return cls(kind="truncated", keep_fraction=keep_fraction)

    @classmethod
    def non_json(cls, body: str = _HTML_ERROR_PAGE) -> FakeReply:
        """200 with ``Content-Type: application/json`` but a body that is not JSON."""
        return cls(kind="non_json", body_text=body)

    def with_latency(self, seconds: float) -> FakeReply:
        return replace(self, latency=seconds)


Responder = Callable[[FakeRequest], FakeReply]


def no_script_responder(request: FakeRequest) -> FakeReply:
    """Default responder: an unscripted request is a test bug, so say so loudly with a 500."""
    return FakeReply.error(
        500,
        f"fake OpenAI server: no scripted reply for request #{request.index} "
        f"({request.method} {request.path}); push() a FakeReply or pass responder=",
        error_type="fake_server_error",
        code="no_script",
    )


def _completion_body(request: FakeRequest, reply: FakeReply, serial: int) -> dict[str, Any]:
    """A chat.completion object for an "ok" (or "truncated") reply to ``request``."""
    body = request.body or {}
    as_tool = reply.shape == "tool_call" or (reply.shape == "auto" and request.wants_tool_call)
    message: dict[str, Any] = {"role": "assistant", "content": None, "refusal": None}
    if as_tool:
        name = reply.tool_name or request.tool_name or "tool"
        message["tool_calls"] = [
            {
                "id": f"call_fake_{serial:06d}",
                "type": "function",
                "function": {"name": name, "arguments": reply.payload},
            }
        ]
        emitted = name + reply.payload
        finish = reply.finish_reason or "tool_calls"
    else:
        fenced = reply.fenced
        if fenced is None:
            fenced = not request.wants_tool_call and "response_format" not in body
        message["content"] = f"```json\n{reply.payload}\n```" if fenced else reply.payload
        emitted = message["content"]
        finish = reply.finish_reason or "stop"
    messages = request.messages
    prompt_tokens = (
        sum(estimate_tokens(s) for s in _strings_in(messages))
        + 3 * len(messages)
        + sum(estimate_tokens(s) for s in _strings_in(body.get("tools", [])))
        + 3
    )
    completion_tokens = estimate_tokens(emitted) + 1
    return {
        "id": f"chatcmpl-fake-{serial:06d}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.model or DEFAULT_MODEL,
        "system_fingerprint": "fp_fake",
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
        },
    }


def _error_body(message: str, error_type: str, code: str | None) -> dict[str, Any]:
    return {"error": {"message": message, "type": error_type, "param": None, "code": code}}


def _redact(name: str, value: str) -> str:
    if name not in _SECRET_HEADERS:
        return value
    scheme, _, rest = value.partition(" ")
    return f"{scheme} ***" if rest else "***"


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Many clients connect at once in benchmarks; the default backlog of 5 stalls them for a second.
    request_queue_size = 128
    owner: FakeOpenAIServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-fault (timeouts, stop()) is expected; keep test output clean,
        # but let anything else (a bug in the handler) print its traceback.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 so httpx's pool can reuse connections like it does against the real API.
    protocol_version = "HTTP/1.1"
    server_version = "FakeOpenAI/1.0"
    disable_nagle_algorithm = True  # header and body go out in separate writes; avoid 40 ms stalls
    _request_index = 0  # for x-request-id; set per request before any response is sent
    _connection_serial = 0  # set in setup()

    timeout = IDLE_CONNECTION_TIMEOUT  # socket timeout: an idle keep-alive connection ends on its own

    @property
    def _owner(self) -> FakeOpenAIServer:
        return cast(_HTTPServer, self.server).owner

    def setup(self) -> None:
        super().setup()
        self._connection_serial = self._owner._track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self._owner._untrack(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # requests are recorded in FakeOpenAIServer.requests instead of printed

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            # The SDK always sends Content-Length; refusing chunked keeps body reading simple.
            self.close_connection = True
            self._send_invalid(411, "chunked request bodies are not supported")
            return
        # Read the whole body by Content-Length so the next request on this connection starts clean.
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            parsed: object = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        path = urlsplit(self.path).path.rstrip("/")
        headers = {k.lower(): _redact(k.lower(), v) for k, v in self.headers.items()}
        body = parsed if isinstance(parsed, dict) else None
        is_chat = path in _CHAT_PATHS and self.command == "POST"
        # Only well-formed, non-streaming chat requests consume the script.
        scripted = is_chat and body is not None and not body.get("stream")
        owner = self._owner
        request, reply = owner._record(
            self.command, path, headers, body, raw, takes_reply=scripted, connection=self._connection_serial
        )
        self._request_index = request.index
        if path in _MODELS_PATHS and self.command == "GET":
            self._send_json(200, owner._models_body())
        elif not is_chat:
            self._send_invalid(404, f"no route {self.command} {path}")
        elif body is None:
            self._send_invalid(400, "request body is not a JSON object")
        elif not scripted:
            self._send_invalid(400, "stream=true is not supported by the fake server")
        else:
            if reply is None:
                try:
                    reply = owner.responder(request)
                except Exception as exc:  # a broken responder must fail the request, not the server
                    reply = FakeReply.error(
                        500, f"fake server responder raised {exc!r}", error_type="fake_server_error"
                    )
            self._serve_chat(request, reply)

    def _serve_chat(self, request: FakeRequest, reply: FakeReply) -> None:
        stopping = self._owner._stopping
        if reply.latency and stopping.wait(reply.latency):
            self.close_connection = True
            return
        if reply.kind == "ok":
            self._send_json(200, _completion_body(request, reply, request.index))
        elif reply.kind == "status":
            extra: dict[str, str] = {}
            if reply.retry_after is not None:
                extra["Retry-After"] = _format_retry_after(reply.retry_after)
            body = _error_body(
                reply.error_message or "", reply.error_type or "server_error", reply.error_code
            )
            self._send_json(reply.status, body, extra)
        elif reply.kind == "hang":
            stopping.wait(reply.hold_seconds)
            self.close_connection = True
        elif reply.kind == "drop":
            self.close_connection = True
        elif reply.kind == "truncated":
            data = json.dumps(_completion_body(request, reply, request.index), ensure_ascii=False).encode()
            self._send_head(200, len(data))
            self.wfile.write(data[: int(len(data) * reply.keep_fraction)])
            self.close_connection = True
        else:  # non_json
            data = reply.body_text.encode()
            self._send_head(200, len(data))
            self.wfile.write(data)

    def _send_head(self, status: int, length: int, extra: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(length))
        self.send_header("x-request-id", f"req_fake_{self._request_index:06d}")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def _send_invalid(self, status: int, message: str) -> None:
        self._send_json(status, _error_body(message, "invalid_request_error", None))

    def _send_json(self, status: int, obj: object, extra: Mapping[str, str] | None = None) -> None:
        data = json.dumps(obj, ensure_ascii=False).encode()
        self._send_head(status, len(data), extra)
        self.wfile.write(data)


class FakeOpenAIServer:
    """OpenAI-compatible HTTP server on 127.0.0.1 answering from a script of FakeReply objects.

    Chat requests take the next queued reply; when the queue is empty ``responder`` answers
    (default: HTTP 500 naming the unscripted request). ``GET /v1/models`` always answers.
    """

    def __init__(
        self,
        replies: Iterable[FakeReply] = (),
        responder: Responder | None = None,
        *,
        port: int = 0,
        model_ids: Iterable[str] = (DEFAULT_MODEL,),
    ) -> None:
        self.responder: Responder = responder or no_script_responder
        self._port = port
        self._model_ids = tuple(model_ids)
        self._lock = threading.Lock()
        self._queue: deque[FakeReply] = deque(replies)
        self._requests: list[FakeRequest] = []
        self._counter = itertools.count(1)
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._connection_serials = itertools.count(1)
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> Self:
        if self._httpd is not None:
            raise RuntimeError("FakeOpenAIServer is already running")
        self._stopping.clear()
        httpd = _HTTPServer((HOST, self._port), _Handler)
        httpd.owner = self
        self._httpd = httpd
        # A short poll interval keeps stop() fast; the thread is a daemon so it never blocks exit.
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._stopping.set()  # wakes handlers sleeping in latency / hang
        httpd.shutdown()
        with self._lock:
            connections = dict(self._connections)
        for sock in connections:
            # Unblocks handlers waiting on an idle keep-alive connection.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        deadline = time.monotonic() + STOP_JOIN_TIMEOUT
        for handler_thread in [*connections.values(), *([thread] if thread else [])]:
            handler_thread.join(max(0.0, deadline - time.monotonic()))
        self._httpd = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("FakeOpenAIServer is not running")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """What to pass as ``openai.OpenAI(base_url=...)``."""
        return f"http://{HOST}:{self.port}/v1"

    # -- script and records ------------------------------------------------------------------------

    def push(self, *replies: FakeReply) -> None:
        with self._lock:
            self._queue.extend(replies)

    @property
    def pending(self) -> int:
        """Queued replies not yet consumed."""
        with self._lock:
            return len(self._queue)

    @property
    def requests(self) -> list[FakeRequest]:
        """Snapshot of every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self._requests)

    def reset(self) -> None:
        """Forget recorded requests and queued replies; the responder is kept."""
        with self._lock:
            self._queue.clear()
            self._requests.clear()
            self._counter = itertools.count(1)

    # -- called from handler threads -------------------------------------------------------------

    def _record(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        body: dict[str, Any] | None,
        raw: bytes,
        *,
        takes_reply: bool,
        connection: int,
    ) -> tuple[FakeRequest, FakeReply | None]:
        # Recording and taking the reply under one lock keeps request order and script order aligned.
        with self._lock:
            request = FakeRequest(
                next(self._counter), method, path, headers, body, raw, time.monotonic(), connection
            )
            self._requests.append(request)
            reply = self._queue.popleft() if takes_reply and self._queue else None
        return request, reply

    def _models_body(self) -> dict[str, Any]:
        created = int(time.time())
        return {
            "object": "list",
            "data": [
                {"id": m, "object": "model", "created": created, "owned_by": "fake"} for m in self._model_ids
            ],
        }

    def _track(self, sock: socket.socket) -> int:
        with self._lock:
            self._connections[sock] = threading.current_thread()
            return next(self._connection_serials)

    def _untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._connections.pop(sock, None)


def _canned_responder(request: FakeRequest) -> FakeReply:
    users = [m for m in request.messages if m.get("role") == "user"]
    text = users[-1].get("content") if users else None
    echo = text[:200] if isinstance(text, str) else ""
    return FakeReply.json_for_request({"note": "canned reply from the fake OpenAI server", "echo": echo})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a fake OpenAI-compatible API on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0 = any free port)")
    parser.add_argument("--seconds", type=float, default=0.0, help="stop after this long (0 = until Ctrl-C)")
    args = parser.parse_args(argv)
    with FakeOpenAIServer(responder=_canned_responder, port=args.port) as server:
        print(f"fake OpenAI server at {server.base_url} (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait(args.seconds or None)


if __name__ == "__main__":
    main()
