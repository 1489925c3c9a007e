"""The procedure before the decision: hearing pages and applications for the public, step documents,
and the department's forms (steps on the decision's page, a hearing's own staff page)."""

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
from consult.comments.receipts import normalise_receipt_code
from consult.decisions.guards import decision_for_staff
from consult.decisions.models import Decision
from consult.decisions.pages import DecisionAdminPage
from consult.decisions.visibility import public_decisions
from consult.deliberation import queries
from consult.deliberation.forms import hearing_input, step_input
from consult.deliberation.hearings import (
    apply_to_hearing,
    create_hearing,
    draw_lottery,
    invite,
    is_public,
    publish_notice,
    publish_participants,
    publish_report,
    record_attendance,
    record_opinion,
    save_record,
    select_participant,
)
from consult.deliberation.models import Hearing, HearingParticipant, ProcedureStep, StepDocument
from consult.deliberation.steps import add_step_document, publish_step, record_step
from consult.deliberation.visibility import public_steps
from consult.drafts.uploads import Upload
from consult.errors import DomainError, ValidationError
from consult.limits import check_form_limit
from consult.participation.calls import AlreadyApplied
from consult.participation.forms import application_input
from consult.web import (
    ActionPage,
    FormPage,
    current_user,
    file_response,
    form_text,
    form_values,
    get_or_404,
    redirect,
    render,
    require_user,
    settings_of,
)
from consult.workdays.services import load_calendar


async def hearing_list(request: Request) -> Response:
    return await render(request, "deliberation/hearings.html", await queries.hearing_list(clock.today()))


async def _public_hearing(hearing_id: int) -> Hearing:
    hearing = await get_or_404(Hearing, id=hearing_id)
    if not is_public(hearing, clock.today()) or not await public_decisions().filter(id=hearing.decision_id).exists():
        raise HTTPException(404)
    return hearing


class HearingPage(FormPage):
    """The hearing's notice and, while applications are open, the form to apply as a representative of
    an interest group or as an observer."""

    template = "deliberation/hearing.html"
    keep_on_expiry = True

    async def load(self, request: Request) -> Hearing:
        return await _public_hearing(request.path_params["id"])

    async def context(self, request: Request, hearing: Hearing) -> dict[str, Any]:
        return await queries.public_hearing(hearing, clock.today(), settings_of(request))

    def error_context(self, error: DomainError) -> dict[str, Any]:
        return {"earlier_application": error.receipt_code if isinstance(error, AlreadyApplied) else None}

    async def submit(self, request: Request, hearing: Hearing, form: FormData) -> Response:
        await check_form_limit(request, "application", form_values(form))
        participant = await apply_to_hearing(hearing, application_input(form), clock.today(), clock.now())
        return redirect(f"/hearings/applications/{participant.receipt_code}?new=1")


async def application_page(request: Request) -> Response:
    code = normalise_receipt_code(request.path_params["code"]) or ""
    participant = await get_or_404(HearingParticipant.all().prefetch_related("hearing"), receipt_code=code)
    context = {"participant": participant, "new": "new" in request.query_params}
    return await render(request, "deliberation/application.html", context)


async def step_document(request: Request) -> Response:
    """A step's document: public with its published step, otherwise only to the department."""
    doc = await get_or_404(StepDocument.all().prefetch_related("step__decision"), id=request.path_params["did"])
    step = doc.step
    if step.id != request.path_params["sid"] or step.decision_id != request.path_params["id"]:
        raise HTTPException(404)
    public = await public_steps().filter(id=step.id).exists()
    if not public:
        user = await current_user(request)
        if user is None or not can_edit_department_content(user, step.decision.department_id):
            raise HTTPException(404)
    return file_response(bytes(doc.data), doc.filename, doc.content_type, public=public)


# ---- the department -------------------------------------------------------------------------------


def _prefixed(exc: ValidationError, prefix: str) -> ValidationError:
    """The decision's page holds several forms: each names its fields with its own prefix."""
    return ValidationError({k if k == "__all__" else prefix + k: v for k, v in exc.errors.items()}, **exc.params)


class ProcedureForms(DecisionAdminPage):
    """POST /manage/decisions/{id}/steps and .../hearings: shown again on the decision's page if refused."""

    prefixes: ClassVar[dict[str, str]] = {"steps": "p_", "hearings": "h_"}

    async def submit(self, request: Request, target: tuple[User, Decision], form: FormData) -> Response:
        user, decision = target
        section = request.url.path.rsplit("/", 1)[-1]
        settings = settings_of(request)
        try:
            if section == "steps":
                await record_step(decision, step_input(form), user, clock.now(), await load_calendar(), settings)
            else:
                await create_hearing(decision, hearing_input(form), user, clock.now(), settings)
        except ValidationError as exc:
            raise _prefixed(exc, self.prefixes[section]) from exc
        return redirect(f"/manage/decisions/{decision.id}#procedure")


