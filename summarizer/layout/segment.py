"""Segment a repaired page into articles: title, byline, source tag, subheadings, body and region.

An article starts at a heading followed by a byline (本报记者 …) or by a paragraph that opens with
a source tag (本报讯, 新华社…电, 央视网消息（…）：); a sign-off such as ``(晓 文)`` ends one. A page
of short briefs (a heading, one or two paragraphs, the next heading …) is one segment per brief. A
text with no such structure is one segment. Numbered or short unpunctuated lines inside an article
are its subheadings.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from summarizer.briefing.models import Region
from summarizer.gazetteer import detect_region
from summarizer.layout.repair import Block, Repair, RepairedPage, SetAside, SuspectedTypo, repair_document
from summarizer.text.collector import collector_paused
from summarizer.text.ingest import Document
from summarizer.text.textmap import (
    MappedText,
    MappedTextBuilder,
    NormalizationTable,
    normalization_table,
    normalize,
    normalize_string,
)
from summarizer.text.translation import translate

__all__ = ["Segment", "SegmentedPage", "segment_document", "segment_page"]

_PARAGRAPH_SEPARATOR = "\n"
_DATELINE = re.compile(r"[（(]?\s*\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*[）)]?")
_ISSUER = re.compile(r"[\u4e00-\u9fff（）()]{2,24}(?:局|队|厅|委员会|委|办公室|办|院|部|中心|政府|协会|研究所|集团)")
_BRIEF_MAX_PARAGRAPHS = 2


class _HasSpan(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_Item = TypeVar("_Item", bound=_HasSpan)


class Segment(BaseModel):
    """One article of a page. ``start``/``end`` are original-file offsets of the whole article."""

    model_config = ConfigDict(frozen=False, ignored_types=(cached_property,))

    index: int
    title: str | None = Field(description="The article's headline; null when the text has none (it starts with a byline or a source tag).")
    start: int
    end: int
    byline: str | None = None
    dateline: str | None = Field(default=None, description="A date line under the title, e.g. 2013年3月20日.")
    source_tag: str | None = Field(default=None, description="本报讯, 新华社…电, 央视网消息（新闻联播）…")
    signoff: str | None = Field(default=None, description="Editor's sign-off such as (晓 文).")
    region: Region | None = None
    subheadings: list[str] = Field(default_factory=list)
    text: str = Field(description="The repaired body: pull-quotes out, breaks joined, one paragraph per line.")
    repairs: list[Repair] = Field(default_factory=list)
    suspected_typos: list[SuspectedTypo] = Field(default_factory=list)
    pull_quotes: list[str] = Field(default_factory=list)
    set_aside: list[SetAside] = Field(
        default_factory=list, description="Page furniture and suspected injections left out of the body."
    )

    _mapped: MappedText = PrivateAttr()
    _title_mapped: MappedText | None = PrivateAttr(default=None)
    _document_text: str = PrivateAttr(default="")
    _normalization: NormalizationTable | None = PrivateAttr(default=None)  # the page's, shared

    @property
    def mapped(self) -> MappedText:
        """``text`` with its map to the original file."""
        return self._mapped

    @cached_property
    def normalized(self) -> MappedText:
        """The matching form of ``text`` (NFKC …), mapped to original-file offsets."""
        return normalize(self._mapped, self._normalization)

    @cached_property
    def reading(self) -> MappedText:
        """The matching form of the headline and the body, one paragraph per line, mapped to the
        original: what the fact engine reads (a headline states figures too)."""
        if self._title_mapped is None or not self._title_mapped.text.strip():
            return self.normalized
        builder = MappedTextBuilder(self._mapped.original_length)
        title = self._title_mapped
        builder.append_from(title, 0, len(title.text))
        end = title.to_original(len(title.text), len(title.text))[0]
        builder.append_replacement(_PARAGRAPH_SEPARATOR, end, end)
        builder.append_from(self._mapped, 0, len(self._mapped.text))
        return normalize(builder.build(), self._normalization)

    @property
    def title_lines(self) -> int:
        """How many lines of :attr:`reading` the headline takes (0 or 1)."""
        return 0 if self._title_mapped is None or not self._title_mapped.text.strip() else 1

    @property
    def document_text(self) -> str:
        """The whole decoded file this segment came from (the coordinates of every span)."""
        return self._document_text

    def original_text(self, start: int, end: int) -> str:
        """``original[start:end]`` of the file this segment came from (original-file offsets)."""
        return self._document_text[start:end]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original-file span of ``text[start:end]``."""
        return self._mapped.to_original(start, end)

    def locate(self, quote: str) -> tuple[int, int] | None:
        """Original-file span of the first occurrence of ``quote`` (both sides normalised)."""
        needle = normalize_string(quote).strip()
        if not needle:
            return None
        position = self.normalized.text.find(needle)
        if position < 0:
            return None
        return self.normalized.to_original(position, position + len(needle))


