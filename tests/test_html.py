"""The HTML report without a browser: cutting at code points, escaping, the page's policy, the files.

What a reader sees in a real browser is checked in ``test_html_browser.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from summarizer.briefing.models import UnverifiedClaim
from summarizer.errors import InputError
from summarizer.layout.repair import Repair
from summarizer.output.files import write_outputs
from summarizer.output.html import (
    ClaimView,
    briefing_views,
    cut_source,
    facts_views,
    render_briefing_html,
    render_facts_html,
)
from summarizer.pipeline import analyse_file, brief_file
from summarizer.settings import load_settings

from helpers import REPO, SEED, run_cli
from html_helpers import (
    INJECTION,
    MARKUP_ANSWER,
    SECRET,
    brief_with_answer,
    grounded_claims,
    seed_analysis,
    seed_briefing,
)


class _Page(HTMLParser):
    """Every element of a page with its attributes, and the text of its scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._inside: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._inside = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._inside:
            self._inside = None

    def handle_data(self, data: str) -> None:
        if self._inside == "script":
            self.scripts[-1] += data
        elif self._inside == "style":
            self.styles[-1] += data


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


# -- the source view is the original text, cut at code points ------------------------------------------------


def test_seed_views_show_the_original_text_and_every_grounded_span() -> None:
    analysis = seed_analysis()
    briefing = seed_briefing()
    views = briefing_views(briefing, analysis.page, analysis.facts)
    original = analysis.document.original
    expected = grounded_claims(briefing, analysis)
    shown: dict[str, str] = {}
    for view in views:
        assert "".join(f.text for f in view.fragments) == original[view.start : view.end]
        for fragment in view.fragments:
            for claim_id in fragment.claims.split():
                shown[claim_id] = shown.get(claim_id, "") + fragment.text
    assert shown == expected
    assert len(expected) > 150  # the seed's briefing grounds every metric, target, name and caveat


def test_a_quote_from_separate_places_is_highlighted_piece_by_piece() -> None:
    from summarizer.briefing.models import PageBriefing
    from summarizer.verify import ArticleSource, check_article

    analysis = seed_analysis()
    # The hand-written reference quotes a figure across a moved fragment (实施“产品创新强基”项目106个);
    # checking it against the source fills its pieces, as the engine does for a model's quote.
    briefing = PageBriefing.model_validate_json((REPO / "seeds" / "000_4e8de9e190906468.briefing.json").read_text("utf-8"))
    for article in briefing.articles:
        index = article.index or 0
        facts = analysis.facts.for_segment(index)
        source = ArticleSource.from_segment(
            analysis.page.segments[index], facts, analysis.document.original, analysis.facts.document_date
        )
        check_article(source, article)
    pieced = [
        (article.index, number, metric)
        for article in briefing.articles
        for number, metric in enumerate(article.metrics)
        if metric.span_pieces
    ]
    assert pieced, "the seed has a figure quoted across a moved fragment"
    views = {view.anchor: view for view in briefing_views(briefing, analysis.page, analysis.facts)}
    original = analysis.document.original
    for index, number, metric in pieced:
        claim_id = f"a{index}-m{number}"
        text = "".join(f.text for f in views[f"a{index}"].fragments if claim_id in f.claims.split())
        assert metric.span_pieces is not None and metric.span is not None
        assert text == "".join(
            original[p.start : p.end] for p in sorted(metric.span_pieces, key=lambda p: p.start)
        )
        assert len(text) < metric.span.end - metric.span.start  # the text between the pieces is not claimed


def _claim(claim_id: str, pieces: list[tuple[int, int]]) -> ClaimView:
    return ClaimView(
        id=claim_id, kind="metric", title=claim_id, status="actual", pieces=pieces, verdict="verified"
    )


_TEXT = st.text(alphabet=st.sampled_from(list("数字经济增长15%。\r\n 𠀀🏭ab")), min_size=1, max_size=60)


@st.composite
def _cut_case(draw: st.DrawFn) -> tuple[str, int, int, list[ClaimView], list[Repair]]:
    text = draw(_TEXT)
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    claims = []
    for number in range(draw(st.integers(0, 5))):
        cuts = sorted(draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=6, unique=True)))
        pieces = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
        claims.append(_claim(f"c{number}", pieces))
    repairs = []
    for _ in range(draw(st.integers(0, 3))):
        lo = draw(st.integers(0, len(text)))
        hi = draw(st.integers(lo, len(text)))
        repairs.append(Repair(kind="joined_break", start=lo, end=hi, text=text[lo:hi], detail="joined"))
    return text, start, end, claims, repairs


