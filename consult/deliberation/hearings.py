"""Hearings (听证会, 国务院令第713号 第十七条–第十八条): the notice with seats per interest group, the
call for representatives and observers (the call every participation shares), the participant list,
then the representatives' opinions — entered as comments of the consultation on the draft (channel
听证会), answered and reviewed like every comment, counted in its report — the record and the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from tortoise.transactions import in_transaction

from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content, can_review
from consult.clock import local_date
from consult.comments.models import Channel, Comment, ModerationState, SubmitterCategory
from consult.comments.services import CommentInput, moderate_comment, submit_comment
from consult.decisions.models import Decision
from consult.deliberation.models import Hearing, HearingDraw, HearingOpinion, HearingParticipant
from consult.deliberation.rules import HearingSchedule, hearing_schedule_errors, schedule_params
from consult.deliberation.search import index_hearing
from consult.drafts.models import Article, Consultation
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.i18n import N_
from consult.participation import calls
from consult.participation.calls import ApplicationInput, Call
from consult.participation.models import ApplicationStatus, Attendance
from consult.settings import Settings

OBSERVER = "observer"  # 旁听: a seat to watch, not to speak

ALREADY_APPLIED = N_(
    "This phone number or e-mail address has already applied to take part in this hearing: each person applies once."
)
SAY_WHAT = N_("Say briefly what you want to say at the hearing, or why you want to observe it.")


@dataclass(frozen=True)
class HearingInput:
    consultation_id: int | None
    matter: str
    organiser: str
    place: str
    held_at: datetime | None
    notice_on: date | None
    materials_on: date | None
    applications_close_on: date | None
    # (label, seats) per interest group affected, e.g. ("机动车车主", 5)
    groups: list[tuple[str, int]] = field(default_factory=list)
    observer_seats: int = 0
    how_to_apply: str = ""


def schedule_of(hearing: Hearing) -> HearingSchedule:
    assert hearing.notice_on is not None
    return HearingSchedule(
        hearing.notice_on, hearing.applications_close_on, hearing.materials_on, local_date(hearing.held_at)
    )


def representative_groups(hearing: Hearing) -> dict[str, str]:
    """Group key -> label, in the notice's order."""
    return {g["key"]: g["label"] for g in hearing.groups}


def call_of(hearing: Hearing) -> Call:
    """The hearing's call: one category per interest group, plus observers; applications open with the
    published notice. Representatives declare they are not serving civil servants."""
    quotas = {g["key"]: int(g["seats"]) for g in hearing.groups}
    if hearing.observer_seats:
        quotas[OBSERVER] = hearing.observer_seats
    return Call(
        applicants=HearingParticipant,
        draws=HearingDraw,
        owner="hearing",
        owner_id=hearing.id,
        opens_on=hearing.notice_on if hearing.published_at else None,
        closes_on=hearing.applications_close_on,
        quotas=quotas,
        already_applied=ALREADY_APPLIED,
        say_what=SAY_WHAT,
        declared=frozenset(g["key"] for g in hearing.groups),
        extra_fields=lambda data: {"declared_not_civil_servant": data.not_civil_servant},
    )


def is_public(hearing: Hearing, today: date) -> bool:
    return hearing.published_at is not None and hearing.notice_on is not None and hearing.notice_on <= today


def _require_department(actor: User, decision: Decision) -> None:
    if not can_edit_department_content(actor, decision.department_id):
        raise PermissionDenied("This decision belongs to another department.")


async def _decision(hearing: Hearing) -> Decision:
    return await Decision.get(id=hearing.decision_id)


def _check_schedule(schedule: HearingSchedule, settings: Settings) -> None:
    errors = hearing_schedule_errors(schedule, settings)
    if errors:
        raise ValidationError(errors, **schedule_params(schedule, settings))


def _groups(raw: list[tuple[str, int]]) -> list[dict[str, object]]:
    groups, seen = [], set()
    for label, seats in raw:
        label = label.strip()
        if not label and not seats:
            continue
        if not label or len(label) > 50 or seats < 1 or seats > 500 or label in seen:
            raise ValidationError(
                {"groups": N_("Name each interest group once (at most 50 characters) and give it 1 to 500 seats.")}
            )
        seen.add(label)
        groups.append({"key": f"g{len(groups) + 1}", "label": label, "seats": seats})
    if not groups:
        raise ValidationError({"groups": N_("Give at least one interest group its seats for representatives.")})
    return groups


