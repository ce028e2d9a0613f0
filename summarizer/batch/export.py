"""``summarizer export DIR --to FILE``: a batch directory as four tables for analysts.

It reads what ``summarizer batch`` wrote — the manifest, each input's ``<stem>.facts.json`` (the
``summarizer facts --format json`` payload) and ``<stem>.briefing.json`` — and runs nothing again.

Tables and keys (``document_id`` is the input's output stem, unique within DIR):

* ``documents`` (``document_id``): one row per input of the manifest, failed ones too (with their
  error): path, SHA-256, state, how it was briefed, figures, claims, usage, and the briefing's
  source and run metadata;
* ``articles`` (``document_id``, ``article_index``): the briefed articles, with headline, byline,
  dateline, region and the verifier's summary;
* ``facts`` (``document_id``, ``fact_index``; ``article_index`` is the fact's segment): every figure
  the rules found, with every field of :class:`~summarizer.rules.facts.Fact`;
* ``claims`` (``document_id``, ``article_index``, ``claim_index``): the briefing's metrics and targets
  (verdict ``verified``, or ``unconfirmed`` with its ``problem`` when the verifier could not confirm
  part of it), the other claims it listed as unconfirmed, and every claim the source contradicts
  (verdict ``contradicted``: the entries of each article's ``unverified`` list, out of the lists).

One sign convention: declines are negative. Briefings already say 下降8.5% as -8.5; facts are
exported the same way (a fact with ``change = 'decrease'`` gets a negative ``value``, a range both
ends negative, low to high), and ``change`` is kept. Spans are ``span_start``/``span_end`` (``end``
is an SQL keyword), code points of the input file as given; ``value_span_*`` of a claim is the span
of its number, which is the ``span_*`` of the fact it states.

Columns are derived from the models' fields (:class:`~summarizer.rules.facts.Fact`,
:class:`~summarizer.briefing.models.Metric`, ``Target``, ``UnverifiedClaim``, ``ArticleBriefing``,
``SourceInfo``, ``RunMetadata`` and the manifest's records): nested models are flattened with their
field name as prefix (``comparison_kind``, ``region_en``), lists are JSON text, so a field added to
a model becomes a column without a change here.

Targets by suffix: ``.duckdb`` (the default for analysts; duckdb is imported only here), ``.sqlite``
/ ``.db``, and ``.parquet`` / ``.csv``, which hold one table per file: ``facts.parquet`` becomes
``facts.documents.parquet``, ``facts.articles.parquet``, ``facts.facts.parquet`` and
``facts.claims.parquet``. Every file is written to a temporary name and moved into place.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import sqlite3
import tempfile
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from summarizer.batch.manifest import InputRecord, InputSummary, Manifest
from summarizer.batch.worker import FACTS_SUFFIX
from summarizer.errors import ConfigError

__all__ = [
    "BRIEFING_SUFFIX",
    "SUFFIXES",
    "TABLES",
    "Column",
    "Table",
    "build_tables",
    "export_directory",
    "model_columns",
    "signed_fact",
]

SqlType = Literal["TEXT", "BIGINT", "DOUBLE", "BOOLEAN"]
TABLES = ("documents", "articles", "facts", "claims")
BRIEFING_SUFFIX = ".briefing.json"
SUFFIXES = (".duckdb", ".sqlite", ".db", ".parquet", ".csv")
_DUCKDB_TYPES: dict[SqlType, str] = {"TEXT": "VARCHAR", "BIGINT": "BIGINT", "DOUBLE": "DOUBLE", "BOOLEAN": "BOOLEAN"}
_RENAMED_KEYWORDS = {"start": "span_start", "end": "span_end"}


# -- columns from models --------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A table column: its name, SQL type and where its value is in a row's source mapping."""

    name: str
    type: SqlType
    path: tuple[str, ...]
    as_json: bool = False
    """Stored as JSON text (lists, mappings)."""

    def value(self, source: Mapping[str, Any]) -> Any:
        current: Any = source
        for key in self.path:
            if not isinstance(current, Mapping):
                return None
            current = current.get(key)
        if current is None:
            return None
        if self.as_json:
            return json.dumps(current, ensure_ascii=False)
        if self.type == "DOUBLE" and isinstance(current, int | float) and not isinstance(current, bool):
            return float(current)
        if self.type == "TEXT" and not isinstance(current, str):
            return json.dumps(current, ensure_ascii=False) if isinstance(current, list | dict) else str(current)
        return current


