"""When the database is unreachable the app answers 503 with Retry-After (HTML or JSON), never a 500
or a traceback, and serves again as soon as it is back. The fault is injected at the driver boundary:
every query of the real connection fails as it does while PostgreSQL restarts (measured for real by
bench/load.py --restart-postgres-at)."""

from __future__ import annotations

import logging

import asyncpg
from tortoise.connection import get_connection
from tortoise.exceptions import OperationalError

from consult.accounts.models import Role
from consult.web import database_unavailable
from tests.factories import log_in, make_consultation, make_user, post

QUERY_METHODS = ("execute_query", "execute_query_dict", "execute_select", "execute_insert", "execute_script")


def _database_down(monkeypatch, error: Exception) -> None:
    client_class = type(get_connection("default"))

    async def fail(*args, **kwargs):
        raise error

    for name in QUERY_METHODS:
        if hasattr(client_class, name):
            monkeypatch.setattr(client_class, name, fail)


def test_database_errors_are_recognised_through_wrapping() -> None:
    wrapped = OperationalError("x")
    wrapped.__cause__ = asyncpg.exceptions.CannotConnectNowError("the database system is starting up")
    assert database_unavailable(wrapped) and database_unavailable(ConnectionRefusedError())
    assert not database_unavailable(OperationalError("syntax error")) and not database_unavailable(ValueError())


async def test_pages_and_api_answer_503_while_the_database_is_down_and_recover(client, monkeypatch, caplog) -> None:
    consultation = await make_consultation()
    staff = await make_user(Role.STAFF, await (await consultation.decision).department)
    with monkeypatch.context() as patch:
        _database_down(patch, ConnectionRefusedError(111, "Connect call failed"))
        page = await client.get(f"/consultations/{consultation.id}")
        assert page.status_code == 503 and page.headers["retry-after"] == "10"
        assert "服务暂时不可用" in page.text
        api = await client.get("/api/v1/consultations")
        assert api.status_code == 503 and api.json()["error"]["code"] == "unavailable"
        assert (await client.get("/healthz")).status_code == 503
    with monkeypatch.context() as patch:
        await log_in(client, staff)  # a staff page renders the 503 without asking who is logged in
        wrapped = OperationalError("connection lost")
        wrapped.__cause__ = asyncpg.exceptions.AdminShutdownError("terminating connection")
        _database_down(patch, wrapped)
        assert (await client.get("/manage/")).status_code == 503
        # A staff action passes the audit log's middleware, which asks the database first.
        action = await post(client, f"/manage/consultations/{consultation.id}/close", {"reason": "提前结束"})
        assert action.status_code == 503
    assert (await client.get(f"/consultations/{consultation.id}")).status_code == 200
    assert (await client.get("/manage/")).status_code == 200
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
