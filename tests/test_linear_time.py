"""No input makes the rule path slower than linear.

Work is measured, not timed against a clock: the number of Python and C function calls the rule path
makes (read, repair, segment, facts) is deterministic, so 8 copies of a pathological input may cost at
most about 8 times what one copy costs. A regular expression that backtracks over the whole text does
its work inside one call, so the kinds of text that once did so are also compared by time, 1× against
8× in the same run (the best of three each), with a bound that only a quadratic cost reaches.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.pipeline import analyse
from summarizer.text.ingest import read_document

MAX_BYTES = 50_000_000


def _analyse(text: str) -> Any:
    return analyse(read_document(text.encode("utf-8"), name="pathological.txt", max_bytes=MAX_BYTES))


def _calls(text: str) -> int:
    """Function calls (Python and C) made while analysing ``text``: a deterministic measure of work."""
    count = 0

    def profiler(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profiler)
    try:
        _analyse(text)
    finally:
        sys.setprofile(None)
    return count


def _best_time(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        _analyse(text)
        best = min(best, time.perf_counter() - started)
    return best


def _numbers(copies: int) -> str:
    rng = random.Random(7)
    return "价格表\n" + " ".join(str(rng.randint(1, 99999)) for _ in range(300 * copies)) + "\n"


# name -> (head, unit repeated ``copies`` times, tail): each a kind of text that has made tools quadratic.
PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    "space-separated numbers (a flattened price list)": _numbers,
    "a run of commas": lambda n: "标题\n\n" + "，" * (500 * n) + "增长5%。\n",
    "a run of opening quotes": lambda n: "标题\n\n" + "“" * (300 * n) + "增长5%" + "”" * (300 * n) + "\n",
    "one long line of figures without a full stop": lambda n: "标题\n\n"
    + "全省规模以上工业增加值增长5.5%，" * (60 * n)
    + "\n",
    "deeply nested brackets": lambda n: "标题\n\n" + "（" * (300 * n) + "3家" + "）" * (300 * n) + "\n",
    "a flattened table": lambda n: "2012年产量\n指标\n产量（万吨）\n增长（%）\n"
    + "".join(f"项目{i}\n{i % 997}.5\n{i % 89}.1\n" for i in range(100 * n)),
    "near-identical paragraphs": lambda n: "标题\n\n" + "全市实现增加值5亿元，同比增长3%。\n" * (80 * n),
    "paragraphs cut mid-sentence": lambda n: "标题\n\n"
    + "".join("全市实现增加值5亿元，同比增长\n" if i % 2 == 0 else "，其中工业增长3%\n" for i in range(80 * n)),
    "a run of Chinese numerals": lambda n: "标题\n\n" + "一二三四五六七八九十百千万亿" * (40 * n) + "元\n",
    "many short articles": lambda n: "".join(f"标题{i}\n记者 张三\n本报讯 全市增长{i % 50}%。\n" for i in range(40 * n)),
    "many period expressions": lambda n: "标题\n\n" + "2023年1—11月，一季度，上半年，今年以来，" * (60 * n) + "增长5%。\n",
}


@pytest.mark.parametrize("kind", list(PATHOLOGICAL))
def test_work_grows_linearly(kind: str) -> None:
    make = PATHOLOGICAL[kind]
    small, large = _calls(make(1)), _calls(make(8))
    assert large <= 9 * small, f"{kind}: {large} calls for 8 copies vs {small} for one"


@pytest.mark.parametrize(
    "kind",
    ["space-separated numbers (a flattened price list)", "one long line of figures without a full stop",
     "a run of commas", "near-identical paragraphs", "a flattened table"],
)  # fmt: skip
def test_time_grows_linearly(kind: str) -> None:
    make = PATHOLOGICAL[kind]
    _analyse(make(1))  # warm the caches (glossary, gazetteer, word segmentation)
    small, large = _best_time(make(1)), _best_time(make(8))
    # Linear work gives about 8x; a quadratic scan gives 64x. 24x leaves room for a busy machine.
    assert large <= 24 * small + 0.05, f"{kind}: {large:.3f}s for 8 copies vs {small:.3f}s for one"


_PIECES = st.sampled_from(
    ["12", "3.5", "万", "亿元", "%", "，", "。", "、", "“", "”", "（", "）", "\n", "增长", "下降", "第", "位",
     "2023年", "一季度", "力争", "预计", "全省", "规模以上工业增加值", " ", "—", "多", "以上", "分别", "其中"]
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=st.lists(_PIECES, min_size=3, max_size=40).map("".join))
def test_any_repeated_text_costs_linear_work(unit: str) -> None:
    text = "标题\n\n" + unit
    small, large = _calls(text + "\n"), _calls(text + unit * 7 + "\n")
    assert large <= 9 * small + 20_000, (unit, small, large)
