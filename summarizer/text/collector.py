"""The cyclic garbage collector kept from work that finds nothing: paused, or told what is old.

The rule path builds hundreds of thousands of small objects per megabyte (paragraphs, pieces of
maps, quantities, facts, the rows of a payload). None of them refers back to itself, so reference
counting frees every one, and the collector's passes over them find nothing; yet a pass runs every
700 new objects, and a pass over every object of the process each time their number has grown by a
quarter: 3 to 5 % of ``summarizer facts`` on a 1 MB page.

:func:`collector_paused` turns the collector off for a step and on again after it, if it was on
before: a cycle made meanwhile is collected by the next pass. Nested use is safe (only the outermost
turns it back on). The setting is the process's: a thread running alongside gets no automatic pass
for that long, as with ``gc.disable``.

:func:`collector_frozen` is for a long step that makes cycles (asyncio's futures, exceptions and
their tracebacks) while the process holds many objects made before it (the page, its facts, the
modules of the HTTP client): the collector keeps running, but over the objects made during the
step only. A full pass over every object of the process took 120-135 ms in half the runs of
``benchmarks/bench_llm.py`` (a sixth of the run, and the event loop waits for it); frozen, none.
Objects made before the step that become cyclic garbage during it are collected after it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_frozen", "collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off; it is on again after it if it was before."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_frozen_by_us = 0  # collector_frozen blocks open under our freeze (they may overlap, not only nest)


@contextmanager
def collector_frozen() -> Iterator[None]:
    """Run the block with the objects that exist when the first open block began out of the cyclic
    collector's passes (``gc.freeze``); they are back in them when the last open block ends, unless
    someone else froze objects before (then what they froze stays frozen, as they left it).

    Only the first of overlapping blocks freezes: a block that began later (the next page of a batch)
    must not freeze the garbage the earlier ones made, which no pass could then collect."""
    global _frozen_by_us
    if _frozen_by_us == 0:
        if gc.get_freeze_count() > 0:
            yield  # another owner's freeze: not ours to undo
            return
        gc.freeze()
    _frozen_by_us += 1
    try:
        yield
    finally:
        _frozen_by_us -= 1
        if _frozen_by_us == 0:
            gc.unfreeze()
