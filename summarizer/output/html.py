"""The HTML report: each article's English briefing beside its Chinese source, every grounded span highlighted.

One self-contained file per page (inline CSS and JS only, and a Content-Security-Policy that allows
nothing else: no network, no external fonts, scripts or stylesheets). Two views share one template:

* :func:`render_briefing_html` (``summarizer brief --format html``): the briefing of each article
  (headline, summary, key figures, targets, programmes, organisations, caveats, what failed
  verification) beside its source text, with each claim's source span highlighted and coloured by
  status. The verdict shown for each claim is the verifier's, run again here on the article as it
  stands (it costs about as much as verifying the briefing: tens of milliseconds per page).
* :func:`render_facts_html` (``summarizer facts --format html``): the rule-based facts of each
  article beside its source, without a briefing or verdicts.

The source view is ``Document.original`` cut in Python at the claims' original-file offsets (code
points; a browser's string indices are UTF-16 units, so no cutting happens in JavaScript). The text
of the source view is exactly the original text: labels of layout repairs are drawn by CSS from
``data-label`` attributes, so the text of every highlight equals its source span. Overlapping
claims are cut into fragments; each fragment lists the claims covering it (``data-claims``,
innermost first), and a claim's highlight is the set of fragments naming it.

Article text and model text are data: Jinja2 autoescapes all of it, and the only scripts that run
are the report's own, allowed by hash in the page's Content-Security-Policy.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from markupsafe import Markup, escape

from summarizer.output.markdown import (
    QUALIFIER_WORDS,
    format_amount,
    format_metric_value,
    format_period,
    provenance_line,
    run_line,
)

if TYPE_CHECKING:
    from jinja2 import Template

    from summarizer.briefing.models import ArticleBriefing, PageBriefing
    from summarizer.layout.repair import Repair, SuspectedTypo
    from summarizer.layout.segment import Segment, SegmentedPage
    from summarizer.rules.facts import Fact, FactTable

__all__ = [
    "ClaimView",
    "Fragment",
    "Marker",
    "cut_source",
    "render_briefing_html",
    "render_facts_html",
]

ClaimKind = Literal["metric", "target", "programme", "organisation", "caveat", "fact", "unverified"]
Span = tuple[int, int]

VERIFIED = "verified"
UNCONFIRMED = "unconfirmed"
NOT_CHECKED = "not checked"
_NOT_FLAGGED = frozenset({VERIFIED, UNCONFIRMED, NOT_CHECKED})
_KIND_PREFIX: dict[ClaimKind, str] = {
    "metric": "m",
    "target": "t",
    "programme": "p",
    "organisation": "o",
    "caveat": "c",
    "fact": "f",
    "unverified": "u",
}
_KIND_LABEL: dict[ClaimKind, str] = {
    "metric": "Key figure",
    "target": "Target",
    "programme": "Programme",
    "organisation": "Organisation",
    "caveat": "Caveat",
    "fact": "Figure (rules)",
    "unverified": "Contradicted",
}
_NAME_KINDS = frozenset({"programme", "organisation"})
_REPAIR_LABEL = {
    "joined_break": "joined",
    "joined_heading": "joined heading",
    "joined_cell": "joined cell",
    "removed_pull_quote": "pull-quote removed",
    "moved_fragment": "moved fragment",
}
_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]{2,}")


# --- what is shown -------------------------------------------------------------------------------------


@dataclass(slots=True)
class ClaimView:
    """One claim as the report shows it: its card, its highlight (``pieces``) and its verdict.

    ``pieces`` are original-file spans in the order the claim reads them (a quote assembled from
    separate places of the file has several); empty when the claim could not be located. ``verdict``
    is None where nothing verified the claim (the rules-only view).
    """

    id: str
    kind: ClaimKind
    title: str
    title_zh: str | None = None
    status: str | None = None
    verdict: str | None = None  # verified, unconfirmed, contradicted or "not checked"
    problem: str | None = None  # what is wrong or unknown (wrong_value …), when not verified
    verdict_note: str | None = None
    pieces: list[Span] = field(default_factory=list)
    value_pieces: list[Span] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)

    def detail(self, label: str) -> str:
        """The value of one row of the card ("Value", "Period", …), or "" when it has none."""
        return next((value for name, value in self.details if name == label), "")

    @property
    def kind_label(self) -> str:
        return _KIND_LABEL[self.kind]

    @property
    def located(self) -> bool:
        return bool(self.pieces)

    @property
    def flagged(self) -> bool:
        """The source contradicts the claim (any verdict but verified, unconfirmed or not checked)."""
        return self.verdict is not None and self.verdict not in _NOT_FLAGGED

    @property
    def doubted(self) -> bool:
        """The rules could neither confirm nor refute the claim: kept, shown as unconfirmed."""
        return self.verdict == UNCONFIRMED

    @property
    def verdict_label(self) -> str:
        label = (self.verdict or "").replace("_", " ")
        return f"{label}: {self.problem.replace('_', ' ')}" if self.problem else label

    @property
    def row_class(self) -> str:
        """CSS classes of the claim's row or item in the briefing column."""
        css = f"claim k-{self.kind}"
        if self.flagged:
            css += " flagged"
        elif self.doubted:
            css += " doubted"
        return css if self.pieces else css + " unlocated"

    @property
    def verdict_class(self) -> str:
        if self.verdict in (VERIFIED, UNCONFIRMED):
            return str(self.verdict)
        return "unchecked" if self.verdict == NOT_CHECKED else "flagged"

    @property
    def chars(self) -> str:
        """The spans as offsets of the file in code points, e.g. ``74–97`` or ``1987–1995 + 792–800``."""
        return " + ".join(f"{start}–{end}" for start, end in self.pieces)

    @property
    def size(self) -> int:
        return sum(end - start for start, end in self.pieces)

    def card(self, back: str) -> dict[str, Any]:
        """What the popup shows for this claim (JSON for the page's script, which writes it as text)."""
        rows = [list(row) for row in self.details]
        if self.verdict:
            note = f" — {self.verdict_note}" if self.verdict_note else ""
            rows.append(["Verdict", self.verdict_label + note])
        if self.pieces:
            rows.append(["Source", f"characters {self.chars}"])
        card: dict[str, Any] = {"kind": self.kind, "label": self.kind_label, "rows": rows, "back": back}
        if self.status:
            card["status"] = self.status
        if self.verdict:
            card["verdict"] = self.verdict_label
            card["verdictClass"] = self.verdict_class
            card["flagged"] = self.flagged
            card["doubted"] = self.doubted
        return card


