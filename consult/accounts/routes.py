"""Login and logout; the office's department and user management."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.functions import Count

from consult import clock, forms
from consult.accounts.guards import require_admin
from consult.accounts.models import Department, Role, User
from consult.accounts.services import (
    TooManyAttempts,
    authenticate,
    create_department,
    create_user,
    end_session,
    reset_password,
    set_user_active,
    start_session,
)
from consult.audit.services import record_event
from consult.errors import DomainError, ValidationError
from consult.web import (
    SESSION_COOKIE,
    FormPage,
    client_address,
    current_user,
    field_errors,
    form_text,
    get_or_404,
    read_form,
    redirect,
    rotate_csrf,
    settings_of,
)


def _safe_next(target: str) -> str:
    # Only local paths: an attacker's link must not bounce a fresh login to another site.
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/manage/"


class Login(FormPage):
    template = "accounts/login.html"
    shown_errors = (ValidationError, TooManyAttempts)

    async def get(self, request: Request) -> Response:
        if await current_user(request):
            return redirect(_safe_next(request.query_params.get("next", "/manage/")))
        return await super().get(request)

    async def context(self, request: Request, target: None) -> dict[str, Any]:
        return {"next": _safe_next(request.query_params.get("next", "/manage/")), "username": ""}

    def error_context(self, error: DomainError) -> dict[str, Any]:
        return {"next": self.next_url, "username": self.username}

    async def submit(self, request: Request, target: None, form: FormData) -> Response:
        self.next_url, self.username = _safe_next(form_text(form, "next") or "/manage/"), form_text(form, "username")
        user = await _authenticate(request, self.username, form_text(form, "password"))
        await end_session(request.cookies.get(SESSION_COOKIE))
        settings = settings_of(request)
        token = await start_session(user, clock.now(), settings.session_days)
        rotate_csrf(request)
        await record_event("login", clock.now(), actor=user, details={"address": client_address(request)})
        response = redirect(self.next_url)
        cookie = {"max_age": settings.session_days * 86400, "httponly": True, "samesite": "lax"}
        response.set_cookie(SESSION_COOKIE, token, secure=settings.https, **cookie)  # type: ignore[arg-type]
        return response


async def _authenticate(request: Request, username: str, password: str) -> User:
    settings, address = settings_of(request), client_address(request)
    try:
        limits = (settings.login_max_failures, settings.login_window_seconds)
        return await authenticate(username, password, address, clock.now(), *limits)
    except ValidationError as exc:
        # Only a checked, wrong password: a try refused by the delay is not written, so a guesser
        # hammering the form cannot grow the append-only log faster than the delays allow.
        details = {"username": username[:50], "address": address}
        await record_event("login failed", clock.now(), status=exc.status_code, details=details)
        raise


async def logout(request: Request) -> Response:
    await read_form(request)
    user = await current_user(request)
    await end_session(request.cookies.get(SESSION_COOKIE))
    rotate_csrf(request)
    if user is not None:
        await record_event("logout", clock.now(), actor=user)
    response = redirect("/")
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=settings_of(request).https)
    return response


async def _admin(request: Request) -> User:
    return await require_admin(request, "Only the government office manages departments and users.")


class ManageDepartments(FormPage):
    template = "manage/departments.html"

    async def load(self, request: Request) -> User:
        return await _admin(request)

    async def context(self, request: Request, user: User) -> dict[str, Any]:
        return {"departments": await Department.all().annotate(n=Count("users"))}

    async def submit(self, request: Request, user: User, form: FormData) -> Response:
        await create_department(form_text(form, "name"), user)
        return redirect("/manage/departments")


class ManageUsers(FormPage):
    template = "manage/users.html"

    async def load(self, request: Request) -> User:
        return await _admin(request)

    async def context(self, request: Request, user: User) -> dict[str, Any]:
        users = await User.all().prefetch_related("department")
        return {"users": users, "departments": await Department.all(), "roles": list(Role), "row_errors": {}}

    async def submit(self, request: Request, user: User, form: FormData) -> Response:
        role = forms.one_of(form.get("role"), Role, "role")
        errors = forms.Errors()
        department_id = forms.parse_int(form.get("department_id"), "department_id", errors, required=False)
        errors.raise_if_any()
        department = await Department.get_or_none(id=department_id) if department_id else None
        username, password = form_text(form, "username").strip(), form_text(form, "password")
        await create_user(username, password, role, form_text(form, "display_name"), department, user)
        return redirect("/manage/users")


class ManageUser(ManageUsers):
    """POST /manage/users/{id}: activate, deactivate, or set a new password. Refused, the list comes
    back with the message on that user's row."""

    async def load(self, request: Request) -> tuple[User, User]:
        actor = await _admin(request)
        target = await get_or_404(User, id=request.path_params["id"])
        return actor, target

    async def context(self, request: Request, target: tuple[User, User]) -> dict[str, Any]:
        return await super().context(request, target[0])

    async def submit(self, request: Request, target: tuple[User, User], form: FormData) -> Response:
        actor, user = target
        action = form_text(form, "action")
        if action in ("activate", "deactivate"):
            await set_user_active(user, action == "activate", actor)
        elif action == "password":
            await reset_password(user, form_text(form, "password"), actor)
        else:
            raise HTTPException(400)
        return redirect("/manage/users")

    async def refused(
        self, request: Request, target: tuple[User, User], form: FormData, error: DomainError
    ) -> Response:
        row_errors = {target[1].id: next(iter(field_errors(error).values()))}
        return await self.show(request, target, status=error.status_code, extra={"row_errors": row_errors})


routes = [
    Route("/login", Login, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/manage/departments", ManageDepartments, methods=["GET", "POST"]),
    Route("/manage/users", ManageUsers, methods=["GET", "POST"]),
    Route("/manage/users/{id:int}", ManageUser, methods=["POST"]),
]
