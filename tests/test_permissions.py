"""The exact answers of some staff actions per role (the 403s of every route are in test_permission_matrix)."""

from __future__ import annotations

import pytest

from tests.factories import log_in, post
from tests.test_permission_matrix import ROLES, _world

OWN = {"admin": 200, "staff_a": 200, "reviewer_a": 200, "staff_b": 403, "reviewer_b": 403, "anonymous": 303}
ADMIN_ONLY = {"admin": 200, "staff_a": 403, "reviewer_a": 403, "staff_b": 403, "reviewer_b": 403, "anonymous": 303}

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
