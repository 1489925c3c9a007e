"""One real database per test session (SQLite file, or PostgreSQL with CONSULT_TEST_DB=postgres),
migrated with the real migrations and emptied before each test."""

from __future__ import annotations

import inspect
import itertools
import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx2 as httpx
import pytest
from tortoise.contrib.test import truncate_all_models

from consult.app import create_app
from consult.db import apply_migrations, connect, disconnect
from consult.settings import Settings
from consult.wiring import wire

BACKEND = os.environ.get("CONSULT_TEST_DB", "sqlite")
PG_SERVER = os.environ.get("CONSULT_TEST_PG", "postgres://postgres@127.0.0.1:5432")


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


async def _create_pg_database() -> str:
    name = f"consult_test_{uuid.uuid4().hex[:10]}"
    try:
        conn = await asyncpg.connect(f"{PG_SERVER}/postgres", timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.skip(f"PostgreSQL not reachable at {PG_SERVER}: {exc}", allow_module_level=True)
    # A UTF-8 database with a UTF-8 collation, as production uses (Chinese text, later pg_trgm).
    await conn.execute(
        f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
    )
    await conn.close()
    return name


async def _drop_pg_database(name: str) -> None:
    conn = await asyncpg.connect(f"{PG_SERVER}/postgres", timeout=5)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    pg_name = None
    if BACKEND == "postgres":
        pg_name = await _create_pg_database()
        url = f"{PG_SERVER}/{pg_name}"
    else:
        url = f"sqlite://{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    wire()  # the areas' reactions, as the app and the command line connect them
    await apply_migrations(url)
    await connect(url)
    yield url
    await disconnect()
    if pg_name:
        await _drop_pg_database(pg_name)


_emptied = itertools.count()


async def _empty_tables() -> None:
    """Every table emptied before each test. On PostgreSQL, TRUNCATE of sixty tables costs about half a
    second (a new file per table), DELETE a few milliseconds: with replication-role triggers off (the
    audit log refuses deletes, and foreign keys need no ordering), then a VACUUM now and then, since the
    test server runs without autovacuum and the dead rows would pile up. SQLite deletes in Tortoise's
    order."""
    if BACKEND != "postgres":
        await truncate_all_models()
        return
    from tortoise import Tortoise
    from tortoise.connection import get_connection

    db = get_connection("default")
    tables = [m._meta.db_table for m in Tortoise.apps.get_models_iterable()]
    deletes = "".join(f'DELETE FROM "{table}";' for table in tables)
    await db.execute_script(
        f"SET session_replication_role = replica; {deletes} SET session_replication_role = DEFAULT;"
    )
    if next(_emptied) % 200 == 199:
        await db.execute_script("VACUUM")


# Modules whose tests all read the data their first test made (SHARED_DATA = True in the module), and
# which have had their first test: their tables are emptied only before that one.
_shared_started: set[str] = set()


@pytest.fixture(autouse=True)
async def db(database_url: str, anyio_backend: str, request: pytest.FixtureRequest) -> AsyncIterator[str]:
    from consult.groups.queries import forget_suggestions
    from consult.groups.services import forget_representatives
    from consult.memo import forget_all

    module = request.module.__name__
    if getattr(request.module, "SHARED_DATA", False) and module in _shared_started:
        yield database_url
        return
    if getattr(request.module, "SHARED_DATA", False):
        _shared_started.add(module)
    await _empty_tables()
    if BACKEND != "postgres":  # the FTS5 tables are no Tortoise models: empty them too
        from tortoise.connection import get_connection

        await get_connection("default").execute_script("DELETE FROM search_fts; DELETE FROM search_pages_fts")
    # What the process keeps in memory must not outlive the rows it describes (ids are reused).
    forget_all()
    forget_suggestions()
    forget_representatives()
    yield database_url


@pytest.fixture
async def calendar(db: str) -> None:
    """The working-day calendar as `consult migrate` seeds it (every test starts with empty tables)."""
    from consult import clock
    from consult.workdays.services import seed_calendar

    await seed_calendar(clock.now())


@pytest.fixture
def settings(database_url: str) -> Settings:
    # No background job in tests: they run the job themselves, at the moment they choose. Pages are
    # rendered afresh for every request (tests/test_page_cache.py turns the page cache on).
    return Settings(
        database_url=database_url, secret_key="test-secret", tick_seconds=0, jobs_poll_seconds=0, page_cache_seconds=0
    )


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, connect_db=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


def pytest_collection_modifyitems(config: Any, items: list[pytest.Item]) -> None:
    for item in items:
        if inspect.iscoroutinefunction(getattr(item, "function", None)):
            item.add_marker(pytest.mark.anyio)
    # Browser tests start their own server on SQLite; one pass (the SQLite one) covers them.
    if BACKEND == "postgres":
        skip = pytest.mark.skip(reason="browser tests run in the SQLite pass")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)
