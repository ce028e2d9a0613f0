"""Benchmark the LLM engine against the fake OpenAI server: wall time, and tokens against plain instructor.

32 article segments (the seed page's four articles, eight times over) are extracted at
concurrency 8 from a fake endpoint that answers every request after 200 ms. The ideal wall time is
the model time alone: 32 / 8 x 0.2 s = 0.8 s; the engine should stay within 1.3x of it (1.04 s).
Everything else the engine does (prompt rendering, instructor, verification of every answer,
assembling the page) must fit in the remaining time. The rule-based facts, an input of the engine,
are computed before timing starts, as ``summarizer brief`` computes them before extracting.

The fake model answers as a faithful model would: with the seed's hand-written reference briefing,
written as the answer the engine asks for (metrics citing the figure list). The fake server runs
in a child process (a real endpoint does not share the engine's interpreter) and writes every
request it receives to a log; one client serves every timed run after a warm-up run, as in a
long-lived process.

Tokens are counted on the requests as sent, with real tokenizers (cl100k_base, DeepSeek's, Qwen's;
see :mod:`summarizer.llm.tokens`): per call, the overhead (everything but the article text: system
prompt, figure list, glossary, tool schema) and, for the whole run, the prompt tokens against
**plain instructor** on the same segments: instructor with a minimal briefing model (headline,
summary, metrics with a quote) and a one-line instruction, what a developer writes first. Output
tokens per article are counted on the answers.

Usage::

    .venv/bin/python benchmarks/bench_llm.py [--segments 32] [--concurrency 8] [--latency 0.2] [--mode tools]

Exit status 1 when a gate is missed: median wall time over 1.3x the ideal, overhead per call over
1,500 tokens, or the run's prompt tokens over 1.5x plain instructor's (cl100k_base).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_4e8de9e190906468.txt"
REFERENCE = ROOT / "seeds" / "000_4e8de9e190906468.briefing.json"
WALL_GATE = 1.3
OVERHEAD_GATE = 1_500
PLAIN_GATE = 1.5
TOKENIZERS = ("cl100k", "deepseek", "qwen")


class PlainMetric(BaseModel):
    indicator: str
    value: float
    unit: str
    quote: str


class PlainBriefing(BaseModel):
    """A briefing of the article."""

    headline_en: str
    summary_en: str
    metrics: list[PlainMetric]


PLAIN_SYSTEM = "Summarise this Chinese news article in English as a briefing, with its figures."


def build_page(copies: int) -> Any:
    """The seed's analysis with its segments repeated ``copies`` times (indices renumbered, facts too)."""
    from summarizer.layout.segment import SegmentedPage
    from summarizer.pipeline import Analysis, analyse_file

    analysis = analyse_file(SEED)
    page, facts = analysis.page, analysis.facts
    segments, copied = [], []
    width = len(page.segments)
    for copy in range(copies):
        for segment in page.segments:
            segments.append(segment.model_copy(update={"index": copy * width + segment.index}))
        copied.extend(f.model_copy(update={"segment": copy * width + f.segment}) for f in facts.facts)
    repeated = SegmentedPage(document=page.document, title=page.title, segments=segments, repairs=page.repairs)
    return Analysis(analysis.document, repeated, facts.model_copy(update={"facts": copied}))


def make_responder(latency: float, log: Path) -> Any:
    from summarizer.llm.answer import unmark
    from summarizer.pipeline import analyse_file
    from summarizer.testing.fake_openai import FakeReply, FakeRequest
    from summarizer.testing.reference_cassette import reference_answers

    analysis = analyse_file(SEED)
    citing = reference_answers(REFERENCE, analysis.page, analysis.facts)
    full = reference_answers(REFERENCE)
    by_text = {segment.text[:80]: segment.index for segment in analysis.page.segments}
    sink = log.open("a", encoding="utf-8")

    def responder(request: FakeRequest) -> FakeReply:
        user = unmark(next((str(m.get("content")) for m in request.messages if m.get("role") == "user"), ""))
        index = next((i for text, i in by_text.items() if text in user), None)
        if index is None:
            return FakeReply.error(400, "benchmark responder: no known article in the request")
        if request.tool_name == "PlainBriefing" or "PlainBriefing" in json.dumps(request.body or {}):
            answer: dict[str, Any] = {
                "headline_en": full[index]["headline_en"],
                "summary_en": full[index]["summary_en"],
                "metrics": [
                    {"indicator": m["indicator_en"], "value": m["value"], "unit": m["unit"], "quote": m["source_quote"]}
                    for m in full[index]["metrics"]
                ],
            }
            kind = "plain"
        else:
            answer, kind = citing[index], "engine"
        payload = json.dumps(answer, ensure_ascii=False)
        record = {"kind": kind, "article": index, "at": request.arrived_at, "body": request.body, "answer": payload}
        sink.write(json.dumps(record, ensure_ascii=False) + "\n")
        sink.flush()
        return FakeReply.json_for_request(answer, latency=latency)

    return responder


