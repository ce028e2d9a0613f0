"""The briefing schema: what an analyst receives for one newspaper page and each article on it.

Two layers:

* :class:`ArticleBriefing` is the briefing of ONE article. It is also the response model the LLM
  fills (one article segment per call), so every field description is written for that model: it
  is sent in the prompt. The model supplies verbatim Chinese quotes; code fills in the spans
  (``span``, ``value_span``), the ``unverified`` list and the ``verification`` summary.
* :class:`PageBriefing` holds the articles of a page plus :class:`RunMetadata` (model, prompt
  version, token usage, cost, cache hits, and whether a person, a model or the rules wrote it).

These are pure models: they check the shape of the data only, so a stored briefing loads without
its source. Checking a briefing against its source is :mod:`summarizer.verify`'s job; the LLM layer
(:mod:`summarizer.llm.validation`) attaches the verifier to the response model it sends.

Conventions: values are scale-free numbers (1.7万亿元 -> 1.7e12 with unit ``CNY``; 15% -> 15 with
unit ``percent``; 0.3个百分点 -> 0.3 with unit ``percentage_point``); periods are ISO 8601 strings
(``2023``, ``2023-01/2023-11``, ``2024-12-31``); English terminology follows the glossary in
``prompts/glossary.tsv``.

Reading and writing briefings and the committed JSON Schema: :mod:`summarizer.briefing.io`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from summarizer.vocab import UNITS, Qualifier, Status, Unit

__all__ = [
    "PERIOD_PATTERN",
    "PROBLEMS",
    "SCHEMA_VERSION",
    "UNITS",
    "VERDICTS",
    "ArticleBriefing",
    "Caveat",
    "CaveatKind",
    "Comparison",
    "ComparisonKind",
    "Metric",
    "Organisation",
    "OrganisationKind",
    "PageBriefing",
    "Problem",
    "Programme",
    "ProgrammeKind",
    "Qualifier",
    "Region",
    "RunMetadata",
    "SourceInfo",
    "Span",
    "Status",
    "Target",
    "TokenUsage",
    "UnconfirmedClaim",
    "Unit",
    "UnverifiedClaim",
    "Verdict",
    "VerificationSummary",
]

SCHEMA_VERSION = "1.0"

# --- closed vocabularies -----------------------------------------------------------------------------


RateUnit = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}/[a-z_]+$")]
"""A money rate the extractor reports as currency per thing: 3.5万元/人 -> "CNY/person"."""

ComparisonKind = Literal[
    "year_on_year",
    "change_from",
    "above_baseline",
    "below_baseline",
    "share_of",
    "rank_among",
]

ProgrammeKind = Literal[
    "initiative",
    "policy",
    "plan",
    "project",
    "mechanism",
    "industrial_cluster",
    "platform",
    "designation",
    "financing",
    "event",
    "other",
]

OrganisationKind = Literal[
    "government",
    "enterprise",
    "financial_institution",
    "research_institution",
    "industry_association",
    "media",
    "other",
]

CaveatKind = Literal[
    "source_typo",
    "source_error",
    "internal_inconsistency",
    "layout_fault",
    "ambiguity",
    "unverifiable_claim",
    "suspected_injection",
]

Verdict = Literal["verified", "unconfirmed", "contradicted"]
"""verified: the source states it; unconfirmed: the rules cannot tell (kept, shown as such);
contradicted: the rules are sure the source says otherwise (never shown as verified)."""
VERDICTS: tuple[str, ...] = get_args(Verdict)

Problem = Literal[
    "not_in_source",
    "wrong_value",
    "wrong_unit",
    "wrong_scale",
    "wrong_qualifier",
    "wrong_status",
    "wrong_period",
    "wrong_indicator",
    "unsupported_number",
    "missing_hedge",
]
"""What is wrong with a claim that is not verified."""
PROBLEMS: tuple[str, ...] = get_args(Problem)

# ISO 8601 year, month, day or quarter/half, optionally an interval "start/end".
_PERIOD_POINT = r"\d{4}(?:-(?:Q[1-4]|H[12]|\d{2}(?:-\d{2})?))?"
PERIOD_PATTERN = rf"^{_PERIOD_POINT}(?:/{_PERIOD_POINT})?$"
Period = Annotated[str, StringConstraints(pattern=PERIOD_PATTERN)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

_FILLED_BY_CODE = "Filled in by the verifier from source_quote; leave null."


class _Model(BaseModel):
    # NaN and infinities are no figure a source states ("NaN" and "1e999" would otherwise parse).
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)


# --- parts -----------------------------------------------------------------------------------------------


class Span(_Model):
    """Character offsets [start, end) in the source file as the user gave it (decoded code points)."""

    start: int = Field(ge=0, description="Offset of the first character.")
    end: int = Field(ge=0, description="Offset just past the last character.")

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        return self


class Region(_Model):
    """A provincial-level division, optionally narrowed to one city or new area inside it.

    The one model of a place: the gazetteer finds them, facts and briefings carry them.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    zh: NonEmpty = Field(description="Full name of the provincial-level division, e.g. 湖南省, 重庆市.")
    en: NonEmpty = Field(description="English name, e.g. Hunan, Chongqing, Inner Mongolia.")
    city_zh: str | None = Field(
        default=None, description="Full name of the city or new area when narrower than the province, e.g. 长沙市."
    )
    city_en: str | None = Field(default=None, description="English name of the city, e.g. Changsha.")


