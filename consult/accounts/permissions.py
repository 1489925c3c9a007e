"""Who may do what: plain predicates. Services enforce them; templates receive their results."""

from __future__ import annotations

from consult.accounts.models import Role, User


def is_admin(user: User | None) -> bool:
    return user is not None and user.is_active and user.role is Role.ADMIN


def in_department(user: User | None, department_id: int) -> bool:
    """Admins act for every department; staff and reviewers only for their own."""
    if user is None or not user.is_active:
        return False
    return user.role is Role.ADMIN or user.department_id == department_id


def can_edit_department_content(user: User | None, department_id: int) -> bool:
    return in_department(user, department_id)


def can_review(user: User | None, department_id: int) -> bool:
    """先审查后公开: only a reviewer of the department (or the office) makes content public."""
    return in_department(user, department_id) and user is not None and user.role in (Role.ADMIN, Role.REVIEWER)


def can_approve_answer(user: User | None, department_id: int, answered_by_id: int | None) -> bool:
    # Four eyes: nobody approves their own answer.
    return can_review(user, department_id) and user is not None and user.id != answered_by_id
