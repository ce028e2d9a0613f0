"""Speed of the rule path (read, repair, segment, facts) and of `summarizer facts` on the seed.

    python benchmarks/bench_rules.py [--megabytes 1.0] [--runs 5]

Targets (issue 3): at least 1 MB of Chinese text per second on one core for the whole rule path,
and `summarizer facts` on the seed in under 0.5 s wall including interpreter start. The 1 MB page
is the seed repeated with its digits varied per copy (so no two copies state the same figures),
joined into one page of many articles.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_4e8de9e190906468.txt"


def synthetic_page(megabytes: float, seed: int = 1) -> bytes:
    text = SEED.read_text(encoding="utf-8")
    rnd = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        copy = re.sub(r"\d", lambda _: str(rnd.randint(0, 9)), text)
        parts.append(copy)
        size += len(copy.encode("utf-8")) + 2
    return "\n\n".join(parts).encode("utf-8")


def bench_rule_path(megabytes: float, runs: int) -> None:
    from summarizer.layout.repair import repair_document
    from summarizer.layout.segment import segment_page
    from summarizer.rules.facts import extract_facts
    from summarizer.text.ingest import read_document

    data = synthetic_page(megabytes)
    timings: dict[str, list[float]] = {"read": [], "repair": [], "segment": [], "facts": [], "total": []}
    facts_count = segments = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        document = read_document(data, max_bytes=len(data) + 1)
        t1 = time.perf_counter()
        repaired = repair_document(document)
        t2 = time.perf_counter()
        page = segment_page(repaired)
        t3 = time.perf_counter()
        table = extract_facts(page)
        t4 = time.perf_counter()
        for key, value in zip(timings, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0), strict=True):
            timings[key].append(value)
        facts_count, segments = len(table.facts), len(page.segments)
    size_mb = len(data) / 1_000_000
    print(f"rule path on {size_mb:.2f} MB ({segments} articles, {facts_count} facts), best of {runs}:")
    for key, values in timings.items():
        print(f"  {key:8} {min(values) * 1000:8.1f} ms")
    best = min(timings["total"])
    print(f"  throughput {size_mb / best:.2f} MB/s (target >= 1.0 MB/s)")


def bench_cli(runs: int) -> None:
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "summarizer", "facts", str(SEED), "--format", "json"],
            check=True,
            capture_output=True,
        )
        walls.append(time.perf_counter() - start)
    print(
        f"summarizer facts on the seed, wall incl. interpreter start: median {statistics.median(walls) * 1000:.0f} ms,"
        f" best {min(walls) * 1000:.0f} ms over {runs} runs (target < 500 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bench_rule_path(args.megabytes, args.runs)
    bench_cli(args.runs)


if __name__ == "__main__":
    main()
