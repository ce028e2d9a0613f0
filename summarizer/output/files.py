"""Writing outputs: atomic, world-readable files in an output directory checked before any work.

A briefing is written as ``<stem>.briefing.md`` / ``.json`` / ``.html`` (the renderers are in
:mod:`summarizer.output`); secrets are scrubbed from every byte written.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from summarizer.errors import ConfigError
from summarizer.redact import redact

if TYPE_CHECKING:
    from summarizer.briefing.models import PageBriefing
    from summarizer.layout.segment import SegmentedPage
    from summarizer.rules.facts import FactTable
    from summarizer.settings import Settings

__all__ = ["FORMATS", "atomic_write", "check_out_dir", "make_out_dir", "write_outputs"]


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        # mkstemp creates the file private (0600); an output is an ordinary file for its reader.
        os.chmod(temporary, 0o666 & ~_current_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _out_dir_name(settings: Settings | None) -> str:
    """How the user set the output directory, for error messages."""
    source = settings.source_of("out_dir") if settings is not None else "flag"
    if source.startswith("env "):
        return source.removeprefix("env ")
    if source.startswith("config "):
        return f"out_dir ({source})"
    return "--out"


def check_out_dir(out_dir: Path, settings: Settings | None = None) -> None:
    """Raise :class:`ConfigError` unless ``out_dir`` is, or can be created as, a directory.

    Checked before any work is done, so that a run (perhaps a paid one) does not end in an error.
    Nothing is created here.
    """
    name = _out_dir_name(settings)
    if out_dir.exists() and not out_dir.is_dir():
        raise ConfigError(f"{name} must be a directory, but {out_dir} is a file: give a directory to write into")
    for parent in out_dir.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ConfigError(
                    f"{name} must be a directory, but {parent} (in {out_dir}) is a file: give a directory to write into"
                )
            break


def make_out_dir(out_dir: Path, settings: Settings | None = None) -> None:
    check_out_dir(out_dir, settings)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"cannot create the output directory {out_dir} ({reason}): check {_out_dir_name(settings)}") from None


FORMATS: dict[str, tuple[str, ...]] = {
    "md": ("md",),
    "json": ("json",),
    "html": ("html",),
    "all": ("md", "json", "html"),
}
"""What each ``--format`` writes, in order."""


def write_outputs(
    briefing: PageBriefing,
    out_dir: Path,
    stem: str,
    formats: str,
    secrets: Sequence[str] = (),
    settings: Settings | None = None,
    *,
    page: SegmentedPage | None = None,
    facts: FactTable | None = None,
) -> list[Path]:
    """Write ``<stem>.briefing.md``, ``.json`` and/or ``.html`` (``formats``: md, json, html or all).

    The HTML report shows the source beside the briefing, so it needs ``page``, the segmented
    source the briefing was made from (and its ``facts``, else they are extracted again). Secrets
    are scrubbed from every file, in the HTML also as they read once escaped.
    Raises :class:`ConfigError` when ``out_dir`` is not a directory and cannot be made one.
    """
    from summarizer.output.markdown import render_json, render_markdown

    if formats not in FORMATS:
        raise ConfigError(f"unknown output format {formats!r}: use one of {', '.join(FORMATS)}")
    if "html" in FORMATS[formats] and page is None:
        raise ValueError("the HTML report needs the segmented source page the briefing was made from")
    make_out_dir(out_dir, settings)
    written: list[Path] = []
    outputs: list[tuple[Path, Callable[[PageBriefing], str], Sequence[str]]] = []
    for name in FORMATS[formats]:
        path = out_dir / f"{stem}.briefing.{name}"
        if name == "md":
            outputs.append((path, render_markdown, secrets))
        elif name == "json":
            outputs.append((path, render_json, secrets))
        else:
            outputs.append((path, _html_renderer(page, facts), _escaped_too(secrets)))
    for path, render, scrubbed in outputs:
        try:
            atomic_write(path, redact(render(briefing), scrubbed))
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise ConfigError(f"cannot write {path} ({reason}): check {_out_dir_name(settings)}") from None
        written.append(path)
    return written


def _html_renderer(page: SegmentedPage | None, facts: FactTable | None) -> Callable[[PageBriefing], str]:
    def render(briefing: PageBriefing) -> str:
        from summarizer.output.html import render_briefing_html

        assert page is not None  # checked by write_outputs
        return render_briefing_html(briefing, page, facts)

    return render


def _escaped_too(secrets: Sequence[str]) -> list[str]:
    """Each secret as written and as HTML-escaped (a key with & or < reads differently in the page)."""
    from markupsafe import escape

    return [form for secret in secrets for form in dict.fromkeys((secret, str(escape(secret))))]