async def measure(analysis: Any, settings: Any, repeat: int) -> list[tuple[float, float, Any]]:
    """Wall time, CPU time of this process (the engine: the server runs elsewhere) and outcome per run."""
    from summarizer.llm.client import LLMClient
    from summarizer.llm.extract import extract_page_async

    results = []
    async with LLMClient(settings) as client:
        await extract_page_async(analysis.page, settings, facts=analysis.facts, client=client)
        for _ in range(repeat):
            cpu = time.process_time()
            started = time.perf_counter()
            outcome = await extract_page_async(analysis.page, settings, facts=analysis.facts, client=client)
            results.append((time.perf_counter() - started, time.process_time() - cpu, outcome))
    return results


async def plain_instructor(
    analysis: Any, base_url: str, mode: str, concurrency: int, repeat: int
) -> list[tuple[float, float]]:
    """The same segments through plain instructor at the same concurrency: no figure list, no
    verifier. Its (wall, CPU) times per run are the peer the engine's are read against (same
    machine, same run)."""
    import instructor
    import openai

    client = instructor.from_openai(
        openai.AsyncOpenAI(base_url=base_url, api_key="bench", max_retries=0),
        mode={"tools": instructor.Mode.TOOLS, "json": instructor.Mode.JSON, "md_json": instructor.Mode.MD_JSON}[mode],
    )
    slots = asyncio.Semaphore(concurrency)

    async def one(text: str) -> None:
        async with slots:
            await client.chat.completions.create(
                model="fake-model",
                response_model=PlainBriefing,
                max_retries=0,
                messages=[{"role": "system", "content": PLAIN_SYSTEM}, {"role": "user", "content": text}],
            )

    times = []
    for run in range(repeat + 1):  # the first run opens the connections, as the engine's warm-up does
        cpu = time.process_time()
        started = time.perf_counter()
        await asyncio.gather(*(one(segment.text) for segment in analysis.page.segments))
        if run:
            times.append((time.perf_counter() - started, time.process_time() - cpu))
    return times


def serve(latency: float, log: Path) -> None:
    """Child process: run the fake server for the seed's articles until stdin closes."""
    from summarizer.testing.fake_openai import FakeOpenAIServer

    with FakeOpenAIServer(responder=make_responder(latency, log)) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


def _request_tokens(counter: Any, body: dict[str, Any]) -> int:
    return int(counter.count_request(body))


class _Estimate:
    """The heuristic count of :mod:`summarizer.llm.prompting`, when no tokenizer module is installed."""

    name, kind = "heuristic", "estimate"

    def count(self, text: str) -> int:
        from summarizer.llm.prompting import estimate_tokens

        return estimate_tokens(text)

    def count_request(self, body: dict[str, Any]) -> int:
        from summarizer.llm.prompting import estimate_request_tokens

        return estimate_request_tokens(body)


def counter_named(name: str) -> Any:
    try:
        from summarizer.llm.tokens import counter_named as named  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return _Estimate()
    return named(name)


