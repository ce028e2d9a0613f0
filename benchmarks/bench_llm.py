"""Benchmark the LLM engine against the fake OpenAI server: concurrency and prompt overhead.

32 article segments (the seed page's four articles, eight times over) are extracted at
concurrency 8 from a fake endpoint that answers every request after 200 ms. The ideal wall time is
the model time alone: 32 / 8 x 0.2 s = 0.8 s; the engine should stay within 1.5x of it (1.2 s).
Everything else the engine does (prompt rendering, instructor, verification of every answer,
assembling the page) must fit in the remaining 0.4 s. The rule-based facts, an input of the engine,
are computed before timing starts, as ``summarizer brief`` computes them before extracting.

The fake server runs in a child process (a real endpoint does not share the engine's interpreter)
and one client serves every timed run after a warm-up run, as in a long-lived process. (With a
fresh client per run, ten connections are opened at once and the fake server's listen backlog of 5
makes the kernel drop some SYNs, which costs a one-second TCP retransmit: a property of the test
server, not of the engine.)

It also reports the prompt overhead per call: the estimated tokens of everything sent except the
article text (system prompt, instructions, glossary lines, the tool schema).

Usage::

    .venv/bin/python benchmarks/bench_llm.py [--segments 32] [--concurrency 8] [--latency 0.2] [--mode tools]

Exit status 1 when the median wall time exceeds 1.5x the ideal.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_4e8de9e190906468.txt"


def build_page(copies: int) -> Any:
    """A SegmentedPage with the seed's segments repeated ``copies`` times (indices renumbered)."""
    from summarizer.layout.segment import SegmentedPage, segment_document
    from summarizer.text.ingest import read_document

    page = segment_document(read_document(SEED))
    segments = []
    for copy in range(copies):
        for segment in page.segments:
            segments.append(segment.model_copy(update={"index": copy * len(page.segments) + segment.index}))
    return SegmentedPage(document=page.document, title=page.title, segments=segments, repairs=page.repairs)


def make_responder(page: Any, latency: float) -> Any:
    from summarizer.testing.fake_openai import FakeReply, FakeRequest

    titles = {segment.title for segment in page.segments}

    def responder(request: FakeRequest) -> FakeReply:
        user = next((m.get("content") for m in request.messages if m.get("role") == "user"), "") or ""
        title = next((t for t in titles if t in user), None)
        if title is None:
            return FakeReply.error(400, "benchmark responder: no known article in the request")
        answer = {
            "headline_zh": title,
            "headline_en": "Benchmark headline",
            "summary_en": "A benchmark answer without figures.",
        }
        return FakeReply.json_for_request(answer, latency=latency)

    return responder


async def measure(page: Any, settings: Any, facts: Any, repeat: int) -> list[tuple[float, float, Any]]:
    """Wall time, CPU time of this process (the engine: the server runs elsewhere) and outcome per run.

    One client serves every run, as in a long-lived process: its connections are opened by a
    warm-up run of the same page (imports, TLS-free connects and the pool are not what is measured).
    """
    from summarizer.llm.client import LLMClient
    from summarizer.llm.extract import extract_page_async

    results = []
    async with LLMClient(settings) as client:
        await extract_page_async(page, settings, facts=facts, client=client)
        for _ in range(repeat):
            cpu = time.process_time()
            started = time.perf_counter()
            outcome = await extract_page_async(page, settings, facts=facts, client=client)
            results.append((time.perf_counter() - started, time.process_time() - cpu, outcome))
    return results


def serve(latency: float) -> None:
    """Child process: run the fake server for the seed's articles until stdin closes."""
    from summarizer.testing.fake_openai import FakeOpenAIServer

    with FakeOpenAIServer(responder=make_responder(build_page(1), latency)) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--segments", type=int, default=32, help="segments to extract (multiple of 4)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds the fake model takes per answer")
    parser.add_argument("--mode", choices=["tools", "json", "md_json"], default="tools")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (the best and median are shown)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.latency)
        return 0

    from summarizer.llm.prompting import TOKEN_ESTIMATOR
    from summarizer.rules.facts import extract_facts
    from summarizer.settings import load_settings

    page = build_page(max(1, args.segments // 4))
    # The fake server runs in its own process, like a real endpoint: its threads must not compete
    # with the engine for this interpreter's GIL.
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--latency", str(args.latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        with tempfile.TemporaryDirectory() as scratch:
            settings = load_settings(
                {
                    "base_url": base_url,
                    "model": "fake-model",
                    "mode": args.mode,
                    "concurrency": args.concurrency,
                    "use_cache": False,
                    "log_calls": False,
                    "cache_dir": Path(scratch) / "cache",
                },
                env={},
            )
            # The rule-based facts are an input of the engine (brief computes them before extracting).
            facts = extract_facts(page)
            runs = asyncio.run(measure(page, settings, facts, args.repeat))
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(timeout=10)
    times = [wall for wall, _, _ in runs]
    cpus = [cpu for _, cpu, _ in runs]
    outcome = runs[-1][2]
    ideal = -(-len(page.segments) // args.concurrency) * args.latency
    best, median = min(times), statistics.median(times)
    overhead = outcome.prompt_overhead_tokens
    statuses = {a.status for a in outcome.articles}
    requests = outcome.usage.requests
    print(
        f"segments: {len(page.segments)}  concurrency: {args.concurrency}  latency: {args.latency:.3f} s  mode: {args.mode}"
    )
    print(f"requests per run: {requests}  article states: {', '.join(sorted(statuses))}")
    print(
        f"wall time: best {best:.3f} s, median {median:.3f} s over {args.repeat} runs "
        f"(ideal {ideal:.3f} s; median = {median / ideal:.2f}x ideal)"
    )
    print(
        f"engine CPU per run: median {statistics.median(cpus):.3f} s "
        f"({1000 * statistics.median(cpus) / len(page.segments):.1f} ms per segment; load average "
        f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs - other processes slow the run down)"
    )
    print(
        f"prompt overhead per call (everything but the article text): min {min(overhead):,}, "
        f"median {int(statistics.median(overhead)):,}, max {max(overhead):,} tokens [{TOKEN_ESTIMATOR}]"
    )
    within = median <= 1.5 * ideal
    print("PASS" if within else "FAIL", f"(median must be <= 1.5x ideal = {1.5 * ideal:.3f} s)")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
