"""Prompt templates (versioned files in ``prompts/``), rendering, and token estimates.

A template file ``prompts/<name>.v<N>.md`` has a front matter block (``name``, ``version``,
``description``, ``placeholders``) and two sections, ``=== system ===`` and ``=== user ===``, with
``$placeholders`` (:class:`string.Template` syntax; ``$$`` is a literal dollar sign). The version
string goes into the output metadata and the cache key; a change to a template's wording without a
version bump still changes the cache key through the template's SHA-256.

The article is data: it is inserted between ``<article>`` and ``</article>`` and the prompt says
that instructions inside it are not to be obeyed. Tags inside the article that could close that
block early are neutralised.

Token counts are estimates (tiktoken is not a dependency and offline machines cannot download its
encodings): one token per CJK character or full-width sign, one per four other characters (a run
of whitespace counted as one character), plus three per message. This is close to what cl100k/o200k-style tokenizers give for Chinese news text.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from string import Template
from typing import Any

from summarizer.errors import ConfigError

__all__ = [
    "TOKEN_ESTIMATOR",
    "PromptTemplate",
    "RenderedPrompt",
    "estimate_request_tokens",
    "estimate_tokens",
    "latest_prompt",
    "load_prompt",
    "render_article_prompt",
]

TOKEN_ESTIMATOR = (
    "heuristic: 1 token per CJK character, 1 per 4 other characters (whitespace runs as one), +3 per message"
)
_SPACE_RUN_RE = re.compile(r"\s{2,}")
_CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_SECTION_RE = re.compile(r"^=== (system|user) ===[ \t]*$", re.MULTILINE)
_ARTICLE_TAG_RE = re.compile(r"<(/?)(article)", re.IGNORECASE)
_FILE_RE = re.compile(r"^(?P<name>[a-z0-9_]+)\.v(?P<number>\d+)\.md$")


def estimate_tokens(text: str) -> int:
    """Rough token count of ``text`` (see the module docstring)."""
    if not text:
        return 0
    cjk = len(_CJK_RE.findall(text))
    # Runs of whitespace (indented JSON schemas) are one token in BPE vocabularies, not one per 4.
    other = len(_SPACE_RUN_RE.sub(" ", text)) - cjk
    return cjk + math.ceil(max(other, 0) / 4)


def _strings_in(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings_in(item)


# Tool schemas are large and the same object on every call (instructor caches them): their
# estimate is kept by identity, with the object itself held so the id cannot be reused.
_SCHEMA_TOKENS: dict[int, tuple[object, int]] = {}


def _schema_tokens(value: object) -> int:
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], Mapping):
        function = value[0].get("function")
        parameters = function.get("parameters") if isinstance(function, Mapping) else None
        if parameters is not None:
            known = _SCHEMA_TOKENS.get(id(parameters))
            if known is not None and known[0] is parameters:
                rest = {k: v for k, v in function.items() if k != "parameters"}  # type: ignore[union-attr]
                return known[1] + sum(estimate_tokens(s) for s in _strings_in(rest))
            tokens = sum(estimate_tokens(s) for s in _strings_in(parameters))
            if len(_SCHEMA_TOKENS) < 64:
                _SCHEMA_TOKENS[id(parameters)] = (parameters, tokens)
            rest = {k: v for k, v in function.items() if k != "parameters"}  # type: ignore[union-attr]
            return tokens + sum(estimate_tokens(s) for s in _strings_in(rest))
    return sum(estimate_tokens(s) for s in _strings_in(value))


def estimate_request_tokens(request: Mapping[str, Any]) -> int:
    """Estimated prompt tokens of a chat.completions request: messages plus tool/format schemas."""
    messages = request.get("messages") or []
    tokens = sum(estimate_tokens(s) for s in _strings_in(messages)) + 3 * len(messages) + 3
    tokens += _schema_tokens(request.get("tools") or [])
    tokens += sum(estimate_tokens(s) for s in _strings_in(request.get("response_format") or []))
    return tokens


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    version: str
    description: str
    system: Template
    user: Template
    sha256: str
    source: str  # where it was loaded from, for messages

    def render(self, **values: str) -> list[dict[str, str]]:
        try:
            return [
                {"role": "system", "content": self.system.substitute(values).strip()},
                {"role": "user", "content": self.user.substitute(values).strip()},
            ]
        except KeyError as exc:
            raise ConfigError(f"prompt {self.source} needs a value for ${exc.args[0]}") from None


def _parse_template(text: str, source: str) -> PromptTemplate:
    if not text.startswith("---\n"):
        raise ConfigError(f"prompt {source}: must start with a '---' front matter block")
    header, sep, body = text[4:].partition("\n---\n")
    if not sep:
        raise ConfigError(f"prompt {source}: front matter is not closed by '---'")
    meta: dict[str, str] = {}
    for line in header.splitlines():
        if line.strip():
            key, colon, value = line.partition(":")
            if not colon:
                raise ConfigError(f"prompt {source}: front matter line {line!r} is not 'key: value'")
            meta[key.strip()] = value.strip()
    for key in ("name", "version"):
        if not meta.get(key):
            raise ConfigError(f"prompt {source}: front matter needs '{key}:'")
    parts = _SECTION_RE.split(body)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    if set(sections) != {"system", "user"}:
        raise ConfigError(
            f"prompt {source}: needs exactly one '=== system ===' and one '=== user ===' section"
        )
    declared = {p.strip() for p in meta.get("placeholders", "").split(",") if p.strip()}
    system, user = Template(sections["system"]), Template(sections["user"])
    used = set(system.get_identifiers()) | set(user.get_identifiers())
    if declared and used != declared:
        raise ConfigError(
            f"prompt {source}: placeholders used ({', '.join(sorted(used))}) differ from those declared "
            f"in the front matter ({', '.join(sorted(declared))})"
        )
    return PromptTemplate(
        name=meta["name"],
        version=meta["version"],
        description=meta.get("description", ""),
        system=system,
        user=user,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source=source,
    )


def _template_files() -> dict[tuple[str, int], str]:
    found: dict[tuple[str, int], str] = {}
    for entry in files("summarizer.prompts").iterdir():
        match = _FILE_RE.match(entry.name)
        if match:
            found[(match["name"], int(match["number"]))] = entry.name
    return found


def load_prompt(name: str, number: int) -> PromptTemplate:
    """Template ``prompts/<name>.v<number>.md``."""
    filename = f"{name}.v{number}.md"
    try:
        text = files("summarizer.prompts").joinpath(filename).read_text(encoding="utf-8")
    except OSError:
        raise ConfigError(f"prompt template prompts/{filename} not found") from None
    template = _parse_template(text, f"prompts/{filename}")
    if template.version != f"{name}.v{number}":
        raise ConfigError(
            f"prompts/{filename}: front matter version {template.version!r} does not match the file name"
        )
    return template


def latest_prompt(name: str) -> PromptTemplate:
    """The highest-numbered version of template ``name``."""
    numbers = [number for (found, number) in _template_files() if found == name]
    if not numbers:
        raise ConfigError(f"no prompt template prompts/{name}.v<N>.md found")
    return load_prompt(name, max(numbers))


@dataclass(frozen=True)
class RenderedPrompt:
    """The messages of one call and what went into them."""

    template_version: str
    template_sha256: str
    messages: list[dict[str, str]]
    article_text: str  # the segment text exactly as inserted
    glossary_terms: tuple[str, ...]

    @property
    def sha256(self) -> str:
        digest = hashlib.sha256()
        for message in self.messages:
            digest.update(message["role"].encode() + b"\x00" + message["content"].encode("utf-8") + b"\x00")
        return digest.hexdigest()

    def overhead_tokens(self) -> int:
        """Estimated tokens of these messages other than the article text (no tool schema)."""
        total = estimate_request_tokens({"messages": self.messages})
        return total - estimate_tokens(self.article_text)


def _neutralise_article_tags(text: str) -> str:
    # "</article>" inside the source would end the data block early; "&lt;" keeps it readable.
    return _ARTICLE_TAG_RE.sub(lambda m: f"&lt;{m[1]}{m[2]}", text)


def render_article_prompt(
    template: PromptTemplate,
    *,
    article: str,
    index: int,
    title: str | None = None,
    glossary: Sequence[tuple[str, str]] = (),
    document_date: str | None = None,
    figures: str = "",
    marked: str | None = None,
) -> RenderedPrompt:
    """Messages for one article segment. ``glossary`` holds (Chinese, English) pairs occurring in it;
    ``document_date`` (YYYY-MM-DD) is the date relative periods were resolved with, None when
    unknown; ``figures`` is the period and status of each figure the answer cites
    (:meth:`summarizer.llm.answer.FigureList.render`) and ``marked`` the article with those figures
    marked by id (:meth:`~summarizer.llm.answer.FigureList.mark`), sent in place of ``article``.
    ``article_text`` stays the article itself: what is not it is the prompt's overhead."""
    heading_parts = []
    if title:
        heading_parts.append(f" Headline: {title}.")
    if document_date:
        heading_parts.append(f" Dated {document_date}.")
    else:
        heading_parts.append(" Undated.")
    glossary_text = "; ".join(f"{zh}={en}" for zh, en in glossary) if glossary else "(none)"
    safe_article = _neutralise_article_tags(article)
    sent = safe_article if marked is None else _neutralise_article_tags(marked)
    messages = template.render(
        index=str(index),
        heading="".join(heading_parts),
        glossary=glossary_text,
        figures=figures or "(none)",
        article=sent,
    )
    return RenderedPrompt(
        template_version=template.version,
        template_sha256=template.sha256,
        messages=messages,
        article_text=safe_article,
        glossary_terms=tuple(zh for zh, _ in glossary),
    )
