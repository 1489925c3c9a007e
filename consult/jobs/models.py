from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Job(Model):
    """Work that follows a committed change, written in the change's own transaction: a durable queue.

    A comment is acknowledged once it is committed, with its jobs (group it, refresh its search entry)
    beside it, so a crash after the acknowledgement loses none of them. A job is deleted in the
    transaction that does its work, so its work takes effect exactly once; while a process works on it,
    it holds a claim (`claimed_by` until `claimed_until`) that lapses if the process dies.
    """

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=30)
    # What the work is batched by (a consultation for grouping); 0 when it does not matter.
    scope_id = fields.IntField(default=0)
    # What the work is about (a comment).
    subject_id = fields.IntField()
    created_at = fields.DatetimeField()
    run_after = fields.DatetimeField()
    claimed_by = fields.CharField(max_length=32, default="")
    claimed_until = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)
    last_error = fields.CharField(max_length=200, default="")

    class Meta:
        table = "job"
        indexes = [("kind", "scope_id", "id")]


class Lease(Model):
    """One process at a time works on what a lease names (the grouping of one consultation): a row per
    name, taken with a conditional UPDATE, which both databases make atomic, and lapsing at `until`."""

    name = fields.CharField(max_length=100, primary_key=True)
    holder = fields.CharField(max_length=32, default="")
    until = fields.DatetimeField()

    class Meta:
        table = "job_lease"
