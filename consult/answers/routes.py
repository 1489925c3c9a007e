"""The department's answer queue, and answering one comment from it."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.models import User
from consult.answers.models import Answer
from consult.answers.pages import QueueFilter, answer_queue_view
from consult.answers.services import answer_comment
from consult.comments.guards import comment_for_staff
from consult.comments.models import Comment
from consult.drafts.guards import consultation_for_staff
from consult.drafts.models import Consultation
from consult.i18n import N_
from consult.review.models import AnswerStatus
from consult.web import (
    RowForm,
    back_to,
    form_text,
    render,
)


async def answer_queue(request: Request) -> Response:
    _user, consultation = await consultation_for_staff(request, request.path_params["id"])
    context = await answer_queue_view(consultation, QueueFilter.of(request))
    return await render(request, "manage/answers.html", context)


class AnswerRow(RowForm):
    row_template = "manage/_answer_row.html"
    title = N_("Answer")

    async def load(self, request: Request) -> tuple[User, Comment, Consultation]:
        return await comment_for_staff(request, "article", "group")

    async def submit(self, request: Request, target: tuple[User, Comment, Consultation], form: FormData) -> None:
        user, comment, _consultation = target
        status = forms.one_of(form.get("status"), AnswerStatus, "status")
        await answer_comment(comment, status, form_text(form, "reason"), user, clock.now())

    async def row_context(self, request: Request, target: tuple[User, Comment, Consultation]) -> dict[str, Any]:
        _user, comment, consultation = target
        answer = await Answer.get_or_none(comment_id=comment.id)
        return {"comment": comment, "answer": answer, "statuses": list(AnswerStatus), "consultation": consultation}

    def back(self, target: tuple[User, Comment, Consultation], form: FormData) -> str:
        return back_to(form, f"/manage/consultations/{target[2].id}/answers")


routes = [
    Route("/manage/consultations/{id:int}/answers", answer_queue),
    Route("/manage/comments/{id:int}/answer", AnswerRow, methods=["POST"]),
]
