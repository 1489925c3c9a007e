"""Every staff route × every role, against objects of department A: the office and A's people get the
route's own answer (never 403, never a 5xx), B's people get 403, the anonymous are sent to log in.
A route added without a row here fails `test_the_matrix_covers_every_staff_route`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from starlette.routing import Mount, Route

from consult import clock
from consult.accounts.models import Role
from consult.answers.services import answer_comment
from consult.comments.models import ModerationState
from consult.groups.models import AnswerTemplate
from consult.groups.services import answer_group, create_group
from consult.implementation.models import ChangeLink
from consult.meetings.models import MeetingTopic
from consult.meetings.services import answer_opinion, record_opinion
from consult.reports.models import AdoptionReport
from consult.review.models import AnswerStatus
from tests.factories import (
    log_in,
    make_attendee,
    make_closed_consultation,
    make_comment,
    make_consultation,
    make_decision,
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
    post,
)

ROLES = ["anonymous", "admin", "staff_a", "reviewer_a", "staff_b", "reviewer_b"]
# Who may act; everyone else logged in gets 403.
EVERY = {"admin", "staff_a", "reviewer_a", "staff_b", "reviewer_b"}
OWN = {"admin", "staff_a", "reviewer_a"}
OWN_REVIEWERS = {"admin", "reviewer_a"}
OFFICE = {"admin"}

# (method, route path as the router spells it, concrete path, who may act). Forms are empty: an allowed
# role gets a validation error, a conflict or a redirect; what matters is who is let through.
MATRIX = [
    ("GET", "/manage/", "/manage/", EVERY),
    ("GET", "/manage/catalogs/", "/manage/catalogs/", EVERY),
    ("GET", "/manage/documents", "/manage/documents", EVERY),
    ("POST", "/manage/documents", "/manage/documents", EVERY),
    ("POST", "/manage/catalogs/", "/manage/catalogs/", OFFICE),
    ("GET", "/manage/catalogs/{year:int}", "/manage/catalogs/2026", EVERY),
    ("POST", "/manage/catalogs/{year:int}/publish", "/manage/catalogs/2026/publish", OFFICE),
    ("POST", "/manage/catalogs/{year:int}/decisions", "/manage/catalogs/2026/decisions", OFFICE),
    ("GET", "/manage/decisions/{id:int}", "/manage/decisions/{decision}", OWN),
    ("POST", "/manage/decisions/{id:int}", "/manage/decisions/{decision}", OWN),
    ("POST", "/manage/decisions/{id:int}/remove", "/manage/decisions/{decision}/remove", OFFICE),
    ("GET", "/manage/decisions/{id:int}/drafts/new", "/manage/decisions/{decision}/drafts/new", OWN),
    ("POST", "/manage/decisions/{id:int}/drafts/new", "/manage/decisions/{decision}/drafts/new", OWN),
    ("POST", "/manage/decisions/{id:int}/result", "/manage/decisions/{decision}/result", OWN_REVIEWERS),
    ("POST", "/manage/decisions/{id:int}/interpretations", "/manage/decisions/{decided}/interpretations", OWN),
    (
        "POST",
        "/manage/interpretations/{id:int}/review",
        "/manage/interpretations/{interpretation}/review",
        OWN_REVIEWERS,
    ),
    ("POST", "/manage/decisions/{id:int}/execution", "/manage/decisions/{decided}/execution", OWN),
    ("POST", "/manage/execution-updates/{id:int}/publish", "/manage/execution-updates/{update}/publish", OWN_REVIEWERS),
    ("POST", "/manage/decisions/{id:int}/status", "/manage/decisions/{decided}/status", OFFICE),
    ("GET", "/manage/decisions/{id:int}/changes", "/manage/decisions/{decided}/changes", OWN),
    ("POST", "/manage/decisions/{id:int}/changes", "/manage/decisions/{decided}/changes", OWN),
    ("POST", "/manage/change-links/{id:int}/delete", "/manage/change-links/{link}/delete", OWN),
    ("POST", "/manage/decisions/{id:int}/steps", "/manage/decisions/{decision}/steps", OWN),
    ("POST", "/manage/decisions/{id:int}/hearings", "/manage/decisions/{decision}/hearings", OWN),
    ("POST", "/manage/steps/{id:int}/documents", "/manage/steps/{step}/documents", OWN),
    ("POST", "/manage/steps/{id:int}/publish", "/manage/steps/{step}/publish", OWN_REVIEWERS),
    ("GET", "/manage/hearings/{id:int}", "/manage/hearings/{hearing}", OWN),
    ("POST", "/manage/hearings/{id:int}/publish", "/manage/hearings/{hearing}/publish", OWN_REVIEWERS),
    ("POST", "/manage/hearings/{id:int}/select", "/manage/hearings/{hearing}/select", OWN),
    ("POST", "/manage/hearings/{id:int}/lottery", "/manage/hearings/{hearing}/lottery", OWN),
    ("POST", "/manage/hearings/{id:int}/invite", "/manage/hearings/{hearing}/invite", OWN),
    ("POST", "/manage/hearings/{id:int}/participants", "/manage/hearings/{hearing}/participants", OWN),
    ("POST", "/manage/hearings/{id:int}/attendance", "/manage/hearings/{hearing}/attendance", OWN),
    ("POST", "/manage/hearings/{id:int}/opinion", "/manage/hearings/{hearing}/opinion", OWN),
    ("POST", "/manage/hearings/{id:int}/record", "/manage/hearings/{hearing}/record", OWN),
    ("POST", "/manage/hearings/{id:int}/report", "/manage/hearings/{hearing}/report", OWN_REVIEWERS),
    ("GET", "/manage/surveys", "/manage/surveys", EVERY),
    ("POST", "/manage/surveys", "/manage/surveys", EVERY),
    ("GET", "/manage/surveys/{id:int}", "/manage/surveys/{survey}", OWN),
    ("POST", "/manage/surveys/{id:int}/details", "/manage/surveys/{survey}/details", OWN),
    ("POST", "/manage/surveys/{id:int}/question", "/manage/surveys/{survey}/question", OWN),
    ("POST", "/manage/surveys/{id:int}/remove", "/manage/surveys/{survey}/remove", OWN),
    # Reviewed before it is submitted (409): submitted first, the same user would be refused as its own
    # reviewer (403, four eyes), which is right but not what this row checks.
    ("POST", "/manage/surveys/{id:int}/review", "/manage/surveys/{survey}/review", OWN_REVIEWERS),
    ("POST", "/manage/surveys/{id:int}/submit", "/manage/surveys/{survey}/submit", OWN),
    ("POST", "/manage/surveys/{id:int}/moderate", "/manage/surveys/{survey}/moderate", OWN),
    ("GET", "/manage/evaluations", "/manage/evaluations", EVERY),
    ("POST", "/manage/evaluations", "/manage/evaluations", EVERY),
    ("GET", "/manage/evaluations/{id:int}", "/manage/evaluations/{evaluation}", OWN),
    ("POST", "/manage/evaluations/{id:int}/publish", "/manage/evaluations/{evaluation}/publish", OWN_REVIEWERS),
    ("POST", "/manage/evaluations/{id:int}/survey", "/manage/evaluations/{evaluation}/survey", OWN),
    ("POST", "/manage/evaluations/{id:int}/activity", "/manage/evaluations/{evaluation}/activity", OWN),
    ("POST", "/manage/evaluations/{id:int}/opinion", "/manage/evaluations/{evaluation}/opinion", OWN),
    ("POST", "/manage/evaluations/{id:int}/answer", "/manage/evaluations/{evaluation}/answer", OWN),
    ("POST", "/manage/evaluations/{id:int}/report", "/manage/evaluations/{evaluation}/report", OWN),
    ("POST", "/manage/evaluations/{id:int}/review", "/manage/evaluations/{evaluation}/review", OWN_REVIEWERS),
    ("POST", "/manage/evaluations/{id:int}/submit", "/manage/evaluations/{evaluation}/submit", OWN),
    (
        "POST",
        "/manage/evaluation-opinion-answers/{id:int}/review",
        "/manage/evaluation-opinion-answers/{evaluation_answer}/review",
        OWN_REVIEWERS,
    ),
    ("GET", "/manage/drafts/{id:int}", "/manage/drafts/{draft}", OWN),
    ("POST", "/manage/drafts/{id:int}/attachments", "/manage/drafts/{draft}/attachments", OWN),
    ("POST", "/manage/drafts/{id:int}/consultation", "/manage/drafts/{draft}/consultation", OWN),
    ("GET", "/manage/consultations/{id:int}", "/manage/consultations/{consultation}", OWN),
    ("POST", "/manage/consultations/{id:int}/schedule", "/manage/consultations/{consultation}/schedule", OWN),
    ("POST", "/manage/consultations/{id:int}/publish", "/manage/consultations/{consultation}/publish", OWN_REVIEWERS),
    ("POST", "/manage/consultations/{id:int}/close", "/manage/consultations/{consultation}/close", OWN),
    ("POST", "/manage/consultations/{id:int}/extend", "/manage/consultations/{consultation}/extend", OWN),
    ("GET", "/manage/consultations/{id:int}/moderation", "/manage/consultations/{consultation}/moderation", OWN),
    ("POST", "/manage/comments/{id:int}/moderate", "/manage/comments/{pending}/moderate", OWN),
    ("GET", "/manage/consultations/{id:int}/offline", "/manage/consultations/{consultation}/offline", OWN),
    ("POST", "/manage/consultations/{id:int}/offline", "/manage/consultations/{consultation}/offline", OWN),
    ("GET", "/manage/consultations/{id:int}/answers", "/manage/consultations/{consultation}/answers", OWN),
    ("POST", "/manage/comments/{id:int}/answer", "/manage/comments/{comment}/answer", OWN),
    ("GET", "/manage/reviews", "/manage/reviews", {"admin", "reviewer_a", "reviewer_b"}),
    ("POST", "/manage/answers/{id:int}/review", "/manage/answers/{answer}/review", OWN_REVIEWERS),
    ("GET", "/manage/consultations/{id:int}/groups", "/manage/consultations/{consultation}/groups", OWN),
    ("GET", "/manage/consultations/{id:int}/proposals", "/manage/consultations/{consultation}/proposals", OWN),
    ("POST", "/manage/consultations/{id:int}/groups/new", "/manage/consultations/{consultation}/groups/new", OWN),
    (
        "POST",
        "/manage/consultations/{id:int}/groups/detect",
        "/manage/consultations/{consultation}/groups/detect",
        OWN,
    ),
    ("POST", "/manage/groups/{id:int}/rename", "/manage/groups/{group}/rename", OWN),
    ("POST", "/manage/groups/{id:int}/merge", "/manage/groups/{group}/merge", OWN),
    ("POST", "/manage/groups/{id:int}/answer", "/manage/groups/{group}/answer", OWN),
    ("POST", "/manage/comments/{id:int}/split", "/manage/comments/{member}/split", OWN),
    ("POST", "/manage/group-answers/{id:int}/review", "/manage/group-answers/{group_answer}/review", OWN_REVIEWERS),
    ("GET", "/manage/templates", "/manage/templates", EVERY),
    ("POST", "/manage/templates", "/manage/templates", EVERY),
    ("POST", "/manage/templates/{id:int}/delete", "/manage/templates/{template}/delete", OWN),
    ("GET", "/manage/meetings", "/manage/meetings", OFFICE),
    ("POST", "/manage/meetings", "/manage/meetings", OFFICE),
    ("GET", "/manage/meetings/{id:int}", "/manage/meetings/{meeting}", OFFICE),
    ("POST", "/manage/meetings/{id:int}/select", "/manage/meetings/{meeting}/select", OFFICE),
    ("POST", "/manage/meetings/{id:int}/lottery", "/manage/meetings/{meeting}/lottery", OFFICE),
    ("POST", "/manage/meetings/{id:int}/invite", "/manage/meetings/{meeting}/invite", OFFICE),
    ("POST", "/manage/meetings/{id:int}/attendance", "/manage/meetings/{meeting}/attendance", OFFICE),
    ("POST", "/manage/meetings/{id:int}/opinion", "/manage/meetings/{meeting}/opinion", OFFICE),
    ("POST", "/manage/meetings/{id:int}/outcome", "/manage/meetings/{meeting}/outcome", OFFICE),
    ("POST", "/manage/meetings/{id:int}/materials", "/manage/meetings/{meeting}/materials", OFFICE),
    ("POST", "/manage/opinions/{id:int}/answer", "/manage/opinions/{opinion}/answer", OWN),
    (
        "POST",
        "/manage/opinion-answers/{id:int}/review",
        "/manage/opinion-answers/{opinion_answer}/review",
        OWN_REVIEWERS,
    ),
    ("GET", "/manage/reports/{id:int}", "/manage/reports/{report}", OWN),
    ("POST", "/manage/reports/{id:int}/note", "/manage/reports/{report}/note", OWN),
    ("POST", "/manage/reports/{id:int}/publish", "/manage/reports/{report}/publish", OWN_REVIEWERS),
    ("POST", "/manage/reports/{id:int}/correct", "/manage/reports/{report}/correct", OWN_REVIEWERS),
    ("GET", "/manage/dashboard", "/manage/dashboard", EVERY),
    ("GET", "/manage/dashboard/charts/{name:str}.svg", "/manage/dashboard/charts/monthly.svg", EVERY),
    ("GET", "/manage/calendar", "/manage/calendar", OFFICE),
    ("GET", "/manage/years/{year:int}/annual-report", "/manage/years/2026/annual-report", OFFICE),
    ("POST", "/manage/calendar", "/manage/calendar", OFFICE),
    ("GET", "/manage/audit", "/manage/audit", OFFICE),
    ("GET", "/manage/departments", "/manage/departments", OFFICE),
    ("POST", "/manage/departments", "/manage/departments", OFFICE),
    ("GET", "/manage/users", "/manage/users", OFFICE),
    ("POST", "/manage/users", "/manage/users", OFFICE),
    ("POST", "/manage/users/{id:int}", "/manage/users/{user}", OFFICE),
]


def _staff_routes() -> set[tuple[str, str]]:
    from consult.app import create_app

    def walk(routes, prefix=""):
        for route in routes:
            if isinstance(route, Mount):
                yield from walk(route.routes, prefix + route.path)
            elif isinstance(route, Route) and (prefix + route.path).startswith("/manage"):
                for method in route.methods or ():
                    if method != "HEAD":
                        yield method, prefix + route.path

    return set(walk(create_app().routes))


def test_the_matrix_covers_every_staff_route() -> None:
    assert _staff_routes() == {(method, route) for method, route, _, _ in MATRIX}


async def _world() -> tuple[dict, dict]:
    dept_a, dept_b = await make_department("甲局"), await make_department("乙局")
    users = {
        "admin": await make_user(Role.ADMIN),
        "staff_a": await make_user(Role.STAFF, dept_a),
        "reviewer_a": await make_user(Role.REVIEWER, dept_a),
        "staff_b": await make_user(Role.STAFF, dept_b),
        "reviewer_b": await make_user(Role.REVIEWER, dept_b),
    }
    decision = await make_decision(department=dept_a)
    consultation = await make_consultation(decision)
    comment = await make_comment(consultation, "建议延长公示期，方便群众充分表达意见。")
    pending = await make_comment(consultation, "待审看的意见，内容完整而且具体。", state=ModerationState.PENDING)
    answered = await make_comment(consultation, "建议公开听证会的报名方式和名额。")
    answer = await answer_comment(answered, AnswerStatus.NOT_ADOPTED, "理由", users["staff_a"], clock.now())
    members = [await make_comment(consultation, f"第{i}位：建议增加夜间公交班次。") for i in range(2)]
    group = await create_group(consultation, [m.id for m in members], "夜间公交", users["staff_a"], clock.now())
    group_answer = await answer_group(group, AnswerStatus.ADOPTED, "", users["staff_a"], clock.now())
    template = await AnswerTemplate.create(department=dept_a, title="通用", text="感谢", created_at=clock.now())
    closed = await make_closed_consultation(clock.today() - timedelta(days=10), await make_decision(department=dept_a))
    await make_result(closed, clock.today() - timedelta(days=5))
    report = await AdoptionReport.get(consultation_id=closed.id)
    decided = await closed.decision
    interpretation = await make_interpretation(decided, approved=False)
    update = await make_execution_update(decided)
    link = await ChangeLink.create(decision=decided, comment=comment, article_label="第1段", created_at=clock.now())
    meeting = await make_meeting(date(2026, 3, 5), decision=decision)
    attendee = await make_attendee(meeting)
    topic = await MeetingTopic.get(meeting_id=meeting.id)
    opinion = await record_opinion(attendee, topic, "建议分步实施。", users["admin"], clock.now())
    opinion_answer = await answer_opinion(opinion, AnswerStatus.ADOPTED, "", users["staff_a"], clock.now())
    hearing = await make_hearing(consultation, published=False)
    step = await make_step(decision)
    survey = await make_survey(dept_a)
    evaluation, _, evaluation_answer = await make_evaluation(dept_a)
    other_user = await make_user(Role.STAFF, dept_a)
    ids = {
        "decision": decision.id,
        "draft": consultation.draft_id,
        "consultation": consultation.id,
        "comment": comment.id,
        "pending": pending.id,
        "answer": answer.id,
        "group": group.id,
        "member": members[0].id,
        "group_answer": group_answer.id,
        "template": template.id,
        "report": report.id,
        "decided": decided.id,
        "interpretation": interpretation.id,
        "update": update.id,
        "link": link.id,
        "meeting": meeting.id,
        "opinion": opinion.id,
        "opinion_answer": opinion_answer.id,
        "user": other_user.id,
        "hearing": hearing.id,
        "step": step.id,
        "survey": survey.id,
        "evaluation": evaluation.id,
        "evaluation_answer": evaluation_answer.id,
    }
    return users, ids


@pytest.mark.parametrize("role", ROLES)
async def test_every_staff_route_for_every_role(client, role: str) -> None:
    users, ids = await _world()
    if role != "anonymous":
        await log_in(client, users[role])
    wrong = []
    for method, _, path, allowed in MATRIX:
        url = path.format(**ids)
        response = await (client.get(url) if method == "GET" else post(client, url, {}))
        status = response.status_code
        if role == "anonymous":
            ok = status == 303 and response.headers["location"].startswith("/login")
        elif role in allowed:  # pages show; actions give their own answer (redirect, 409, 422…)
            ok = status == 200 if method == "GET" else status not in (401, 403) and status < 500
        else:
            ok = status == 403
        if not ok:
            wrong.append(f"{method} {url}: {status}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
