"""Decision results and adoption reports: the clock, the figures, publication exactly once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.transactions import in_transaction

from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content, can_review
from consult.audit.services import Target, record_event
from consult.clock import local_date
from consult.comments.models import Comment
from consult.comments.tally import figures
from consult.decisions.models import Decision, DecisionResult, IssuingLevel
from consult.deliberation.steps import check_result_allowed
from consult.drafts.models import Consultation
from consult.drafts.services import ConsultationState, consultation_state
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.i18n import N_, gettext, language
from consult.notify.models import MessageKind
from consult.notify.services import message, queue
from consult.reports.deadline import ReportRule, report_deadline
from consult.reports.figures import build_figures
from consult.reports.models import AdoptionReport, PublicationKind, ReportVersion
from consult.reports.search import index_report
from consult.workdays.calc import WorkCalendar

DOCUMENT_NUMBER_RE = re.compile(r"^([\u4e00-\u9fffA-Za-z]{1,30})[〔\[［(（]\s*(\d{4})\s*[〕\]］)）](\d{1,5})号$")


@dataclass
class ResultInput:
    document_number: str
    issued_on: date
    text: str = ""
    link: str = ""
    # In whose name the document is issued: it sets how many forms of interpretation it needs.
    issuing_level: IssuingLevel = IssuingLevel.GOVERNMENT


def normalise_document_number(raw: str, issued_on: date) -> str:
    """平政办发〔2023〕5号: the issuing agency's prefix, the year in 〔〕 and the serial number."""
    match = DOCUMENT_NUMBER_RE.match(raw.strip().replace(" ", ""))
    if match is None:
        raise ValidationError(
            {"document_number": N_("Write the document number as on the document, e.g. 平政办发〔2023〕5号.")}
        )
    prefix, year, serial = match.groups()
    if int(year) not in (issued_on.year, issued_on.year - 1):
        raise ValidationError({"document_number": N_("The year in the document number does not match the issue date.")})
    return f"{prefix}〔{year}〕{int(serial)}号"


def require_result_recorder(decision: Decision, actor: User) -> None:
    if not can_review(actor, decision.department_id):
        raise PermissionDenied("Only a reviewer of the department can record the decision result.")


async def record_result(
    decision: Decision, data: ResultInput, actor: User, now: datetime, calendar: WorkCalendar, rule: ReportRule
) -> DecisionResult:
    """Recording the issued document starts the report clock for each of the decision's consultations."""
    require_result_recorder(decision, actor)
    today = local_date(now)
    if await DecisionResult.filter(decision_id=decision.id).exists():
        raise Conflict("The result of this decision is already recorded.")
    errors: dict[str, str] = {}
    if data.issued_on > today:
        errors["issued_on"] = N_("The issue date cannot be in the future.")
    if not data.text.strip() and not data.link.strip():
        errors["text"] = N_("Paste the issued text or give a link to it.")
    if data.link.strip() and not re.match(r"^https?://\S+$", data.link.strip()):
        errors["link"] = N_("Enter a web address starting with http:// or https://.")
    try:
        number = normalise_document_number(data.document_number, data.issued_on)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    consultations = await Consultation.filter(decision_id=decision.id, published_at__isnull=False)
    unfinished = [c for c in consultations if consultation_state(c, today) in UNFINISHED]
    if unfinished:
        # 713号令 Art.14–15: public participation comes before the decision; its result cannot be
        # recorded while the public can still comment, or is yet to be able to.
        raise ValidationError(
            {
                "__all__": N_(
                    "A consultation on this decision is scheduled or still open (until %(date)s): "
                    "the result can be recorded once it has closed."
                )
            },
            date=max(c.ends_on for c in unfinished).isoformat(),
        )
    await check_result_allowed(decision)
    async with in_transaction("default"):
        result = await DecisionResult.create(
            decision=decision,
            document_number=number,
            issued_on=data.issued_on,
            text=data.text.strip(),
            link=data.link.strip(),
            issuing_level=data.issuing_level,
            recorded_by=actor,
            recorded_at=now,
        )
        # A kind of document the local rule leaves out gets no report (and no clock).
        for consultation in consultations if rule.applies_to(decision.kind.value) else []:
            await AdoptionReport.get_or_create(
                consultation=consultation, defaults={"decision": decision, "created_at": now}
            )
    # A result recorded after its report's due day publishes the report at once (marked late): the clock
    # ran from the issue date, not from the recording.
    await publish_due_reports(calendar, now, rule, decision_id=decision.id)
    return result


UNFINISHED = (ConsultationState.UPCOMING, ConsultationState.OPEN)


async def outstanding(consultation_id: int) -> int:
    """Comments still needing work: not yet moderated, or published without an approved answer."""
    tally = await figures(consultation_id)
    return tally.pending + tally.published - tally.answered


