"""Repair layout: undo what a page layout did to running text, remembering where each piece came from.

A newspaper page flattened to text carries the same faults every time:

* a sentence or a word cut across a column or page break (a paragraph that stops mid-sentence,
  continued by the next one);
* pull-quotes: a sentence repeated from the body as a highlighted paragraph, sometimes dropped
  between the two halves of a cut sentence or word;
* a fragment separated from the sentence it ends, standing elsewhere on the page (unbalanced
  quotation marks and a dangling sentence are the evidence);
* subheadings, bylines, source tags and sign-offs that are not body text.

This step classifies the paragraphs, takes pull-quotes out of the running text (keeping them on
record), re-attaches separated fragments and joins cut sentences. It never invents text: every
block is a :class:`~summarizer.text.textmap.MappedText` made of verbatim pieces of the original, and
every change is a :class:`Repair` with the original span it touched.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr

from summarizer.layout.boilerplate import SetAsideKind, inline_spans, paragraph_kind
from summarizer.text.collector import collector_paused
from summarizer.text.ingest import Document
from summarizer.text.script import simplified_form
from summarizer.text.textmap import (
    MappedText,
    MappedTextBuilder,
    Piece,
    distinct_characters,
    translation_table,
)
from summarizer.text.translation import translate

__all__ = [
    "Block",
    "BlockKind",
    "Repair",
    "RepairedPage",
    "SetAside",
    "SuspectedTypo",
    "find_suspected_typos",
    "repair_document",
]

BlockKind = Literal["text", "heading", "byline", "cell", "signoff", "boilerplate"]
RepairKind = Literal["joined_break", "removed_pull_quote", "moved_fragment", "joined_heading", "joined_cell"]


class Repair(BaseModel):
    """One change made to the running text, in original-file coordinates."""

    model_config = ConfigDict(frozen=True)

    kind: RepairKind
    start: int
    end: int
    text: str
    detail: str


class SuspectedTypo(BaseModel):
    """A likely error in the source itself. Reported, never silently fixed."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["doubled_character", "repeated_phrase"]
    start: int
    end: int
    text: str
    detail: str


@dataclass
class Block:
    """A paragraph of the repaired page: its text (mapped to the original) and what it is."""

    kind: BlockKind
    mapped: MappedText
    start: int  # original span of everything the block was built from
    end: int
    source_tag: str | None = None  # 本报讯 / 新华社…电 / 央视网消息（…）： stripped from the front
    source_tag_span: tuple[int, int] | None = None
    signoff: str | None = None  # (晓 文) stripped from the end
    members: list[int] = field(default_factory=list)  # indices of the original paragraphs

    @property
    def text(self) -> str:
        return self.mapped.text


class SetAside(BaseModel):
    """Text on the page that is not article text (page furniture, a suspected injection), kept on
    record with its original span and why it was left out."""

    model_config = ConfigDict(frozen=True)

    kind: SetAsideKind
    start: int
    end: int
    text: str
    reason: str


