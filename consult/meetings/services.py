"""Standing meetings: the agenda, the call for public attendees, the draw, and their opinions."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content, is_admin
from consult.comments.receipts import new_receipt_code
from consult.comments.services import EMAIL_RE, PHONE_RE
from consult.decisions.models import Decision
from consult.drafts.models import Consultation
from consult.drafts.uploads import check_upload
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.i18n import N_, gettext, language
from consult.meetings.models import (
    ApplicationStatus,
    Attendance,
    Attendee,
    AttendeeCategory,
    AttendeeOpinion,
    Lottery,
    Meeting,
    MeetingMaterial,
    MeetingTopic,
    OpinionAnswer,
    SelectionMethod,
)
from consult.meetings.search import index_meeting
from consult.meetings.states import check_application, check_attendance
from consult.notify.models import MessageKind
from consult.notify.services import message, queue
from consult.reports.figures import build_figures
from consult.review.models import AnswerStatus
from consult.review.services import ReviewKind, checked_reason, revise

LOTTERY_METHOD = N_(
    "Each candidate's application number is appended to the seed with a colon, e.g. “seed:17”, and "
    "hashed with SHA-256. Candidates are ordered by the hexadecimal hash, lowest first; the first ones "
    "fill the seats."
)


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


def applications_open(meeting: Meeting, today: date) -> bool:
    return (
        meeting.public_attendance
        and meeting.applications_open_on is not None
        and meeting.applications_close_on is not None
        and meeting.applications_open_on <= today <= meeting.applications_close_on
    )


@dataclass
class ApplicationInput:
    name: str
    category: str
    organisation: str = ""
    statement: str = ""
    phone: str = ""
    email: str = ""
    adult: bool = False
    local: bool = False
    notify_by_email: bool = False


ALREADY_APPLIED = N_(
    "This phone number or e-mail address has already applied to attend this meeting: each person applies once."
)


class AlreadyApplied(Conflict):
    """The phone or e-mail already applied to this call. `receipt_code` is the earlier application's, given
    back only to someone who also typed its name: the contact alone must not open a stranger's page."""

    def __init__(self, receipt_code: str | None) -> None:
        super().__init__(ALREADY_APPLIED)
        self.receipt_code = receipt_code


def phone_key(phone: str) -> str | None:
    """13812345678, 138-1234-5678, +86 138 1234 5678 and 8613812345678 are one number."""
    digits = re.sub(r"[\s-]", "", phone)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits or None


def email_key(email: str) -> str | None:
    return email.strip().lower() or None


async def _earlier_application(meeting: Meeting, phone: str | None, email: str | None) -> Attendee | None:
    keys = [Q(phone_key=phone)] if phone else []
    keys += [Q(email_key=email)] if email else []
    if not keys:
        return None
    return await Attendee.filter(Q(*keys, join_type="OR"), meeting_id=meeting.id).first()


async def apply_to_attend(meeting: Meeting, data: ApplicationInput, today: date, now: datetime) -> Attendee:
    """报名: within the window, for a category with seats, with the eligibility declarations."""
    if not applications_open(meeting, today):
        raise Conflict("Applications for this meeting are not open.")
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name or len(name) > 50:
        errors["name"] = N_("Enter your name (it is published if you are selected).")
    if data.category not in meeting.quotas:
        errors["category"] = N_("Choose one of the options.")
    phone, email = re.sub(r"[\s-]", "", data.phone.strip()), data.email.strip()
    if not phone and not email:
        errors["contact"] = N_("Enter a phone number or an e-mail address, so the department can reach you.")
    if phone and not PHONE_RE.match(phone):
        errors["phone"] = N_("Enter a mobile number (11 digits) or a landline with its area code.")
    if email and (len(email) > 200 or not EMAIL_RE.match(email)):
        errors["email"] = N_("Enter a valid e-mail address.")
    if len(phone) > 40:
        errors["phone"] = N_("Enter a mobile number (11 digits) or a landline with its area code.")
    if not data.statement.strip():
        errors["statement"] = N_("Say briefly what you want to say at the meeting.")
    elif len(data.statement) > 2000:
        errors["statement"] = N_("Too long.")
    if not (data.adult and data.local):
        errors["eligibility"] = N_("Applicants must confirm both eligibility conditions.")
    if errors:
        raise ValidationError(errors)
    keys = phone_key(phone), email_key(email)
    earlier = await _earlier_application(meeting, *keys)
    if earlier is None:
        try:
            return await Attendee.create(
                meeting=meeting,
                name=name,
                category=AttendeeCategory(data.category),
                organisation=data.organisation.strip()[:100],
                statement=data.statement.strip(),
                contact_phone=phone,
                contact_email=email,
                phone_key=keys[0],
                email_key=keys[1],
                notify_by_email=data.notify_by_email and bool(email),
                receipt_code=new_receipt_code(),
                created_at=now,
            )
        except IntegrityError:  # the same person's second click, a moment earlier
            earlier = await _earlier_application(meeting, *keys)
            if earlier is None:
                raise
    raise AlreadyApplied(earlier.receipt_code if earlier.name == name else None)


