"""Public consultation pages and attachments; staff pages for drafts, attachments and consultations."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.permissions import can_edit_department_content, can_review
from consult.answers import queries as answer_queries
from consult.comments import queries as comment_queries
from consult.decisions.guards import decision_for_staff
from consult.drafts.guards import consultation_for_staff, public_consultation_or_404
from consult.drafts.models import (
    Article,
    Attachment,
    AttachmentBlob,
    AttachmentKind,
    Consultation,
    ConsultationEvent,
    Draft,
)
from consult.drafts.pages import render_consultation
from consult.drafts.services import (
    ConsultationState,
    add_attachment,
    close_consultation_early,
    closed_consultations,
    consultation_state,
    create_consultation,
    create_draft,
    days_left,
    extend_consultation,
    open_consultations,
    period_days,
    public_consultations,
    publish_consultation,
    reschedule_consultation,
)
from consult.errors import ValidationError
from consult.i18n import N_
from consult.procedure.queries import comment_counts, public_attachments
from consult.web import (
    current_user,
    file_response,
    page_number,
    paginate,
    read_form,
    redirect,
    render,
    require_user,
    settings_of,
    translated_errors,
)


async def consultation_list(request: Request) -> Response:
    today = clock.today()
    status = request.query_params.get("status", "open")
    if status == "closed":
        queryset = closed_consultations(today).order_by("-ends_on", "-id")
    elif status == "all":
        queryset = public_consultations().order_by("-starts_on", "-id")
    else:
        status = "open"
        queryset = open_consultations(today).order_by("ends_on", "id")
    page = await paginate(queryset.prefetch_related("draft", "decision__department"), page_number(request), 20)
    counts = await comment_counts([c.id for c in page.items])
    return await render(
        request,
        "drafts/consultations.html",
        {
            "status": status,
            "page": page,
            "rows": [(c, consultation_state(c, today), days_left(c, today), counts.get(c.id, 0)) for c in page.items],
        },
    )


async def consultation_page(request: Request) -> Response:
    consultation = await public_consultation_or_404(request.path_params["id"])
    return await render_consultation(request, consultation)


async def attachment_download(request: Request) -> Response:
    attachment = await Attachment.get_or_none(id=request.path_params["id"]).prefetch_related("decision")
    if attachment is None:
        raise HTTPException(404)
    public = [a.id for a in await public_attachments(attachment.decision)]
    if attachment.id not in public:
        # Not yet public: only the department (and the office) may see it; anyone else gets the same
        # 404 as for a file that does not exist, not a login page that confirms it does.
        user = await current_user(request)
        if user is None or not can_edit_department_content(user, attachment.decision.department_id):
            raise HTTPException(404)
    blob = await AttachmentBlob.get(attachment_id=attachment.id)
    return file_response(bytes(blob.data), attachment.filename, attachment.content_type, public=attachment.id in public)


# ---- staff --------------------------------------------------------------------------------------


async def manage_draft_new(request: Request) -> Response:
    user = await require_user(request)
    decision = await decision_for_staff(request, user, request.path_params["id"])
    errors: dict[str, str] = {}
    values: dict[str, str] = {"version_label": "征求意见稿", "title": decision.title}
    status = 200
    if request.method == "POST":
        form = await read_form(request)
        values = {k: str(v) for k, v in form.items()}
        try:
            draft = await create_draft(
                decision,
                values.get("version_label", ""),
                values.get("title", ""),
                values.get("body", ""),
                values.get("explanation", ""),
                user,
                clock.now(),
            )
            return redirect(f"/manage/drafts/{draft.id}")
        except ValidationError as exc:
            errors, status = translated_errors(exc), 422
    return await render(
        request,
        "manage/draft_new.html",
        {"decision": decision, "values": values, "errors": errors},
        status_code=status,
    )


async def _draft_for_staff(request: Request, draft_id: int) -> tuple[Any, Draft]:
    user = await require_user(request)
    draft = await Draft.get_or_none(id=draft_id)
    if draft is None:
        raise HTTPException(404)
    await decision_for_staff(request, user, draft.decision_id)
    return user, draft


async def _render_manage_draft(
    request: Request, draft: Draft, errors: dict[str, str], values: dict[str, str], status: int
) -> Response:
    decision = await draft.decision.prefetch_related("department")
    settings = settings_of(request)
    return await render(
        request,
        "manage/draft.html",
        {
            "decision": decision,
            "draft": draft,
            "articles": await Article.filter(draft_id=draft.id),
            "attachments": await Attachment.filter(draft_id=draft.id),
            "consultation": await Consultation.get_or_none(draft_id=draft.id),
            "attachment_kinds": list(AttachmentKind),
            "max_mb": settings.max_upload_bytes // (1024 * 1024),
            "min_days": settings.min_consultation_days,
            "errors": errors,
            "values": values,
        },
        status_code=status,
    )


async def manage_draft(request: Request) -> Response:
    _, draft = await _draft_for_staff(request, request.path_params["id"])
    return await _render_manage_draft(request, draft, {}, {}, 200)


async def manage_attachment_upload(request: Request) -> Response:
    user, draft = await _draft_for_staff(request, request.path_params["id"])
    form = await read_form(request, files=True)
    try:
        upload = form.get("file")
        errors = forms.Errors()
        kind = forms.choice(form.get("kind"), AttachmentKind, "kind", errors)
        errors.raise_if_any()
        if not isinstance(upload, UploadFile):
            raise ValidationError({"file": N_("Choose a file to upload.")})
        data = await upload.read(settings_of(request).max_upload_bytes + 1)
        decision = await draft.decision
        await add_attachment(
            decision,
            draft,
            kind or AttachmentKind.OTHER,
            upload.filename or "",
            data,
            user,
            clock.now(),
            settings_of(request).max_upload_bytes,
        )
    except ValidationError as exc:
        return await _render_manage_draft(request, draft, translated_errors(exc), {}, 422)
    finally:
        await form.close()
    return redirect(f"/manage/drafts/{draft.id}")


async def manage_consultation_new(request: Request) -> Response:
    user, draft = await _draft_for_staff(request, request.path_params["id"])
    form = await read_form(request)
    errors = forms.Errors()
    starts_on = forms.parse_date(form.get("starts_on"), "starts_on", errors)
    ends_on = forms.parse_date(form.get("ends_on"), "ends_on", errors)
    values = {k: str(v) for k, v in form.items()}
    try:
        errors.raise_if_any()
        assert starts_on and ends_on
        consultation = await create_consultation(
            draft,
            starts_on,
            ends_on,
            values.get("short_period_reason", ""),
            user,
            clock.today(),
            clock.now(),
            settings_of(request).min_consultation_days,
        )
    except ValidationError as exc:
        return await _render_manage_draft(request, draft, translated_errors(exc), values, 422)
    return redirect(f"/manage/consultations/{consultation.id}")


async def _render_manage_consultation(
    request: Request,
    user: Any,
    consultation: Consultation,
    errors: dict[str, str],
    values: dict[str, str],
    status: int,
) -> Response:
    today = clock.today()
    return await render(
        request,
        "manage/consultation.html",
        {
            "consultation": consultation,
            "decision": consultation.decision,
            "draft": consultation.draft,
            "state": consultation_state(consultation, today),
            "states": ConsultationState,
            "days_left": days_left(consultation, today),
            "period_days": period_days(consultation.starts_on, consultation.ends_on),
            "min_days": settings_of(request).min_consultation_days,
            "events": await ConsultationEvent.filter(consultation_id=consultation.id),
            "counts": await comment_queries.counts_by_state(consultation.id),
            "awaiting_review": await answer_queries.awaiting_review_count(consultation.id),
            "can_publish": can_review(user, consultation.decision.department_id),
            "errors": errors,
            "values": values,
        },
        status_code=status,
    )


async def manage_consultation(request: Request) -> Response:
    user, consultation = await consultation_for_staff(request, request.path_params["id"])
    return await _render_manage_consultation(request, user, consultation, {}, {}, 200)


async def manage_consultation_action(request: Request) -> Response:
    """One endpoint per form on the page: schedule, publish, close, extend."""
    user, consultation = await consultation_for_staff(request, request.path_params["id"])
    action = request.url.path.rsplit("/", 1)[-1]
    form = await read_form(request)
    values = {k: str(v) for k, v in form.items()}
    today, now = clock.today(), clock.now()
    min_days = settings_of(request).min_consultation_days
    errors = forms.Errors()
    try:
        if action == "schedule":
            starts_on = forms.parse_date(form.get("starts_on"), "starts_on", errors)
            ends_on = forms.parse_date(form.get("ends_on"), "ends_on", errors)
            errors.raise_if_any()
            assert starts_on and ends_on
            await reschedule_consultation(
                consultation, starts_on, ends_on, values.get("short_period_reason", ""), user, today, min_days
            )
        elif action == "publish":
            await publish_consultation(consultation, user, today, now)
        elif action == "close":
            await close_consultation_early(consultation, values.get("reason", ""), user, today, now)
        elif action == "extend":
            new_ends_on = forms.parse_date(form.get("new_ends_on"), "new_ends_on", errors)
            errors.raise_if_any()
            assert new_ends_on
            await extend_consultation(consultation, new_ends_on, values.get("reason", ""), user, today, now)
        else:
            raise HTTPException(404)
    except ValidationError as exc:
        return await _render_manage_consultation(request, user, consultation, translated_errors(exc), values, 422)
    return redirect(f"/manage/consultations/{consultation.id}")


routes = [
    Route("/consultations/", consultation_list),
    Route("/consultations/{id:int}", consultation_page),
    Route("/attachments/{id:int}/{name}", attachment_download),
    Route("/manage/decisions/{id:int}/drafts/new", manage_draft_new, methods=["GET", "POST"]),
    Route("/manage/drafts/{id:int}", manage_draft),
    Route("/manage/drafts/{id:int}/attachments", manage_attachment_upload, methods=["POST"]),
    Route("/manage/drafts/{id:int}/consultation", manage_consultation_new, methods=["POST"]),
    Route("/manage/consultations/{id:int}", manage_consultation),
    *[
        Route(f"/manage/consultations/{{id:int}}/{action}", manage_consultation_action, methods=["POST"])
        for action in ("schedule", "publish", "close", "extend")
    ],
]