@dataclass(frozen=True, slots=True)
class Marker:
    """A zero-width element placed before a fragment: an anchor, or a repair's label (drawn by CSS)."""

    id: str | None = None
    css: str = "anchor"
    label: str = ""
    title: str = ""
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Fragment:
    """A run of the source text covered by the same claims and repairs."""

    text: str
    claims: str = ""  # ids of the claims covering it, innermost first
    css: str = ""
    title: str = ""
    markers: tuple[Marker, ...] = ()

    @property
    def tag(self) -> str:
        return "mark" if self.claims else "span" if self.css or self.title else ""


@dataclass(slots=True)
class ArticleView:
    """One article of the report: its briefing (or fact table), its claims and its cut source."""

    anchor: str
    number: int
    title_en: str | None
    title_zh: str | None  # None when the article has no headline (it starts with its text)
    meta: list[str]
    start: int
    end: int
    claims: list[ClaimView]
    fragments: list[Fragment]
    repairs: int
    article: ArticleBriefing | None = None
    summary_line: str = ""

    def of_kind(self, *kinds: str) -> list[ClaimView]:
        return [claim for claim in self.claims if claim.kind in kinds]

    @property
    def located(self) -> int:
        return sum(1 for claim in self.claims if claim.located)


# --- cutting the source -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Interval:
    start: int
    end: int
    kind: Literal["claim", "value", "repair", "typo"]
    index: int


def _source_text(text: str) -> Markup:
    """Escaped source text that survives the HTML parser unchanged: it turns CR LF and a lone CR into
    LF, so a CR is written as a character reference (the offsets count it)."""
    escaped = str(escape(text))
    return Markup(escaped.replace("\r", "&#13;") if "\r" in escaped else escaped)


