"""What the HTML report tests share: small pages, a model answer carrying markup, expected highlights."""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from summarizer.briefing.models import ArticleBriefing, PageBriefing
from summarizer.pipeline import Analysis, BriefResult, analyse_file, brief, brief_file
from summarizer.settings import load_settings
from summarizer.testing.fake_openai import FakeOpenAIServer, FakeReply

from helpers import REPO, SEED

FIXTURES = REPO / "tests" / "fixtures" / "html"
INJECTION = FIXTURES / "injection.txt"
SECRET = "sk-html-test-SECRET-<&>-9f8e7d"

# A model answer for INJECTION.txt whose every English field carries markup (no digits in the
# markup, so the verifier keeps the fields and the report has to show them).
MARKUP_ANSWER: dict[str, Any] = {
    "headline_zh": "江西<script>window.__pwned = 1</script>出台产融合作白名单",
    "headline_en": 'Jiangxi <script>window.__pwned = "headline"</script> issues a whitelist',
    "summary_en": (
        "Jiangxi's digital economy value added grew 15% in 2023. "
        '<script>window.__pwned = "summary"</script><img src=x onerror="window.__pwned = \'summary-img\'">'
    ),
    "key_points": [
        "Jiangxi plans more specialised enterprises <b onmouseover=\"window.__pwned = 'point'\">bold</b>."
    ],
    "metrics": [
        {
            "indicator_zh": "数字经济增加值",
            "indicator_en": 'growth of digital economy value added</td><script>window.__pwned = "indicator"</script>',
            "value": 15,
            "unit": "percent",
            "period": "2023",
            "status": "actual",
            "comparison": {"kind": "year_on_year"},
            "source_quote": "江西省数字经济增加值增长15%",
        }
    ],
    "organisations": [
        {
            "name_zh": "江西省工业和信息化厅",
            "name_en": 'Jiangxi Department of Industry and Information Technology"><script>window.__pwned = "name"</script>',
            "kind": "government",
            "role_en": '</template><script>window.__pwned = "role"</script>',
        }
    ],
    "caveats": [
        {
            "kind": "layout_fault",
            "description_en": 'The page text carries HTML: <script>window.__pwned = "caveat"</script>',
            "source_quote": '<img src=x onerror="window.__pwned = 2">',
        }
    ],
}


def brief_with_answer(path: Path, answer: dict[str, Any], out_dir: Path, formats: str = "all") -> BriefResult:
    """Brief ``path`` live against the fake server, which answers every article with ``answer``."""
    with FakeOpenAIServer(responder=lambda request: FakeReply.json_for_request(answer)) as server:
        settings = load_settings(
            {
                "base_url": server.base_url,
                "model": "fake-model",
                "api_key": SECRET,
                "use_cache": False,
                "log_calls": False,
                "max_transport_retries": 0,
                "out_dir": out_dir,
            },
            env={},
            cwd=out_dir.parent,
        )
        return brief_file(path, settings, formats=formats)


def grounded_claims(briefing: PageBriefing, analysis: Analysis) -> dict[str, str]:
    """Claim id -> the source text its highlight must show, from the briefing's spans alone.

    Ids follow the report's scheme: ``a<article>-<m|t|p|o|c><position>``. A quote assembled from
    separate places is highlighted piece by piece, in the order of the file.
    """
    original = analysis.document.original
    expected: dict[str, str] = {}
    for article in briefing.articles:
        for letter, items in _lists(article):
            for number, item in enumerate(items):
                pieces = getattr(item, "span_pieces", None) or ([item.span] if item.span else [])
                if pieces:
                    ordered = sorted((p.start, p.end) for p in pieces)
                    expected[f"a{article.index}-{letter}{number}"] = "".join(
                        original[s:e] for s, e in ordered
                    )
    return expected


def _lists(article: ArticleBriefing) -> list[tuple[str, list[Any]]]:
    return [
        ("m", list(article.metrics)),
        ("t", list(article.targets)),
        ("p", list(article.programmes)),
        ("o", list(article.organisations)),
        ("c", list(article.caveats)),
    ]


def seed_analysis() -> Analysis:
    return analyse_file(SEED)


@lru_cache(maxsize=1)
def _seed_briefing_json(scratch: str) -> str:
    settings = load_settings({"offline": True}, env={}, cwd=Path(scratch))
    return brief(seed_analysis(), settings).briefing.model_dump_json()


def seed_briefing() -> PageBriefing:
    """The seed's briefing as ``summarizer brief`` makes it offline (replayed, verified, spans filled);
    a fresh copy on every call."""
    return PageBriefing.model_validate_json(_seed_briefing_json(tempfile.gettempdir()))