class RepairedPage(BaseModel):
    """The page after layout repair."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    document: Document
    blocks: list[Block]
    repairs: list[Repair]
    pull_quotes: list[Repair]
    set_aside: list[SetAside] = []
    typos: list[SuspectedTypo]

    _chars: frozenset[str] | None = PrivateAttr(default=None)  # every character of the document
    _simplified: dict[int, str] | None = PrivateAttr(default=None)

    @property
    def chars(self) -> frozenset[str]:
        """Every distinct character of the document (found once: a pass over a large text is slow)."""
        if self._chars is None:
            self._chars = frozenset(distinct_characters(self.document.original))
        return self._chars

    @property
    def simplified(self) -> dict[int, str]:
        """The simplified form of every traditional-only character of the document (a str.translate table)."""
        if self._simplified is None:
            self._simplified = _simplified_table(self.chars)
        return self._simplified


def _simplified_table(chars: Iterable[str]) -> dict[int, str]:
    return {ord(c): simplified for c in chars if (simplified := simplified_form(c)) != c}


# --- paragraph classification ----------------------------------------------------------------------

_TERMINAL = set("。！？!?；;…")
_CLOSERS = set("”’」』）)】》\"'")
_OPENERS = {"“": "”", "「": "」", "『": "』", "（": "）", "(": ")", "《": "》", "【": "】"}
_CLOSER_TO_OPENER = {close: open_ for open_, close in _OPENERS.items()}
# A paragraph that starts with one of these continues a sentence: no sentence starts with them.
_CONTINUATION_START = set("的地得了着过之和与及或等、，,；;：:。．.！？!?”’」』）)》】%％")
_HEADING_MAX = 40
_CELL_MAX = 16
_WS = " \t\r\f\v\u3000\u00a0\u2002\u2003\u2009\ufeff"

_BYLINE = re.compile(
    r"^(?:本报(?:特约)?记者|本报通讯员|特约记者|通讯员|记者|文[/／|｜]|撰文[:：]?)\s*"
    r"[\u4e00-\u9fff·]{2,5}(?:[\s、，,]+(?:通讯员\s*)?[\u4e00-\u9fff·]{2,5}){0,4}$"
)
_SOURCE_TAG = re.compile(
    r"^(?:本报讯|本报综合消息|本报电|新华社[\u4e00-\u9fff]{0,8}\d{0,2}月?\d{0,2}日?电|"
    r"央视网消息[（(][^）)]{0,12}[）)][:：]?|中新网[\u4e00-\u9fff]{0,8}\d{0,2}月?\d{0,2}日?电|"
    r"人民网[\u4e00-\u9fff]{0,8}\d{0,2}月?\d{0,2}日?电)[\s　]*"
)
_SIGNOFF = re.compile(r"[（(]\s*[\u4e00-\u9fff]{1,3}(?:[\s　]+[\u4e00-\u9fff]{1,3})?\s*[）)]$")
# 一、综合 / （三）工业: numbered section headings, never table cells.
_NUMBERED_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_NUMERIC_CELL = re.compile(r"^[-+−–]?[\d.,，％%\s()（）±]+$")
_SENTENCE_PUNCT = re.compile(r"[。！？；!?;]")
_PROSE_PUNCT = re.compile(r"[，,]")  # commas mark running prose, not a heading


@dataclass
class _Paragraph:
    index: int
    start: int
    end: int
    text: str
    kind: BlockKind = "text"
    source_tag: str | None = None
    source_tag_span: tuple[int, int] | None = None
    signoff: str | None = None
    body_start: int = 0  # original span of the body once tag and sign-off are stripped
    body_end: int = 0
    furniture: SetAsideKind | None = None


def _split_paragraphs(document: Document) -> list[_Paragraph]:
    text = document.original
    paragraphs: list[_Paragraph] = []
    position = document.body_start
    for line in text[document.body_start :].splitlines(keepends=True):
        line_start = position
        position += len(line)
        stripped_left = line.lstrip(_WS + "\n")
        start = line_start + (len(line) - len(stripped_left))
        content = stripped_left.rstrip(_WS + "\n\x85\u2028\u2029")
        if not content:
            continue
        end = start + len(content)
        paragraphs.append(_Paragraph(len(paragraphs), start, end, content, body_start=start, body_end=end))
    return paragraphs


_CLOSER_CHARS = "".join(sorted(_CLOSERS))


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSER_CHARS)
    if not stripped:
        return True
    return stripped[-1] in _TERMINAL


_BRACKET_CHARS = re.compile("[" + re.escape("".join(_OPENERS) + "".join(_CLOSER_TO_OPENER)) + "]")


def _unbalanced(text: str) -> tuple[list[str], list[str]]:
    """Closers without an opener before them, and openers left open at the end."""
    stack: list[str] = []
    orphan_closers: list[str] = []
    for char in _BRACKET_CHARS.findall(text):
        if char in _OPENERS:
            stack.append(char)
        else:
            opener = _CLOSER_TO_OPENER[char]
            if opener in stack:
                while stack and stack.pop() != opener:
                    pass
            else:
                orphan_closers.append(char)
    return orphan_closers, stack


def _classify(paragraphs: list[_Paragraph], simplified: dict[int, str]) -> None:
    """``simplified``: the simplified form of every traditional-only character of the page."""
    for paragraph in paragraphs:
        text = paragraph.text
        # same offsets: 本報訊 and 記者 are cues too; groups are cut from text
        cues = translate(text, simplified) if simplified else text
        furniture = paragraph_kind(cues)
        if furniture is not None:
            paragraph.kind = "boilerplate"
            paragraph.furniture = furniture
            continue
        if _BYLINE.match(cues) and len(text) <= 40:
            paragraph.kind = "byline"
            continue
        tag = _SOURCE_TAG.match(cues)
        if tag:
            paragraph.source_tag = text[: tag.end()].strip(_WS)
            paragraph.source_tag_span = (paragraph.start, paragraph.start + len(text[: tag.end()].rstrip(_WS)))
            paragraph.body_start = paragraph.start + tag.end()
        signoff = _SIGNOFF.search(cues) if cues[-1] in "）)" else None  # the pattern ends the text
        if signoff and (signoff.start() == 0 or text[: signoff.start()].rstrip(_WS)[-1:] in _TERMINAL | _CLOSERS):
            paragraph.signoff = text[signoff.start() : signoff.end()]
            paragraph.body_end = paragraph.start + len(text[: signoff.start()].rstrip(_WS))
            if paragraph.body_end <= paragraph.body_start:
                paragraph.kind = "signoff"
                continue
        body = text[paragraph.body_start - paragraph.start : paragraph.body_end - paragraph.start]
        if not body:
            paragraph.kind = "text"  # a bare source tag (央视网消息（新闻联播）：) introduces what follows
            continue
        if _NUMERIC_CELL.match(body):
            paragraph.kind = "cell"
        elif (
            tag is None
            and len(body) <= _HEADING_MAX
            and not _SENTENCE_PUNCT.search(body)
            and not _PROSE_PUNCT.search(body)
            and body[-1] not in "，,、：:"
            and not _unbalanced(body)[1]
        ):
            paragraph.kind = "heading"
    # Runs of short unpunctuated lines are a flattened table, not a cascade of headings.
    run: list[_Paragraph] = []
    candidates: list[_Paragraph | None] = [*paragraphs, None]
    for item in candidates:
        if (
            item is not None
            and item.kind in ("heading", "cell")
            and len(item.text) <= _CELL_MAX
            and not _NUMBERED_HEADING.match(item.text)
        ):
            run.append(item)
            continue
        if len(run) >= 3 and any(p.kind == "cell" for p in run):
            for member in run:
                member.kind = "cell"
        run = []


# --- pull-quotes --------------------------------------------------------------------------------------

_NGRAM = 5
_PULL_QUOTE_MIN, _PULL_QUOTE_MAX = 10, 160
_PULL_QUOTE_COVERAGE = 0.8
_PROBE_GRAMS = 4  # rarest n-grams of a candidate used to find the paragraph it repeats
_PROBE_POSTINGS = 64  # paragraphs looked at per n-gram
_DIGITS = re.compile(r"\d+(?:\.\d+)?(?![\d.]|年)")  # figures, not years
_PUNCT_FOR_NGRAMS = re.compile(r"[\s\"'“”‘’「」『』（）()【】《》，,。、；;：:！!？?…—-]")


class _MatchingForm:
    """What pull-quotes are compared by: a paragraph normalised (as
    :func:`~summarizer.text.textmap.normalize_string`) without punctuation and spaces. Both steps
    work character by character, so for the characters of a page (``chars``) they compose into one
    table; the removal of spaces next to CJK characters is covered by dropping every space. Most
    characters of the table are only dropped, and a regex drops them faster than ``str.translate``."""

    def __init__(self, chars: set[str]) -> None:
        self.table: dict[int, str | None] = {}
        normalized = translation_table("".join(chars))
        dropped: list[str] = []
        replaced: list[str] = []
        for char in chars:
            replacement = _PUNCT_FOR_NGRAMS.sub("", normalized.get(ord(char), char))
            if replacement != char:
                self.table[ord(char)] = replacement or None
                (replaced if replacement else dropped).append(char)
        self._dropped = _char_class(dropped)
        self._replaced = _char_class(replaced)

    def __call__(self, text: str) -> str:
        if self._replaced is not None and self._replaced.search(text):
            return translate(text, self.table)
        return self._dropped.sub("", text) if self._dropped is not None else text


def _char_class(chars: list[str]) -> re.Pattern[str] | None:
    return re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]") if chars else None


def _ngrams(text: str) -> set[str]:
    return {text[i : i + _NGRAM] for i in range(len(text) - _NGRAM + 1)}


def _coverage(candidate: str, pool: Counter[str], own: set[str]) -> float:
    """Share of the candidate's characters inside an n-gram that also occurs in another paragraph."""
    if len(candidate) < _NGRAM:
        return 0.0
    covered = 0
    reach = 0  # characters before this are counted already
    for i in range(len(candidate) - _NGRAM + 1):
        gram = candidate[i : i + _NGRAM]
        if pool[gram] - (1 if gram in own else 0) > 0:
            covered += i + _NGRAM - max(i, reach)
            reach = i + _NGRAM
    return covered / len(candidate)


