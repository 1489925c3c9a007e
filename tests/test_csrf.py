"""Every state-changing route refuses a request without the CSRF token, for staff and the public."""

from __future__ import annotations

import re
from datetime import timedelta

from starlette.routing import Route

from consult import clock
from consult.accounts.models import Role
from consult.answers.models import AnswerStatus
from consult.answers.services import answer_comment
from consult.app import create_app
from consult.comments.models import Comment
from consult.groups.models import AnswerTemplate
from consult.groups.services import answer_group, create_group
from consult.meetings.models import MeetingTopic
from consult.meetings.services import answer_opinion, record_opinion
from consult.reports.models import AdoptionReport
from tests.factories import (
    csrf_token,
    log_in,
    make_attendee,
    make_closed_consultation,
    make_comment,
    make_consultation,
    make_meeting,
    make_result,
    make_user,
)


async def _post_routes(settings) -> list[str]:
    app = create_app(settings, connect_db=False)
    # The JSON API takes no session cookie, so a forged cross-site request carries no one's authority:
    # it is rate-limited instead (tests/api/test_api.py).
    return [
        r.path
        for r in app.routes
        if isinstance(r, Route) and "POST" in (r.methods or set()) and not r.path.startswith("/api/")
    ]


async def test_every_post_route_refuses_a_missing_or_wrong_token(client, settings) -> None:
    consultation = await make_consultation()
    comment = await make_comment(consultation)
    admin = await make_user(Role.ADMIN)
    staff = await make_user(Role.STAFF, await (await consultation.decision).department)
    answer = await answer_comment(comment, AnswerStatus.ADOPTED, "", staff, clock.now())
    closed = await make_closed_consultation(clock.today() - timedelta(days=5))
    await make_result(closed, clock.today() - timedelta(days=2))
    report = await AdoptionReport.get(consultation_id=closed.id)
    other = await make_comment(consultation)
    group = await create_group(consultation, [comment.id, other.id], "同一诉求", staff, clock.now())
    group_answer = await answer_group(group, AnswerStatus.ADOPTED, "", staff, clock.now())
    template = await AnswerTemplate.create(
        department_id=staff.department_id, title="模板", text="理由", created_at=clock.now()
    )
    meeting = await make_meeting(clock.today() - timedelta(days=1))
    attendee = await make_attendee(meeting)
    topic = await MeetingTopic.get(meeting_id=meeting.id)
    opinion = await record_opinion(attendee, topic, "建议公开更多信息。", admin, clock.now())
    opinion_answer = await answer_opinion(opinion, AnswerStatus.ADOPTED, "", admin, clock.now())
    await log_in(client, admin)
    await csrf_token(client)
    # Real objects behind every path, so each request reaches the token check rather than a 404.
    ids = {
        "/consultations/": consultation.id,
        "/manage/decisions/": closed.decision_id,
        "/manage/drafts/": consultation.draft_id,
        "/manage/consultations/": consultation.id,
        "/manage/comments/": comment.id,
        "/manage/answers/": answer.id,
        "/manage/users/": admin.id,
        "/manage/reports/": report.id,
        "/manage/groups/": group.id,
        "/manage/group-answers/": group_answer.id,
        "/manage/templates/": template.id,
        "/meetings/": meeting.id,
        "/manage/meetings/": meeting.id,
        "/manage/opinions/": opinion.id,
        "/manage/opinion-answers/": opinion_answer.id,
        "/manage/catalogs/": 2026,
    }
    checked = 0
    for template in await _post_routes(settings):
        prefix = template.split("{", 1)[0]
        path = re.sub(r"\{\w+(:\w+)?\}", str(ids.get(prefix, 0)), template)
        for data, headers in (({}, {}), ({"csrf_token": "forged"}, {}), ({}, {"X-CSRF-Token": "forged"})):
            response = await client.post(path, data=data, headers=headers)
            assert response.status_code == 403, (path, response.status_code)
        checked += 1
    assert checked >= 20
    assert await Comment.all().count() == 2


async def test_public_comment_without_token_is_refused_with_a_clear_message(client) -> None:
    consultation = await make_consultation()
    response = await client.post(f"/consultations/{consultation.id}/comments", data={"body": "没有令牌的提交内容"})
    assert response.status_code == 403 and "表单已过期" in response.text


async def test_htmx_may_send_the_token_as_a_header(client) -> None:
    consultation = await make_consultation()
    token = await csrf_token(client)
    response = await client.post(
        f"/consultations/{consultation.id}/comments",
        data={"body": "通过请求头携带令牌的意见内容", "category": "citizen", "name": "赵六", "phone": "13711112222"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert response.status_code == 200 and "receipt-code" in response.text
