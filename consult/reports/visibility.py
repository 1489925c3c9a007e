"""Which adoption reports the public may see: published ones of a public decision."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from consult.reports.models import AdoptionReport


def public_reports() -> QuerySet[AdoptionReport]:
    return AdoptionReport.filter(published_at__isnull=False, decision__catalog__published_at__isnull=False)
