"""Recorded HTTP exchanges with the model endpoint (vcrpy cassettes), for offline runs and tests.

A cassette is a YAML file holding the chat.completions requests and responses of one input file,
and a ``provenance`` block saying where the responses came from: either

* ``recorded``: "recorded from <model> at <endpoint> on <date>" (``summarizer record FILE``), or
* ``reference``: "hand-written reference response in OpenAI chat.completions wire format, derived
  from seeds/….briefing.json; not a model's output" (``scripts/regen_recordings.py``).

A reference cassette must never be presented as a model's output: replaying it produces a briefing
whose metadata says ``generated_by: reference`` and carries the provenance statement.

The format is meant to be read by people: Chinese is stored as UTF-8 text (never ``\\u`` escapes or
base64), JSON bodies are stored as YAML mappings, tool-call arguments are expanded into mappings and
multi-line prompts are literal blocks. Request headers are dropped entirely (the API key travels in
``Authorization``), response headers are reduced to ``Content-Type``, and every body is scrubbed of
secrets before it is written.

Matching is on method, path and a fingerprint of the request: the model, the article text inside
``<article>…</article>`` and the number of earlier answers in the conversation (0 for the first
ask, 1 for the first re-ask, …). Prompt wording, schema descriptions and the verifier's feedback
text are deliberately not part of the match, so a cassette keeps replaying when they are edited;
``tests/test_recordings.py`` checks that the shipped cassettes are regenerated when they change.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer.errors import RecordingError
from summarizer.redact import redact

__all__ = [
    "CASSETTE_SUFFIX",
    "PendingRecording",
    "Provenance",
    "dump_cassette",
    "find_recording",
    "load_cassette",
    "read_provenance",
    "recorded_statement",
    "recording_to",
    "reference_statement",
    "request_fingerprint",
    "use_cassette",
]

CASSETTE_SUFFIX = ".cassette.yaml"
CASSETTE_VERSION = 1
_ARTICLE_RE = re.compile(r"<article>\n?(.*?)\n?</article>", re.DOTALL)
_HEADER_RE = re.compile(r"^# (?P<key>[a-z0-9_]+): (?P<value>.*)$", re.MULTILINE)
_KEEP_RESPONSE_HEADERS = frozenset({"content-type"})


class Provenance(BaseModel):
    """Where the responses of a cassette came from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["recorded", "reference"]
    statement: str = Field(description="One sentence a reader sees first.")
    endpoint: str
    model: str
    mode: Literal["tools", "json", "md_json"]
    sampling: dict[str, Any] = Field(default_factory=dict)
    prompt_version: str
    schema_sha256: str
    input_name: str
    input_sha256: str
    recorded_on: str | None = None  # ISO date, for kind "recorded"
    derived_from: str | None = None  # the reference briefing, for kind "reference"
    derived_from_sha256: str | None = None
    generator: str
    notes: str | None = None


def recorded_statement(model: str, endpoint: str, on: datetime | None = None) -> str:
    day = (on or datetime.now(UTC)).date().isoformat()
    return f"recorded from {model} at {endpoint} on {day}"


def reference_statement(briefing_path: str) -> str:
    return (
        "hand-written reference response in OpenAI chat.completions wire format, derived from "
        f"{briefing_path}; not a model's output"
    )


# -- request fingerprint (the matcher) --------------------------------------------------------------


def _json_body(body: object) -> dict[str, Any] | None:
    if isinstance(body, bytes | bytearray):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not isinstance(body, str) or not body:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def request_fingerprint(body: object) -> str:
    """What identifies a chat request for replay: model, article text and prior answers."""
    data = _json_body(body)
    if data is None:
        return f"non-json:{hashlib.sha256(str(body).encode()).hexdigest()}"
    messages = [m for m in data.get("messages") or [] if isinstance(m, dict)]
    article = ""
    for message in messages:
        if message.get("role") == "assistant":
            break
        content = message.get("content")
        if isinstance(content, str):
            found = _ARTICLE_RE.search(content)
            if found:
                article = found.group(1)
    answers = sum(1 for m in messages if m.get("role") == "assistant")
    digest = hashlib.sha256(article.encode("utf-8")).hexdigest()[:16]
    return f"model={data.get('model')} article={digest} answers={answers}"


