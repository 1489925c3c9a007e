"""Standing meetings: the agenda, the call for public attendees, the draw, and their opinions."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content, is_admin
from consult.decisions.models import Decision
from consult.drafts.models import Consultation
from consult.drafts.uploads import check_upload
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.i18n import N_, gettext, language
from consult.meetings.models import (
    Attendance,
    Attendee,
    AttendeeCategory,
    AttendeeOpinion,
    Lottery,
    Meeting,
    MeetingMaterial,
    MeetingTopic,
    OpinionAnswer,
)
from consult.meetings.search import index_meeting
from consult.notify.models import MessageKind
from consult.notify.services import message, queue
from consult.participation import calls
from consult.participation.calls import ApplicationInput, Call
from consult.reports.figures import build_figures
from consult.review.models import AnswerStatus
from consult.review.services import ReviewKind, propose


def _require_office(actor: User) -> None:
    if not is_admin(actor):
        raise PermissionDenied("Only the government office manages standing meetings.")


@dataclass
class MeetingInput:
    number: int
    held_on: date
    place: str = ""
    public_attendance: bool = False
    stream_url: str = ""
    applications_open_on: date | None = None
    applications_close_on: date | None = None
    quotas: dict[str, int] | None = None
    topics: list[tuple[int | None, str]] | None = None


async def create_meeting(data: MeetingInput, actor: User, now: datetime) -> Meeting:
    """The office announces a meeting. With public attendance it needs an application window that
    closes before the meeting, and at least one seat."""
    _require_office(actor)
    errors: dict[str, str] = {}
    if data.number < 1:
        errors["number"] = N_("Enter the meeting's number.")
    if data.stream_url and not re.match(r"^https?://\S+$", data.stream_url):
        errors["stream_url"] = N_("Enter a web address starting with http:// or https://.")
    quotas = {k: v for k, v in (data.quotas or {}).items() if v > 0}
    if any(k not in AttendeeCategory._value2member_map_ for k in quotas):
        errors["quotas"] = N_("Choose one of the options.")
    if data.public_attendance:
        start, end = data.applications_open_on, data.applications_close_on
        if start is None or end is None or end < start:
            errors["applications_close_on"] = N_("Give the application period: it opens before it closes.")
        elif end >= data.held_on:
            errors["applications_close_on"] = N_("Applications must close before the meeting.")
        if not quotas:
            errors["quotas"] = N_("Give at least one seat for public attendees.")
    topics = [(d, t.strip()) for d, t in (data.topics or []) if d or t.strip()]
    if not topics:
        errors["topics"] = N_("Add at least one topic.")
    if errors:
        raise ValidationError(errors)
    decisions = {d.id: d for d in await Decision.filter(id__in=[d for d, _ in topics if d])}
    async with in_transaction("default"):
        try:
            meeting = await Meeting.create(
                number=data.number,
                held_on=data.held_on,
                place=data.place.strip()[:200],
                public_attendance=data.public_attendance,
                stream_url=data.stream_url.strip(),
                applications_open_on=data.applications_open_on if data.public_attendance else None,
                applications_close_on=data.applications_close_on if data.public_attendance else None,
                quotas=quotas if data.public_attendance else {},
                created_by=actor,
                created_at=now,
            )
        except IntegrityError as exc:
            raise ValidationError({"number": N_("This meeting is already listed.")}) from exc
        for seq, (decision_id, title) in enumerate(topics, start=1):
            decision = decisions.get(decision_id) if decision_id else None
            await MeetingTopic.create(
                meeting=meeting, seq=seq, decision=decision, title=(title or (decision.title if decision else ""))[:200]
            )
        await index_meeting(meeting)
    return meeting


async def set_outcome(topic: MeetingTopic, outcome: str, actor: User) -> None:
    _require_office(actor)
    topic.outcome = outcome.strip()[:5000]
    await topic.save(update_fields=["outcome"])
    await index_meeting(await Meeting.get(id=topic.meeting_id))


async def add_material(
    meeting: Meeting, filename: str, data: bytes, actor: User, now: datetime, max_bytes: int
) -> None:
    _require_office(actor)
    name, content_type = check_upload(filename, data, max_bytes)
    await MeetingMaterial.create(
        meeting=meeting,
        filename=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        created_at=now,
    )


def call_of(meeting: Meeting) -> Call:
    """The meeting's call for public attendees, in the shape every call shares."""
    public = meeting.public_attendance
    return Call(
        applicants=Attendee,
        draws=Lottery,
        owner="meeting",
        owner_id=meeting.id,
        opens_on=meeting.applications_open_on if public else None,
        closes_on=meeting.applications_close_on if public else None,
        quotas={k: int(v) for k, v in meeting.quotas.items()},
    )


def applications_open(meeting: Meeting, today: date) -> bool:
    return call_of(meeting).is_open(today)


async def apply_to_attend(meeting: Meeting, data: ApplicationInput, today: date, now: datetime) -> Attendee:
    """报名: within the window, for a category with seats, with the eligibility declarations."""
    if not applications_open(meeting, today):
        raise Conflict("Applications for this meeting are not open.")
    attendee = await calls.apply(call_of(meeting), data, today, now)
    assert isinstance(attendee, Attendee)
    return attendee