async def publish_report(
    report: AdoptionReport,
    kind: PublicationKind,
    now: datetime,
    *,
    actor: User | None = None,
) -> bool:
    """Publish once: the conditional UPDATE claims the report, so a second caller (another process, a
    second tick) finds it taken and does nothing. Figures are frozen as version 0 in the same transaction."""
    async with in_transaction("default"):
        claimed = await AdoptionReport.filter(id=report.id, published_at__isnull=True).update(
            published_at=now, publication_kind=kind, published_by_id=actor.id if actor else None
        )
        if not claimed:
            return False
        consultation = await Consultation.get(id=report.consultation_id).prefetch_related("draft")
        figures = await build_figures(consultation)
        overdue = kind is PublicationKind.DEADLINE and figures["unanswered"] + figures["unmoderated"] > 0
        if overdue:
            await AdoptionReport.filter(id=report.id).update(overdue=True)
        await ReportVersion.create(report_id=report.id, number=0, figures=figures, created_by=actor, created_at=now)
        await _queue_report_mail(report.id, consultation, now)
        await index_report(await AdoptionReport.get(id=report.id))
    return True


async def _queue_report_mail(report_id: int, consultation: Consultation, now: datetime) -> None:
    rows = await Comment.filter(
        consultation_id=consultation.id, notify_by_email=True, contact_email__not=""
    ).values_list("id", "contact_email", "receipt_code")
    with language("zh"):
        subject = gettext("The comments report on “%(title)s” is published", title=consultation.draft.title)
        body = gettext(
            "The department has published how the comments on “%(title)s” were collected and adopted:\n"
            "%(report)s\n\nYour comment and its answer: %(receipt)s\n"
        )
    await queue(
        message(
            MessageKind.REPORT_PUBLISHED,
            f"report:{report_id}:{comment_id}",
            email,
            subject,
            body
            % {
                "title": consultation.draft.title,
                "report": f"{{base_url}}/reports/{report_id}",
                "receipt": f"{{base_url}}/receipts/{code}",
            },
            now,
        )
        for comment_id, email, code in rows
    )


async def publish_due_reports(
    calendar: WorkCalendar, now: datetime, rule: ReportRule, *, decision_id: int | None = None
) -> list[int]:
    """The job: publish every waiting report that is complete or whose due day has reached its
    publication hour. Idempotent."""
    published = []
    waiting = AdoptionReport.filter(published_at__isnull=True)
    if decision_id is not None:
        waiting = waiting.filter(decision_id=decision_id)
    reports = await waiting
    results = {r.decision_id: r for r in await DecisionResult.filter(decision_id__in=[w.decision_id for w in reports])}
    for report in reports:
        result = results.get(report.decision_id)
        if result is None:
            continue
        if await outstanding(report.consultation_id) == 0:
            kind = PublicationKind.COMPLETE
        elif now >= report_deadline(calendar, result.issued_on, rule).publish_at:
            kind = PublicationKind.DEADLINE
        else:
            continue
        if await publish_report(report, kind, now):
            published.append(report.id)
            await record_event(
                "adoption report published automatically",
                now,
                target=Target("report", AdoptionReport, "id", report.id),
                details={"kind": kind.value, "consultation_id": report.consultation_id},
            )
    return published


async def publish_if_complete(consultation_id: int, now: datetime) -> bool:
    """Called after the last answer is approved (or the last comment moderated): no waiting for the tick."""
    report = await AdoptionReport.get_or_none(consultation_id=consultation_id, published_at__isnull=True)
    if report is None or not await DecisionResult.filter(decision_id=report.decision_id).exists():
        return False
    if await outstanding(consultation_id) > 0:
        return False
    return await publish_report(report, PublicationKind.COMPLETE, now)


async def publish_report_now(report: AdoptionReport, actor: User, now: datetime) -> None:
    """The department may publish before the deadline, answered or not."""
    decision = await Decision.get(id=report.decision_id)
    if not can_review(actor, decision.department_id):
        raise PermissionDenied("Only a reviewer of the department can publish the report.")
    if not await publish_report(report, PublicationKind.MANUAL, now, actor=actor):
        raise Conflict("The report is already published.")


async def set_department_note(report: AdoptionReport, note: str, actor: User) -> None:
    """Before publication the note can change freely; afterwards only through a correction."""
    decision = await Decision.get(id=report.decision_id)
    if not can_edit_department_content(actor, decision.department_id):
        raise PermissionDenied("This decision belongs to another department.")
    if report.published_at is not None:
        raise Conflict("The report is published: publish a correction instead.")
    report.department_note = note.strip()[:5000]
    await report.save(update_fields=["department_note"])


async def correct_report(report: AdoptionReport, note: str, actor: User, now: datetime) -> ReportVersion:
    """A published report never changes: a correction is a new, dated version with its reason."""
    decision = await Decision.get(id=report.decision_id)
    if not can_review(actor, decision.department_id):
        raise PermissionDenied("Only a reviewer of the department can correct the report.")
    if report.published_at is None:
        raise Conflict("The report is not published yet.")
    if not note.strip():
        raise ValidationError({"note": N_("Say what the correction changes and why.")})
    consultation = await Consultation.get(id=report.consultation_id)
    async with in_transaction("default"):
        number = await ReportVersion.filter(report_id=report.id).count()
        return await ReportVersion.create(
            report_id=report.id,
            number=number,
            figures=await build_figures(consultation),
            note=note.strip(),
            created_by=actor,
            created_at=now,
        )
