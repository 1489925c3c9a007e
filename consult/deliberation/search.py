"""Hearings and the public steps before a decision in the search index: a hearing once its notice is
public (its report joins its words when published), a step by its own words once published."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

from consult import clock
from consult.decisions.models import Decision
from consult.decisions.visibility import public_decisions
from consult.deliberation.models import Hearing, ProcedureStep
from consult.search.index import Document, in_chinese, put_document


def hearing_document(hearing: Hearing, decision: Decision) -> Document:
    assert hearing.notice_on is not None
    report = hearing.report if hearing.report_published_at else ""
    return Document(
        kind="hearing",
        ref_id=hearing.id,
        url=f"/hearings/{hearing.id}",
        title=in_chinese("Hearing: %(title)s", title=decision.title),
        body=f"{hearing.matter} {hearing.place} {report}",
        department_id=decision.department_id,
        year=hearing.notice_on.year,
        published_on=hearing.notice_on,
    )


def step_document(step: ProcedureStep, decision: Decision) -> Document:
    """Found by its own words (an expert review's conclusions), under its decision's title."""
    return Document(
        kind="procedure_step",
        ref_id=step.id,
        url=f"/decisions/{decision.id}#step-{step.id}",
        title=decision.title,
        body=f"{step.unit} {step.outcome}",
        department_id=decision.department_id,
        year=step.finished_on.year,
        published_on=step.finished_on,
    )


async def index_hearing(hearing: Hearing, today: date) -> None:
    """Only a hearing whose notice is out: one approved ahead of its notice day is indexed when its
    participant list or its report is published, both after the notice day."""
    if hearing.published_at is None or hearing.notice_on is None or hearing.notice_on > today:
        return
    decision = await public_decisions().get_or_none(id=hearing.decision_id)
    if decision is not None:
        await put_document(hearing_document(hearing, decision))


async def index_step(step: ProcedureStep) -> None:
    decision = await public_decisions().get_or_none(id=step.decision_id)
    if decision is not None and step.public and step.published_at is not None:
        await put_document(step_document(step, decision))


async def documents(catalog_id: int | None) -> AsyncIterator[Document]:
    decisions = public_decisions()
    if catalog_id is not None:
        decisions = decisions.filter(catalog_id=catalog_id)
    by_id = {d.id: d for d in await decisions}
    # Rebuilt now: hearings whose notice is out by today.
    public = Hearing.filter(decision_id__in=list(by_id), published_at__isnull=False, notice_on__lte=clock.today())
    for hearing in await public:
        yield hearing_document(hearing, by_id[hearing.decision_id])
    for step in await ProcedureStep.filter(decision_id__in=list(by_id), public=True, published_at__isnull=False):
        yield step_document(step, by_id[step.decision_id])
