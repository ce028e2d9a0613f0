"""Throughput of find_quantities (and find_periods) on about 1 MB of Chinese text.

Usage: python benchmarks/bench_quantities.py [--megabytes N] [--repeat N]

The text is the seed page repeated until it reaches the requested size in UTF-8 bytes (Chinese
characters are three bytes each, so 1 MB is roughly 350,000 characters). Each measurement is the
best of ``--repeat`` runs on one core; the first run also warms the numeral cache, as a long
document would.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from summarizer.rules.periods import find_periods  # noqa: E402
from summarizer.rules.quantities import find_quantities  # noqa: E402

SEED = REPO_ROOT / "seeds" / "000_4e8de9e190906468.txt"


def build_text(megabytes: float) -> str:
    page = SEED.read_text(encoding="utf-8")
    target = int(megabytes * 1_000_000)
    copies = max(1, -(-target // len(page.encode("utf-8"))))
    return page * copies


def best_of(repeat: int, run: Callable[[], int]) -> tuple[float, int]:
    best = float("inf")
    found = 0
    for _ in range(repeat):
        started = time.perf_counter()
        found = run()
        best = min(best, time.perf_counter() - started)
    return best, found


def report(name: str, text: str, seconds: float, found: int) -> None:
    size_mb = len(text.encode("utf-8")) / 1_000_000
    print(
        f"{name:<16} {len(text):>9,} chars  {size_mb:5.2f} MB  {seconds:6.3f} s  "
        f"{len(text) / seconds:>11,.0f} chars/s  {size_mb / seconds:6.2f} MB/s  {found:>7,} found"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    text = build_text(args.megabytes)
    seconds, found = best_of(args.repeat, lambda: len(find_quantities(text)))
    report("find_quantities", text, seconds, found)
    seconds, found = best_of(args.repeat, lambda: len(find_periods(text, default_year=2023)))
    report("find_periods", text, seconds, found)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
