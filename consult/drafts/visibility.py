"""Which consultations the public may see: published ones (先审查后公开) of a public decision."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from consult.decisions.visibility import public_decision
from consult.drafts.models import Consultation


def public_consultations() -> QuerySet[Consultation]:
    return Consultation.filter(public_decision("decision__"), published_at__isnull=False)
