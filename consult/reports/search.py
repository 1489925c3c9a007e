"""Published adoption reports in the search index."""

from __future__ import annotations

from collections.abc import AsyncIterator

from consult.drafts.visibility import public_consultations
from consult.reports.models import AdoptionReport
from consult.reports.visibility import public_reports
from consult.search.index import Document, in_chinese, put_document


async def _document(report: AdoptionReport) -> Document:
    consultation = await public_consultations().get(id=report.consultation_id).prefetch_related("decision", "draft")
    return Document(
        kind="report",
        ref_id=report.id,
        url=f"/reports/{report.id}",
        title=in_chinese(
            "How the public's comments on “%(title)s” were collected and adopted", title=consultation.draft.title
        ),
        body=report.department_note,
        department_id=consultation.decision.department_id,
        year=report.published_at.year,
        published_on=report.published_at.date(),
    )


async def index_report(report: AdoptionReport) -> None:
    report = await public_reports().get_or_none(id=report.id)
    if report is not None:
        await put_document(await _document(report))


async def documents(catalog_id: int | None) -> AsyncIterator[Document]:
    reports = public_reports()
    if catalog_id is not None:
        reports = reports.filter(decision__catalog_id=catalog_id)
    for report in await reports:
        yield await _document(report)