def cut_source(
    original: str,
    start: int,
    end: int,
    claims: Sequence[ClaimView],
    repairs: Sequence[Repair] = (),
    typos: Sequence[SuspectedTypo] = (),
    markers: Iterable[tuple[int, Marker]] = (),
    anchor_prefix: str = "",
) -> list[Fragment]:
    """``original[start:end]`` cut into fragments at every claim, value, repair and marker boundary.

    The fragments' texts joined are exactly ``original[start:end]``. Spans outside ``[start, end)``
    are clipped. Each located claim gets an anchor ``src-<id>`` before its first piece.
    """
    intervals: list[_Interval] = []
    placed: dict[int, list[Marker]] = {}
    for position, marker in markers:
        placed.setdefault(position, []).append(marker)
    for number, claim in enumerate(claims):
        for piece_start, piece_end in claim.pieces:
            intervals.append(_Interval(max(piece_start, start), min(piece_end, end), "claim", number))
        for piece_start, piece_end in claim.value_pieces:
            intervals.append(_Interval(max(piece_start, start), min(piece_end, end), "value", number))
        if claim.pieces:
            first = min(max(claim.pieces[0][0], start), end)
            placed.setdefault(first, []).append(Marker(id=f"src-{claim.id}"))
    for number, repair in enumerate(repairs):
        intervals.append(_Interval(max(repair.start, start), min(repair.end, end), "repair", number))
    for number, typo in enumerate(typos):
        intervals.append(_Interval(max(typo.start, start), min(typo.end, end), "typo", number))
    intervals = [item for item in intervals if item.start < item.end]
    sizes = [claim.size for claim in claims]

    boundaries = {start, end, *placed}
    opening: dict[int, list[_Interval]] = {}
    closing: dict[int, list[_Interval]] = {}
    for item in intervals:
        boundaries.update((item.start, item.end))
        opening.setdefault(item.start, []).append(item)
        closing.setdefault(item.end, []).append(item)
    points = sorted(b for b in boundaries if start <= b <= end)

    active: dict[tuple[str, int], _Interval] = {}
    fragments: list[Fragment] = []
    for position, following in zip(points, [*points[1:], None], strict=True):
        for item in closing.get(position, ()):
            active.pop((item.kind, item.index), None)
        for item in opening.get(position, ()):
            active[(item.kind, item.index)] = item
        here = tuple(placed.get(position, ()))
        if following is None:
            if here:
                fragments.append(Fragment("", markers=here))
            break
        text = original[position:following]
        if not active:
            fragments.append(Fragment(text, markers=here))
            continue
        fragments.append(_fragment(text, active, claims, sizes, repairs, typos, here))
    return fragments


def _fragment(
    text: str,
    active: dict[tuple[str, int], _Interval],
    claims: Sequence[ClaimView],
    sizes: Sequence[int],
    repairs: Sequence[Repair],
    typos: Sequence[SuspectedTypo],
    markers: tuple[Marker, ...],
) -> Fragment:
    numbers = sorted((i for kind, i in active if kind == "claim"), key=lambda i: (sizes[i], i))
    covering = [claims[i] for i in numbers]
    valued = {i for kind, i in active if kind == "value"}
    css: list[str] = []
    titles: list[str] = []
    if covering:
        css.append("hl")
        status = next((c.status for c in covering if c.status), None)
        if status:
            css.append(f"s-{status}")
        if valued.intersection(numbers):
            css.append("v")
        if any(c.kind in _NAME_KINDS for c in covering):
            css.append("k-name")
        if any(c.kind == "caveat" for c in covering):
            css.append("k-caveat")
        if any(c.flagged or c.kind == "unverified" for c in covering):
            css.append("flagged")
        elif any(c.doubted for c in covering):
            css.append("doubted")
    for kind, i in active:
        if kind == "repair":
            css.append(f"rp rp-{repairs[i].kind.replace('_', '-')}")
            titles.append(repairs[i].detail)
        elif kind == "typo":
            css.append("typo")
            titles.append(f"suspected typo in the source: {typos[i].detail}")
    return Fragment(
        text,
        claims=" ".join(c.id for c in covering),
        css=" ".join(css),
        title="; ".join(titles),
        markers=markers,
    )


