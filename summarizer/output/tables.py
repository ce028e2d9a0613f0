"""Machine payloads and human tables for the rule-based commands (segment, facts).

The JSON payloads are command contracts other tools depend on: keep their keys stable.
rich is imported only when a table is printed.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from summarizer.layout.segment import SegmentedPage
    from summarizer.rules.facts import FactTable

__all__ = [
    "FACT_CSV_COLUMNS", "facts_csv", "facts_payload", "pretty_json", "print_facts_table", "print_segments_table",
    "segments_payload",
]  # fmt: skip


def pretty_json(payload: Any) -> str:
    """A payload as the commands print it: UTF-8 text (no \\u escapes), two-space indent, one line per
    item, a final newline. Written in Rust by pydantic-core: the same text as ``json.dumps(payload,
    ensure_ascii=False, indent=2)``, five times faster (the pure-Python encoder ``indent`` needs was a
    quarter of ``facts`` on a 1 MB page)."""
    from pydantic_core import to_json

    return to_json(payload, indent=2).decode("utf-8") + "\n"


def _region_payload(region: Any) -> dict[str, Any] | None:
    if region is None:
        return None
    payload: dict[str, Any] = {"zh": region.zh, "en": region.en}
    if getattr(region, "city_zh", None):
        payload["city_zh"] = region.city_zh
        payload["city_en"] = region.city_en
    return payload


def segments_payload(page: SegmentedPage) -> dict[str, Any]:
    """``summarizer segment --format json``: one object, segments in page order."""
    return {
        "source": page.source,
        "encoding": page.document.encoding,
        "page_title": page.title,
        "segments": [
            {
                "index": segment.index,
                "title": segment.title,
                "start": segment.start,
                "end": segment.end,
                "byline": segment.byline,
                "dateline": segment.dateline,
                "source_tag": segment.source_tag,
                "signoff": segment.signoff,
                "region": _region_payload(segment.region),
                "subheadings": segment.subheadings,
                "text": segment.text,
                "repairs": [repair.model_dump() for repair in segment.repairs],
                "pull_quotes": segment.pull_quotes,
                "suspected_typos": [typo.model_dump() for typo in segment.suspected_typos],
                "set_aside": [item.model_dump() for item in segment.set_aside],
            }
            for segment in page.segments
        ],
        "set_aside": [item.model_dump() for item in page.set_aside],
    }


def print_segments_table(page: SegmentedPage) -> None:
    """One row per article, then each article's subheadings, repairs and typos."""
    from rich.table import Table

    console = console_for_output()
    table = Table(title=f"{page.source}: {len(page.segments)} article(s)")
    table.add_column("#", justify="right")
    table.add_column("title", overflow="fold")
    table.add_column("region", overflow="fold")
    table.add_column("span", no_wrap=True)
    table.add_column("byline / tag", overflow="fold")
    table.add_column("chars", justify="right")
    table.add_column("repairs", justify="right")
    for segment in page.segments:
        region = segment.region
        region_text = "" if region is None else region.en + (f" / {region.city_en}" if region.city_en else "")
        table.add_row(
            str(segment.index),
            segment.title or "(no headline)",
            region_text,
            f"{segment.start}-{segment.end}",
            " / ".join(x for x in (segment.byline, segment.source_tag, segment.signoff) if x),
            str(len(segment.text)),
            str(len(segment.repairs)),
        )
    console.print(table)
    for segment in page.segments:
        lines = [f"[{segment.index}] {segment.title or '(no headline)'}"]
        lines += [f"    subheading: {heading}" for heading in segment.subheadings]
        lines += [f"    {r.kind} @{r.start}-{r.end}: {r.detail}" for r in segment.repairs]
        lines += [f"    suspected typo @{t.start}: {t.detail}" for t in segment.suspected_typos]
        lines += [f"    set aside ({s.kind}) @{s.start}-{s.end}: {s.text[:40]}" for s in segment.set_aside]
        lead = segment.text.split("\n", 1)[0]
        lines.append(f"    body: {lead[:60]}{'…' if len(lead) > 60 else ''}")
        console.print("\n".join(lines), markup=False, highlight=False)
    inside = {(s.start, s.end) for segment in page.segments for s in segment.set_aside}
    outside = [s for s in page.set_aside if (s.start, s.end) not in inside]
    if outside:
        lines = ["[page] set aside outside any article:"]
        lines += [f"    {s.kind} @{s.start}-{s.end}: {s.text[:40]}" for s in outside]
        console.print("\n".join(lines), markup=False, highlight=False)


@cache
def _fact_list() -> Any:
    """The pydantic adapter of a list of facts, built on first use (building it compiles a schema)."""
    from pydantic import TypeAdapter

    from summarizer.rules.facts import Fact

    return TypeAdapter(list[Fact])


@cache
def _plain_types() -> tuple[type, type, type]:
    """The models whose instances :func:`_fact_item` reads field by field."""
    from summarizer.briefing.models import Region
    from summarizer.rules.facts import Fact, FactComparison

    return Fact, FactComparison, Region


