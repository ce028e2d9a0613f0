"""Machine payloads and human tables for the rule-based commands (segment, facts).

The JSON payloads are command contracts other tools depend on: keep their keys stable.
rich is imported only when a table is printed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from summarizer.segment import SegmentedPage

__all__ = ["print_segments_table", "segments_payload"]


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
                "source_tag": segment.source_tag,
                "signoff": segment.signoff,
                "region": _region_payload(segment.region),
                "subheadings": segment.subheadings,
                "text": segment.text,
                "repairs": [repair.model_dump() for repair in segment.repairs],
                "pull_quotes": segment.pull_quotes,
                "suspected_typos": [typo.model_dump() for typo in segment.suspected_typos],
            }
            for segment in page.segments
        ],
    }


def print_segments_table(page: SegmentedPage) -> None:
    """One row per article, then each article's subheadings, repairs and typos."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
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
            segment.title,
            region_text,
            f"{segment.start}-{segment.end}",
            " / ".join(x for x in (segment.byline, segment.source_tag, segment.signoff) if x),
            str(len(segment.text)),
            str(len(segment.repairs)),
        )
    console.print(table)
    for segment in page.segments:
        lines = [f"[{segment.index}] {segment.title}"]
        lines += [f"    subheading: {heading}" for heading in segment.subheadings]
        lines += [f"    {r.kind} @{r.start}-{r.end}: {r.detail}" for r in segment.repairs]
        lines += [f"    suspected typo @{t.start}: {t.detail}" for t in segment.suspected_typos]
        lead = segment.text.split("\n", 1)[0]
        lines.append(f"    body: {lead[:60]}{'…' if len(lead) > 60 else ''}")
        console.print("\n".join(lines), markup=False, highlight=False)