@settings(max_examples=300, deadline=None)
@given(_cut_case())
def test_cutting_keeps_the_text_and_each_claims_pieces(
    case: tuple[str, int, int, list[ClaimView], list[Repair]],
) -> None:
    text, start, end, claims, repairs = case
    fragments = cut_source(text, start, end, claims, repairs)
    assert "".join(f.text for f in fragments) == text[start:end]
    for claim in claims:
        clipped = [(max(s, start), min(e, end)) for s, e in claim.pieces if max(s, start) < min(e, end)]
        shown = "".join(f.text for f in fragments if claim.id in f.claims.split())
        assert shown == "".join(text[s:e] for s, e in clipped)
        anchors = [m for f in fragments for m in f.markers if m.id == f"src-{claim.id}"]
        assert len(anchors) == (1 if claim.pieces else 0)


def test_offsets_are_code_points_even_beyond_the_basic_plane_and_with_cr(tmp_path: Path) -> None:
    source = tmp_path / "astral.txt"
    source.write_bytes(
        "𠀀🏭湖南新闻\r\n\r\n本报讯 🏭2023年，𠀀湖南省数字经济总量突破1.7万亿元，增长15%。\r\n".encode()
    )
    analysis = analyse_file(source)
    original = analysis.document.original
    assert analysis.facts.facts
    html = render_facts_html(analysis.page, analysis.facts)
    for view in facts_views(analysis.page, analysis.facts):
        for claim in view.claims:
            ((start, end),) = claim.pieces
            assert (
                "".join(f.text for f in view.fragments if claim.id in f.claims.split()) == original[start:end]
            )
    # The HTML parser would turn CR LF into LF: CRs are character references, so the page keeps them.
    assert "&#13;\n" in html and "\r" not in html.split("<main>", 1)[1]


# -- article text and model text are data -----------------------------------------------------------------


def test_markup_in_the_article_and_in_the_model_answer_is_text(tmp_path: Path) -> None:
    result = brief_with_answer(INJECTION, MARKUP_ANSWER, tmp_path / "out", formats="html")
    html = result.outputs[0].read_text(encoding="utf-8")
    page = parse(html)
    scripts = [attrs for tag, attrs in page.elements if tag == "script"]
    assert scripts == [
        {"type": "application/json", "id": "claims-data"},
        {},
    ]  # the cards' data, the report's own
    handlers = [(tag, name) for tag, attrs in page.elements for name in attrs if name.startswith("on")]
    assert handlers == []
    assert not [tag for tag, _ in page.elements if tag in ("img", "b")]  # the answer's and the article's tags
    assert "&lt;script&gt;window.__pwned = &#34;headline&#34;&lt;/script&gt;" in html
    # In the cards' JSON no <, > or & is left to end the data block.
    cards = page.scripts[0]
    assert "<" not in cards and ">" not in cards and "&" not in cards
    assert "\\u003c/template\\u003e\\u003cscript\\u003e" in cards
    assert "&lt;img src=x onerror=&#34;window.__pwned = 2&#34;&gt;" in html  # the article's own markup


