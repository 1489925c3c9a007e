"""Which questionnaires the public may see: approved ones (先审查后公开). Their results are public once
they have closed (surveys/pages.py)."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from consult.surveys.models import Survey


def public_surveys() -> QuerySet[Survey]:
    return Survey.filter(published_at__isnull=False)