def _fingerprint_matcher(r1: Any, r2: Any) -> None:
    first, second = request_fingerprint(r1.body), request_fingerprint(r2.body)
    if first != second:
        raise AssertionError(f"{first} != {second}")


# -- readable (de)serialisation -----------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def _expand_arguments(message: Mapping[str, Any]) -> dict[str, Any]:
    """A message with tool-call argument strings expanded into mappings when they are JSON objects."""
    out = dict(message)
    calls = out.get("tool_calls")
    if isinstance(calls, list):
        expanded = []
        for call in calls:
            call = dict(call) if isinstance(call, dict) else call
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                with contextlib.suppress(ValueError):
                    parsed = json.loads(function["arguments"])
                    if isinstance(parsed, dict):
                        call["function"] = {**function, "arguments": parsed}
            expanded.append(call)
        out["tool_calls"] = expanded
    return out


def _collapse_arguments(message: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(message)
    calls = out.get("tool_calls")
    if isinstance(calls, list):
        collapsed = []
        for call in calls:
            call = dict(call) if isinstance(call, dict) else call
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict) and isinstance(function.get("arguments"), dict):
                call["function"] = {
                    **function,
                    "arguments": json.dumps(function["arguments"], ensure_ascii=False),
                }
            collapsed.append(call)
        out["tool_calls"] = collapsed
    return out


def _readable_request_body(data: dict[str, Any]) -> dict[str, Any]:
    messages = data.get("messages")
    if isinstance(messages, list):
        data = {**data, "messages": [_expand_arguments(m) if isinstance(m, dict) else m for m in messages]}
    return data


def _wire_request_body(data: dict[str, Any]) -> dict[str, Any]:
    messages = data.get("messages")
    if isinstance(messages, list):
        data = {**data, "messages": [_collapse_arguments(m) if isinstance(m, dict) else m for m in messages]}
    return data


def _readable_response_body(data: dict[str, Any]) -> dict[str, Any]:
    choices = data.get("choices")
    if isinstance(choices, list):
        data = {
            **data,
            "choices": [
                {**c, "message": _expand_arguments(c["message"])}
                if isinstance(c, dict) and isinstance(c.get("message"), dict)
                else c
                for c in choices
            ],
        }
    return data


def _wire_response_body(data: dict[str, Any]) -> dict[str, Any]:
    choices = data.get("choices")
    if isinstance(choices, list):
        data = {
            **data,
            "choices": [
                {**c, "message": _collapse_arguments(c["message"])}
                if isinstance(c, dict) and isinstance(c.get("message"), dict)
                else c
                for c in choices
            ],
        }
    return data


def _text(value: object) -> str | None:
    if isinstance(value, bytes | bytearray):
        return value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) or value is None else str(value)


def _header_comment(metadata: Mapping[str, Any]) -> str:
    provenance = metadata.get("provenance") or {}
    lines = [f"# {provenance.get('statement', 'provenance unknown')}"]
    for key in ("kind", "model", "endpoint", "input_name", "input_sha256", "prompt_version", "generator"):
        if provenance.get(key):
            lines.append(f"# {key}: {provenance[key]}")
    lines.append("# Chat-completion exchanges for summarizer; read by summarizer.llm.recording (vcrpy).")
    return "\n".join(lines) + "\n"


def dump_cassette(data: Mapping[str, Any]) -> str:
    """vcrpy's cassette dict (``version``, ``interactions``, ``metadata``) as readable YAML."""
    interactions = []
    for interaction in data.get("interactions", []):
        request = dict(interaction["request"])
        body_text = _text(request.get("body"))
        parsed = _json_body(body_text)
        request.pop("body", None)
        if parsed is not None:
            request["body_json"] = _readable_request_body(parsed)
        else:
            request["body"] = body_text
        response = dict(interaction["response"])
        response_text = _text((response.get("body") or {}).get("string"))
        parsed_response = _json_body(response_text)
        if parsed_response is not None:
            response["body"] = {"json": _readable_response_body(parsed_response)}
        else:
            response["body"] = {"string": response_text}
        interactions.append({"request": request, "response": response})
    document: dict[str, Any] = {}
    if data.get("metadata"):
        document["metadata"] = dict(data["metadata"])
    document["version"] = data.get("version", CASSETTE_VERSION)
    document["interactions"] = interactions
    text = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return _header_comment(document.get("metadata") or {}) + text


