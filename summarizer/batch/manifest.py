"""The batch manifest: one SQLite file in the output directory that makes a run resumable.

``DIR/manifest.sqlite`` has a row per input (``inputs``): its path, the SHA-256 of its bytes, its
state (``pending`` → ``running`` → ``done`` | ``failed``), the output files written (names in DIR),
the one-line error of a failed input, what the briefing amounts to (figures, articles, claims
verified and not) and its usage (requests, tokens, cost). ``runs`` has a row per invocation, with
the inputs it analysed and the LLM usage of the whole run (failed requests included).

Every change is its own transaction (WAL journal), written before and after each input, so a run
stopped at any point — Ctrl-C, ``kill``, a crash — leaves a consistent manifest: inputs found
``running`` by the next run were interrupted and are done again, the others are skipped when
their content hash is unchanged. Outputs are written atomically before their input is marked
``done``. One batch at a time may write to a directory (an exclusive lock on ``DIR/.batch.lock``, held by the
running process).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from summarizer.errors import ConfigError

__all__ = [
    "LOCK_NAME",
    "MANIFEST_NAME",
    "InputRecord",
    "InputSummary",
    "Manifest",
    "ManifestStore",
    "RunTotals",
    "State",
]

MANIFEST_NAME = "manifest.sqlite"
LOCK_NAME = ".batch.lock"
SCHEMA_VERSION = "1"

State = Literal["pending", "running", "done", "failed"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'interrupted', 'aborted')),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    inputs INTEGER NOT NULL DEFAULT 0,
    analysed INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL
);
CREATE TABLE IF NOT EXISTS inputs (
    path TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    stem TEXT NOT NULL UNIQUE,
    sha256 TEXT,
    byte_size INTEGER,
    state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
    error TEXT,
    mode TEXT,
    outputs TEXT NOT NULL DEFAULT '[]',
    figures INTEGER,
    articles INTEGER,
    articles_failed INTEGER,
    claims_checked INTEGER,
    claims_verified INTEGER,
    claims_unverified INTEGER,
    requests INTEGER NOT NULL DEFAULT 0,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL,
    exit_code INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    run_id INTEGER REFERENCES runs (run_id),
    started_at TEXT,
    finished_at TEXT
);
"""


# Lock files this process holds (POSIX record locks do not exclude the process that holds them).
_LOCKED_HERE: set[str] = set()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class InputSummary:
    """What a briefed input amounts to: its outputs, figures, claims and usage."""

    mode: str
    """How it was briefed: llm, replay or rules."""
    outputs: list[str]
    """Files written, as names in the output directory."""
    figures: int = 0
    articles: int = 0
    articles_failed: int = 0
    claims_checked: int = 0
    claims_verified: int = 0
    claims_unverified: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    exit_code: int = 0
    """0 when every article was briefed and every claim verified, else 1 (as ``summarizer brief``)."""

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


_SUMMARY_COLUMNS = tuple(f.name for f in fields(InputSummary))


@dataclass
class InputRecord:
    """One input as the manifest knows it."""

    path: str
    """Absolute path: the key."""
    name: str
    """The path as found from the command line."""
    stem: str
    """Output files are ``DIR/<stem>.*`` (unique within the directory)."""
    state: State
    sha256: str | None = None
    byte_size: int | None = None
    error: str | None = None
    outputs: list[str] = field(default_factory=list)
    """Files of this input in the output directory (a failed input may still have its facts)."""
    summary: InputSummary | None = None
    """What the briefing amounts to (done inputs only)."""
    attempts: int = 0
    """How many runs started analysing this input."""
    run_id: int | None = None
    """The run that last started it."""
    started_at: str | None = None
    finished_at: str | None = None


