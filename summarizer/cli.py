"""The ``summarizer`` command line. Thin: it parses arguments and calls the library.

Every failure the user can fix is a :class:`~summarizer.errors.SummarizerError`: one line on
stderr, a non-zero exit code, no traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from summarizer.errors import ConfigError, SummarizerError

app = typer.Typer(
    name="summarizer",
    help=(
        "Turn Chinese industrial-policy news into English briefings and verified structured facts.\n\n"
        "Rule-based commands (no LLM): segment, facts, verify, schema, export. "
        "LLM commands: brief, batch, record, cache.\n\n"
        "Example: summarizer facts seeds/000_4e8de9e190906468.txt --format table"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

T = TypeVar("T")


class SegmentFormat(StrEnum):
    json = "json"
    table = "table"


class FactsFormat(StrEnum):
    json = "json"
    csv = "csv"
    table = "table"
    html = "html"


def _fail(message: str, code: int) -> typer.Exit:
    sys.stderr.write(f"summarizer: error: {message}\n")
    return typer.Exit(code)


def run_guarded(action: Callable[[], T]) -> T:
    """Run ``action``; turn every error into one line on stderr and an exit code."""
    try:
        return action()
    except SummarizerError as error:
        raise _fail(str(error), error.exit_code) from None
    except KeyboardInterrupt:
        raise _fail("interrupted", 130) from None
    except BrokenPipeError:
        raise typer.Exit(0) from None
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except Exception as error:  # the last line of defence: a bug must still not print a traceback
        raise _fail(
            f"internal error ({type(error).__name__}: {error}); please report it with the input file", 3
        ) from None


def _default_format(value: Enum | None, table: Enum, machine: Enum) -> Any:
    if value is not None:
        return value
    return table if sys.stdout.isatty() else machine


def _print_json(payload: Any) -> None:
    from summarizer.output.tables import pretty_json

    sys.stdout.write(pretty_json(payload))


def _show_version(value: bool) -> None:
    if value:
        from summarizer import __version__

        sys.stdout.write(f"summarizer {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", help="Show the version and exit.", callback=_show_version, is_eager=True)
    ] = False,
) -> None:
    """Turn Chinese industrial-policy news into English briefings and verified structured facts."""


FileArgument = Annotated[
    Path,
    typer.Argument(
        help="Article or page: a text file (UTF-8, GB18030/GBK, Big5, UTF-16/32), or - for standard input."
    ),
]
MaxBytesOption = Annotated[
    int | None,
    typer.Option(
        "--max-bytes",
        help="Largest input accepted, in bytes (default 5 MB); a stream is read no further.",
        show_default=False,
    ),
]


DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="The document's date, YYYY-MM-DD: wins over the date its text gives (header, front matter, "
        "dateline) and resolves 今年, 去年同期, 一季度 ….",
        show_default=False,
    ),
]


def _document_date(value: str | None) -> date | None:
    if value is None:
        return None
    from summarizer.rules.dates import parse_iso_date

    parsed = parse_iso_date(value)
    if parsed is None:
        raise ConfigError(f"--date {value!r} is not a date: give it as YYYY-MM-DD, e.g. --date 2022-04-26")
    return parsed


def _max_bytes(max_bytes: int | None) -> int | None:
    return max_bytes or _max_bytes_from_settings()


def _max_bytes_from_settings() -> int | None:
    from summarizer.settings import load_settings

    return load_settings().max_input_bytes


@app.command()
def segment(
    file: FileArgument,
    output_format: Annotated[
        SegmentFormat | None,
        typer.Option("--format", "-f", help="json (for tools) or table (for people; default on a terminal)."),
    ] = None,
    max_bytes: MaxBytesOption = None,
) -> None:
    """Split a page into articles: title, byline, region, subheadings and the repaired body.

    Offsets (start/end) are code points of the file as given. The repaired text has pull-quotes
    taken out, cut sentences joined and separated fragments put back; every change is listed.
    """

    def action() -> None:
        from summarizer.output.tables import print_segments_table, segments_payload
        from summarizer.pipeline import segment_file

        page = segment_file(file, max_bytes=_max_bytes(max_bytes))
        chosen = _default_format(output_format, SegmentFormat.table, SegmentFormat.json)
        if chosen is SegmentFormat.json:
            _print_json(segments_payload(page))
        else:
            print_segments_table(page)

    run_guarded(action)


@app.command()
def facts(
    file: FileArgument,
    output_format: Annotated[
        FactsFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="json (for tools), csv (for spreadsheets), table (for people) or html (a report beside the source).",
        ),
    ] = None,
    max_bytes: MaxBytesOption = None,
    document_date: DateOption = None,
) -> None:
    """List every figure with its indicator, period, status and comparison (rules only, no LLM).

    Status is actual, estimate (预计, 初步, 有望) or target (力争, 目标, 将, 到2025年 …). Years,
    months and programme names with digits ("4+6", "33618", "5G") are not figures. start/end are
    code-point offsets of the figure in the file as given. --format html writes a self-contained
    page with every figure highlighted in the source text (redirect it to a file).
    """

    def action() -> None:
        from summarizer.output.tables import facts_csv, facts_payload, print_facts_table
        from summarizer.pipeline import analyse_file

        analysis = analyse_file(file, max_bytes=_max_bytes(max_bytes), document_date=_document_date(document_date))
        page, table = analysis.page, analysis.facts
        chosen = _default_format(output_format, FactsFormat.table, FactsFormat.json)
        if chosen is FactsFormat.json:
            _print_json(facts_payload(table))
        elif chosen is FactsFormat.csv:
            sys.stdout.write(facts_csv(table))
        elif chosen is FactsFormat.html:
            from summarizer.output.html import render_facts_html

            sys.stdout.write(render_facts_html(page, table))
        else:
            print_facts_table(table)

    run_guarded(action)


# --- LLM commands: brief, record, cache (thin: options -> summarizer.settings, then the library) ---

ProviderOption = Annotated[
    str | None,
    typer.Option(
        "--provider", help="Preset: openai, deepseek, qwen, moonshot, ollama, vllm.", show_default=False
    ),
]
BaseUrlOption = Annotated[
    str | None, typer.Option("--base-url", help="Any OpenAI-compatible endpoint (…/v1).")
]
ApiKeyOption = Annotated[
    str | None, typer.Option("--api-key", help="API key (else the provider's variable, e.g. OPENAI_API_KEY).")
]
ModelOption = Annotated[str | None, typer.Option("--model", help="Model name at the endpoint.")]
ModeOption = Annotated[
    str | None, typer.Option("--mode", help="instructor mode: tools, json or md_json (no tool calling).")
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="TOML config file (default ./summarizer.toml, ~/.config/…).")
]
ConcurrencyOption = Annotated[int | None, typer.Option("--concurrency", help="Articles extracted at once.")]
CacheDirOption = Annotated[
    Path | None, typer.Option("--cache-dir", help="Cache directory (default ./cache).")
]


class VerifyFormat(StrEnum):
    json = "json"
    table = "table"


@app.command()
def verify(
    source: Annotated[
        Path, typer.Argument(help="The Chinese source file the briefing was made from (- for standard input).")
    ],
    briefing: Annotated[
        Path, typer.Argument(help="A briefing JSON file (schemas/briefing.schema.json; - for standard input).")
    ],
    output_format: Annotated[
        VerifyFormat | None,
        typer.Option("--format", "-f", help="json (for tools) or table (for people; default on a terminal)."),
    ] = None,
    show_verified: Annotated[
        bool, typer.Option("--all", help="In the table, list verified claims too, not only failures.")
    ] = False,
    document_date: DateOption = None,
) -> None:
    """Check every number of a briefing against its Chinese source (rules only, no LLM).

    Each metric's quote must occur verbatim in its article and agree with it in value, unit,
    scale, qualifier, status and period; every number in the English prose must match a figure of
    the same article. Exit code 0: all verified; 1: some claim failed; 2: unusable input.
    """

    def action() -> None:
        from summarizer.pipeline import verify_file
        from summarizer.verify import print_report_table, report_to_json

        report = verify_file(source, briefing, document_date=_document_date(document_date))
        chosen = _default_format(output_format, VerifyFormat.table, VerifyFormat.json)
        if chosen is VerifyFormat.json:
            sys.stdout.write(report_to_json(report) + "\n")
        else:
            from summarizer.output.tables import console_for_output

            print_report_table(report, console_for_output(), show_verified=show_verified)
        raise typer.Exit(report.exit_code)

    run_guarded(action)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a page briefing (the same as schemas/briefing.schema.json)."""

    def action() -> None:
        from summarizer.briefing.io import render_json_schema

        sys.stdout.write(render_json_schema().rstrip("\n") + "\n")

    run_guarded(action)