class SegmentedPage(BaseModel):
    """A page split into articles."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    document: Document
    title: str | None = Field(default=None, description="A page heading that heads no article of its own.")
    segments: list[Segment]
    repairs: list[Repair]
    set_aside: list[SetAside] = Field(default_factory=list, description="Everything left out of every article.")

    @property
    def source(self) -> str:
        return self.document.path or self.document.name


def _is_article_start(blocks: list[Block], position: int) -> bool:
    block = blocks[position]
    if block.kind != "heading":
        return False
    follower = blocks[position + 1] if position + 1 < len(blocks) else None
    return follower is not None and (follower.kind == "byline" or follower.source_tag is not None)


def _brief_starts(blocks: list[Block]) -> list[int]:
    """Heading positions of a page of short briefs, or [] if the page is not one."""
    headings = [i for i, block in enumerate(blocks) if block.kind == "heading"]
    if len(headings) < 3:
        return []
    brief_like = 0
    for number, position in enumerate(headings):
        following_end = headings[number + 1] if number + 1 < len(headings) else len(blocks)
        body = blocks[position + 1 : following_end]
        if 1 <= len(body) <= _BRIEF_MAX_PARAGRAPHS and all(b.kind == "text" and len(b.text) >= 20 for b in body):
            brief_like += 1
    return headings if brief_like >= 0.7 * len(headings) else []


def _article_starts(blocks: list[Block]) -> list[int]:
    starts = [i for i in range(len(blocks)) if _is_article_start(blocks, i)]
    if len(starts) <= 1:
        briefs = _brief_starts(blocks)
        if briefs:
            return briefs
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    # A sign-off ends an article: what follows starts another, even without a byline.
    for i, block in enumerate(blocks[:-1]):
        if block.signoff and i + 1 not in starts:
            starts.append(i + 1)
    return sorted(set(starts))


_SPACES = re.compile(r"\s*")  # \s is str.isspace for str patterns


def _body_text(blocks: list[Block], original: str) -> MappedText:
    builder = MappedTextBuilder(len(original))
    previous: Block | None = None
    for block in blocks:
        if previous is not None:
            # The separator stands for the whitespace that follows the previous paragraph (where
            # the previous block's text maps the end of its text: the end of its last piece).
            pieces = previous.mapped.pieces
            gap_start = pieces[-1].orig_start + pieces[-1].orig_length if pieces else 0
            match = _SPACES.match(original, gap_start)
            builder.append_replacement(_PARAGRAPH_SEPARATOR, gap_start, match.end() if match else gap_start)
        builder.append_whole(block.mapped)
        previous = block
    return builder.build()


class _Spans(Generic[_Item]):
    """Items with original spans, found by span in O(log n) (a page of many articles asks once per
    article). :meth:`within` keeps the items' own order."""

    def __init__(self, items: list[_Item]) -> None:
        self._items = items
        positions = range(len(items))
        # An item that ends before it starts (a join after a fragment moved back) is checked every time.
        self._inverted = [position for position in positions if items[position].end < items[position].start]
        self._order = sorted(
            (position for position in positions if items[position].end >= items[position].start),
            key=lambda position: items[position].start,
        )
        self._starts = [items[position].start for position in self._order]

    def within(self, start: int, end: int) -> list[_Item]:
        """Every item with ``start <= item.start`` and ``item.end <= end``."""
        lo, hi = bisect_left(self._starts, start), bisect_right(self._starts, end)
        picked = [position for position in self._order[lo:hi] if self._items[position].end <= end]
        picked += [p for p in self._inverted if start <= self._items[p].start and self._items[p].end <= end]
        return [self._items[position] for position in sorted(picked)]


