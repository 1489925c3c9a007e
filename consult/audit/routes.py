"""/manage/audit: the office browses the audit log, newest first, by person or by object."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.queryset import QuerySet

from consult.accounts.guards import require_admin
from consult.accounts.models import User
from consult.audit.models import AuditEntry
from consult.web import int_param, page_number, paginate, render

PER_PAGE = 50


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """The fields that differ, as (field, before, after)."""
    before, after = before or {}, after or {}
    return [(k, before.get(k), after.get(k)) for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]


def _filtered(request: Request) -> tuple[QuerySet[AuditEntry], dict[str, Any]]:
    """The log narrowed to one actor, or to one object type (and one object of it)."""
    actor, object_type = int_param(request, "actor"), (request.query_params.get("object_type") or "")[:40] or None
    object_id = int_param(request, "object_id")
    entries = AuditEntry.all()
    if actor is not None:
        entries = entries.filter(actor_id=actor)
    if object_type:
        entries = entries.filter(object_type=object_type)
        if object_id is not None:
            entries = entries.filter(object_id=object_id)
    return entries, {"actor": actor, "object_type": object_type}


async def audit_page(request: Request) -> Response:
    await require_admin(request, "Only the government office reads the audit log.")
    entries, chosen = _filtered(request)
    page = await paginate(entries, page_number(request), PER_PAGE)
    payloads = [(entry, json.loads(entry.payload)) for entry in page.items]
    rows = [{"entry": e, "payload": p, "changes": changes(p["before"], p["after"])} for e, p in payloads]
    names = dict(await User.all().values_list("id", "username"))
    return await render(request, "manage/audit.html", {"rows": rows, "page": page, "names": names, **chosen})


routes = [Route("/manage/audit", audit_page)]