def _scalar_type(annotation: Any) -> SqlType | None:
    if annotation is bool:
        return "BOOLEAN"
    if annotation is int:
        return "BIGINT"
    if annotation is float:
        return "DOUBLE"
    if annotation in (str, datetime, date, Path):
        return "TEXT"
    if typing.get_origin(annotation) is Literal:
        kinds = {_scalar_type(type(value)) for value in typing.get_args(annotation)}
        return kinds.pop() if len(kinds) == 1 else "TEXT"
    return None


def _strip(annotation: Any) -> list[Any]:
    """The alternatives of an annotation without None and Annotated wrappers."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _strip(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [alt for arg in typing.get_args(annotation) if arg is not type(None) for alt in _strip(arg)]
    return [annotation]


def _columns_of(
    name: str, annotation: Any, path: tuple[str, ...], prefix: str, rename: Mapping[str, str]
) -> list[Column]:
    # A top-level start/end (an SQL keyword) is the span; a nested one already has its prefix (span_end).
    keyword = _RENAMED_KEYWORDS.get(name, name) if not prefix else name
    column = prefix + rename.get(name, keyword)
    alternatives = _strip(annotation)
    if len(alternatives) == 1 and isinstance(alternatives[0], type) and issubclass(alternatives[0], BaseModel):
        return model_columns(alternatives[0], prefix=column + "_", path=path)
    kinds = {_scalar_type(alt) for alt in alternatives}
    if len(kinds) == 1 and None not in kinds:
        kind = kinds.pop()
        assert kind is not None
        return [Column(column, kind, path)]
    if all(kind is not None for kind in kinds):  # mixed scalars (float | str): text
        return [Column(column, "TEXT", path)]
    return [Column(column, "TEXT", path, as_json=True)]  # lists, mappings, models among others


def model_columns(
    model: type[Any],
    *,
    prefix: str = "",
    path: tuple[str, ...] = (),
    exclude: Iterable[str] = (),
    rename: Mapping[str, str] | None = None,
) -> list[Column]:
    """Columns for the fields of a pydantic model or a dataclass, in field order.

    Nested models are flattened (``comparison`` → ``comparison_kind``, …), lists and mappings are
    JSON text, ``start``/``end`` become ``span_start``/``span_end``; ``rename`` maps field names to
    column names.
    """
    skipped = set(exclude)
    renames = dict(rename or {})
    if isinstance(model, type) and issubclass(model, BaseModel):
        annotations = {name: info.annotation for name, info in model.model_fields.items()}
    elif dataclasses.is_dataclass(model):
        hints = typing.get_type_hints(model)
        annotations = {f.name: hints[f.name] for f in dataclasses.fields(model)}
    else:
        raise TypeError(f"{model!r} is neither a pydantic model nor a dataclass")
    columns: list[Column] = []
    for name, annotation in annotations.items():
        if name in skipped:
            continue
        columns.extend(_columns_of(name, annotation, (*path, name), prefix, renames))
    return columns


def _merge(*groups: Sequence[Column]) -> list[Column]:
    """Columns of several models in one table: first wins by name; types that disagree become text."""
    merged: dict[str, Column] = {}
    for group in groups:
        for column in group:
            known = merged.get(column.name)
            if known is None:
                merged[column.name] = column
            elif known.type != column.type or known.as_json != column.as_json:
                merged[column.name] = Column(column.name, "TEXT", known.path, as_json=False)
    return list(merged.values())


# -- the tables --------------------------------------------------------------------------------------


@dataclass
class Table:
    name: str
    columns: list[Column]
    key: tuple[str, ...]
    sources: list[dict[str, Any]] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[Any, ...]]:
        for source in self.sources:
            yield tuple(column.value(source) for column in self.columns)


def _document_columns() -> list[Column]:
    from summarizer.briefing.models import RunMetadata, SourceInfo

    return _merge(
        [Column("document_id", "TEXT", ("document_id",))],
        model_columns(InputRecord, exclude={"stem", "summary"}),
        model_columns(InputSummary, exclude={"outputs"}),
        model_columns(SourceInfo, exclude={"path", "sha256"}),
        # usage and cost of the briefing are the manifest's (InputSummary), not repeated
        model_columns(RunMetadata, exclude={"usage", "cost_usd"}),
    )


def _article_columns() -> list[Column]:
    from summarizer.briefing.models import ArticleBriefing

    return [
        Column("document_id", "TEXT", ("document_id",)),
        *model_columns(
            ArticleBriefing, exclude={"metrics", "targets", "unverified"}, rename={"index": "article_index"}
        ),
    ]


# Fields of Fact that `summarizer facts --format json` leaves out (the sentence is long and derived).
_FACT_FIELDS_NOT_IN_JSON = frozenset({"sentence"})


def _fact_columns() -> list[Column]:
    from summarizer.rules.facts import Fact

    return [
        Column("document_id", "TEXT", ("document_id",)),
        Column("fact_index", "BIGINT", ("fact_index",)),
        *model_columns(Fact, exclude=_FACT_FIELDS_NOT_IN_JSON, rename={"segment": "article_index"}),
    ]


def _claim_columns() -> list[Column]:
    from summarizer.briefing.models import Metric, Target, UnverifiedClaim

    return _merge(
        [
            Column("document_id", "TEXT", ("document_id",)),
            Column("article_index", "BIGINT", ("article_index",)),
            Column("claim_index", "BIGINT", ("claim_index",)),
            Column("kind", "TEXT", ("kind",)),
            Column("verdict", "TEXT", ("verdict",)),
        ],
        model_columns(UnverifiedClaim),
        model_columns(Metric),
        model_columns(Target),
    )


def signed_fact(fact: Mapping[str, Any]) -> dict[str, Any]:
    """A fact (as in the facts JSON) with a decline negative: value and value_max, low to high."""
    signed = dict(fact)
    if signed.get("change") != "decrease":
        return signed
    low, high = signed.get("value"), signed.get("value_max")
    if high is None:
        signed["value"] = -abs(low) if low is not None else None
    elif low is not None:
        signed["value"], signed["value_max"] = sorted((-abs(low), -abs(high)))
    return signed


_KINDS = {
    "metrics": "metric",
    "targets": "target",
    "key_points": "key_point",
    "programmes": "programme",
    "organisations": "organisation",
    "caveats": "caveat",
    "summary_en": "summary",
    "headline_en": "headline",
}


def _claim_kind(pointer: str) -> str:
    head = pointer.strip("/").split("/", 1)[0]
    return _KINDS.get(head, head or "article")


def _claims_of(document_id: str, article: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per claim: each metric and target (``verified``, or ``unconfirmed`` with the problem
    when the verifier listed something of it as unconfirmed), each unconfirmed claim of the prose, and
    each claim the source contradicts (moved out of the lists by the verifier)."""
    index = article.get("index")
    number = 0
    unconfirmed: dict[str, Mapping[str, Any]] = {}
    for entry in article.get("unconfirmed") or []:
        unconfirmed.setdefault(str(entry.get("pointer", "")), entry)
    listed: set[str] = set()
    for list_name, kind in (("metrics", "metric"), ("targets", "target")):
        for position, claim in enumerate(article.get(list_name) or []):
            pointer = f"/{list_name}/{position}"
            doubt = next((e for p, e in unconfirmed.items() if p == pointer or p.startswith(pointer + "/")), None)
            listed |= {p for p in unconfirmed if p == pointer or p.startswith(pointer + "/")}
            yield {
                **claim,
                "document_id": document_id,
                "article_index": index,
                "claim_index": number,
                "kind": kind,
                "pointer": pointer,
                "verdict": "unconfirmed" if doubt else "verified",
                "problem": doubt.get("problem") if doubt else None,
                "reason": doubt.get("reason") if doubt else None,
            }
            number += 1
    for pointer, entry in unconfirmed.items():
        if pointer in listed:
            continue
        yield {
            **entry,
            "document_id": document_id,
            "article_index": index,
            "claim_index": number,
            "kind": _claim_kind(pointer),
            "verdict": "unconfirmed",
        }
        number += 1
    for claim in article.get("unverified") or []:
        yield {
            **claim,
            "document_id": document_id,
            "article_index": index,
            "claim_index": number,
            "kind": _claim_kind(str(claim.get("pointer", ""))),
            "verdict": "contradicted",
        }
        number += 1


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} is missing: run `summarizer batch` again to rewrite it") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ConfigError(f"{path} cannot be read ({error}): run `summarizer batch` again") from None


