"""``str.translate`` for the small tables the tool translates texts with, faster.

``str.translate`` looks every character of a non-ASCII text up in its table (a dictionary lookup and
an object per character); a normalisation table of a page holds a handful of characters (，：；“”（）).
One ``str.replace`` per character of the table that the text holds is a pass at ``memchr`` speed
each, and gives the same string whenever no replacement holds a character the table replaces (then
no replacement is replaced again, and the order of the passes does not matter). Otherwise, and for a
large table, :func:`translate` is ``str.translate``.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["translate"]

_FEW = 32  # tables larger than this are left to str.translate (one presence test per entry)


def translate(text: str, table: Mapping[int, str | int | None]) -> str:
    """Exactly ``text.translate(table)``; ``table`` maps code points to strings, code points or None."""
    if len(table) > _FEW or not table:
        return text.translate(table)
    pairs: list[tuple[str, str]] = []
    for code, replacement in table.items():
        char = chr(code)
        if char not in text:
            continue
        if replacement is None:
            replacement = ""
        elif isinstance(replacement, int):
            replacement = chr(replacement)
        pairs.append((char, replacement))
    for _, replacement in pairs:
        for char in replacement:
            if ord(char) in table:
                return text.translate(table)  # a replacement the table would replace again
    for char, replacement in pairs:
        text = text.replace(char, replacement)
    return text
