"""Benchmark: ``summarizer brief SEED --offline`` (replaying the seed's recording) as a user runs it.

Run with ``python benchmarks/bench_brief_offline.py [--runs N]``. Each run is a fresh interpreter,
as on the command line. Reported, all measured in this one run so that a busy machine slows every
figure alike:

* the wall time of the offline brief (replay through instructor and vcrpy, verification, rendering);
* the wall time of ``summarizer --version`` (interpreter start-up and the CLI's imports) and of
  ``summarizer facts SEED`` (the rule path), and the brief's time as a ratio of each.

The brief replaces an assertion that once lived in ``tests/test_brief.py`` (a timed assertion fails
on a busy machine). The script exits 1 when the brief takes more than ``--max-ratio`` (default 15)
times the rule path, a sign that something heavy has crept into the offline path.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_4e8de9e190906468.txt"


def _clean_env(home: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY") and not k.startswith("SUMMARIZER_")}
    env.update(HOME=home, PYTHONPATH=str(REPO))
    return env


def _wall(args: list[str], cwd: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "summarizer", *args], cwd=cwd, env=env, capture_output=True, check=False
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"summarizer {' '.join(args)} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5)")
    parser.add_argument("--max-ratio", type=float, default=15.0, help="largest brief/facts ratio accepted")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as work:
        env = _clean_env(work)
        commands = {
            "version": ["--version"],
            "facts": ["facts", str(SEED), "--format", "json"],
            "brief --offline": ["brief", str(SEED), "--offline", "--out", str(Path(work) / "out")],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        _wall(commands["brief --offline"], work, env)  # warm the file cache and bytecode
        for _ in range(args.runs):  # interleaved, so that load changes hit every command alike
            for name, command in commands.items():
                times[name].append(_wall(command, work, env))
    median = {name: statistics.median(values) for name, values in times.items()}
    for name, value in median.items():
        print(f"{name:<16} median {value:6.2f} s  best {min(times[name]):6.2f} s  ({args.runs} runs)")
    brief_over_facts = median["brief --offline"] / median["facts"]
    print(f"brief --offline / --version: {median['brief --offline'] / median['version']:.1f}x")
    print(f"brief --offline / facts:     {brief_over_facts:.1f}x")
    return 0 if brief_over_facts <= args.max_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
