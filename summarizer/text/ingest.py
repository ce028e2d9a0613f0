"""Read & decode: bytes or a path to a :class:`Document`.

Encodings are detected from the bytes, never guessed from the file name: a byte-order mark
(UTF-8, UTF-16, UTF-32) wins; otherwise strict UTF-8, then strict GB18030 (a superset of GBK and
GB2312), then charset-normalizer for anything else. Every failure is an :class:`InputError` with a
one-line message that says what to do.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from summarizer.briefing.models import SourceInfo
from summarizer.errors import InputError
from summarizer.text.textmap import MappedText, normalize

__all__ = ["DEFAULT_MAX_BYTES", "Document", "decode_bytes", "read_document"]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab, newlines, form feed and vertical tab do not occur in text;
# many of them after decoding means the bytes were not text in that encoding.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SOURCE_LINE = re.compile(r"\ASOURCE:[ \t]*(?P<source>[^\r\n]*)(?:\r?\n|\Z)")
# YAML front matter: a block between two lines of three dashes at the very top (after a SOURCE line).
_FRONT_MATTER = re.compile(r"---[ \t]*\r?\n(?P<block>(?:(?!---[ \t]*\r?$).*\r?\n){0,60}?)---[ \t]*(?:\r?\n|\Z)")


class Document(BaseModel):
    """A decoded input text. ``original`` is the text as the user gave it; offsets refer to it."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description="File name, or '<bytes>' for in-memory input.")
    path: str | None = None
    encoding: str
    byte_size: int
    sha256: str = Field(description="SHA-256 of the input bytes.")
    original: str = Field(description="The decoded text; every reported span indexes this string.")
    source: str | None = Field(default=None, description="Value of a first line 'SOURCE: …', if any.")
    body_start: int = Field(default=0, description="Offset where the body starts (after a SOURCE line and front matter).")
    front_matter: str | None = Field(default=None, description="The YAML front matter block at the top, if any.")

    @property
    def body(self) -> str:
        return self.original[self.body_start :]

    def source_info(self) -> SourceInfo:
        """What a briefing records about the file it was made from."""
        return SourceInfo(path=self.name, source=self.source, sha256=self.sha256, characters=len(self.original))

    def normalized(self) -> MappedText:
        """The matching form of the whole text (NFKC etc.) with its map back to ``original``."""
        return normalize(self.original)


def _looks_binary(text: str) -> bool:
    controls = len(_CONTROL.findall(text[:65536]))
    return controls > max(2, len(text[:65536]) // 100)


_READABLE = re.compile(r"[\s!-~\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def _plausible_text(text: str) -> bool:
    """A guessed decoding must read as Chinese or Latin text, not a scatter of rare symbols."""
    sample = text[:65536]
    return len(_READABLE.findall(sample)) >= 0.9 * len(sample)


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` to text; returns ``(text, encoding)`` or raises :class:`InputError`."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise InputError(
                    f"{name}: starts with a {encoding.upper()} byte-order mark but is not valid "
                    f"{encoding.upper()} (byte {error.start}); re-save it as UTF-8"
                ) from None
    if b"\x00" in data:
        raise InputError(f"{name}: binary content (NUL bytes), not a text file; give a .txt article")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise InputError(f"{name}: binary content (control characters), not a text file")
        return text, encoding
    from charset_normalizer import from_bytes  # lazy: only unusual encodings pay for it

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(
            f"{name}: cannot decode the text (not UTF-8, UTF-16 with BOM or GB18030/GBK); "
            "re-save it as UTF-8"
        )
    text = str(best)
    if _looks_binary(text) or not _plausible_text(text):
        raise InputError(
            f"{name}: cannot decode the text (not UTF-8, UTF-16 with BOM or GB18030/GBK, and no other "
            "encoding gives readable text); re-save it as UTF-8"
        )
    return text, best.encoding


def read_document(source: str | Path | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None) -> Document:
    """Read a path (or raw bytes) into a :class:`Document`.

    Raises :class:`InputError` for a missing file, a directory, a file over ``max_bytes``,
    empty or whitespace-only text, binary content and undecodable bytes.
    """
    path: Path | None = None
    if isinstance(source, bytes):
        data = source
        label = name or "<bytes>"
        if len(data) > max_bytes:
            raise InputError(f"{label}: {len(data)} bytes is over the size limit of {max_bytes} bytes")
    else:
        path = Path(source)
        label = name or str(source)
        if not path.exists():
            raise InputError(f"{label}: file not found")
        if path.is_dir():
            raise InputError(f"{label}: is a directory; give an article file (.txt)")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{label}: {size} bytes is over the size limit of {max_bytes} bytes "
                "(raise it with --max-bytes or SUMMARIZER_MAX_BYTES)"
            )
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(f"{label}: cannot read the file ({error.strerror})") from None
    if not data:
        raise InputError(f"{label}: file is empty")
    text, encoding = decode_bytes(data, label)
    source_value: str | None = None
    body_start = 0
    match = _SOURCE_LINE.match(text)
    if match:
        source_value = match.group("source").strip() or None
        body_start = match.end()
    front_matter: str | None = None
    block = _FRONT_MATTER.match(text, body_start)
    if block:
        front_matter = block.group("block")
        body_start = block.end()
    if not text[body_start:].strip():
        raise InputError(f"{label}: no text (the file is empty or whitespace only)")
    return Document(
        name=path.name if path is not None else label,
        path=str(path) if path is not None else None,
        encoding=encoding,
        byte_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original=text,
        source=source_value,
        body_start=body_start,
        front_matter=front_matter,
    )
