"""Every state-changing route refuses a request without the CSRF token, for staff and the public."""

from __future__ import annotations

import re
from datetime import timedelta

from starlette.routing import Route

from consult import clock
from consult.accounts.models import Role
from consult.answers.services import answer_comment
from consult.app import create_app
from consult.comments.models import Comment
from consult.groups.models import AnswerTemplate
from consult.groups.services import answer_group, create_group
from consult.implementation.models import ChangeLink
from consult.meetings.models import MeetingTopic
from consult.meetings.services import answer_opinion, record_opinion
from consult.reports.models import AdoptionReport
from consult.review.models import AnswerStatus
from tests.factories import (
    csrf_token,
    log_in,
    make_attendee,
    make_closed_consultation,
    make_comment,
    make_consultation,
    make_department,
    make_evaluation,
    make_execution_update,
    make_hearing,
    make_interpretation,
    make_meeting,
    make_result,
    make_step,
    make_survey,
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
    decided = await closed.decision
    interpretation = await make_interpretation(decided, approved=False)
    update = await make_execution_update(decided)
    link = await ChangeLink.create(decision=decided, comment=comment, article_label="第1段", created_at=clock.now())
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
    hearing = await make_hearing(consultation)
    step = await make_step(decided)
    survey = await make_survey(published=True, opens_in=0)
    evaluation, _, evaluation_answer = await make_evaluation(await make_department())
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
        "/manage/interpretations/": interpretation.id,
        "/manage/execution-updates/": update.id,
        "/manage/change-links/": link.id,
        "/manage/group-answers/": group_answer.id,
        "/manage/templates/": template.id,
        "/meetings/": meeting.id,
        "/manage/meetings/": meeting.id,
        "/manage/opinions/": opinion.id,
        "/manage/opinion-answers/": opinion_answer.id,
        "/manage/catalogs/": 2026,
        "/hearings/": hearing.id,
        "/manage/hearings/": hearing.id,
        "/manage/steps/": step.id,
        "/surveys/": survey.id,
        "/manage/surveys/": survey.id,
        "/manage/evaluations/": evaluation.id,
        "/manage/evaluation-opinion-answers/": evaluation_answer.id,
    }
    checked = 0
    for template in await _post_routes(settings):
        prefix = template.split("{", 1)[0]
        path = re.sub(r"\{\w+(:\w+)?\}", str(ids.get(prefix, 0)), template)
        # The two public forms show themselves again, filled in (422); every other form refuses (403).
        public_form = path.endswith(("/comments", "/applications", "/responses"))
        for data, headers in (({}, {}), ({"csrf_token": "forged"}, {}), ({}, {"X-CSRF-Token": "forged"})):
            response = await client.post(path, data=data, headers=headers)
            assert response.status_code == (422 if public_form else 403), (path, response.status_code)
        checked += 1
    assert checked >= 20
    assert await Comment.all().count() == 2


COMMENT = {"body": "过期页面上写的意见内容，请保留。", "category": "citizen", "name": "赵六", "phone": "13711112222"}


async def test_an_expired_page_keeps_the_typed_comment_with_and_without_javascript(client) -> None:
    consultation = await make_consultation()
    url = f"/consultations/{consultation.id}/comments"
    # The cookie is gone (a new browser session, cleared cookies): the old token cannot match.
    plain = await client.post(url, data={**COMMENT, "csrf_token": "1700000000.stale-token"})
    assert (
        plain.status_code == 422 and "页面已过期，请重新提交" in plain.text and "过期页面上写的意见内容" in plain.text
    )
    htmx = await client.post(url, data={**COMMENT, "csrf_token": "x"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 422 and "页面已过期" in htmx.text and "<html" not in htmx.text
    assert "过期页面上写的意见内容" in htmx.text
    # The form shown again carries a fresh token that works.
    token = plain.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert (await client.post(url, data={**COMMENT, "csrf_token": token})).status_code == 303
    assert await Comment.all().count() == 1


async def test_a_token_older_than_a_day_is_expired(client, monkeypatch) -> None:
    consultation = await make_consultation()
    token = await csrf_token(client)
    later = clock.now() + timedelta(hours=25)
    monkeypatch.setattr(clock, "now", lambda: later)
    response = await client.post(f"/consultations/{consultation.id}/comments", data={**COMMENT, "csrf_token": token})
    assert response.status_code == 422 and "页面已过期" in response.text


async def test_a_self_made_cookie_with_a_matching_field_is_refused(client) -> None:
    consultation = await make_consultation()
    made_up = "A" * 43
    client.cookies.set("consult_csrf", made_up)
    for forged in (made_up, f"{int(clock.now().timestamp())}.{made_up}"):
        response = await client.post(
            f"/consultations/{consultation.id}/comments", data={**COMMENT, "csrf_token": forged}
        )
        assert response.status_code == 422
    assert await Comment.all().count() == 0


async def test_the_token_changes_at_login_and_old_tokens_stop_working(client) -> None:
    from consult.accounts.models import Role
    from tests.factories import PASSWORD, make_user, post

    user = await make_user(Role.STAFF)
    before = await csrf_token(client)
    response = await post(client, "/login", {"username": user.username, "password": PASSWORD, "next": "/manage/"})
    assert response.status_code == 303 and "consult_csrf=" in response.headers.get("set-cookie", "")
    refused = await client.post("/logout", data={"csrf_token": before})
    assert refused.status_code == 403
    assert (await post(client, "/logout")).status_code == 303


async def test_under_https_the_cookie_is_host_prefixed_and_secure(settings) -> None:
    import dataclasses

    import httpx2 as httpx

    app = create_app(dataclasses.replace(settings, https=True), connect_db=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as client:
        response = await client.get("/receipts")
    cookie = next(c for c in response.headers.get_list("set-cookie") if "csrf" in c)
    assert cookie.startswith("__Host-consult_csrf=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


async def test_htmx_may_send_the_token_as_a_header(client) -> None:
    consultation = await make_consultation()
    token = await csrf_token(client)
    response = await client.post(
        f"/consultations/{consultation.id}/comments",
        data={"body": "通过请求头携带令牌的意见内容", "category": "citizen", "name": "赵六", "phone": "13711112222"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert response.status_code == 200 and "receipt-code" in response.text
