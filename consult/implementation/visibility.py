"""What of a decision's life after issue the public may see: approved interpretations, published
execution updates and every recorded status change, of a public decision."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from consult.decisions.visibility import public_decision
from consult.implementation.models import ExecutionUpdate, Interpretation, StatusChange


def public_interpretations() -> QuerySet[Interpretation]:
    return Interpretation.filter(public_decision("decision__"), published_at__isnull=False)


def public_execution_updates() -> QuerySet[ExecutionUpdate]:
    return ExecutionUpdate.filter(public_decision("decision__"), published_at__isnull=False)


def public_status_changes() -> QuerySet[StatusChange]:
    return StatusChange.filter(public_decision("decision__"))
