from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AuditEntry(Model):
    """One staff action, append-only and hash-chained: `hash` is SHA-256 of the previous entry's hash
    and this entry's canonical `payload`, so changing or removing any entry breaks every later link.
    The other columns repeat parts of the payload for filtering only."""

    id = fields.IntField(primary_key=True)
    at = fields.DatetimeField(db_index=True)
    actor_id = fields.IntField(null=True, db_index=True)
    action = fields.CharField(max_length=200)
    object_type = fields.CharField(max_length=40, default="")
    object_id = fields.IntField(null=True)
    status = fields.IntField()
    payload = fields.TextField()
    prev_hash = fields.CharField(max_length=64)
    hash = fields.CharField(max_length=64, unique=True)

    class Meta:
        table = "audit_log"
        ordering = ["-id"]
        indexes = [("object_type", "object_id")]