def _coverage_by(candidate: str, repeated: set[str]) -> float:
    """:func:`_coverage` while no quote has been found: an n-gram of the candidate is in another
    paragraph exactly when it is in two paragraphs or more (``repeated``)."""
    if len(candidate) < _NGRAM:
        return 0.0
    covered = 0
    reach = 0
    for i in range(len(candidate) - _NGRAM + 1):
        if candidate[i : i + _NGRAM] in repeated:
            covered += i + _NGRAM - max(i, reach)
            reach = i + _NGRAM
    return covered / len(candidate)


def _surely_short(candidate: str, own: set[str], repeated: set[str]) -> bool:
    """The candidate's coverage is below the threshold, known from set sizes alone: each n-gram that
    also occurs elsewhere (in ``repeated``) covers at most ``_NGRAM`` characters, and there are at most
    as many such positions as there are positions less the distinct n-grams found nowhere else. (A
    candidate is at most 160 characters long, so no coverage below 0.8 is within rounding of it.)"""
    length = len(candidate)
    if length < _NGRAM:
        return True
    shared_positions = (length - _NGRAM + 1) - len(own - repeated)
    return 10 * _NGRAM * shared_positions < 8 * length


def _find_pull_quotes(paragraphs: list[_Paragraph], matching_form: _MatchingForm) -> dict[int, int]:
    """Pull-quote paragraph index -> index of the paragraph whose text it repeats."""
    if not any(
        p.kind == "text" and _PULL_QUOTE_MIN <= len(p.text) <= 2 * _PULL_QUOTE_MAX and _ends_sentence(p.text)
        for p in paragraphs
    ):
        return {}  # no paragraph could be a pull-quote: skip the n-gram work
    forms = {p.index: matching_form(p.text) for p in paragraphs if p.kind == "text"}
    by_index = {p.index: p for p in paragraphs}

    def interrupts(index: int) -> bool:
        previous = by_index.get(index - 1)
        return previous is not None and previous.kind == "text" and not _ends_sentence(previous.text)

    candidates = [
        p.index
        for p in paragraphs
        if p.kind == "text"
        and p.source_tag is None
        and _PULL_QUOTE_MIN <= len(forms[p.index]) <= _PULL_QUOTE_MAX
        and _ends_sentence(p.text)
    ]
    if not candidates:
        return {}
    candidate_grams = {index: _ngrams(forms[index]) for index in candidates}
    # The n-grams of candidates found in two paragraphs or more (no other n-gram is ever asked
    # about), with set operations only: most candidates fall short of the coverage by this alone,
    # without counting anything. Candidates first (``seen`` is then every n-gram of a candidate);
    # an n-gram of another paragraph that is in ``seen`` is in two paragraphs. The other paragraphs'
    # n-gram sets are not even built unless a candidate is still viable.
    seen: set[str] = set()
    repeated: set[str] = set()
    for paragraph_grams in candidate_grams.values():
        repeated |= seen & paragraph_grams
        seen |= paragraph_grams
    for index, form in forms.items():
        if index not in candidate_grams:
            repeated |= seen.intersection(form[i : i + _NGRAM] for i in range(len(form) - _NGRAM + 1))
    # Before any quote is found, an n-gram of a candidate is in another paragraph exactly when it is
    # repeated. The pool only loses n-grams as quotes are found, so a candidate short of the coverage
    # now never reaches it.
    viable = [
        index
        for index in candidates
        if not _surely_short(forms[index], candidate_grams[index], repeated)
        and _coverage_by(forms[index], repeated) >= _PULL_QUOTE_COVERAGE
    ]
    if not viable:
        return {}
    grams = {
        index: candidate_grams[index] if index in candidate_grams else _ngrams(form) for index, form in forms.items()
    }
    pool: Counter[str] = Counter()
    for paragraph_grams in grams.values():
        pool.update(paragraph_grams)
    # An interrupting paragraph is the likelier quote; of two equal copies the later one is.
    viable.sort(key=lambda index: (not interrupts(index), -index))
    # Where each n-gram occurs: the paragraphs a candidate may repeat are found through its rarest
    # n-grams, so the search costs the same for every candidate however long the page (a page of
    # near-identical paragraphs would otherwise compare each with all the others). Only the
    # n-grams of viable candidates are ever looked up.
    wanted = set().union(*(grams[index] for index in viable))
    postings: dict[str, list[int]] = {}
    for index, paragraph_grams in grams.items():
        for gram in paragraph_grams & wanted:
            postings.setdefault(gram, []).append(index)
    found: dict[int, int] = {}
    for index in viable:
        form = forms[index]
        if found and _coverage(form, pool, grams[index]) < _PULL_QUOTE_COVERAGE:
            continue
        shared_grams = [gram for gram in grams[index] if len(postings[gram]) > 1]
        rare = sorted(shared_grams, key=lambda gram: (len(postings[gram]), gram))[:_PROBE_GRAMS]
        # (filtered one by one: subtracting found.keys() would copy the ever-growing set of quotes found)
        others = {
            other
            for gram in rare
            for other in postings[gram][:_PROBE_POSTINGS]
            if other != index and other not in found
        }
        best, best_shared = -1, 0
        for other in sorted(others):
            shared = len(grams[index] & grams[other])
            if shared > best_shared:
                best, best_shared = other, shared
        if best < 0 or len(forms[best]) < len(form) * 0.9:
            continue
        if not set(_DIGITS.findall(form)) <= set(_DIGITS.findall(forms[best])):
            continue  # a pull-quote repeats its figures too; a sentence of the same pattern is not one
        found[index] = best
        pool.subtract(grams[index])
    return found


