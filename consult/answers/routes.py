"""The department's answer queue, and answering one comment from it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult.answers.pages import AnswerRow, QueueFilter, answer_queue_view
from consult.drafts.guards import consultation_for_staff
from consult.web import render


async def answer_queue(request: Request) -> Response:
    _user, consultation = await consultation_for_staff(request, request.path_params["id"])
    context = await answer_queue_view(consultation, QueueFilter.of(request))
    return await render(request, "manage/answers.html", context)


routes = [
    Route("/manage/consultations/{id:int}/answers", answer_queue),
    Route("/manage/comments/{id:int}/answer", AnswerRow, methods=["POST"]),
]
