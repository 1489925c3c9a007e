"""Home page, annual catalogs, decision topic pages; and the office's catalog management."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.models import Department, User
from consult.accounts.permissions import is_admin
from consult.decisions.guards import decision_for_staff
from consult.decisions.models import Catalog, CatalogAdjustment, Decision, DecisionResult
from consult.decisions.pages import render_manage_decision
from consult.decisions.services import (
    DecisionInput,
    add_decision,
    create_catalog,
    publish_catalog,
    remove_decision,
    require_catalog_manager,
    update_decision,
)
from consult.decisions.visibility import public_catalogs, public_decisions
from consult.drafts.models import Consultation
from consult.drafts.services import closed_consultations, consultation_state, days_left, open_consultations
from consult.errors import ValidationError
from consult.meetings.models import Attendee, MeetingTopic, public_attendees
from consult.procedure import queries
from consult.reports.deadline import ReportRule, timeliness
from consult.reports.models import AdoptionReport
from consult.web import read_form, redirect, render, require_user, settings_of, translated_errors
from consult.workdays.services import load_calendar


async def home(request: Request) -> Response:
    today = clock.today()
    open_now = (
        await open_consultations(today)
        .order_by("ends_on", "id")
        .limit(12)
        .prefetch_related("draft", "decision__department")
    )
    recent = (
        await closed_consultations(today)
        .order_by("-ends_on", "-id")
        .limit(6)
        .prefetch_related("draft", "decision__department")
    )
    counts = await queries.comment_counts([c.id for c in [*open_now, *recent]])
    catalog = await public_catalogs().filter(year__lte=today.year).order_by("-year").first()
    decisions = await catalog.decisions.filter(removed_at__isnull=True).count() if catalog else 0
    return await render(
        request,
        "home.html",
        {
            "open_consultations": [(c, days_left(c, today), counts.get(c.id, 0)) for c in open_now],
            "recent": [(c, counts.get(c.id, 0)) for c in recent],
            "catalog": catalog,
            "catalog_size": decisions,
        },
    )


async def catalog_index(request: Request) -> Response:
    catalogs = await public_catalogs().order_by("-year")
    return await render(request, "decisions/catalogs.html", {"catalogs": catalogs})


async def catalog_page(request: Request) -> Response:
    catalog = await queries.public_catalog(request.path_params["year"])
    if catalog is None:
        raise HTTPException(404)
    decisions = await Decision.filter(catalog_id=catalog.id).prefetch_related("department")
    adjustments = await CatalogAdjustment.filter(catalog_id=catalog.id).prefetch_related("decision")
    stages = await queries.stages(decisions, clock.today())
    results = {r.decision_id: r for r in await DecisionResult.filter(decision_id__in=[d.id for d in decisions])}
    return await render(
        request,
        "decisions/catalog.html",
        {"catalog": catalog, "decisions": decisions, "stages": stages, "adjustments": adjustments, "results": results},
    )


async def decision_page(request: Request) -> Response:
    decision = (
        await public_decisions().get_or_none(id=request.path_params["id"]).prefetch_related("department", "catalog")
    )
    if decision is None:
        raise HTTPException(404)
    today = clock.today()
    result = await DecisionResult.get_or_none(decision_id=decision.id)
    reports = []
    if result is not None:
        calendar, rule = await load_calendar(), ReportRule.of(settings_of(request))
        reports = [
            (r, timeliness(calendar, result.issued_on, rule, r.published_at, clock.now()))
            for r in await AdoptionReport.filter(decision_id=decision.id).prefetch_related("consultation__draft")
        ]
    consultations = await Consultation.filter(decision_id=decision.id, published_at__isnull=False).prefetch_related(
        "draft"
    )
    stage = (await queries.stages([decision], today))[decision.id]
    return await render(
        request,
        "decisions/decision.html",
        {
            "decision": decision,
            "stage": stage,
            "timeline": await queries.timeline(decision, decision.catalog),
            "consultations": [(c, consultation_state(c, today)) for c in consultations],
            "attachments": await queries.public_attachments(decision),
            "adjustments": await CatalogAdjustment.filter(decision_id=decision.id),
            "result": result,
            "reports": reports,
            "meeting_topics": await MeetingTopic.filter(decision_id=decision.id).prefetch_related("meeting"),
            "attendees_by_meeting": await _public_attendees(decision.id),
        },
    )


async def _public_attendees(decision_id: int) -> dict[int, list[Attendee]]:
    by_meeting: dict[int, list[Attendee]] = {}
    for attendee in await public_attendees().filter(meeting__topics__decision_id=decision_id).distinct():
        by_meeting.setdefault(attendee.meeting_id, []).append(attendee)
    return by_meeting


# ---- staff --------------------------------------------------------------------------------------


def _decision_input(form: object, errors: forms.Errors) -> DecisionInput:
    get = form.get  # type: ignore[attr-defined]
    data = DecisionInput(
        title=forms.text(get("title"), "title", errors),
        department_id=forms.parse_int(get("department_id"), "department_id", errors) or 0,
        planned_completion=forms.parse_date(get("planned_completion"), "planned_completion", errors) or clock.today(),
        needs_hearing=get("needs_hearing") == "on",
        legal_basis=forms.text(get("legal_basis"), "legal_basis", errors, required=False, max_length=20000),
        background=forms.text(get("background"), "background", errors, required=False, max_length=20000),
    )
    return data


async def manage_catalogs(request: Request) -> Response:
    user = await require_user(request)
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        require_catalog_manager(user)
        form = await read_form(request)
        values = {k: str(v) for k, v in form.items()}
        field_errors = forms.Errors()
        year = forms.parse_int(form.get("year"), "year", field_errors)
        try:
            field_errors.raise_if_any()
            catalog = await create_catalog(
                year or 0, str(form.get("title", "")), str(form.get("introduction", "")), user
            )
            return redirect(f"/manage/catalogs/{catalog.year}")
        except ValidationError as exc:
            errors, status = translated_errors(exc), 422
    catalogs = await Catalog.all().order_by("-year")
    return await render(
        request,
        "manage/catalogs.html",
        {"catalogs": catalogs, "can_create": is_admin(user), "values": values, "errors": errors},
        status_code=status,
    )


async def _catalog_or_404(year: int) -> Catalog:
    catalog = await Catalog.get_or_none(year=year)
    if catalog is None:
        raise HTTPException(404)
    return catalog


async def _render_manage_catalog(
    request: Request,
    user: User,
    catalog: Catalog,
    errors: dict[str, str],
    values: dict[str, str],
    status: int,
) -> Response:
    decisions = await Decision.filter(catalog_id=catalog.id).prefetch_related("department")
    return await render(
        request,
        "manage/catalog.html",
        {
            "catalog": catalog,
            "decisions": decisions,
            "stages": await queries.stages(decisions, clock.today()),
            "departments": await Department.all(),
            "adjustments": await CatalogAdjustment.filter(catalog_id=catalog.id).prefetch_related("decision"),
            "is_admin": is_admin(user),
            "errors": errors,
            "values": values,
        },
        status_code=status,
    )


async def manage_catalog(request: Request) -> Response:
    user = await require_user(request)
    catalog = await _catalog_or_404(request.path_params["year"])
    return await _render_manage_catalog(request, user, catalog, {}, {}, 200)


async def manage_catalog_publish(request: Request) -> Response:
    user = await require_user(request)
    catalog = await _catalog_or_404(request.path_params["year"])
    await read_form(request)
    await publish_catalog(catalog, user, clock.now())
    return redirect(f"/manage/catalogs/{catalog.year}")


async def manage_decision_add(request: Request) -> Response:
    user = await require_user(request)
    catalog = await _catalog_or_404(request.path_params["year"])
    require_catalog_manager(user)
    form = await read_form(request)
    errors = forms.Errors()
    data = _decision_input(form, errors)
    try:
        errors.raise_if_any()
        decision = await add_decision(catalog, data, user, clock.now(), reason=str(form.get("reason", "")))
    except ValidationError as exc:
        values = {k: str(v) for k, v in form.items()}
        return await _render_manage_catalog(request, user, catalog, translated_errors(exc), values, 422)
    return redirect(f"/manage/decisions/{decision.id}")


async def manage_decision(request: Request) -> Response:
    user = await require_user(request)
    decision = await decision_for_staff(request, user, request.path_params["id"])
    if request.method == "GET":
        return await render_manage_decision(request, user, decision, {}, {}, 200)
    form = await read_form(request)
    errors = forms.Errors()
    data = _decision_input(form, errors)
    if not is_admin(user):
        # Department staff edit only the background and legal basis; the catalog fields stay as they are.
        errors.pop("title", None)
        errors.pop("department_id", None)
        errors.pop("planned_completion", None)
    try:
        errors.raise_if_any()
        await update_decision(decision, data, user, clock.now(), reason=str(form.get("reason", "")))
    except ValidationError as exc:
        values = {k: str(v) for k, v in form.items()}
        return await render_manage_decision(request, user, decision, translated_errors(exc), values, 422)
    return redirect(f"/manage/decisions/{decision.id}")


async def manage_decision_remove(request: Request) -> Response:
    user = await require_user(request)
    decision = await decision_for_staff(request, user, request.path_params["id"])
    form = await read_form(request)
    year = decision.catalog.year
    try:
        await remove_decision(decision, user, clock.now(), str(form.get("reason", "")))
    except ValidationError as exc:
        return await render_manage_decision(request, user, decision, translated_errors(exc), {}, 422)
    return redirect(f"/manage/catalogs/{year}")


routes = [
    Route("/", home),
    Route("/catalogs/", catalog_index),
    Route("/catalogs/{year:int}", catalog_page),
    Route("/decisions/{id:int}", decision_page),
    Route("/manage/catalogs/", manage_catalogs, methods=["GET", "POST"]),
    Route("/manage/catalogs/{year:int}", manage_catalog),
    Route("/manage/catalogs/{year:int}/publish", manage_catalog_publish, methods=["POST"]),
    Route("/manage/catalogs/{year:int}/decisions", manage_decision_add, methods=["POST"]),
    Route("/manage/decisions/{id:int}", manage_decision, methods=["GET", "POST"]),
    Route("/manage/decisions/{id:int}/remove", manage_decision_remove, methods=["POST"]),
]
