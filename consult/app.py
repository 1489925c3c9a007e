"""The ASGI application: create_app(settings) -> Starlette."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from tortoise.exceptions import OperationalError

from consult import clock, db, web, wiring
from consult.accounts.routes import routes as account_routes
from consult.accounts.services import session_user
from consult.answers.routes import routes as answer_routes
from consult.api.downloads import routes as download_routes
from consult.api.routes import routes as api_routes
from consult.audit.middleware import AuditMiddleware
from consult.audit.routes import routes as audit_routes
from consult.comments.routes import routes as comment_routes
from consult.dashboard.routes import routes as dashboard_routes
from consult.decisions.routes import routes as decision_routes
from consult.deliberation.routes import routes as deliberation_routes
from consult.drafts.routes import routes as draft_routes
from consult.errors import DomainError
from consult.evaluations.routes import routes as evaluation_routes
from consult.groups.routes import routes as group_routes
from consult.implementation.routes import routes as implementation_routes
from consult.jobs.queue import run_worker
from consult.jobs.queue import waiting as jobs_waiting
from consult.meetings.routes import routes as meeting_routes
from consult.reports.jobs import run_periodically
from consult.reports.routes import routes as report_routes
from consult.search.routes import routes as search_routes
from consult.settings import Settings, activate
from consult.site.routes import routes as site_routes
from consult.surveys.routes import routes as survey_routes
from consult.workdays.routes import routes as calendar_routes
from consult.yearly.routes import routes as yearly_routes

log = logging.getLogger("consult")


async def healthz(request: Request) -> Response:
    """200 while the database answers, with how far the job workers are behind (for the monitor: the
    jobs waiting and the age of the oldest, which stays within seconds while a worker runs)."""
    try:
        waiting, oldest = await jobs_waiting(clock.now())
    except Exception as exc:  # noqa: BLE001 - any database failure means "not healthy"
        log.warning("health check failed: %s", type(exc).__name__)
        return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
    jobs = {"waiting": waiting, "oldest_seconds": round(oldest, 1)}
    return JSONResponse({"status": "ok", "database": "ok", "jobs": jobs})


# These libraries log every SQL statement with its parameters at DEBUG: names, phones and e-mails
# would reach the logs of anyone who turns debugging on. They never log below INFO here.
SQL_LOGGERS = ("tortoise", "tortoise.db_client", "aiosqlite", "asyncpg")


def quiet_sql_loggers() -> None:
    for name in SQL_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger(name).level))


def create_app(settings: Settings | None = None, *, connect_db: bool = True) -> Starlette:
    """`connect_db=False` when the caller (the test suite) has already connected Tortoise."""
    settings = settings or Settings.from_env()
    settings.check()
    activate(settings)
    wiring.wire()
    quiet_sql_loggers()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if connect_db:
            await db.connect(settings.database_url)
        tasks = []
        if settings.tick_seconds > 0:
            tasks.append(asyncio.create_task(run_periodically(settings)))
        if settings.jobs_in_app and settings.jobs_poll_seconds > 0:
            tasks.append(asyncio.create_task(run_worker(settings.jobs_poll_seconds, clock.now)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
            if connect_db:
                await db.disconnect()

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            *download_routes,
            *decision_routes,
            *draft_routes,
            *comment_routes,
            *answer_routes,
            *group_routes,
            *meeting_routes,
            *report_routes,
            *implementation_routes,
            *deliberation_routes,
            *survey_routes,
            *evaluation_routes,
            *yearly_routes,
            *dashboard_routes,
            *calendar_routes,
            *account_routes,
            *api_routes,
            *search_routes,
            *audit_routes,
            *site_routes,
            Mount("/static", StaticFiles(directory=web.STATIC_DIR), name="static"),
        ],
        middleware=[
            Middleware(web.AllowedHostsMiddleware, hosts=settings.trusted_hosts),
            Middleware(web.SiteMiddleware, settings=settings),
            Middleware(web.BodyLimitMiddleware, max_body_size=settings.max_upload_bytes + 1024 * 1024),
            Middleware(AuditMiddleware, session_cookie=web.SESSION_COOKIE),
        ],
        exception_handlers={
            HTTPException: web.http_error,
            DomainError: web.domain_error,
            web.LoginRequired: web.login_required,
            ClientDisconnect: web.client_gone,
            **dict.fromkeys((*web.DATABASE_DOWN, OperationalError), web.database_down),
            Exception: web.server_error,
        },
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.page_cache = web.PageCache(settings.page_cache_seconds)
    # The web layer knows no user model: who a session cookie belongs to is the accounts area's answer.
    app.state.load_user = session_user
    return app
