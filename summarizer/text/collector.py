"""The cyclic garbage collector paused while a step builds many small objects that hold no cycles.

The rule path builds hundreds of thousands of small objects per megabyte (paragraphs, pieces of
maps, quantities, facts, the rows of a payload). None of them refers back to itself, so reference
counting frees every one, and the collector's passes over them find nothing; yet a pass runs every
700 new objects, and a pass over every object of the process each time their number has grown by a
quarter: 3 to 5 % of ``summarizer facts`` on a 1 MB page.

:func:`collector_paused` turns the collector off for a step and on again after it, if it was on
before: a cycle made meanwhile is collected by the next pass. Nested use is safe (only the outermost
turns it back on). The setting is the process's: a thread running alongside gets no automatic pass
for that long, as with ``gc.disable``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


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
