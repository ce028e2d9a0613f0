"""Time expressions: 2023年, 2023年1—11月, 一季度, 上半年, 前10个月, 今年, 年初以来, 到2025年, “十四五” ….

:func:`find_periods` reports each as a :class:`PeriodMention`. When the year is not stated and no
``default_year`` is given, ``period`` is None and ``relative`` keeps what is known: a relative word
("this_year", "last_year", "ytd", "to_date" …) and/or an ISO-8601 partial without the year ("--11"
month, "--11-20" date, "--01/--10" month range, "Q1", "H1"), joined by ":" when both are present
("this_year:--01/--10").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Final, Literal

from summarizer.rules.numerals import (
    CN_DIGIT_VALUES,
    compile_with_first_chars,
    digit_string_value,
    fold_width,
    parse_number,
)

__all__ = ["PeriodKind", "PeriodMention", "find_periods", "may_state_calendar_year"]

PeriodKind = Literal["year", "month", "month_range", "quarter", "half", "date", "relative", "multi_year"]


@dataclass(frozen=True, slots=True)
class PeriodMention:
    """One time expression: a year, month, range of months, quarter, date or relative period."""

    start: int
    end: int
    text: str
    period: str | None
    relative: str | None = None
    cumulative: bool = False
    deadline: bool = False
    kind: PeriodKind = "year"

# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------

_YEAR: Final = r"(?:19|20)\d{2}|[一二][〇零○一二三四五六七八九]{3}"
_MONTH: Final = r"1[0-2]|0?[1-9]|十[一二]|[一二三四五六七八九十]"
_DAY: Final = (
    r"3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]"
)
_SEP: Final = r" ?(?:—{1,2}|–|-|~|至|到) ?"
_REL_YEAR: Final = r"今年|去年|上年|明年|前年|本年|当年"

_RELATIVE_YEARS: Final[dict[str, tuple[str, int]]] = {
    "今年": ("this_year", 0), "本年": ("this_year", 0), "年内": ("this_year", 0), "当年": ("that_year", 0),
    "去年": ("last_year", -1), "上年": ("last_year", -1), "前年": ("year_before_last", -2),
    "明年": ("next_year", 1), "全年": ("full_year", 0),
}  # fmt: skip

_YEAR_FIRST: Final = "12一二"
_REL_FIRST: Final = "今去上明前本当"
_MONTH_FIRST: Final = "0-9一二三四五六七八九十"
_DATED: Final = _YEAR_FIRST + _REL_FIRST + _MONTH_FIRST



def _anchored(anchor: str, reach: int, first_chars: str, pattern: str) -> re.Pattern[str]:
    """:func:`compile_with_first_chars`, and a lookahead for ``anchor``, a character every match has
    at most ``reach`` characters after its start (the 月 of 2023年1月, the 季 of 一季度): the search
    gives up at once at the thousands of digits that no month follows."""
    return compile_with_first_chars(first_chars, rf"(?=[^{anchor}]{{0,{reach}}}{anchor})(?:{pattern})")


# name, words one of which every match contains (a text without any is not searched), pattern.
_PERIOD_PATTERNS: Final[tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...]] = (
    ("year_range", ("年",), _anchored("年", 13, _YEAR_FIRST, rf"(?P<y1>{_YEAR})年?{_SEP}(?P<y2>{_YEAR})年(?P<edge>底|末)?")),
    ("month_range", ("月",), _anchored("月", 19, _DATED,
        rf"(?:(?P<y>{_YEAR})年|(?P<ry>{_REL_YEAR}))?(?P<m1>{_MONTH})月?{_SEP}(?:(?P<y2>{_YEAR})年)?(?P<m2>{_MONTH})月份?")),
    ("date", ("月",), _anchored("月", 7, _DATED, rf"(?:(?P<y>{_YEAR})年|(?P<ry>{_REL_YEAR}))?(?P<m>{_MONTH})月(?P<d>{_DAY})[日号]")),
    ("month", ("月",), _anchored("月", 7, _DATED, rf"(?:(?P<y>{_YEAR})年|(?P<ry>{_REL_YEAR}))?(?<![\d个])(?P<m>{_MONTH})月(?:份)?(?P<edge>底|末|初)?(?!份?以来)")),
    ("quarter", ("季度",), _anchored("季", 7, _DATED + "第首",
        rf"(?:(?P<y>{_YEAR})年|(?P<ry>{_REL_YEAR}))?(?:第?(?P<q>[一二三四1-4])|(?P<first>首))季度(?P<edge>末)?")),
    ("first_quarters", ("季度",), _anchored("季", 8, _YEAR_FIRST + _REL_FIRST, rf"(?:(?P<y>{_YEAR})年|(?P<ry>{_REL_YEAR}))?前(?P<n>[一二两三1-3])个?季度")),
    ("half", ("半年",), _anchored("半", 6, _YEAR_FIRST + _REL_FIRST + "下", rf"(?:(?P<y>{_YEAR})年|(?P<ry>{_REL_YEAR}))?(?P<h>上|下)半年")),
    ("first_months", ("月",), _anchored("月", 9, _YEAR_FIRST + _REL_FIRST,
        rf"(?:(?P<y>{_YEAR})年|(?P<ry>{_REL_YEAR}))?前(?P<n>1[0-2]|[1-9]|十[一二]?|[一二两三四五六七八九])个?月(?!份)")),
    ("calendar_year", ("年",), compile_with_first_chars(_YEAR_FIRST, rf"(?P<y>{_YEAR})年(?:年?(?P<edge>底|末|初))?(?!代|级|度)")),
    ("ytd", ("以来", "至今", "年初到现在"), compile_with_first_chars("年今1开", r"(?:年初|今年|年内|开年|1月份?)(?:以来|至今)|年初到现在")),
    ("now", ("目前", "当前", "现在", "眼下", "现已"), compile_with_first_chars("截目当现眼", r"截至目前|截止目前|目前为止|目前|当前|现在|眼下|现已")),
    ("to_date", ("至今", "累计"), compile_with_first_chars("至累", r"至今|累计")),
    ("recent_years", ("年",), _anchored("年", 4, "近过最0123456789一二两三四五六七八九十",
        r"(?:(?:近|过去|最近)(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,2})年(?:来|间)?"
        r"|(?<![\d一二两三四五六七八九十])(?P<n2>\d{1,2}|[一二两三四五六七八九十]{1,2})年(?:来|间))")),
    ("five_year_plan", ("五",), compile_with_first_chars("十", r"(?<![\d一二三四五六七八九十])十(?P<n>[一二三四五六七八九])五(?![\d一二三四五六七八九十])(?:时期|期间|规划期|末|初)?")),
    ("relative_year", ("年",), compile_with_first_chars(_REL_FIRST + "年全", rf"(?:{_REL_YEAR}|年内|全年)(?P<edge>底|末|初)?")),
    ("relative_month", ("月", "今天", "今日"), compile_with_first_chars("本当上今", r"本月|当月|上月|上个月|今天|今日")),
    ("year_edge", ("年末", "年底", "年初"), compile_with_first_chars("年", r"(?<![今去上明前本当全\d一二三四五六七八九〇零○])年(?P<edge>末|底|初)(?!以来)")),
)  # fmt: skip

# 到2025年 is a target date; 至 is left out because 提高至2024年的39.9% reports a past value.
_DEADLINE_PREFIX_RE: Final = re.compile(r"(?:力争到|预计到|计划到|争取到|到)$")
_CUMULATIVE_PREFIX_RE: Final = re.compile(r"(?:截至|截止到|截止至|截止)$")
_DEADLINE_SUFFIX_RE: Final = re.compile(r"以前|之前|前(?![一二两三四五六七八九十\d])")
_PREFIX_MARKER_ENDS: Final = frozenset("至到止")  # the last characters of the prefixes above
_SUFFIX_MARKER_FIRST: Final = frozenset("以之前")


def _year_value(literal: str) -> int:
    if literal.isdigit():
        return int(literal)
    value = digit_string_value(literal)
    return int(value) if value is not None else 0


def _small_number(literal: str) -> int:
    if literal.isdigit():
        return int(literal)
    value = parse_number(literal)
    return int(value) if value is not None else 0


@dataclass(slots=True)
class _PeriodDraft:
    start: int
    end: int
    kind: PeriodKind
    period: str | None
    relative: str | None = None
    cumulative: bool = False
    deadline: bool = False


class _PeriodReader:
    def __init__(self, text: str, default_year: int | None) -> None:
        self.text = text
        self.norm = fold_width(text)
        self.default_year = default_year

    def run(self) -> list[PeriodMention]:
        drafts: list[_PeriodDraft] = []
        norm = self.norm
        ranges: dict[tuple[str, ...], list[tuple[int, int]]] = {}  # patterns share their words (年, 月)
        for name, required, pattern in _PERIOD_PATTERNS:
            handler = getattr(self, f"_{name}")
            lines = ranges.get(required)
            if lines is None:
                lines = ranges[required] = _lines_with(norm, required)
            for lo, hi in lines:
                for match in pattern.finditer(norm, lo, hi):
                    draft: _PeriodDraft | None = handler(match, match.start(), match.end())
                    if draft is not None:
                        drafts.append(self._with_markers(draft))
        # Markers first: 到/截至 before and 前 after are part of the span that must not overlap.
        return [self._mention(draft) for draft in self._without_overlaps(drafts)]

    @staticmethod
    def _without_overlaps(drafts: list[_PeriodDraft]) -> list[_PeriodDraft]:
        # In reading order; when two overlap, the longer one wins (2023年1—11月 over 2023年).
        kept: list[_PeriodDraft] = []
        for draft in sorted(drafts, key=lambda d: (d.start, -(d.end - d.start))):
            if kept and draft.start < kept[-1].end:
                if draft.end - draft.start > kept[-1].end - kept[-1].start:
                    kept[-1] = draft
                continue
            kept.append(draft)
        return kept

    def _year(self, match: re.Match[str], group: str = "y") -> tuple[int | None, str | None]:
        """The stated or resolved year, and the relative word when the year was relative."""
        stated = match.group(group)  # every pattern read with a year has the groups y and ry
        if stated:
            return _year_value(stated), None
        relative_word = match.group("ry")
        if relative_word:
            relative, offset = _RELATIVE_YEARS[relative_word]
            if self.default_year is None:
                return None, relative
            return self.default_year + offset, relative
        return self.default_year, None

    def _year_range(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        first, last = _year_value(match.group("y1")), _year_value(match.group("y2"))
        if first >= last:
            return None
        return _PeriodDraft(start, end, "multi_year", f"{first}/{last}")

    def _month_range(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        year, relative = self._year(match)
        first, last = _small_number(match.group("m1")), _small_number(match.group("m2"))
        year2 = _year_value(match.group("y2")) if match.group("y2") else year
        if not 1 <= first <= 12 or not 1 <= last <= 12 or (year2 == year and first >= last):
            return None
        partial = f"--{first:02d}/--{last:02d}"
        if year is None or year2 is None:
            return _PeriodDraft(start, end, "month_range", None, _join_relative(relative, partial))
        return _PeriodDraft(start, end, "month_range", f"{year}-{first:02d}/{year2}-{last:02d}", relative)

    def _date(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        year, relative = self._year(match)
        month, day = _small_number(match.group("m")), _small_number(match.group("d"))
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            return None
        if year is None:
            return _PeriodDraft(
                start, end, "date", None, _join_relative(relative, f"--{month:02d}-{day:02d}")
            )
        return _PeriodDraft(start, end, "date", f"{year}-{month:02d}-{day:02d}", relative)

    def _month(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        year, relative = self._year(match)
        month = _small_number(match.group("m"))
        if not 1 <= month <= 12:
            return None
        edge = match.group("edge")
        if year is None and edge in ("底", "末"):
            return _PeriodDraft(start, end, "date", None, _join_relative(relative, f"--{month:02d}-31"))
        if year is None:
            return _PeriodDraft(start, end, "month", None, _join_relative(relative, f"--{month:02d}"))
        if edge in ("底", "末"):
            last_day = calendar.monthrange(year, month)[1]
            return _PeriodDraft(start, end, "date", f"{year}-{month:02d}-{last_day:02d}", relative)
        return _PeriodDraft(start, end, "month", f"{year}-{month:02d}", relative)

    def _quarter(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        year, relative = self._year(match)
        quarter = 1 if match.group("first") else _small_number(match.group("q"))
        if match.group("edge"):
            month = quarter * 3
            if year is None:
                return _PeriodDraft(start, end, "date", None, _join_relative(relative, f"--{month:02d}-31"))
            last_day = calendar.monthrange(year, month)[1]
            return _PeriodDraft(start, end, "date", f"{year}-{month:02d}-{last_day:02d}", relative)
        if year is None:
            return _PeriodDraft(start, end, "quarter", None, _join_relative(relative, f"Q{quarter}"))
        return _PeriodDraft(start, end, "quarter", f"{year}-Q{quarter}", relative)

    def _first_quarters(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        return self._first_n_months(match, start, end, _small_number(match.group("n")) * 3)

    def _first_months(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        return self._first_n_months(match, start, end, _small_number(match.group("n")))

    def _first_n_months(self, match: re.Match[str], start: int, end: int, months: int) -> _PeriodDraft | None:
        if not 1 <= months <= 12:
            return None
        year, relative = self._year(match)
        if year is None:
            return _PeriodDraft(
                start, end, "month_range", None, _join_relative(relative, f"--01/--{months:02d}")
            )
        return _PeriodDraft(start, end, "month_range", f"{year}-01/{year}-{months:02d}", relative)

    def _half(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        year, relative = self._year(match)
        half = 1 if match.group("h") == "上" else 2
        if year is None:
            return _PeriodDraft(start, end, "half", None, _join_relative(relative, f"H{half}"))
        return _PeriodDraft(start, end, "half", f"{year}-H{half}", relative)

    def _calendar_year(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        year = _year_value(match.group("y"))
        edge = match.group("edge")
        if edge in ("底", "末"):
            return _PeriodDraft(start, end, "date", f"{year}-12-31")
        if edge == "初":
            return _PeriodDraft(start, end, "month", f"{year}-01")
        return _PeriodDraft(start, end, "year", str(year))

    def _ytd(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        return _PeriodDraft(start, end, "relative", None, "ytd", cumulative=True)

    def _to_date(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        return _PeriodDraft(start, end, "relative", None, "to_date", cumulative=True)

    def _now(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        # 目前 / 截至目前: a stock at the document's date.
        return _PeriodDraft(start, end, "date", None, "now", cumulative=True)

    def _year_edge(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        # 年末 / 年底 / 年初 of the year the passage is about.
        if match.group("edge") == "初":
            return _PeriodDraft(start, end, "year", None, "that_year")
        return _PeriodDraft(start, end, "date", None, "that_year:--12-31")

    def _recent_years(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        years = _small_number(match.group("n") or match.group("n2"))
        if not 1 <= years <= 50:
            return None
        period = None
        if self.default_year is not None:
            period = f"{self.default_year - years + 1}/{self.default_year}"
        return _PeriodDraft(start, end, "multi_year", period, f"last_{years}_years")

    def _five_year_plan(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        # The Nth five-year plan starts in 1966 + 5 (N - 3) for N >= 3 (the 14th: 2021-2025).
        plan = 10 + CN_DIGIT_VALUES[match.group("n")]
        first = 1966 + 5 * (plan - 3)
        return _PeriodDraft(start, end, "multi_year", f"{first}/{first + 4}")

    def _relative_year(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        word = match.group()
        edge = match.group("edge")
        base = word[: len(word) - (1 if edge else 0)]
        relative, offset = _RELATIVE_YEARS[base]
        year = None if self.default_year is None else self.default_year + offset
        if edge in ("底", "末"):
            period = None if year is None else f"{year}-12-31"
            return _PeriodDraft(start, end, "date", period, _join_relative(relative, "--12-31"))
        return _PeriodDraft(start, end, "year", None if year is None else str(year), relative)

    def _relative_month(self, match: re.Match[str], start: int, end: int) -> _PeriodDraft | None:
        relative = {"本月": "this_month", "当月": "this_month", "上月": "last_month", "上个月": "last_month",
                    "今天": "today", "今日": "today"}[match.group()]  # fmt: skip
        return _PeriodDraft(start, end, "date" if relative == "today" else "month", None, relative)

    def _with_markers(self, draft: _PeriodDraft) -> _PeriodDraft:
        norm = self.norm
        # 截至 / 截止 / 到 … end in one of these, right before the period or before a newline there
        # (``$`` matches before a final newline too); most periods have none of them before.
        before = norm[draft.start - 1] if draft.start else ""
        if before == "\n" and draft.start >= 2:
            before = norm[draft.start - 2]
        if before in _PREFIX_MARKER_ENDS:
            window = norm[max(0, draft.start - 3) : draft.start]
            cumulative = _CUMULATIVE_PREFIX_RE.search(window)
            if cumulative:
                draft.cumulative = True
                draft.start -= len(cumulative.group())
            else:
                deadline = _DEADLINE_PREFIX_RE.search(window)
                if deadline and draft.kind not in ("relative",):
                    draft.deadline = True
                    draft.start -= len(deadline.group())
        if draft.end >= len(norm) or norm[draft.end] not in _SUFFIX_MARKER_FIRST:
            return draft
        suffix = _DEADLINE_SUFFIX_RE.match(norm, draft.end)
        if suffix and draft.kind != "relative":
            draft.deadline = True
            draft.end = suffix.end()
        return draft

    def _mention(self, draft: _PeriodDraft) -> PeriodMention:
        return PeriodMention(
            start=draft.start,
            end=draft.end,
            text=self.text[draft.start : draft.end],
            period=draft.period,
            relative=draft.relative,
            cumulative=draft.cumulative,
            deadline=draft.deadline,
            kind=draft.kind,
        )


def _lines_with(norm: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where a pattern whose every match holds one of ``words`` needs searching: the lines that hold
    one, or the whole text when they are much of it (a search is cheap, a line costs a call).

    Searching line by line finds what a search of the whole text does: no period spans a line break,
    and at a line's edges the patterns' lookarounds (none of which accepts a newline) decide as they
    do next to the newline (``pos`` and ``endpos`` keep the characters around in view).
    """
    present = [word for word in words if word in norm]
    if not present:
        return []
    if len(norm) < _LINE_SEARCH_MIN:
        return [(0, len(norm))]
    lines: list[tuple[int, int]] = []
    covered = 0
    for word in present:
        position = norm.find(word)
        while position != -1:
            lo = norm.rfind("\n", 0, position) + 1
            hi = norm.find("\n", position)
            if hi == -1:
                hi = len(norm)
            lines.append((lo, hi))
            covered += hi - lo
            if covered > len(norm) // 2:
                return [(0, len(norm))]
            position = norm.find(word, hi)
    if len(present) > 1:
        lines = sorted(set(lines))
    return lines


_LINE_SEARCH_MIN = 256  # shorter texts are searched whole


def _join_relative(relative: str | None, partial: str) -> str:
    return partial if relative is None else f"{relative}:{partial}"


_CALENDAR_YEAR: Final = next(pattern for name, _, pattern in _PERIOD_PATTERNS if name == "calendar_year")


def may_state_calendar_year(text: str) -> bool:
    """False when ``find_periods(text)`` (no default year) surely reports no mention of kind "year"
    with a period: only a calendar year (2023年, 二〇二三年) gives one (a relative year has no period
    without a default year), so a text in which that pattern finds nothing has none. A search of one
    pattern, where :func:`find_periods` runs them all."""
    return "年" in text and _CALENDAR_YEAR.search(fold_width(text)) is not None


def find_periods(text: str, default_year: int | None = None) -> list[PeriodMention]:
    """All time expressions in ``text``, sorted by start and non-overlapping.

    ``default_year`` resolves expressions without a stated year (今年, 1—10月, 一季度, 前10个月).
    """
    return _PeriodReader(text, default_year).run()