def _repair_markers(segment: Segment, anchor: str) -> list[tuple[int, Marker]]:
    """Labels for the layout repairs of ``segment``, and where each moved fragment was put back.

    The destination of a moved fragment is not stored: it is where the fragment stands in the
    repaired text, right after the character before it, mapped to the original file.
    """
    markers: list[tuple[int, Marker]] = []
    pieces = segment.mapped.pieces
    for number, repair in enumerate(segment.repairs):
        name = f"{anchor}-rp{number}"
        label = _REPAIR_LABEL.get(repair.kind, repair.kind.replace("_", " "))
        css = f"mk rp-label rp-label-{repair.kind.replace('_', '-')}"
        if repair.kind != "moved_fragment":
            markers.append((repair.start, Marker(id=name, css=css, label=label, title=repair.detail)))
            continue
        moved = next((p for p in pieces if p.orig_start == repair.start and p.start > 0), None)
        if moved is None:
            markers.append((repair.start, Marker(id=name, css=css, label=label, title=repair.detail)))
            continue
        destination = segment.mapped.to_original(moved.start - 1, moved.start)[1]
        markers.append(
            (
                repair.start,
                Marker(id=name, css=css, label=f"{label} ↓", title=repair.detail, href=f"#{name}-to"),
            )
        )
        markers.append(
            (
                destination,
                Marker(
                    id=f"{name}-to",
                    css="mk rp-label rp-label-destination",
                    label="moved fragment read here ↑",
                    title=f"the fragment '{repair.text}' completes this sentence",
                    href=f"#{name}",
                ),
            )
        )
    return markers


# --- claims of a briefing article ----------------------------------------------------------------------------


def _verdicts(results: Iterable[Any]) -> dict[tuple[str, int], list[Any]]:
    """Verifier results grouped by the item they judge: ``/metrics/3/value`` -> ("metrics", 3)."""
    grouped: dict[tuple[str, int], list[Any]] = {}
    for result in results:
        parts = result.pointer.strip("/").split("/")
        if len(parts) >= 2 and parts[1].isdigit():
            grouped.setdefault((parts[0], int(parts[1])), []).append(result)
    return grouped


def _judged(claim: ClaimView, results: Sequence[Any] | None) -> ClaimView:
    if not results:
        claim.verdict = NOT_CHECKED
        claim.verdict_note = "the verifier made no check of this item"
        return claim
    # The item's verdict is its worst check's: contradicted, else unconfirmed, else verified.
    for verdict in ("contradicted", UNCONFIRMED):
        found = [r for r in results if r.verdict == verdict]
        if found:
            claim.verdict, claim.problem = verdict, found[0].problem
            claim.verdict_note = "; ".join(dict.fromkeys(r.message for r in found))
            return claim
    claim.verdict = VERIFIED
    return claim


def _span_list(span: Any) -> list[Span]:
    return [] if span is None else [(span.start, span.end)]


def _period_text(period: str | None, cumulative: bool = False) -> str:
    text = format_period(period)
    if cumulative:
        text = f"{text} (cumulative)".strip()
    return text or "—"


def _briefing_claims(
    article: ArticleBriefing, prefix: str, verdicts: dict[tuple[str, int], list[Any]]
) -> list[ClaimView]:
    claims: list[ClaimView] = []
    for n, metric in enumerate(article.metrics):
        pieces = (
            [(p.start, p.end) for p in metric.span_pieces] if metric.span_pieces else _span_list(metric.span)
        )
        claim = ClaimView(
            id=f"{prefix}-m{n}",
            kind="metric",
            title=metric.indicator_en,
            title_zh=metric.indicator_zh,
            status=metric.status,
            pieces=pieces,
            value_pieces=_span_list(metric.value_span),
            details=[
                ("Indicator", metric.indicator_en),
                ("指标", metric.indicator_zh),
                ("Value", format_metric_value(metric)),
                ("Period", _period_text(metric.period, metric.cumulative)),
                ("Status", metric.status),
                ("Quote", metric.source_quote),
            ],
        )
        claims.append(_judged(claim, verdicts.get(("metrics", n))))
    for n, target in enumerate(article.targets):
        claim = ClaimView(
            id=f"{prefix}-t{n}",
            kind="target",
            title=target.description_en,
            status="target",
            pieces=_span_list(target.span),
            details=[
                ("Target", target.description_en),
                ("Period", _period_text(target.period)),
                ("Status", "target"),
                ("Quote", target.source_quote),
            ],
        )
        claims.append(_judged(claim, verdicts.get(("targets", n))))
    for n, programme in enumerate(article.programmes):
        claim = ClaimView(
            id=f"{prefix}-p{n}",
            kind="programme",
            title=programme.name_en,
            title_zh=programme.name_zh,
            pieces=_span_list(programme.span),
            details=[
                ("Programme", programme.name_en),
                ("名称", programme.name_zh),
                ("Kind", programme.kind.replace("_", " ")),
                ("About", programme.description_en),
            ],
        )
        claims.append(_judged(claim, verdicts.get(("programmes", n))))
    for n, organisation in enumerate(article.organisations):
        details = [
            ("Organisation", organisation.name_en),
            ("名称", organisation.name_zh),
            ("Kind", organisation.kind.replace("_", " ")),
        ]
        if organisation.role_en:
            details.append(("Role", organisation.role_en))
        claim = ClaimView(
            id=f"{prefix}-o{n}",
            kind="organisation",
            title=organisation.name_en,
            title_zh=organisation.name_zh,
            pieces=_span_list(organisation.span),
            details=details,
        )
        claims.append(_judged(claim, verdicts.get(("organisations", n))))
    for n, caveat in enumerate(article.caveats):
        details = [("Caveat", caveat.kind.replace("_", " ")), ("About", caveat.description_en)]
        if caveat.source_quote:
            details.append(("Quote", caveat.source_quote))
        claim = ClaimView(
            id=f"{prefix}-c{n}",
            kind="caveat",
            title=caveat.description_en,
            pieces=_span_list(caveat.span),
            details=details,
        )
        claims.append(_judged(claim, verdicts.get(("caveats", n))))
    return claims


