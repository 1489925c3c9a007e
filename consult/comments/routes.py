"""Comment submission and receipts (public); moderation and offline entry (staff)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.answers.models import Answer
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
from consult.comments.services import CommentInput, find_by_receipt, moderate_comment, submit_comment
from consult.drafts.guards import consultation_for_staff, public_consultation_or_404
from consult.drafts.models import Article
from consult.drafts.pages import render_consultation
from consult.errors import Conflict, ValidationError
from consult.i18n import gettext
from consult.limits import form_wait
from consult.web import (
    FORM_EXPIRED,
    FormExpired,
    is_htmx,
    page_number,
    paginate,
    read_form,
    redirect,
    render,
    too_many,
    translate,
    translated_errors,
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
        notify_by_email=get("notify_by_email") == "on",
        form_token=str(get("form_token") or ""),
        visitor=visitor,
    )


async def submit(request: Request) -> Response:
    consultation = await public_consultation_or_404(request.path_params["id"])
    try:
        form = await read_form(request)
    except FormExpired as expired:
        # Stale page or lost cookie: show the form again, filled in, with a fresh token.
        values = {k: str(v) for k, v in expired.form.items() if k != "csrf_token"}
        return await render_consultation(
            request, consultation, values=values, errors={"__all__": gettext(FORM_EXPIRED)}, status_code=422
        )
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    if (wait := await form_wait(request, "comment", values)) is not None:
        response = await render_consultation(
            request, consultation, values=values, errors={"__all__": too_many(wait)}, status_code=429
        )
        response.headers["Retry-After"] = str(wait)
        return response
    try:
        comment, created = await submit_comment(
            consultation, _comment_input(form, request.state.csrf_nonce), clock.now(), clock.today()
        )
    except ValidationError as exc:
        return await render_consultation(
            request, consultation, values=values, errors=translated_errors(exc), status_code=422
        )
    except Conflict as exc:
        return await render_consultation(
            request, consultation, values=values, errors={"__all__": translate(exc)}, status_code=409
        )
    if is_htmx(request):
        return await render(
            request,
            "comments/_receipt_card.html",
            {"comment": comment, "created": created, "just_submitted": True},
        )
    return redirect(f"/receipts/{comment.receipt_code}?{'new' if created else 'repeat'}=1")


async def receipt_lookup(request: Request) -> Response:
    code = request.query_params.get("code", "").strip()
    if code:
        comment = await find_by_receipt(code)
        if comment is not None:
            return redirect(f"/receipts/{comment.receipt_code}")
        return await render(request, "comments/lookup.html", {"code": code, "not_found": True}, status_code=404)
    return await render(request, "comments/lookup.html", {"code": "", "not_found": False})


async def receipt_page(request: Request) -> Response:
    comment = await find_by_receipt(request.path_params["code"])
    if comment is None:
        return await render(
            request,
            "comments/lookup.html",
            {"code": request.path_params["code"], "not_found": True},
            status_code=404,
        )
    await comment.fetch_related("consultation__draft", "consultation__decision", "article")
    answer = await Answer.get_or_none(comment_id=comment.id, published_at__isnull=False)
    together = 0
    if answer is not None and answer.group_answer_id is not None:
        together = await Answer.filter(group_answer_id=answer.group_answer_id).exclude(comment_id=comment.id).count()
    return await render(
        request,
        "comments/receipt.html",
        {
            "comment": comment,
            "answer": answer,
            "created": "new" in request.query_params,
            "repeat": "repeat" in request.query_params,
            "just_submitted": "new" in request.query_params or "repeat" in request.query_params,
            "together": together,
        },
    )


# ---- staff --------------------------------------------------------------------------------------


async def moderation_queue(request: Request) -> Response:
    _user, consultation = await consultation_for_staff(request, request.path_params["id"])
    try:
        state = ModerationState(request.query_params.get("state", "pending"))
    except ValueError:
        state = ModerationState.PENDING
    queryset = Comment.filter(consultation_id=consultation.id, state=state).order_by("id").prefetch_related("article")
    page = await paginate(queryset, page_number(request), 50)
    return await render(
        request,
        "manage/moderation.html",
        {
            "consultation": consultation,
            "state": state,
            "states": list(ModerationState),
            "reasons": list(WithholdReason),
            "page": page,
        },
    )


async def moderate(request: Request) -> Response:
    user, comment, consultation = await comment_for_staff(request)
    form = await read_form(request)
    errors = forms.Errors()
    target = forms.choice(form.get("target"), ModerationState, "target", errors)
    reason = forms.choice(form.get("withhold_reason"), WithholdReason, "withhold_reason", errors, required=False)
    error = ""
    try:
        errors.raise_if_any()
        assert target is not None
        await moderate_comment(comment, target, user, clock.now(), reason, str(form.get("note", "")))
    except ValidationError as exc:
        error = next(iter(translated_errors(exc).values()))
    except Conflict as exc:
        error = translate(exc)
    if is_htmx(request):
        await comment.fetch_related("article")
        return await render(
            request,
            "manage/_moderation_row.html",
            {"comment": comment, "reasons": list(WithholdReason), "row_error": error},
            status_code=422 if error else 200,
        )
    if error:
        raise ValidationError(error)
    back = str(form.get("back") or "")
    return redirect(back if back.startswith("/manage/") else f"/manage/consultations/{consultation.id}/moderation")


async def offline_entry(request: Request) -> Response:
    user, consultation = await consultation_for_staff(request, request.path_params["id"])
    values: dict[str, str] = {
        "received_on": clock.today().isoformat(),
        "category": "citizen",
        "display_mode": "masked",
    }
    errors: dict[str, str] = {}
    status = 200
    created_comment = None
    if request.method == "POST":
        form = await read_form(request)
        values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        field_errors = forms.Errors()
        channel = forms.choice(form.get("channel"), Channel, "channel", field_errors)
        received_on = forms.parse_date(form.get("received_on"), "received_on", field_errors)
        try:
            field_errors.raise_if_any()
            assert channel is not None
            created_comment, _created = await submit_comment(
                consultation,
                _comment_input(form, request.state.csrf_nonce),
                clock.now(),
                clock.today(),
                channel=channel,
                received_on=received_on,
                entered_by=user,
            )
            values = {k: values[k] for k in ("channel", "received_on", "category", "display_mode") if k in values}
        except ValidationError as exc:
            errors, status = translated_errors(exc), 422
        except Conflict as exc:
            errors, status = {"__all__": translate(exc)}, 409
    return await render(
        request,
        "manage/offline.html",
        {
            "consultation": consultation,
            "articles": await Article.filter(draft_id=consultation.draft_id),
            "channels": OFFLINE_CHANNELS,
            "categories": list(SubmitterCategory),
            "values": values,
            "errors": errors,
            "created_comment": created_comment,
        },
        status_code=status,
    )


routes = [
    Route("/consultations/{id:int}/comments", submit, methods=["POST"]),
    Route("/receipts", receipt_lookup),
    Route("/receipts/{code:str}", receipt_page),
    Route("/manage/consultations/{id:int}/moderation", moderation_queue),
    Route("/manage/comments/{id:int}/moderate", moderate, methods=["POST"]),
    Route("/manage/consultations/{id:int}/offline", offline_entry, methods=["GET", "POST"]),
]
