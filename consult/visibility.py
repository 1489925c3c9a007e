"""What the public may see, defined once. Every public page, the API, the feeds, the downloads and the
search index take their rows from here.

A decision is public once its year's catalog is published (a removed decision stays public, marked
removed: the adjustment is public too). What belongs to a decision (its consultations, result, reports)
is public only with it, and a consultation or a report only once published itself (先审查后公开).
"""

from __future__ import annotations

from tortoise.queryset import QuerySet

from consult.decisions.models import Catalog, Decision, DecisionResult
from consult.drafts.models import Consultation
from consult.reports.models import AdoptionReport


def public_catalogs() -> QuerySet[Catalog]:
    return Catalog.filter(published_at__isnull=False)


def public_decisions() -> QuerySet[Decision]:
    return Decision.filter(catalog__published_at__isnull=False)


def public_consultations() -> QuerySet[Consultation]:
    return Consultation.filter(published_at__isnull=False, decision__catalog__published_at__isnull=False)


def public_results() -> QuerySet[DecisionResult]:
    return DecisionResult.filter(decision__catalog__published_at__isnull=False)


def public_reports() -> QuerySet[AdoptionReport]:
    return AdoptionReport.filter(published_at__isnull=False, decision__catalog__published_at__isnull=False)
