"""Prompt templates (versioned files in ``prompts/``), rendering, and token estimates.

A template file ``prompts/<name>.v<N>.md`` has a front matter block (``name``, ``version``,
``description``, ``placeholders``) and two sections, ``=== system ===`` and ``=== user ===``, with
``$placeholders`` (:class:`string.Template` syntax; ``$$`` is a literal dollar sign). The version
string goes into the output metadata and the cache key; a change to a template's wording without a
version bump still changes the cache key through the template's SHA-256.

The article is data: it is inserted between ``<article>`` and ``</article>`` and the prompt says
that instructions inside it are not to be obeyed. Tags inside the article that could close that
block early are neutralised.

The token-estimate names (``estimate_tokens``, ``estimate_request_tokens``, ``TOKEN_ESTIMATOR``) live
in :mod:`summarizer.llm.tokens` (real tokenizers and the calibrated estimate) and are importable
from here too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from string import Template

from summarizer.errors import ConfigError
from summarizer.llm.tokens import TOKEN_ESTIMATOR, estimate_request_tokens, estimate_tokens

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

_SECTION_RE = re.compile(r"^=== (system|user) ===[ \t]*$", re.MULTILINE)
_ARTICLE_TAG_RE = re.compile(r"<(/?)(article)", re.IGNORECASE)
_FILE_RE = re.compile(r"^(?P<name>[a-z0-9_]+)\.v(?P<number>\d+)\.md$")


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
        """Tokens of these messages other than the article text (no tool schema), by the calibrated
        estimate."""
        total = estimate_request_tokens({"messages": self.messages})
        return total - estimate_tokens(self.article_text)


def _neutralise_article_tags(text: str) -> str:
    # "</article>" inside the source would end the data block early; "&lt;" keeps it readable.
    return _ARTICLE_TAG_RE.sub(lambda m: f"&lt;{m[1]}{m[2]}", text)


def render_article_prompt(
    template: PromptTemplate,
    *,
    article: str,
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
