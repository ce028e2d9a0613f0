"""Command-line paths to input files: files as given, directories searched, globs expanded.

Arguments are checked before any work starts: a path that does not exist, a glob that matches
nothing or a directory without inputs is an :class:`~summarizer.errors.InputError` (exit 2), since
nothing useful can be done with it. A file that exists but cannot be used (binary, empty,
undecodable) is not an argument error: the batch reports it as that input's failure.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable, Sequence
from pathlib import Path

from summarizer.errors import InputError

__all__ = ["DEFAULT_PATTERN", "expand_inputs"]

DEFAULT_PATTERN = "*.txt"
_GLOB_CHARACTERS = frozenset("*?[")


def _visible(path: Path, root: Path) -> bool:
    """Not hidden: no part below ``root`` starts with a dot (editor backups, .git, ...)."""
    return not any(part.startswith(".") for part in path.relative_to(root).parts)


def _under(path: Path, directory: Path | None) -> bool:
    return directory is not None and path.is_relative_to(directory)


def _from_directory(directory: Path, pattern: str, exclude: Path | None) -> list[Path]:
    found = [
        path
        for path in directory.rglob(pattern)
        if path.is_file() and _visible(path, directory) and not _under(path.resolve(), exclude)
    ]
    return sorted(found)


def expand_inputs(
    arguments: Sequence[str | Path], *, pattern: str = DEFAULT_PATTERN, exclude: Path | None = None
) -> list[Path]:
    """The input files named by ``arguments``, in order, each once.

    A file is taken as given (whatever its name); a directory contributes the files below it that
    match ``pattern`` (hidden ones skipped); an argument that does not exist but contains ``*``,
    ``?`` or ``[`` is a glob (``**`` crosses directories). Files under ``exclude`` (the output
    directory) are left out of directories and globs.
    """
    if not arguments:
        raise InputError("no input given: name files, directories or globs to brief")
    excluded = exclude.resolve() if exclude is not None else None
    chosen: list[Path] = []
    for argument in arguments:
        text = str(argument)
        path = Path(text).expanduser()
        if path.is_dir():
            found = _from_directory(path, pattern, excluded)
            if not found:
                raise InputError(f"{text}: directory has no input files matching {pattern!r}; use --pattern")
            chosen.extend(found)
        elif path.exists():
            chosen.append(path)
        elif _GLOB_CHARACTERS & set(text):
            matches = [
                Path(match)
                for match in sorted(glob.glob(str(path), recursive=True))
                if Path(match).is_file() and not _under(Path(match).resolve(), excluded)
            ]
            if not matches:
                raise InputError(f"{text}: no file matches this pattern")
            chosen.extend(matches)
        else:
            raise InputError(f"{text}: file not found")
    return list(_unique(chosen))


def _unique(paths: Iterable[Path]) -> Iterable[Path]:
    seen: set[Path] = set()
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            yield path
