"""Connecting, migrating, and refusing to serve a database whose schema is behind the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tortoise import Tortoise
from tortoise.connection import get_connection
from tortoise.migrations.api import migrate
from tortoise.migrations.executor import MigrationExecutor

from consult import clock
from consult.settings import tortoise_config
from consult.workdays.services import seed_calendar


class DatabaseBehind(RuntimeError):
    pass


def _ensure_sqlite_dir(database_url: str) -> None:
    if database_url.startswith("sqlite://") and ":memory:" not in database_url:
        path = database_url.removeprefix("sqlite://").split("?", 1)[0]
        Path(path).parent.mkdir(parents=True, exist_ok=True)


async def apply_migrations(database_url: str) -> list[int]:
    """Apply every pending migration (the same set on SQLite and PostgreSQL), then seed the working-day
    calendar with the years the chinese-calendar package knows and the table lacks."""
    _ensure_sqlite_dir(database_url)
    await migrate(config=tortoise_config(database_url))
    await Tortoise.close_connections()
    # The migration API initialises Tortoise without query support; seeding needs a normal connection.
    await connect(database_url, check_schema=False)
    try:
        return await seed_calendar(clock.now())
    finally:
        await Tortoise.close_connections()


async def pending_migrations(config: dict[str, Any]) -> list[str]:
    executor = MigrationExecutor(get_connection("default"), config["apps"])
    steps = await executor.plan(None)
    return [f"{s.migration.app_label}.{s.migration.name}" for s in steps if not s.backward]


async def connect(database_url: str, *, check_schema: bool = True) -> None:
    _ensure_sqlite_dir(database_url)
    config = tortoise_config(database_url)
    # Global fallback: the lifespan connects in one task and requests run in others; without it they
    # would not see the connection (Tortoise 1.x keeps its context in a contextvar).
    await Tortoise.init(config=config, _enable_global_fallback=True)
    if check_schema:
        pending = await pending_migrations(config)
        if pending:
            await Tortoise.close_connections()
            raise DatabaseBehind(
                f"The database is behind the code ({len(pending)} migration(s) pending: "
                f"{', '.join(pending)}). Run `consult migrate` first."
            )


async def disconnect() -> None:
    await Tortoise.close_connections()
