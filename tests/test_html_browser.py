"""The HTML report in a real browser: Debian's headless Chromium driven by Playwright.

What a reader sees: one highlight per grounded claim whose text is the claim's source span, the
claim's card on hover and click, a click on a claim that scrolls to and flashes its span, layout
repairs drawn as such, markup in an article or a model answer shown as text and never run, no
console errors and no request beyond the file itself.

``scripts/install_browser.sh`` (run by the README's test command) installs Chromium and CJK fonts
from Debian's packages. Without a browser these tests skip, saying why; in CI (``CI`` set) they fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

from summarizer.output.html import render_facts_html
from summarizer.output.markdown import format_metric_value, format_period
from summarizer.pipeline import Analysis, analyse_file, brief_file
from summarizer.settings import load_settings

from helpers import SEED
from html_helpers import INJECTION, MARKUP_ANSWER, brief_with_answer, grounded_claims

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
T = TypeVar("T")
WIDE = {"width": 1400, "height": 900}
NARROW = {"width": 600, "height": 900}

# Texts of the marks naming each claim, in page order, joined: claim id -> text.
MARK_TEXTS = """() => {
  const texts = {};
  for (const mark of document.querySelectorAll("mark[data-claims]")) {
    for (const id of mark.dataset.claims.split(" ")) texts[id] = (texts[id] || "") + mark.textContent;
  }
  return texts;
}"""
IN_VIEW = """(element) => {
  const box = element.getBoundingClientRect();
  let scroller = element.closest(".source");
  const frame = scroller ? scroller.getBoundingClientRect() : { top: 0, bottom: window.innerHeight };
  return box.top >= Math.max(0, frame.top) - 1 && box.bottom <= Math.min(window.innerHeight, frame.bottom) + 1;
}"""


def off_the_browser_thread(action: Callable[[], T]) -> T:
    """Run ``action`` in a thread of its own: Playwright's sync API keeps an event loop running in
    this one, and briefing a page runs one of its own (asyncio.run)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(action).result()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = (
            f"no browser at {CHROMIUM}: run 'bash scripts/install_browser.sh' as root "
            "(apt-get install chromium fonts-noto-cjk)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Opened:
    """A report open in a browser tab, with what the tab complained about and asked for."""

    page: Any
    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.errors + [f"request to {url}" for url in self.requests if url != self.url]


def open_report(browser: Any, path: Path, viewport: dict[str, int] = WIDE) -> Opened:
    page = browser.new_page(viewport=viewport)
    opened = Opened(page, path.resolve().as_uri())
    page.on(
        "console", lambda message: opened.errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: opened.errors.append(f"uncaught: {error}"))
    page.on("request", lambda request: opened.requests.append(request.url))
    page.goto(opened.url)
    return opened


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Analysis, Any]:
    out = tmp_path_factory.mktemp("seed-report")
    settings = load_settings({"out_dir": out, "offline": True}, env={}, cwd=out)
    result = off_the_browser_thread(lambda: brief_file(SEED, settings, formats="html"))
    return result.outputs[0], analyse_file(SEED), result.briefing


def test_every_grounded_claim_is_one_highlight_of_its_source_span(browser: Any, seed_report: Any) -> None:
    path, analysis, briefing = seed_report
    opened = open_report(browser, path)
    expected = grounded_claims(briefing, analysis)
    assert len(expected) > 150
    assert opened.page.evaluate(MARK_TEXTS) == expected
    original = analysis.document.original
    for segment in analysis.page.segments:
        shown = opened.page.eval_on_selector(f"#a{segment.index}-text", "(pane) => pane.textContent")
        assert shown == original[segment.start : segment.end]
    assert opened.problems() == []


def test_hover_and_click_on_a_highlight_reveal_its_claim(browser: Any, seed_report: Any) -> None:
    path, _, briefing = seed_report
    opened = open_report(browser, path)
    page = opened.page
    article = briefing.articles[0]
    number, metric = next((n, m) for n, m in enumerate(article.metrics) if m.period and m.status == "actual")
    claim = f"a{article.index}-m{number}"
    # The metric's value is the innermost highlight there: its card comes first.
    page.locator(f'mark[data-claims^="{claim}"]').first.hover()
    popup = page.locator("#popup")
    assert popup.is_visible()
    card = popup.locator(".card").first.inner_text()
    for shown in (
        metric.indicator_en,
        format_metric_value(metric),
        format_period(metric.period),
        "actual",
        "verified",
    ):
        assert shown in card, (shown, card)
    page.mouse.move(5, 5)
    assert not popup.is_visible()

    target_number, target = next((n, t) for n, t in enumerate(article.targets) if t.span)
    target_id = f"a{article.index}-t{target_number}"
    page.locator(f'mark[data-claims~="{target_id}"]').first.click()
    assert popup.is_visible()
    texts = popup.inner_text()
    assert target.description_en in texts and "target" in texts
    assert page.locator(f"#claim-{target_id}").evaluate("(row) => row.classList.contains('peer')")
    popup.locator(f'[data-back="{target_id}"]').click()
    row = page.locator(f"#claim-{target_id}")
    assert row.evaluate(IN_VIEW) and "flash" in (row.get_attribute("class") or "")
    assert not popup.is_visible()
    assert opened.problems() == []


def test_clicking_a_claim_scrolls_to_its_span_and_flashes_it(browser: Any, seed_report: Any) -> None:
    path, _, briefing = seed_report
    opened = open_report(browser, path)
    page = opened.page
    article = briefing.articles[-1]
    number = len(article.metrics) - 1  # the last figure of the last article: far from the top
    claim = f"a{article.index}-m{number}"
    first = page.locator(f'mark[data-claims~="{claim}"]').first
    assert not first.evaluate(IN_VIEW)
    page.locator(f"#claim-{claim} a").click()
    assert first.evaluate(IN_VIEW)
    flashed = page.eval_on_selector_all(
        f'mark[data-claims~="{claim}"]', "(marks) => marks.every((m) => m.classList.contains('flash'))"
    )
    assert flashed
    assert opened.problems() == []


