"""Traditional Chinese matched as simplified, one character for one; and how to tell them apart.

Sources from Taiwan and Hong Kong (Big5, or traditional text in any encoding) are read as given and
every offset stays one of that text. For *matching* — the rules, the verifier, quotes an LLM gives
in either script — a character that exists only in traditional script is replaced by its
simplified form: 億 → 亿, 萬 → 万, 個 → 个, 點 → 点. The replacement is always exactly one character for
one, so the matching form maps back to the original linearly (see :mod:`summarizer.text.textmap`).

Characters that are also standard simplified characters — anything in GB 2312, such as 著, 乾 or
台, except 於 and 後 — are left alone: in a simplified text they mean what they say, and changing them would change
the matching form of every simplified article. Phrase-level conversion (OpenCC's ``TSPhrases``) is
deliberately not used: it may change lengths, and the characters it disambiguates are exactly those
left alone.

The table is OpenCC's (``t2s``, then its Hong Kong and Taiwan variant tables for forms such as 衞),
loaded the first time a character outside GB 2312 is looked up.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from summarizer.text.translation import translate

__all__ = ["common_chinese_characters", "is_han", "simplified_form", "simplify"]


def is_han(char: str) -> bool:
    """A CJK ideograph (unified, extension A, compatibility, or a supplementary-plane extension)."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
    )


@lru_cache(maxsize=1)
def _converters() -> tuple[Any, ...]:
    import opencc  # lazy: only texts with characters outside GB 2312 pay for it (about 10 ms)

    return tuple(opencc.OpenCC(config) for config in ("t2s.json", "hk2s.json", "tw2s.json"))


# GB 2312 also encodes these two traditional forms, but simplified text writes 于 and 后 (於 only as
# a rare surname); in traditional text they are everywhere (高於全國, 之後), and cues such as 高于 need them.
_TRADITIONAL_IN_GB2312 = {"於": "于", "後": "后"}


@lru_cache(maxsize=65536)
def simplified_form(char: str) -> str:
    """The simplified form of a traditional-only character; any other character unchanged."""
    if char in _TRADITIONAL_IN_GB2312:
        return _TRADITIONAL_IN_GB2312[char]
    if len(char) != 1 or not is_han(char) or _in_gb2312(char):
        return char
    for converter in _converters():
        converted = str(converter.convert(char))
        if len(converted) == 1 and converted != char:
            return converted
    return char


# Characters known to be their own simplified form: nearly all of any text, so that simplify()
# looks up only the characters it has not met before.
_OWN_FORM: set[str] = set()


def simplify(text: str) -> str:
    """``text`` with every traditional-only character simplified: the same length, so a match
    found in it is at the same offsets in ``text`` (for cue patterns written in simplified, such
    as 本报讯 or 记者, to find 本報訊 and 記者)."""
    chars = set(text)
    chars.difference_update(_OWN_FORM)
    table: dict[int, str] = {}
    for char in chars:
        simplified = simplified_form(char)
        if simplified == char:
            _OWN_FORM.add(char)
        else:
            table[ord(char)] = simplified
    return translate(text, table) if table else text


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _decoded_range(encoding: str, leads: range, trails: tuple[range, ...], last: bytes | None = None) -> set[str]:
    characters: set[str] = set()
    for lead in leads:
        for trail_range in trails:
            for trail in trail_range:
                code = bytes((lead, trail))
                if last is not None and code > last:
                    return characters
                try:
                    characters.add(code.decode(encoding))
                except UnicodeDecodeError:
                    continue
    return characters


@lru_cache(maxsize=1)
def common_chinese_characters() -> frozenset[str]:
    """The common characters of both scripts, from the standards' own frequency tiers.

    GB 2312 level 1 (B0A1–D7F9: the 3,755 most used simplified characters) and Big5's
    常用字 (A440–C67E: 5,401 common traditional characters), as Python's codecs decode them. A real
    Chinese text is almost all common characters; bytes read in the wrong encoding are not.
    """
    simplified = _decoded_range("gb2312", range(0xB0, 0xD8), (range(0xA1, 0xFF),))
    traditional = _decoded_range(
        "big5", range(0xA4, 0xC7), (range(0x40, 0x7F), range(0xA1, 0xFF)), last=b"\xc6\x7e"
    )
    return frozenset(c for c in simplified | traditional if is_han(c))
