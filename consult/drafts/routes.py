"""Public consultation pages and attachments; staff pages for drafts, attachments and consultations."""

from __future__ import annotations

from typing import Any, ClassVar

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content
from consult.decisions.guards import decision_for_request, decision_for_staff
from consult.decisions.models import Decision
from consult.drafts.guards import consultation_for_staff, public_consultation_or_404
from consult.drafts.models import (
    Attachment,
    AttachmentBlob,
    AttachmentKind,
    Consultation,
    Draft,
)
from consult.drafts.pages import CONSULTATION_PARAMS, consultation_to_manage, listed_consultations, render_consultation
from consult.drafts.queries import draft_to_manage
from consult.drafts.services import (
    add_attachment,
    close_consultation_early,
    create_consultation,
    create_draft,
    extend_consultation,
    publish_consultation,
    reschedule_consultation,
)
from consult.errors import ValidationError
from consult.forms import dates
from consult.i18n import N_
from consult.procedure.queries import public_attachments
from consult.web import (
    Action,
    ActionPage,
    FormPage,
    current_user,
    file_response,
    form_text,
    get_or_404,
    kept_page,
    page_number,
    redirect,
    render,
    require_user,
    settings_of,
)


async def consultation_list(request: Request) -> Response:
    status = request.query_params.get("status", "open")
    context = await listed_consultations(status, clock.today(), page_number(request))
    return await render(request, "drafts/consultations.html", context)


async def _consultation_page(request: Request) -> Response:
    consultation = await public_consultation_or_404(request.path_params["id"])
    return await render_consultation(request, consultation)


async def consultation_page(request: Request) -> Response:
    return await kept_page(request, CONSULTATION_PARAMS, _consultation_page)


async def consultation_poster(request: Request) -> Response:
    """A printable A4 poster of the consultation, with a QR code of its page (for notice boards)."""
    consultation = await public_consultation_or_404(request.path_params["id"])
    await consultation.fetch_related("draft", "decision__department")
    context = {
        "consultation": consultation,
        "draft": consultation.draft,
        "decision": consultation.decision,
        "url": f"{settings_of(request).base_url}/consultations/{consultation.id}",
    }
    return await render(request, "drafts/poster.html", context)


async def attachment_download(request: Request) -> Response:
    attachment = await get_or_404(Attachment.all().prefetch_related("decision"), id=request.path_params["id"])
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


class NewDraft(FormPage):
    template = "manage/draft_new.html"

    async def load(self, request: Request) -> tuple[User, Decision]:
        return await decision_for_request(request)

    async def context(self, request: Request, target: tuple[User, Decision]) -> dict[str, Any]:
        decision = target[1]
        return {"decision": decision, "values": {"version_label": "征求意见稿", "title": decision.title}}

    async def submit(self, request: Request, target: tuple[User, Decision], form: FormData) -> Response:
        user, decision = target
        texts = (form_text(form, f) for f in ("version_label", "title", "body", "explanation"))
        draft = await create_draft(decision, *texts, user, clock.now())
        return redirect(f"/manage/drafts/{draft.id}")


async def _draft_for_staff(request: Request, draft_id: int) -> tuple[User, Draft]:
    user = await require_user(request)
    draft = await get_or_404(Draft, id=draft_id)
    await decision_for_staff(request, user, draft.decision_id)
    return user, draft


async def _attach(request: Request, target: tuple[User, Draft], form: FormData) -> None:
    user, draft = target
    kind = forms.one_of(form.get("kind"), AttachmentKind, "kind")
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ValidationError({"file": N_("Choose a file to upload.")})
    limit = settings_of(request).max_upload_bytes
    data = await upload.read(limit + 1)
    await add_attachment(await draft.decision, draft, kind, upload.filename or "", data, user, clock.now(), limit)


async def _open_consultation(request: Request, target: tuple[User, Draft], form: FormData) -> Response:
    user, draft = target
    starts_on, ends_on = dates(form, "starts_on", "ends_on")
    settings = settings_of(request)
    consultation = await create_consultation(
        draft,
        starts_on,
        ends_on,
        form_text(form, "short_period_reason"),
        user,
        clock.today(),
        clock.now(),
        settings,
    )
    return redirect(f"/manage/consultations/{consultation.id}")


class DraftPage(ActionPage):
    """A draft's staff page: its articles, attachments, and the consultation opened on it."""

    template = "manage/draft.html"
    actions: ClassVar[dict[str, Action]] = {"attachments": _attach, "consultation": _open_consultation}

    async def load(self, request: Request) -> tuple[User, Draft]:
        self.files = request.url.path.endswith("/attachments")
        return await _draft_for_staff(request, request.path_params["id"])

    async def context(self, request: Request, target: tuple[User, Draft]) -> dict[str, Any]:
        return await draft_to_manage(target[1], settings_of(request))

    def done(self, target: tuple[User, Draft], result: None) -> str:
        return f"/manage/drafts/{target[1].id}"


async def _schedule(request: Request, target: tuple[User, Consultation], form: FormData) -> None:
    user, consultation = target
    starts_on, ends_on = dates(form, "starts_on", "ends_on")
    reason, settings = form_text(form, "short_period_reason"), settings_of(request)
    await reschedule_consultation(consultation, starts_on, ends_on, reason, user, clock.today(), settings)


async def _publish(request: Request, target: tuple[User, Consultation], form: FormData) -> None:
    user, consultation = target
    await publish_consultation(consultation, user, clock.today(), clock.now())


async def _close(request: Request, target: tuple[User, Consultation], form: FormData) -> None:
    user, consultation = target
    await close_consultation_early(consultation, form_text(form, "reason"), user, clock.today(), clock.now())


async def _extend(request: Request, target: tuple[User, Consultation], form: FormData) -> None:
    user, consultation = target
    (new_ends_on,) = dates(form, "new_ends_on")
    await extend_consultation(consultation, new_ends_on, form_text(form, "reason"), user, clock.today(), clock.now())


class ConsultationAdmin(ActionPage):
    """A consultation's staff page; each of its forms posts to /manage/consultations/{id}/{action}."""

    template = "manage/consultation.html"
    actions: ClassVar[dict[str, Action]] = {
        "schedule": _schedule,
        "publish": _publish,
        "close": _close,
        "extend": _extend,
    }

    async def load(self, request: Request) -> tuple[User, Consultation]:
        return await consultation_for_staff(request, request.path_params["id"])

    async def context(self, request: Request, target: tuple[User, Consultation]) -> dict[str, Any]:
        user, consultation = target
        return await consultation_to_manage(consultation, user, settings_of(request), clock.today())

    def done(self, target: tuple[User, Consultation], result: None) -> str:
        return f"/manage/consultations/{target[1].id}"


routes = [
    Route("/consultations/", consultation_list),
    Route("/consultations/{id:int}", consultation_page),
    Route("/consultations/{id:int}/poster", consultation_poster),
    Route("/attachments/{id:int}/{name}", attachment_download),
    Route("/manage/decisions/{id:int}/drafts/new", NewDraft, methods=["GET", "POST"]),
    *DraftPage.routes("/manage/drafts/{id:int}"),
    *ConsultationAdmin.routes("/manage/consultations/{id:int}"),
]