class Comparison(_Model):
    """What the value is measured against. Numbers here must also appear in the metric's source_quote."""

    kind: ComparisonKind = Field(
        description=(
            "year_on_year: the value is a growth/decline rate vs the same period a year earlier (增长, 同比, 下降); "
            "change_from: the value is a new level reached from from_value (从…提升至…); "
            "above_baseline / below_baseline: the value is a gap above/below a baseline (高于全国…); "
            "share_of: the value is a share of the baseline total (占…比重); "
            "rank_among: the value is a rank among the baseline's members (居全国第八位)."
        )
    )
    baseline_zh: str | None = Field(
        default=None, description="The baseline as written in Chinese, e.g. 全国, 全省产业集群."
    )
    baseline_en: str | None = Field(
        default=None, description="The baseline in English, e.g. national average."
    )
    from_value: float | None = Field(
        default=None, description="For change_from: the earlier level, scale-free, same unit as the value."
    )
    difference: float | None = Field(
        default=None, description="A gap stated together with the value (e.g. 0.3 for 高于全国0.3个百分点)."
    )
    difference_unit: Unit | RateUnit | None = Field(
        default=None, description="Unit of difference, e.g. percentage_point."
    )


class Metric(_Model):
    """One figure stated in the article. One metric per number in the source; never compute new numbers."""

    indicator_zh: NonEmpty = Field(
        description="What is measured, in the article's Chinese words, e.g. 数字经济总量."
    )
    indicator_en: NonEmpty = Field(
        description="What is measured, in standard English (glossary terms), e.g. digital economy output."
    )
    value: float = Field(
        description=(
            "The number, scale-free: 1.7万亿元 -> 1700000000000; 13.3万个 -> 133000; 15% -> 15; "
            "0.3个百分点 -> 0.3; 五成 -> 50; 第八位 -> 8. Negative for a decline (下降8.5% -> -8.5)."
        )
    )
    value_max: float | None = Field(
        default=None, description="Upper end when the source gives a range; else null."
    )
    unit: Unit | RateUnit = Field(
        description=(
            "CNY/USD for money; percent for % and 成; percentage_point for 个百分点; times for 倍; rank for 第N位; "
            "count for things counted with a measure word (家, 个, 项, 台(套)); number for bare numbers; "
            "physical units (PFlops, tonne, kWh, …) as written."
        )
    )
    measure: str | None = Field(
        default=None,
        description="Chinese measure word of a count as written (家, 个, 项, 台(套), 条); else null.",
    )
    qualifier: Qualifier = Field(
        default="exact",
        description=(
            "more_than for 突破/超过/超/以上/达…以上; nearly for 近/接近/将近; about for 约/左右/大约; "
            "less_than for 不到/不足/以下; exact otherwise."
        ),
    )
    period: Period | None = Field(
        default=None,
        description="Reference period, ISO 8601: 2023年 -> 2023; 2023年1—11月 -> 2023-01/2023-11; null if none stated.",
    )
    cumulative: bool = Field(
        default=False,
        description="True for a running total or a stock (累计, 累计建成, 达到…个) rather than a flow.",
    )
    status: Status = Field(
        description=(
            "actual: reported as achieved; estimate: 预计/预期/有望 (a projection, not a result); "
            "target: 力争/目标/计划/将/要 (a goal). A target or estimate must never be reported as actual."
        )
    )
    comparison: Comparison | None = Field(
        default=None, description="What the value is compared with, if anything."
    )
    source_quote: NonEmpty = Field(
        description=(
            "The shortest passage of the article, copied verbatim in Chinese, that contains the number and "
            "its indicator (e.g. 数字经济总量突破1.7万亿元). Do not translate, paraphrase or join separate passages."
        )
    )
    span: Span | None = Field(default=None, description=_FILLED_BY_CODE)
    span_pieces: list[Span] | None = Field(
        default=None,
        description=(
            "Filled in by the verifier when the quote is assembled from separate places of the file (a "
            "sentence cut by the layout, a fragment put back): each piece verbatim; span then covers them all. "
            "Leave null."
        ),
    )
    value_span: Span | None = Field(default=None, description=_FILLED_BY_CODE)

    @model_validator(mode="after")
    def _range_ordered(self) -> Metric:
        if self.value_max is not None and self.value_max < self.value:
            raise ValueError(
                f"value_max {self.value_max} is below value {self.value}; give the range low to high"
            )
        return self


