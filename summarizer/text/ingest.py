"""Read & decode: bytes, a path or standard input (``-``) to a :class:`Document`.

Encodings are detected from the bytes, never guessed from the file name, and never silently:

1. a byte-order mark (UTF-8, UTF-16, UTF-32) wins;
2. bytes with NULs are UTF-32 or UTF-16 without a BOM (the byte order whose text reads as Chinese or
   ASCII wins), or else binary;
3. strict UTF-8;
4. GB18030 (a superset of GBK and GB2312) and Big5 (Big5, then cp950, then Big5-HKSCS), and UTF-16
   without NULs: nearly any byte string decodes as GB18030 and most as Big5, so the choice is made on
   evidence — the share of the text's non-ASCII characters that are common Chinese characters (GB
   2312 level 1 or Big5 常用字) or Chinese punctuation. Text read in the wrong one of the two is mostly
   rare characters, kana, symbols and private-use code points; when the two read equally well the
   input is refused as ambiguous rather than guessed;
5. charset-normalizer for anything else, which only ever leads to "not Chinese text" or "cannot
   decode": the tool reads Chinese.

A decoded text must then be Chinese: at least half of its letters Chinese characters. Latin-1,
Windows-125x, English, Japanese or Korean text is refused with one line naming what it looks like,
rather than read as garbage.

Reads are bounded (:mod:`summarizer.inputs`): at most ``max_bytes + 1`` bytes are read from a
stream or special file. Every failure is an :class:`InputError` with a one-line message that says
what to do.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from summarizer.briefing.models import SourceInfo
from summarizer.errors import InputError
from summarizer.inputs import STDIN_NAME, is_stdin, read_bounded
from summarizer.text.script import common_chinese_characters, is_han
from summarizer.text.textmap import MappedText, normalize

__all__ = ["DEFAULT_MAX_BYTES", "Document", "chinese_score", "decode_bytes", "read_document"]

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

_SAMPLE = 65536  # characters looked at when judging a decoding
# A decoding is accepted when this share of its non-ASCII characters are common Chinese characters
# or punctuation; real Chinese text scores above 0.95, text read in the wrong encoding below 0.7.
_MIN_SCORE = 0.8
# Two decodings closer than this are equally good readings: the input is ambiguous.
_AMBIGUOUS_MARGIN = 0.1
# At least this share of a text's units of reading (characters; words of alphabetic scripts) must be
# Chinese characters.
_MIN_HAN_SHARE = 0.5
_BIG5_FAMILY = ("big5", "cp950", "big5hkscs")
_BIG5_NAMES = {"big5": "Big5", "cp950": "Big5 (cp950)", "big5hkscs": "Big5-HKSCS"}
_UTF8_HINT = "re-save it as UTF-8"

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

    def source_info(self, document_date: str | None = None, document_date_source: str | None = None) -> SourceInfo:
        """What a briefing records about the file it was made from (and the date its periods were
        resolved with, from the fact table)."""
        return SourceInfo(
            path=self.name,
            source=self.source,
            sha256=self.sha256,
            characters=len(self.original),
            document_date=document_date,
            document_date_source=document_date_source,
        )

    def normalized(self) -> MappedText:
        """The matching form of the whole text (NFKC etc.) with its map back to ``original``."""
        return normalize(self.original)


def _looks_binary(text: str) -> bool:
    controls = len(_CONTROL.findall(text[:_SAMPLE]))
    return controls > max(2, len(text[:_SAMPLE]) // 100)


_READABLE = re.compile(
    r"[\s!-~\u00a0-\u024f\u0370-\u04ff\u2000-\u206f\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7a3\uff00-\uffef]"
)  # Latin, Greek, Cyrillic, CJK and kana, Hangul: text a person could read
# Two Chinese characters with one space between them: rare in Chinese (under 1.1% of its characters
# in this project's corpus, mostly padded table cells), but every few syllables in Korean read in a
# Chinese encoding (EUC-KR shares GB2312's byte structure and its Hangul land on common hanzi).
_SPACED_HAN = re.compile(r"[\u4e00-\u9fff] (?=[\u4e00-\u9fff])")
_MAX_SPACED_SHARE = 0.08


def _plausible_text(text: str) -> bool:
    """A guessed decoding must read as text in some script, not a scatter of rare symbols."""
    sample = text[:_SAMPLE]
    return len(_READABLE.findall(sample)) >= 0.9 * len(sample)


def _korean_misread(data: bytes, reading: _Reading) -> bool:
    """``reading`` is Korean (EUC-KR/cp949) read in a Chinese encoding: its Chinese characters are
    separated by spaces like words, and the bytes read as Hangul in cp949."""
    sample = reading.text[:_SAMPLE]
    spaced = len(_SPACED_HAN.findall(sample))
    if spaced < 3 or spaced <= _MAX_SPACED_SHARE * sum(1 for c in sample if is_han(c)):
        return False
    korean = _strict(data, "cp949")
    if korean is None:
        return False
    letters = [c for c in korean[:_SAMPLE] if c.isalpha()]
    return sum(1 for c in letters if _script_of(c) == "HANGUL") >= 0.5 * len(letters)


def _is_chinese_punctuation(char: str) -> bool:
    code = ord(char)
    return (
        0x3000 <= code <= 0x303F  # CJK symbols and punctuation: 。、「」《》
        or 0xFF00 <= code <= 0xFFEF  # full-width forms: ，：（）１５％
        or 0x2000 <= code <= 0x206F  # general punctuation: “”…—
        or code in (0x00B7, 0x00D7)  # · ×
    )


def chinese_score(text: str) -> float:
    """The share of the non-ASCII characters of ``text`` (a sample) that are common Chinese
    characters or Chinese punctuation; 1.0 for a text without any."""
    common = common_chinese_characters()
    counts = Counter(char for char in text[:_SAMPLE] if ord(char) >= 0x80)
    total = sum(counts.values())
    if not total:
        return 1.0
    good = sum(n for char, n in counts.items() if char in common or _is_chinese_punctuation(char))
    return good / total


@dataclass(frozen=True)
class _Reading:
    encoding: str
    text: str
    score: float


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _readings(data: bytes, encodings: tuple[str, ...]) -> list[_Reading]:
    """Every strict decoding of ``data`` among ``encodings``, best first."""
    readings = []
    for encoding in encodings:
        text = _strict(data, encoding)
        if text is not None:
            readings.append(_Reading(encoding, text, chinese_score(text)))
    return sorted(readings, key=lambda r: -r.score)


def _wide_encodings(data: bytes) -> tuple[str, ...]:
    """UTF-32 and UTF-16 without a byte-order mark, in both byte orders, where the length allows."""
    wide: list[str] = []
    if len(data) % 4 == 0:
        wide += ["utf-32-le", "utf-32-be"]
    if len(data) % 2 == 0:
        wide += ["utf-16-le", "utf-16-be"]
    return tuple(wide)


def _big5_reading(data: bytes) -> _Reading | None:
    """The first of Big5, cp950, Big5-HKSCS that decodes ``data`` (each a superset of the last
    in practice), so the name reported is the narrowest that fits."""
    for encoding in _BIG5_FAMILY:
        readings = _readings(data, (encoding,))
        if readings:
            return readings[0]
    return None


def _describe(encoding: str) -> str:
    return _BIG5_NAMES.get(encoding, encoding.upper())


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` to text; returns ``(text, encoding)`` or raises :class:`InputError`.

    Decoding is judged, not guessed (see the module docstring); the text is not yet checked to be
    Chinese (:func:`read_document` does that).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise InputError(
                    f"{name}: starts with a {encoding.upper()} byte-order mark but is not valid "
                    f"{encoding.upper()} (byte {error.start}); {_UTF8_HINT}"
                ) from None
    if b"\x00" in data:
        wide = [r for r in _readings(data, _wide_encodings(data)) if not _looks_binary(r.text)]
        if wide and wide[0].score >= _MIN_SCORE:
            return wide[0].text, wide[0].encoding
        raise InputError(f"{name}: binary content (NUL bytes), not a text file; give a .txt article")
    text = _strict(data, "utf-8")
    if text is not None:
        if _looks_binary(text):
            raise InputError(f"{name}: binary content (control characters), not a text file")
        return text, "utf-8"
    chosen = _choose_chinese_reading(data, name)
    if chosen is not None:
        if _looks_binary(chosen.text):
            raise InputError(f"{name}: binary content (control characters), not a text file")
        return chosen.text, chosen.encoding
    return _fallback_reading(data, name)


def _choose_chinese_reading(data: bytes, name: str) -> _Reading | None:
    """GB18030, Big5 or UTF-16 without NULs, by evidence; None when none reads as Chinese."""
    candidates = _readings(data, ("gb18030",))
    big5 = _big5_reading(data)
    if big5 is not None:
        candidates.append(big5)
    candidates += _readings(data, tuple(e for e in _wide_encodings(data) if e.startswith("utf-16")))
    candidates = sorted(
        (c for c in candidates if c.score >= _MIN_SCORE and not _korean_misread(data, c)),
        key=lambda r: -r.score,
    )
    if not candidates:
        return None
    best = candidates[0]
    rivals = [c for c in candidates[1:] if best.score - c.score < _AMBIGUOUS_MARGIN]
    if rivals:
        names = " and as ".join(_describe(c.encoding) for c in (best, *rivals))
        raise InputError(
            f"{name}: ambiguous encoding: the bytes read as Chinese both as {names}; {_UTF8_HINT}"
        )
    return best


def _fallback_reading(data: bytes, name: str) -> tuple[str, str]:
    """Neither UTF-8 nor a Chinese encoding: ask charset-normalizer what the bytes are, so that the
    caller can say what the text is (usually "not Chinese"), or refuse it as undecodable."""
    from charset_normalizer import from_bytes  # lazy: only unusual input pays for it

    best = from_bytes(data).best()
    if best is not None and best.encoding is not None:
        text = str(best)
        # Text in another script is returned for read_document to name it ("not Chinese text");
        # Chinese characters that are not common ones are bytes read in the wrong encoding.
        garbled = _han_share(text) >= _MIN_HAN_SHARE and chinese_score(text) < _MIN_SCORE
        if not _looks_binary(text) and _plausible_text(text) and not garbled:
            return text, best.encoding
    raise InputError(
        f"{name}: cannot decode the text (not UTF-8, UTF-16, GB18030/GBK or Big5, and no other "
        f"encoding gives readable text); {_UTF8_HINT}"
    )


def _script_of(char: str) -> str:
    """The script of a letter, from its Unicode name: LATIN, CYRILLIC, HIRAGANA, HANGUL …"""
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]


def _han_share(text: str) -> float:
    letters = [char for char in text[:_SAMPLE] if char.isalpha()]
    return sum(1 for char in letters if is_han(char)) / len(letters) if letters else 0.0


# A word of an alphabetic script (Latin, Greek, Cyrillic, full-width Latin): one unit of reading, as one
# Chinese character is. A letter-by-letter count weighs "Shenzhen" as eight characters.
_ALPHABETIC_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\uff21-\uff3a\uff41-\uff5a]+")


def _reading_units(sample: str, letters: int) -> int:
    """How many units of reading ``sample`` holds: a Chinese character, a kana or a Hangul syllable is
    one each, a word of an alphabetic script is one (however many letters it has)."""
    words = 0
    alphabetic = 0
    for match in _ALPHABETIC_WORD.finditer(sample):
        words += 1
        alphabetic += match.end() - match.start()
    return letters - alphabetic + words


def _require_chinese(text: str, label: str) -> None:
    """Refuse text in which fewer than half the units of reading are Chinese characters.

    A unit is a Chinese character, a kana, a Hangul syllable or a whole word of an alphabetic script:
    a short Chinese article that quotes one English sentence is Chinese (its letters outnumber its
    characters, its words do not); English, French or Russian text with a Chinese name in it is not.
    """
    sample = text[:_SAMPLE]
    letters = Counter(filter(str.isalpha, sample))  # the letters, counted without a Python loop
    total = sum(letters.values())
    han = sum(n for char, n in letters.items() if is_han(char))
    if han and han >= _MIN_HAN_SHARE * _reading_units(sample, total):
        return
    scripts: Counter[str] = Counter()
    for char, n in letters.items():
        if not is_han(char):
            scripts[_script_of(char)] += n
    if not scripts:
        detail = "no letters at all"
    else:
        script = scripts.most_common(1)[0][0].title()
        detail = f"{han} Chinese characters among {total} letters, most of them {script}"
    raise InputError(f"{label}: not Chinese text ({detail}); give a Chinese article")


def read_document(source: str | Path | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None) -> Document:
    """Read a path, ``-`` (standard input) or raw bytes into a :class:`Document`.

    Raises :class:`InputError` for a missing file, a directory, input over ``max_bytes`` (a stream
    or special file is read no further than that), empty or whitespace-only text, binary content,
    undecodable or ambiguous bytes, and text that is not Chinese.
    """
    path: Path | None = None
    is_stdin_source = not isinstance(source, bytes) and is_stdin(source)
    if isinstance(source, bytes):
        data = source
        label = name or "<bytes>"
        if len(data) > max_bytes:
            raise InputError(f"{label}: {len(data)} bytes is over the size limit of {max_bytes} bytes")
        document_name = label
    elif is_stdin(source):
        data = read_bounded(source, max_bytes, label=name, error=InputError)
        label = name or "<stdin>"
        document_name = name or STDIN_NAME
    else:
        path = Path(source)
        label = name or str(source)
        data = read_bounded(path, max_bytes, label=label, error=InputError)
        document_name = path.name
    if not data:
        raise InputError(f"{label}: standard input is empty" if is_stdin_source else f"{label}: file is empty")
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
        what = (
            "nothing but front matter" if block
            else "nothing but a SOURCE line" if body_start
            else "the file is empty or whitespace only"
        )  # fmt: skip
        raise InputError(f"{label}: no text ({what})")
    _require_chinese(text[body_start:], label)
    return Document(
        name=document_name,
        path=str(path) if path is not None else None,
        encoding=encoding,
        byte_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original=text,
        source=source_value,
        body_start=body_start,
        front_matter=front_matter,
    )
