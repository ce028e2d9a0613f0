"""How many facts carry an English indicator label, over a corpus of real texts.

Every ``*.txt`` of the corpus is run through the rule path exactly as ``summarizer facts FILE --format
json`` runs it (read, segment, extract: :func:`summarizer.pipeline.analyse_file`). Coverage is the share
of facts whose ``indicator_translated`` is true (their ``indicator_en`` is non-empty) over all facts of
all files. Printed: coverage per file and overall; with ``--unlabelled`` the Chinese indicators left
without a label, most frequent first; with ``--sample N`` a random sample (``--seed``, fixed by default)
of N distinct composed labels (labels that are not a whole glossary entry) with their Chinese.

Usage::

    .venv/bin/python benchmarks/label_coverage.py [--corpus ../shared/corpus] [--quiet]
        [--unlabelled [N]] [--sample N] [--seed S] [--cli]

``--cli`` runs the ``summarizer`` command of this venv in a subprocess per file instead (slower, the
same figures). Exit 0 always (a measurement); ``--require R`` exits 1 when coverage is below R.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# The shared corpus beside the checkout (…/shared/corpus), or beside the folder of worktrees.
DEFAULT_CORPUS = next(
    (c for c in (REPO.parent / "shared" / "corpus", REPO.parents[1] / "shared" / "corpus") if c.is_dir()),
    REPO.parent / "shared" / "corpus",
)


def _facts_in_process(path: Path) -> list[dict[str, Any]]:
    from summarizer.pipeline import analyse_file

    return [fact.model_dump() for fact in analyse_file(path).facts.facts]


def _facts_by_cli(path: Path) -> list[dict[str, Any]]:
    command = [str(REPO / ".venv" / "bin" / "summarizer"), "facts", str(path), "--format", "json"]
    output = subprocess.run(command, capture_output=True, check=True, text=True).stdout
    payload = json.loads(output)
    facts = payload["facts"] if isinstance(payload, dict) else payload
    return list(facts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Share of facts with an English indicator label.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--quiet", action="store_true", help="only the overall line")
    parser.add_argument("--unlabelled", type=int, nargs="?", const=60, default=0, metavar="N",
                        help="list the N most frequent unlabelled indicators (default 60)")
    parser.add_argument("--sample", type=int, default=0, metavar="N", help="a random sample of N composed labels")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--cli", action="store_true", help="run the summarizer command per file")
    parser.add_argument("--require", type=float, default=None, metavar="R")
    args = parser.parse_args(argv)

    if not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}; give --corpus", file=sys.stderr)
        return 2
    read = _facts_by_cli if args.cli else _facts_in_process
    total = labelled = 0
    unlabelled: Counter[str] = Counter()
    composed: dict[str, str] = {}
    from summarizer.rules.glossary import load_glossary

    glossary = load_glossary()
    for path in sorted(args.corpus.glob("*.txt")):
        if path.name.lower() == "readme.txt":
            continue
        facts = read(path)
        done = sum(1 for fact in facts if fact.get("indicator_translated") and fact.get("indicator_en"))
        total += len(facts)
        labelled += done
        for fact in facts:
            zh = fact.get("indicator_zh") or ""
            if not fact.get("indicator_en"):
                unlabelled[zh or "(none)"] += 1
            elif glossary.translate_indicator(zh) is None:
                composed.setdefault(zh, fact["indicator_en"])
        if not args.quiet:
            share = done / len(facts) if facts else 1.0
            print(f"{path.name:<52} {share:.3f} ({done}/{len(facts)})")
    coverage = labelled / total if total else 1.0
    print(f"{'overall':<52} {coverage:.3f} ({labelled}/{total})  composed labels {len(composed)}")
    if args.unlabelled:
        print(f"\nunlabelled indicators ({sum(unlabelled.values())} facts, {len(unlabelled)} distinct):")
        for zh, count in unlabelled.most_common(args.unlabelled):
            print(f"{count:>4}  {zh}")
    if args.sample:
        chosen = sorted(composed)
        random.Random(args.seed).shuffle(chosen)
        print(f"\nsample of {min(args.sample, len(chosen))} composed labels (seed {args.seed}):")
        for zh in chosen[: args.sample]:
            print(f"{zh}\t{composed[zh]}")
    if args.require is not None and coverage < args.require:
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
