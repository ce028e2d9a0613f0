"""Regenerate the hand-written reference recordings of the seeds from their reference briefings.

For every ``seeds/<name>.txt`` with a ``seeds/<name>.briefing.json``, writes
``seeds/recordings/<name>.reference.cassette.yaml``: the engine's real requests, answered with the
reference briefing in OpenAI chat.completions wire format (one answer deliberately wrong, to
exercise a re-ask). These are labelled as hand-written reference responses, never as a model's.

Usage::

    .venv/bin/python scripts/regen_recordings.py [--check]

``--check`` writes nothing and exits 1 when a shipped recording differs from what would be
generated, ignoring only the wording of the verifier's re-ask feedback (tests/test_recordings.py
runs the same comparison).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
RECORDINGS = SEEDS / "recordings"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the reference recordings of the seeds.")
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 if a recording is stale")
    args = parser.parse_args(argv)

    from summarizer.testing.reference_cassette import (
        build_reference_cassette,
        cassette_path_for,
        is_up_to_date,
    )

    stale = 0
    for briefing in sorted(SEEDS.glob("*.briefing.json")):
        source = SEEDS / (briefing.name.removesuffix(".briefing.json") + ".txt")
        if not source.is_file():
            continue
        target = cassette_path_for(source, RECORDINGS)
        if args.check:
            with tempfile.TemporaryDirectory() as scratch:
                fresh = build_reference_cassette(source, briefing, Path(scratch) / target.name, root=ROOT)
                same = is_up_to_date(target, fresh)
            print(f"{'up to date' if same else 'STALE'}: {target.relative_to(ROOT)}")
            stale += not same
        else:
            build_reference_cassette(source, briefing, target, root=ROOT)
            print(f"wrote {target.relative_to(ROOT)}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
