"""The public API is exactly what ``summarizer.__all__`` names (pinned), and every name resolves."""

from __future__ import annotations

import subprocess
import sys

import summarizer

EXPECTED = {
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
}


def test_all_is_pinned() -> None:
    assert set(summarizer.__all__) == EXPECTED
    assert summarizer.__all__ == sorted(summarizer.__all__)


def test_every_public_name_resolves_and_is_the_defining_object() -> None:
    for name in summarizer.__all__:
        value = getattr(summarizer, name)
        module = summarizer._EXPORTS[name]
        assert value is getattr(sys.modules[module], name), name


def test_unknown_names_raise_attribute_error() -> None:
    try:
        summarizer.does_not_exist  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as error:
        assert "does_not_exist" in str(error)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_importing_the_package_loads_no_heavy_dependency() -> None:
    code = (
        "import sys, summarizer; heavy = [m for m in ('openai', 'instructor', 'jieba', 'rjieba', 'duckdb', "
        "'playwright', 'summarizer.pipeline') if m in sys.modules]; print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_errors_form_one_tree() -> None:
    from summarizer import errors

    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.SummarizerError)