# --- fragments and joins --------------------------------------------------------------------------------


def _is_dangling(paragraph: _Paragraph) -> bool:
    return paragraph.kind == "text" and paragraph.signoff is None and not _ends_sentence(paragraph.text)


def _starts_mid_sentence(paragraph: _Paragraph) -> bool:
    if paragraph.kind not in ("text", "heading") or paragraph.source_tag is not None:
        return False
    orphan_closers, _ = _unbalanced(paragraph.text)
    return paragraph.text[0] in _CONTINUATION_START or bool(orphan_closers)


def _article_breaks(paragraphs: list[_Paragraph]) -> set[int]:
    """Indices where a new article evidently starts (a byline or a source tag, or after a sign-off)."""
    breaks: set[int] = set()
    for position, paragraph in enumerate(paragraphs):
        if paragraph.kind == "byline" or paragraph.source_tag is not None:
            breaks.add(position)
        if paragraph.signoff is not None:
            breaks.add(position + 1)
    return breaks


def _match_fragments(order: list[_Paragraph]) -> dict[int, int]:
    """Orphan fragment position -> position of the dangling paragraph it completes."""
    breaks = _article_breaks(order)
    dangling = [_is_dangling(p) for p in order]
    region_of: list[int] = []
    region = 0
    for position in range(len(order)):
        if position in breaks:
            region += 1
        region_of.append(region)
    # A dangling paragraph whose follower is not body text was not continued where it stands.
    open_ends: dict[int, list[int]] = {}
    for position in range(len(order)):
        follower = order[position + 1] if position + 1 < len(order) else None
        if dangling[position] and (follower is None or follower.kind != "text"):
            open_ends.setdefault(region_of[position], []).append(position)
    matches: dict[int, int] = {}
    used: set[int] = set()
    for f_pos, fragment in enumerate(order):
        if fragment.kind != "text" or not _starts_mid_sentence(fragment):
            continue
        if f_pos > 0 and dangling[f_pos - 1]:
            continue  # an ordinary break: the join step handles it
        orphan_closers, _ = _unbalanced(fragment.text)
        scored: list[tuple[int, int, int]] = []
        for d_pos in open_ends.get(region_of[f_pos], []):
            if d_pos in used or d_pos == f_pos:
                continue
            _, open_left = _unbalanced(order[d_pos].text)
            evidence = sum(1 for closer in orphan_closers if _CLOSER_TO_OPENER[closer] in open_left)
            scored.append((evidence, -abs(d_pos - f_pos), d_pos))
        if not scored:
            continue
        evidence, _, best_pos = max(scored)
        # Quotation marks that pair up are strong evidence; without them, only a lone candidate is.
        if evidence > 0 or len(scored) == 1:
            matches[f_pos] = best_pos
            used.add(best_pos)
    return matches


