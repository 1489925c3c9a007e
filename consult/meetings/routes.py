"""Standing meetings: public pages and applications; the office's management; answering opinions."""

from __future__ import annotations

from typing import Any, ClassVar

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.guards import require_admin
from consult.accounts.models import User
from consult.accounts.permissions import is_admin
from consult.comments.receipts import normalise_receipt_code
from consult.decisions.models import Decision
from consult.errors import DomainError, ValidationError
from consult.forms import number
from consult.limits import check_form_limit
from consult.meetings import queries
from consult.meetings.forms import meeting_input
from consult.meetings.models import (
    Attendee,
    AttendeeCategory,
    AttendeeOpinion,
    Meeting,
    MeetingMaterial,
    MeetingTopic,
)
from consult.meetings.services import (
    add_material,
    answer_opinion,
    apply_to_attend,
    art29_summary,
    create_meeting,
    draw_lottery,
    invite,
    record_attendance,
    record_opinion,
    require_opinion_answerer,
    select_attendee,
    set_outcome,
)
from consult.participation.calls import AlreadyApplied
from consult.participation.forms import application_input
from consult.review.models import AnswerStatus
from consult.web import (
    Action,
    ActionPage,
    FormPage,
    file_response,
    form_text,
    form_values,
    get_or_404,
    int_param,
    read_form,
    redirect,
    render,
    require_user,
    settings_of,
)


async def meeting_list(request: Request) -> Response:
    today = clock.today()
    year = int_param(request, "year", 2000, 2100) or today.year
    return await render(request, "meetings/list.html", await queries.meeting_list(year, today, settings_of(request)))


async def _meeting_or_404(meeting_id: int) -> Meeting:
    meeting = await get_or_404(Meeting, id=meeting_id)
    return meeting


class MeetingPage(FormPage):
    """The public meeting page and its application form (to attend for the public, Art.29)."""

    template = "meetings/meeting.html"
    keep_on_expiry = True

    async def load(self, request: Request) -> Meeting:
        return await _meeting_or_404(request.path_params["id"])

    async def context(self, request: Request, meeting: Meeting) -> dict[str, Any]:
        return await queries.public_meeting(meeting, clock.today(), settings_of(request))

    def error_context(self, error: DomainError) -> dict[str, Any]:
        return {"earlier_application": error.receipt_code if isinstance(error, AlreadyApplied) else None}

    async def submit(self, request: Request, meeting: Meeting, form: FormData) -> Response:
        await check_form_limit(request, "application", form_values(form))
        attendee = await apply_to_attend(meeting, application_input(form), clock.today(), clock.now())
        return redirect(f"/meetings/applications/{attendee.receipt_code}?new=1")


async def meeting_poster(request: Request) -> Response:
    """A printable A4 poster of the call for attendees, with a QR code of the meeting's page."""
    meeting = await _meeting_or_404(request.path_params["id"])
    if not meeting.public_attendance:
        raise HTTPException(404)  # no call for attendees to post
    context = {
        "meeting": meeting,
        "topics": await MeetingTopic.filter(meeting_id=meeting.id),
        "url": f"{settings_of(request).base_url}/meetings/{meeting.id}",
    }
    return await render(request, "meetings/poster.html", context)


async def application_page(request: Request) -> Response:
    code = normalise_receipt_code(request.path_params["code"])
    attendee = await get_or_404(Attendee.all().prefetch_related("meeting"), receipt_code=code or "")
    return await render(
        request, "meetings/application.html", {"attendee": attendee, "new": "new" in request.query_params}
    )


async def material(request: Request) -> Response:
    item = await get_or_404(MeetingMaterial, id=request.path_params["mid"], meeting_id=request.path_params["id"])
    return file_response(bytes(item.data), item.filename, item.content_type)


async def topic_summary(request: Request) -> Response:
    """The Art.29 package page: the public's main opinions on the topic and how they were adopted."""
    topic = await MeetingTopic.get_or_none(id=request.path_params["tid"], meeting_id=request.path_params["id"])
    if topic is None or topic.decision_id is None:
        raise HTTPException(404)
    decision = await Decision.get(id=topic.decision_id).prefetch_related("department")
    return await render(
        request,
        "meetings/summary.html",
        {
            "topic": topic,
            "meeting": await topic.meeting,
            "decision": decision,
            "summaries": await art29_summary(decision),
        },
    )


# ---- the office -----------------------------------------------------------------------------------


async def _office(request: Request) -> Any:
    return await require_admin(request, "Only the government office manages standing meetings.")


class ManageMeetings(FormPage):
    template = "manage/meetings.html"

    async def load(self, request: Request) -> User:
        return await _office(request)

    async def context(self, request: Request, user: User) -> dict[str, Any]:
        return await queries.meetings_to_manage()

    async def submit(self, request: Request, user: User, form: FormData) -> Response:
        meeting = await create_meeting(meeting_input(form), user, clock.now())
        return redirect(f"/manage/meetings/{meeting.id}")