async def _checked(decision: Decision, data: HearingInput, today: date, settings: Settings) -> dict[str, object]:
    errors: dict[str, str] = {}
    consultation = None
    if data.consultation_id is not None:
        consultation = await Consultation.get_or_none(
            id=data.consultation_id, decision_id=decision.id, published_at__isnull=False
        )
    if consultation is None:
        errors["consultation_id"] = N_("Choose the published consultation on the draft to be heard.")
    for name, value, limit in (("matter", data.matter, 5000), ("organiser", data.organiser, 200)):
        if not value.strip():
            errors[name] = N_("This field is required.")
        elif len(value) > limit:
            errors[name] = N_("Too long.")
    if not data.place.strip() or len(data.place) > 200:
        errors["place"] = N_("Give the address of the hearing.")
    for name in ("held_at", "notice_on", "materials_on", "applications_close_on"):
        if getattr(data, name) is None:
            errors[name] = N_("This field is required.")
    if data.notice_on is not None and data.notice_on < today:
        errors["notice_on"] = N_("The notice cannot be published in the past.")
    if not 0 <= data.observer_seats <= 1000:
        errors["observer_seats"] = N_("Enter a number from 0 to 1000.")
    try:
        groups = _groups(data.groups)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    assert consultation is not None and data.held_at is not None and data.notice_on is not None
    assert data.materials_on is not None and data.applications_close_on is not None
    held_on = local_date(data.held_at)
    _check_schedule(HearingSchedule(data.notice_on, data.applications_close_on, data.materials_on, held_on), settings)
    if not consultation.starts_on <= held_on <= consultation.ends_on:
        raise ValidationError(
            {
                "held_at": N_(
                    "Hold the hearing while the consultation on the draft runs (%(start)s to %(end)s), so its "
                    "opinions are answered and reported with the comments."
                )
            },
            start=consultation.starts_on.isoformat(),
            end=consultation.ends_on.isoformat(),
        )
    return {
        "consultation": consultation,
        "matter": data.matter.strip(),
        "organiser": data.organiser.strip(),
        "place": data.place.strip(),
        "held_at": data.held_at,
        "notice_on": data.notice_on,
        "materials_on": data.materials_on,
        "applications_close_on": data.applications_close_on,
        "groups": groups,
        "observer_seats": data.observer_seats,
        "how_to_apply": data.how_to_apply.strip()[:2000],
    }


async def create_hearing(
    decision: Decision, data: HearingInput, actor: User, now: datetime, settings: Settings
) -> Hearing:
    """The department prepares the notice; a reviewer publishes it."""
    _require_department(actor, decision)
    if decision.removed_at is not None:
        raise Conflict("This decision was removed from the catalog.")
    fields = await _checked(decision, data, local_date(now), settings)
    return await Hearing.create(decision=decision, **fields, created_by=actor, created_at=now)


async def publish_notice(hearing: Hearing, actor: User, now: datetime, settings: Settings) -> None:
    """先审查后公开. Published later than planned, the notice is public from today, and the lead times
    are checked again from today: a notice too late for its hearing is refused with the dates."""
    decision = await _decision(hearing)
    if not can_review(actor, decision.department_id):
        raise PermissionDenied("Only a reviewer of the department can publish.")
    if hearing.published_at is not None:
        raise Conflict("The notice is already published.")
    assert hearing.notice_on is not None
    notice_on = max(hearing.notice_on, local_date(now))
    schedule = HearingSchedule(
        notice_on, hearing.applications_close_on, hearing.materials_on, local_date(hearing.held_at)
    )
    errors = hearing_schedule_errors(schedule, settings)
    if errors:
        raise ValidationError({"__all__": next(iter(errors.values()))}, **schedule_params(schedule, settings))
    hearing.notice_on, hearing.published_at, hearing.published_by = notice_on, now, actor
    await hearing.save(update_fields=["notice_on", "published_at", "published_by_id"])
    await index_hearing(hearing, local_date(now))


async def apply_to_hearing(hearing: Hearing, data: ApplicationInput, today: date, now: datetime) -> HearingParticipant:
    if not is_public(hearing, today) or not call_of(hearing).is_open(today):
        raise Conflict("Applications for this hearing are not open.")
    participant = await calls.apply(call_of(hearing), data, today, now)
    assert isinstance(participant, HearingParticipant)
    return participant


async def _managed(hearing: Hearing, actor: User) -> Decision:
    decision = await _decision(hearing)
    _require_department(actor, decision)
    return decision


async def select_participant(participant: HearingParticipant, chosen: bool, reason: str, actor: User) -> None:
    hearing = await Hearing.get(id=participant.hearing_id)
    await _managed(hearing, actor)
    if chosen and participant.category != OBSERVER and not participant.declared_not_civil_servant:
        raise Conflict("Serving civil servants cannot be selected as representatives.")
    await calls.select(call_of(hearing), participant, chosen, reason)


async def draw_lottery(
    hearing: Hearing, category: str, actor: User, today: date, now: datetime, seed: str | None = None
) -> HearingDraw:
    """The same public, re-checkable draw as for standing meetings, per interest group."""
    await _managed(hearing, actor)
    record, _ = await calls.draw_lottery(call_of(hearing), category, actor, today, now, seed)
    assert isinstance(record, HearingDraw)
    return record


