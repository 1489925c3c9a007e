"""Drafts, their attachments, and the consultations that put them out for comment."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import StrEnum

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content, can_review
from consult.decisions.models import Decision, DecisionResult
from consult.decisions.search import index_decision
from consult.drafts.articles import split_articles
from consult.drafts.models import (
    Article,
    Attachment,
    AttachmentBlob,
    AttachmentKind,
    Consultation,
    ConsultationEvent,
    ConsultationEventKind,
    Draft,
)
from consult.drafts.periods import MinimumPeriod, is_short, minimum_period
from consult.drafts.search import index_consultation
from consult.drafts.uploads import check_upload
from consult.drafts.visibility import public_consultations
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.i18n import N_
from consult.settings import Settings
from consult.workdays.calc import calendar_days, legal_last_day
from consult.workdays.services import load_calendar


class ConsultationState(StrEnum):
    DRAFT = "draft"  # prepared by staff, not yet approved for publication
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


def _require_department(actor: User, decision: Decision) -> None:
    if not can_edit_department_content(actor, decision.department_id):
        raise PermissionDenied("This decision belongs to another department.")


async def create_draft(
    decision: Decision,
    version_label: str,
    title: str,
    body: str,
    explanation: str,
    actor: User,
    now: datetime,
) -> Draft:
    """Split into articles at once; a draft never changes afterwards (a new version is a new draft)."""
    _require_department(actor, decision)
    if decision.removed_at is not None:
        raise Conflict("This decision was removed from the catalog.")
    errors: dict[str, str] = {}
    if not version_label.strip():
        errors["version_label"] = N_("This field is required.")
    if not title.strip():
        errors["title"] = N_("This field is required.")
    if not body.strip():
        errors["body"] = N_("Paste the text of the draft.")
    elif len(body) > 500_000:
        errors["body"] = N_("Too long.")
    if errors:
        raise ValidationError(errors)
    parsed = split_articles(body)
    async with in_transaction("default"):
        draft = await Draft.create(
            decision=decision,
            version_label=version_label.strip()[:50],
            title=title.strip()[:200],
            body=body.strip(),
            explanation=explanation.strip(),
            created_by=actor,
            created_at=now,
        )
        await Article.bulk_create(
            [
                Article(draft=draft, seq=i, label=a.label, chapter=a.chapter[:100], body=a.body)
                for i, a in enumerate(parsed, start=1)
            ]
        )
    return draft


async def add_attachment(
    decision: Decision,
    draft: Draft | None,
    kind: AttachmentKind,
    filename: str,
    data: bytes,
    actor: User,
    now: datetime,
    max_bytes: int,
) -> Attachment:
    """PDF, Word or images only, recognised by content; the name's extension must agree with it."""
    _require_department(actor, decision)
    if draft is not None and draft.decision_id != decision.id:
        raise ValidationError({"draft_id": N_("Choose one of the options.")})
    name, content_type = check_upload(filename, data, max_bytes)
    async with in_transaction("default"):
        attachment = await Attachment.create(
            decision=decision,
            draft=draft,
            kind=kind,
            filename=name,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
            created_at=now,
        )
        await AttachmentBlob.create(attachment=attachment, data=data)
    return attachment


def requested_end(consultation: Consultation) -> date:
    return consultation.requested_ends_on or consultation.ends_on


async def legal_end(requested: date) -> date:
    """Civil Code Art.203 on the calendar as it stands (recomputed when the office enters a year)."""
    return legal_last_day(await load_calendar(), requested).on


async def recompute_legal_ends(today: date) -> int:
    """After the office enters a year's arrangement: consultations still running or to come get their
    legal last day from the calendar as it now stands (a last day late in December can move into the
    new year). Those that have ended stay closed."""
    calendar = await load_calendar()
    changed = 0
    for consultation in await Consultation.filter(closed_early_at__isnull=True, ends_on__gte=today):
        end = legal_last_day(calendar, requested_end(consultation)).on
        if end != consultation.ends_on and end >= today:
            consultation.ends_on = end
            await consultation.save(update_fields=["ends_on"])
            changed += 1
    return changed


def period_days(starts_on: date, ends_on: date) -> int:
    """Calendar days of a consultation period (Civil Code Art.201: the start day is not counted)."""
    return calendar_days(starts_on, ends_on)


def consultation_state(consultation: Consultation, today: date) -> ConsultationState:
    if consultation.published_at is None:
        return ConsultationState.DRAFT
    if consultation.closed_early_at is not None or today > consultation.ends_on:
        return ConsultationState.CLOSED
    if today < consultation.starts_on:
        return ConsultationState.UPCOMING
    return ConsultationState.OPEN


def days_left(consultation: Consultation, today: date) -> int | None:
    """Whole days after today that are still open (0 = closes tonight); None when not open."""
    if consultation_state(consultation, today) is not ConsultationState.OPEN:
        return None
    return calendar_days(today, consultation.ends_on)


def open_consultations(today: date) -> QuerySet[Consultation]:
    return public_consultations().filter(closed_early_at__isnull=True, starts_on__lte=today, ends_on__gte=today)


def closed_consultations(today: date) -> QuerySet[Consultation]:
    return public_consultations().filter(Q(closed_early_at__isnull=False) | Q(ends_on__lt=today))


def period_rule(decision: Decision, settings: Settings) -> MinimumPeriod:
    return minimum_period(decision.kind, decision.market_related, settings)