_CJK_LABEL = re.compile(r"[\u4e00-\u9fff]{1,3}")


def _is_split_cell(last: _Paragraph, follower: _Paragraph) -> bool:
    """A table label cut into one-character cells (农 / 业): flattened tables split words too."""
    return (
        last.kind == "cell"
        and follower.kind == "cell"
        and len(last.text) == 1
        and _CJK_LABEL.fullmatch(last.text) is not None
        and _CJK_LABEL.fullmatch(follower.text) is not None
    )


def _excerpt(text: str, tail: bool) -> str:
    return ("…" + text[-8:]) if tail else (text[:8] + "…")


def repair_document(document: Document) -> RepairedPage:
    """Classify, de-quote, re-attach and join the paragraphs of ``document``."""
    with collector_paused():  # many small objects, no cycles (summarizer.text.collector)
        return _repaired(document)


def _repaired(document: Document) -> RepairedPage:
    original = document.original
    paragraphs = _split_paragraphs(document)
    chars = distinct_characters(original)  # once per page: every per-paragraph table is cut from it
    simplified = _simplified_table(chars)
    _classify(paragraphs, simplified)
    repairs: list[Repair] = []

    # A pull-quote repeats its own article: look for the repeated text between article breaks only.
    pull_quotes: dict[int, int] = {}
    breaks = sorted(_article_breaks(paragraphs) | {0, len(paragraphs)})
    matching_form = _MatchingForm(chars)
    for lo, hi in pairwise(breaks):
        pull_quotes.update(_find_pull_quotes(paragraphs[lo:hi], matching_form))
    quote_records = [
        Repair(
            kind="removed_pull_quote",
            start=paragraphs[index].start,
            end=paragraphs[index].end,
            text=paragraphs[index].text,
            detail=f"repeats body text at offset {paragraphs[source].start}; kept on record, out of the running text",
        )
        for index, source in sorted(pull_quotes.items())
    ]
    repairs.extend(quote_records)
    set_aside = [
        SetAside(kind=p.furniture, start=p.start, end=p.end, text=p.text, reason=f"a paragraph of page furniture ({p.furniture})")
        for p in paragraphs
        if p.furniture is not None
    ]
    order = [p for p in paragraphs if p.index not in pull_quotes and p.kind != "boilerplate"]

    # Groups of paragraphs that become one block: fragments first, then ordinary breaks.
    fragment_matches = _match_fragments(order)
    attached_after: dict[int, int] = {d_pos: f_pos for f_pos, d_pos in fragment_matches.items()}
    groups: list[list[_Paragraph]] = []
    position = 0
    moved = set(fragment_matches)
    while position < len(order):
        if position in moved:
            position += 1
            continue
        group = [order[position]]
        current = position
        while True:
            last = group[-1]
            if current in attached_after:
                fragment = order[attached_after[current]]
                repairs.append(
                    Repair(
                        kind="moved_fragment",
                        start=fragment.start,
                        end=fragment.end,
                        text=fragment.text,
                        detail=f"completes the sentence ending '{_excerpt(last.text, tail=True)}' at offset {last.end}",
                    )
                )
                group.append(fragment)
                if not _is_dangling(fragment):
                    break
                last = fragment
            nxt = current + 1
            while nxt in moved:
                nxt += 1
            if nxt >= len(order):
                break
            follower = order[nxt]
            starts_mid = follower.text[0] in _CONTINUATION_START
            split_cell = _is_split_cell(last, follower)
            joins = follower.source_tag is None and (
                (_is_dangling(last) and follower.kind == "text")
                or (starts_mid and follower.kind in ("text", "heading") and (_is_dangling(last) or last.kind == "heading"))
                or split_cell
            )
            if not joins:
                break
            repairs.append(
                Repair(
                    kind="joined_cell" if split_cell else "joined_break" if last.kind == "text" else "joined_heading",
                    start=last.end,
                    end=follower.start,
                    text=original[last.end : follower.start],
                    detail=f"joined '{_excerpt(last.text, tail=True)}' with '{_excerpt(follower.text, tail=False)}'",
                )
            )
            if last.kind == "heading":
                last.kind = "text"
            if not split_cell:
                follower.kind = "text"
            group.append(follower)
            current = nxt
        groups.append(group)
        position = current + 1

    blocks = [_without_inline_furniture(_build_block(group, original), set_aside) for group in groups]
    set_aside.sort(key=lambda item: item.start)
    typos = [typo for block in blocks if block.kind in ("text", "heading") for typo in find_suspected_typos(block.mapped)]
    repairs.sort(key=lambda r: (r.start, r.end))
    page = RepairedPage(
        document=document, blocks=blocks, repairs=repairs, pull_quotes=quote_records, typos=typos, set_aside=set_aside
    )
    page._chars = frozenset(chars)
    page._simplified = simplified
    return page