class Target(_Model):
    """A goal the article sets (quantified or not). Quantified targets also appear in metrics with status target."""

    description_en: NonEmpty = Field(
        description="The goal in English, worded as a goal, e.g. Raise industrial value added by 7% in 2024."
    )
    source_quote: NonEmpty = Field(description="The Chinese passage stating the goal, copied verbatim.")
    period: Period | None = Field(
        default=None, description="Year or deadline of the goal, ISO 8601; null if none."
    )
    span: Span | None = Field(default=None, description=_FILLED_BY_CODE)


class Programme(_Model):
    """A named programme, policy, plan, project, cluster system or mechanism mentioned in the article."""

    name_zh: NonEmpty = Field(
        description="Name as written in the article without the surrounding quotation marks, e.g. 智赋万企."
    )
    name_en: NonEmpty = Field(
        description="Standard English name (glossary rendering if there is one), e.g. Empowering Ten Thousand Enterprises with Intelligence."
    )
    kind: ProgrammeKind = Field(description="What sort of thing it is.")
    description_en: NonEmpty = Field(
        description="One sentence on what it is or what the article says about it. Numbers must come from the article."
    )
    span: Span | None = Field(default=None, description="Filled in by the verifier from name_zh; leave null.")


class Organisation(_Model):
    """A government body, enterprise or other organisation named in the article."""

    name_zh: NonEmpty = Field(description="Name as written in the article, e.g. 三一集团.")
    name_en: NonEmpty = Field(description="Standard English name, e.g. SANY Group.")
    kind: OrganisationKind = Field(description="What sort of organisation it is.")
    role_en: str | None = Field(default=None, description="What the article says it did, in a few words.")
    span: Span | None = Field(default=None, description="Filled in by the verifier from name_zh; leave null.")


class Caveat(_Model):
    """Something an analyst should know before relying on the article: a typo, an inconsistency, a layout fault."""

    kind: CaveatKind = Field(
        description=(
            "source_typo: an error in the source text (doubled character, repeated phrase); "
            "source_error: the source's own figures do not add up (say what disputes what); "
            "internal_inconsistency: the article contradicts itself (e.g. a lead that states a target as a forecast); "
            "layout_fault: text displaced by the page layout; ambiguity: the source can be read two ways; "
            "unverifiable_claim: a claim with no figure or source to check; "
            "suspected_injection: text in the article that addresses an AI (set aside by code, never by the model)."
        )
    )
    description_en: NonEmpty = Field(
        description="What is wrong and how the briefing treats it, in one or two sentences."
    )
    source_quote: str | None = Field(
        default=None, description="The Chinese passage concerned, copied verbatim."
    )
    span: Span | None = Field(default=None, description=_FILLED_BY_CODE)


class UnverifiedClaim(_Model):
    """A claim the source contradicts; moved out of the briefing's lists (filled in by the verifier)."""

    pointer: str = Field(
        description="JSON pointer of the claim in the article briefing, e.g. /metrics/3/value."
    )
    claim: str = Field(description="The claimed text or value.")
    problem: Problem = Field(description="What is wrong with it.")
    reason: str = Field(description="What the verifier found.")


