"""Helpers shared by tests (import with ``from helpers import ...``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pydantic import BaseModel, ValidationInfo, field_validator

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_4e8de9e190906468.txt"
class Figure(BaseModel):
    """A figure quoted from the article (the response model of the LLM client's tests)."""

    value: float
    quote: str

    @field_validator("quote")
    @classmethod
    def _quote_in_source(cls, quote: str, info: ValidationInfo) -> str:
        context = info.context or {}
        source = context.get("source_text")
        if isinstance(source, str) and quote not in source:
            raise ValueError(f"quote {quote!r} is not in the article; copy the passage verbatim")
        return quote


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m summarizer`` as a user would, capturing both streams."""
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        env=env,
        timeout=120,
        check=False,
    )


# -- small pages of our own for batch tests (a few sentences with figures each; not corpus prose) --

PROVINCES = (
    "湖南", "江西", "安徽", "四川", "浙江", "福建", "广东", "山东", "河南", "湖北",
    "河北", "山西", "陕西", "甘肃", "云南", "贵州", "广西", "吉林", "辽宁", "江苏",
)  # fmt: skip


def page_text(number: int) -> str:
    """A one-article page whose title names its province; figures vary with ``number``."""
    province = PROVINCES[number % len(PROVINCES)]
    return (
        f"{province}制造业稳步回升\n"
        f"本报讯 今年前三季度，{province}省规模以上工业增加值同比增长{5 + number % 4}.{number % 10}%，"
        f"高于全国{1 + number % 3}.2个百分点。全省新增高新技术企业{120 + number * 7}家，"
        f"软件业务收入达到{300 + number}亿元。社会消费品零售总额下降{1 + number % 5}.5%。\n"
        f"力争到2025年，全省数字经济规模突破{2 + number % 3}万亿元。\n"
    )


def write_pages(directory: Path, count: int, *, start: int = 0) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(start, start + count):
        path = directory / f"page{number:02d}.txt"
        path.write_text(page_text(number), encoding="utf-8")
        paths.append(path)
    return paths
