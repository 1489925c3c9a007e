"""What of a decision's procedure before it is taken the public may see: steps marked public and
published by a reviewer, and hearings whose notice is out, of a public decision."""

from __future__ import annotations

from datetime import date

from tortoise.queryset import QuerySet

from consult.decisions.visibility import public_decision
from consult.deliberation.models import Hearing, ProcedureStep


def public_steps() -> QuerySet[ProcedureStep]:
    return ProcedureStep.filter(public_decision("decision__"), public=True, published_at__isnull=False)


def public_hearings(today: date) -> QuerySet[Hearing]:
    return Hearing.filter(public_decision("decision__"), published_at__isnull=False, notice_on__lte=today)