def report_tokens(log: Path, analysis: Any) -> tuple[bool, list[str]]:
    """Token figures of the logged requests, per tokenizer; whether the cl100k gates hold."""

    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = {s.index % len({x.text for x in analysis.page.segments}): s.text for s in analysis.page.segments}
    width = len(texts)
    # One request per article of each kind: the engine's first asks (no re-ask is needed here).
    first: dict[tuple[str, int], dict[str, Any]] = {}
    for record in records:
        key = (record["kind"], record["article"])
        first.setdefault(key, record)
    copies = len(analysis.page.segments) // width
    lines, ok = [], True
    for name in TOKENIZERS:
        counter = counter_named(name)
        overhead, engine_total, plain_total, out_engine, out_plain = [], 0, 0, [], []
        for article in range(width):
            engine, plain = first.get(("engine", article)), first.get(("plain", article))
            if engine is None or plain is None:
                continue
            article_tokens = counter.count(texts[article])
            sent = _request_tokens(counter, engine["body"])
            overhead.append(sent - article_tokens)
            engine_total += sent * copies
            plain_total += _request_tokens(counter, plain["body"]) * copies
            out_engine.append(counter.count(engine["answer"]))
            out_plain.append(counter.count(plain["answer"]))
        if not overhead:
            continue
        ratio = engine_total / plain_total
        lines.append(
            f"[{counter.name}, {counter.kind}] overhead per call: min {min(overhead):,}, median "
            f"{int(statistics.median(overhead)):,}, max {max(overhead):,} tokens; run prompt tokens "
            f"{engine_total:,} vs plain instructor {plain_total:,} ({ratio:.2f}x); output tokens per "
            f"article: median {int(statistics.median(out_engine)):,} (plain instructor {int(statistics.median(out_plain)):,})"
        )
        if name == "cl100k":
            ok = max(overhead) <= OVERHEAD_GATE and ratio <= PLAIN_GATE
    return ok, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--segments", type=int, default=32, help="segments to extract (multiple of 4)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds the fake model takes per answer")
    parser.add_argument("--mode", choices=["tools", "json", "md_json"], default="tools")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (the best and median are shown)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.latency, args.log)
        return 0

    from summarizer.settings import load_settings

    analysis = build_page(max(1, args.segments // 4))
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "requests.jsonl"
        # The fake server runs in its own process, like a real endpoint: its threads must not compete
        # with the engine for this interpreter's GIL.
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--latency", str(args.latency), "--log", str(log)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            base_url = server.stdout.readline().strip()
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
            runs = asyncio.run(measure(analysis, settings, args.repeat))
            plain_times = asyncio.run(plain_instructor(analysis, base_url, args.mode, args.concurrency, args.repeat))
        finally:
            if server.stdin is not None:
                server.stdin.close()
            server.wait(timeout=10)
        tokens_ok, token_lines = report_tokens(log, analysis)
    times = [wall for wall, _, _ in runs]
    cpus = [cpu for _, cpu, _ in runs]
    outcome = runs[-1][2]
    ideal = -(-len(analysis.page.segments) // args.concurrency) * args.latency
    best, median = min(times), statistics.median(times)
    statuses = {a.status for a in outcome.articles}
    print(
        f"segments: {len(analysis.page.segments)}  concurrency: {args.concurrency}  latency: {args.latency:.3f} s  mode: {args.mode}"
    )
    print(
        f"requests per run: {outcome.usage.requests}  re-asks: {sum(a.reasks for a in outcome.articles)}  "
        f"article states: {', '.join(sorted(statuses))}"
    )
    print(
        f"wall time: best {best:.3f} s, median {median:.3f} s over {args.repeat} runs "
        f"(ideal {ideal:.3f} s; median = {median / ideal:.2f}x ideal)"
    )
    print(
        f"engine CPU per run: median {statistics.median(cpus):.3f} s "
        f"({1000 * statistics.median(cpus) / len(analysis.page.segments):.1f} ms per segment; load average "
        f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs - other processes slow the run down)"
    )
    plain = statistics.median(wall for wall, _ in plain_times)
    plain_cpu = statistics.median(cpu for _, cpu in plain_times)
    print(
        f"plain instructor, same segments and concurrency: median {plain:.3f} s ({plain / ideal:.2f}x ideal), "
        f"CPU {plain_cpu:.3f} s per run; the engine takes {median / plain:.2f}x plain instructor's time"
    )
    for line in token_lines:
        print(line)
    within = median <= WALL_GATE * ideal
    print("PASS" if within else "FAIL", f"wall: median must be <= {WALL_GATE}x ideal = {WALL_GATE * ideal:.3f} s")
    print(
        "PASS" if tokens_ok else "FAIL",
        f"tokens [cl100k]: overhead per call <= {OVERHEAD_GATE:,} and run prompt tokens <= {PLAIN_GATE}x plain instructor",
    )
    return 0 if within and tokens_ok else 1


if __name__ == "__main__":
    sys.exit(main())
