"""What of a decision's procedure before it is taken the public may see: steps marked public and
published by a reviewer, and hearings whose notice is out, of a public decision."""

from __future__ import annotations

from datetime import date

from tortoise.queryset import QuerySet

from consult.deliberation.models import Hearing, ProcedureStep


def public_steps() -> QuerySet[ProcedureStep]:
    return ProcedureStep.filter(public=True, published_at__isnull=False, decision__catalog__published_at__isnull=False)


def public_hearings(today: date) -> QuerySet[Hearing]:
    return Hearing.filter(
        published_at__isnull=False, notice_on__lte=today, decision__catalog__published_at__isnull=False
    )