async def seats_left(meeting: Meeting, category: AttendeeCategory) -> int:
    taken = await Attendee.filter(
        meeting_id=meeting.id, category=category, status__in=[ApplicationStatus.SELECTED, ApplicationStatus.INVITED]
    ).count()
    return int(meeting.quotas.get(category.value, 0)) - taken


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
    target = ApplicationStatus.SELECTED if select else ApplicationStatus.NOT_SELECTED
    check_application(attendee.status, target)
    if not reason.strip():
        raise ValidationError({"reason": N_("Record why this applicant is or is not selected.")})
    if select and await seats_left(meeting, attendee.category) <= 0:
        raise Conflict("No seat is left in this category.")
    attendee.status = target
    attendee.selection_method = SelectionMethod.MANUAL
    attendee.selection_reason = reason.strip()
    async with in_transaction("default"):
        await attendee.save(update_fields=["status", "selection_method", "selection_reason"])
        if select:
            await _tell_selected([attendee], meeting, now)


def distinct_people(applications: list[Attendee]) -> list[int]:
    """One ticket per person: the earliest application of each phone and of each e-mail address."""
    seen: set[str] = set()
    tickets = []
    for application in applications:
        keys = {f"p:{k}" for k in [phone_key(application.contact_phone)] if k}
        keys |= {f"e:{k}" for k in [email_key(application.contact_email)] if k}
        if keys & seen:
            continue
        seen |= keys
        tickets.append(application.id)
    return tickets


def draw(seed: str, candidates: list[int], seats: int) -> list[int]:
    """The published method, as code: order by SHA-256("seed:number"), take the first `seats`."""
    ordered = sorted(candidates, key=lambda n: hashlib.sha256(f"{seed}:{n}".encode()).hexdigest())
    return sorted(ordered[: max(seats, 0)])


async def draw_lottery(
    meeting: Meeting, category: AttendeeCategory, actor: User, today: date, now: datetime, seed: str | None = None
) -> Lottery:
    """A public lottery among the category's applicants after the window closes; the losers are told."""
    _require_office(actor)
    if meeting.applications_close_on is None or today <= meeting.applications_close_on:
        raise Conflict("The draw takes place after applications close.")
    seats = await seats_left(meeting, category)
    applied = await Attendee.filter(
        meeting_id=meeting.id, category=category, status=ApplicationStatus.APPLIED
    ).order_by("id")
    candidates = distinct_people(applied)
    if not candidates:
        raise Conflict("There is no applicant to draw from in this category.")
    seed = seed or secrets.token_hex(16)
    winners = draw(seed, candidates, seats)
    async with in_transaction("default"):
        lottery = await Lottery.create(
            meeting=meeting,
            category=category,
            seed=seed,
            seats=seats,
            candidates=candidates,
            winners=winners,
            drawn_by=actor,
            drawn_at=now,
        )
        await Attendee.filter(id__in=winners).update(
            status=ApplicationStatus.SELECTED, selection_method=SelectionMethod.LOTTERY
        )
        await Attendee.filter(id__in=[a.id for a in applied if a.id not in winners]).update(
            status=ApplicationStatus.NOT_SELECTED, selection_method=SelectionMethod.LOTTERY
        )
        await _tell_selected(await Attendee.filter(id__in=winners), meeting, now)
    return lottery


async def invite(meeting: Meeting, name: str, category: str, organisation: str, actor: User, now: datetime) -> Attendee:
    _require_office(actor)
    if not name.strip():
        raise ValidationError({"name": N_("Enter the person's name.")})
    if category not in AttendeeCategory._value2member_map_:
        raise ValidationError({"category": N_("Choose one of the options.")})
    return await Attendee.create(
        meeting=meeting,
        name=name.strip()[:50],
        category=AttendeeCategory(category),
        organisation=organisation.strip()[:100],
        receipt_code=new_receipt_code(),
        status=ApplicationStatus.INVITED,
        selection_method=SelectionMethod.INVITATION,
        created_at=now,
    )


async def record_attendance(attendee: Attendee, attended: bool, actor: User, today: date) -> None:
    _require_office(actor)
    meeting = await Meeting.get(id=attendee.meeting_id)
    if today < meeting.held_on:
        raise Conflict("Attendance is recorded once the meeting has taken place.")
    attendance = Attendance.ATTENDED if attended else Attendance.ABSENT
    check_attendance(attendee.status, attendance)
    attendee.attendance = attendance
    await attendee.save(update_fields=["attendance"])


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
    answer = await OpinionAnswer.get_or_none(opinion_id=opinion.id)
    if answer is None:
        reason = checked_reason(status, reason)
        return await OpinionAnswer.create(
            opinion=opinion, status=status, reason=reason, answered_by=actor, answered_at=now
        )
    revise(answer, status, reason, actor, now)
    await answer.save()
    return answer


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
