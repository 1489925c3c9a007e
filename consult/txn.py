"""Transactions that read before they write, and hand-written statements, on both databases."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import get_connection, get_connections


def reader() -> BaseDBAsyncClient:
    """The connection for reads that need not see this task's uncommitted writes: SQLite's read-only
    second connection (consult/settings.py), else the default one."""
    return get_connection("reader" if "reader" in get_connections().db_config else "default")


def marks(conn: BaseDBAsyncClient) -> Iterator[str]:
    """The parameter placeholders of a hand-written statement, in order: $1, $2 … or ?, ? …"""
    if conn.capabilities.dialect == "postgres":
        return (f"${i}" for i in itertools.count(1))
    return itertools.repeat("?")


async def take_write_lock(conn: BaseDBAsyncClient, *, table: str, advisory_key: int | None = None) -> None:
    """Call first in a transaction that reads, then writes what it read.

    On SQLite a transaction that reads first cannot wait for another process's write: it fails at once
    with "database is locked" (SQLITE_BUSY_SNAPSHOT), which busy_timeout does not cover. A write waits
    under busy_timeout, so a write that changes nothing is made first; it takes the database's write
    lock until the commit. On PostgreSQL rows are locked where they are written; `advisory_key`
    serialises writers that must also agree on what they read (the audit chain's head).
    """
    if conn.capabilities.dialect == "postgres":
        if advisory_key is not None:
            await conn.execute_query("SELECT pg_advisory_xact_lock($1)", [advisory_key])
        return
    await conn.execute_query(f"UPDATE {table} SET id = id WHERE 0")


async def set_column(
    conn: BaseDBAsyncClient, table: str, column: str, values: dict, *, cast: str, key: str = "id"
) -> None:
    """Set `column` to a different value on many rows in one statement (UPDATE … CASE), 500 rows at a
    time: what a batch writes to hundreds of rows costs a statement, not hundreds. `cast` is the
    column's SQL type (PostgreSQL types the values by it)."""
    items = list(values.items())
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        place = marks(conn)
        cases = " ".join(f"WHEN {next(place)} THEN CAST({next(place)} AS {cast})" for _ in chunk)
        where = ", ".join(next(place) for _ in chunk)
        params = [v for pair in chunk for v in pair] + [k for k, _ in chunk]
        await conn.execute_query(
            f"UPDATE {table} SET {column} = CASE {key} {cases} END WHERE {key} IN ({where})",
            params,
        )
