"""The document's date, and periods resolved with it.

**Where the date comes from**, first found wins:

1. ``--date YYYY-MM-DD`` on the command line (``analyse(document, document_date=...)``);
2. YAML front matter at the top of the text (``date: 2022-04-26``);
3. the metadata header line ``SOURCE: …``: a labelled date (``publishTime 2017-06-04``, ``date:``), any
   ISO date, a URL path date (``/2023/03/15/``) or a file name date (``news/20230315.md``);
4. a dateline near the top of the text: a full date (（2013年3月20日）), or a month and day
   (（1月19日）, 今天（3月15日）, 4月25日公布/发布) with the year taken from the header or, failing that,
   from the text (the latest year it reports on, plus one when the dateline's month comes before the
   months that year's figures cover: a January release reports on the year before).

When nothing says, the date is unknown and the output says ``document_date: null``; nothing is guessed.

**Relative periods** (:func:`resolve_period`), with the convention of the briefing schema (ISO 8601):
今年 is the document's year; 去年 / 上年 the year before; 一季度 ``2022-Q1``; 上半年 ``2022-H1``;
前三季度 ``2022-01/2022-09``; 1—2月 ``2023-01/2023-02``; 10月 ``2023-10``; 年末 ``2012-12-31``. A period
without a year belongs to the document's year when it has begun by the document's date, else to the
year before (a release of 2023-01-10 that reports 四季度 means 2022-Q4); a goal or an estimate may lie
ahead, so for those the document's year is kept.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Final, Literal

from summarizer.rules.periods import PeriodMention

__all__ = ["DateSource", "DocumentDate", "find_document_date", "parse_iso_date", "resolve_period"]

DateSource = Literal["flag", "front_matter", "header", "dateline", "dateline_and_text"]


@dataclass(frozen=True, slots=True)
class DocumentDate:
    """When the document was published, and how that is known."""

    date: date
    source: DateSource
    text: str
    """The words the date was read from (a header fragment, a dateline)."""

    @property
    def iso(self) -> str:
        return self.date.isoformat()


def parse_iso_date(text: str) -> date | None:
    """``YYYY-MM-DD`` as a date; None when it is not one (2023-02-30 is not)."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", text)
    return _date(match.group(1), match.group(2), match.group(3)) if match else None


def _date(year: str | int, month: str | int, day: str | int) -> date | None:
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if 1900 <= value.year <= 2100 else None


_LABELLED: Final = re.compile(
    r"(?:publish(?:ed)?[ _]?(?:time|date|at)?|pub(?:lish)?date|date|发布(?:时间|日期)?|日期)\s*[:：=]?\s*"
    r"(?P<y>(?:19|20)\d{2})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})",
    re.IGNORECASE,
)
_ISO: Final = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
_URL_PATH: Final = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/")
_COMPACT: Final = re.compile(r"(?<![\dA-Za-z])(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?![\dA-Za-z])")
_FRONT_MATTER_DATE: Final = re.compile(r"^(?:date|published|pubdate)\s*:\s*['\"]?(?P<v>[^'\"\n]+)", re.M | re.I)

_FULL_DATELINE: Final = re.compile(r"[（(]\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*[）)]")
_DAY_DATELINE: Final = re.compile(
    r"(?:今天|今日|本台消息|电|讯)?[（(]\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*[）)]"
    r"|(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日(?:公布|发布|召开|举行|在)"
)
_YEAR_IN_TEXT: Final = re.compile(r"(?<![\d到至])((?:19|20)\d{2})年(?![底末]?前)")
_DATELINE_WINDOW = 600  # characters at the top of the text where a dateline may stand


def _from_header(header: str) -> tuple[date, str] | None:
    for pattern in (_LABELLED, _ISO, _URL_PATH, _COMPACT):
        for match in pattern.finditer(header):
            value = _date(match.group("y"), match.group("m"), match.group("d"))
            if value is not None:
                return value, match.group()
    return None


def _text_year(body: str, month: int) -> int | None:
    """The year a dateline without one most likely belongs to, from the years the text reports on."""
    years = [int(y) for y in _YEAR_IN_TEXT.findall(body)]
    if not years:
        return None
    latest = max(years)
    # A release early in the year reports on the year before (2025年全年… published 1月19日).
    full_year_report = re.search(rf"{latest}年(?:全年|[，,]|国民经济|统计公报|四季度)", body)
    return latest + 1 if month <= 3 and full_year_report else latest


def find_document_date(
    body: str,
    *,
    header: str | None = None,
    front_matter: str | None = None,
    given: date | None = None,
) -> DocumentDate | None:
    """The document's date (see the module docstring for the order), or None when nothing says.

    ``body`` is the text after any header; ``header`` the ``SOURCE:`` line's value; ``front_matter``
    the YAML block's text; ``given`` the date passed on the command line.
    """
    if given is not None:
        return DocumentDate(given, "flag", given.isoformat())
    if front_matter:
        match = _FRONT_MATTER_DATE.search(front_matter)
        if match:
            value = parse_iso_date(match.group("v")[:10])
            if value is not None:
                return DocumentDate(value, "front_matter", match.group().strip())
    header_date = _from_header(header) if header else None
    if header_date is not None:
        return DocumentDate(header_date[0], "header", header_date[1])
    top = body[:_DATELINE_WINDOW]
    full = _FULL_DATELINE.search(top)
    if full:
        value = _date(full.group("y"), full.group("m"), full.group("d"))
        if value is not None:
            return DocumentDate(value, "dateline", full.group())
    day = _DAY_DATELINE.search(top)
    if day:
        month = int(day.group("m") or day.group("m2"))
        day_of_month = int(day.group("d") or day.group("d2"))
        year = _text_year(body, month)
        if year is not None:
            value = _date(year, month, day_of_month)
            if value is not None:
                return DocumentDate(value, "dateline_and_text", day.group())
    return None