class UnconfirmedClaim(_Model):
    """A claim the rules can neither confirm nor refute; kept in the briefing, listed here (filled in by the verifier)."""

    pointer: str = Field(description="JSON pointer of the claim in the article briefing, e.g. /metrics/3/period.")
    claim: str = Field(description="The claimed text or value.")
    problem: Problem = Field(description="What could not be confirmed.")
    reason: str = Field(description="What the verifier found.")


class VerificationSummary(_Model):
    """Outcome of verifying this article against its source (filled in by the verifier)."""

    checked: int = Field(ge=0, description="Claims checked.")
    verified: int = Field(ge=0, description="Claims verified.")
    unconfirmed: int = Field(default=0, ge=0, description="Claims the rules could neither confirm nor refute (kept).")
    failed: int = Field(ge=0, description="Claims the source contradicts (moved to unverified).")
    facts_found: int = Field(
        default=0, ge=0, description="Figures the rule-based extractor found in the article."
    )
    facts_mentioned: int = Field(default=0, ge=0, description="Of those, figures the briefing mentions.")
    coverage: float | None = Field(default=None, ge=0, le=1, description="facts_mentioned / facts_found.")


# --- article and page --------------------------------------------------------------------------------


class ArticleBriefing(_Model):
    """The briefing of one article. The LLM fills every field except those marked as filled in by code."""

    index: int | None = Field(
        default=None,
        ge=0,
        description="Position of the article on the page, 0-based; set by the pipeline, leave null.",
    )
    headline_zh: str | None = Field(
        default=None, description="The article's headline, verbatim; null when the article has none."
    )
    headline_en: NonEmpty = Field(description="The headline in English, faithful and concise.")
    outlet: str | None = Field(
        default=None, description="Newspaper or agency if the text names it; null otherwise."
    )
    byline_zh: str | None = Field(
        default=None, description="Byline as written, e.g. 本报记者 诸玲珍; null if none."
    )
    byline_en: str | None = Field(
        default=None,
        description="Byline in English: name in pinyin, family name first, e.g. Zhu Lingzhen (staff reporter).",
    )
    source_tag_zh: str | None = Field(
        default=None, description="Source tag as written, e.g. 本报讯; null if none."
    )
    credit_zh: str | None = Field(
        default=None, description="Author credit at the end as written, e.g. (晓 文); null if none."
    )
    dateline: str | None = Field(
        default=None,
        description="Date the article states for itself, ISO 8601; null when it says only 近日 or nothing.",
    )
    region: Region | None = Field(
        default=None, description="Province (and city) the article is about; null if national."
    )
    summary_en: NonEmpty = Field(
        description=(
            "Two to four sentences of English: what happened and the key figures. Every number must be in the article; "
            "say 'aims to', 'target' or 'plans' for targets and 'expected' or 'estimated' for estimates."
        )
    )
    key_points: list[NonEmpty] = Field(
        default_factory=list,
        description="Three to eight one-sentence English points an analyst would forward. Same rules as summary_en.",
    )
    metrics: list[Metric] = Field(
        default_factory=list,
        description="Every figure in the article, one entry per number, in order of appearance.",
    )
    targets: list[Target] = Field(
        default_factory=list, description="Goals the article sets, quantified or not."
    )
    programmes: list[Programme] = Field(
        default_factory=list, description="Named programmes, policies and plans."
    )
    organisations: list[Organisation] = Field(
        default_factory=list, description="Organisations and enterprises named."
    )
    caveats: list[Caveat] = Field(
        default_factory=list, description="Typos, inconsistencies and layout faults in the source."
    )
    unverified: list[UnverifiedClaim] = Field(
        default_factory=list,
        description="Claims that failed verification; filled in by the verifier, leave empty.",
    )
    unconfirmed: list[UnconfirmedClaim] = Field(
        default_factory=list,
        description="Claims the verifier could not confirm (kept in the briefing); filled in by the verifier, leave empty.",
    )
    verification: VerificationSummary | None = Field(
        default=None, description="Filled in by the verifier; leave null."
    )


class SourceInfo(_Model):
    """The input the briefing was made from."""

    path: str | None = Field(default=None, description="File name of the source as given.")
    source: str | None = Field(
        default=None, description="The SOURCE: line of the file, if any (where the text came from)."
    )
    sha256: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the source file's bytes."
    )
    characters: int | None = Field(
        default=None, ge=0, description="Length of the decoded source in characters."
    )
    document_date: str | None = Field(
        default=None,
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="The document's date the periods were resolved with (YYYY-MM-DD); null when unknown.",
    )
    document_date_source: str | None = Field(
        default=None,
        description="Where that date was found: flag (--date), header, front_matter, dateline, title ….",
    )