def _without_inline_furniture(block: Block, set_aside: list[SetAside]) -> Block:
    """``block`` without the sentences that address an AI and the bracketed credits inside it."""
    if block.kind not in ("text", "heading"):
        return block
    spans = inline_spans(block.text)
    if not spans:
        return block
    builder = MappedTextBuilder(block.mapped.original_length)
    position = 0
    for span in spans:
        builder.append_from(block.mapped, position, span.start)
        start, end = block.mapped.to_original(span.start, span.end)
        set_aside.append(SetAside(kind=span.kind, start=start, end=end, text=block.text[span.start : span.end], reason=span.reason))
        position = span.end
    builder.append_from(block.mapped, position, len(block.text))
    mapped = builder.build()
    if not mapped.text.strip():
        return Block(kind="boilerplate", mapped=mapped, start=block.start, end=block.end, members=block.members)
    return Block(
        kind=block.kind, mapped=mapped, start=block.start, end=block.end, source_tag=block.source_tag,
        source_tag_span=block.source_tag_span, signoff=block.signoff, members=block.members,
    )  # fmt: skip


def _build_block(group: list[_Paragraph], original: str) -> Block:
    head, tail = group[0], group[-1]
    if len(group) == 1:  # most blocks: one paragraph, one piece (what the builder would make)
        text = original[head.body_start : head.body_end]
        pieces = [Piece(0, len(text), head.body_start, len(text))] if text else []
        return Block(
            kind=head.kind, mapped=MappedText(text, pieces, len(original)), start=head.start, end=head.end,
            source_tag=head.source_tag, source_tag_span=head.source_tag_span, signoff=head.signoff or None,
            members=[head.index],
        )  # fmt: skip
    builder = MappedTextBuilder(len(original))
    for paragraph in group:
        builder.append_original(original, paragraph.body_start, paragraph.body_end)
    kind: BlockKind = head.kind if len(group) == 1 or all(p.kind == "cell" for p in group) else "text"
    signoff = next((p.signoff for p in group if p.signoff), None)
    return Block(
        kind=kind,
        mapped=builder.build(),
        start=min(p.start for p in group),
        end=max(p.end for p in group),
        source_tag=head.source_tag,
        source_tag_span=head.source_tag_span,
        signoff=signoff if tail.signoff else None,
        members=[p.index for p in group],
    )