@dataclass(frozen=True, slots=True)
class _PageRecords:
    repairs: _Spans[Repair]
    pull_quotes: _Spans[Repair]
    typos: _Spans[SuspectedTypo]
    set_aside: _Spans[SetAside]
    normalization: NormalizationTable
    simplified: dict[int, str]  # the simplified form of every traditional-only character of the page

    @classmethod
    def of(cls, page: RepairedPage) -> _PageRecords:
        chars = page.chars
        return cls(
            _Spans(page.repairs), _Spans(page.pull_quotes), _Spans(page.typos), _Spans(page.set_aside),
            normalization_table(chars), page.simplified,
        )  # fmt: skip

    def simplify(self, text: str) -> str:
        """:func:`~summarizer.text.script.simplify` for a text of the page."""
        return translate(text, self.simplified) if self.simplified else text


def _make_segment(index: int, blocks: list[Block], page: RepairedPage, records: _PageRecords) -> Segment | None:
    head = blocks[0]
    rest = blocks[1:]
    title = head.text if head.kind == "heading" else ""
    if head.kind != "heading":
        rest = blocks
    byline = None
    if rest and rest[0].kind == "byline":
        byline = rest[0].text
        rest = rest[1:]
    # Under a title, issuing bodies and a date on lines of their own (大庆市统计局 / （2013年3月20日）)
    # are the byline and dateline of a bulletin, not subheadings.
    issuers: list[str] = []
    dateline: str | None = None
    while head.kind == "heading" and rest and rest[0].kind == "heading":
        line = rest[0].text
        if _DATELINE.fullmatch(line) and dateline is None:
            dateline = line.strip("（）()")
        elif _ISSUER.fullmatch(records.simplify(line)):  # 統計局 too
            issuers.append(line)
        else:
            break
        rest = rest[1:]
    if issuers:
        byline = " / ".join(([byline] if byline else []) + issuers)
    body = [b for b in rest if b.kind in ("text", "heading", "cell") and b.text]
    if not body:
        return None
    source_tag = next((b.source_tag for b in body if b.source_tag), None)
    signoff = next((b.signoff for b in reversed(blocks) if b.signoff), None)
    subheadings = [b.text for b in body if b.kind == "heading"]
    mapped = _body_text(body, page.document.original)
    start = min(b.start for b in blocks)
    end = max(b.end for b in blocks)
    repairs = records.repairs.within(start, end)
    pull_quotes = [r.text for r in records.pull_quotes.within(start, end)]
    typos = records.typos.within(start, end)
    set_aside = records.set_aside.within(start, end)
    lead = next((b.text for b in body if b.kind == "text"), "")
    segment = Segment(
        index=index,
        title=title or None,
        start=start,
        end=end,
        byline=byline,
        dateline=dateline,
        source_tag=source_tag,
        signoff=signoff,
        region=detect_region(records.simplify(title), records.simplify(lead)),  # 廣東 is 广东
        subheadings=subheadings,
        text=mapped.text,
        repairs=repairs,
        suspected_typos=typos,
        pull_quotes=pull_quotes,
        set_aside=set_aside,
    )
    segment._mapped = mapped
    segment._title_mapped = head.mapped if head.kind == "heading" and title else None
    segment._document_text = page.document.original
    segment._normalization = records.normalization
    return segment


def segment_page(page: RepairedPage) -> SegmentedPage:
    """Split a repaired page into articles."""
    with collector_paused():  # many small objects, no cycles (summarizer.text.collector)
        return _segmented(page)


def _segmented(page: RepairedPage) -> SegmentedPage:
    blocks = page.blocks
    starts = _article_starts(blocks)
    segments: list[Segment] = []
    page_title: str | None = None
    records = _PageRecords.of(page)
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(blocks)
        group = blocks[start:end]
        if not group:
            continue
        segment = _make_segment(len(segments), group, page, records)
        if segment is None:
            if group[0].kind == "heading" and page_title is None and not segments:
                page_title = group[0].text
            continue
        segments.append(segment)
    return SegmentedPage(
        document=page.document, title=page_title, segments=segments, repairs=page.repairs, set_aside=page.set_aside
    )


def segment_document(document: Document) -> SegmentedPage:
    """Repair and segment a document (the whole rule path up to articles)."""
    with collector_paused():  # one pause for both steps (summarizer.text.collector)
        return segment_page(repair_document(document))
