"""Which adoption reports the public may see: published ones of a public decision."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from consult.decisions.visibility import public_decision
from consult.reports.models import AdoptionReport


def public_reports() -> QuerySet[AdoptionReport]:
    return AdoptionReport.filter(public_decision("decision__"), published_at__isnull=False)
