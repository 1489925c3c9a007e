"""Comment submission and receipts (public); moderation and offline entry (staff)."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.models import User
from consult.answers.queries import receipt_answer
from consult.comments.guards import comment_for_staff
from consult.comments.models import (
    OFFLINE_CHANNELS,
    Channel,
    Comment,
    DisplayMode,
    ModerationState,
    SubmitterCategory,
    WithholdReason,
)
from consult.comments.queries import comments_in_state
from consult.comments.receipts import receipt_code_problem
from consult.comments.services import CommentInput, find_by_receipt, moderate_comment, submit_comment
from consult.drafts.guards import consultation_for_staff, recent_public_consultation_or_404
from consult.drafts.models import Article, Consultation
from consult.drafts.pages import render_consultation
from consult.i18n import N_, gettext
from consult.implementation.queries import articles_changed_by
from consult.limits import form_windows
from consult.web import (
    FormPage,
    RowForm,
    back_to,
    form_text,
    form_values,
    is_htmx,
    page_number,
    paginate,
    redirect,
    render,
    settings_of,
)


def _comment_input(form: object, visitor: str) -> CommentInput:
    get = form.get  # type: ignore[attr-defined]
    article = str(get("article_id") or "").strip()
    return CommentInput(
        body=str(get("body") or ""),
        category=str(get("category") or ""),
        name=str(get("name") or ""),
        phone=str(get("phone") or ""),
        email=str(get("email") or ""),
        display_mode=str(get("display_mode") or DisplayMode.MASKED),
        article_id=forms.bounded_int(article),
        proposed_text=str(get("proposed_text") or ""),
        notify_by_email=get("notify_by_email") == "on",
        form_token=str(get("form_token") or ""),
        visitor=visitor,
    )


class CommentForm(FormPage):
    """The comment form on the consultation page: shown again there, filled in, when refused."""

    keep_on_expiry = True

    async def load(self, request: Request) -> Consultation:
        return await recent_public_consultation_or_404(request.path_params["id"])

    async def show(
        self,
        request: Request,
        consultation: Consultation,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        status: int = 200,
        extra: dict[str, Any] | None = None,
    ) -> Response:
        return await render_consultation(request, consultation, values=values, errors=errors, status_code=status)

    async def submit(self, request: Request, consultation: Consultation, form: FormData) -> Response:
        data = _comment_input(form, request.state.csrf_nonce)
        limits = form_windows(request, "comment", form_values(form))
        comment, created = await submit_comment(consultation, data, clock.now(), clock.today(), limits=limits)
        if is_htmx(request):
            context = {"comment": comment, "created": created, "just_submitted": True}
            response = await render(request, "comments/_receipt_card.html", context)
            # The address bar shows the receipt's own page: a reload or a bookmark keeps the receipt.
            response.headers["HX-Push-Url"] = f"/receipts/{comment.receipt_code}"
            return response
        return redirect(f"/receipts/{comment.receipt_code}?{'new' if created else 'repeat'}=1")


async def _not_a_receipt(request: Request, code: str) -> Response:
    """The lookup form again: with what is wrong with the code when it cannot be one (422), else
    saying that no comment has it (404)."""
    problem = receipt_code_problem(code)
    if problem is not None:
        context = {"code": code, "error": gettext(problem[0]) % problem[1]}
        return await render(request, "comments/lookup.html", context, status_code=422)
    return await render(request, "comments/lookup.html", {"code": code, "not_found": True}, status_code=404)


async def receipt_lookup(request: Request) -> Response:
    code = request.query_params.get("code", "").strip()
    if code:
        comment = await find_by_receipt(code)
        if comment is not None:
            return redirect(f"/receipts/{comment.receipt_code}")
        return await _not_a_receipt(request, code)
    return await render(request, "comments/lookup.html", {"code": ""})


async def receipt_page(request: Request) -> Response:
    comment = await find_by_receipt(request.path_params["code"])
    if comment is None:
        return await _not_a_receipt(request, request.path_params["code"])
    await comment.fetch_related("consultation__draft", "consultation__decision", "article")
    new, repeat = "new" in request.query_params, "repeat" in request.query_params
    context = {"comment": comment, "created": new, "repeat": repeat, "just_submitted": new or repeat}
    context["url"] = f"{settings_of(request).base_url}/receipts/{comment.receipt_code}"
    context["changed"] = await articles_changed_by(comment.id)
    return await render(request, "comments/receipt.html", {**context, **await receipt_answer(comment)})


# ---- staff --------------------------------------------------------------------------------------


async def moderation_queue(request: Request) -> Response:
    _user, consultation = await consultation_for_staff(request, request.path_params["id"])
    state = forms.choice(request.query_params.get("state", "pending"), ModerationState, "state", forms.Errors())
    queryset = comments_in_state(consultation.id, state or ModerationState.PENDING)
    context = {"consultation": consultation, "state": state or ModerationState.PENDING}
    context |= {"states": list(ModerationState), "reasons": list(WithholdReason)}
    page = await paginate(queryset, page_number(request), 50)
    return await render(request, "manage/moderation.html", {**context, "page": page})


class ModerateRow(RowForm):
    row_template = "manage/_moderation_row.html"
    title = N_("Moderation")

    async def load(self, request: Request) -> tuple[User, Comment, Consultation]:
        return await comment_for_staff(request)

    async def submit(self, request: Request, target: tuple[User, Comment, Consultation], form: FormData) -> None:
        user, comment, _consultation = target
        state = forms.one_of(form.get("target"), ModerationState, "target")
        errors = forms.Errors()
        reason = forms.choice(form.get("withhold_reason"), WithholdReason, "withhold_reason", errors, required=False)
        errors.raise_if_any()
        await moderate_comment(comment, state, user, clock.now(), reason, form_text(form, "note"))

    async def row_context(self, request: Request, target: tuple[User, Comment, Consultation]) -> dict[str, Any]:
        await target[1].fetch_related("article")
        return {"comment": target[1], "reasons": list(WithholdReason)}

    def back(self, target: tuple[User, Comment, Consultation], form: FormData) -> str:
        return back_to(form, f"/manage/consultations/{target[2].id}/moderation")


class OfflineEntry(FormPage):
    """Staff enter comments received by letter, phone or at a hearing; the form stays open for the next."""

    template = "manage/offline.html"

    async def load(self, request: Request) -> tuple[User, Consultation]:
        return await consultation_for_staff(request, request.path_params["id"])

    async def context(self, request: Request, target: tuple[User, Consultation]) -> dict[str, Any]:
        consultation = target[1]
        defaults = {"received_on": clock.today().isoformat(), "category": "citizen", "display_mode": "masked"}
        articles = await Article.filter(draft_id=consultation.draft_id)
        context = {"consultation": consultation, "articles": articles, "channels": OFFLINE_CHANNELS}
        return {**context, "categories": list(SubmitterCategory), "values": defaults, "created_comment": None}

    async def submit(self, request: Request, target: tuple[User, Consultation], form: FormData) -> Response:
        user, consultation = target
        channel, received_on = _offline_channel_and_date(form)
        data = _comment_input(form, request.state.csrf_nonce)
        comment, _created = await submit_comment(
            consultation, data, clock.now(), clock.today(), channel=channel, received_on=received_on, entered_by=user
        )
        kept = {
            k: v for k, v in form_values(form).items() if k in ("channel", "received_on", "category", "display_mode")
        }
        return await self.show(request, target, values=kept, extra={"created_comment": comment})


def _offline_channel_and_date(form: FormData) -> tuple[Channel, date | None]:
    errors = forms.Errors()
    channel = forms.choice(form.get("channel"), Channel, "channel", errors)
    received_on = forms.parse_date(form.get("received_on"), "received_on", errors)
    errors.raise_if_any()
    assert channel is not None
    return channel, received_on


routes = [
    Route("/consultations/{id:int}/comments", CommentForm, methods=["POST"]),
    Route("/receipts", receipt_lookup),
    Route("/receipts/{code:str}", receipt_page),
    Route("/manage/consultations/{id:int}/moderation", moderation_queue),
    Route("/manage/comments/{id:int}/moderate", ModerateRow, methods=["POST"]),
    Route("/manage/consultations/{id:int}/offline", OfflineEntry, methods=["GET", "POST"]),
]
