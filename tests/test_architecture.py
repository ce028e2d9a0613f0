"""The floor plan is the pipeline: each stage imports only the stages below it, never one above.

Every import of every module counts, the lazy ones inside functions too, so a cycle cannot hide in
a function body.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import REPO

# From the bottom up; a module may import its own stage and any stage listed before it.
LAYERS: list[set[str]] = [
    {"vocab", "errors", "inputs", "redact", "settings"},
    {"briefing"},  # the typed contracts (pure pydantic models): the core every step shares
    {"text"},
    {"gazetteer"},
    {"layout"},
    {"rules"},
    {"verify"},
    {"llm"},
    {"output"},
    {"testing"},
    {"pipeline"},
    {"batch"},
    {"__init__", "cli", "__main__"},
]
RANK = {stage: rank for rank, stages in enumerate(LAYERS) for stage in stages}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name for name in found if name == "summarizer" or name.startswith("summarizer.")}


def test_every_stage_has_a_place_in_the_floor_plan() -> None:
    package = REPO / "summarizer"
    stages = {
        p.stem if p.is_file() else p.name
        for p in package.iterdir()
        if p.suffix == ".py" or (p / "__init__.py").exists()
    }
    assert stages <= set(RANK), f"place these in LAYERS: {sorted(stages - set(RANK))}"


def test_no_stage_imports_one_above_it() -> None:
    upward: list[str] = []
    for path in sorted((REPO / "summarizer").rglob("*.py")):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts)
        own = _stage(module.removesuffix(".__init__"))
        for imported in _imports(path):
            target = _stage(imported)
            if RANK[target] > RANK[own]:
                upward.append(f"{module} imports {imported} ({own} is below {target})")
    assert upward == []
