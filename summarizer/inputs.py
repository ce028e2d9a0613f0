"""Reading what the user names: a file, a special file (a FIFO, ``/dev/stdin``, ``/dev/zero``) or
standard input (``-``), always with a bound.

A regular file's size is known up front and checked before reading. A stream's is not, so at most
``max_bytes + 1`` bytes are read: one byte more than the limit proves the input is over it, however
long (or endless) the stream is. Nothing here ever reads a file whole without a limit.
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from summarizer.errors import SummarizerError

__all__ = ["STDIN", "STDIN_LABEL", "STDIN_NAME", "is_stdin", "read_bounded"]

STDIN = "-"
"""The FILE argument that means standard input."""
STDIN_NAME = "stdin"
"""The name a document read from standard input gets (output files are ``stdin.briefing.*``)."""
STDIN_LABEL = "<stdin>"
"""How messages name standard input."""

_RAISE_HINT = "raise it with --max-bytes or SUMMARIZER_MAX_BYTES"


def is_stdin(source: str | Path) -> bool:
    return str(source) == STDIN


def read_bounded(
    source: str | Path,
    max_bytes: int,
    *,
    label: str | None = None,
    kind: str = "article",
    error: type[SummarizerError],
) -> bytes:
    """The bytes of ``source`` (a path, or ``-`` for standard input), at most ``max_bytes`` of them.

    Raises ``error`` with a one-line message for a missing file, a directory, an unreadable file,
    no standard input, and input over ``max_bytes`` (``kind`` names what was expected in the hints).
    """
    if max_bytes < 1:
        raise error(f"the size limit (--max-bytes, SUMMARIZER_MAX_BYTES) must be at least 1 byte, not {max_bytes}")
    if is_stdin(source):
        return _read_stdin(max_bytes, label or STDIN_LABEL, kind, error)
    path = Path(source)
    label = label or str(source)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise error(f"{label}: {'briefing file' if kind == 'briefing' else 'file'} not found") from None
    except OSError as exc:
        raise error(f"{label}: cannot read the file ({exc.strerror or type(exc).__name__})") from None
    if stat.S_ISDIR(info.st_mode):
        wanted = "a briefing JSON file" if kind == "briefing" else "an article file (.txt)"
        raise error(f"{label}: is a directory; give {wanted}")
    if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
        raise error(
            f"{label}: {info.st_size} bytes is over the size limit of {max_bytes} bytes ({_RAISE_HINT})"
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise error(f"{label}: cannot read the file ({exc.strerror or type(exc).__name__})") from None
    if len(data) > max_bytes:
        # A special file or a file that grew while it was read: its size is unknown.
        raise error(f"{label}: more than {max_bytes} bytes, over the size limit ({_RAISE_HINT})")
    return data


def _read_stdin(max_bytes: int, label: str, kind: str, error: type[SummarizerError]) -> bytes:
    stream = sys.stdin
    if stream is None:
        raise error(f"{label}: there is no standard input to read the {kind} from")
    if stream.isatty():
        sys.stderr.write(f"summarizer: reading the {kind} from standard input; end it with Ctrl-D\n")
    try:
        data = stream.buffer.read(max_bytes + 1)
    except (OSError, ValueError) as exc:  # ValueError: the stream is closed
        raise error(f"{label}: cannot read standard input ({exc})") from None
    if len(data) > max_bytes:
        raise error(f"{label}: more than {max_bytes} bytes, over the size limit ({_RAISE_HINT})")
    return data
