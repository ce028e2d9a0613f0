"""The verifier's view of one article: where a quote stands, and what the rules know about each figure.

The verifier reads the facts; it does not re-derive them. Status, period, qualifier, change and
indicator come from the rule engine (:mod:`summarizer.rules.facts`), which read the article with its
document's date; this module only arranges them for lookup by span and by value, and records how sure
the rules are of each (a status decided by a cue in the figure's own sentence is sure, one inherited
from a plan mentioned earlier in the paragraph is not).

Two kinds of weaker evidence stand beside the facts, so that a faithful number the rules did not
read as a figure is *unconfirmed*, never *contradicted*: class labels the fact engine leaves out on
purpose (千亿元级, 六大集群, 500强) and every other numeral of the article (近百, 百堂, 十四五, a table cell).
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from summarizer.rules.dates import parse_iso_date, resolve_period
from summarizer.rules.numerals import parse_number
from summarizer.rules.periods import PeriodMention, find_periods
from summarizer.rules.quantities import parse_quantity
from summarizer.text.textmap import MappedText, normalize
from summarizer.text.textmap import normalize_string as _normalize_string
from summarizer.verify.dates import SourceDates, source_dates
from summarizer.verify.english_numbers import class_words, content_words
from summarizer.vocab import PERCENT_LIKE_UNITS, Status

if TYPE_CHECKING:
    from summarizer.layout.segment import Segment
    from summarizer.rules.facts import Fact

__all__ = ["ArticleSource", "Evidence", "Located", "matching_form", "period_years"]

EvidenceKind = Literal["fact", "label", "numeral"]
_YEAR_IN_PERIOD = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_CJK_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_QUOTE_MARKS = "\"'《》〈〉「」"


@lru_cache(maxsize=16384)
def matching_form(text: str) -> str:
    """The ingest normalisation of a short string (quotes, names), cached: briefings repeat them."""
    return _normalize_string(text)


def period_years(period: str | None) -> set[int]:
    """The calendar years a period covers: 2021-01/2023-06 -> {2021, 2022, 2023}."""
    if not period:
        return set()
    years = [int(y) for y in _YEAR_IN_PERIOD.findall(period)]
    return set(range(min(years), max(years) + 1)) if years else set()


_PERIOD_END = re.compile(r"(\d{4})(?:-(?:Q([1-4])|H([12])|(\d{2})))?")


def period_end(period: str | None) -> date | None:
    """The last day a period covers (2022-Q1 -> 2022-03-31, 2021-01/2021-09 -> 2021-09-30, 2026 ->
    2026-12-31); None for a period not written in the schema's convention."""
    if not period:
        return None
    match = _PERIOD_END.fullmatch(period.rsplit("/", 1)[-1])
    if match is None:
        return None
    year, quarter, half, month = match.groups()
    last_month = 3 * int(quarter) if quarter else 6 * int(half) if half else int(month) if month else 12
    if not 1 <= last_month <= 12:
        return None
    return date(int(year), last_month, calendar.monthrange(int(year), last_month)[1])


_FIRST_MONTHS = re.compile(r"(?:^|:|\d{4}-)(?:--)?01/(?:--|\d{4}-)(\d{2})$")
_LAST_YEARS = re.compile(r"last_(\d+)_years")