@dataclass
class RunTotals:
    """What a run did, for the ``runs`` table."""

    inputs: int = 0
    analysed: int = 0
    skipped: int = 0
    failed: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class ManifestStore(Protocol):
    """What the runner needs of a manifest (:class:`Manifest` is the one that persists)."""

    def begin_run(self, kind: str) -> int: ...
    def end_run(self, run_id: int, status: str, totals: RunTotals) -> None: ...
    def register(self, paths: Sequence[Path]) -> list[InputRecord]: ...
    def mark_running(self, key: str, run_id: int) -> None: ...
    def mark_done(self, key: str, sha256: str, byte_size: int, summary: InputSummary) -> None: ...
    def mark_failed(
        self, key: str, error: str, sha256: str | None, byte_size: int | None, outputs: Sequence[str] = ()
    ) -> None: ...
    def release(self, keys: Iterable[str]) -> None: ...
    def close(self) -> None: ...


def input_key(path: Path) -> str:
    """The manifest key of an input file: its absolute path (symlinks resolved)."""
    return str(path.resolve())


class Manifest:
    """The SQLite manifest of one output directory. Use as a context manager; one writer at a time.

    Opening it for writing takes the directory's lock and turns inputs left ``running`` by an
    interrupted run back to ``pending``; ``read_only=True`` (for export) does neither and requires
    the manifest to exist.
    """

    def __init__(self, out_dir: Path, *, read_only: bool = False) -> None:
        self.out_dir = out_dir
        self.path = out_dir / MANIFEST_NAME
        self.read_only = read_only
        self._lock_fd: int | None = None
        self._lock_path: str | None = None
        if read_only:
            if not self.path.is_file():
                raise ConfigError(
                    f"{out_dir} has no {MANIFEST_NAME}: give the --out directory of a `summarizer batch` run"
                )
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        else:
            self._lock()
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a killed process loses nothing; only a power cut may lose the last writes.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            self._db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )
        self._db.row_factory = sqlite3.Row
        self.recovered = 0 if read_only else self._recover()

    # -- lifecycle --------------------------------------------------------------------------------

    def _busy(self) -> ConfigError:
        return ConfigError(
            f"another `summarizer batch` is writing to {self.out_dir}: wait for it, or give another --out"
        )

    def _lock(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        lock_path = str((self.out_dir / LOCK_NAME).resolve())
        if lock_path in _LOCKED_HERE:  # a record lock does not exclude its own process
            raise self._busy()
        try:
            import fcntl
        except ImportError:  # no record locks on this platform: one writer is then the user's business
            _LOCKED_HERE.add(lock_path)
            self._lock_path = lock_path
            return
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            # A POSIX record lock belongs to this process alone: forked workers do not inherit it, so a
            # killed run's directory is free again the moment that process is gone.
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise self._busy() from None
        self._lock_fd = fd
        self._lock_path = lock_path
        _LOCKED_HERE.add(lock_path)

    def close(self) -> None:
        self._db.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the lock
            self._lock_fd = None
        if self._lock_path is not None:
            _LOCKED_HERE.discard(self._lock_path)
            self._lock_path = None

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _recover(self) -> int:
        """Inputs an interrupted run left ``running`` are ``pending`` again; its run is ``interrupted``."""
        with self._transaction() as db:
            count = db.execute("UPDATE inputs SET state = 'pending' WHERE state = 'running'").rowcount
            db.execute(
                "UPDATE runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) "
                "WHERE status = 'running'",
                (_now(),),
            )
        return count

    # -- runs ---------------------------------------------------------------------------------------

    def begin_run(self, kind: str) -> int:
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (kind, status, started_at) VALUES (?, 'running', ?)", (kind, _now())
            )
        return int(cursor.lastrowid or 0)

    def end_run(self, run_id: int, status: str, totals: RunTotals) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE runs SET status = ?, finished_at = ?, inputs = ?, analysed = ?, skipped = ?, failed = ?, "
                "requests = ?, prompt_tokens = ?, completion_tokens = ?, cost_usd = ? WHERE run_id = ?",
                (
                    status, _now(), totals.inputs, totals.analysed, totals.skipped, totals.failed,
                    totals.requests, totals.prompt_tokens, totals.completion_tokens, totals.cost_usd, run_id,
                ),
            )  # fmt: skip

    def runs(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._db.execute("SELECT * FROM runs ORDER BY run_id")]

    # -- inputs -------------------------------------------------------------------------------------

    def register(self, paths: Sequence[Path]) -> list[InputRecord]:
        """The records of ``paths`` (in order), new ones created ``pending`` with a unique output stem.

        One transaction for all of them: a run of thousands of inputs starts without thousands of commits.
        """
        keys = [input_key(path) for path in paths]
        with self._transaction() as db:
            known = {row["path"]: _record(row) for row in db.execute("SELECT * FROM inputs")}
            stems = {record.stem for record in known.values()}
            for path, key in zip(paths, keys, strict=True):
                if key in known:
                    continue
                stem = path.stem or "input"
                if stem in stems:
                    # Another input has this file name (a/x.txt, b/x.txt): tell them apart by path.
                    stem = f"{stem}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
                db.execute(
                    "INSERT INTO inputs (path, name, stem, state) VALUES (?, ?, ?, 'pending')", (key, str(path), stem)
                )
                stems.add(stem)
                known[key] = InputRecord(path=key, name=str(path), stem=stem, state="pending")
        return [known[key] for key in keys]

    def get(self, key: str) -> InputRecord | None:
        row = self._db.execute("SELECT * FROM inputs WHERE path = ?", (key,)).fetchone()
        return _record(row) if row is not None else None

    def records(self) -> list[InputRecord]:
        """Every input of the directory, in the order they were first seen."""
        return [_record(row) for row in self._db.execute("SELECT * FROM inputs ORDER BY rowid")]

    def mark_running(self, key: str, run_id: int) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE inputs SET state = 'running', attempts = attempts + 1, run_id = ?, started_at = ?, "
                "finished_at = NULL WHERE path = ?",
                (run_id, _now(), key),
            )

    def mark_done(self, key: str, sha256: str, byte_size: int, summary: InputSummary) -> None:
        values = asdict(summary)
        values["outputs"] = json.dumps(summary.outputs, ensure_ascii=False)
        assignments = ", ".join(f"{name} = :{name}" for name in _SUMMARY_COLUMNS)
        with self._transaction() as db:
            db.execute(
                f"UPDATE inputs SET state = 'done', error = NULL, sha256 = :sha256, byte_size = :byte_size, "
                f"finished_at = :finished_at, {assignments} WHERE path = :key",
                {**values, "sha256": sha256, "byte_size": byte_size, "finished_at": _now(), "key": key},
            )

    def mark_failed(
        self, key: str, error: str, sha256: str | None, byte_size: int | None, outputs: Sequence[str] = ()
    ) -> None:
        """``outputs``: what was written before the failure (the facts of a page the model failed on)."""
        cleared = ", ".join(f"{name} = NULL" for name in _SUMMARY_COLUMNS if name not in _COUNTERS)
        with self._transaction() as db:
            db.execute(
                f"UPDATE inputs SET state = 'failed', error = ?, sha256 = ?, byte_size = ?, finished_at = ?, "
                f"outputs = ?, requests = 0, prompt_tokens = 0, completion_tokens = 0, "
                f"{cleared} WHERE path = ?",
                (error, sha256, byte_size, _now(), json.dumps(list(outputs), ensure_ascii=False), key),
            )

    def release(self, keys: Iterable[str]) -> None:
        """Inputs a stopped run had started go back to ``pending`` (their work was not finished)."""
        with self._transaction() as db:
            db.executemany(
                "UPDATE inputs SET state = 'pending' WHERE path = ? AND state = 'running'", [(k,) for k in keys]
            )


_COUNTERS = frozenset({"outputs", "requests", "prompt_tokens", "completion_tokens"})


def _record(row: sqlite3.Row) -> InputRecord:
    summary = None
    if row["state"] == "done" and row["mode"] is not None:
        values = {name: row[name] for name in _SUMMARY_COLUMNS}
        values["outputs"] = json.loads(values["outputs"] or "[]")
        summary = InputSummary(**values)
    return InputRecord(
        path=row["path"],
        name=row["name"],
        stem=row["stem"],
        state=row["state"],
        sha256=row["sha256"],
        byte_size=row["byte_size"],
        error=row["error"],
        outputs=json.loads(row["outputs"] or "[]"),
        summary=summary,
        attempts=row["attempts"],
        run_id=row["run_id"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
    )
