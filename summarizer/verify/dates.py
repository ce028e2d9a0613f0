"""Calendar dates and clock times: a day, a span of days or a time in English must be one the article gives.

"On 15 March 2023", "from 21 to 24 November", "as of 08:00 on 9 August" are figures too. The article
gives a day by writing it (3月15日, 2023年3月15日, a bare 24日 after a month) or by naming it relative to
the document's date (今天 is the date itself, 昨天 the day before, 明天 the day after); it gives a time
by writing it (8时, 8点30分, 08:00). So:

* a day the article does not give is contradicted, unless the article speaks of days the rules cannot
  date (近日, 日前, 本周, 周一, or 今天 without a document date): then it is unconfirmed;
* a year written with the day ("15 March 2022") must be the year the article gives that day in, when
  it gives one (2023年3月15日, or the document's year for 今天（3月15日）);
* a span of days runs forwards, and when the article states a span starting (or ending) on the same
  day, it is that span ("21 to 24 November" for 明天（11月21日）起至24日);
* a time the article does not write is contradicted; so is a time or a day no calendar has (80:00,
  31 February).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from summarizer.rules.numerals import parse_number

__all__ = ["EnglishDate", "SourceDates", "parse_english_date", "source_dates"]

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"

# --- the English side -------------------------------------------------------------------------------

_EN_DAY_MONTH = re.compile(rf"^(?P<d>\d{{1,2}}){_ORD}\s+(?P<m>{_MONTH})\b", re.I)
_EN_MONTH_DAY = re.compile(rf"^(?P<m>{_MONTH})\.?\s+(?P<d>\d{{1,2}}){_ORD}$", re.I)
_EN_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?$")
_EN_SPAN_DAYS_FIRST = re.compile(
    rf"^(?P<d1>\d{{1,2}}){_ORD}\s*(?P<sep>-|–|—|to|and)\s*(?P<d2>\d{{1,2}}){_ORD}\s+(?P<m>{_MONTH})\b", re.I
)
_EN_SPAN_MONTH_FIRST = re.compile(
    rf"^(?P<m>{_MONTH})\.?\s+(?P<d1>\d{{1,2}}){_ORD}\s*(?P<sep>-|–|—|to)\s*(?P<d2>\d{{1,2}}){_ORD}$", re.I
)
_EN_CLOCK = re.compile(r"^(?P<h>\d{1,2}):(?P<mi>\d{1,2})$")
_YEAR_AFTER = re.compile(r"^,?\s+(?P<y>(?:19|20)\d{2})(?!\d|[.,]\d)")


@dataclass(frozen=True, slots=True)
class EnglishDate:
    """A date or time mention of English prose: its days (month, day), whether they form a span, and
    the clock time."""

    days: tuple[tuple[int, int], ...] = ()
    span: bool = False  # "21 to 24 November": the first day to the second
    year: int | None = None
    clock: tuple[int, int] | None = None


def parse_english_date(text: str, following: str = "") -> EnglishDate | None:
    """The days or the time an English date mention states; None when it is not a date the rules read
    (a unit size such as "per 10,000 yuan" is kind ``date`` too). ``following`` is the text after it,
    where a year may stand ("15 March, 2023")."""
    text = text.strip()
    year_match = _YEAR_AFTER.match(following)
    year = int(year_match.group("y")) if year_match else None
    clock = _EN_CLOCK.match(text)
    if clock:
        return EnglishDate(clock=(int(clock.group("h")), int(clock.group("mi"))))
    iso = _EN_ISO.match(text)
    if iso:
        if iso.group("d") is None:
            return None
        return EnglishDate(days=((int(iso.group("m")), int(iso.group("d"))),), year=int(iso.group("y")))
    for pattern in (_EN_SPAN_DAYS_FIRST, _EN_SPAN_MONTH_FIRST):
        span = pattern.match(text)
        if span:
            month = _MONTHS[span.group("m").lower().rstrip(".")]
            days = ((month, int(span.group("d1"))), (month, int(span.group("d2"))))
            return EnglishDate(days=days, span=span.group("sep").lower() != "and", year=year)
    for pattern in (_EN_DAY_MONTH, _EN_MONTH_DAY):
        single = pattern.match(text)
        if single:
            month = _MONTHS[single.group("m").lower().rstrip(".")]
            return EnglishDate(days=((month, int(single.group("d"))),), year=year)
    return None


# --- the source side --------------------------------------------------------------------------------

_CN = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_CN_DATE = re.compile(rf"(?:(?P<y>(?:19|20)\d{{2}})年)?(?P<m>{_CN})月(?P<d>{_CN})[日号]")
_CN_SPAN = re.compile(
    rf"(?P<m>{_CN})月(?P<d>{_CN})[日号][）)]?(?:起|开始)?(?:至|到|—|–|-|~|～)(?:(?P<m2>{_CN})月)?(?P<d2>{_CN})[日号]"
)
_CN_DAY = re.compile(rf"(?<![月\d一二三四五六七八九十])(?P<d>{_CN})[日号](?![元本])")
_CN_MONTH = re.compile(rf"(?P<m>{_CN})月(?!份?[底末])")
_CN_CLOCK = re.compile(
    r"(?P<h>\d{1,2}|[零一二两三四五六七八九十]{1,3})(?:时|点)(?:(?P<mi>\d{1,2}|[零一二三四五六七八九十]{1,3})分|(?P<half>半))?"
    r"|(?<![\d.])(?P<h2>\d{1,2})[:：](?P<mi2>\d{2})(?![\d.])"
)
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "明天": 1, "明日": 1, "前天": -2, "后天": 2}
_RELATIVE_DAY = re.compile("|".join(_RELATIVE_DAYS))
# Words that speak of a day the rules cannot date: any day may be meant.
_VAGUE_DAYS = re.compile(r"近日|日前|连日|当天|当日|次日|同日|翌日|本周|上周|下周|周[一二三四五六日末]|星期|礼拜|前几天|这几天|近期")


@dataclass(frozen=True, slots=True)
class SourceDates:
    """The days, spans of days and times an article gives."""

    days: frozenset[tuple[int | None, int, int]]  # (year or None, month, day)
    spans: frozenset[tuple[tuple[int, int], tuple[int, int]]]
    clocks: frozenset[tuple[int, int]]
    vague: bool  # the article speaks of days the rules cannot date

    def has_day(self, month: int, day: int) -> bool:
        return any((m, d) == (month, day) for _, m, d in self.days)

    def years_of(self, month: int, day: int) -> set[int | None]:
        return {y for y, m, d in self.days if (m, d) == (month, day)}


def _small(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    value = parse_number(text)
    return int(value) if value is not None and value == int(value) else None


@lru_cache(maxsize=256)
def source_dates(text: str, document_date: date | None, *, with_date: bool = True) -> SourceDates:
    """The days, spans and times ``text`` (an article in matching form) gives, with its document's date
    (``with_date``: the date itself is one of them, as for an article; a passage of it only has the days
    it states, 今天 and 昨天 among them)."""
    days: set[tuple[int | None, int, int]] = set()
    default_year = document_date.year if document_date is not None else None
    for match in _CN_DATE.finditer(text):
        month, day = _small(match.group("m")), _small(match.group("d"))
        if month is not None and day is not None:
            year = int(match.group("y")) if match.group("y") else default_year
            days.add((year, month, day))
    months = {m for match in _CN_MONTH.finditer(text) if (m := _small(match.group("m"))) is not None}
    if document_date is not None:
        months.add(document_date.month)
    for match in _CN_DAY.finditer(text):  # 24日 after 11月21日: a day of a month the text names
        day = _small(match.group("d"))
        if day is not None:
            days |= {(None, month, day) for month in months}
    spans: set[tuple[tuple[int, int], tuple[int, int]]] = set()
    for match in _CN_SPAN.finditer(text):
        month, day, day2 = _small(match.group("m")), _small(match.group("d")), _small(match.group("d2"))
        month2 = _small(match.group("m2")) if match.group("m2") else month
        if None not in (month, day, month2, day2):
            spans.add(((month, day), (month2, day2)))  # type: ignore[arg-type]
    vague = bool(_VAGUE_DAYS.search(text))
    for match in _RELATIVE_DAY.finditer(text):
        if document_date is None:
            vague = True
            continue
        named = document_date + timedelta(days=_RELATIVE_DAYS[match.group()])
        days.add((named.year, named.month, named.day))
    if document_date is not None and with_date:
        days.add((document_date.year, document_date.month, document_date.day))
    clocks: set[tuple[int, int]] = set()
    for match in _CN_CLOCK.finditer(text):
        hour_text = match.group("h") or match.group("h2")
        hour = _small(hour_text)
        if match.group("h2"):
            minute: int | None = int(match.group("mi2"))
        elif match.group("half"):
            minute = 30
        else:
            minute = _small(match.group("mi")) if match.group("mi") else 0
        if hour is not None and minute is not None:
            clocks.add((hour, minute))
            if hour < 12:
                clocks.add((hour + 12, minute))  # 下午3点 is 15:00
    return SourceDates(frozenset(days), frozenset(spans), frozenset(clocks), vague)


def valid_day(month: int, day: int) -> bool:
    try:
        date(2024, month, day)  # a leap year: 29 February is a day
    except ValueError:
        return False
    return True