async def _attendee(meeting: Meeting, form: FormData) -> Attendee:
    found = await get_or_404(Attendee, id=number(form, "attendee_id"), meeting_id=meeting.id)
    return found


async def _topic(meeting: Meeting, form: FormData) -> MeetingTopic | None:
    return await MeetingTopic.get_or_none(id=number(form, "topic_id"), meeting_id=meeting.id)


async def _select(request: Request, target: tuple[User, Meeting], form: FormData) -> Attendee:
    user, meeting = target
    decision = form_text(form, "decision") == "select"
    attendee = await _attendee(meeting, form)
    await select_attendee(attendee, decision, form_text(form, "reason"), user, clock.now())
    return attendee


async def _lottery(request: Request, target: tuple[User, Meeting], form: FormData) -> None:
    user, meeting = target
    category = forms.one_of(form.get("category"), AttendeeCategory, "category")
    await draw_lottery(meeting, category, user, clock.today(), clock.now())


async def _invite(request: Request, target: tuple[User, Meeting], form: FormData) -> None:
    user, meeting = target
    name, category, organisation = (form_text(form, f) for f in ("name", "category", "organisation"))
    await invite(meeting, name, category, organisation, user, clock.now())


async def _attendance(request: Request, target: tuple[User, Meeting], form: FormData) -> Attendee:
    user, meeting = target
    attendee = await _attendee(meeting, form)
    await record_attendance(attendee, form_text(form, "attended") == "yes", user, clock.today())
    return attendee


async def _opinion(request: Request, target: tuple[User, Meeting], form: FormData) -> Attendee:
    user, meeting = target
    topic = await _topic(meeting, form)
    attendee = await _attendee(meeting, form)
    await record_opinion(attendee, topic, form_text(form, "body"), user, clock.now())
    return attendee


async def _outcome(request: Request, target: tuple[User, Meeting], form: FormData) -> None:
    user, meeting = target
    topic = await _topic(meeting, form)
    if topic is None:
        raise HTTPException(404)
    await set_outcome(topic, form_text(form, "outcome"), user)


async def _material(request: Request, target: tuple[User, Meeting], form: FormData) -> None:
    user, meeting = target
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ValidationError({"file": "Choose a file to upload."})
    limit = settings_of(request).max_upload_bytes
    await add_material(meeting, upload.filename or "", await upload.read(limit + 1), user, clock.now(), limit)


class ManageMeeting(ActionPage):
    """The office's page of one meeting; each of its forms posts to /manage/meetings/{id}/{action}."""

    template = "manage/meeting.html"
    actions: ClassVar[dict[str, Action]] = {
        "select": _select,
        "lottery": _lottery,
        "invite": _invite,
        "attendance": _attendance,
        "opinion": _opinion,
        "outcome": _outcome,
        "materials": _material,
    }

    async def load(self, request: Request) -> tuple[User, Meeting]:
        user = await _office(request)
        self.files = request.url.path.endswith("/materials")
        return user, await _meeting_or_404(request.path_params["id"])

    async def context(self, request: Request, target: tuple[User, Meeting]) -> dict[str, Any]:
        return await queries.meeting_to_manage(target[1], clock.today())

    def done(self, target: tuple[User, Meeting], result: Attendee | None) -> str:
        # After acting on one applicant the list reopens at that row: the office keeps its place.
        anchor = f"#att-{result.id}" if isinstance(result, Attendee) else ""
        return f"/manage/meetings/{target[1].id}{anchor}"


async def opinion_answer(request: Request) -> Response:
    user = await require_user(request)
    opinion = await get_or_404(AttendeeOpinion.all().prefetch_related("attendee"), id=request.path_params["id"])
    await require_opinion_answerer(opinion, user)
    form = await read_form(request)
    field_errors = forms.Errors()
    status = forms.choice(form.get("status"), AnswerStatus, "status", field_errors)
    field_errors.raise_if_any()
    assert status is not None
    await answer_opinion(opinion, status, str(form.get("reason", "")), user, clock.now())
    return redirect(f"/manage/meetings/{opinion.attendee.meeting_id}" if is_admin(user) else "/manage/reviews")


routes = [
    Route("/meetings/", meeting_list),
    Route("/meetings/{id:int}", MeetingPage, methods=["GET"]),
    Route("/meetings/{id:int}/poster", meeting_poster),
    Route("/meetings/{id:int}/applications", MeetingPage, methods=["POST"]),
    Route("/meetings/applications/{code:str}", application_page),
    Route("/meetings/{id:int}/materials/{mid:int}/{name:str}", material),
    Route("/meetings/{id:int}/topics/{tid:int}/summary", topic_summary),
    Route("/manage/meetings", ManageMeetings, methods=["GET", "POST"]),
    *ManageMeeting.routes("/manage/meetings/{id:int}"),
    Route("/manage/opinions/{id:int}/answer", opinion_answer, methods=["POST"]),
]
