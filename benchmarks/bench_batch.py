"""Benchmark ``summarizer batch --facts-only`` over the corpus: 1 vs 2 workers, and the manifest's cost.

Every timed run briefs the whole corpus (``/work/shared/corpus/*.txt``, 33 texts) into a fresh
output directory through :func:`summarizer.run_batch`, as ``summarizer batch CORPUS --out DIR
--facts-only --workers N`` does (output quiet). Runs of the configurations alternate so that a busy
spell of the machine hits them alike; the median of ``--repeat`` runs is reported.

* **files/s at 1 and 2 workers** and their ratio (the rule work is in the process pool; hashing the
  inputs, the manifest and the progress lines are the parent's), with the workers' CPU time: when
  the host is busy (the load average is printed) two workers get less than two cores, their CPU
  time stays put while the wall time does not halve;
* **the manifest's overhead**, measured two ways in the same invocation: (a) the time spent inside
  manifest calls (every SQLite write of the run, timed around each call) as a share of the run's
  wall time; (b) the wall time with the SQLite manifest against the same runs with a manifest that
  keeps its records in memory and writes nothing. (a) is the precise figure; (b) shows it in the
  wall time, within the machine's noise.

Usage::

    .venv/bin/python benchmarks/bench_batch.py [--corpus /work/shared/corpus] [--repeat 5]

Exit status 1 when the manifest takes 5% of the run or more; 0 (with a note) without the corpus.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from summarizer.batch.manifest import InputRecord, InputSummary, Manifest, RunTotals, input_key
from summarizer.batch.progress import PlainReporter
from summarizer.batch.runner import run_batch
from summarizer.settings import load_settings

CORPUS = Path("/work/shared/corpus")
CPU_OF_WORKERS: dict[tuple[int, str], list[float]] = {}


class TimedManifest:
    """The SQLite manifest, with the time spent in each of its calls added up."""

    def __init__(self, out_dir: Path) -> None:
        started = time.perf_counter()
        self._inner = Manifest(out_dir)
        self.seconds = time.perf_counter() - started
        self.calls = 1

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._inner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls += 1

        return timed


class MemoryManifest:
    """The same records kept in a dict: a run without manifest writes (for comparison only)."""

    def __init__(self) -> None:
        self.records: dict[str, InputRecord] = {}
        self.run_ids = itertools.count(1)

    def begin_run(self, kind: str) -> int:
        return next(self.run_ids)

    def end_run(self, run_id: int, status: str, totals: RunTotals) -> None:
        pass

    def register(self, paths: Sequence[Path]) -> list[InputRecord]:
        records = []
        for path in paths:
            key = input_key(path)
            records.append(
                self.records.setdefault(key, InputRecord(path=key, name=str(path), stem=path.stem, state="pending"))
            )
        return records

    def mark_running(self, key: str, run_id: int) -> None:
        record = self.records[key]
        self.records[key] = replace(record, state="running", run_id=run_id, attempts=record.attempts + 1)

    def mark_done(self, key: str, sha256: str, byte_size: int, summary: InputSummary) -> None:
        self.records[key] = replace(self.records[key], state="done", sha256=sha256, summary=summary)

    def mark_failed(
        self, key: str, error: str, sha256: str | None, byte_size: int | None, outputs: Sequence[str] = ()
    ) -> None:
        self.records[key] = replace(self.records[key], state="failed", error=error, outputs=list(outputs))

    def release(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.records[key] = replace(self.records[key], state="pending")

    def close(self) -> None:
        pass


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(inputs: list[Path], workers: int, store: str) -> tuple[float, float, int]:
    """Wall seconds, seconds inside the manifest, and inputs done, for one run into a fresh directory.

    The workers' CPU time is added to ``CPU_OF_WORKERS`` (they are reaped when the run ends)."""
    settings = load_settings({}, env={})
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        out.mkdir()
        manifest: Any = TimedManifest(out) if store == "sqlite" else MemoryManifest()
        inside = manifest.seconds if store == "sqlite" else 0.0
        cpu = children_cpu()
        started = time.perf_counter()
        report = run_batch(
            inputs,
            out,
            settings,
            facts_only=True,
            workers=workers,
            reporter=PlainReporter(io.StringIO()),
            manifest=manifest,
        )
        wall = time.perf_counter() - started + inside  # opening the manifest is part of a run
        CPU_OF_WORKERS.setdefault((workers, store), []).append(children_cpu() - cpu)
        if store == "sqlite":
            inside = manifest.seconds
            manifest.close()
    return wall, inside, report.tally.done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    inputs = sorted(args.corpus.glob("*.txt")) if args.corpus.is_dir() else []
    if not inputs:
        print(f"no corpus at {args.corpus}: nothing to measure")
        return 0

    load_before = os.getloadavg()[0]
    timed_run(inputs, 2, "sqlite")  # warm-up: imports, glossary, page cache
    CPU_OF_WORKERS.clear()
    configurations = [(1, "sqlite"), (2, "sqlite"), (2, "memory")]
    walls: dict[tuple[int, str], list[float]] = {c: [] for c in configurations}
    shares: list[float] = []
    for _ in range(args.repeat):
        for workers, store in configurations:
            wall, inside, done = timed_run(inputs, workers, store)
            if done != len(inputs):
                print(f"only {done} of {len(inputs)} inputs were briefed", file=sys.stderr)
                return 1
            walls[(workers, store)].append(wall)
            if store == "sqlite":
                shares.append(inside / wall)

    def rate(key: tuple[int, str]) -> float:
        return len(inputs) / statistics.median(walls[key])

    one, two = rate((1, "sqlite")), rate((2, "sqlite"))
    size = sum(p.stat().st_size for p in inputs)
    print(
        f"corpus: {len(inputs)} files, {size / 1024:.0f} KiB; median of {args.repeat} runs each; "
        f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after ({os.cpu_count()} CPUs)"
    )
    for key in configurations:
        print(
            f"  workers={key[0]} manifest={key[1]:<6}  {statistics.median(walls[key]):.3f} s  "
            f"({min(walls[key]):.3f}-{max(walls[key]):.3f})  {rate(key):.1f} files/s  "
            f"workers' CPU {statistics.median(CPU_OF_WORKERS[key]):.3f} s"
        )
    print(f"2 workers / 1 worker: {two / one:.2f}x files/s")
    share = statistics.median(shares)
    memory_wall = statistics.median(walls[(2, "memory")])
    sqlite_wall = statistics.median(walls[(2, "sqlite")])
    print(
        f"manifest: {share * 100:.2f}% of the run inside manifest calls (median; max {max(shares) * 100:.2f}%); "
        f"wall with vs without manifest writes at 2 workers: {(sqlite_wall / memory_wall - 1) * 100:+.1f}%"
    )
    return 0 if share < 0.05 else 1


if __name__ == "__main__":
    raise SystemExit(main())
