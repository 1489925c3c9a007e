"""Login and logout; the staff home; the office's department and user management."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.functions import Count

from consult import clock, forms
from consult.accounts.guards import require_admin
from consult.accounts.models import Department, Role, User
from consult.accounts.permissions import is_admin
from consult.accounts.services import (
    TooManyAttempts,
    authenticate,
    create_department,
    create_user,
    end_session,
    reset_password,
    set_user_active,
    start_session,
)
from consult.answers.models import Answer
from consult.audit.services import record_event
from consult.comments.models import Comment, ModerationState
from consult.decisions.models import Decision, DecisionResult
from consult.drafts.models import Consultation
from consult.drafts.services import consultation_state, days_left
from consult.errors import ValidationError
from consult.reports.deadline import ReportRule, timeliness
from consult.reports.models import AdoptionReport
from consult.review.models import ReviewState
from consult.web import (
    SESSION_COOKIE,
    client_address,
    current_user,
    read_form,
    redirect,
    render,
    require_user,
    rotate_csrf,
    settings_of,
    translate,
    translated_errors,
)
from consult.workdays.services import load_calendar


def _safe_next(target: str) -> str:
    # Only local paths: an attacker's link must not bounce a fresh login to another site.
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/manage/"


async def login(request: Request) -> Response:
    settings = settings_of(request)
    next_url = _safe_next(request.query_params.get("next", "/manage/"))
    if request.method == "GET":
        if await current_user(request):
            return redirect(next_url)
        return await render(request, "accounts/login.html", {"next": next_url, "username": ""})
    form = await read_form(request)
    next_url = _safe_next(str(form.get("next", "/manage/")))
    username = str(form.get("username", ""))
    address = client_address(request)
    try:
        user = await authenticate(
            username,
            str(form.get("password", "")),
            address,
            clock.now(),
            settings.login_max_failures,
            settings.login_window_seconds,
        )
    except (ValidationError, TooManyAttempts) as exc:
        if isinstance(exc, ValidationError):
            # Only a checked, wrong password: a try refused by the delay is not written, so a guesser
            # hammering the form cannot grow the append-only log faster than the delays allow.
            await record_event(
                "login failed",
                clock.now(),
                status=exc.status_code,
                details={"username": username[:50], "address": address},
            )
        response = await render(
            request,
            "accounts/login.html",
            {"next": next_url, "username": username, "errors": {"__all__": translate(exc)}},
            status_code=exc.status_code,
        )
        if isinstance(exc, TooManyAttempts):
            response.headers["Retry-After"] = str(exc.params["seconds"])
        return response
    await end_session(request.cookies.get(SESSION_COOKIE))
    token = await start_session(user, clock.now(), settings.session_days)
    rotate_csrf(request)
    await record_event("login", clock.now(), actor=user, details={"address": address})
    response = redirect(next_url)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.https,
    )
    return response


async def logout(request: Request) -> Response:
    await read_form(request)
    user = await current_user(request)
    await end_session(request.cookies.get(SESSION_COOKIE))
    rotate_csrf(request)
    if user is not None:
        await record_event("logout", clock.now(), actor=user)
    response = redirect("/")
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=settings_of(request).https)
    return response


async def manage_home(request: Request) -> Response:
    """What needs doing, for the user's department (the office sees every department)."""
    user = await require_user(request)
    today = clock.today()
    decisions = Decision.filter(removed_at__isnull=True)
    if not is_admin(user):
        decisions = decisions.filter(department_id=user.department_id)
    decision_list = await decisions.order_by("-catalog__year", "seq").prefetch_related("department", "catalog")
    consultations = await Consultation.filter(decision_id__in=[d.id for d in decision_list]).prefetch_related(
        "draft", "decision"
    )
    ids = [c.id for c in consultations]
    pending = await _count_by_consultation(Comment.filter(consultation_id__in=ids, state=ModerationState.PENDING))
    unanswered = await _count_by_consultation(
        Comment.filter(consultation_id__in=ids, state=ModerationState.PUBLISHED, answer__id__isnull=True)
    )
    reviews = await Answer.filter(comment__consultation_id__in=ids, review_state=ReviewState.PENDING).count()
    rows = [
        (c, consultation_state(c, today), days_left(c, today), pending.get(c.id, 0), unanswered.get(c.id, 0))
        for c in consultations
    ]
    results = {r.decision_id: r for r in await DecisionResult.filter(decision_id__in=[d.id for d in decision_list])}
    calendar = await load_calendar()
    waiting = [
        (
            report,
            timeliness(
                calendar, results[report.decision_id].issued_on, ReportRule.of(settings_of(request)), None, clock.now()
            ),
        )
        for report in await AdoptionReport.filter(
            decision_id__in=list(results), published_at__isnull=True
        ).prefetch_related("consultation__draft")
    ]
    return await render(
        request,
        "manage/home.html",
        {
            "decisions": decision_list,
            "rows": rows,
            "reviews": reviews,
            "is_admin": is_admin(user),
            "waiting_reports": waiting,
        },
    )


async def _count_by_consultation(queryset: object) -> dict[int, int]:
    rows = await queryset.annotate(n=Count("id")).group_by("consultation_id").values("consultation_id", "n")  # type: ignore[attr-defined]
    return {row["consultation_id"]: row["n"] for row in rows}


async def _admin(request: Request) -> User:
    return await require_admin(request, "Only the government office manages departments and users.")


async def manage_departments(request: Request) -> Response:
    user = await _admin(request)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = await read_form(request)
        try:
            await create_department(str(form.get("name", "")), user)
            return redirect("/manage/departments")
        except ValidationError as exc:
            errors, status = translated_errors(exc), 422
    departments = await Department.all().annotate(n=Count("users"))
    return await render(
        request, "manage/departments.html", {"departments": departments, "errors": errors}, status_code=status
    )


async def manage_users(request: Request) -> Response:
    user = await _admin(request)
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = await read_form(request)
        values = {k: str(v) for k, v in form.items() if k not in ("password", "csrf_token")}
        field_errors = forms.Errors()
        role = forms.choice(form.get("role"), Role, "role", field_errors)
        department_id = forms.parse_int(form.get("department_id"), "department_id", field_errors, required=False)
        try:
            field_errors.raise_if_any()
            assert role is not None
            department = await Department.get_or_none(id=department_id) if department_id else None
            await create_user(
                str(form.get("username", "")).strip(),
                str(form.get("password", "")),
                role,
                str(form.get("display_name", "")),
                department,
                user,
            )
            return redirect("/manage/users")
        except ValidationError as exc:
            errors, status = translated_errors(exc), 422
    return await render(
        request,
        "manage/users.html",
        {
            "users": await User.all().prefetch_related("department"),
            "departments": await Department.all(),
            "roles": list(Role),
            "errors": errors,
            "values": values,
        },
        status_code=status,
    )


async def manage_user_action(request: Request) -> Response:
    actor = await _admin(request)
    target = await User.get_or_none(id=request.path_params["id"])
    if target is None:
        raise HTTPException(404)
    form = await read_form(request)
    action = str(form.get("action", ""))
    if action in ("activate", "deactivate"):
        await set_user_active(target, action == "activate", actor)
    elif action == "password":
        await reset_password(target, str(form.get("password", "")), actor)
    else:
        raise HTTPException(400)
    return redirect("/manage/users")


routes = [
    Route("/login", login, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/manage/", manage_home),
    Route("/manage/departments", manage_departments, methods=["GET", "POST"]),
    Route("/manage/users", manage_users, methods=["GET", "POST"]),
    Route("/manage/users/{id:int}", manage_user_action, methods=["POST"]),
]
