from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class MessageKind(StrEnum):
    ANSWER_PUBLISHED = "answer_published"
    REPORT_PUBLISHED = "report_published"
    ATTENDEE_SELECTED = "attendee_selected"
    COMMENT_RECEIVED = "comment_received"


class OutboxMessage(Model):
    """An e-mail written in the same transaction as its event, delivered later by the sender.

    `to_address` is private. `dedupe_key` is unique, so an event can never queue the same message twice.
    """

    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(MessageKind, max_length=30)
    dedupe_key = fields.CharField(max_length=120, unique=True)
    to_address = fields.CharField(max_length=200)
    subject = fields.CharField(max_length=200)
    body = fields.TextField()
    created_at = fields.DatetimeField()
    send_after = fields.DatetimeField()
    # A sender claims a message until this moment, so two processes never send it at once.
    claimed_until = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)
    last_error = fields.CharField(max_length=200, default="")
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_message"
        indexes = [("sent_at", "send_after")]
