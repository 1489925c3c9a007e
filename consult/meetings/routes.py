"""Standing meetings: public pages and applications; the office's management; answering opinions."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.guards import require_admin
from consult.accounts.permissions import is_admin
from consult.comments.receipts import normalise_receipt_code
from consult.decisions.models import Decision
from consult.errors import Conflict, ValidationError
from consult.i18n import gettext
from consult.limits import form_wait
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
from consult.meetings.services import (
    LOTTERY_METHOD,
    AlreadyApplied,
    ApplicationInput,
    MeetingInput,
    add_material,
    answer_opinion,
    applications_open,
    apply_to_attend,
    art29_summary,
    create_meeting,
    draw_lottery,
    invite,
    meetings_with_public_held,
    record_attendance,
    record_opinion,
    require_opinion_answerer,
    select_attendee,
    set_outcome,
)
from consult.review.models import AnswerStatus
from consult.web import (
    FORM_EXPIRED,
    FormExpired,
    file_response,
    int_param,
    read_form,
    redirect,
    render,
    require_user,
    settings_of,
    too_many,
    translate,
    translated_errors,
)


async def meeting_list(request: Request) -> Response:
    today = clock.today()
    year = int_param(request, "year", 2000, 2100) or today.year
    meetings = await Meeting.filter(held_on__gte=f"{year}-01-01", held_on__lte=f"{year}-12-31").prefetch_related(
        "topics"
    )
    years = sorted({m.held_on.year for m in await Meeting.all()} | {today.year}, reverse=True)
    return await render(
        request,
        "meetings/list.html",
        {
            "meetings": meetings,
            "year": year,
            "years": years,
            "held_with_public": await meetings_with_public_held(year, today),
            "target": settings_of(request).meetings_target,
            "open_ids": {m.id for m in meetings if applications_open(m, today)},
        },
    )


async def _meeting_or_404(meeting_id: int) -> Meeting:
    meeting = await Meeting.get_or_none(id=meeting_id)
    if meeting is None:
        raise HTTPException(404)
    return meeting


async def _public_context(request: Request, meeting: Meeting) -> dict[str, Any]:
    attendees = await public_attendees().filter(meeting_id=meeting.id)
    opinions = await AttendeeOpinion.filter(attendee_id__in=[a.id for a in attendees]).prefetch_related("topic")
    answers = {
        a.opinion_id: a
        for a in await OpinionAnswer.filter(opinion_id__in=[o.id for o in opinions], published_at__isnull=False)
    }
    settings = settings_of(request)
    return {
        "meeting": meeting,
        "topics": await MeetingTopic.filter(meeting_id=meeting.id).prefetch_related("decision"),
        "attendees": attendees,
        "opinions_by_attendee": {a.id: [o for o in opinions if o.attendee_id == a.id] for a in attendees},
        "opinion_answers": answers,
        "materials": await MeetingMaterial.filter(meeting_id=meeting.id).only("id", "filename", "size", "meeting_id"),
        "lotteries": await Lottery.filter(meeting_id=meeting.id),
        "lottery_method": gettext(LOTTERY_METHOD),
        "open": applications_open(meeting, clock.today()),
        "categories": [c for c in AttendeeCategory if c.value in meeting.quotas],
        "min_age": settings.attendee_min_age,
        "local_years": settings.attendee_local_years,
    }


async def meeting_page(request: Request) -> Response:
    meeting = await _meeting_or_404(request.path_params["id"])
    return await render(request, "meetings/meeting.html", await _public_context(request, meeting))


async def apply(request: Request) -> Response:
    meeting = await _meeting_or_404(request.path_params["id"])
    try:
        form = await read_form(request)
    except FormExpired as expired:
        values = {k: str(v) for k, v in expired.form.items() if k != "csrf_token"}
        context = await _public_context(request, meeting)
        return await render(
            request,
            "meetings/meeting.html",
            {**context, "values": values, "errors": {"__all__": gettext(FORM_EXPIRED)}},
            status_code=422,
        )
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    if (wait := await form_wait(request, "application", values)) is not None:
        context = await _public_context(request, meeting)
        response = await render(
            request,
            "meetings/meeting.html",
            {**context, "values": values, "errors": {"__all__": too_many(wait)}},
            status_code=429,
        )
        response.headers["Retry-After"] = str(wait)
        return response
    try:
        attendee = await apply_to_attend(
            meeting,
            ApplicationInput(
                name=values.get("name", ""),
                category=values.get("category", ""),
                organisation=values.get("organisation", ""),
                statement=values.get("statement", ""),
                phone=values.get("phone", ""),
                email=values.get("email", ""),
                adult=values.get("adult") == "on",
                local=values.get("local") == "on",
                notify_by_email=values.get("notify_by_email") == "on",
            ),
            clock.today(),
            clock.now(),
        )
    except (ValidationError, Conflict) as exc:
        errors = translated_errors(exc) if isinstance(exc, ValidationError) else {"__all__": translate(exc)}
        context = await _public_context(request, meeting)
        earlier = exc.receipt_code if isinstance(exc, AlreadyApplied) else None
        return await render(
            request,
            "meetings/meeting.html",
            {**context, "values": values, "errors": errors, "earlier_application": earlier},
            status_code=exc.status_code,
        )
    return redirect(f"/meetings/applications/{attendee.receipt_code}?new=1")


async def application_page(request: Request) -> Response:
    code = normalise_receipt_code(request.path_params["code"])
    attendee = await Attendee.get_or_none(receipt_code=code or "").prefetch_related("meeting")
    if attendee is None:
        raise HTTPException(404)
    return await render(
        request, "meetings/application.html", {"attendee": attendee, "new": "new" in request.query_params}
    )


async def material(request: Request) -> Response:
    item = await MeetingMaterial.get_or_none(id=request.path_params["mid"], meeting_id=request.path_params["id"])
    if item is None:
        raise HTTPException(404)
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


async def manage_meetings(request: Request) -> Response:
    user = await _office(request)
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = await read_form(request)
        values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        field_errors = forms.Errors()
        number = forms.parse_int(form.get("number"), "number", field_errors)
        held_on = forms.parse_date(form.get("held_on"), "held_on", field_errors)
        public = form.get("public_attendance") == "on"
        open_on = forms.parse_date(
            form.get("applications_open_on"), "applications_open_on", field_errors, required=public
        )
        close_on = forms.parse_date(
            form.get("applications_close_on"), "applications_close_on", field_errors, required=public
        )
        quotas = {
            c.value: forms.parse_int(form.get(f"quota_{c.value}"), f"quota_{c.value}", field_errors, required=False)
            or 0
            for c in AttendeeCategory
        }
        topics = [
            (forms.bounded_int(d), str(t))
            for d, t in zip(form.getlist("topic_decision"), form.getlist("topic_title"), strict=False)
        ]
        try:
            field_errors.raise_if_any()
            assert number is not None and held_on is not None
            meeting = await create_meeting(
                MeetingInput(
                    number=number,
                    held_on=held_on,
                    place=values.get("place", ""),
                    public_attendance=public,
                    stream_url=values.get("stream_url", ""),
                    applications_open_on=open_on,
                    applications_close_on=close_on,
                    quotas=quotas,
                    topics=topics,
                ),
                user,
                clock.now(),
            )
            return redirect(f"/manage/meetings/{meeting.id}")
        except ValidationError as exc:
            errors, status = translated_errors(exc), 422
    return await render(
        request,
        "manage/meetings.html",
        {
            "meetings": await Meeting.all(),
            "decisions": await Decision.filter(removed_at__isnull=True).prefetch_related("catalog"),
            "categories": list(AttendeeCategory),
            "values": values,
            "errors": errors,
        },
        status_code=status,
    )


async def _render_manage_meeting(request: Request, meeting: Meeting, errors: dict[str, str], status: int) -> Response:
    attendees = await Attendee.filter(meeting_id=meeting.id)
    opinions = await AttendeeOpinion.filter(attendee__meeting_id=meeting.id).prefetch_related("topic")
    return await render(
        request,
        "manage/meeting.html",
        {
            "meeting": meeting,
            "topics": await MeetingTopic.filter(meeting_id=meeting.id).prefetch_related("decision"),
            "attendees": attendees,
            "opinions": opinions,
            "answers": {a.opinion_id: a for a in await OpinionAnswer.filter(opinion_id__in=[o.id for o in opinions])},
            "lotteries": await Lottery.filter(meeting_id=meeting.id),
            "categories": list(AttendeeCategory),
            "statuses": list(AnswerStatus),
            "held": clock.today() >= meeting.held_on,
            "errors": errors,
        },
        status_code=status,
    )


async def manage_meeting(request: Request) -> Response:
    await _office(request)
    return await _render_manage_meeting(request, await _meeting_or_404(request.path_params["id"]), {}, 200)


async def manage_meeting_action(request: Request) -> Response:
    user = await _office(request)
    meeting = await _meeting_or_404(request.path_params["id"])
    action = request.path_params["action"]
    form = await read_form(request, files=action == "materials")
    now, today = clock.now(), clock.today()
    field_errors = forms.Errors()

    async def attendee() -> Attendee:
        found = await Attendee.get_or_none(
            id=forms.parse_int(form.get("attendee_id"), "attendee_id", field_errors) or 0, meeting_id=meeting.id
        )
        if found is None:
            raise HTTPException(404)
        return found

    try:
        if action == "select":
            await select_attendee(
                await attendee(), form.get("decision") == "select", str(form.get("reason", "")), user, now
            )
        elif action == "lottery":
            category = forms.choice(form.get("category"), AttendeeCategory, "category", field_errors)
            field_errors.raise_if_any()
            assert category is not None
            await draw_lottery(meeting, category, user, today, now)
        elif action == "invite":
            await invite(
                meeting,
                str(form.get("name", "")),
                str(form.get("category", "")),
                str(form.get("organisation", "")),
                user,
                now,
            )
        elif action == "attendance":
            await record_attendance(await attendee(), form.get("attended") == "yes", user, today)
        elif action == "opinion":
            topic = await MeetingTopic.get_or_none(id=int_param_value(form.get("topic_id")), meeting_id=meeting.id)
            await record_opinion(await attendee(), topic, str(form.get("body", "")), user, now)
        elif action == "outcome":
            topic = await MeetingTopic.get_or_none(id=int_param_value(form.get("topic_id")), meeting_id=meeting.id)
            if topic is None:
                raise HTTPException(404)
            await set_outcome(topic, str(form.get("outcome", "")), user)
        elif action == "materials":
            upload = form.get("file")
            try:
                if not isinstance(upload, UploadFile):
                    raise ValidationError({"file": "Choose a file to upload."})
                data = await upload.read(settings_of(request).max_upload_bytes + 1)
                await add_material(
                    meeting, upload.filename or "", data, user, now, settings_of(request).max_upload_bytes
                )
            finally:
                await form.close()
        else:
            raise HTTPException(404)
    except (ValidationError, Conflict) as exc:
        errors = translated_errors(exc) if isinstance(exc, ValidationError) else {"__all__": translate(exc)}
        return await _render_manage_meeting(request, meeting, errors, exc.status_code)
    return redirect(f"/manage/meetings/{meeting.id}")


def int_param_value(value: object) -> int:
    text = str(value or "")
    return forms.bounded_int(text) or 0


async def opinion_answer(request: Request) -> Response:
    user = await require_user(request)
    opinion = await AttendeeOpinion.get_or_none(id=request.path_params["id"]).prefetch_related("attendee")
    if opinion is None:
        raise HTTPException(404)
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
    Route("/meetings/{id:int}", meeting_page),
    Route("/meetings/{id:int}/applications", apply, methods=["POST"]),
    Route("/meetings/applications/{code:str}", application_page),
    Route("/meetings/{id:int}/materials/{mid:int}/{name:str}", material),
    Route("/meetings/{id:int}/topics/{tid:int}/summary", topic_summary),
    Route("/manage/meetings", manage_meetings, methods=["GET", "POST"]),
    Route("/manage/meetings/{id:int}", manage_meeting),
    Route("/manage/meetings/{id:int}/{action:str}", manage_meeting_action, methods=["POST"]),
    Route("/manage/opinions/{id:int}/answer", opinion_answer, methods=["POST"]),
]
