"""Benchmark: verify the reference briefing of the seed page.

Run with ``python benchmarks/bench_verify.py [--runs N]``. Prints the median and best time of

* ``verify_briefing(page, briefing)`` — the whole verification, rule-based facts included, of an
  already segmented page (what the LLM engine and ``summarizer verify`` do after reading);
* the same with the fact table passed in (the facts are computed once per page anyway);
* ``verify_file(source, briefing)`` — read, decode, repair, segment, extract facts and verify.

The budget is 50 ms for ``verify_briefing`` after import; the script exits 1 when the median is
over it, so it can run in CI.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from summarizer.briefing.models import PageBriefing
from summarizer.layout.segment import segment_document
from summarizer.pipeline import verify_file
from summarizer.rules.facts import extract_facts
from summarizer.text.ingest import read_document
from summarizer.verify import verify_briefing

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_4e8de9e190906468.txt"
REFERENCE = REPO / "seeds" / "000_4e8de9e190906468.briefing.json"
BUDGET_MS = 50.0


def _measure(action: Callable[[], object], runs: int) -> tuple[float, float]:
    action()  # warm caches (compiled patterns, glossary) as a running process would have them
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs per case (default 30)")
    args = parser.parse_args(argv)

    page = segment_document(read_document(SEED))
    briefing = PageBriefing.model_validate_json(REFERENCE.read_text(encoding="utf-8"))
    facts = extract_facts(page)
    report = verify_briefing(page, briefing)
    if not report.ok:
        print(f"reference briefing does not verify: {report.failures} failures", file=sys.stderr)
        return 1

    cases: list[tuple[str, Callable[[], object]]] = [
        ("verify_briefing (facts extracted)", lambda: verify_briefing(page, briefing)),
        ("verify_briefing (facts given)", lambda: verify_briefing(page, briefing, facts)),
        ("verify_file (read + segment + verify)", lambda: verify_file(SEED, REFERENCE)),
    ]
    print(
        f"reference briefing: {len(report.claims)} claims, {len(briefing.articles)} articles, {args.runs} runs"
    )
    results: dict[str, float] = {}
    for name, action in cases:
        median, best = _measure(action, args.runs)
        results[name] = median
        print(f"  {name:40} median {median:7.1f} ms   best {best:7.1f} ms")
    headline = results["verify_briefing (facts extracted)"]
    verdict = "within" if headline <= BUDGET_MS else "OVER"
    print(f"verify_briefing median {headline:.1f} ms: {verdict} the {BUDGET_MS:.0f} ms budget")
    return 0 if headline <= BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
