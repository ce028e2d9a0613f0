"""The interpreter's thread switching tuned for an event loop that waits on the network while
worker threads verify answers.

The verifier is CPU work in worker threads; the event loop, meanwhile, reads answers and sends the
next requests. Every time the loop comes back from a socket call it needs the interpreter lock, and
by default a thread that holds it keeps it for up to 5 ms before handing it over. A request then
goes out, or an answer is read, only after a verifier's time slice: measured in
``benchmarks/bench_llm.py`` (32 segments, 8 at a time), the run took 0.99-1.00 s at 5 ms against
0.94-0.96 s at 0.5 ms, in alternating runs. A slice of 0.5 ms costs the verifier next to nothing
(handing the lock over takes microseconds).

The setting is the process's; :func:`loop_first` sets it for the block and puts back what it found
after the outermost block (engines running at once share it).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["SWITCH_INTERVAL_S", "loop_first"]

SWITCH_INTERVAL_S = 0.0005

_depth = 0
_before = 0.0


@contextmanager
def loop_first(interval: float = SWITCH_INTERVAL_S) -> Iterator[None]:
    """Run the block with threads switching every ``interval`` seconds at most (never longer than
    the setting found: a shorter one chosen by the user is kept)."""
    global _depth, _before
    if _depth == 0:
        _before = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, _before))
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            sys.setswitchinterval(_before)