def _digest(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_the_page_allows_only_its_own_script_and_style_and_loads_nothing() -> None:
    analysis = seed_analysis()
    html = render_briefing_html(seed_briefing(), analysis.page, analysis.facts)
    page = parse(html)
    policy = next(
        a["content"]
        for tag, a in page.elements
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert policy is not None and policy.startswith("default-src 'none';")
    data, script = page.scripts  # a JSON data block (never run) and the report's script
    assert f"script-src '{_digest(script)}'" in policy
    assert f"style-src '{_digest(page.styles[0])}'" in policy
    assert len(page.styles) == 1 and isinstance(json.loads(data), dict)
    # The script writes data as text only: no way from a string to markup or code.
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "Function(",
        "setAttribute",
    ):
        assert sink not in script, sink
    for tag, attrs in page.elements:
        assert "style" not in attrs, tag  # a style attribute would be blocked by the policy
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith(("#", "data:")), (tag, name, value)
    assert (
        "url(" not in page.styles[0]
        and "@import" not in page.styles[0]
        and "@font-face" not in page.styles[0]
    )
    assert "fetch(" not in script and "XMLHttpRequest" not in script


def test_secrets_are_scrubbed_from_the_report_as_written_and_as_escaped(tmp_path: Path) -> None:
    analysis = seed_analysis()
    briefing = seed_briefing()
    briefing.articles[0].summary_en += f" Key: {SECRET}"
    written = write_outputs(
        briefing, tmp_path, "seed", "all", [SECRET], page=analysis.page, facts=analysis.facts
    )
    assert [p.suffix for p in written] == [".md", ".json", ".html"]
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert SECRET not in text and str(escape(SECRET)) not in text, path
    assert "[REDACTED]" in (tmp_path / "seed.briefing.html").read_text(encoding="utf-8")


# -- verdicts -------------------------------------------------------------------------------------------------


def test_a_claim_that_fails_verification_is_marked_with_its_verdict() -> None:
    analysis = seed_analysis()
    briefing = seed_briefing()
    metric = briefing.articles[0].metrics[0]
    metric.value *= 10  # not finalised: the report's own verification must catch it
    views = briefing_views(briefing, analysis.page, analysis.facts)
    claim = next(c for c in views[0].claims if c.id == "a0-m0")
    assert claim.flagged and claim.verdict not in (None, "verified")
    assert claim.verdict_note
    flagged = [f for f in views[0].fragments if "a0-m0" in f.claims.split()]
    assert flagged and all("flagged" in f.css.split() for f in flagged)
    others = [c for c in views[0].claims if c.id != "a0-m0" and c.kind == "metric"]
    assert all(c.verdict in ("verified", "unconfirmed") and not c.flagged for c in others)


def test_contradicted_and_unconfirmed_claims_are_marked_apart() -> None:
    analysis = seed_analysis()
    briefing = seed_briefing()
    briefing.articles[1].unverified = [
        UnverifiedClaim(
            pointer="/metrics/0/value", claim="上海", problem="wrong_value", reason="the source says otherwise"
        ),
        UnverifiedClaim(pointer="/summary_en", claim="42", problem="unsupported_number", reason="not in the article"),
        UnverifiedClaim(
            pointer="/metrics/2/indicator_en", claim="(untranslated) 新型工业化", problem="wrong_indicator", reason="…"
        ),
    ]
    html = render_briefing_html(briefing, analysis.page, analysis.facts)
    views = briefing_views(briefing, analysis.page, analysis.facts)
    contradicted, unlocated, untranslated = views[1].of_kind("unverified")
    ((start, end),) = untranslated.pieces  # located by its Chinese words
    assert analysis.document.original[start:end] == "新型工业化"
    assert contradicted.verdict == "contradicted" and contradicted.located  # its text is in the article
    assert unlocated.flagged and not unlocated.located
    assert any(contradicted.id in f.claims.split() and "flagged" in f.css for f in views[1].fragments)
    assert 'class="verdict verdict-flagged" title="the source says otherwise">contradicted: wrong value<' in html
    assert "not located in the source" in html
    # A claim the rules can neither confirm nor refute (a period stated more coarsely than the
    # source's) is kept in the briefing and marked unconfirmed, not flagged.
    doubted = [claim for view in views for claim in view.claims if claim.doubted]
    assert doubted and not any(claim.flagged for claim in doubted)
    assert all(claim.problem == "wrong_period" for claim in doubted)
    assert 'class="verdict verdict-unconfirmed"' in html and "unconfirmed: wrong period" in html


def test_a_briefing_of_another_file_is_refused() -> None:
    other = analyse_file(INJECTION)
    with pytest.raises(InputError, match="another file"):
        render_briefing_html(seed_briefing(), other.page, other.facts)


# -- layout repairs are visible ---------------------------------------------------------------------------------


def test_every_repair_is_labelled_and_a_moved_fragment_points_to_where_it_is_read() -> None:
    analysis = seed_analysis()
    views = briefing_views(seed_briefing(), analysis.page, analysis.facts)
    for view, segment in zip(views, analysis.page.segments, strict=True):
        labels = {m.id: m for f in view.fragments for m in f.markers if m.id and "-rp" in m.id}
        numbered = [m for m in labels if not m.endswith("-to")]
        assert len(numbered) == len(segment.repairs)
        position = view.start
        for fragment in view.fragments:
            for repair in segment.repairs:
                if repair.start <= position and position + len(fragment.text) <= repair.end and fragment.text:
                    assert f"rp-{repair.kind.replace('_', '-')}" in fragment.css
            for marker in fragment.markers:
                if marker.id and marker.id.endswith("-to"):
                    moved = next(r for r in segment.repairs if r.kind == "moved_fragment")
                    assert f"at offset {position}" in moved.detail  # where the repair says it belongs
                    assert marker.href == f"#{marker.id.removesuffix('-to')}"
            position += len(fragment.text)
    pull_quotes = [f for f in views[0].fragments if "rp-removed-pull-quote" in f.css]
    assert "".join(f.text for f in pull_quotes).count("。") == len(analysis.page.segments[0].pull_quotes)


# -- commands ---------------------------------------------------------------------------------------------------------


def test_brief_format_html_and_all(tmp_path: Path) -> None:
    settings = load_settings({"out_dir": tmp_path}, env={}, cwd=tmp_path)
    only = brief_file(SEED, settings, formats="html")
    assert [p.name for p in only.outputs] == ["000_4e8de9e190906468.briefing.html"]
    everything = brief_file(SEED, settings.replace(out_dir=tmp_path / "all"))
    assert [p.suffix for p in everything.outputs] == [".md", ".json", ".html"]
    html = everything.outputs[2].read_text(encoding="utf-8")
    assert (
        html.startswith("<!DOCTYPE html>")
        and "Hand-written reference briefing (not a model&#39;s output)" in html
    )


def test_facts_format_html_on_the_command_line(tmp_path: Path) -> None:
    result = run_cli("facts", str(SEED), "--format", "html")
    assert result.returncode == 0, result.stderr
    page = parse(result.stdout)
    marks = [attrs for tag, attrs in page.elements if tag == "mark"]
    ids = {claim for attrs in marks for claim in (attrs.get("data-claims") or "").split()}
    facts = json.loads(run_cli("facts", str(SEED), "--format", "json").stdout)["facts"]
    assert ids == {f"f{n}" for n in range(len(facts))}
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    failed = run_cli("facts", str(bad), "--format", "html")
    assert failed.returncode == 2 and failed.stdout == "" and failed.stderr.count("\n") == 1


def test_brief_rejects_an_unknown_format_in_one_line(tmp_path: Path) -> None:
    result = run_cli("brief", str(SEED), "--format", "pdf", "--out", str(tmp_path), "--offline")
    assert result.returncode == 2 and "'html'" in result.stderr and "Traceback" not in result.stderr


def test_the_renderer_loads_lazily() -> None:
    code = (
        "import sys, summarizer, summarizer.cli, summarizer.pipeline, summarizer.output.files; "
        "print(sorted(m for m in ('jinja2', 'summarizer.output.html', 'playwright') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"


def test_the_template_ships_as_package_data() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"output/templates/*"' in pyproject
    shipped = sorted(p.name for p in (REPO / "summarizer" / "output" / "templates").iterdir())
    assert shipped == ["report.css", "report.html.j2", "report.js"]


def test_facts_view_of_a_page_without_figures() -> None:
    analysis = analyse_file(
        "湖南新闻\n\n本报讯 湖南省召开工作会议，部署下一步工作。\n".encode(), name="plain.txt"
    )
    html = render_facts_html(analysis.page, analysis.facts)
    assert "0 figure(s)" in html and "<mark" not in html


def test_rendering_does_not_change_the_briefing() -> None:
    analysis = seed_analysis()
    briefing = seed_briefing()
    before = briefing.model_dump()
    render_briefing_html(briefing, analysis.page, analysis.facts)
    assert briefing.model_dump() == before


def test_report_of_the_seed_names_each_claims_verdict_and_offsets() -> None:
    analysis = seed_analysis()
    html = render_briefing_html(seed_briefing(), analysis.page, analysis.facts)
    card = json.loads(parse(html).scripts[0])["a0-m0"]
    assert card["status"] == "actual" and card["verdict"] == "verified" and not card["flagged"]
    text = " ".join(value for _, value in card["rows"])
    for expected in (
        "size of the digital economy",
        "over CNY 1.7 trn",
        "2023",
        "actual",
        "verified",
        "characters 80–97",
    ):
        assert expected in text