async def seats_left(meeting: Meeting, category: AttendeeCategory) -> int:
    return await calls.seats_left(call_of(meeting), category.value)


async def _tell_selected(attendees: list[Attendee], meeting: Meeting, now: datetime) -> None:
    with language("zh"):
        subject = gettext("You are selected to attend standing meeting no. %(n)s", n=meeting.number)
        body = gettext("You are selected to attend the meeting on %(date)s. Details: %(link)s\n")
    await queue(
        message(
            MessageKind.ATTENDEE_SELECTED,
            f"attendee:{a.id}",
            a.contact_email,
            subject,
            body
            % {"date": meeting.held_on.isoformat(), "link": f"{{base_url}}/meetings/applications/{a.receipt_code}"},
            now,
        )
        for a in attendees
        if a.notify_by_email and a.contact_email
    )


async def select_attendee(attendee: Attendee, select: bool, reason: str, actor: User, now: datetime) -> None:
    """Selection by hand needs a recorded reason, and a free seat in the category."""
    _require_office(actor)
    meeting = await Meeting.get(id=attendee.meeting_id)
    async with in_transaction("default"):
        await calls.select(call_of(meeting), attendee, select, reason)
        if select:
            await _tell_selected([attendee], meeting, now)


async def draw_lottery(
    meeting: Meeting, category: AttendeeCategory, actor: User, today: date, now: datetime, seed: str | None = None
) -> Lottery:
    """A public lottery among the category's applicants after the window closes; the losers are told."""
    _require_office(actor)
    async with in_transaction("default"):
        lottery, winners = await calls.draw_lottery(call_of(meeting), category.value, actor, today, now, seed)
        await _tell_selected([w for w in winners if isinstance(w, Attendee)], meeting, now)
    assert isinstance(lottery, Lottery)
    return lottery


async def invite(meeting: Meeting, name: str, category: str, organisation: str, actor: User, now: datetime) -> Attendee:
    _require_office(actor)
    attendee = await calls.invite(call_of(meeting), name, category, organisation, now, AttendeeCategory)
    assert isinstance(attendee, Attendee)
    return attendee


async def record_attendance(attendee: Attendee, attended: bool, actor: User, today: date) -> None:
    _require_office(actor)
    meeting = await Meeting.get(id=attendee.meeting_id)
    await calls.record_attendance(attendee, attended, meeting.held_on, today)


async def record_opinion(
    attendee: Attendee, topic: MeetingTopic | None, body: str, actor: User, now: datetime
) -> AttendeeOpinion:
    _require_office(actor)
    if attendee.attendance is not Attendance.ATTENDED:
        raise Conflict("Record the attendance first: only attendees' opinions are recorded.")
    if topic is not None and topic.meeting_id != attendee.meeting_id:
        raise ValidationError({"topic_id": N_("Choose one of the options.")})
    if not body.strip():
        raise ValidationError({"body": N_("This field is required.")})
    return await AttendeeOpinion.create(
        attendee=attendee, topic=topic, body=body.strip(), recorded_by=actor, recorded_at=now
    )


async def _opinion_department(opinion: AttendeeOpinion) -> int:
    """The lead department of the topic's decision answers; opinions on other topics, the office."""
    if opinion.topic_id is not None:
        topic = await MeetingTopic.get(id=opinion.topic_id).prefetch_related("decision")
        if topic.decision is not None:
            return topic.decision.department_id
    return -1  # no department: only the office qualifies


async def require_opinion_answerer(opinion: AttendeeOpinion, actor: User) -> None:
    """Checked before the form is read, so another department learns nothing from validation."""
    if not can_edit_department_content(actor, await _opinion_department(opinion)):
        raise PermissionDenied("This decision belongs to another department.")


async def answer_opinion(
    opinion: AttendeeOpinion, status: AnswerStatus, reason: str, actor: User, now: datetime
) -> OpinionAnswer:
    await require_opinion_answerer(opinion, actor)
    return await propose(OpinionAnswer, {"opinion": opinion}, status, reason, actor, now)


OPINION_ANSWER = ReviewKind(
    name="opinion_answer",
    model=OpinionAnswer,
    department_path="opinion__topic__decision__department_id",
    related=("opinion__attendee", "opinion__topic"),
)


async def meetings_with_public_held(year: int, today: date) -> int:
    """Meetings of the year already held at which at least one member of the public attended."""
    return (
        await Meeting.filter(
            held_on__gte=date(year, 1, 1),
            held_on__lte=min(date(year, 12, 31), today),
            attendees__attendance=Attendance.ATTENDED,
        )
        .distinct()
        .count()
    )


async def art29_summary(decision: Decision) -> list[dict[str, Any]]:
    """国务院令第713号 Art.29: the public's main opinions and their adoption, for the meeting package.

    Live figures of each published consultation of the decision, from the same builder as the report."""
    summaries = []
    for consultation in await Consultation.filter(decision_id=decision.id, published_at__isnull=False).prefetch_related(
        "draft"
    ):
        summaries.append({"consultation": consultation, "figures": await build_figures(consultation)})
    return summaries
