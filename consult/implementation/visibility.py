"""What of a decision's life after issue the public may see: approved interpretations, published
execution updates and every recorded status change, of a public decision."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from consult.implementation.models import ExecutionUpdate, Interpretation, StatusChange


def public_interpretations() -> QuerySet[Interpretation]:
    return Interpretation.filter(published_at__isnull=False, decision__catalog__published_at__isnull=False)


def public_execution_updates() -> QuerySet[ExecutionUpdate]:
    return ExecutionUpdate.filter(published_at__isnull=False, decision__catalog__published_at__isnull=False)


def public_status_changes() -> QuerySet[StatusChange]:
    return StatusChange.filter(decision__catalog__published_at__isnull=False)
