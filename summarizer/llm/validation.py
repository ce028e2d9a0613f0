"""The verifier attached to the response model: what turns instructor's re-asks into fact checks.

The briefing models stay pure (:mod:`summarizer.briefing.models`); this module defines the response
models the LLM layer sends, each the same schema as its plain model (same title, same description,
so the request is byte-for-byte what the plain model would give) plus a validator that reads
instructor's validation context and runs :mod:`summarizer.verify` on the answer. A failure becomes
a ``ValueError`` whose message instructor sends back to the model.

* :class:`ValidatedArticleAnswer` (what the engine asks for): the compact answer citing the figure
  list; it is expanded into a briefing (:func:`~summarizer.llm.answer.expand_answer`) and verified.
* :class:`ValidatedArticleBriefing`: the whole briefing schema, verified as answered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from typing import Any, cast

from pydantic import ConfigDict, ValidationInfo, model_validator

from summarizer.briefing.models import ArticleBriefing
from summarizer.llm.answer import ArticleAnswer, FigureList, expand_answer
from summarizer.rules.facts import Fact
from summarizer.verify import ArticleCheck, ArticleSource, check_article

__all__ = ["ValidatedArticleAnswer", "ValidatedArticleBriefing", "validate_article_in_context"]


class ValidatedArticleBriefing(ArticleBriefing):
    model_config = ConfigDict(title="ArticleBriefing")

    @model_validator(mode="after")
    def _verify_against_context(self, info: ValidationInfo) -> ValidatedArticleBriefing:
        """With a validation context naming the source, reject claims the source does not support.

        Without one (a stored answer parsed for its shape) this checks nothing more than the schema.
        """
        context = info.context
        if isinstance(context, dict) and {"source", "segment", "source_text"} & context.keys():
            validate_article_in_context(self, context)
        return self


# The tool description instructor sends is the class docstring: keep it the schema's own.
ValidatedArticleBriefing.__doc__ = ArticleBriefing.__doc__


class ValidatedArticleAnswer(ArticleAnswer):
    model_config = ConfigDict(title="ArticleAnswer")

    @model_validator(mode="after")
    def _verify_against_context(self, info: ValidationInfo) -> ValidatedArticleAnswer:
        """With a context holding the request's ``figures`` (a FigureList) and the source: expand the
        answer and reject what cannot be expanded (an id not in the list) or what the source
        contradicts. Without one this checks the shape only."""
        context = info.context
        if isinstance(context, dict) and isinstance(context.get("figures"), FigureList):
            expansion = expand_answer(
                self, context["figures"], headline_zh=context.get("headline_zh"), base=context.get("base")
            )
            if expansion.problems:
                raise ValueError(expansion.message())
            check = validate_article_in_context(expansion.article, context)
            checked = context.get("checked")
            if isinstance(checked, dict):
                # What passed is kept with the answer it belongs to, so the engine finalises this very
                # article without checking (or even parsing) it again.
                checked["passed"] = (self, expansion, check)
        return self


ValidatedArticleAnswer.__doc__ = ArticleAnswer.__doc__


def validate_article_in_context(article: ArticleBriefing, context: Mapping[str, Any]) -> ArticleCheck:
    """The Pydantic validator's body: verify against the context's source, raise ValueError on what the
    source contradicts; the check when nothing is.

    Context keys: ``source`` (a prebuilt ArticleSource, or a Future of one), ``segment`` (a Segment) or ``source_text``
    (str); optional ``facts`` (that segment's rule-based facts; computed when absent), ``original``
    (the whole file text), ``document_date`` and ``fill_spans`` (default True); with ``checked`` (a
    dict), :class:`ValidatedArticleAnswer` keeps the answer that passed, its briefing and its check
    under ``"passed"``.

    Only contradicted claims are sent back. Each message quotes the source and says what disagrees; it
    never orders a value, status or period the rules are not sure of, and claims the rules cannot
    confirm are not re-asked at all (a verifier that is wrong sometimes must not teach the model).
    """
    facts = cast("Sequence[Fact] | None", context.get("facts"))
    segment = context.get("segment")
    prebuilt = context.get("source")
    if isinstance(prebuilt, Future):
        prebuilt = prebuilt.result()  # being built in a worker thread while the request was out
    if isinstance(prebuilt, ArticleSource):
        source = prebuilt  # built once per segment by the caller, reused for every re-ask
    elif segment is not None:
        source = ArticleSource.from_segment(
            segment, facts, cast("str | None", context.get("original")), context.get("document_date")
        )
    else:
        source = ArticleSource.from_text(str(context["source_text"]), facts)
    check = check_article(source, article, fill_spans=bool(context.get("fill_spans", True)))
    failed = [r for r in check.results if r.verdict == "contradicted"]
    if failed:
        lines = [f"- {r.message}" for r in failed[:25]]
        if len(failed) > 25:
            lines.append(f"- … and {len(failed) - 25} more of the same kinds")
        raise ValueError(
            f"{len(failed)} claim(s) disagree with the article; check each against the quoted source and answer "
            "again:\n" + "\n".join(lines)
        )
    return check
