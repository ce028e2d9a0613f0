"""Shared fixtures. Tests never touch the network beyond 127.0.0.1 and never read ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import SEED


@pytest.fixture
def seed_path() -> Path:
    return SEED