def _settings(config: Path | None, **overrides: Any) -> Any:
    from summarizer.settings import load_settings

    return load_settings(overrides, config_path=config)


def _report(messages: list[str], outputs: list[Path]) -> None:
    for line in messages:
        sys.stderr.write(f"summarizer: {line}\n")
    for path in outputs:
        sys.stdout.write(f"{path}\n")


@app.command()
def brief(
    file: FileArgument,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output directory (default ./out).")] = None,
    output_format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="md, json, html (a report beside the source) or all (default all)."),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Never call an endpoint: replay a recording or use the rules.")
    ] = False,
    provider: ProviderOption = None,
    base_url: BaseUrlOption = None,
    api_key: ApiKeyOption = None,
    model: ModelOption = None,
    mode: ModeOption = None,
    temperature: Annotated[float | None, typer.Option("--temperature", help="Sampling temperature.")] = None,
    timeout: Annotated[float | None, typer.Option("--timeout", help="Seconds per HTTP request.")] = None,
    max_reasks: Annotated[
        int | None, typer.Option("--max-reasks", help="Re-asks after a failed verification (default 2).")
    ] = None,
    max_retries: Annotated[
        int | None, typer.Option("--max-retries", help="Retries of 429/5xx/timeouts per request (default 4).")
    ] = None,
    concurrency: ConcurrencyOption = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ignore cached answers; store the new ones.")
    ] = False,
    cache_dir: CacheDirOption = None,
    log: Annotated[Path | None, typer.Option("--log", help="JSONL log of every prompt and response.")] = None,
    max_bytes: MaxBytesOption = None,
    document_date: DateOption = None,
    config: ConfigOption = None,
) -> None:
    """Write the English briefing (Markdown), the JSON briefing and the HTML report of a page.

    With an LLM endpoint: one verified extraction per article (cached). Without one: the recorded
    responses of this input are replayed if a recording exists (no network), else a facts-only
    briefing from the rule-based engine is written. An endpoint configured only in part (say
    --base-url without --model) is an error, not a reason to fall back. Every number is verified
    against the source; what fails is listed as unverified, never shown as verified. Exit status 0:
    every article briefed and verified; 1: an article failed or kept unverified claims (in every
    mode, facts-only too); 2: unusable input or settings, or an endpoint that cannot be used.
    """

    def action() -> int:
        from summarizer.pipeline import brief_file

        settings = _settings(
            config,
            provider=provider,
            base_url=base_url,
            api_key=api_key,
            model=model,
            mode=mode,
            temperature=temperature,
            timeout=timeout,
            max_reasks=max_reasks,
            max_transport_retries=max_retries,
            concurrency=concurrency,
            use_cache=False if no_cache else None,
            refresh_cache=True if refresh else None,
            cache_dir=cache_dir,
            log_path=log,
            max_input_bytes=max_bytes,
            out_dir=out,
            output_format=output_format,
            document_date=_document_date(document_date),
        )
        result = brief_file(file, settings, offline=offline or None)
        _report(result.messages, result.outputs)
        return result.exit_code

    raise typer.Exit(run_guarded(action))


