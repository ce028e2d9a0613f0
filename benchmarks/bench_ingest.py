"""Cost of honest decoding: reading the same 1 MB page in each encoding, and the whole rule path on
its traditional (Big5) twin, as ratios to UTF-8 measured in one run.

    python benchmarks/bench_ingest.py [--megabytes 1.0] [--runs 5]

The page is the seed repeated (digits varied per copy, as in bench_rules.py). UTF-8 is decoded at
once; GB18030 and Big5 are both decoded and scored (the evidence that tells them apart); UTF-16
without a BOM is tried in both byte orders. Ratios, not seconds, are the figures to compare: a busy
machine slows every case alike. The traditional twin is made with OpenCC (s2tw), character for
character, so its rule path does the same work plus the traditional → simplified character map.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_rules import synthetic_page

from summarizer.pipeline import analyse_file
from summarizer.text.ingest import read_document


def _median(action: Callable[[], object], runs: int) -> float:
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    import opencc

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    simplified = synthetic_page(args.megabytes).decode("utf-8")
    traditional = opencc.OpenCC("s2tw.json").convert(simplified)
    inputs = {
        "utf-8": simplified.encode("utf-8"),
        "gb18030": simplified.encode("gb18030"),
        "big5": traditional.encode("big5", errors="replace"),
        "utf-16-le (no BOM)": simplified.encode("utf-16-le"),
    }
    limit = 4 * max(len(data) for data in inputs.values())
    read = {
        name: _median(partial(read_document, data, max_bytes=limit, name="page.txt"), args.runs)
        for name, data in inputs.items()
    }
    base = read["utf-8"]
    print(f"read & decode {len(simplified):,} characters ({args.runs} runs, median):")
    for name, seconds in read.items():
        print(f"  {name:<20} {seconds * 1000:7.1f} ms  {seconds / base:5.1f}x utf-8")
    rules = {
        name: _median(partial(analyse_file, inputs[name], max_bytes=limit, name="page.txt"), max(1, args.runs // 2))
        for name in ("utf-8", "big5")
    }
    print("whole rule path (read, repair, segment, facts):")
    for name, seconds in rules.items():
        print(f"  {name:<20} {seconds:7.2f} s   {seconds / rules['utf-8']:5.2f}x utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
