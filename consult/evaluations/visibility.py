"""Which policy evaluations the public may see: those a reviewer of their unit has made public (their
report only once it is published: evaluations/queries.py)."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from consult.evaluations.models import Evaluation


def public_evaluations() -> QuerySet[Evaluation]:
    return Evaluation.filter(published_at__isnull=False)