def _locate_claim(segment: Segment, claim: str) -> Span | None:
    """Where an unverified claim's Chinese stands in the article (first occurrence): the whole claim
    text, else its longest run of Chinese ("(untranslated) 运动员参赛" -> 运动员参赛). None when the
    claim has no Chinese (a value, an English phrase) or it does not occur."""
    if not _CJK.search(claim):
        return None
    runs = sorted(_CJK_RUN.findall(claim), key=len, reverse=True)
    for needle in [claim, *runs[:1]]:
        located = segment.locate(needle)
        if located is not None and located[0] < located[1]:
            return located
    return None


def _unverified_claims(article: ArticleBriefing, segment: Segment | None, prefix: str) -> list[ClaimView]:
    """The claims the verifier moved out of the briefing. They carry no span; one with Chinese that
    occurs in the article is located there (:func:`_locate_claim`)."""
    claims: list[ClaimView] = []
    for n, unverified in enumerate(article.unverified):
        located = _locate_claim(segment, unverified.claim) if segment is not None else None
        claims.append(
            ClaimView(
                id=f"{prefix}-u{n}",
                kind="unverified",
                title=unverified.claim,
                verdict="contradicted",
                problem=unverified.problem,
                verdict_note=unverified.reason,
                pieces=[located] if located is not None else [],
                details=[("Claim", unverified.claim), ("Field", unverified.pointer)],
            )
        )
    return claims


def _segment_meta(segment: Segment | None) -> list[str]:
    if segment is None:
        return []
    meta = []
    if segment.region is not None:
        place = segment.region.en
        if segment.region.city_en:
            place = f"{segment.region.city_en}, {place}"
        meta.append(place)
    meta += [text for text in (segment.dateline, segment.byline, segment.source_tag) if text]
    return meta


def _article_meta(article: ArticleBriefing) -> list[str]:
    meta = []
    if article.region is not None:
        place = article.region.en
        if article.region.city_en:
            place = f"{article.region.city_en}, {place}"
        meta.append(place)
    meta += [
        text for text in (article.dateline, article.outlet, article.byline_en or article.byline_zh) if text
    ]
    return meta


def _verification_line(article: ArticleBriefing) -> str:
    summary = article.verification
    if summary is None:
        text = "No verification summary recorded"
    else:
        text = f"{summary.verified} of {summary.checked} checked claims verified against the source"
        if summary.facts_found:
            text += f"; the briefing covers {summary.facts_mentioned} of {summary.facts_found} figures the rules found"
    if summary is not None and summary.unconfirmed:
        text += f"; {summary.unconfirmed} the rules could neither confirm nor refute (marked unconfirmed)"
    if article.unverified:
        text += f". {len(article.unverified)} claim(s) the source contradicts are listed apart, not in the briefing"
    return text + "."


def _source_view(
    segment: Segment, original: str, claims: list[ClaimView], anchor: str
) -> tuple[list[Fragment], int]:
    fragments = cut_source(
        original,
        segment.start,
        segment.end,
        claims,
        segment.repairs,
        segment.suspected_typos,
        _repair_markers(segment, anchor),
    )
    return fragments, len(segment.repairs)