def build_tables(directory: Path) -> list[Table]:
    """The four tables of a batch directory, from its manifest and the files it lists."""
    documents = Table("documents", _document_columns(), ("document_id",))
    articles = Table("articles", _article_columns(), ("document_id", "article_index"))
    facts = Table("facts", _fact_columns(), ("document_id", "fact_index"))
    claims = Table("claims", _claim_columns(), ("document_id", "article_index", "claim_index"))
    with Manifest(directory, read_only=True) as manifest:
        records = manifest.records()
    for record in records:
        document_id = record.stem
        source: dict[str, Any] = {
            **{f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name != "summary"},
            "document_id": document_id,
        }
        if record.summary is not None:
            source.update(dataclasses.asdict(record.summary))
        outputs = set(record.outputs)
        briefing_name = document_id + BRIEFING_SUFFIX
        if briefing_name in outputs:
            briefing = _read_json(directory / briefing_name)
            source.update({k: v for k, v in (briefing.get("source") or {}).items() if k not in ("path", "sha256")})
            source.update(briefing.get("metadata") or {})
            for article in briefing.get("articles") or []:
                articles.sources.append({**article, "document_id": document_id})
                claims.sources.extend(_claims_of(document_id, article))
        facts_name = document_id + FACTS_SUFFIX
        if facts_name in outputs:
            payload = _read_json(directory / facts_name)
            for position, fact in enumerate(payload.get("facts") or []):
                facts.sources.append({**signed_fact(fact), "document_id": document_id, "fact_index": position})
        documents.sources.append(source)
    return [documents, articles, facts, claims]


