"""Speed of `summarizer facts` as a ratio to a regex-only baseline, measured in the same run.

    python benchmarks/bench_rules.py [--megabytes 1.0] [--runs 5] [--no-stages]

A ratio holds on a noisy machine where a throughput does not: a loaded machine slows the tool and
the baseline alike. Each row times, as CPU time (user + system, from ``os.wait4``) of a child process:

* the tool: ``summarizer facts FILE --format json`` on about 1 MB, less its start-up, measured as the
  same command on a one-line file (interpreter, imports, regexes compiled at import);
* the baseline, in a child of its own with its start-up subtracted the same way: a regex-only pass
  over the same file, which reads and decodes it, finds every Arabic number with an optional
  万/亿/万亿 scale and a unit group (元, 美元, 吨, 个, %, 个百分点 …), and computes each value.

The baseline and the tool run alternately, ``--runs`` times each, and the medians are compared:
``ratio = (tool - tool start-up) / (baseline - baseline start-up)``. Rows:

* seed: the seed repeated with its digits varied per copy (no two copies state the same figures);
* corpus: the 33 real texts of ../shared/corpus joined and repeated (skipped when it is absent);
* pathological inputs (one huge line without punctuation, a page of digits …), reported as their
  cost per MB against the seed's: each is timed at a quarter of the size and at the full size, so
  the "x4 size" column shows the growth (4.0 for linear work; 16 would be quadratic).

The stage breakdown (read, repair, segment, facts, json) is timed in this process on the seed page,
to show where the time of the rule path goes.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_4e8de9e190906468.txt"
CORPUS = REPO.parent / "shared" / "corpus"

# The baseline: one regex pass, Arabic numbers, a scale, a unit group, values computed. It is run as
# ``python -c BASELINE FILE`` so that it pays for its start-up and its read like the tool does.
BASELINE = r"""
import re, sys
NUMBER = re.compile(
    r"(\d+(?:[.,]\d+)*)\s*(万亿|亿|万)?\s*"
    r"(个百分点|千瓦时|平方米|公里|美元|元|吨|辆|台|套|个|家|户|人|项|亩|座|件|次|%|％)?"
)
SCALES = {None: 1, "万": 10_000, "亿": 100_000_000, "万亿": 1_000_000_000_000}
with open(sys.argv[1], "rb") as handle:
    text = handle.read().decode("utf-8")
found = []
for match in NUMBER.finditer(text):
    digits, scale, unit = match.groups()
    found.append((float(digits.replace(",", "")) * SCALES[scale], unit, match.start(), match.end()))
