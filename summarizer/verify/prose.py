"""Numbers in English prose: every number in every text field must be a figure of its article.

Each number is read with :mod:`summarizer.verify.english_numbers` ("1.7 trillion yuan", "CNY 25bn",
"up 0.3 percentage points", "eighth in the country") and looked up among the article's figures by
value, in any scale, then held to the figure it reads:

* the **value** equals the figure, or the English marks it as approximate and rounds it faithfully;
  a number that is nowhere in the article is contradicted, one that the rules only saw as a bare
  numeral (近百, 百堂) is unconfirmed;
* the **unit** agrees (percent is not percentage points); the **qualifier** is the source's own bound;
* the **period**: a year must be a year of the article or of its date; a figure stated for another
  year than the sentence gives is contradicted when the rules know the figure's period for sure;
* the **hedge**: a figure the source states only as a target or an estimate needs "aims", "plans",
  "expected" … in its sentence;
* the **indicator**: the words around the number must not describe another figure of the source
  better than the one it equals ("software revenue grew 17.9%" when 17.9% is tax revenue), judged
  with the facts' English labels and with the briefing's own metrics.

Programme and organisation names are blanked out before numbers are looked for (their digits are
names), but only the names themselves: the hedge words around them stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from summarizer.briefing.models import Metric, Problem, Span
from summarizer.verify.binding import describe, ranges, without_digit_commas
from summarizer.verify.compare import (
    MARKED_UNITS,
    UNIT_WORDS,
    approximation_problem,
    fmt,
    in_english,
    in_english_value,
    money_units,
    power_of_ten,
    prose_qualifier_ok,
    prose_unit_of,
    prose_units,
    rounds_within,
    same_value,
    scale_hint,
    source_figure,
)
from summarizer.verify.context import CheckContext, short
from summarizer.verify.dates import parse_english_date, source_dates, valid_day
from summarizer.verify.english_numbers import (
    APPROXIMATE,
    EnglishNumber,
    content_words,
    find_english_numbers,
    hedge_positions,
    is_hedged,
    may_contain_number,
    nearest_years,
    sentences,
)
from summarizer.verify.source import Evidence, matching_form, period_years
from summarizer.vocab import COUNT_UNITS

__all__ = ["check_name_digits", "check_prose"]

# Units English always marks that no count the source states with a measure word can be (3家 is not
# "3 percentage points" nor "third").
_NEVER_A_COUNT = frozenset({"percent", "percentage_point", "permille", "basis_point", "rank"})
# What a bare number before a noun ("fifty ministries", "16.352 million tourist visits") can count: things,
# visits, containers. Never minutes, kilometres or yuan, which English names with the number.
_COUNTED_UNITS = COUNT_UNITS | {"person_time", "TEU"}
# The noun a bare number counts: a lower-case word after it that is no function word, unit or verb.
_COUNTED_NOUN = re.compile(
    r"\s+(?!(?:of|to|and|or|nor|in|on|at|by|for|from|with|than|per|a|an|the|is|are|was|were|be|been|has|have|"
    r"had|will|would|can|could|more|less|fewer|over|under|up|down|each|times|percent|cent|as|into|out|"
    r"this|that|these|those|its|their|it|they|which|who|while|but|so|if|then|year|years|month|months|day|days|"
    r"week|weeks|hour|hours|minute|minutes|second|seconds|degrees?|point|points|without|within|after|before|"
    r"since|until|among|between|through|via|against|across|about|around|below|above|near|beyond|behind|except|"
    r"like|unlike|despite|during|toward|towards|upon|not|yet|also|only|all|both|such|respectively|apiece)\b)[a-z][a-z'-]*\b"
)
# The measure words that count what an English noun names, for nouns whose measure word tells them
# apart: "18 reserve depots" is no 18批次, "29 batches" no 29座. Measures outside every row (个, 项, 家
# …) count anything and are never held against a noun.
_NOUN_MEASURES: dict[str, frozenset[str]] = {
    noun: frozenset(measures.split())
    for nouns, measures in (
        ("batch batches consignment consignments", "批 批次"),
        ("depot depots warehouse warehouses bridge bridges tunnel tunnels dam dams tower towers reservoir "
         "reservoirs building buildings", "座 个 处 栋 幢 条 所"),
        ("ship ships vessel vessels boat boats", "艘 条 个"),
        ("vehicle vehicles car cars bus buses truck trucks", "辆 台 部"),
        ("household households", "户 家 个"),
        ("aircraft plane planes flight flights sortie sorties", "架 架次 班 班次 个"),
    )
    for noun in nouns.split()
}  # fmt: skip
_TELLING_MEASURES = frozenset().union(*_NOUN_MEASURES.values()) - {"个"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def _noun_measures(sentence: str, number: EnglishNumber) -> frozenset[str] | None:
    """The measure words that may count the noun a bare number counts ("18 national reserve depots"):
    the first noun of the table among the four words after it."""
    for word in _WORD.findall(sentence, number.end, number.end + 40)[:4]:
        measures = _NOUN_MEASURES.get(word.lower())
        if measures is not None:
            return measures
    return None


# Words after a number that state it as a change on a year earlier.
_YEAR_ON_YEAR = re.compile(
    r"\s*(?:percent\s+|per cent\s+)?(?:year[- ]on[- ]year|from a year (?:earlier|ago|before)|on a year earlier"
    r"|over the same period (?:of )?(?:last|the previous) year)\b",
    re.IGNORECASE,
)
_CHANGE_INDICATOR = re.compile("增|涨|降|减|速|幅|比|升|跌")


def _is_change(item: Evidence) -> bool:
    """Whether the source states ``item`` as a change (增长5%, 同比上升, 增速, 降幅), not as a level."""
    return bool(item.change or item.comparison or _CHANGE_INDICATOR.search(item.indicator_zh or "")) or (
        item.unit == "percentage_point"
    )


_QUALIFIER_WORDS = {"exact": "no qualifier", "more_than": "more than", "nearly": "nearly", "about": "about",
                    "less_than": "less than"}  # fmt: skip


def _names_to_mask(context: CheckContext) -> list[str]:
    if context.names_with_digits is None:
        context.names_with_digits = _names_with_digits(context)
    return context.names_with_digits


def _names_with_digits(context: CheckContext) -> list[str]:
    names: list[str] = []
    for name in [p.name_en for p in context.article.programmes] + [o.name_en for o in context.article.organisations]:
        names.append(name)
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
        if bare and bare != name:
            names.append(bare)
        names.extend(re.findall(r"\"([^\"]+)\"", name))
    return sorted({n for n in names if n and re.search(r"\d", n)}, key=len, reverse=True)


def _mask(context: CheckContext, text: str) -> str:
    """``text`` with the programme and organisation names that hold digits blanked out."""
    lower = text.lower()
    for name in _names_to_mask(context):
        needle = name.lower()
        position = lower.find(needle)
        while position >= 0:
            text = text[:position] + "N" * len(name) + text[position + len(name) :]
            lower = lower[:position] + "n" * len(name) + lower[position + len(name) :]
            position = lower.find(needle, position + len(name))
    return text


def check_prose(
    context: CheckContext,
    pointer: str,
    text: str,
    hedged: bool = False,
    pool: list[Evidence] | None = None,
    years: set[int] | None = None,
    disputes: bool = False,
) -> None:
    """Check every number of an English text.

    ``hedged``: the field states goals by definition (a target's description). ``pool``: the figures the
    text may draw on (default: the whole article). ``years``: the years the item the text describes is
    about. ``disputes``: the text points out an error of the source (a caveat of kind source_error or
    internal_inconsistency), so a number the source does not state is unconfirmed, not contradicted.
    """
    if not may_contain_number(text):
        return
    masked = _mask(context, text)
    subject = context.subjects.get(pointer, "")
    for sentence_start, sentence in sentences(masked):
        numbers = find_english_numbers(sentence)
        year_mentions = [n for n in numbers if n.kind == "year"]
        hedges = () if hedged else hedge_positions(sentence)
        described: dict[int, frozenset[str]] | None = None
        read: dict[int, list[Evidence]] = {}  # the figures each verified number reads
        for index, number in enumerate(numbers):
            claim = text[sentence_start + number.start : sentence_start + number.end]
            if number.kind == "year" and not number.base and _bound_year(context, pointer, claim, number, sentence, hedged or bool(hedges)):
                continue
            if number.kind == "year" and years and int(number.value) not in years and not number.base:
                context.contradicted(
                    pointer, claim, "wrong_period",
                    f"{pointer.lstrip('/')}: {claim} is not a year the article gives for what this text describes "
                    f"({', '.join(map(str, sorted(years)))})",
                )  # fmt: skip
                continue
            if number.kind == "date":
                _check_date(context, pointer, claim, number, sentence[number.end :])
                continue
            before = len(context.results)
            has_hedge = hedged or is_hedged(sentence, number, hedges)
            counted = number.kind == "quantity" and number.unit == "plain" and bool(_COUNTED_NOUN.match(sentence, number.end))
            year_on_year = number.kind == "quantity" and bool(_YEAR_ON_YEAR.match(sentence, number.end))
            measures = _noun_measures(sentence, number) if counted else None
            figures = _check_number(
                context, pointer, claim, number, nearest_years(number, year_mentions, numbers, sentence), has_hedge, pool,
                disputes, counted, year_on_year, measures,
            )  # fmt: skip
            if figures is not None:
                read[index] = figures
            # A number the source contradicts is wrong already; one matched (or only weakly matched: a bare
            # numeral, a target stated as a fact) is held to what its words describe.
            failed = any(not r.ok for r in context.results[before:])
            if number.kind == "quantity" and not failed and not pointer.endswith("/indicator_en"):
                checked = len(context.results)
                if described is None:
                    described = describe(sentence, numbers)
                if index in described:
                    _check_against_metrics(context, pointer, claim, number, described[index] | content_words(subject))
                if len(context.results) > checked:
                    del context.results[before:checked]  # one verdict per number: the binding's
        _check_days_of_paragraph(context, pointer, text, sentence_start, sentence, numbers, read)
        for index, number in enumerate(numbers):
            if number.kind == "year" and number.base:
                claim = text[sentence_start + number.start : sentence_start + number.end]
                _check_base_year(context, pointer, claim, sentence, numbers, index, read, pool)
            elif number.kind == "ordinal":
                claim = text[sentence_start + number.start : sentence_start + number.end]
                _check_ordinal(context, pointer, claim, number, sentence[number.end :])
        _check_structure(context, pointer, text[sentence_start : sentence_start + len(sentence)], sentence, numbers, read)


def _check_number(
    context: CheckContext,
    pointer: str,
    claim: str,
    number: EnglishNumber,
    sentence_years: set[int],
    has_hedge: bool,
    pool: list[Evidence] | None,
    disputes: bool,
    counted: bool = False,
    year_on_year: bool = False,
    measures: frozenset[str] | None = None,
) -> list[Evidence] | None:
    """``counted``: the number is bare and a noun follows it ("fifty ministries"): it counts things.
    ``year_on_year``: the words state it as a change on a year earlier ("up 67.9% year on year").
    ``measures``: the measure words that may count the noun it counts ("depots": 座, 个 …)."""
    where = pointer.lstrip("/")
    if number.kind in ("date", "ordinal"):
        return None
    if number.kind == "year":
        year = int(number.value)
        if year in context.source.years:
            context.verified(pointer, claim, f"{where}: {year} is a year of the article")
        else:
            context.contradicted(
                pointer,
                claim,
                "wrong_period",
                f"{where}: the year {year} is not in the article nor given by its date "
                f"({', '.join(map(str, sorted(context.source.years))) or 'no years'})",
            )
        return None
    if number.kind == "name":
        _check_name(context, pointer, where, claim, number)
        return None
    if number.kind == "duration":
        _check_duration(context, pointer, where, claim, number)
        return None
    if number.kind == "size":
        _check_size(context, pointer, where, claim, number)
        return None
    return _check_quantity(
        context, pointer, where, claim, number, sentence_years, has_hedge, pool, disputes, counted, year_on_year, measures
    )


def _check_date(context: CheckContext, pointer: str, claim: str, number: EnglishNumber, following: str) -> None:
    """A day, a span of days or a clock time must be one the article gives (:mod:`.dates`)."""
    parsed = parse_english_date(number.text, following)
    if parsed is None:
        return
    where = pointer.lstrip("/")
    dates = context.source.dates()
    if parsed.clock is not None:
        hour, minute = parsed.clock
        if hour > 24 or minute > 59 or len(number.text.split(":")[1]) != 2:
            context.contradicted(pointer, claim, "wrong_value", f"{where}: '{claim}' is not a time of day")
        elif parsed.clock in dates.clocks:
            context.verified(pointer, claim, f"{where}: '{claim}' is a time the article gives")
        else:
            context.contradicted(
                pointer, claim, "unsupported_number",
                f"{where}: '{claim}' is not a time the article gives (it writes times as 8时, 8点30分 or 08:00)",
            )  # fmt: skip
        return
    invalid = [(m, d) for m, d in parsed.days if not valid_day(m, d)]
    if invalid:
        context.contradicted(pointer, claim, "wrong_value", f"{where}: '{claim}' is not a day of the calendar")
        return
    missing = [(m, d) for m, d in parsed.days if not dates.has_day(m, d)]
    if missing:
        verdict = context.unconfirmed if dates.vague else context.contradicted
        verdict(
            pointer, claim, "wrong_period",
            f"{where}: {', '.join(f'{m}月{d}日' for m, d in missing)} is not a day the article gives, nor one its "
            "date names (今天, 昨天, 明天); state the day the source states",
        )  # fmt: skip
        return
    if parsed.year is not None:
        for month, day in parsed.days:
            years = dates.years_of(month, day)
            if None not in years and parsed.year not in years:
                context.contradicted(
                    pointer, claim, "wrong_period",
                    f"{where}: the article gives {month}月{day}日 in {', '.join(map(str, sorted(y for y in years if y)))}, "
                    f"not in {parsed.year}",
                )  # fmt: skip
                return
    if parsed.span:
        first, last = parsed.days
        if first > last:
            context.contradicted(pointer, claim, "wrong_value", f"{where}: '{claim}' runs backwards: a span of days runs from the earlier day")
            return
        stated = [span for span in dates.spans if span[0] == first or span[1] == last]
        if stated and (first, last) not in dates.spans:
            (m1, d1), (m2, d2) = stated[0]
            context.contradicted(
                pointer, claim, "wrong_period",
                f"{where}: '{claim}' but the article gives the span {m1}月{d1}日 to {m2}月{d2}日",
            )  # fmt: skip
            return
    context.verified(pointer, claim, f"{where}: '{claim}' is a day the article gives")


def _check_days_of_paragraph(
    context: CheckContext,
    pointer: str,
    text: str,
    sentence_start: int,
    sentence: str,
    numbers: list[EnglishNumber],
    read: dict[int, list[Evidence]],
) -> None:
    """A day told with figures is the day of the passage that states them: in a page of briefs
    ("the expressway, 48 km long, opened on 8 August, a 50-minute drive"), when every figure the
    sentence reads comes from one paragraph that gives a day, the sentence's days must be that
    paragraph's (今天 and 昨天 resolved with the article's date)."""
    original = context.source.original
    if original is None or not read or sum(n.kind == "date" for n in numbers) != 1:
        return  # two days in a sentence ("said on 19 January that, as of 31 December, …") bind apart
    shared: set[tuple[int, int]] | None = None
    for figures in read.values():
        paragraphs = {context.source.paragraph_of(e.start) for e in figures if e.is_fact}
        if not paragraphs:
            return
        shared = paragraphs if shared is None else shared & paragraphs
    if not shared:
        return
    # The passages that hold every figure of the sentence and give a day (a headline line repeating a
    # figure gives none).
    dated = [
        (start, end, days)
        for start, end in sorted(shared)
        if (days := source_dates(matching_form(original[start:end]), context.source.document_date, with_date=False)).days
    ]
    if not dated:
        return
    where = pointer.lstrip("/")
    for number in numbers:
        if number.kind != "date":
            continue
        parsed = parse_english_date(number.text, sentence[number.end :])
        if parsed is None or parsed.clock is not None:
            continue
        if all(any(days.has_day(m, d) for _, _, days in dated) for m, d in parsed.days):
            continue
        claim = text[sentence_start + number.start : sentence_start + number.end]
        start, end, days = dated[0]
        stated = ", ".join(f"{m}月{d}日" for _, m, d in sorted(days.days, key=lambda day: day[1:]))
        context.contradicted(
            pointer, claim, "wrong_period",
            f"{where}: '{claim}' but the passage whose figures this sentence gives is dated {stated}",
            Span(start=start, end=end),
        )  # fmt: skip


_CLAUSE_BREAK = re.compile(r"[,;:()]|\b(?:and|while|but|whereas)\b")
_DEADLINE_BEFORE = re.compile(r"\b(?:by|before|until|till)\s+(?:the\s+)?(?:(?:end|close)\s+of\s+|end-)?$", re.I)
_PLAN_AFTER = re.compile(r"^\s*(?:plans?|targets?|tasks|goals?|objectives?|work plan)\b", re.IGNORECASE)
_RESULT_AFTER = re.compile(r"^\s*(?:results?|achievements?|review|performance|outcomes?)\b", re.IGNORECASE)
_WRITTEN_YEAR = re.compile(r"((?:19|20)\d{2})年")


def _bound_year(
    context: CheckContext, pointer: str, claim: str, number: EnglishNumber, sentence: str, goal: bool
) -> bool:
    """A year the words bind to what the rules know the years of; True when it was checked so:

    * "the 2024 plans", "the 2023 results": the years of the article's goals (targets and estimates the
      rules are sure of) or of its achieved figures;
    * a goal "by the end of 2026", "by 2025" (``goal``: the sentence states goals): the years the article
      gives as deadlines, a year's end or the period of a goal;
    * a year in the headline must be a year the source's headline writes, when it writes any.
    """
    where = pointer.lstrip("/")
    year = int(number.value)
    following = sentence[number.end :]
    for pattern, statuses, what in ((_PLAN_AFTER, {"target", "estimate"}, "goals"), (_RESULT_AFTER, {"actual"}, "results")):
        if pattern.match(following):
            known: set[int] = set()
            for item in context.source.facts():
                if item.status in statuses and item.status_sure and item.period_sure:
                    known |= period_years(item.period)
            if not known:
                continue
            if year in known:
                context.verified(pointer, claim, f"{where}: {year} is a year of the article's {what}")
            else:
                context.contradicted(
                    pointer, claim, "wrong_period",
                    f"{where}: the article's {what} are for {', '.join(map(str, sorted(known)))}, not {year}",
                )  # fmt: skip
            return True
    if goal and _DEADLINE_BEFORE.search(sentence[max(0, number.start - 30) : number.start]):
        deadlines = set(context.source.deadline_years())
        for item in context.source.facts():
            if item.status in ("target", "estimate") and item.period_sure:
                deadlines |= period_years(item.period)
        if deadlines and year not in deadlines:
            context.contradicted(
                pointer, claim, "wrong_period",
                f"{where}: the article's deadlines and year-ends are {', '.join(map(str, sorted(deadlines)))}, not {year}",
            )  # fmt: skip
            return True
    if pointer == "/headline_en":
        title = context.source.headline.text if context.source.headline is not None else context.source.title
        written = {int(y) for y in _WRITTEN_YEAR.findall(title)}
        if written and year not in written:
            context.contradicted(
                pointer, claim, "wrong_period",
                f"{where}: the source's headline is about {', '.join(map(str, sorted(written)))}, not {year}",
            )  # fmt: skip
            return True
    return False


def _check_ordinal(context: CheckContext, pointer: str, claim: str, number: EnglishNumber, following: str) -> None:
    """"the seventh Silk Road International Exposition" is 第七届: the number of a named session, event or
    batch (an ordinal before a name) must be one the article gives (第N, N届, 十八大, 三中全会)."""
    if number.value < 2 or not re.match(r"\s+[A-Z]", following):
        return  # "the first …", "the seventh consecutive year": not the number of a named event
    ordinals = context.source.ordinals()
    where = pointer.lstrip("/")
    if int(number.value) in ordinals:
        context.verified(pointer, claim, f"{where}: '{claim}' is a number the article gives (第{int(number.value)})")
    elif ordinals:
        context.contradicted(
            pointer, claim, "wrong_value",
            f"{where}: '{claim}' but the article numbers its sessions and events {', '.join(map(str, sorted(ordinals)))}",
        )  # fmt: skip


_FROM_BEFORE = re.compile(r"\bfrom\s+(?:about\s+|around\s+|nearly\s+|more than\s+)?$", re.IGNORECASE)
_TO_BETWEEN = re.compile(r"\s+(?:in\s+[A-Za-z]+(?:\s+\d{4})?\s+|in\s+\d{4}\s+)?to\s+(?:about\s+|around\s+|nearly\s+)?")
_LABEL_BEFORE = re.compile(r"\b(?:level|grade|class|tier|phase|stage|category|no\.|number|line|route|batch)\s+$", re.I)
_DOWN_VERBS = re.compile(
    r"\b(?:cut|cuts|cutting|reduc\w*|shorten\w*|lower\w*|decreas\w*|fell|fall\w*|drop\w*|declin\w*|shrank|"
    r"shrink\w*|slow\w*|down)\b",
    re.IGNORECASE,
)
_UP_VERBS = re.compile(
    r"\b(?:rais\w*|rose|rise|rises|rising|increas\w*|grew|grow\w*|expand\w*|climb\w*|up|boost\w*|lift\w*|"
    r"doubl\w*|tripl\w*|jump\w*|surg\w*)\b",
    re.IGNORECASE,
)


def _change_direction(sentence: str, old: EnglishNumber, new: EnglishNumber) -> str | None:
    """"up" or "down" when ``old`` and ``new`` are the two ends of a change "from A to B" of one unit
    whose clause has a verb of one direction only; None otherwise (levels, labels, two verbs)."""
    if old.unit != new.unit:
        return None
    if not _FROM_BEFORE.search(sentence, 0, old.start) or not _TO_BETWEEN.fullmatch(sentence, old.end, new.start):
        return None
    if _LABEL_BEFORE.search(sentence, 0, old.start) or _LABEL_BEFORE.search(sentence, 0, new.start):
        return None
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, old.start)), default=0)
    clause = sentence[clause_start : old.start]
    down, up = bool(_DOWN_VERBS.search(clause)), bool(_UP_VERBS.search(clause))
    if down == up:
        return None
    return "down" if down else "up"


_OF_WHICH = re.compile(r",\s*(?:of which|including)\s+$", re.IGNORECASE)
_OF_THE = re.compile(r"^\s*of(?:\s+the)?\s*$", re.IGNORECASE)


def _check_structure(
    context: CheckContext,
    pointer: str,
    claim_text: str,
    sentence: str,
    numbers: list[EnglishNumber],
    read: dict[int, list[Evidence]],
) -> None:
    """What the way figures are strung together says of them:

    * a range runs from the lower figure to the higher ("6-10 degrees", "-10 to -6"), and is a range the
      source states when the source states a range with either end ("12-16 degrees" for 12—16℃, not
      "10-16");
    * a part is no larger than its whole ("29 of 45 projects", "987.01 billion yuan, of which 283.44
      billion …"), and is stated with it: "11 of the 12 clusters" needs the 11 in the paragraph of the
      12 (12个成长性产业集群中11个), not elsewhere;
    * a change "from A to B" goes the way its verb says: "cutting travel from 5 hours to 2 hours", "rose
      from 3.1% to 4.5%".
    """
    where = pointer.lstrip("/")

    def claim_of(first: EnglishNumber, last: EnglishNumber) -> str:
        return claim_text[first.start : last.end]

    for old, new in pairwise(n for n in numbers if n.kind == "quantity"):
        direction = _change_direction(sentence, old, new)
        if direction is None:
            continue
        before = -old.value if old.negative else old.value
        after = -new.value if new.negative else new.value
        if (direction == "down" and after > before) or (direction == "up" and after < before):
            claim = claim_of(old, new)
            context.contradicted(
                pointer, claim, "wrong_value",
                f"{where}: '{claim}' goes {'up' if after > before else 'down'}, but its verb says the figure went "
                f"{direction}: state the source's figures in their order",
            )  # fmt: skip

    for pair in ranges(sentence, numbers):
        low = -pair.low.value if pair.low.negative else pair.low.value
        high = -pair.high.value if pair.high.negative else pair.high.value
        claim = claim_of(pair.low, pair.high)
        if low > high:
            context.contradicted(pointer, claim, "wrong_value", f"{where}: '{claim}' runs backwards: a range runs from the lower figure")
            continue
        ends = sorted((pair.low.value, pair.high.value))
        stated = [
            e for e in context.source.facts()
            if e.value_max is not None and units_of_range(e) and {e.prose_value(), e.prose_max()} & set(ends)
        ]  # fmt: skip
        if stated and not any(sorted((e.prose_value(), e.prose_max())) == ends for e in stated):
            context.contradicted(
                pointer, claim, "wrong_value",
                f"{where}: '{claim}' but the source's range is {stated[0].text}",
                Span(start=stated[0].start, end=stated[0].end),
            )  # fmt: skip
    quantities = [i for i, n in enumerate(numbers) if n.kind == "quantity"]
    for first, second in pairwise(quantities):
        part, whole = numbers[first], numbers[second]
        glue = sentence[part.end : whole.start]
        if _OF_THE.match(glue):
            pass  # "29 of 45"
        elif _OF_WHICH.search(sentence[part.end : whole.start]) and part.unit == whole.unit:
            part, whole = whole, part  # "987.01 billion yuan, of which 283.44 billion"
            first, second = second, first
        else:
            continue
        claim = claim_of(numbers[min(first, second)], numbers[max(first, second)])
        if part.value > whole.value:
            context.contradicted(pointer, claim, "wrong_value", f"{where}: '{claim}': a part is larger than its whole")
            continue
        relations = {
            pair for item in read.get(first, []) + read.get(second, []) if item.is_fact for pair in _parts_of(context, item)
        }
        if relations and not any(
            same_value(w.prose_value(), whole.value) and same_value(p.prose_value(), part.value) for w, p in relations
        ):
            w, p = min(relations, key=lambda pair: pair[0].start)
            context.contradicted(
                pointer, claim, "wrong_value",
                f"{where}: '{claim}' but the source states {p.text} of {w.text}",
                Span(start=w.start, end=p.end),
            )  # fmt: skip


def units_of_range(item: Evidence) -> bool:
    return item.kind == "fact"


def _parts_of(context: CheckContext, item: Evidence) -> list[tuple[Evidence, Evidence]]:
    """(whole, part) pairs the source states with ``item`` in them: 12个成长性产业集群中11个 (a part follows
    its whole in the sentence, after 中)."""
    original = context.source.original
    if original is None:
        return []
    same = sorted((e for e in context.source.facts() if e.sentence == item.sentence), key=lambda e: e.start)
    pairs: list[tuple[Evidence, Evidence]] = []
    for whole, part in pairwise(same):
        between = original[whole.end : part.start]
        if len(between) <= 30 and "中" in between and not re.search(r"[，,。；;]", between) and item in (whole, part):
            pairs.append((whole, part))
    return pairs


_COMPARED_WITH_LAST_YEAR = frozenset({"yoy", "vs_previous_year"})


def _check_base_year(
    context: CheckContext,
    pointer: str,
    claim: str,
    sentence: str,
    numbers: list[EnglishNumber],
    index: int,
    read: dict[int, list[Evidence]],
    pool: list[Evidence] | None,
) -> None:
    """"1.1 percentage points faster than in December 2022": the year a figure is compared with.

    The figure is the nearest quantity before it in its clause (an indicator's: its quote's figures).
    When the rules are sure of the figure's year Y and read its comparison as one with the year before
    (同比, 比上年), the base is Y-1; any comparison is with an earlier year ("unchanged from 2011" for a
    figure of 2012). Else nothing is held."""
    year = numbers[index]
    plain = without_digit_commas(sentence)
    clause = len(_CLAUSE_BREAK.findall(plain, 0, year.start))
    compared = [
        i for i, n in enumerate(numbers[:index])
        if n.kind == "quantity" and len(_CLAUSE_BREAK.findall(plain, 0, n.start)) == clause
    ]  # fmt: skip
    if compared:
        figures = [e for e in read.get(compared[-1], []) if e.is_fact]
    else:
        figures = [e for e in pool or [] if e.is_fact]
    if not figures:
        return
    base = int(year.value)
    expected: set[int] = set()
    latest_allowed: int | None = None
    for item in figures:
        years = period_years(item.period)
        if not item.period_certain({base}) or len(years) != 1:
            return
        (figure_year,) = years
        if item.comparison in _COMPARED_WITH_LAST_YEAR:
            expected.add(figure_year - 1)
        elif item.period is not None and re.fullmatch(r"\d{4}", item.period):
            latest_allowed = figure_year - 1 if latest_allowed is None else min(latest_allowed, figure_year - 1)
        else:
            return
    where = pointer.lstrip("/")
    if expected and base not in expected:
        context.contradicted(
            pointer, claim, "wrong_period",
            f"{where}: the source compares {figures[0].text} with the year before its period "
            f"({', '.join(map(str, sorted(expected)))}), not with {base}",
        )  # fmt: skip
    elif not expected and latest_allowed is not None and base > latest_allowed:
        context.contradicted(
            pointer, claim, "wrong_period",
            f"{where}: {figures[0].text} is a figure of {latest_allowed + 1}; it cannot be compared with {base}",
        )  # fmt: skip


def _check_size(context: CheckContext, pointer: str, where: str, claim: str, number: EnglishNumber) -> None:
    """"per 10,000 yuan" is 万元 (万元GDP能耗), "per 100 people" 每百人: the size of a unit is a number the
    article writes, if only as a bare numeral."""
    if context.source.with_value(number.value):
        context.verified(pointer, claim, f"{where}: '{claim}' is a unit the article gives")
    else:
        context.contradicted(
            pointer, claim, "unsupported_number",
            f"{where}: '{claim}' is not a number of the article (万元 is 10,000 yuan, 亿元 100 million yuan)",
        )  # fmt: skip


def _check_duration(context: CheckContext, pointer: str, where: str, claim: str, number: EnglishNumber) -> None:
    """"the first ten months" is 前10个月 / 1—10月: a length the article's own periods give."""
    length = int(number.value)
    lengths = context.source.lengths
    if number.value == length and (number.unit, length) in lengths:
        context.verified(pointer, claim, f"{where}: '{claim}' is a period of the article")
        return
    if any(item.unit == number.unit and same_value(item.value, number.value) for item in context.source.with_value(number.value)):
        context.verified(pointer, claim, f"{where}: '{claim}' is a figure of the article")
        return
    stated = sorted(count for unit, count in lengths if unit == number.unit)
    if stated:
        context.contradicted(
            pointer, claim, "wrong_period",
            f"{where}: '{claim}' is not a period of the article, which gives {', '.join(map(str, stated))} {number.unit}s",
        )  # fmt: skip
    else:
        context.unconfirmed(pointer, claim, "wrong_period", f"{where}: the article gives no period of {claim}")


_PLAN_NUMBER = re.compile(r"(\d{1,2})(?:st|nd|rd|th)|\b(\w+?)(?:th|st|nd|rd)\b", re.IGNORECASE)
_ORDINAL_WORDS = {"eleven": 11, "twelf": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16}


def _check_name(context: CheckContext, pointer: str, where: str, claim: str, number: EnglishNumber) -> None:
    token = number.text
    haystack = context.source.text + "\n" + (context.source.article_text.text if context.source.article_text else "")
    if re.search(r"five[\s-]year\s+plan", token, re.IGNORECASE):
        _check_plan_name(context, pointer, where, claim, token, haystack)
        return
    runs = re.findall(r"\d+", token)
    if not runs or token.lower() in haystack.lower():
        context.verified(pointer, claim, f"{where}: '{claim}' is a name from the article")
    elif all(run in context.source.name_runs for run in runs) and not re.search(r"[A-Za-z]", token):
        context.unconfirmed(pointer, claim, "unsupported_number", f"{where}: the digits of '{claim}' are in the article")
    else:
        context.contradicted(
            pointer,
            claim,
            "unsupported_number",
            f"{where}: '{claim}' looks like a name, but the article has no such name; use it as the source writes it",
        )


def _check_plan_name(context: CheckContext, pointer: str, where: str, claim: str, token: str, haystack: str) -> None:
    """"the 14th Five-Year Plan" is “十四五”: the plan's number must be one the article names."""
    match = _PLAN_NUMBER.search(token)
    if match is None:
        context.verified(pointer, claim, f"{where}: a five-year plan the article names")
        return
    plan = int(match.group(1)) if match.group(1) else _ORDINAL_WORDS.get(match.group(2).lower())
    if plan is None or not 11 <= plan <= 19:
        context.unconfirmed(pointer, claim, "unsupported_number", f"{where}: '{claim}' names a plan the rules cannot read")
        return
    chinese = "十" + "一二三四五六七八九"[plan - 11] + "五"
    if chinese in haystack:
        context.verified(pointer, claim, f"{where}: '{claim}' is “{chinese}” in the article")
    else:
        context.contradicted(
            pointer, claim, "unsupported_number", f"{where}: '{claim}' is “{chinese}”, which the article does not name"
        )


def check_name_digits(context: CheckContext, pointer: str, label: str, name_en: str, name_zh: str) -> None:
    """The digits of an English name come from its Chinese name (33618 stays 33618; 十条 may be 10)."""
    english_runs = re.findall(r"\d+", name_en)
    if not english_runs:
        return
    chinese_runs = _digit_runs(name_zh)
    missing = [run for run in english_runs if run not in chinese_runs]
    if missing:
        context.contradicted(
            pointer, name_en, "unsupported_number",
            f"{label}: name_en has {', '.join(missing)} which name_zh '{name_zh}' does not; keep the digits of the Chinese name",
        )  # fmt: skip
    else:
        context.verified(pointer, name_en, f"{label}: digits of the name agree with name_zh")


def _digit_runs(chinese: str) -> set[str]:
    from summarizer.rules.numerals import parse_number
    from summarizer.verify.source import matching_form

    text = matching_form(chinese)
    runs = set(re.findall(r"\d+", text))
    for plan in re.findall(r"十([一二三四五六七八九])五", text):  # “十五五”: the 15th five-year plan
        runs.add(str(10 + "一二三四五六七八九".index(plan) + 1))
    for run in re.findall(r"[零〇一二两三四五六七八九十百千万亿]+", text):
        value = parse_number(run)
        if value is not None and value == int(value):
            runs.add(str(int(value)))
    return runs


def _candidates(context: CheckContext, number: EnglishNumber, reach: float, pool: list[Evidence] | None) -> list[Evidence]:
    if pool is not None:
        return [e for e in pool if abs(e.prose_value() - number.value) <= reach or abs(e.prose_max() - number.value) <= reach]
    return context.source.with_value(number.value, reach)


def _check_quantity(
    context: CheckContext,
    pointer: str,
    where: str,
    claim: str,
    number: EnglishNumber,
    sentence_years: set[int],
    has_hedge: bool,
    pool: list[Evidence] | None,
    disputes: bool,
    counted: bool,
    year_on_year: bool,
    measures: frozenset[str] | None,
) -> list[Evidence] | None:
    units = _COUNTED_UNITS if counted else prose_units(number.unit)
    value_matches = _candidates(context, number, 0.0, pool)
    unit_matches = [e for e in value_matches if e.prose_unit() in units]
    approximate = False
    if not unit_matches:
        reach = number.precision * (1 + 1e-9)
        rounded = [e for e in _candidates(context, number, reach, pool) if e.prose_unit() in units and e.kind != "numeral"]
        accepted = [e for e in rounded if approximation_problem(number, e) is None]
        if not accepted:
            if rounded:
                _reject_rounding(context, pointer, where, claim, number, rounded)
            else:
                _diagnose(context, pointer, where, claim, number, value_matches, pool, disputes, units)
            return None
        unit_matches, approximate = accepted, True
    qualified = unit_matches if approximate else [e for e in unit_matches if prose_qualifier_ok(number.qualifier, e.qualifier)]
    if not qualified:
        source = unit_matches[0]
        verdict = context.contradicted if source.is_fact else context.unconfirmed
        verdict(
            pointer,
            claim,
            "wrong_qualifier",
            f"{where}: '{claim}' but the source says {source.text} with qualifier '{source.qualifier}' "
            f"({_QUALIFIER_WORDS[source.qualifier]}); match the source's wording",
            Span(start=source.start, end=source.end),
        )
        return None
    candidates = qualified
    # What the words say of the number narrows the figures it may be; when none is left and all were
    # figures of the rules, the words contradict them.
    narrowings: list[tuple[Callable[[Evidence], bool], Problem, Callable[[Evidence], str]]] = []
    if year_on_year:
        narrowings.append((
            _is_change, "wrong_value",
            lambda e: f"is stated as a change on a year earlier, but the source's {e.text} is a level "
            f"({e.indicator_zh or 'no change word'}), not a change",
        ))  # fmt: skip
    if measures is not None:
        narrowings.append((
            lambda e: e.measure is None or e.measure in measures or e.measure not in _TELLING_MEASURES,
            "wrong_indicator",
            lambda e: f"but the source's {e.text} counts with {e.measure}, which is not how it counts these "
            f"({' / '.join(sorted(measures))})",
        ))  # fmt: skip
    for keep, problem, why in narrowings:
        kept = [e for e in candidates if keep(e)]
        if kept:
            candidates = kept
        elif all(e.is_fact for e in candidates):
            source = candidates[0]
            context.contradicted(
                pointer, claim, problem, f"{where}: '{claim}' {why(source)}", Span(start=source.start, end=source.end)
            )
            return None
    goals = [e for e in candidates if e.is_fact and e.status in ("target", "estimate") and e.status_sure]
    if has_hedge and goals and any(e.is_fact and e.status == "actual" for e in candidates):
        candidates = goals  # "100 were under way in 2023 and 100 are to continue in 2024": the second is the goal
    if sentence_years:
        in_period = [
            e for e in candidates if e.period is None or period_years(e.period) & sentence_years or not e.is_fact
        ]
        facts = [e for e in candidates if e.is_fact]
        if facts and not any(e.is_fact for e in in_period):
            in_period = []  # a bare numeral elsewhere (十条政策) does not rescue the figure the words state
        if not in_period:
            source = (facts or candidates)[0]
            sure = all(e.period_certain(sentence_years) for e in facts or candidates)
            verdict = context.contradicted if sure else context.unconfirmed
            verdict(
                pointer,
                claim,
                "wrong_period",
                f"{where}: '{claim}' is stated in the source for {source.period}, not for "
                f"{', '.join(map(str, sorted(sentence_years)))}",
                Span(start=source.start, end=source.end),
            )
            return None
        candidates = in_period
    statuses = {e.status for e in candidates}
    source = candidates[0]
    if not has_hedge and None not in statuses and statuses <= {"target", "estimate"}:
        kind = "a target" if "target" in statuses else "an estimate"
        words = "'aims to', 'target' or 'plans'" if "target" in statuses else "'expected' or 'estimated'"
        sure = all(e.status_sure for e in candidates)
        verdict = context.contradicted if sure else context.unconfirmed
        verdict(
            pointer,
            claim,
            "missing_hedge",
            f"{where}: '{claim}' is {kind} in the source ({source.text}), but the sentence states it as a fact; say so with {words}",
            Span(start=source.start, end=source.end),
        )
        return None
    for item in candidates:
        context.mark_mentioned(item.prose_value(), item.unit)
    if not any(e.is_fact or e.kind == "label" for e in candidates):
        context.unconfirmed(
            pointer, claim, "unsupported_number",
            f"{where}: '{claim}' matches {source.text}, a numeral the rules do not read as a figure",
            Span(start=source.start, end=source.end),
        )  # fmt: skip
        return None
    how = f"is an approximation of {source_figure(source)}" if approximate else f"matches {source.text}"
    context.verified(pointer, claim, f"{where}: '{claim}' {how}", Span(start=source.start, end=source.end))
    return candidates


def _reject_rounding(
    context: CheckContext, pointer: str, where: str, claim: str, number: EnglishNumber, rounded: list[Evidence]
) -> None:
    """The number is a rounding of a source figure that the prose may not round."""
    source = min(rounded, key=lambda e: abs(e.prose_value() - number.value))
    exact = in_english(source)
    span = Span(start=source.start, end=source.end)
    verdict = context.contradicted if source.is_fact or source.kind == "label" else context.unconfirmed
    problem = approximation_problem(number, source)
    if number.qualifier in APPROXIMATE and problem is not None:
        verdict(pointer, claim, "wrong_qualifier" if "just below" in problem else "wrong_value", f"{where}: '{claim}' {problem}", span)
        return
    up = number.value > source.prose_value()
    message = f"{where}: '{claim}' is not the source's figure: it is rounded {'up' if up else 'down'} from {source_figure(source)}"
    if (number.qualifier == "more_than" and up) or (number.qualifier == "less_than" and not up):
        side = "below" if up else "above"
        message += f", and the bound is false: the source's figure is {side} {in_english_value(number.value, number.unit)}"
    elif number.qualifier in ("more_than", "less_than"):
        message += f"; a bound ('more than', 'under' …) must be the source's own figure ({exact})"
    else:
        message += f"; the source states {exact}, or mark the rounding as approximate ('about …')"
    verdict(pointer, claim, "wrong_value", message, span)


def _diagnose(
    context: CheckContext,
    pointer: str,
    where: str,
    claim: str,
    number: EnglishNumber,
    value_matches: list[Evidence],
    pool: list[Evidence] | None,
    disputes: bool,
    units: frozenset[str],
) -> None:
    """Why a number matches no figure of the right unit (``units``): another unit, another scale, or none
    at all."""
    evidence = context.source.evidence if pool is None else pool
    if value_matches and number.unit != "plain" and all(e.unit != "number" or e.kind == "numeral" for e in value_matches):
        # "every 20 hours" is not 20家: with a unit of its own, a figure of that unit a power of ten away
        # is what the number misreads.
        for item in (e for e in evidence if e.prose_unit() in units and e.kind != "numeral"):
            exponent = power_of_ten(number.value, item.prose_value())
            if exponent is not None:
                context.contradicted(
                    pointer, claim, "wrong_scale",
                    f"{where}: '{claim}' is 10^{exponent} times the source's {item.text} ({scale_hint(exponent)})",
                    Span(start=item.start, end=item.end),
                )  # fmt: skip
                return
    if value_matches:
        source = value_matches[0]
        marked = number.unit in MARKED_UNITS and source.prose_unit() in MARKED_UNITS
        ratio_for_measure = number.unit in _NEVER_A_COUNT and source.prose_unit() not in MARKED_UNITS | {"number"}
        # "3 hours" is not 3个: what the source counts with a measure word is no duration, mass or length
        # (3个小时 is read as hours).
        measure_for_count = number.unit not in COUNT_UNITS | {"plain"} | MARKED_UNITS and all(
            e.is_fact and e.unit == "count" for e in value_matches
        )
        # "fifty ministries" is not 50分钟: a bare number counting a noun is no measurement
        count_for_measure = units is _COUNTED_UNITS and all(e.is_fact for e in value_matches)
        sure = (marked or ratio_for_measure or measure_for_count or count_for_measure) and source.is_fact
        verdict = context.contradicted if sure else context.unconfirmed
        verdict(
            pointer,
            claim,
            "wrong_unit",
            f"{where}: '{claim}' but the source's {source.text} is {UNIT_WORDS.get(source.unit, source.unit)}",
            Span(start=source.start, end=source.end),
        )
        return
    same_unit = [e for e in evidence if e.prose_unit() in units and e.kind != "numeral"]
    # A bare English number a power of ten from a measurement (10,000 vs 10 km) says nothing of scale.
    scaled = same_unit if number.unit != "plain" else [e for e in same_unit if e.unit in money_units() | {"count", "number"}]
    for item in scaled:
        exponent = power_of_ten(number.value, item.prose_value())
        if exponent is not None:
            context.contradicted(
                pointer,
                claim,
                "wrong_scale",
                f"{where}: '{claim}' is 10^{exponent} times the source's {item.text} ({scale_hint(exponent)})",
                Span(start=item.start, end=item.end),
            )
            return
    if pool is not None and number.unit != "plain":
        # "the 10 billion-yuan class" for a quote of 十亿级: the quote's own numeral, a power of ten away
        for item in (e for e in pool if e.kind != "fact"):
            exponent = power_of_ten(number.value, item.prose_value())
            if exponent is not None and not any(same_value(e.prose_value(), number.value) for e in pool):
                context.contradicted(
                    pointer, claim, "wrong_scale",
                    f"{where}: '{claim}' is 10^{exponent} times the quote's {item.text} ({scale_hint(exponent)})",
                    Span(start=item.start, end=item.end),
                )  # fmt: skip
                return
    if pool is not None and context.source.with_value(number.value):
        # In the article, not in the quote: the indicator's number describes something else. When the
        # quote states a number of this kind (六大 for "the seven clusters"), that one is the indicator's.
        stated = [
            e for e in pool
            if e.kind != "numeral" and e.prose_unit() in units and not same_value(e.prose_value(), number.value)
        ]  # fmt: skip
        if stated and number.unit == "plain":
            context.contradicted(
                pointer, claim, "wrong_value",
                f"{where}: '{claim}' but the quote states {', '.join(e.text for e in stated[:3])}; use the quote's number",
                Span(start=stated[0].start, end=stated[0].end),
            )  # fmt: skip
            return
        context.unconfirmed(pointer, claim, "unsupported_number", f"{where}: '{claim}' is a figure of the article, not of this quote")
        return
    nearest = sorted(same_unit, key=lambda e: abs(e.prose_value() - number.value))[:3]
    hint = f"; nearest in the source: {', '.join(e.text for e in nearest)}" if nearest else ""
    scope = "the article" if pool is None else "the metric's source_quote"
    verdict = context.unconfirmed if disputes else context.contradicted
    verdict(
        pointer,
        claim,
        "unsupported_number",
        f"{where}: '{claim}' is not a figure of {scope}{hint}; state only numbers the source gives",
    )


@dataclass(frozen=True, slots=True)
class _Figure:
    """A figure the words of a sentence may describe: a metric of the briefing or a labelled fact."""

    words: frozenset[str]
    fits: bool  # its value is the number's
    metric: Metric | None  # the briefing's metric, with its number in the briefing
    number: int
    item: Evidence | None  # else the source's labelled fact

    @property
    def is_metric(self) -> bool:
        return self.metric is not None

    def describe(self) -> tuple[str, float, str, Span | None]:
        """What the figure is, for a message: its label, value, unit and where it stands."""
        if self.metric is not None:
            metric = self.metric
            return f"metrics[{self.number}] ({short(metric.indicator_en, 50)})", metric.value, metric.unit, metric.value_span
        assert self.item is not None
        item = self.item
        return f"{item.text} ({item.indicator_en})", item.value, item.unit, Span(start=item.start, end=item.end)


def _figures(context: CheckContext, words: frozenset[str], number: EnglishNumber, units: frozenset[str]) -> list[_Figure]:
    figures: list[_Figure] = []
    sharing = {position for word in words for position in context.word_index.get(word, ())}
    for position in sorted(sharing):
        index, metric_words, values = context.metric_words[position]
        if index in context.failed_metrics:
            continue  # a metric the source does not support says nothing about the prose
        fitting = [v for v, unit in values if prose_unit_of(unit) in units]
        if not fitting:
            continue
        fits = any(_fits(number, abs(v)) for v in fitting)
        figures.append(_Figure(metric_words, fits, context.article.metrics[index], index, None))
    for item, label_words in context.source.labelled_facts_sharing(words):
        if item.prose_unit() not in units:
            continue
        fits = _fits(number, item.prose_value()) or _fits(number, item.prose_max())
        figures.append(_Figure(label_words, fits, None, 0, item))
    return figures


def _check_against_metrics(
    context: CheckContext, pointer: str, claim: str, number: EnglishNumber, words: frozenset[str]
) -> None:
    """A number in prose must be the figure of what the words around it describe (:mod:`.binding`).

    Two views of what figures there are: the briefing's own metrics (their indicator_en and values) and
    the source's facts (their English labels and values). The words name a figure when they share at
    least three of its label's content words, or two that make most of its label or most of the words. When they name a
    figure with another value, and every figure with this value shares with the words only words that
    figure's label shares too (nothing that tells it apart), the prose binds the number to the wrong
    figure: two figures swapped, or a digit off that lands on another figure. Contradicted when the
    rules know what every figure of this value measures; else unconfirmed.
    """
    if len(words) < 2:
        return
    units = prose_units(number.unit)
    if number.unit == "plain" and number.value < 1e6:
        units = units - money_units()
    figures = _figures(context, words, number, units)
    others = [f for f in figures if not f.fits]
    if not others:
        return

    def strength(figure: _Figure) -> tuple[int, float, bool]:
        shared = len(words & figure.words)
        return shared, shared / max(len(figure.words), 1), figure.is_metric

    leader = max(others, key=strength)
    shared, coverage, _ = strength(leader)
    if shared < 2 or (shared < 3 and coverage < 0.6 and shared / len(words) < 0.6):
        return  # the words name no figure clearly
    named = words & leader.words
    if any(words & f.words - named or words & f.words == named for f in figures if f.fits):
        return  # a figure of this value is described as well, or by words the other lacks
    same = [e for e in context.source.with_value(number.value) if e.is_fact and e.prose_unit() in units]
    labelled = all(e.indicator_en or context.labels_by_span.get((e.start, e.end)) for e in same)
    verdict = context.contradicted if labelled else context.unconfirmed
    label, value, unit, span = leader.describe()
    verdict(
        pointer,
        claim,
        "wrong_indicator",
        f"{pointer.lstrip('/')}: '{claim}' but the words around it describe {label} = {fmt(value)} "
        f"{unit}; state the figure of what the sentence names",
        span,
    )


def _fits(number: EnglishNumber, value: float) -> bool:
    return same_value(value, number.value) or (number.qualifier in APPROXIMATE and rounds_within(number, value))