# -- writers -----------------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create_statement(table: Table, types_of: Callable[[SqlType], str]) -> str:
    columns = ", ".join(f"{_quote(c.name)} {types_of(c.type)}" for c in table.columns)
    key = ", ".join(_quote(k) for k in table.key)
    return f"CREATE TABLE {_quote(table.name)} ({columns}, PRIMARY KEY ({key}))"


def _temporary(target: Path) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    os.unlink(name)  # the writers create the file themselves
    return Path(name)


def _publish(temporary: Path, target: Path) -> None:
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)


def _load_into_duckdb(connection: Any, tables: Sequence[Table], scratch: Path) -> None:
    """Create and fill the tables. Rows go through newline-delimited JSON, which duckdb reads in
    bulk with the declared types (row-by-row inserts are ~100 times slower)."""
    for table in tables:
        connection.execute(_create_statement(table, lambda t: _DUCKDB_TYPES[t]))
        if not table.sources:
            continue
        rows_file = scratch / f"{table.name}.jsonl"
        names = [c.name for c in table.columns]
        with rows_file.open("w", encoding="utf-8") as stream:
            for row in table.rows():
                stream.write(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n")
        declared = {c.name: _DUCKDB_TYPES[c.type] for c in table.columns}
        column_list = ", ".join(_quote(n) for n in names)
        connection.execute(
            f"INSERT INTO {_quote(table.name)} ({column_list}) SELECT {column_list} "
            "FROM read_json(?, format = 'newline_delimited', columns = ?)",
            [str(rows_file), declared],
        )


def _write_duckdb(tables: Sequence[Table], target: Path) -> list[Path]:
    import duckdb

    temporary = _temporary(target)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            connection = duckdb.connect(str(temporary))
            try:
                _load_into_duckdb(connection, tables, Path(scratch))
            finally:
                connection.close()
        _publish(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
    return [target]


def _write_parquet(tables: Sequence[Table], target: Path) -> list[Path]:
    import duckdb

    written: list[Path] = []
    with tempfile.TemporaryDirectory() as scratch:
        connection = duckdb.connect(":memory:")
        try:
            _load_into_duckdb(connection, tables, Path(scratch))
            for table in tables:
                path = _per_table(target, table.name)
                temporary = _temporary(path)
                try:
                    connection.execute(f"COPY {_quote(table.name)} TO ? (FORMAT parquet)", [str(temporary)])
                    _publish(temporary, path)
                finally:
                    temporary.unlink(missing_ok=True)
                written.append(path)
        finally:
            connection.close()
    return written


def _write_sqlite(tables: Sequence[Table], target: Path) -> list[Path]:
    temporary = _temporary(target)
    try:
        connection = sqlite3.connect(temporary)
        try:
            with connection:
                for table in tables:
                    connection.execute(_create_statement(table, lambda t: t))
                    marks = ", ".join("?" for _ in table.columns)
                    connection.executemany(f"INSERT INTO {_quote(table.name)} VALUES ({marks})", table.rows())
        finally:
            connection.close()
        _publish(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return [target]


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write_csv(tables: Sequence[Table], target: Path) -> list[Path]:
    written: list[Path] = []
    for table in tables:
        path = _per_table(target, table.name)
        temporary = _temporary(path)
        try:
            with temporary.open("w", encoding="utf-8", newline="") as stream:
                writer = csv.writer(stream, lineterminator="\n")
                writer.writerow([c.name for c in table.columns])
                writer.writerows([_csv_value(v) for v in row] for row in table.rows())
            _publish(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
        written.append(path)
    return written


def _per_table(target: Path, table: str) -> Path:
    """``facts.parquet`` → ``facts.<table>.parquet``: one file per table beside the target."""
    return target.with_name(f"{target.stem}.{table}{target.suffix}")


_WRITERS: dict[str, Callable[[Sequence[Table], Path], list[Path]]] = {
    ".duckdb": _write_duckdb,
    ".sqlite": _write_sqlite,
    ".db": _write_sqlite,
    ".parquet": _write_parquet,
    ".csv": _write_csv,
}


def export_directory(directory: str | Path, target: str | Path) -> list[tuple[Path, str, int]]:
    """Export the batch directory ``directory`` to ``target`` (format by suffix, see the module).

    Returns ``(file, table, rows)`` for every table written. Raises
    :class:`~summarizer.errors.ConfigError` for a directory without a manifest, an unknown suffix or
    a target that cannot be written.
    """
    source, destination = Path(directory), Path(target)
    writer = _WRITERS.get(destination.suffix.lower())
    if writer is None:
        raise ConfigError(
            f"--to {destination}: unknown format {destination.suffix or '(no suffix)'!r}; "
            f"choose a file ending in {', '.join(SUFFIXES)}"
        )
    if destination.is_dir():
        raise ConfigError(f"--to {destination} is a directory: give a file name such as facts.duckdb")
    if not source.is_dir():
        raise ConfigError(f"{source} is not a directory: give the --out directory of a `summarizer batch` run")
    tables = build_tables(source)
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        written = writer(tables, destination)
    except OSError as error:
        raise ConfigError(f"cannot write {destination} ({error.strerror or error})") from None
    if len(written) == 1:
        return [(written[0], table.name, len(table.sources)) for table in tables]
    return [(path, table.name, len(table.sources)) for path, table in zip(written, tables, strict=True)]
