"""Replaying a recording: the engine runs as live, answered by a cassette instead of the network.

The endpoint, model, mode and sampling of the recording are used (so every request matches its
recorded twin), with no key, no cache and no retries. A hand-written reference recording yields
``generated_by: reference`` and never names a model.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from summarizer.llm.client import LLMClient
from summarizer.llm.extract import PageOutcome, extract_page_async
from summarizer.llm.recording import Provenance, read_provenance, use_cassette
from summarizer.settings import Settings

if TYPE_CHECKING:
    from summarizer.layout.segment import SegmentedPage
    from summarizer.rules.facts import FactTable

__all__ = ["replay_page"]

_REPLAY_API_KEY = "replay-without-key"


def _replay_settings(settings: Settings, provenance: Provenance) -> Settings:
    sampling = dict(provenance.sampling or {})
    return settings.replace(
        provider="custom",
        base_url=provenance.endpoint,
        model=provenance.model,
        mode=provenance.mode,
        api_key=_REPLAY_API_KEY,
        temperature=sampling.get("temperature", settings.temperature),
        top_p=sampling.get("top_p"),
        seed=sampling.get("seed"),
        max_tokens=sampling.get("max_tokens"),
        use_cache=False,
        log_calls=False,
        max_transport_retries=0,
        offline=False,
    )


async def replay_page(
    page: SegmentedPage, facts: FactTable | None, settings: Settings, recording: Path, reason: str
) -> tuple[PageOutcome, Provenance]:
    """Brief ``page`` from ``recording``; ``reason`` says why no live model was called."""
    provenance = read_provenance(recording)
    replay_settings = _replay_settings(settings, provenance)
    notes = [
        f"Replayed recorded responses ({recording.name}): {provenance.statement}.",
        f"No live model was called: {reason}.",
    ]
    generated_by: Literal["llm", "reference"] = "reference" if provenance.kind == "reference" else "llm"
    with use_cassette(recording, mode="replay"):
        async with LLMClient(replay_settings) as client:
            outcome = await extract_page_async(
                page, replay_settings, facts=facts, client=client, generated_by=generated_by, notes=notes
            )
    return outcome, provenance