# --- typos in the source ---------------------------------------------------------------------------------

# Function characters that Chinese prose never doubles; a doubled one is a typo in the source.
_DOUBLED = re.compile(r"(和|的|与|及|在|是|为|对|把|被|将|并|或)\1")
_REPEATED_PHRASE = re.compile(r"([\u4e00-\u9fff]{3,8})、\1(?![\u4e00-\u9fff])")


def find_suspected_typos(mapped: MappedText) -> list[SuspectedTypo]:
    """Doubled function characters (经济和和信息化) and a list item repeated verbatim (X、X)."""
    typos: list[SuspectedTypo] = []
    for match in _DOUBLED.finditer(mapped.text):
        start, end = mapped.to_original(match.start(), match.end())
        typos.append(
            SuspectedTypo(
                kind="doubled_character",
                start=start,
                end=end,
                text=match.group(),
                detail=f"'{match.group()}' doubles '{match.group(1)}'; probably a typo in the source",
            )
        )
    text = mapped.text
    for phrase_start, phrase_end in _repeated_phrases(text):
        start, end = mapped.to_original(phrase_start, phrase_end)
        phrase = text[phrase_start : (phrase_start + phrase_end - 1) // 2]
        typos.append(
            SuspectedTypo(
                kind="repeated_phrase",
                start=start,
                end=end,
                text=text[phrase_start:phrase_end],
                detail=f"'{phrase}' is listed twice; the source probably meant another term",
            )
        )
    return typos


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _repeated_phrases(text: str) -> list[tuple[int, int]]:
    """The spans ``_REPEATED_PHRASE`` finds, found from each 、 (the pattern tries every CJK character).

    A match starts where a run of three to eight CJK characters ends at a 、 (the run cannot hold a
    、, so that 、 is the one the pattern reaches); the leftmost such start whose words recur right
    after the 、, not followed by another CJK character, is the match, and the search goes on after it.
    """
    spans: list[tuple[int, int]] = []
    resume = 0
    comma = text.find("、")
    while comma != -1:
        # A phrase that recurs after the 、 starts with the character after it, no more than eight
        # characters back: without that character there, this 、 ends no match (most do not).
        first = text[comma + 1 : comma + 2]
        if not first or text.find(first, max(comma - 8, resume), comma - 2) == -1:
            comma = text.find("、", max(comma + 1, resume))
            continue
        run_start = comma
        while run_start > comma - 8 and run_start > 0 and _is_cjk(text[run_start - 1]):
            run_start -= 1
        for start in range(max(run_start, resume), comma - 2):
            phrase = text[start:comma]
            end = comma + 1 + len(phrase)
            if text.startswith(phrase, comma + 1) and (end == len(text) or not _is_cjk(text[end])):
                spans.append((start, end))
                resume = end
                break
        comma = text.find("、", max(comma + 1, resume))
    return spans


def blocks_text(blocks: Iterable[Block]) -> str:
    """The running text of ``blocks``, one paragraph per line (for display)."""
    return "\n".join(block.text for block in blocks)
