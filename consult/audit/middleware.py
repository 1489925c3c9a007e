"""Every state-changing request of a logged-in staff member under /manage/ lands in the audit log,
with who, what was submitted, the answer, and the object's state before and after."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from consult import clock
from consult.accounts.services import session_user
from consult.audit.services import record, snapshot, submitted_fields, target_of
from consult.web import database_unavailable

log = logging.getLogger("consult.audit")

CAPTURE = 64 * 1024  # enough for any form; of an upload only its part headers (the file name) matter


class AuditMiddleware:
    def __init__(self, app: ASGIApp, session_cookie: str) -> None:
        self.app = app
        self.session_cookie = session_cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].startswith("/manage/"):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = request.cookies.get(self.session_cookie)
        target = target_of(scope["path"])
        try:
            actor = await session_user(token, clock.now()) if token else None
            before = await snapshot(target) if actor else None
        except Exception as exc:
            if not database_unavailable(exc):
                raise
            actor = None  # the app answers 503 by itself; nothing can be done, so nothing to record
        if actor is None:  # sent to the login page (or the database is down): nothing was done
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})["user"] = actor  # the handler need not look the session up again
        body = bytearray()
        recorded = False

        async def tee() -> Message:
            message = await receive()
            if message["type"] == "http.request" and len(body) < CAPTURE:
                body.extend(message.get("body", b"")[: CAPTURE - len(body)])
            return message

        async def write(status: int, location: str = "") -> None:
            nonlocal recorded
            recorded = True
            subject, earlier = target, before
            if subject is None and location:  # a creation: the new object is where the answer points
                subject, earlier = target_of(location), None
            await record(
                at=clock.now(),
                actor=actor,
                method="POST",
                path=scope["path"],
                status=status,
                target=subject,
                submitted=submitted_fields(bytes(body), request.headers.get("content-type", "")),
                before=earlier,
                after=await snapshot(subject),
            )

        async def audited_send(message: Message) -> None:
            if message["type"] == "http.response.start" and not recorded:
                headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message.get("headers", [])}
                try:
                    await write(message["status"], headers.get("location", "").split("?", 1)[0])
                except Exception as exc:
                    # With the database down the action failed too (the answer is the 503 page); the
                    # visitor gets that page rather than a 500 about the log.
                    if not database_unavailable(exc):
                        raise
                    log.warning("audit entry for %s not written: database unavailable", scope["path"])
            await send(message)

        try:
            await self.app(scope, tee, audited_send)
        except Exception:
            if not recorded:
                try:
                    await write(500)
                except Exception as exc:  # noqa: BLE001 - the original failure is the one to report
                    log.warning("audit entry for %s not written: %s", scope["path"], type(exc).__name__)
            raise