# --- relative periods ------------------------------------------------------------------------------

_RELATIVE_OFFSETS: Final = {
    "this_year": 0,
    "last_year": -1,
    "year_before_last": -2,
    "next_year": 1,
}


def _partial_start_month(partial: str) -> int:
    """The first month of a period written without its year ("Q3" -> 7, "--05/--08" -> 5, "H2" -> 7)."""
    if partial.startswith("Q"):
        return (int(partial[1]) - 1) * 3 + 1
    if partial.startswith("H"):
        return 1 if partial[1] == "1" else 7
    return int(partial[2:4])


def _with_year(partial: str, year: int) -> str:
    """An ISO period from a partial and a year: "Q1" -> 2022-Q1, "--01/--10" -> 2022-01/2022-10."""
    if partial.startswith(("Q", "H")):
        return f"{year}-{partial}"
    if "/" in partial:
        first, last = partial.split("/")
        return f"{year}-{first[2:]}/{year}-{last[2:]}"
    return f"{year}-{partial[2:]}"


def _edge_date(year: int, partial: str) -> str:
    month, day = int(partial[2:4]), int(partial[5:7])
    if month == 12 and day == 31:
        return f"{year}-12-31"
    return f"{year}-{month:02d}-{min(day, calendar.monthrange(year, month)[1]):02d}"


_LAST_N_YEARS: Final = re.compile(r"last_(\d+)_years")


def resolve_period(
    mention: PeriodMention,
    reference: date | None,
    *,
    frame_year: int | None = None,
    ahead_allowed: bool = False,
) -> str | None:
    """The ISO period of ``mention``, resolved with the document's date where it has no year.

    ``frame_year`` is a year the passage has stated for itself (an explicit year earlier in the
    sentence, the year a bulletin reports on); it wins over the document's date for a period that
    names no year of its own (一季度 under 2012年…). ``ahead_allowed``: the figure is a goal or an
    estimate, so a period later than the document's date is what the text means.
    """
    if mention.period is not None:
        return mention.period
    return _resolve_relative(mention.relative or "", reference, frame_year, ahead_allowed)


@lru_cache(maxsize=4096)
def _resolve_relative(relative: str, reference: date | None, frame_year: int | None, ahead_allowed: bool) -> str | None:
    """:func:`resolve_period` of a mention without a stated period: a function of its ``relative``
    and the context alone, and the same few (今年, 一季度, 去年同期 …) again and again."""
    word, _, partial = relative.partition(":")
    if word.startswith("--") or word[:1] in ("Q", "H"):
        word, partial = "", relative
    if word in ("now", "today"):
        return reference.isoformat() if reference is not None else None
    if word in ("this_month", "last_month"):
        return _month_of(reference, back=word == "last_month")
    years_back = _LAST_N_YEARS.fullmatch(word) if word.startswith("last_") else None
    if years_back:
        return _recent_years(int(years_back.group(1)), reference)
    year: int | None
    if word in _RELATIVE_OFFSETS:
        year = None if reference is None else reference.year + _RELATIVE_OFFSETS[word]
    elif word in ("that_year", "full_year", "year_edge"):
        year = frame_year if frame_year is not None else _latest_ended_year(reference)
    elif word:
        return None  # ytd, to_date, last_N_years …: no single period is stated
    elif frame_year is not None:
        year = frame_year
    elif reference is not None and partial:
        year = reference.year
        if not ahead_allowed and _partial_start_month(partial) > reference.month:
            year -= 1  # not begun by the document's date: last year's
    else:
        year = None
    if year is None:
        return None
    if not partial:
        return str(year)
    if len(partial) == 7 and partial[4] == "-":  # "--12-31": a date
        return _edge_date(year, partial)
    return _with_year(partial, year)


def _month_of(reference: date | None, *, back: bool) -> str | None:
    """本月 / 上月: the document's month, or the one before."""
    if reference is None:
        return None
    year, month = reference.year, reference.month - back
    if month == 0:
        year, month = year - 1, 12
    return f"{year}-{month:02d}"


def _recent_years(count: int, reference: date | None) -> str | None:
    """近5年 / 过去一年 / 5年来: the last ``count`` years up to the document's date (the last full ones
    in the first quarter, when the year has barely begun)."""
    last = _latest_ended_year(reference)
    if last is None or count < 1:
        return None
    return str(last) if count == 1 else f"{last - count + 1}/{last}"


def _latest_ended_year(reference: date | None) -> int | None:
    """全年 / 年末 with no year of the passage's own: the last full year by the document's date.

    A report in the first quarter looks back on the year before; later in the year 全年 is the
    year in progress (a goal or an estimate, or a running total).
    """
    if reference is None:
        return None
    return reference.year - 1 if reference.month <= 3 else reference.year
