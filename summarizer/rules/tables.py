"""Flattened tables: statistical tables that lost their layout, one cell per line.

A statistical bulletin's tables reach us as runs of short lines::

    2012年主要农产品产量          <- title (a year, what the table is about)
    单位：亿元                    <- optional unit line
    指标名称 / 产量（万吨） / 同比增长（±%）   <- header cells, one per column
    粮  食 / 650.0 / 17.3        <- rows: a label, then one cell per value column
    #水  稻 / 79.4 / 17.5

:func:`read_tables` recovers the rows and columns and says what each numeric cell is: its row label
(the indicator), the column's meaning (a level, a change, a share, a stock at the year's end) and its
unit, taken from the column header (产量（万吨）), a unit column (单位 / 万吨), the row label (大牲畜（万头）),
the table's unit line, or, failing all of those, from the prose that states the same number with its
unit (存款余额1970.6亿元 before a table of deposits). Everything is decided by the table's own words;
a run of lines that does not read as rows of the same width is left alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from summarizer.rules.quantities import Quantity, parse_quantity

__all__ = ["TableCell", "read_tables"]

_MAX_CELL = 24
_NUMERIC: Final = re.compile(r"^[-+−]?\d[\d,]*(?:\.\d+)?$")
_FLAT: Final = frozenset({"持平", "—", "-", "－"})
_SENTENCE: Final = re.compile(r"[。；;，,！？]")
_UNIT_LINE: Final = re.compile(r"^单\s*位\s*[:：]\s*(?P<unit>\S+)$")
_HEADER_WORDS: Final = re.compile(r"指\s*标|名\s*称|单\s*位|增\s*长|增减|增幅|比重|构成|%|值|产\s*量|末|额|数|量")
_CHANGE: Final = re.compile(r"增长|增减|增幅|增速|比上年|同比|比年初|比上年末|增加|减少")
_SHARE: Final = re.compile(r"比重|占比|构成")
_STOCK: Final = re.compile(r"(?:12月|年|期)末|年末数")
_PARENTHESISED: Final = re.compile(r"[（(](?P<inner>[^（）()]+)[）)]")
_TITLE_YEAR: Final = re.compile(r"((?:19|20)\d{2})年")
_LABEL_HEADER: Final = re.compile(r"^(?:指\s*标|项\s*目|产品名称|名\s*称|类\s*别|地\s*区)")
_LABEL_NOISE: Final = re.compile(r"^(?:其中[:：]?|#|＃|\s|\u3000)+")


@dataclass(frozen=True, slots=True)
class TableCell:
    """What a numeric cell of a flattened table states."""

    value: float
    unit: str
    measure: str | None
    indicator: str
    change: Literal["increase", "decrease"] | None
    share: bool
    period: str | None
    cumulative: bool


@dataclass(frozen=True, slots=True)
class _Unit:
    unit: str
    measure: str | None
    scale: float


@lru_cache(maxsize=8192)
def _unit_of(text: str) -> _Unit | None:
    """A unit written on its own (万吨, 亿元, 万头, %): its name, measure word and scale."""
    text = text.strip()
    if text in ("%", "％", "±%", "(%)", "（%）"):
        return _Unit("percent", None, 1.0)
    quantity = parse_quantity("1" + text)
    if quantity is None or quantity.value is None or quantity.unit == "number":
        return None
    return _Unit(quantity.unit, quantity.measure, quantity.value)


def _unit_in(header: str) -> _Unit | None:
    for match in _PARENTHESISED.finditer(header):
        inner = match.group("inner").replace("±", "").strip()
        unit = _unit_of(inner)
        if unit is not None:
            return unit
    if "%" in header or "％" in header:
        return _Unit("percent", None, 1.0)
    return None


@dataclass(slots=True)
class _Column:
    header: str
    change: bool
    share: bool
    stock: bool
    unit: _Unit | None


def _column(header: str) -> _Column:
    return _Column(
        header=header,
        change=bool(_CHANGE.search(header)),
        share=bool(_SHARE.search(header)),
        stock=bool(_STOCK.search(header)),
        unit=_unit_in(header),
    )


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str
    kind: Literal["number", "flat", "unit", "label"]


def _kind(text: str) -> Literal["number", "flat", "unit", "label"]:
    compact = text.replace(" ", "").replace("\u3000", "")
    if _NUMERIC.match(compact):
        return "number"
    if compact in _FLAT:
        return "flat"
    if len(compact) <= 5 and _unit_of(compact) is not None and not compact[0].isdigit():
        return "unit"
    return "label"


def _runs(text: str, lines: list[tuple[int, int]]) -> list[list[_Line]]:
    """Runs of short lines without sentence punctuation that hold at least four numeric cells."""
    runs: list[list[_Line]] = []
    current: list[_Line] = []
    for start, end in [*lines, (-1, -1)]:
        line = text[start:end].strip() if start >= 0 else ""
        if start >= 0 and line and len(line) <= _MAX_CELL and not _SENTENCE.search(line):
            current.append(_Line(start, end, line, _kind(line)))
            continue
        if sum(1 for item in current if item.kind in ("number", "flat")) >= 4:
            runs.append(current)
        current = []
    return runs


def _row_width(run: list[_Line]) -> tuple[int, bool] | None:
    """The number of value cells per row, and whether a unit column stands before them."""
    widths: Counter[tuple[int, bool]] = Counter()
    index = 0
    while index < len(run):
        if run[index].kind != "label":
            index += 1
            continue
        position = index + 1
        has_unit = position < len(run) and run[position].kind == "unit"
        position += has_unit
        count = 0
        while position < len(run) and run[position].kind in ("number", "flat"):
            count += 1
            position += 1
        if count:
            widths[(count, has_unit)] += 1
        index = max(position, index + 1)
    if not widths:
        return None
    (width, unit_column), rows = widths.most_common(1)[0]
    return (width, unit_column) if rows >= 2 else None


def _first_row(run: list[_Line]) -> int | None:
    """Index of the first row label: a label followed by value cells (or a unit cell, then values)."""
    for index in range(len(run) - 1):
        if run[index].kind != "label":
            continue
        follower = run[index + 1]
        if follower.kind in ("number", "flat"):
            return index
        if follower.kind == "unit" and index + 2 < len(run) and run[index + 2].kind in ("number", "flat"):
            return index
    return None


def read_tables(
    text: str, lines: list[tuple[int, int]], quantities: list[Quantity], prose_units: dict[str, _Unit] | None = None
) -> dict[int, TableCell]:
    """Numeric cells of the flattened tables in ``text``, keyed by the start of each cell's line.

    ``lines`` are the (start, end) spans of the text's lines; ``quantities`` the text's quantities
    (their units, where prose states the same number, fill columns that name none).
    """
    cells: dict[int, TableCell] = {}
    echoes = prose_units
    for run in _runs(text, lines):
        if echoes is None:
            echoes = _prose_units(quantities)  # only a text with a table needs them
        cells.update(_read_run(run, echoes))
    return cells


def prose_units(quantities: list[Quantity]) -> dict[str, _Unit]:
    return _prose_units(quantities)


def _prose_units(quantities: list[Quantity]) -> dict[str, _Unit]:
    """Number as written -> the unit and scale prose gives it (1970.6亿元 -> 1970.6: CNY × 1e8)."""
    echoes: dict[str, _Unit] = {}
    for quantity in quantities:
        if quantity.unit == "number" or quantity.value is None or quantity.value_max is not None:
            continue
        number = quantity.number_text.replace(",", "")
        if not _NUMERIC.match(number):
            continue
        if number in echoes:
            continue  # the first statement of a number gives its unit
        try:
            scale = quantity.value / float(number)
        except (ValueError, ZeroDivisionError):
            continue
        echoes[number] = _Unit(quantity.unit, quantity.measure, scale)
    return echoes


def _read_run(run: list[_Line], echoes: dict[str, _Unit]) -> dict[int, TableCell]:
    shape = _row_width(run)
    if shape is None:
        return {}
    width, unit_column = shape
    first_row = _first_row(run)
    if first_row is None:
        return {}
    header_count = 1 + unit_column + width
    leading = run[:first_row]
    title = ""
    table_unit: _Unit | None = None
    rest: list[_Line] = []
    for line in leading:
        unit_line = _UNIT_LINE.match(line.text.replace(" ", "").replace("\u3000", ""))
        if unit_line:
            table_unit = _unit_of(unit_line.group("unit"))
        else:
            rest.append(line)
    # The header starts at the label column's header (指标, 指标名称, 产品名称); a line before it is the title.
    start = next((n for n, line in enumerate(rest) if _LABEL_HEADER.match(line.text)), None)
    if start is None:
        start = 1 if len(rest) > header_count and _TITLE_YEAR.search(rest[0].text) else 0
    if start > 0:
        title = rest[start - 1].text
    headers = [line.text for line in rest[start : start + header_count]]
    if len(headers) < header_count:
        return {}
    groups = rest[start + header_count :]
    columns = [_column(header) for header in headers[1 + unit_column :]]
    position = first_row
    stock_group = any(_STOCK.search(group.text) for group in groups)
    year_match = _TITLE_YEAR.search(title)
    year = year_match.group(1) if year_match else None
    cells: dict[int, TableCell] = {}
    parent_unit: _Unit | None = None
    while position < len(run):
        row = run[position]
        if row.kind != "label":
            position += 1
            continue
        label = row.text
        position += 1
        row_unit: _Unit | None = None
        if unit_column and position < len(run) and run[position].kind == "unit":
            row_unit = _unit_of(run[position].text)
            position += 1
        values: list[_Line] = []
        while position < len(run) and run[position].kind in ("number", "flat") and len(values) < width:
            values.append(run[position])
            position += 1
        if not values:
            stock_group = bool(_STOCK.search(label))  # a group row (期末畜禽存栏): its members follow
            parent_unit = None
            continue
        label_unit = _unit_in(label)
        if label_unit is not None:
            parent_unit = label_unit  # rows below without a unit of their own share it (大牲畜（万头）, 奶牛)
        indicator = _PARENTHESISED.sub("", _LABEL_NOISE.sub("", label)).replace(" ", "").replace("\u3000", "")
        for column, value_cell in zip(columns, values, strict=False):
            unit = column.unit or row_unit or label_unit or parent_unit or table_unit
            if column.change and column.unit is None and (row_unit or label_unit or table_unit) is None:
                unit = None
            if value_cell.kind == "flat":
                number = 0.0
                written = "0"
            else:
                written = value_cell.text.replace(",", "").replace("−", "-").replace(" ", "")
                number = float(written)
            if unit is None:
                unit = echoes.get(written.lstrip("-+"))
            if unit is None and column.change:
                unit = _Unit("percent", None, 1.0)
            value = number * (unit.scale if unit is not None else 1.0)
            change: Literal["increase", "decrease"] | None = None
            if column.change and value_cell.kind != "flat":
                change = "decrease" if number < 0 else "increase"
            # A year-end stock, and its change and share, are at the year's end; only the level is a stock.
            stock_row = stock_group or any(other.stock for other in columns)
            stock = stock_row and not column.change and not column.share
            period = f"{year}-12-31" if year and stock_row else year
            cells[value_cell.start] = TableCell(
                value=float(f"{value:.12g}"),
                unit=unit.unit if unit is not None else "number",
                measure=unit.measure if unit is not None else None,
                indicator=indicator,
                change=change,
                share=column.share,
                period=period,
                cumulative=stock,
            )
    return cells
