"""Read-side of standing meetings: what the public pages and the office's pages show."""

from __future__ import annotations

from datetime import date
from typing import Any

from consult.decisions.models import Decision
from consult.i18n import gettext
from consult.meetings.models import (
    Attendee,
    AttendeeCategory,
    AttendeeOpinion,
    Lottery,
    Meeting,
    MeetingMaterial,
    MeetingTopic,
    OpinionAnswer,
    public_attendees,
)
from consult.meetings.services import applications_open, meetings_with_public_held
from consult.participation.calls import LOTTERY_METHOD
from consult.review.models import AnswerStatus
from consult.settings import Settings


async def meeting_list(year: int, today: date, settings: Settings) -> dict[str, Any]:
    meetings = await Meeting.filter(held_on__gte=f"{year}-01-01", held_on__lte=f"{year}-12-31").prefetch_related(
        "topics"
    )
    years = await Meeting.all().values_list("held_on", flat=True)
    return {
        "meetings": meetings,
        "year": year,
        "years": sorted({d.year for d in years} | {today.year}, reverse=True),
        "held_with_public": await meetings_with_public_held(year, today),
        "target": settings.meetings_target,
        "open_ids": {m.id for m in meetings if applications_open(m, today)},
    }


async def public_meeting(meeting: Meeting, today: date, settings: Settings) -> dict[str, Any]:
    """The meeting page: who attends for the public, what they said and how it was taken up (only
    answers a reviewer approved), and the application form while applications are open."""
    attendees = await public_attendees().filter(meeting_id=meeting.id)
    opinions = await AttendeeOpinion.filter(attendee_id__in=[a.id for a in attendees]).prefetch_related("topic")
    answers = await OpinionAnswer.filter(opinion_id__in=[o.id for o in opinions], published_at__isnull=False)
    return {
        "meeting": meeting,
        "topics": await MeetingTopic.filter(meeting_id=meeting.id).prefetch_related("decision"),
        "attendees": attendees,
        "opinions_by_attendee": {a.id: [o for o in opinions if o.attendee_id == a.id] for a in attendees},
        "opinion_answers": {a.opinion_id: a for a in answers},
        "materials": await MeetingMaterial.filter(meeting_id=meeting.id).only("id", "filename", "size", "meeting_id"),
        "lotteries": await Lottery.filter(meeting_id=meeting.id),
        "lottery_method": gettext(LOTTERY_METHOD),
        "open": applications_open(meeting, today),
        "categories": [c for c in AttendeeCategory if c.value in meeting.quotas],
        "min_age": settings.attendee_min_age,
        "local_years": settings.attendee_local_years,
    }


async def meetings_to_manage() -> dict[str, Any]:
    return {
        "meetings": await Meeting.all(),
        "decisions": await Decision.filter(removed_at__isnull=True).prefetch_related("catalog"),
        "categories": list(AttendeeCategory),
    }


async def meeting_to_manage(meeting: Meeting, today: date) -> dict[str, Any]:
    """Everything the office manages for one meeting, applicants' contact details included (staff only)."""
    opinions = await AttendeeOpinion.filter(attendee__meeting_id=meeting.id).prefetch_related("topic")
    answers = await OpinionAnswer.filter(opinion_id__in=[o.id for o in opinions])
    return {
        "meeting": meeting,
        "topics": await MeetingTopic.filter(meeting_id=meeting.id).prefetch_related("decision"),
        "attendees": await Attendee.filter(meeting_id=meeting.id),
        "opinions": opinions,
        "answers": {a.opinion_id: a for a in answers},
        "lotteries": await Lottery.filter(meeting_id=meeting.id),
        "categories": list(AttendeeCategory),
        "statuses": list(AnswerStatus),
        "held": today >= meeting.held_on,
    }
