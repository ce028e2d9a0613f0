"""Chinese and Arabic numerals: width folding and the value of a numeral (一千零一万, 4.78万亿, 两千六).

Shared by the quantity scanner (:mod:`summarizer.rules.quantities`) and the period finder
(:mod:`summarizer.rules.periods`). Names without a leading underscore are the package's own API;
``__all__`` lists what other packages may use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Final

__all__ = ["fold_width", "parse_number"]

# ---------------------------------------------------------------------------------------------
# Width folding
# ---------------------------------------------------------------------------------------------


_TRADITIONAL: Final = "個點萬億兩貳參陸幾餘負對雙項條輛種場臺塊錢噸圓歐韓盧鎊區國時倆"
_SIMPLIFIED: Final = "个点万亿两贰叁陆几余负对双项条辆种场台块钱吨圆欧韩卢镑区国时俩"


def _build_fold_table() -> dict[int, int]:
    # Full-width ASCII block (！ .. ～) onto ASCII, plus the few look-alikes this genre uses.
    # Every mapping is one code point to one code point, so offsets survive the fold.
    table = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
    table.update(
        {
            0x3000: ord(" "),  # ideographic space
            0x00A0: ord(" "),  # no-break space (trailing in TV transcripts)
            0x2212: ord("-"),  # minus sign
            0xFFE5: ord("¥"),  # full-width yen / yuan sign
            0x301C: ord("~"),  # wave dash
            0x2236: ord(":"),  # ratio colon
        }
    )
    # Traditional forms of the characters numbers and units are written with, so that 個百分點
    # and 萬億 match the same patterns as 个百分点 and 万亿. Still one character for one.
    table.update({ord(old): ord(new) for old, new in zip(_TRADITIONAL, _SIMPLIFIED, strict=True)})
    return table


_FOLD_TABLE: Final = _build_fold_table()


# Any character the fold changes: most texts (all normalised ones) have none, and finding that out
# is twenty times faster than translating.
_FOLDABLE: Final = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_FOLD_TABLE)) + "]")


def fold_width(text: str) -> str:
    """Fold full-width digits, letters and signs to ASCII, one character for one character."""
    if _FOLDABLE.search(text) is None:
        return text
    return text.translate(_FOLD_TABLE)


# ---------------------------------------------------------------------------------------------
# Chinese numerals
# ---------------------------------------------------------------------------------------------

CN_DIGIT_VALUES: Final[dict[str, int]] = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "贰": 2, "貳": 2, "兩": 2, "俩": 2, "倆": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
CN_SMALL_UNIT_VALUES: Final[dict[str, int]] = {
    "十": 10,
    "拾": 10,
    "百": 100,
    "佰": 100,
    "千": 1000,
    "仟": 1000,
}
CN_BIG_UNIT_VALUES: Final[dict[str, float]] = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}
UNIT_VALUES: Final[dict[str, float]] = {**CN_SMALL_UNIT_VALUES, **CN_BIG_UNIT_VALUES}
CANONICAL_SCALE_CHARS: Final = str.maketrans({"萬": "万", "億": "亿", "拾": "十", "佰": "百", "仟": "千"})

# Characters that may appear inside a numeral found in running text. 幺 and 〇/○ are left out
# here: they turn up in words (幺) and in years, which the period finder handles.
CN_DIGITS: Final = "零一二两三四五六七八九壹贰貳兩叁參肆伍陆陸柒捌玖俩"
CN_UNITS: Final = "十拾百佰千仟万萬亿億"
CN_BIG: Final = "万萬亿億"
CN_ALL: Final = CN_DIGITS + CN_UNITS
POINT: Final = "点點"

_NUMERAL_TOKEN = re.compile(r"\d+(?:\.\d+)?|.", re.DOTALL)
_ARABIC_ONLY = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
THOUSANDS_COMMA = re.compile(r"(?<=\d)[,，](?=\d)")


@dataclass(frozen=True, slots=True)
class Numeral:
    """A parsed numeral: its value, where its scale starts, and what kind of numeral it was."""

    value: float
    number_len: int  # characters before the scale word (the whole numeral when no scale)
    scale_word: str | None
    digit_string: bool  # 三一, 二〇二三: digits read one by one, no unit characters
    has_big_unit: bool  # contains 万 / 亿 anywhere
    has_unit: bool  # contains any of 十百千万亿
    arabic: bool  # starts with an Arabic digit
    single_char: bool  # a single Chinese character such as 一, 二, 十


def digit_string_value(chars: str) -> float | None:
    digits = []
    for char in chars:
        if char.isdigit() and char.isascii():
            digits.append(char)
        elif char in CN_DIGIT_VALUES:
            digits.append(str(CN_DIGIT_VALUES[char]))
        else:
            return None
    return float("".join(digits)) if digits else None


def scale_product(units: str) -> float | None:
    product = decimal_scale(units)
    return None if product is None else float(product)


def decimal_scale(units: str) -> Decimal | None:
    product = Decimal(1)
    for char in units:
        if char not in _DECIMAL_UNIT_VALUES:
            return None
        product *= _DECIMAL_UNIT_VALUES[char]
    return product


def times(value: float, factor: float) -> float:
    """value * factor without binary noise: 140.3 * 1e8 is 14030000000, not 14030000000.000002."""
    if factor == 1.0 and type(value) is float:
        return value  # what the decimal product gives: a float's repr reads back as that float
    return float(Decimal(repr(value)) * Decimal(repr(factor)))


_DECIMAL_UNIT_VALUES: Final[dict[str, Decimal]] = {
    char: Decimal(int(value)) for char, value in UNIT_VALUES.items()
}
_TEN_THOUSAND: Final = Decimal(10_000)


class _GroupedNumeralReader:
    """Reads a numeral written with unit characters: 一千零一万, 4.78万亿, 3万4000, 两千六.

    Groups are closed by 万 and 亿 the way they are read aloud: 亿 multiplies everything before it
    (三十万亿 = 3e13), 万 multiplies its own group (四千零五万), and a bare digit after a unit
    abbreviates the next lower place (一万三 = 13000, 两千六 = 2600) unless a 零 came between.
    Decimal arithmetic keeps 140.3亿 at exactly 14030000000.
    """

    def __init__(self) -> None:
        self.total = Decimal(0)  # closed by 亿
        self.section = Decimal(0)  # closed by 万
        self.small = Decimal(0)  # digits times 十/百/千 inside the current 万 group
        self.pending: Decimal | None = None
        self.pending_is_cn_digit = False
        self.last_unit: Decimal | None = None
        self.last_small_unit: Decimal | None = None
        self.zero_since_unit = False
        self.saw_decimal = False

    def read(self, numeral: str) -> Decimal | None:
        for token in _NUMERAL_TOKEN.findall(numeral):
            if not self._feed(token):
                return None
        return self._finish()

    def _feed(self, token: str) -> bool:
        if token[0].isdigit():
            return self._digit(Decimal(token), is_cn=False, is_decimal="." in token)
        if token in CN_DIGIT_VALUES:
            if CN_DIGIT_VALUES[token] == 0:
                self.zero_since_unit = True
                return self.pending is None
            return self._digit(Decimal(CN_DIGIT_VALUES[token]), is_cn=True, is_decimal=False)
        if token in CN_SMALL_UNIT_VALUES:
            return self._small_unit(_DECIMAL_UNIT_VALUES[token])
        if token in CN_BIG_UNIT_VALUES:
            return self._big_unit(_DECIMAL_UNIT_VALUES[token])
        return False

    def _digit(self, value: Decimal, *, is_cn: bool, is_decimal: bool) -> bool:
        # Two digits in a row (一二) are not a grouped numeral; after a decimal such as 10.1万
        # nothing more may follow (10.1万零100 is ambiguous, cn2an rejects it too).
        if self.pending is not None or self.saw_decimal:
            return False
        self.pending = value
        self.pending_is_cn_digit = is_cn
        self.saw_decimal = is_decimal
        return True

    def _small_unit(self, unit: Decimal) -> bool:
        if self.last_small_unit is not None and unit >= self.last_small_unit:
            return False  # 五十千: units inside a 万 group must fall
        coefficient = (
            Decimal(1) if self.pending is None else self.pending
        )  # 十五, 百三: a leading unit is one
        self.small += coefficient * unit
        self._after_unit(unit)
        self.last_small_unit = unit
        return True

    def _big_unit(self, unit: Decimal) -> bool:
        group = self.small + (self.pending or 0)
        if unit == _TEN_THOUSAND:
            if group == 0:
                if self.section == 0:
                    return False  # 万 on its own
                self.section *= unit  # 一万万 = 1e8
            elif self.section != 0:
                return False
            else:
                self.section = group * unit
        else:
            group += self.section
            if group == 0:
                if self.total == 0:
                    return False
                self.total *= unit
            elif self.total != 0:
                return False
            else:
                self.total = group * unit
            self.section = Decimal(0)
        self.small = Decimal(0)
        self._after_unit(unit)
        self.last_small_unit = None
        return True

    def _after_unit(self, unit: Decimal) -> None:
        self.pending = None
        self.last_unit = unit
        self.zero_since_unit = False

    def _finish(self) -> Decimal | None:
        tail = Decimal(0)
        if self.pending is not None:
            tail = self.pending
            abbreviated = (
                self.pending_is_cn_digit
                and not self.zero_since_unit
                and self.last_unit is not None
                and self.last_unit >= 100
            )
            if abbreviated and self.last_unit is not None:
                tail = self.pending * self.last_unit / 10
        if self.last_unit is None and self.pending is None:
            return None
        return self.total + self.section + self.small + tail


def _digit_string_decimal(chars: str) -> Decimal | None:
    value = digit_string_value(chars)
    return None if value is None else Decimal(int(value))


def _integer_part_value(numeral: str) -> tuple[Decimal | None, bool]:
    """Value of a numeral without a Chinese decimal point, and whether it was a digit string."""
    if not numeral:
        return None, False
    if _ARABIC_ONLY.fullmatch(numeral):
        return Decimal(numeral), False
    if not any(char in UNIT_VALUES for char in numeral):
        # 一二三, 二〇〇二, 零一: digits read one by one.
        return _digit_string_decimal(numeral), len(numeral) > 1
    return _GroupedNumeralReader().read(numeral), False


def _numeral_value(numeral: str) -> tuple[float | None, bool]:
    """Value of an unsigned numeral (Arabic, Chinese or mixed) and whether it was a digit string."""
    numeral = numeral.replace("廿", "二十").replace("卅", "三十")
    for point in POINT:
        if point in numeral:
            whole, _, fraction = numeral.partition(point)
            return _decimal_value(whole, fraction), False
    value, digit_string = _integer_part_value(numeral)
    return (None if value is None else float(value)), digit_string


def _decimal_value(whole: str, fraction: str) -> float | None:
    # 十五点七, 三点五万 (the scale after the decimals applies to the whole number), 一百点123.
    digits_end = 0
    while digits_end < len(fraction) and (
        fraction[digits_end] in CN_DIGIT_VALUES or fraction[digits_end].isdigit()
    ):
        digits_end += 1
    whole_value, _ = _integer_part_value(whole)
    if whole_value is None or digits_end == 0:
        return None
    digits = "".join(
        str(CN_DIGIT_VALUES[char]) if char in CN_DIGIT_VALUES else char for char in fraction[:digits_end]
    )
    value = whole_value + Decimal("0." + digits)
    scale = fraction[digits_end:]
    if scale:
        product = decimal_scale(scale)
        if product is None:
            return None
        value *= product
    return float(value)


def _split_scale(numeral: str) -> tuple[int, str | None]:
    """Where the scale word starts: 1.7|万亿, 两千|万, 3|千万; (len, None) when there is none.

    After Arabic digits every trailing unit character is scale (3千万 -> 千万). After Chinese
    digits only 万/亿 count as scale (九千亿 -> 九千 + 亿), because 千/百/十 are part of how the
    Chinese number itself is written. A split is only made when the part before it has no 万/亿
    of its own, so that value == number * scale holds. The returned length leaves out a space
    written before the scale (177.1 亿).
    """
    end = len(numeral)
    index = end
    while index > 0 and numeral[index - 1] in CN_UNITS:
        index -= 1
    number_part = numeral[:index].rstrip()
    if index == end or not number_part:
        return end, None
    if not number_part[-1].isdigit():
        index = end
        while index > 0 and numeral[index - 1] in CN_BIG:
            index -= 1
        number_part = numeral[:index].rstrip()
    if index == end or not number_part or any(char in CN_BIG for char in number_part):
        return end, None
    return len(number_part), numeral[index:].translate(CANONICAL_SCALE_CHARS)


# Arabic digits with an optional decimal part, nothing else: the commonest numeral by far. Its value is
# float() of it (what float(Decimal(...)) gives: both round the exact decimal once), and it has no scale.
_PLAIN_ARABIC = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@lru_cache(maxsize=8192)
def parse_numeral(numeral: str) -> Numeral | None:
    """Parse an unsigned numeral as found in folded text (thousands commas allowed)."""
    if _PLAIN_ARABIC.fullmatch(numeral):
        return Numeral(float(numeral), len(numeral), None, False, False, False, True, False)
    plain = THOUSANDS_COMMA.sub("", numeral).replace(" ", "")
    value, digit_string = _numeral_value(plain)
    if value is None:
        return None
    number_len, scale_word = _split_scale(numeral)
    first = numeral[0]
    return Numeral(
        value=value,
        number_len=number_len,
        scale_word=scale_word,
        digit_string=digit_string,
        has_big_unit=any(char in CN_BIG for char in numeral),
        has_unit=any(char in CN_UNITS for char in numeral),
        arabic=first.isdigit(),
        single_char=len(numeral) == 1 and not first.isdigit(),
    )


_SIGN_PREFIX = re.compile(r"^(?:[-+]|负|負|正)")


def parse_number(numeral: str) -> float | None:
    """Parse a numeral on its own: "一百零六" -> 106, "1,234.5" -> 1234.5, "１５" -> 15,
    "3.5万" -> 35000, "1.7万亿" -> 1.7e12, "负三十二" -> -32, "一二三" -> 123. None if it is not one."""
    text = fold_width(numeral).strip()
    sign = 1.0
    sign_match = _SIGN_PREFIX.match(text)
    if sign_match:
        sign = -1.0 if sign_match.group() in ("-", "负", "負") else 1.0
        text = text[sign_match.end() :].strip()
    if not text or " " in text:
        return None
    if not all(char.isdigit() or char in ".,，" or char in CN_DIGIT_VALUES or char in UNIT_VALUES
               or char in POINT or char in "廿卅" for char in text):  # fmt: skip
        return None
    if text[0] in ".," or text[-1] in ".,，" or ".." in text:
        return None
    parsed = parse_numeral(text)
    return None if parsed is None else sign * parsed.value




def compile_with_first_chars(first_chars: str, pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` behind a lookahead on the characters it can start with.

    An alternation that starts with optional groups is tried at every position of the text;
    the lookahead lets the regex engine skip to plausible starts first (five times faster here).
    """
    return re.compile(f"(?=[{first_chars}])(?:{pattern})")
