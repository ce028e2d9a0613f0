"""What the engine sets for the process while it runs (the collector, thread switching), and puts back."""

from __future__ import annotations

import gc
import sys

import pytest

from summarizer.llm.responsiveness import SWITCH_INTERVAL_S, loop_first
from summarizer.text.collector import collector_frozen


def test_collector_frozen_keeps_old_objects_out_of_passes_and_nests() -> None:
    assert gc.get_freeze_count() == 0
    old = [[] for _ in range(100)]
    with collector_frozen():
        frozen = gc.get_freeze_count()
        assert frozen >= len(old)
        newer = [[] for _ in range(100)]
        with collector_frozen():
            assert gc.get_freeze_count() == frozen  # an inner block freezes nothing more
        assert gc.get_freeze_count() == frozen  # only the last open block unfreezes
        cycle: list[object] = []
        cycle.append(cycle)  # made during the block: still collected
        del cycle
        assert gc.collect() >= 1
        del newer
    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), collector_frozen():
        raise RuntimeError
    assert gc.get_freeze_count() == 0


def test_overlapping_blocks_freeze_once_and_unfreeze_when_the_last_ends() -> None:
    """Pages of a batch run at once: their blocks overlap without nesting."""
    first, second = collector_frozen(), collector_frozen()
    first.__enter__()
    frozen = gc.get_freeze_count()
    garbage = [[] for _ in range(100)]  # made while the first page runs
    second.__enter__()
    assert gc.get_freeze_count() == frozen  # the second page freezes nothing the first made
    first.__exit__(None, None, None)
    assert gc.get_freeze_count() == frozen  # the second page is still running
    second.__exit__(None, None, None)
    assert gc.get_freeze_count() == 0
    del garbage


def test_collector_frozen_leaves_someone_else_s_freeze_alone() -> None:
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with collector_frozen():
            pass
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()


def test_loop_first_shortens_switching_for_the_block_and_restores_it() -> None:
    found = sys.getswitchinterval()
    with loop_first():
        assert sys.getswitchinterval() == pytest.approx(min(SWITCH_INTERVAL_S, found), rel=0.05)
        with loop_first():
            pass
        assert sys.getswitchinterval() == pytest.approx(min(SWITCH_INTERVAL_S, found), rel=0.05)
    assert sys.getswitchinterval() == found
    sys.setswitchinterval(0.0001)  # a user's shorter setting is kept
    try:
        with loop_first():
            assert sys.getswitchinterval() == pytest.approx(0.0001, rel=0.05)
    finally:
        sys.setswitchinterval(found)