async def _checked_period(starts_on: date, ends_on: date, reason: str, minimum: MinimumPeriod, today: date) -> str:
    """The dates checked, and the published reason a shorter period needs (kept only when the period is
    shorter); ValidationError otherwise."""
    if starts_on < today:
        raise ValidationError({"starts_on": N_("The start date cannot be in the past.")})
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": N_("The end date must be after the start date.")})
    if not is_short(await load_calendar(), starts_on, ends_on, minimum):
        return ""
    if not reason.strip():
        message = (
            N_("The period is shorter than %(n)s working days: explain why publicly.")
            if minimum.working_days
            else N_("The period is shorter than %(n)s days: explain why publicly.")
        )
        raise ValidationError({"short_period_reason": message}, n=minimum.length)
    return reason.strip()


async def create_consultation(
    draft: Draft,
    starts_on: date,
    ends_on: date,
    short_period_reason: str,
    actor: User,
    today: date,
    now: datetime,
    settings: Settings,
) -> Consultation:
    """Prepared by the department; it becomes public only when a reviewer publishes it. The minimum
    period is the document's kind's (periods.py)."""
    decision = await draft.decision
    _require_department(actor, decision)
    minimum = period_rule(decision, settings)
    reason = await _checked_period(starts_on, ends_on, short_period_reason, minimum, today)
    if await Consultation.filter(draft_id=draft.id).exists():
        raise Conflict("This draft already has a consultation.")
    return await Consultation.create(
        decision=decision,
        draft=draft,
        starts_on=starts_on,
        ends_on=await legal_end(ends_on),
        requested_ends_on=ends_on,
        short_period_reason=reason,
        created_by=actor,
        created_at=now,
    )


async def reschedule_consultation(
    consultation: Consultation,
    starts_on: date,
    ends_on: date,
    short_period_reason: str,
    actor: User,
    today: date,
    settings: Settings,
) -> None:
    """Dates can be changed freely until publication; afterwards only by extending or reopening."""
    decision = await consultation.decision
    _require_department(actor, decision)
    if consultation.published_at is not None:
        raise Conflict("The consultation is published: extend it or reopen it with a reason instead.")
    minimum = period_rule(decision, settings)
    consultation.short_period_reason = await _checked_period(starts_on, ends_on, short_period_reason, minimum, today)
    consultation.starts_on = starts_on
    consultation.ends_on = await legal_end(ends_on)
    consultation.requested_ends_on = ends_on
    await consultation.save(update_fields=["starts_on", "ends_on", "requested_ends_on", "short_period_reason"])


async def publish_consultation(consultation: Consultation, actor: User, today: date, now: datetime) -> None:
    """先审查后公开: a reviewer (or the office) publishes; the draft becomes public with it."""
    decision = await consultation.decision
    if not can_review(actor, decision.department_id):
        raise PermissionDenied("Only a reviewer of the department can publish.")
    if consultation.published_at is not None:
        raise Conflict("The consultation is already published.")
    if consultation.starts_on < today:
        raise Conflict("The start date has passed: change the dates before publishing.")
    async with in_transaction("default"):
        consultation.published_at = now
        consultation.published_by = actor
        await consultation.save(update_fields=["published_at", "published_by_id"])
        await ConsultationEvent.create(
            consultation=consultation, kind=ConsultationEventKind.PUBLISHED, actor=actor, created_at=now
        )
        if decision.catalog_id is None and decision.public_from is None:
            # A document outside the catalog is public with its first consultation.
            decision.public_from = now
            await decision.save(update_fields=["public_from"])
            await index_decision(decision)
        await index_consultation(consultation)


async def close_consultation_early(
    consultation: Consultation, reason: str, actor: User, today: date, now: datetime
) -> None:
    decision = await consultation.decision
    _require_department(actor, decision)
    if consultation_state(consultation, today) is not ConsultationState.OPEN:
        raise Conflict("Only an open consultation can be closed early.")
    if not reason.strip():
        raise ValidationError({"reason": N_("Give the public reason for closing early.")})
    async with in_transaction("default"):
        consultation.closed_early_at = now
        await consultation.save(update_fields=["closed_early_at"])
        await ConsultationEvent.create(
            consultation=consultation,
            kind=ConsultationEventKind.CLOSED_EARLY,
            reason=reason.strip(),
            old_ends_on=consultation.ends_on,
            new_ends_on=today,
            actor=actor,
            created_at=now,
        )


async def extend_consultation(
    consultation: Consultation, new_ends_on: date, reason: str, actor: User, today: date, now: datetime
) -> ConsultationEventKind:
    """Extend an open consultation, or reopen a closed one until a new end date; both need a reason."""
    decision = await consultation.decision
    _require_department(actor, decision)
    state = consultation_state(consultation, today)
    if state in (ConsultationState.DRAFT,):
        raise Conflict("Publish the consultation first.")
    if await DecisionResult.filter(decision_id=decision.id).exists():
        # The decision is taken: comments gathered now could no longer shape it.
        raise ValidationError(
            {
                "new_ends_on": N_(
                    "The decision's result is recorded: the consultation can no longer be extended or reopened."
                )
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": N_("Give the public reason for the new end date.")})
    if new_ends_on < today or (new_ends_on <= consultation.ends_on and consultation.closed_early_at is None):
        raise ValidationError(
            {"new_ends_on": N_("The new end date must be later than the current one and not in the past.")}
        )
    kind = ConsultationEventKind.REOPENED if state is ConsultationState.CLOSED else ConsultationEventKind.EXTENDED
    legal = await legal_end(new_ends_on)
    async with in_transaction("default"):
        old = consultation.ends_on
        consultation.ends_on, consultation.requested_ends_on = legal, new_ends_on
        consultation.closed_early_at = None
        await consultation.save(update_fields=["ends_on", "requested_ends_on", "closed_early_at"])
        await ConsultationEvent.create(
            consultation=consultation,
            kind=kind,
            reason=reason.strip(),
            old_ends_on=old,
            new_ends_on=legal,
            actor=actor,
            created_at=now,
        )
    return kind