def _fact_item(fact: Any, plain: tuple[type, type, type], nested: dict[int, Any]) -> dict[str, Any] | None:
    """One fact of the payload read from the model's fields, or None when it is no plain instance.

    What ``_fact_list().dump_python(..., mode="json")`` gives, and the edits below: the models have no
    serializers of their own and hold only JSON types (str, int, float, bool, None) besides the nested
    models and ``also_at`` (tuples, dumped as lists); the fields, in their order, are the instance's
    ``__dict__`` (pydantic fills it in field order). Pinned against the dump by tests/test_rule_fast_paths.py.
    A nested model (a region, a comparison of words) is shared by many facts: its fields without the
    nulls are read once per payload (``nested``, by identity) and each fact gets a dict of its own.
    """
    fact_type, comparison_type, region_type = plain
    if type(fact) is not fact_type:
        return None
    item: dict[str, Any] = fact.__dict__.copy()
    del item["sentence"]
    comparison = item["comparison"]
    if comparison is not None:
        if type(comparison) is not comparison_type:
            return None
        item["comparison"] = _nested_fields(comparison, nested)
    region = item["region"]
    if region is not None:
        if type(region) is not region_type:
            return None
        item["region"] = _nested_fields(region, nested)
    also_at = item["also_at"]
    item["also_at"] = [list(span) for span in also_at] if also_at else []  # last, as the contract lists it
    return item


def _nested_fields(model: Any, nested: dict[int, Any]) -> dict[str, Any]:
    """A nested model's fields without the nulls, as a new dict (read once per model, by identity)."""
    entry = nested.get(id(model))
    if entry is None or entry[0] is not model:
        entry = nested[id(model)] = (model, tuple((name, value) for name, value in model.__dict__.items() if value is not None))
    return dict(entry[1])


def _dumped_fact_item(fact: Any) -> dict[str, Any]:
    """One fact of the payload as pydantic dumps it, edited: no sentence, no null in nested objects."""
    item: dict[str, Any] = _fact_list().dump_python([fact], mode="json")[0]
    del item["sentence"]
    for key in ("comparison", "region"):
        nested = item[key]
        if nested is not None:
            item[key] = {name: value for name, value in nested.items() if value is not None}
    item["also_at"] = item.pop("also_at")  # last, as the contract lists it
    return item


def facts_payload(table: FactTable) -> dict[str, Any]:
    """``summarizer facts --format json``: the contract keys first, extras after."""
    # Read from the models' fields, not dumped by pydantic-core and then edited: half the cost, the
    # same payload (see _fact_item); anything but a plain instance is dumped.
    from summarizer.text.collector import collector_paused

    plain = _plain_types()
    nested: dict[int, Any] = {}
    facts: list[dict[str, Any]] = []
    with collector_paused():  # a dict per fact, no cycles (summarizer.text.collector)
        for fact in table.facts:
            item = _fact_item(fact, plain, nested)
            facts.append(item if item is not None else _dumped_fact_item(fact))
    return {
        "source": table.source,
        "document_date": table.document_date,
        "document_date_source": table.document_date_source,
        "facts": facts,
    }


FACT_CSV_COLUMNS = (
    "segment", "start", "end", "text", "value", "value_max", "unit", "measure", "qualifier", "indicator_zh",
    "indicator_en", "change", "period", "cumulative", "status", "preliminary", "comparison_kind", "comparison_baseline",
    "comparison_direction", "comparison_difference", "comparison_unit", "region_zh", "region_en", "sentence",
)  # fmt: skip


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e16 else repr(value)


def facts_csv(table: FactTable) -> str:
    """One row per fact, for spreadsheets (UTF-8, header row, RFC 4180 quoting)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FACT_CSV_COLUMNS)
    for fact in table.facts:
        comparison = fact.comparison
        writer.writerow(
            [
                fact.segment, fact.start, fact.end, fact.text, _number(fact.value), _number(fact.value_max),
                fact.unit, fact.measure or "", fact.qualifier, fact.indicator_zh or "", fact.indicator_en or "",
                fact.change or "", fact.period or "", str(fact.cumulative).lower(), fact.status,
                str(fact.preliminary).lower(), comparison.kind if comparison else "", (comparison.baseline or "") if comparison else "",
                (comparison.direction or "") if comparison else "",
                _number(comparison.difference) if comparison else "", (comparison.unit or "") if comparison else "",
                fact.region.zh if fact.region else "", fact.region.en if fact.region else "", fact.sentence,
            ]
        )  # fmt: skip
    return buffer.getvalue()


def _value_text(value: float | None, value_max: float | None, unit: str, measure: str | None) -> str:
    if value is None:
        return ""
    shown = f"{value:,.6g}" if abs(value) < 1e6 else f"{value:.4g}"
    if value_max is not None:
        shown += f"–{value_max:.4g}"
    suffix = {"percent": "%", "percentage_point": " pp", "times": "x"}.get(unit)
    if suffix:
        return shown + suffix
    if unit == "rank":
        return f"#{shown}"
    return f"{shown} {unit}" + (f" ({measure})" if measure else "")


def console_for_output() -> Any:
    """A console as wide as the terminal, or 160 columns when writing to a pipe or file."""
    import sys

    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=160)


def print_facts_table(table: FactTable) -> None:
    from rich.table import Table

    console = console_for_output()
    view = Table(title=f"{table.source}: {len(table.facts)} fact(s)")
    for column in ("seg", "source text", "value", "qualifier", "indicator", "period", "status", "comparison"):
        view.add_column(column, overflow="fold")
    for fact in table.facts:
        indicator = fact.indicator_zh or ""
        if fact.indicator_en:
            indicator += f"\n{fact.indicator_en}"
        comparison = ""
        if fact.comparison:
            comparison = fact.comparison.kind + (f" vs {fact.comparison.baseline}" if fact.comparison.baseline else "")
        view.add_row(
            str(fact.segment),
            fact.text,
            _value_text(fact.value, fact.value_max, fact.unit, fact.measure) + (f" {fact.change}" if fact.change else ""),
            "" if fact.qualifier == "exact" else fact.qualifier,
            indicator,
            (fact.period or "") + (" cumulative" if fact.cumulative else ""),
            fact.status,
            comparison,
        )
    console.print(view)