async def invite(hearing: Hearing, name: str, category: str, organisation: str, actor: User, now: datetime) -> None:
    """An organisation asked to send its representative (行业协会、居委会 …): a seat without applying."""
    await _managed(hearing, actor)
    await calls.invite(call_of(hearing), name, category, organisation, now, call_of(hearing).quotas)


async def publish_participants(hearing: Hearing, actor: User, now: datetime) -> None:
    """The list of representatives and observers is public before the hearing."""
    await _managed(hearing, actor)
    today = local_date(now)
    if hearing.published_at is None or today <= hearing.applications_close_on:
        raise Conflict("The participant list is published after applications close.")
    if today >= local_date(hearing.held_at):
        raise Conflict("The participant list is published before the hearing.")
    if hearing.participants_published_at is not None:
        raise Conflict("The participant list is already published.")
    chosen = HearingParticipant.filter(
        hearing_id=hearing.id, status__in=[ApplicationStatus.SELECTED, ApplicationStatus.INVITED]
    ).exclude(category=OBSERVER)
    if not await chosen.exists():
        raise Conflict("No representative is selected yet.")
    hearing.participants_published_at = now
    await hearing.save(update_fields=["participants_published_at"])
    await index_hearing(hearing, today)


async def record_attendance(participant: HearingParticipant, attended: bool, actor: User, today: date) -> None:
    hearing = await Hearing.get(id=participant.hearing_id)
    await _managed(hearing, actor)
    await calls.record_attendance(participant, attended, local_date(hearing.held_at), today)


async def record_opinion(
    participant: HearingParticipant, body: str, article_id: int | None, actor: User, now: datetime
) -> HearingOpinion:
    """What a representative said, as a comment of the consultation (channel 听证会), published at once
    (the department entered it) and waiting for its answer like every comment."""
    hearing = await Hearing.get(id=participant.hearing_id)
    await _managed(hearing, actor)
    if participant.category == OBSERVER:
        raise Conflict("Observers do not speak at the hearing.")
    if participant.attendance is not Attendance.ATTENDED:
        raise Conflict("Record the attendance first: only attendees' opinions are recorded.")
    consultation = await Consultation.get(id=hearing.consultation_id)
    if article_id is not None and not await Article.filter(id=article_id, draft_id=consultation.draft_id).exists():
        raise ValidationError({"article_id": N_("Choose one of the options.")})
    data = CommentInput(
        body=body,
        category=SubmitterCategory.CITIZEN.value,
        name=participant.name,
        phone=participant.contact_phone,
        email=participant.contact_email,
        article_id=article_id,
    )
    async with in_transaction("default"):
        comment, _ = await submit_comment(
            consultation,
            data,
            now,
            local_date(now),
            channel=Channel.HEARING,
            received_on=local_date(hearing.held_at),
            entered_by=actor,
        )
        opinion = await HearingOpinion.create(participant=participant, comment=comment)
        await moderate_comment(comment, ModerationState.PUBLISHED, actor, now)
    return opinion


async def save_record(hearing: Hearing, record: str, report: str, actor: User, now: datetime) -> None:
    """听证笔录 and 听证报告, written after the hearing; changeable until the report is published."""
    await _managed(hearing, actor)
    if local_date(now) < local_date(hearing.held_at):
        raise Conflict("The record is written once the hearing has taken place.")
    if hearing.report_published_at is not None:
        raise Conflict("The hearing report is published: it is no longer changed.")
    errors = {}
    if len(record) > 200_000:
        errors["record"] = N_("Too long.")
    if len(report) > 50_000:
        errors["report"] = N_("Too long.")
    if errors:
        raise ValidationError(errors)
    hearing.record, hearing.report = record.strip(), report.strip()
    await hearing.save(update_fields=["record", "report"])


async def unanswered_opinions(hearing: Hearing) -> int:
    """Representatives' opinions without a public answer (their own, or their group's)."""
    return (
        await Comment.filter(hearing_opinion__participant__hearing_id=hearing.id, state=ModerationState.PUBLISHED)
        .exclude(answer__published_at__isnull=False)
        .count()
    )


async def publish_report(hearing: Hearing, actor: User, now: datetime) -> None:
    """The report is public with the record once every representative's opinion has its public answer
    (adopted or not, with the reason): what the hearing changed is part of the report."""
    decision = await _decision(hearing)
    if not can_review(actor, decision.department_id):
        raise PermissionDenied("Only a reviewer of the department can publish.")
    if hearing.report_published_at is not None:
        raise Conflict("The hearing report is already published.")
    if not hearing.record or not hearing.report:
        raise ValidationError({"report": N_("Write the hearing record and the report before publishing them.")})
    left = await unanswered_opinions(hearing)
    if left:
        raise ValidationError(
            {"report": N_("%(n)s opinions of the representatives have no published answer yet.")}, n=left
        )
    hearing.report_published_at = now
    await hearing.save(update_fields=["report_published_at"])
    await index_hearing(hearing, local_date(now))