def _check_source(briefing: PageBriefing, page: SegmentedPage) -> None:
    from summarizer.errors import InputError

    digest = briefing.source.sha256
    if digest is not None and digest != page.document.sha256:
        raise InputError(
            f"the briefing was made from another file than {page.source} (SHA-256 differs): "
            "give the source file the briefing was made from"
        )


def _verify_articles(
    briefing: PageBriefing, page: SegmentedPage, facts: FactTable | None
) -> dict[int, dict[tuple[str, int], list[Any]]]:
    """The verifier's results for each article as it stands, grouped by item."""
    from summarizer.rules.facts import extract_facts
    from summarizer.verify import ArticleSource, check_article

    table = facts if facts is not None else extract_facts(page)
    segments = {segment.index: segment for segment in page.segments}
    original = page.document.original
    verdicts: dict[int, dict[tuple[str, int], list[Any]]] = {}
    for position, article in enumerate(briefing.articles):
        segment = segments.get(article.index if article.index is not None else position)
        if segment is None:
            continue
        source = ArticleSource.from_segment(segment, table.for_segment(segment.index), original)
        check = check_article(source, article, fill_spans=False, article_number=position)
        verdicts[position] = _verdicts(check.results)
    return verdicts


def briefing_views(
    briefing: PageBriefing, page: SegmentedPage, facts: FactTable | None = None
) -> list[ArticleView]:
    """The articles of ``briefing`` as the report shows them (claims judged, source cut)."""
    _check_source(briefing, page)
    verdicts = _verify_articles(briefing, page, facts)
    segments = {segment.index: segment for segment in page.segments}
    original = page.document.original
    views: list[ArticleView] = []
    for position, article in enumerate(briefing.articles):
        index = article.index if article.index is not None else position
        segment = segments.get(index)
        prefix = f"a{index}"
        claims = _briefing_claims(article, prefix, verdicts.get(position, {}))
        if segment is None:  # the page has no such article: nothing to verify or show beside it
            for claim in claims:
                claim.verdict, claim.verdict_note, claim.pieces, claim.value_pieces = (
                    "not checked",
                    None,
                    [],
                    [],
                )
        claims += _unverified_claims(article, segment, prefix)
        fragments, repairs = _source_view(segment, original, claims, prefix) if segment else ([], 0)
        views.append(
            ArticleView(
                anchor=prefix,
                number=position + 1,
                title_en=article.headline_en,
                title_zh=article.headline_zh,
                meta=_article_meta(article),
                start=segment.start if segment else 0,
                end=segment.end if segment else 0,
                claims=claims,
                fragments=fragments,
                repairs=repairs,
                article=article,
                summary_line=_verification_line(article),
            )
        )
    return views


# --- claims of the rules-only view ---------------------------------------------------------------------------


def _fact_value(fact: Fact) -> str:
    if fact.value is None:
        return fact.text
    amount = format_amount(fact.value, fact.unit)
    if fact.value_max is not None:
        amount = f"{amount.removesuffix('%').removesuffix(' pp')}–{format_amount(fact.value_max, fact.unit)}"
    if fact.change == "increase":
        amount = f"+{amount}"
    elif fact.change == "decrease":
        amount = f"−{amount}"
    if fact.measure and fact.unit == "count":
        amount += f" ({fact.measure})"
    return QUALIFIER_WORDS.get(fact.qualifier, "") + amount


def _fact_claim(number: int, fact: Fact) -> ClaimView:
    indicator = fact.indicator_en or fact.indicator_zh or "(no indicator found)"
    details = [
        ("Indicator", fact.indicator_en or "(no glossary entry)"),
        ("指标", fact.indicator_zh or "—"),
        ("Value", _fact_value(fact)),
        ("Period", _period_text(fact.period, fact.cumulative)),
        ("Status", fact.status),
    ]
    if fact.comparison is not None:
        baseline = f" {fact.comparison.baseline}" if fact.comparison.baseline else ""
        details.append(("Compared", f"{fact.comparison.kind.replace('_', ' ')}{baseline}"))
    if fact.region is not None:
        details.append(("Region", fact.region.en))
    details.append(("Figure", fact.text))
    if fact.also_at:
        details.append(("Also at", ", ".join(f"{start}–{end}" for start, end in fact.also_at)))
    return ClaimView(
        id=f"f{number}",
        kind="fact",
        title=indicator,
        title_zh=fact.indicator_zh,
        status=fact.status,
        pieces=[(fact.start, fact.end)],
        value_pieces=[(fact.start, fact.end)],
        details=details,
    )