@app.command()
def record(
    file: FileArgument,
    cassette: Annotated[
        Path | None, typer.Option("--cassette", help="Where to write (default seeds/recordings/…).")
    ] = None,
    provider: ProviderOption = None,
    base_url: BaseUrlOption = None,
    api_key: ApiKeyOption = None,
    model: ModelOption = None,
    mode: ModeOption = None,
    concurrency: ConcurrencyOption = None,
    document_date: DateOption = None,
    config: ConfigOption = None,
) -> None:
    """Brief a file against a live endpoint and record its HTTP exchanges (keys filtered) for replay.

    Only successful exchanges are recorded, and the recording is written only when every article
    was answered; exit status as for brief.
    """

    def action() -> int:
        from summarizer.pipeline import record_file

        settings = _settings(
            config,
            provider=provider,
            base_url=base_url,
            api_key=api_key,
            model=model,
            mode=mode,
            concurrency=concurrency,
            document_date=_document_date(document_date),
        )
        _, result = record_file(file, settings, cassette=cassette)
        _report(result.messages, result.outputs)
        return result.exit_code

    raise typer.Exit(run_guarded(action))


@app.command()
def batch(
    paths: Annotated[
        list[str], typer.Argument(help="Input files, directories (their *.txt files) and globs ('in/**/*.txt').")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory; its manifest makes re-runs resume.")],
    facts_only: Annotated[
        bool, typer.Option("--facts-only", help="Rules only: the fact table and a facts-only briefing, no LLM.")
    ] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", "-j", help="Processes for the rule work (default: the CPU count).")
    ] = None,
    pattern: Annotated[str, typer.Option("--pattern", help="Files taken from a directory.")] = "*.txt",
    force: Annotated[
        bool, typer.Option("--force", help="Brief every input again, even those finished and unchanged.")
    ] = False,
    offline: Annotated[
        bool, typer.Option("--offline", help="Never call an endpoint: replay recordings or use the rules.")
    ] = False,
    provider: ProviderOption = None,
    base_url: BaseUrlOption = None,
    api_key: ApiKeyOption = None,
    model: ModelOption = None,
    mode: ModeOption = None,
    concurrency: Annotated[
        int | None, typer.Option("--concurrency", help="LLM requests in flight at once, across all inputs.")
    ] = None,
    max_retries: Annotated[
        int | None, typer.Option("--max-retries", help="Retries of 429/5xx/timeouts per request (default 4).")
    ] = None,
    timeout: Annotated[float | None, typer.Option("--timeout", help="Seconds per HTTP request.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    cache_dir: CacheDirOption = None,
    max_bytes: MaxBytesOption = None,
    config: ConfigOption = None,
) -> None:
    """Brief many inputs into one directory, resumably, with a live progress display.

    The rule work runs in a process pool; LLM requests of all inputs share one limit and back off
    together on 429. DIR/manifest.sqlite records every input's hash, state, outputs, error and
    usage: an interrupted run (Ctrl-C, kill) resumes where it stopped, and a re-run skips inputs
    that finished and did not change. A bad input fails alone with its reason. Writes
    <name>.facts.json and <name>.briefing.md/.json per input. Exit status 0: every input briefed
    and verified; 1: an input failed or kept unverified claims; 2: unusable arguments or settings.
    """

    def action() -> int:
        from summarizer.batch.runner import run_batch

        settings = _settings(
            config,
            provider=provider,
            base_url=base_url,
            api_key=api_key,
            model=model,
            mode=mode,
            timeout=timeout,
            max_transport_retries=max_retries,
            concurrency=concurrency,
            use_cache=False if no_cache else None,
            cache_dir=cache_dir,
            max_input_bytes=max_bytes,
            offline=True if offline else None,
        )
        report = run_batch(
            paths,
            out,
            settings,
            facts_only=facts_only,
            workers=workers,
            pattern=pattern,
            force=force,
        )
        return report.exit_code

    raise typer.Exit(run_guarded(action))


@app.command()
def export(
    directory: Annotated[Path, typer.Argument(help="The --out directory of a `summarizer batch` run.")],
    to: Annotated[
        Path,
        typer.Option(
            "--to", help="Target: .duckdb, .sqlite, .parquet or .csv (the last two: one file per table)."
        ),
    ],
) -> None:
    """Export a batch directory as tables for analysts: documents, articles, facts and claims.

    Reads what batch wrote (manifest, <name>.facts.json, <name>.briefing.json); runs nothing again.
    Declines are negative in every table (下降8.5% is -8.5). Keys: document_id joins the tables;
    (document_id, article_index) joins facts and claims to their article; start/end are the source
    span in code points of the input file.
    """

    def action() -> None:
        from summarizer.batch.export import export_directory

        for path, table, rows in export_directory(directory, to):
            sys.stdout.write(f"{path}\t{table}\t{rows}\n")

    run_guarded(action)


cache_app = typer.Typer(help="Inspect or clear the LLM answer cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("stats")
def cache_stats(cache_dir: CacheDirOption = None, config: ConfigOption = None) -> None:
    """Entries and size of the cache (hits and misses are reported by each brief run)."""

    def action() -> None:
        from summarizer.llm.cache import ResultCache, cache_exists

        settings = _settings(config, cache_dir=cache_dir)
        if not cache_exists(settings.cache_dir):  # inspecting must not create a cache
            sys.stdout.write(f"no cache at {settings.cache_dir}\n")
            return
        with ResultCache(settings.cache_dir, size_limit=settings.cache_size_limit, create=False) as cache:
            sys.stdout.write(cache.stats().describe() + "\n")

    run_guarded(action)


@cache_app.command("clear")
def cache_clear(cache_dir: CacheDirOption = None, config: ConfigOption = None) -> None:
    """Remove every cached answer."""

    def action() -> None:
        from summarizer.llm.cache import ResultCache, cache_exists

        settings = _settings(config, cache_dir=cache_dir)
        if not cache_exists(settings.cache_dir):  # nothing to clear, and nothing to create
            sys.stdout.write(f"no cache at {settings.cache_dir}\n")
            return
        with ResultCache(settings.cache_dir, size_limit=settings.cache_size_limit, create=False) as cache:
            removed = cache.clear()
        sys.stdout.write(f"removed {removed} cached answer(s) from {settings.cache_dir}\n")

    run_guarded(action)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
