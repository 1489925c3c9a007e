"""Role × department matrix over every staff page and action: office, own department, other department."""

from __future__ import annotations

import pytest

from consult import clock
from consult.accounts.models import Role
from consult.answers.models import AnswerStatus
from consult.answers.services import answer_comment
from consult.comments.models import ModerationState
from tests.factories import log_in, make_comment, make_consultation, make_department, make_user, post

ROLES = ["anonymous", "admin", "staff_a", "reviewer_a", "staff_b", "reviewer_b"]
OWN = {"admin": 200, "staff_a": 200, "reviewer_a": 200, "staff_b": 403, "reviewer_b": 403, "anonymous": 303}
EVERY_STAFF = {"admin": 200, "staff_a": 200, "reviewer_a": 200, "staff_b": 200, "reviewer_b": 200, "anonymous": 303}
ADMIN_ONLY = {"admin": 200, "staff_a": 403, "reviewer_a": 403, "staff_b": 403, "reviewer_b": 403, "anonymous": 303}
REVIEWERS = {"admin": 200, "staff_a": 403, "reviewer_a": 200, "staff_b": 403, "reviewer_b": 200, "anonymous": 303}

PAGES = [
    ("/manage/", EVERY_STAFF),
    ("/manage/catalogs/", EVERY_STAFF),
    ("/manage/catalogs/2026", EVERY_STAFF),
    ("/manage/decisions/{decision}", OWN),
    ("/manage/drafts/{draft}", OWN),
    ("/manage/consultations/{consultation}", OWN),
    ("/manage/consultations/{consultation}/moderation", OWN),
    ("/manage/consultations/{consultation}/answers", OWN),
    ("/manage/consultations/{consultation}/offline", OWN),
    ("/manage/decisions/{decision}/drafts/new", OWN),
    ("/manage/reviews", REVIEWERS),
    ("/manage/departments", ADMIN_ONLY),
    ("/manage/users", ADMIN_ONLY),
]

# (path, form, expected by role): allowed roles get the action's own answer, never 403.
ACTIONS = [
    (
        "/manage/comments/{pending}/moderate",
        {"target": "published"},
        {**OWN, "admin": 303, "staff_a": 303, "reviewer_a": 303},
    ),
    (
        "/manage/comments/{comment}/answer",
        {"status": "adopted"},
        {**OWN, "admin": 303, "staff_a": 303, "reviewer_a": 303},
    ),
    (
        "/manage/consultations/{consultation}/close",
        {"reason": ""},
        {**OWN, "admin": 422, "staff_a": 422, "reviewer_a": 422},
    ),
    ("/manage/consultations/{consultation}/publish", {}, {**OWN, "admin": 409, "staff_a": 403, "reviewer_a": 409}),
    (
        "/manage/answers/{answer}/review",
        {"decision": "return"},
        {**OWN, "admin": 422, "staff_a": 403, "reviewer_a": 422},
    ),
    (
        "/manage/decisions/{decision}",
        {"background": "新背景"},
        {**OWN, "admin": 422, "staff_a": 303, "reviewer_a": 303},
    ),
    ("/manage/catalogs/", {"year": "2030"}, {**ADMIN_ONLY, "admin": 303}),
    ("/manage/catalogs/2026/publish", {}, {**ADMIN_ONLY, "admin": 409}),
    ("/manage/departments", {"name": "新单位"}, {**ADMIN_ONLY, "admin": 303}),
]


async def _world():
    dept_a = await make_department("甲局")
    dept_b = await make_department("乙局")
    users = {
        "admin": await make_user(Role.ADMIN),
        "staff_a": await make_user(Role.STAFF, dept_a),
        "reviewer_a": await make_user(Role.REVIEWER, dept_a),
        "staff_b": await make_user(Role.STAFF, dept_b),
        "reviewer_b": await make_user(Role.REVIEWER, dept_b),
    }
    from tests.factories import make_decision

    decision = await make_decision(department=dept_a)
    consultation = await make_consultation(decision)
    comment = await make_comment(consultation)
    pending = await make_comment(consultation, state=ModerationState.PENDING)
    answered = await make_comment(consultation)
    answer = await answer_comment(answered, AnswerStatus.NOT_ADOPTED, "理由", users["staff_a"], clock.now())
    ids = {
        "decision": consultation.decision_id,
        "draft": consultation.draft_id,
        "consultation": consultation.id,
        "comment": comment.id,
        "pending": pending.id,
        "answer": answer.id,
    }
    return users, ids


@pytest.mark.parametrize("role", ROLES)
async def test_staff_pages(client, role: str) -> None:
    users, ids = await _world()
    if role != "anonymous":
        await log_in(client, users[role])
    for path, expected in PAGES:
        response = await client.get(path.format(**ids))
        assert response.status_code == expected[role], (role, path, response.status_code)


@pytest.mark.parametrize("role", ROLES)
async def test_staff_actions(client, role: str) -> None:
    users, ids = await _world()
    if role != "anonymous":
        await log_in(client, users[role])
    for path, form, expected in ACTIONS:
        response = await post(client, path.format(**ids), form)
        assert response.status_code == expected[role], (role, path, response.status_code, response.text[-400:])


async def test_missing_objects_are_404_for_staff(client) -> None:
    users, _ = await _world()
    await log_in(client, users["admin"])
    for path in ("/manage/decisions/999999", "/manage/drafts/999999", "/manage/consultations/999999/answers"):
        assert (await client.get(path)).status_code == 404
