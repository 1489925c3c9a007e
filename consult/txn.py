"""Transactions that read before they write, and hand-written statements, on both databases."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import get_connection, get_connections
from tortoise.models import Model


def any_of(conn: BaseDBAsyncClient, place: Iterator[str], values: Sequence[object], kind: str) -> tuple[str, list]:
    """`column <fragment>` matching any of `values`, and its parameters: one array on PostgreSQL (one
    parameter, one plan however many values), a list of placeholders on SQLite."""
    if conn.capabilities.dialect == "postgres":
        return f"= ANY({next(place)}::{kind}[])", [list(values)]
    return f"IN ({', '.join(next(place) for _ in values)})", list(values)


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
    conn: BaseDBAsyncClient,
    table: str,
    column: str,
    values: dict,
    *,
    cast: str,
    key: str = "id",
    key_type: str = "integer",
) -> None:
    """Set `column` to a different value on many rows in one statement: what a batch writes to hundreds
    of rows costs a statement, not hundreds. `cast` and `key_type` are the columns' SQL types. On
    PostgreSQL an UPDATE from arrays; on SQLite an UPDATE … CASE, 500 rows at a time."""
    if not values:
        return
    if conn.capabilities.dialect == "postgres":
        await conn.execute_query(
            f"UPDATE {table} SET {column} = v.value FROM unnest($1::{key_type}[], $2::{cast}[]) AS v(k, value) "
            f"WHERE {table}.{key} = v.k",
            [list(values), list(values.values())],
        )
        return
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


async def insert_rows(
    conn: BaseDBAsyncClient,
    table: str,
    columns: Sequence[str],
    types: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """Insert many rows in one statement, without building a model for each: on PostgreSQL one INSERT
    from arrays (one round trip, one plan), on SQLite one prepared statement run for each row.
    `types` are the columns' SQL types, for PostgreSQL's arrays."""
    if not rows:
        return
    names = ", ".join(columns)
    place = marks(conn)
    ignore = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    if conn.capabilities.dialect == "postgres":
        arrays = ", ".join(f"{next(place)}::{kind}[]" for kind in types)
        query = f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}){ignore}"
        await conn.execute_query(query, [list(c) for c in zip(*rows, strict=True)])
        return
    values = ", ".join(next(place) for _ in columns)
    await conn.execute_many(f"INSERT INTO {table} ({names}) VALUES ({values}){ignore}", [list(r) for r in rows])


async def insert_returning(
    conn: BaseDBAsyncClient, objects: Sequence[Model], returning: Sequence[str], *, ignore_conflicts: bool = False
) -> list[dict]:
    """Insert unsaved models of one kind in one statement (a multi-row INSERT, its columns and values
    as Tortoise would write them) and return `returning` of the rows inserted: what a bulk insert
    through the ORM cannot tell (which rows went in, and their ids). With `ignore_conflicts` a row that
    breaks a unique constraint is left out, and not returned."""
    if not objects:
        return []
    model = type(objects[0])
    meta = model._meta
    names = [name for name, column in meta.fields_db_projection.items() if column not in meta.generated_db_fields]
    columns = [meta.fields_db_projection[name] for name in names]
    place = marks(conn)
    rows = ", ".join("(" + ", ".join(next(place) for _ in columns) + ")" for _ in objects)
    values = [meta.fields_map[name].to_db_value(getattr(obj, name), obj) for obj in objects for name in names]
    ignore = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    query = f"INSERT INTO {meta.db_table} ({', '.join(columns)}) VALUES {rows}{ignore} RETURNING {', '.join(returning)}"
    # execute_query_dict: Tortoise's execute_query returns no rows for an INSERT on PostgreSQL.
    return await conn.execute_query_dict(query, values)
