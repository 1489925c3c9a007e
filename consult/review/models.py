"""What every reviewed answer shares: the proposal, its review, and the approved copy the public sees."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class AnswerStatus(StrEnum):
    ADOPTED = "adopted"
    PARTLY_ADOPTED = "partly_adopted"
    NOT_ADOPTED = "not_adopted"
    ALREADY_COVERED = "already_covered"
    OUT_OF_SCOPE = "out_of_scope"


class ReviewState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"


class ReviewedAnswer(Model):
    """`status`/`reason` is the latest proposal; `public_status`/`public_reason` is what a reviewer
    approved and the public sees. Revising an approved answer leaves the public copy up until the
    revision is approved, so a published answer never disappears while it is being corrected."""

    status = fields.CharEnumField(AnswerStatus, max_length=20)
    reason = fields.TextField(default="")
    review_state = fields.CharEnumField(ReviewState, max_length=20, default=ReviewState.PENDING)
    answered_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    answered_at = fields.DatetimeField()
    reviewed_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    reviewed_at = fields.DatetimeField(null=True)
    review_note = fields.TextField(default="")
    public_status = fields.CharEnumField(AnswerStatus, max_length=20, null=True)
    public_reason = fields.TextField(default="")
    published_at = fields.DatetimeField(null=True)

    class Meta:
        abstract = True
