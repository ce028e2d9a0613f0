"""summarizer: English briefings and verified structured facts from Chinese industrial-policy news.

The library behind the ``summarizer`` command; everything the CLI does is one import away::

    from summarizer import analyse_file, brief_file, verify_file, load_settings

    analysis = analyse_file("page.txt")          # repaired, segmented, facts extracted (no LLM)
    for fact in analysis.facts.facts: ...
    result = brief_file(Path("page.txt"), load_settings())   # verified briefing, files written

Names load on first use, so ``import summarizer`` stays cheap for a command that needs little.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # the flow
    "Analysis": "summarizer.pipeline",
    "BriefResult": "summarizer.pipeline",
    "analyse": "summarizer.pipeline",
    "analyse_file": "summarizer.pipeline",
    "brief": "summarizer.pipeline",
    "brief_file": "summarizer.pipeline",
    "brief_text": "summarizer.pipeline",
    "verify_file": "summarizer.pipeline",
    "run_batch": "summarizer.batch.runner",
    # steps
    "read_document": "summarizer.text.ingest",
    "segment_document": "summarizer.layout.segment",
    "extract_facts": "summarizer.rules.facts",
    "verify_briefing": "summarizer.verify",
    "load_briefing": "summarizer.briefing.io",
    # configuration
    "Settings": "summarizer.settings",
    "load_settings": "summarizer.settings",
    # models
    "Document": "summarizer.text.ingest",
    "Segment": "summarizer.layout.segment",
    "SegmentedPage": "summarizer.layout.segment",
    "Fact": "summarizer.rules.facts",
    "FactTable": "summarizer.rules.facts",
    "ArticleBriefing": "summarizer.briefing.models",
    "PageBriefing": "summarizer.briefing.models",
    "Metric": "summarizer.briefing.models",
    "VerificationReport": "summarizer.verify",
    # errors
    "SummarizerError": "summarizer.errors",
    "InputError": "summarizer.errors",
    "BriefingFormatError": "summarizer.errors",
    "ConfigError": "summarizer.errors",
    "LLMError": "summarizer.errors",
}

__all__ = [
    "Analysis",
    "ArticleBriefing",
    "BriefResult",
    "BriefingFormatError",
    "ConfigError",
    "Document",
    "Fact",
    "FactTable",
    "InputError",
    "LLMError",
    "Metric",
    "PageBriefing",
    "Segment",
    "SegmentedPage",
    "Settings",
    "SummarizerError",
    "VerificationReport",
    "analyse",
    "analyse_file",
    "brief",
    "brief_file",
    "brief_text",
    "extract_facts",
    "load_briefing",
    "load_settings",
    "read_document",
    "run_batch",
    "segment_document",
    "verify_briefing",
    "verify_file",
]

if TYPE_CHECKING:
    from summarizer.batch.runner import run_batch
    from summarizer.briefing.io import load_briefing
    from summarizer.briefing.models import ArticleBriefing, Metric, PageBriefing
    from summarizer.errors import BriefingFormatError, ConfigError, InputError, LLMError, SummarizerError
    from summarizer.layout.segment import Segment, SegmentedPage, segment_document
    from summarizer.pipeline import (
        Analysis,
        BriefResult,
        analyse,
        analyse_file,
        brief,
        brief_file,
        brief_text,
        verify_file,
    )
    from summarizer.rules.facts import Fact, FactTable, extract_facts
    from summarizer.settings import Settings, load_settings
    from summarizer.text.ingest import Document, read_document
    from summarizer.verify import VerificationReport, verify_briefing


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