print(len(found))
"""


def _cpu_of(command: list[str]) -> float:
    """CPU seconds (user + system) the child ``command`` used; its output is discarded."""
    with open(os.devnull, "wb") as devnull:
        process = subprocess.Popen(command, stdout=devnull, stderr=subprocess.PIPE, cwd=REPO)
        assert process.stderr is not None
        errors = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {errors.decode(errors='replace')}")
    return usage.ru_utime + usage.ru_stime


def _tool(path: Path) -> list[str]:
    return [sys.executable, "-m", "summarizer", "facts", str(path), "--format", "json"]


def _baseline(path: Path) -> list[str]:
    return [sys.executable, "-c", BASELINE, str(path)]


# --- the texts ---


def seed_page(megabytes: float, seed: int = 1) -> str:
    text = SEED.read_text(encoding="utf-8")
    rnd = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        copy = re.sub(r"\d", lambda _: str(rnd.randint(0, 9)), text)
        parts.append(copy)
        size += len(copy.encode("utf-8")) + 2
    return "\n\n".join(parts)


def corpus_page(megabytes: float, folder: Path = CORPUS) -> str | None:
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        return None
    corpus = "\n\n".join(path.read_text(encoding="utf-8") for path in files)
    copies = max(1, round(megabytes * 1_000_000 / len(corpus.encode("utf-8"))))
    return "\n\n".join([corpus] * copies)


def _repeat_to(unit: str, megabytes: float, head: str = "标题\n\n") -> str:
    copies = max(1, int(megabytes * 1_000_000 / len(unit.encode("utf-8"))))
    return head + unit * copies + "\n"


def _digits(megabytes: float) -> str:
    rnd = random.Random(3)
    lines = []
    size = 0
    while size < megabytes * 1_000_000:
        line = " ".join(str(rnd.randint(0, 10**rnd.randint(1, 9))) for _ in range(12))
        lines.append(line)
        size += len(line) + 1
    return "价格表\n" + "\n".join(lines) + "\n"


PATHOLOGICAL: dict[str, Callable[[float], str]] = {
    "one huge line, no punctuation": lambda mb: _repeat_to("全省规模以上工业增加值增长5.5%同比提高1.2个百分点", mb),
    "a page of digits": _digits,
    "one line of figures, commas only": lambda mb: _repeat_to("全省规模以上工业增加值增长5.5%，", mb),
    "near-identical paragraphs": lambda mb: _repeat_to("全市实现增加值5亿元，同比增长3%。\n", mb),
}


# --- measuring ---


class Measure:
    """Alternating runs of the baseline and the tool on the files of one row."""

    def __init__(self, directory: Path, runs: int) -> None:
        self.directory = directory
        self.runs = runs
        self.one_line = directory / "one_line.txt"
        self.one_line.write_text("全省规模以上工业增加值增长5.5%。\n", encoding="utf-8")
        self._startup: dict[str, list[float]] = {"tool": [], "baseline": []}

    def write(self, name: str, text: str) -> tuple[Path, float]:
        path = self.directory / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        return path, path.stat().st_size / 1_000_000

    def startup(self, which: str) -> float:
        return statistics.median(self._startup[which])

    def row(self, paths: list[Path], with_baseline: bool = True) -> tuple[list[float], float]:
        """Median net CPU seconds of the tool on each path, and of the baseline on the first."""
        tool: list[list[float]] = [[] for _ in paths]
        baseline: list[float] = []
        for _ in range(self.runs):
            self._startup["baseline"].append(_cpu_of(_baseline(self.one_line)))
            if with_baseline:
                baseline.append(_cpu_of(_baseline(paths[0])))
            self._startup["tool"].append(_cpu_of(_tool(self.one_line)))
            for times, path in zip(tool, paths, strict=True):
                times.append(_cpu_of(_tool(path)))
        tool_start, base_start = self.startup("tool"), self.startup("baseline")
        nets = [max(statistics.median(times) - tool_start, 1e-6) for times in tool]
        base = max(statistics.median(baseline) - base_start, 1e-6) if with_baseline else 0.0
        return nets, base


def stages(text: str, runs: int) -> None:

    from summarizer.layout.repair import repair_document
    from summarizer.layout.segment import segment_page
    from summarizer.output.tables import facts_payload, pretty_json
    from summarizer.rules.facts import extract_facts
    from summarizer.text.ingest import read_document

    data = text.encode("utf-8")
    timings: dict[str, list[float]] = {"read": [], "repair": [], "segment": [], "facts": [], "json": []}
    facts_count = segments = 0
    for _ in range(runs):
        t0 = time.process_time()
        document = read_document(data, max_bytes=len(data) + 1)
        t1 = time.process_time()
        repaired = repair_document(document)
        t2 = time.process_time()
        page = segment_page(repaired)
        t3 = time.process_time()
        table = extract_facts(page)
        t4 = time.process_time()
        pretty_json(facts_payload(table))
        t5 = time.process_time()
        for key, value in zip(timings, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
            timings[key].append(value)
        facts_count, segments = len(table.facts), len(page.segments)
    total = sum(statistics.median(values) for values in timings.values())
    print(f"\nrule path in-process on the seed page ({segments} articles, {facts_count} facts), CPU median of {runs}:")
    for key, values in timings.items():
        median = statistics.median(values)
        print(f"  {key:8} {median * 1000:8.1f} ms  {median / total:6.1%}")
    print(f"  total    {total * 1000:8.1f} ms  {len(data) / 1_000_000 / total:.2f} MB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"the real texts (default {CORPUS})")
    parser.add_argument("--no-stages", action="store_true", help="skip the in-process stage breakdown")
    parser.add_argument("--no-pathological", action="store_true", help="skip the pathological inputs")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench_rules_") as folder:
        measure = Measure(Path(folder), args.runs)
        rows: list[tuple[str, str | None]] = [
            ("seed", seed_page(args.megabytes)),
            ("corpus", corpus_page(args.megabytes, args.corpus)),
        ]
        print(
            f"`summarizer facts FILE --format json` vs a regex-only baseline, CPU time of the child,"
            f" median of {args.runs} alternating runs, start-up subtracted"
        )
        print(f"{'row':34} {'MB':>5} {'tool s':>7} {'base s':>7} {'tool MB/s':>9} {'ratio':>7}")
        seed_per_mb = None
        for name, text in rows:
            if text is None:
                print(f"{name:34} skipped: {args.corpus} is absent")
                continue
            path, size = measure.write(name, text)
            (tool,), base = measure.row([path])
            if name == "seed":
                seed_per_mb = tool / size
            print(f"{name:34} {size:5.2f} {tool:7.3f} {base:7.3f} {size / tool:9.2f} {tool / base:6.1f}x")
        assert seed_per_mb is not None
        print(
            f"start-up (one-line file): tool {measure.startup('tool') * 1000:.0f} ms,"
            f" baseline {measure.startup('baseline') * 1000:.0f} ms"
        )

        if args.no_pathological:
            PATHOLOGICAL.clear()
        else:
            print("\npathological inputs: cost per MB against the seed's, and growth from 1/4 to full size (4.0 = linear)")
            print(f"{'input':34} {'MB':>5} {'tool s':>7} {'per MB':>8} {'x4 size':>8}")
        for name, make in PATHOLOGICAL.items():
            slug = re.sub(r"\W+", "_", name)
            quarter, _ = measure.write(slug + "_quarter", make(args.megabytes / 4))
            full, size = measure.write(slug, make(args.megabytes))
            (small, large), _ = measure.row([quarter, full], with_baseline=False)
            print(f"{name:34} {size:5.2f} {large:7.3f} {large / size / seed_per_mb:7.2f}x {large / small:8.1f}")

    if not args.no_stages:
        stages(seed_page(args.megabytes), args.runs)


if __name__ == "__main__":
    main()