def load_cassette(text: str) -> dict[str, Any]:
    """The inverse of :func:`dump_cassette`: a vcrpy cassette dict with wire-format bodies."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document = yaml.load(text, Loader=loader)  # a safe loader: no Python tags
    if not isinstance(document, dict) or "interactions" not in document:
        raise ValueError("not a summarizer cassette: no 'interactions'")
    interactions = []
    for interaction in document["interactions"]:
        request = dict(interaction["request"])
        if "body_json" in request:
            request["body"] = json.dumps(_wire_request_body(request.pop("body_json")), ensure_ascii=False)
        response = dict(interaction["response"])
        body = response.get("body") or {}
        if "json" in body:
            response["body"] = {"string": json.dumps(_wire_response_body(body["json"]), ensure_ascii=False)}
        interactions.append({"request": request, "response": response})
    return {**document, "interactions": interactions}


class _Serializer:
    """The vcrpy serializer protocol over :func:`dump_cassette` / :func:`load_cassette`."""

    @staticmethod
    def serialize(cassette_dict: dict[str, Any]) -> str:
        return dump_cassette(cassette_dict)

    @staticmethod
    def deserialize(cassette_string: str) -> dict[str, Any]:
        return load_cassette(cassette_string)


class _Persister:
    """vcrpy's filesystem persister, but always UTF-8 (the default follows the locale)."""

    @classmethod
    def load_cassette(cls, cassette_path: str | Path, serializer: Any) -> Any:
        from vcr.persisters.filesystem import CassetteNotFoundError
        from vcr.serialize import deserialize

        path = Path(cassette_path)
        if not path.is_file():
            raise CassetteNotFoundError()
        text = path.read_text(encoding="utf-8")
        if not text.strip():
            raise CassetteNotFoundError()
        return deserialize(text, serializer)

    @staticmethod
    def save_cassette(cassette_path: str | Path, cassette_dict: dict[str, Any], serializer: Any) -> None:
        from vcr.serialize import serialize

        path = Path(cassette_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(serialize(cassette_dict, serializer), encoding="utf-8")


# -- provenance lookup --------------------------------------------------------------------------------


def read_provenance(path: Path) -> Provenance:
    """The provenance of a cassette (parses the whole file; cassettes are small)."""
    try:
        document = load_cassette(path.read_text(encoding="utf-8"))
        return Provenance.model_validate((document.get("metadata") or {}).get("provenance"))
    except (OSError, ValueError, yaml.YAMLError, ValidationError) as exc:
        raise RecordingError(
            f"recording {path} is unreadable or has no valid provenance block: {exc}"
        ) from None


def _header_fields(path: Path) -> dict[str, str]:
    """The ``# key: value`` comment lines at the top of a cassette (cheap, no YAML parse)."""
    head: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            head.append(line.rstrip("\n"))
    return {m["key"]: m["value"] for m in _HEADER_RE.finditer("\n".join(head))}


def default_recording_dirs(extra: Path | None = None) -> list[Path]:
    """Where recordings are looked for: the configured directory, ./seeds/recordings, and the
    ``seeds/recordings`` of the source tree this package was loaded from."""
    package_root = Path(__file__).resolve().parents[2]
    candidates = [extra, Path.cwd() / "seeds" / "recordings", package_root / "seeds" / "recordings"]
    seen: list[Path] = []
    for candidate in candidates:
        if (
            candidate is not None
            and candidate.is_dir()
            and candidate.resolve() not in [s.resolve() for s in seen]
        ):
            seen.append(candidate)
    return seen


def find_recording(input_sha256: str, directories: Sequence[Path]) -> Path | None:
    """The cassette recorded for the input with this SHA-256, if any (newest file wins)."""
    matches: list[Path] = []
    for directory in directories:
        for path in sorted(directory.glob(f"*{CASSETTE_SUFFIX}")):
            with contextlib.suppress(OSError, UnicodeDecodeError):
                if _header_fields(path).get("input_sha256") == input_sha256:
                    matches.append(path)
    if not matches:
        return None
    return max(matches, key=lambda p: p.stat().st_mtime)


# -- using a cassette ----------------------------------------------------------------------------------


@dataclass
class PendingRecording:
    """A recording being made beside its target; it replaces the target only when kept."""

    target: Path
    scratch: Path
    keep: bool = False


def _strip_request(secrets: Sequence[str]) -> Any:
    def before_record_request(request: Any) -> Any:
        request.headers = {k: v for k, v in request.headers.items() if k.lower() == "content-type"}
        if isinstance(request.body, bytes | bytearray):
            request.body = redact(request.body.decode("utf-8", errors="replace"), secrets).encode("utf-8")
        elif isinstance(request.body, str):
            request.body = redact(request.body, secrets)
        return request

    return before_record_request


def _is_answer(response: Mapping[str, Any]) -> bool:
    """A 2xx response whose body is a chat completion: the only kind worth replaying. An error
    response (401, 429, 5xx) or an HTML page in a cassette would be replayed as if it were the
    endpoint's answer."""
    status = response.get("status") or {}
    code = status.get("code") if isinstance(status, Mapping) else None
    if not isinstance(code, int) or not 200 <= code < 300:
        return False
    body = _json_body(_text((response.get("body") or {}).get("string")))
    return body is not None and isinstance(body.get("choices"), list)


def _strip_response(secrets: Sequence[str]) -> Any:
    def before_record_response(response: dict[str, Any]) -> dict[str, Any] | None:
        if not _is_answer(response):
            return None  # vcrpy records nothing for this request
        headers = response.get("headers") or {}
        response["headers"] = {k: v for k, v in headers.items() if k.lower() in _KEEP_RESPONSE_HEADERS}
        body = response.get("body") or {}
        value = body.get("string")
        if isinstance(value, bytes | bytearray):
            body["string"] = redact(value.decode("utf-8", errors="replace"), secrets).encode("utf-8")
        elif isinstance(value, str):
            body["string"] = redact(value, secrets)
        return response

    return before_record_response


@contextlib.contextmanager
def use_cassette(
    path: Path,
    *,
    mode: Literal["replay", "record"],
    provenance: Provenance | None = None,
    secrets: Sequence[str] = (),
) -> Iterator[Any]:
    """Replay (no network: an unmatched request fails) or record (a new file) chat exchanges.

    Recording needs ``provenance``; it is stored in the cassette's metadata block. Only successful
    exchanges (a 2xx chat completion) are recorded, and nothing is written when the block raises.
    """
    import vcr

    if mode == "record" and provenance is None:
        raise ValueError("recording needs a provenance")
    if mode == "replay" and not path.is_file():
        raise RecordingError(f"recording {path} does not exist")
    recorder = vcr.VCR(
        record_mode="none" if mode == "replay" else "all",
        match_on=("method", "path", "summarizer_request"),
        decode_compressed_response=True,
    )
    recorder.register_serializer("summarizer", _Serializer)
    recorder.register_matcher("summarizer_request", _fingerprint_matcher)
    recorder.register_persister(_Persister)
    if mode == "record" and path.exists():
        path.unlink()  # a recording is always made from scratch
    with recorder.use_cassette(
        str(path),
        serializer="summarizer",
        before_record_request=_strip_request(secrets),
        before_record_response=_strip_response(secrets),
        allow_playback_repeats=False,
        record_on_exception=False,
    ) as cassette:
        if provenance is not None:
            cassette.get_metadata("provenance", provenance.model_dump(mode="json"))
        yield cassette


@contextlib.contextmanager
def recording_to(
    target: Path, *, provenance: Provenance, secrets: Sequence[str] = ()
) -> Iterator[PendingRecording]:
    """Record into a scratch file beside ``target``; set ``keep`` on what is yielded when the run
    succeeded. Only then, and only if the block did not raise, does the recording replace
    ``target``: a failed run leaves the previous recording as it was, and no new one."""
    scratch = target.with_name(target.name + ".recording")
    pending = PendingRecording(target, scratch)
    try:
        with use_cassette(scratch, mode="record", provenance=provenance, secrets=secrets):
            yield pending
        if pending.keep and scratch.is_file():
            scratch.replace(target)
    finally:
        scratch.unlink(missing_ok=True)