def period_lengths(mention: PeriodMention) -> set[tuple[str, int]]:
    """The lengths a time expression gives, as (unit, count): 前10个月 (month, 10), 前三季度 (month, 9)
    and (quarter, 3), 上半年 (month, 6), 一季度 (quarter, 1), 近五年 (year, 5)."""
    lengths: set[tuple[str, int]] = set()
    for text in (mention.relative or "", mention.period or ""):
        first_months = _FIRST_MONTHS.search(text)
        if first_months:
            months = int(first_months.group(1))
            lengths.add(("month", months))
            if months % 3 == 0:
                lengths.add(("quarter", months // 3))
        if re.search(r"(?:^|:|-)H[12]$", text):
            lengths |= {("month", 6), ("quarter", 2)}
        if re.search(r"(?:^|:|-)Q[1-4]$", text):
            lengths |= {("quarter", 1), ("month", 3)}
        last_years = _LAST_YEARS.search(text)
        if last_years:
            lengths.add(("year", int(last_years.group(1))))
    if mention.kind == "multi_year" and mention.period and "/" in mention.period:
        years = sorted(period_years(mention.period))
        lengths.add(("year", years[-1] - years[0] + 1))
    return lengths


@dataclass(frozen=True, slots=True)
class Evidence:
    """A figure of the source (original-file spans) with what the rules know about it."""

    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    unit: str
    qualifier: str
    kind: EvidenceKind
    status: Status | None = None
    status_sure: bool = False
    status_scope: str | None = None
    period: str | None = None
    period_sure: bool = False
    period_scope: str | None = None
    change: str | None = None
    indicator_zh: str | None = None
    indicator_en: str | None = None
    spans: tuple[tuple[int, int], ...] = ()
    sentence: str = ""
    measure: str | None = None
    comparison: str | None = None  # the kind of comparison the source states (yoy, vs_previous_year …)

    @property
    def is_fact(self) -> bool:
        return self.kind == "fact"

    @property
    def marked_achieved(self) -> bool:
        """Actual by a word of its own sentence (已, 目前, 去年): an achievement the source marks as one."""
        return self.kind == "fact" and self.status == "actual" and self.status_scope == "sentence"

    def prose_value(self) -> float:
        """The value as English prose states it: magnitude, fractions and permille as percent."""
        if self.unit == "fraction":
            return abs(self.value) * 100
        if self.unit == "permille":
            return abs(self.value) / 10
        return abs(self.value)

    def prose_max(self) -> float:
        """The other end of a range, as English prose states it."""
        end = self.value_max if self.value_max is not None else self.value
        if self.unit == "fraction":
            return abs(end) * 100
        if self.unit == "permille":
            return abs(end) / 10
        return abs(end)

    def prose_unit(self) -> str:
        return "percent" if self.unit in PERCENT_LIKE_UNITS else self.unit

    def period_certain(self, claimed_years: set[int]) -> bool:
        """Whether the rules are sure of this figure's period against a claim of ``claimed_years``: stated
        in its own sentence (or its table), or inherited and the sentence names none of those years."""
        if not self.period_sure:
            return False
        if self.period_scope in ("sentence", "table"):
            return True
        return not any(str(year) in self.sentence for year in claimed_years)

    def within(self, start: int, end: int) -> bool:
        """Stated inside the original span [start, end) (at its own span or where it is restated)."""
        return any(start <= lo and hi <= end for lo, hi in self.spans)


@dataclass(frozen=True, slots=True)
class Located:
    """Where a quote stands: its original span, the pieces it is made of, and in which text it was found."""

    start: int
    end: int
    pieces: tuple[tuple[int, int], ...]
    where: Literal["body", "title", "article"]


def _fact_evidence(fact: Fact) -> Evidence:
    sure_status = fact.status_scope in ("sentence", "section") or (fact.status == "actual" and fact.status_scope is None)
    return Evidence(
        start=fact.start,
        end=fact.end,
        text=fact.text,
        value=float(fact.value) if fact.value is not None else 0.0,
        value_max=None if fact.value_max is None else float(fact.value_max),
        unit=fact.unit,
        qualifier=fact.qualifier,
        kind="fact",
        status=fact.status,
        status_sure=sure_status,
        status_scope=fact.status_scope,
        period=fact.period,
        period_sure=fact.period_scope is not None,
        period_scope=fact.period_scope,
        change=fact.change,
        indicator_zh=fact.indicator_zh,
        indicator_en=fact.indicator_en,
        spans=((fact.start, fact.end), *((int(a), int(b)) for a, b in fact.also_at)),
        sentence=fact.sentence,
        measure=fact.measure,
        comparison=fact.comparison.kind if fact.comparison is not None else None,
    )


def _dated_by_twins(facts: list[Fact]) -> list[Evidence]:
    """Evidence of ``facts``; a figure under a relative period the rules could not date (今年 in an
    undated pull-quote) takes the period of the figure it repeats: the same value, unit and status
    stated elsewhere with a period, when every such twin falls in the same years."""
    evidence = [_fact_evidence(fact) for fact in facts]
    dated: dict[tuple[str, str, str | None], set[tuple[str, bool, str | None]]] = {}
    for item in evidence:
        if item.period is not None:
            key = (value_key(item.value), item.unit, item.status)
            dated.setdefault(key, set()).add((item.period, item.period_sure, item.period_scope))
    for number, (fact, item) in enumerate(zip(facts, evidence, strict=True)):
        if item.period is None and fact.period_text:
            twins = dated.get((value_key(item.value), item.unit, item.status), set())
            if len({frozenset(period_years(period)) for period, _, _ in twins}) == 1:
                period, sure, scope = min(twins, key=lambda twin: (not twin[1], len(twin[0]), twin[0]))
                evidence[number] = replace(item, period=period, period_sure=sure, period_scope=scope)
    return evidence


# Class labels the fact engine leaves out on purpose: 千亿元级企业, 六大集群, 500强.
_LABEL_RE = re.compile(
    r"(?P<money>[0-9.]*[十百千万亿]+元)(?:级)?"
    r"|(?<![0-9一二两三四五六七八九十百千万亿第])(?P<big>[一二两三四五六七八九十]{1,3})大(?=[\u4e00-\u9fff])"
    r"|(?<![0-9.])(?P<top>[0-9]+)强"
)
_CN_RUN = "[零〇一二两三四五六七八九十百]+"
_ORDINAL_RE = re.compile(rf"第(\d+|{_CN_RUN})|(\d+|{_CN_RUN})届|({_CN_RUN})大|({_CN_RUN})中全会")
_NAME_SPANS = re.compile(r"《[^》\n]*》|“[^”\n]{0,20}”|\"[^\"\n]{0,20}\"|十[一二三四五六七八九]五")
_MEASURES = frozenset("个家项条场堂座所名人次台辆种批件部支只头户处艘架颗款株张份例宗栋枚根类列笔位")
# A place character on its own is its value: 百堂精品课, 千条线路, 万场活动.
_PLACE_VALUES = {"十": 10.0, "百": 100.0, "千": 1000.0, "万": 1e4, "亿": 1e8}
# Every other numeral: Arabic runs (with a scale) and runs of Chinese numeral characters.
# Digits glued to Latin letters are a name (5G, 3D, PFlops), not a numeral.
_NUMERAL_RE = re.compile(r"(?<![A-Za-z0-9.])\d+(?:\.\d+)?(?:[万亿]+)?(?![A-Za-z0-9])|[零一二两三四五六七八九十百千万亿]{1,8}")


@dataclass
class ArticleSource:
    """One article's text in matching form, its facts and everything derived once for the checks.

    Build it with :meth:`from_segment` (spans in original-file offsets) or :meth:`from_text` (spans in
    offsets of that text).
    """

    index: int
    title: str
    body: MappedText  # normalised repaired body, mapped to original offsets
    headline: MappedText | None
    article_text: MappedText | None  # the article's original text, set-aside passages blanked out
    evidence: list[Evidence]
    years: set[int]
    name_runs: set[str]
    lengths: set[tuple[str, int]] = field(default_factory=set)  # (month, 10) for 前10个月 …
    document_date: date | None = None
    original: str | None = None
    set_aside: list[tuple[int, int, str]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)
    _by_value: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _spans: list[tuple[int, int, int]] = field(default_factory=list, repr=False)  # (lo, hi, evidence number)
    _span_los: list[int] = field(default_factory=list, repr=False)
    _labelled: list[tuple[Evidence, frozenset[str]]] | None = field(default=None, repr=False)
    _labelled_by_word: dict[str, list[int]] | None = field(default=None, repr=False)
    _stripped: tuple[str, list[int]] | None = field(default=None, repr=False)
    _dates: SourceDates | None = field(default=None, repr=False)
    _deadline_years: set[int] | None = field(default=None, repr=False)
    _ordinals: set[int] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.evidence.sort(key=lambda item: (item.start, item.end))
        self._starts = [item.start for item in self.evidence]
        for number, item in enumerate(self.evidence):
            self._by_value.setdefault(value_key(item.prose_value()), []).append(number)
            if item.value_max is not None:  # a range states both its ends
                self._by_value.setdefault(value_key(item.prose_max()), []).append(number)
        # Every place a figure is stated (its own span and where it is restated), by where it starts.
        self._spans = sorted((lo, hi, number) for number, item in enumerate(self.evidence) for lo, hi in item.spans)
        self._span_los = [lo for lo, _, _ in self._spans]

    # -- construction ------------------------------------------------------------------------------

    @classmethod
    def from_segment(
        cls,
        segment: Segment,
        facts: Sequence[Fact] | None = None,
        original: str | None = None,
        document_date: date | str | None = None,
    ) -> ArticleSource:
        """The source of ``segment``; ``facts`` are that segment's rule-based facts (None: computed here)."""
        if facts is None:
            from summarizer.rules.facts import facts_for_segment

            facts = facts_for_segment(segment, reference=_as_date(document_date))
        original = original if original is not None else segment.document_text or None
        set_aside: list[tuple[int, int, str]] = [(item.start, item.end, item.kind) for item in segment.set_aside]
        article_text: MappedText | None = None
        if original is not None:
            raw = original[segment.start : segment.end]
            for start, end, _ in set_aside:  # what was set aside supports nothing
                lo, hi = start - segment.start, end - segment.start
                if 0 <= lo < hi <= len(raw):
                    raw = raw[:lo] + "\u3000" * (hi - lo) + raw[hi:]
            article_text = _shifted(normalize(raw), segment.start, len(original))
        reading = segment.reading
        headline = reading.slice(0, reading.text.index("\n")) if segment.title_lines and "\n" in reading.text else None
        return cls._build(
            segment.index, segment.title or "", segment.normalized, headline, article_text, list(facts),
            _as_date(document_date), original, set_aside,
        )  # fmt: skip

    @classmethod
    def from_text(cls, text: str, facts: Sequence[Fact] | None = None, title: str = "") -> ArticleSource:
        """The source of a plain article text (spans are offsets into ``text``)."""
        from summarizer.layout.segment import segment_document
        from summarizer.text.ingest import read_document

        if facts is None:
            from summarizer.rules.facts import extract_facts

            page = segment_document(read_document(text.encode("utf-8"), name="<text>"))
            facts = extract_facts(page).facts
        return cls._build(0, title, normalize(text), None, None, list(facts), None, text, [])

    @classmethod
    def _build(
        cls,
        index: int,
        title: str,
        body: MappedText,
        headline: MappedText | None,
        article_text: MappedText | None,
        facts: list[Fact],
        document_date: date | None,
        original: str | None,
        set_aside: list[tuple[int, int, str]],
    ) -> ArticleSource:
        evidence = _dated_by_twins([fact for fact in facts if fact.value is not None])
        texts = [body] + ([headline] if headline is not None else [])
        covered = [(lo, hi) for item in evidence for lo, hi in item.spans]
        for mapped in texts:
            evidence.extend(_labels_and_numerals(mapped, covered))
        whole = "\n".join(mapped.text for mapped in texts)
        stated = {int(y) for y in _CJK_YEAR.findall(whole)}
        years = set(stated)
        # A relative year (上年, 去年, 今年) counts from the document's date, or from a year the text
        # reports on (上年 in a 2012 bulletin is 2011): every year it may name is a year of the article.
        anchors = [document_date] + [date(year, 12, 31) for year in stated if 1900 < year < 2100]
        lengths: set[tuple[str, int]] = set()
        for mention in find_periods(whole):
            lengths |= period_lengths(mention)
            years |= period_years(mention.period)
            for anchor in anchors:
                years |= period_years(resolve_period(mention, anchor, ahead_allowed=True))
        for item in evidence:
            years |= period_years(item.period)
        if document_date is not None:
            years.add(document_date.year)
        name_runs = set(re.findall(r"\d+", whole))
        if article_text is not None:
            name_runs |= set(re.findall(r"\d+", article_text.text))
            years |= {int(y) for y in _CJK_YEAR.findall(article_text.text)}
            for mention in find_periods(article_text.text):
                lengths |= period_lengths(mention)
        return cls(
            index=index,
            title=title,
            body=body,
            headline=headline,
            article_text=article_text,
            evidence=evidence,
            years=years,
            name_runs=name_runs,
            lengths=lengths,
            document_date=document_date,
            original=original,
            set_aside=set_aside,
        )

    # -- lookups ----------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.body.text

    def locate(self, quote: str) -> Located | None:
        """Where ``quote`` stands in the article: its repaired body, its headline, or else anywhere in
        its original text (a pull-quote is source text too). Set-aside passages support nothing."""
        needle = matching_form(quote).strip()
        if not needle:
            return None
        for mapped, where in ((self.body, "body"), (self.headline, "title"), (self.article_text, "article")):
            if mapped is None:
                continue
            position = mapped.text.find(needle)
            if position >= 0:
                start, end = mapped.to_original(position, position + len(needle))
                pieces = tuple(mapped.original_pieces(position, position + len(needle)))
                return Located(start, end, pieces, where)  # type: ignore[arg-type]
        return self._locate_ignoring_quotes(needle)

    def _locate_ignoring_quotes(self, needle: str) -> Located | None:
        """Names are written with or without quotation marks (专精特新“小巨人” / 专精特新小巨人)."""
        bare = re.sub(f"[{re.escape(_QUOTE_MARKS)}]", "", needle)
        if not bare:
            return None
        if self._stripped is None:
            kept = [i for i, char in enumerate(self.text) if char not in _QUOTE_MARKS]
            self._stripped = ("".join(self.text[i] for i in kept), kept)
        stripped, kept = self._stripped
        position = stripped.find(bare)
        if position < 0:
            return None
        start, end = kept[position], kept[position + len(bare) - 1] + 1
        original_start, original_end = self.body.to_original(start, end)
        return Located(original_start, original_end, tuple(self.body.original_pieces(start, end)), "body")

    def contains_ignoring_space(self, text: str) -> bool:
        """Whether ``text`` occurs in the article once all whitespace is ignored on both sides (a byline
        printed over two lines)."""
        needle = "".join(matching_form(text).split())
        if not needle:
            return False
        haystack = self.article_text.text if self.article_text is not None else self.text
        return needle in "".join(haystack.split())

    def occurrences(self, quote: str) -> list[tuple[int, int]]:
        """Original spans of every occurrence of ``quote`` in the body, the headline and the article's
        original text (a figure of the headline is its own occurrence)."""
        needle = matching_form(quote).strip()
        found: list[tuple[int, int]] = []
        for mapped in (self.body, self.headline, self.article_text):
            if mapped is not None and needle:
                found += [mapped.to_original(start, end) for start, end in mapped.find_all(needle)]
        return list(dict.fromkeys(found))

    def evidence_within(self, start: int, end: int) -> list[Evidence]:
        """Figures stated inside the original span [start, end): facts first, then labels and numerals."""
        numbers = set()
        for position in range(bisect_left(self._span_los, start), len(self._spans)):
            lo, hi, number = self._spans[position]
            if lo > end:
                break
            # As ``item.within`` over the figures that start before ``end``, without scanning them all.
            if hi <= end and self._starts[number] < end:
                numbers.add(number)
        found = [self.evidence[number] for number in sorted(numbers)]
        found.sort(key=lambda item: (item.kind != "fact", item.start))
        return found

    def with_value(self, value: float, reach: float = 0.0) -> list[Evidence]:
        """Figures whose prose value (either end of a range) is within ``reach`` of ``value`` (exact when 0)."""
        if reach == 0.0:
            return [self.evidence[n] for n in dict.fromkeys(self._by_value.get(value_key(value), []))]
        return [
            item
            for item in self.evidence
            if abs(item.prose_value() - value) <= reach or abs(item.prose_max() - value) <= reach
        ]

    def facts(self) -> list[Evidence]:
        return [item for item in self.evidence if item.is_fact]

    def labelled_facts(self) -> list[tuple[Evidence, frozenset[str]]]:
        """The facts with an English label, each with its label's content and class words (made once)."""
        if self._labelled is None:
            self._labelled = [
                (item, content_words(item.indicator_en) | class_words(item.indicator_en))
                for item in self.evidence
                if item.is_fact and item.indicator_en
            ]
        return self._labelled

    def labelled_facts_sharing(self, words: frozenset[str]) -> list[tuple[Evidence, frozenset[str]]]:
        """The labelled facts (in the order of :meth:`labelled_facts`) whose label words share one of ``words``."""
        labelled = self.labelled_facts()
        index = self._labelled_by_word
        if index is None:
            # Built whole before it is published: the parts of one segment are checked in threads.
            index = {}
            for position, (_, label_words) in enumerate(labelled):
                for word in label_words:
                    index.setdefault(word, []).append(position)
            self._labelled_by_word = index
        sharing = {position for word in words for position in index.get(word, ())}
        return [labelled[position] for position in sorted(sharing)]

    def quote_figures(self, quote: str, located: Located) -> list[Evidence]:
        """The figures of a quote found only in the article's original text (a pull-quote repeats the
        body): read from the quote, with what the rules know of the same figure in the body."""
        from summarizer.rules.quantities import find_quantities

        found: list[Evidence] = []
        for quantity in find_quantities(matching_form(quote).strip()):
            if quantity.value is None:
                continue
            twin = next(
                (e for e in self.facts() if abs(abs(e.value) - abs(quantity.value)) <= 1e-9 * max(1.0, abs(e.value)) and e.unit == quantity.unit),
                None,
            )
            if twin is not None:
                found.append(replace(twin, start=located.start, end=located.end, spans=((located.start, located.end),)))
            else:
                found.append(
                    Evidence(located.start, located.end, quantity.text, float(quantity.value), quantity.value_max,
                             quantity.unit, quantity.qualifier, "label", spans=((located.start, located.end),))
                )  # fmt: skip
        return found

    def dates(self) -> SourceDates:
        """The days, spans of days and clock times the article gives (:mod:`summarizer.verify.dates`)."""
        if self._dates is None:
            texts = [self.text] + ([self.headline.text] if self.headline is not None else [])
            if self.article_text is not None:
                texts.append(self.article_text.text)
            self._dates = source_dates("\n".join(texts), self.document_date)
        return self._dates

    def deadline_years(self) -> set[int]:
        """Years the article gives as a deadline or a year's end: 到2025年, 力争到今年底, 截至2025年底,
        2024年年底 (resolved with the document's date)."""
        if self._deadline_years is None:
            texts = [self.text] + ([self.headline.text] if self.headline is not None else [])
            if self.article_text is not None:
                texts.append(self.article_text.text)
            years: set[int] = set()
            for mention in find_periods("\n".join(texts)):
                period = resolve_period(mention, self.document_date, ahead_allowed=True) if self.document_date else mention.period
                if period is None:
                    continue
                if mention.deadline or mention.cumulative or re.search(r"-12(?:-31)?$", period):
                    years |= period_years(period)
            self._deadline_years = years
        return self._deadline_years

    def ordinals(self) -> set[int]:
        """The numbers the article gives sessions, events and batches: 第七届, 第3批, 19届, 十八大, 三中全会."""
        if self._ordinals is None:
            texts = [self.text] + ([self.headline.text] if self.headline is not None else [])
            if self.article_text is not None:
                texts.append(self.article_text.text)
            found: set[int] = set()
            for match in _ORDINAL_RE.finditer("\n".join(texts)):
                run = next(group for group in match.groups() if group)
                value = int(run) if run.isdigit() else parse_number(run)
                if value is not None and value == int(value):
                    found.add(int(value))
            self._ordinals = found
        return self._ordinals

    def paragraph_of(self, position: int) -> tuple[int, int]:
        """The original span of the line (paragraph) that holds ``position``."""
        if self.original is None:
            return 0, 0
        start = self.original.rfind("\n", 0, position) + 1
        end = self.original.find("\n", position)
        return start, len(self.original) if end < 0 else end

    def in_set_aside(self, start: int, end: int) -> str | None:
        """The kind of set-aside passage that holds [start, end), if any."""
        for lo, hi, kind in self.set_aside:
            if lo <= start and end <= hi:
                return kind
        return None


def value_key(value: float) -> str:
    return f"{abs(value):.9g}"


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return parse_iso_date(value)


def _shifted(mapped: MappedText, offset: int, original_length: int) -> MappedText:
    """``mapped`` (made from a slice of the original starting at ``offset``) mapped to the whole original."""
    from summarizer.text.textmap import Piece

    pieces = [Piece(p.start, p.length, p.orig_start + offset, p.orig_length) for p in mapped.pieces]
    return MappedText(mapped.text, pieces, original_length)


def _labels_and_numerals(mapped: MappedText, covered: list[tuple[int, int]]) -> list[Evidence]:
    """Class labels and bare numerals of ``mapped`` that no fact already covers."""
    found: list[Evidence] = []
    taken = sorted(covered)
    starts = [lo for lo, _ in taken]

    def free(start: int, end: int) -> bool:
        index = bisect_right(starts, end)
        return not any(lo < end and start < hi for lo, hi in taken[max(0, index - 8) : index])

    text = mapped.text
    for match in _LABEL_RE.finditer(text):
        group = match.lastgroup or ""
        lo, hi = match.span(group)
        start, end = mapped.to_original(lo, hi)
        if not free(start, end):
            continue
        piece = match.group(group)
        if group == "money":
            quantity = parse_quantity(piece)
            if quantity is None or quantity.value is None:
                continue
            value, unit = float(quantity.value), quantity.unit
        else:
            number = parse_number(piece)
            if number is None:
                continue
            value, unit = float(number), "count" if group == "big" else "number"
        found.append(Evidence(start, end, match.group(), value, None, unit, "exact", "label", spans=((start, end),)))
    periods = [(m.start, m.end) for m in find_periods(text)]
    names = [m.span() for m in _NAME_SPANS.finditer(text)]
    for match in _NUMERAL_RE.finditer(text):
        lo, hi = match.span()
        if any(a < hi and lo < b for a, b in periods) or any(a <= lo and hi <= b for a, b in names):
            continue  # a date, a five-year plan, a quoted name: not a figure of any kind
        start, end = mapped.to_original(lo, hi)
        if not free(start, end):
            continue
        place = _PLACE_VALUES.get(match.group())
        if place is not None and text[hi : hi + 1] not in _MEASURES:
            continue  # 万企, 千方百计: a place character counts only what a measure word follows
        number = place or parse_number(match.group())
        if number is None:
            continue
        found.append(
            Evidence(start, end, match.group(), float(number), None, "number", "exact", "numeral", spans=((start, end),))
        )
    return found