def test_layout_repairs_are_drawn_as_such(browser: Any, seed_report: Any) -> None:
    path, analysis, _ = seed_report
    page = open_report(browser, path).page
    segment = analysis.page.segments[0]
    labels = page.eval_on_selector_all(
        f"#a{segment.index}-text .rp-label",
        "(labels) => labels.map((l) => [l.id, getComputedStyle(l, '::before').content, l.offsetWidth > 0])",
    )
    moved = sum(1 for r in segment.repairs if r.kind == "moved_fragment")
    assert len(labels) == len(segment.repairs) + moved
    assert all(content not in ("none", '""') and visible for _, content, visible in labels)
    removed = page.eval_on_selector_all(
        f"#a{segment.index}-text .rp-removed-pull-quote",
        "(parts) => parts.map((p) => p.textContent).join('')",
    )
    for quote in segment.pull_quotes:
        assert quote in removed
    style = page.eval_on_selector(
        f"#a{segment.index}-text .rp-removed-pull-quote", "(p) => getComputedStyle(p).textDecorationLine"
    )
    assert "line-through" in style
    # The label of a moved fragment links to where it is read, and back.
    link = page.locator(f"#a{segment.index}-text a.rp-label-moved-fragment").first
    link.click()
    destination = page.locator(f"#a{segment.index}-text .rp-label-destination").first
    assert destination.evaluate(IN_VIEW)


def test_side_by_side_on_wide_screens_and_interleaved_on_narrow_ones(browser: Any, seed_report: Any) -> None:
    path, _, _ = seed_report
    layout = "() => { const b = document.querySelector('#a0 .brief').getBoundingClientRect(); const s = document.querySelector('#a0 .source').getBoundingClientRect(); return [b.right, b.bottom, s.left, s.top]; }"
    brief_right, _, source_left, _ = open_report(browser, path, WIDE).page.evaluate(layout)
    assert source_left > brief_right
    _, brief_bottom, _, source_top = open_report(browser, path, NARROW).page.evaluate(layout)
    assert source_top > brief_bottom


def test_markup_in_an_article_and_in_a_model_answer_never_runs(browser: Any, tmp_path: Path) -> None:
    result = off_the_browser_thread(
        lambda: brief_with_answer(INJECTION, MARKUP_ANSWER, tmp_path / "out", formats="html")
    )
    analysis = analyse_file(INJECTION)
    facts_path = tmp_path / "facts.html"
    facts_path.write_text(render_facts_html(analysis.page, analysis.facts), encoding="utf-8")
    for path in (result.outputs[0], facts_path):
        opened = open_report(browser, path)
        page = opened.page
        for mark in page.locator("mark[data-claims]").all():
            mark.hover()
            mark.click()  # every card the page has is put in the popup once
            page.keyboard.press("Escape")
        shown = page.locator("body").inner_text()
        assert "<script>window.__pwned = 1</script>" in shown  # the article's markup, as text
        assert '<img src=x onerror="window.__pwned = 2">' in shown
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        assert page.locator("img, b, main script").count() == 0
        assert opened.problems() == []
    page = open_report(browser, result.outputs[0]).page
    shown = page.locator("body").inner_text()
    for field_text in (
        '<script>window.__pwned = "headline"</script>',
        '<script>window.__pwned = "summary"</script>',
    ):
        assert field_text in shown  # the model's markup, as text
    page.locator('mark[data-claims~="a0-o0"]').first.click()
    assert '</template><script>window.__pwned = "role"</script>' in page.locator("#popup").inner_text()
    assert page.evaluate("() => typeof window.__pwned") == "undefined"


def test_facts_report_highlights_every_figure(browser: Any, tmp_path: Path) -> None:
    analysis = analyse_file(SEED)
    path = tmp_path / "facts.html"
    path.write_text(render_facts_html(analysis.page, analysis.facts), encoding="utf-8")
    opened = open_report(browser, path)
    texts = opened.page.evaluate(MARK_TEXTS)
    assert texts == {f"f{n}": fact.text for n, fact in enumerate(analysis.facts.facts)}
    fact = analysis.facts.facts[0]
    opened.page.locator('mark[data-claims~="f0"]').first.hover()
    card = opened.page.locator("#popup").inner_text()
    assert fact.indicator_en is not None and fact.indicator_en in card and fact.status in card
    assert opened.problems() == []


def test_offsets_hold_beyond_the_basic_plane_and_with_crlf(browser: Any, tmp_path: Path) -> None:
    source = tmp_path / "astral.txt"
    source.write_bytes(
        "𠀀🏭湖南新闻\r\n\r\n本报讯 🏭2023年，𠀀湖南省数字经济总量突破1.7万亿元，增长15%。\r\n".encode()
    )
    analysis = analyse_file(source)
    path = tmp_path / "astral.html"
    path.write_text(render_facts_html(analysis.page, analysis.facts), encoding="utf-8")
    opened = open_report(browser, path)
    original = analysis.document.original
    expected = {f"f{n}": original[fact.start : fact.end] for n, fact in enumerate(analysis.facts.facts)}
    assert expected and opened.page.evaluate(MARK_TEXTS) == expected
    segment = analysis.page.segments[0]
    pane = opened.page.eval_on_selector(f"#a{segment.index}-text", "(pane) => pane.textContent")
    assert pane == original[segment.start : segment.end] and "\r\n" in pane
    assert opened.problems() == []
