"""Cost of the HTML report, as ratios to the work it is rendered after, measured in one run.

    python benchmarks/bench_html.py [--megabytes 1.0] [--runs 5]

* the seed's briefing report (``brief --format html``) against analysing the seed and replaying its
  briefing: the render (which verifies the briefing once more for the verdicts) should add a small
  fraction to every brief;
* the facts report (``facts --format html``) of the seed and of a fact-dense page of about 1 MB (the
  seed repeated with its digits varied, as in bench_rules.py) against the rule path on the same text.

Best of ``--runs`` for each, in one process, after one warm-up render (the template is compiled
once per process). Sizes of the pages written are printed too.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_rules import SEED, synthetic_page  # noqa: E402

T = TypeVar("T")


def best_of(runs: int, action: Callable[[], T]) -> tuple[float, T]:
    timings = []
    result: T | None = None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - start)
    assert result is not None
    return min(timings), result


def bench_briefing(runs: int) -> None:
    from summarizer.output.html import render_briefing_html
    from summarizer.pipeline import analyse_file, brief
    from summarizer.settings import load_settings

    settings = load_settings({"offline": True}, env={}, cwd=Path(tempfile.gettempdir()))
    analysis_time, analysis = best_of(runs, lambda: analyse_file(SEED))
    brief_time, result = best_of(runs, lambda: brief(analysis, settings))
    render_briefing_html(result.briefing, analysis.page, analysis.facts)  # warm-up: compiles the template
    render_time, html = best_of(
        runs, lambda: render_briefing_html(result.briefing, analysis.page, analysis.facts)
    )
    before = analysis_time + brief_time
    print(
        f"seed briefing report: render {render_time * 1000:.1f} ms vs analyse + replayed brief "
        f"{before * 1000:.1f} ms = {render_time / before:.2f}x; page {len(html.encode()) / 1000:.0f} kB"
    )


def bench_facts(label: str, data: bytes, runs: int) -> None:
    from summarizer.output.html import render_facts_html
    from summarizer.pipeline import analyse_file

    analysis_time, analysis = best_of(runs, lambda: analyse_file(data, max_bytes=len(data) + 1, name=label))
    render_facts_html(analysis.page, analysis.facts)
    render_time, html = best_of(runs, lambda: render_facts_html(analysis.page, analysis.facts))
    print(
        f"{label} facts report ({len(analysis.facts.facts)} figures, {len(data) / 1e6:.2f} MB): render "
        f"{render_time * 1000:.1f} ms vs rule path {analysis_time * 1000:.1f} ms = {render_time / analysis_time:.2f}x; "
        f"page {len(html.encode()) / 1e6:.2f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bench_briefing(args.runs)
    bench_facts("seed", SEED.read_bytes(), args.runs)
    bench_facts("synthetic", synthetic_page(args.megabytes), max(1, args.runs // 2))


if __name__ == "__main__":
    main()
