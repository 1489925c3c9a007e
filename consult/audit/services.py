"""The staff audit log: recording an action with the state of its object before and after, and
verifying the hash chain."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from urllib.parse import parse_qsl

from tortoise.connection import get_connection
from tortoise.models import Model
from tortoise.transactions import in_transaction

from consult.audit.models import AuditEntry
from consult.txn import take_write_lock

GENESIS = "0" * 64
REDACTED = "[redacted]"
# Never written to the log: contact details and names of the public, passwords, secrets.
PRIVATE_KEYS = {
    "name",
    "submitter_name",
    "phone",
    "contact_phone",
    "email",
    "contact_email",
    "password",
    "password_hash",
    "new_password",
    "token_hash",
    "csrf_token",
    "dedupe_key",
}
MAX_VALUE = 2000


# URL segment under /manage/ → (object type, model, field the URL's number names). Each area's
# managed objects are registered in consult/wiring.py: the audit log knows no area itself.
OBJECTS: dict[str, tuple[str, type[Model], str]] = {}


def register_object(segment: str, kind: str, model: type[Model], field: str = "id") -> None:
    OBJECTS[segment] = (kind, model, field)


_OBJECT_PATH = re.compile(r"^/manage/([a-z-]+)/(\d{1,10})(?:/|$)")


@dataclass
class Target:
    type: str
    model: type[Model]
    field: str
    key: int


def target_of(path: str) -> Target | None:
    match = _OBJECT_PATH.match(path)
    if not match or match.group(1) not in OBJECTS:
        return None
    kind, model, field = OBJECTS[match.group(1)]
    return Target(kind, model, field, int(match.group(2)))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, str) and len(value) > MAX_VALUE:
        return value[:MAX_VALUE] + "…"
    return value


def _redact(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (REDACTED if k in PRIVATE_KEYS and v not in ("", None) else _plain(v)) for k, v in values.items()}


async def snapshot(target: Target | None) -> dict[str, Any] | None:
    if target is None or target.key > 2**31 - 1:
        return None
    rows = await target.model.filter(**{target.field: target.key}).values()
    return _redact(rows[0]) if rows else None


def submitted_fields(body: bytes, content_type: str) -> dict[str, Any]:
    """What the form asked for, private fields redacted; uploads by name only."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        fields: dict[str, Any] = {}
        for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            if key not in fields:
                fields[key] = value
            elif isinstance(fields[key], list):  # a field sent several times (checkboxes)
                fields[key].append(value)
            else:
                fields[key] = [fields[key], value]
        fields.pop("csrf_token", None)
        return _redact(fields)
    if content_type.startswith("multipart/form-data"):
        names = re.findall(rb'filename="([^"]{0,200})"', body)
        return {"files": [n.decode("utf-8", "replace") for n in names]}
    return {}


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


async def record(
    *,
    at: datetime,
    actor: Any,
    method: str,
    path: str,
    status: int,
    target: Target | None,
    submitted: dict[str, Any],
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    payload = {
        "at": at.isoformat(),
        "actor": {"id": actor.id, "username": actor.username} if actor else None,
        "action": f"{method} {path}",
        "object": {"type": target.type, "key": target.key} if target else None,
        "status": status,
        "submitted": submitted,
        "before": before,
        "after": after,
    }
    text = canonical(payload)
    async with in_transaction("default") as conn:
        # One writer at a time extends the chain: the lock is taken before the chain's head is read.
        await take_write_lock(conn, table="audit_log", advisory_key=740104)
        last = await AuditEntry.all().using_db(conn).order_by("-id").first()
        prev = last.hash if last else GENESIS
        return await AuditEntry.create(
            using_db=conn,
            at=at,
            actor_id=actor.id if actor else None,
            action=payload["action"][:200],
            object_type=target.type if target else "",
            object_id=target.key if target and target.key <= 2**31 - 1 else None,
            status=status,
            payload=text,
            prev_hash=prev,
            hash=chain_hash(prev, text),
        )


async def record_event(
    action: str,
    at: datetime,
    *,
    actor: Any = None,
    status: int = 200,
    target: Target | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """What happens outside a staff form under /manage/: logins and their failures, logouts, the
    command line's changes, the publishing job. In the same chain, with private fields redacted."""
    return await record(
        at=at,
        actor=actor,
        method="EVENT",
        path=action,
        status=status,
        target=target,
        submitted=_redact(details or {}),
        before=None,
        after=None,
    )


@dataclass
class Verdict:
    entries: int
    head: str
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


async def verify(batch: int = 5000) -> Verdict:
    """Walk the chain from the first entry: every link, every hash, every indexed column."""
    prev, count, last_id = GENESIS, 0, 0
    db = get_connection("default")
    while True:
        marker = "?" if db.capabilities.dialect == "sqlite" else "$1"
        rows = await db.execute_query_dict(
            f"SELECT id, actor_id, action, object_type, object_id, status, payload, prev_hash, hash "
            f"FROM audit_log WHERE id > {marker} ORDER BY id LIMIT {batch:d}",
            [last_id],
        )
        if not rows:
            return Verdict(count, prev)
        for row in rows:
            where = f"entry {row['id']}"
            if row["prev_hash"] != prev:
                return Verdict(count, prev, f"{where}: the entry before it was changed or removed")
            if chain_hash(prev, row["payload"]) != row["hash"]:
                return Verdict(count, prev, f"{where}: its content was changed")
            payload = json.loads(row["payload"])
            actor = payload["actor"]["id"] if payload["actor"] else None
            obj = payload["object"] or {}
            if (row["actor_id"], row["action"], row["object_type"], row["status"]) != (
                actor,
                payload["action"][:200],
                obj.get("type", ""),
                payload["status"],
            ):
                return Verdict(count, prev, f"{where}: its columns disagree with its signed content")
            prev, count, last_id = row["hash"], count + 1, row["id"]