def facts_views(page: SegmentedPage, table: FactTable) -> list[ArticleView]:
    """The articles of ``page`` with their rule-based facts, as the report shows them."""
    original = page.document.original
    by_segment: dict[int, list[ClaimView]] = {segment.index: [] for segment in page.segments}
    for number, fact in enumerate(table.facts):
        by_segment.setdefault(fact.segment, []).append(_fact_claim(number, fact))
    views = []
    for position, segment in enumerate(page.segments):
        anchor = f"a{segment.index}"
        claims = by_segment.get(segment.index, [])
        fragments, repairs = _source_view(segment, original, claims, anchor)
        views.append(
            ArticleView(
                anchor=anchor,
                number=position + 1,
                title_en=None,
                title_zh=segment.title,
                meta=_segment_meta(segment),
                start=segment.start,
                end=segment.end,
                claims=claims,
                fragments=fragments,
                repairs=repairs,
                summary_line=f"{len(claims)} figure(s) found by the rules; not checked against a briefing.",
            )
        )
    return views


# --- the page ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Assets:
    template: Template
    css: Markup
    js: Markup
    policy: str


def _digest(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@lru_cache(maxsize=1)
def _assets() -> _Assets:
    """The template, stylesheet and script (package data), loaded and compiled once per process."""
    from jinja2 import DictLoader, Environment, StrictUndefined

    folder = resources.files("summarizer.output") / "templates"
    css = (folder / "report.css").read_text(encoding="utf-8")
    js = (folder / "report.js").read_text(encoding="utf-8")
    environment = Environment(
        loader=DictLoader({"report.html.j2": (folder / "report.html.j2").read_text(encoding="utf-8")}),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["source_text"] = _source_text
    # The claims' cards are JSON in a data block: Chinese as text, and (tojson's own escaping) no
    # <, >, & or ' that could end the block.
    environment.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}
    # Only the report's own stylesheet and script may run: an injected one would not match a hash.
    policy = (
        f"default-src 'none'; style-src '{_digest(css)}'; script-src '{_digest(js)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return _Assets(environment.get_template("report.html.j2"), Markup(css), Markup(js), policy)


def _render(view: str, title: str, header: dict[str, Any], articles: list[ArticleView]) -> str:
    assets = _assets()
    back = "briefing" if view == "briefing" else "table"
    cards = {claim.id: claim.card(back) for article in articles for claim in article.claims}
    return assets.template.render(
        view=view,
        title=title,
        header=header,
        articles=articles,
        cards=cards,
        css=assets.css,
        js=assets.js,
        policy=assets.policy,
    )


def render_briefing_html(briefing: PageBriefing, page: SegmentedPage, facts: FactTable | None = None) -> str:
    """The HTML report of a briefing beside its source (``page``: the segmented source it was made from).

    ``facts`` are the page's rule-based facts (extracted again when not given); the verifier uses
    them to judge each claim. Raises :class:`~summarizer.errors.InputError` when the briefing records
    a different source file.
    """
    name = briefing.source.path or page.source
    metadata = briefing.metadata
    header = {
        "heading": f"Briefing: {name}",
        "source": briefing.source.source or page.document.source,
        "facts": [f"{len(briefing.articles)} article(s)", provenance_line(metadata)],
        "notes": (metadata.notes or "").splitlines(),
        "run": run_line(metadata),
    }
    return _render("briefing", f"Briefing: {name}", header, briefing_views(briefing, page, facts))


def render_facts_html(page: SegmentedPage, table: FactTable) -> str:
    """The HTML report of the rule-based facts of ``page`` beside its source (no LLM, no verdicts)."""
    name = page.document.name
    header = {
        "heading": f"Facts: {name}",
        "source": page.document.source,
        "facts": [
            f"{len(page.segments)} article(s)",
            f"{len(table.facts)} figure(s)",
            "Rule-based facts only (no language model); nothing here is checked against a briefing",
        ],
        "notes": [],
        "run": "",
    }
    return _render("facts", f"Facts: {name}", header, facts_views(page, table))