class StepActions(DecisionAdminPage):
    """POST /manage/steps/{id}/publish (a reviewer) and /manage/steps/{id}/documents (the department)."""

    async def load(self, request: Request) -> tuple[User, Decision]:
        user = await require_user(request)
        self.step = await get_or_404(ProcedureStep, id=request.path_params["id"])
        self.files = request.url.path.endswith("/documents")
        return user, await decision_for_staff(request, user, self.step.decision_id)

    async def submit(self, request: Request, target: tuple[User, Decision], form: FormData) -> Response:
        user, decision = target
        if request.url.path.endswith("/publish"):
            await publish_step(self.step, user, clock.now())
        else:
            await add_step_document(self.step, await _upload(request, form), user, clock.now())
        return redirect(f"/manage/decisions/{decision.id}#step-{self.step.id}")


async def _upload(request: Request, form: FormData) -> Upload:
    upload, limit = form.get("file"), settings_of(request).max_upload_bytes
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise ValidationError({"file": "Choose a file to upload."})
    return Upload(upload.filename, await upload.read(limit + 1), limit)


async def _participant(hearing: Hearing, form: FormData) -> HearingParticipant:
    found = await get_or_404(HearingParticipant, id=forms.number(form, "participant_id"), hearing_id=hearing.id)
    return found


Target = tuple[User, Hearing]


async def _publish(request: Request, target: Target, form: FormData) -> None:
    await publish_notice(target[1], target[0], clock.now(), settings_of(request))


async def _select(request: Request, target: Target, form: FormData) -> HearingParticipant:
    participant = await _participant(target[1], form)
    chosen = form_text(form, "decision") == "select"
    await select_participant(participant, chosen, form_text(form, "reason"), target[0])
    return participant


async def _lottery(request: Request, target: Target, form: FormData) -> None:
    await draw_lottery(target[1], form_text(form, "category"), target[0], clock.today(), clock.now())


async def _invite(request: Request, target: Target, form: FormData) -> None:
    name, category, organisation = (form_text(form, f) for f in ("name", "category", "organisation"))
    await invite(target[1], name, category, organisation, target[0], clock.now())


async def _participants(request: Request, target: Target, form: FormData) -> None:
    await publish_participants(target[1], target[0], clock.now())


async def _attendance(request: Request, target: Target, form: FormData) -> HearingParticipant:
    participant = await _participant(target[1], form)
    await record_attendance(participant, form_text(form, "attended") == "yes", target[0], clock.today())
    return participant


async def _opinion(request: Request, target: Target, form: FormData) -> HearingParticipant:
    participant = await _participant(target[1], form)
    article = forms.number(form, "article_id") or None
    await record_opinion(participant, form_text(form, "body"), article, target[0], clock.now())
    return participant


async def _record(request: Request, target: Target, form: FormData) -> None:
    await save_record(target[1], form_text(form, "record"), form_text(form, "report"), target[0], clock.now())


async def _report(request: Request, target: Target, form: FormData) -> None:
    await publish_report(target[1], target[0], clock.now())


class ManageHearing(ActionPage):
    """The department's page of one hearing; each form posts to /manage/hearings/{id}/{action}."""

    template = "manage/hearing.html"
    actions: ClassVar[dict[str, Any]] = {
        "publish": _publish,
        "select": _select,
        "lottery": _lottery,
        "invite": _invite,
        "participants": _participants,
        "attendance": _attendance,
        "opinion": _opinion,
        "record": _record,
        "report": _report,
    }

    async def load(self, request: Request) -> Target:
        user = await require_user(request)
        hearing = await get_or_404(Hearing, id=request.path_params["id"])
        await decision_for_staff(request, user, hearing.decision_id)
        return user, hearing

    async def context(self, request: Request, target: Target) -> dict[str, Any]:
        context = await queries.hearing_to_manage(target[1], clock.today(), settings_of(request))
        return {**context, "user": target[0]}

    def done(self, target: Target, result: HearingParticipant | None) -> str:
        anchor = f"#p-{result.id}" if isinstance(result, HearingParticipant) else ""
        return f"/manage/hearings/{target[1].id}{anchor}"


routes = [
    Route("/hearings/", hearing_list),
    Route("/hearings/{id:int}", HearingPage, methods=["GET"]),
    Route("/hearings/{id:int}/applications", HearingPage, methods=["POST"]),
    Route("/hearings/applications/{code:str}", application_page),
    Route("/decisions/{id:int}/steps/{sid:int}/documents/{did:int}", step_document),
    Route("/manage/decisions/{id:int}/steps", ProcedureForms, methods=["POST"]),
    Route("/manage/decisions/{id:int}/hearings", ProcedureForms, methods=["POST"]),
    Route("/manage/steps/{id:int}/publish", StepActions, methods=["POST"]),
    Route("/manage/steps/{id:int}/documents", StepActions, methods=["POST"]),
    *ManageHearing.routes("/manage/hearings/{id:int}"),
]
