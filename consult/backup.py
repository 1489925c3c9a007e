"""Backups of the whole database, taken while the app runs, and their restoration.

SQLite: the online backup API copies a consistent snapshot page by page (writers wait only for the
pages being copied); the copy passes `PRAGMA integrity_check` before it replaces the file. PostgreSQL:
pg_dump's custom format (a consistent snapshot too) and pg_restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


class BackupError(RuntimeError):
    pass


def sqlite_file(database_url: str) -> Path | None:
    if not database_url.startswith("sqlite://"):
        return None
    return Path(database_url.removeprefix("sqlite://").split("?", 1)[0])


def _libpq_url(database_url: str) -> str:
    """The URL without Tortoise's query options, which libpq would refuse."""
    parts = urlsplit(database_url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))


def _pg_tool(name: str, *args: str) -> None:
    executable = shutil.which(name)
    if executable is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    # A list of our own arguments, no shell: the database URL comes from the operator's settings.
    done = subprocess.run([executable, *args], capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{name} failed, nothing was replaced: {done.stderr.strip()}")


def _check(path: Path) -> None:
    try:
        with sqlite3.connect(path) as db:
            verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database: {exc}") from exc
    if verdict != "ok":
        raise BackupError(f"{path} failed its integrity check: {verdict}")


Progress = Callable[[int, int | None], None]


def _copy_sqlite(source: Path, target: Path, progress: Progress) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=1024, progress=lambda _status, remaining, total: progress(total - remaining, total))


def backup(database_url: str, destination: Path, progress: Progress = lambda done, total: None) -> int:
    """Write a backup to `destination` (never half-written: a temporary file is renamed into place).
    Returns its size in bytes. `progress` hears the pages copied (SQLite; pg_dump reports nothing)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    path = sqlite_file(database_url)
    if path is not None:
        if not path.exists():
            raise BackupError(f"no database at {path}")
        _copy_sqlite(path, partial, progress)
        _check(partial)
    else:
        try:
            _pg_tool("pg_dump", "--format=custom", "--no-owner", f"--file={partial}", _libpq_url(database_url))
        except BackupError:
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, destination)
    return destination.stat().st_size


def restore(database_url: str, source: Path, progress: Progress = lambda done, total: None) -> None:
    """Replace the database's content with the backup's. Stop the app first; run `consult migrate`
    after restoring a backup taken by an older version."""
    if not source.exists():
        raise BackupError(f"no backup at {source}")
    path = sqlite_file(database_url)
    if path is not None:
        _check(source)
        path.parent.mkdir(parents=True, exist_ok=True)
        _copy_sqlite(source, path, progress)
        return
    _pg_tool(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "-d",
        _libpq_url(database_url),
        str(source),
    )