class TokenUsage(_Model):
    """Tokens of every request of the run (re-asks and failed attempts included): as the endpoint
    reported them, or counted locally for requests whose response reported none."""

    prompt_tokens: int = Field(default=0, ge=0)
    completion_tokens: int = Field(default=0, ge=0)
    total_tokens: int = Field(default=0, ge=0)
    counted_by: Literal["provider", "tokenizer", "estimate", "mixed"] = Field(
        default="provider",
        description=(
            "provider: every count reported by the endpoint; tokenizer: none was, all are counted with "
            "the model's tokenizer; estimate: none was, all are the calibrated estimate; mixed: reported, "
            "except for requests whose response had no usage (failed attempts), counted locally."
        ),
    )
    counted_tokens: int = Field(
        default=0, ge=0, description="Of the totals, the tokens counted locally (see counted_by and counter)."
    )
    counter: str | None = Field(
        default=None,
        description="The local counter: a tokenizer (cl100k_base, deepseek tokenizer, qwen tokenizer) or "
        "'calibrated estimate'.",
    )


class RunMetadata(_Model):
    """How the briefing was produced. A hand-written reference must never claim to come from a model."""

    generated_by: Literal["reference", "llm", "rules"] = Field(
        description="reference: written by a person; llm: filled by a model; rules: rule-based engine only."
    )
    model: str | None = Field(default=None, description="Model name for generated_by llm; null otherwise.")
    provider: str | None = Field(
        default=None, description="Endpoint or provider preset, e.g. openai, deepseek, ollama."
    )
    prompt_version: str | None = Field(default=None, description="Version of the prompt templates used.")
    glossary_version: str | None = Field(default=None, description="Version or hash of the glossary used.")
    created_at: datetime | None = Field(
        default=None, description="When the briefing was produced (ISO 8601)."
    )
    usage: TokenUsage | None = Field(default=None, description="Token usage; null when no model was called.")
    cost_usd: float | None = Field(default=None, ge=0, description="Estimated cost in US dollars.")
    price: str | None = Field(
        default=None,
        description="The price behind cost_usd, its source and data version (genai-prices, a price file, "
        "a local server), or why there is no cost; null when no model was called.",
    )
    llm_calls: int = Field(default=0, ge=0, description="Requests sent to the model, including re-asks.")
    reasks: int = Field(default=0, ge=0, description="Re-asks after a validation error.")
    cache_hits: int = Field(default=0, ge=0, description="Responses served from the local cache.")
    cache_misses: int = Field(default=0, ge=0, description="Responses fetched from the endpoint.")
    notes: str | None = Field(default=None, description="Anything a reader of the metadata should know.")

    @model_validator(mode="after")
    def _provenance_consistent(self) -> RunMetadata:
        if self.generated_by == "llm" and not self.model:
            raise ValueError(
                "metadata.model is required when generated_by is 'llm': name the model that answered"
            )
        if self.generated_by != "llm" and self.model is not None:
            raise ValueError(
                f"metadata.model must be null when generated_by is {self.generated_by!r}: "
                "only a model's output may name a model"
            )
        return self


class PageBriefing(_Model):
    """The briefing of one source page: its articles and how the briefing was produced."""

    schema_version: Literal["1.0"] = Field(default="1.0", description="Version of this schema.")
    source: SourceInfo = Field(
        default_factory=SourceInfo, description="The source the briefing was made from."
    )
    articles: list[ArticleBriefing] = Field(
        min_length=1, description="One briefing per article, in page order."
    )
    metadata: RunMetadata = Field(description="How the briefing was produced.")

    @field_validator("articles")
    @classmethod
    def _indices_unique(cls, articles: list[ArticleBriefing]) -> list[ArticleBriefing]:
        seen: set[int] = set()
        for position, article in enumerate(articles):
            if article.index is None:
                raise ValueError(
                    f"articles/{position}: index is required in a page briefing (the article's position)"
                )
            if article.index in seen:
                raise ValueError(f"articles/{position}: index {article.index} is used by another article")
            seen.add(article.index)
        return articles
