"""Staff accounts, sessions and the login rate limit."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from tortoise.exceptions import IntegrityError

from consult.accounts.models import Department, LoginFailure, Role, StaffSession, User
from consult.accounts.permissions import is_admin
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.i18n import N_

_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps the timing of "no such user" and
# "wrong password" alike, so the login form does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("not-a-password")
USERNAME_RE = re.compile(r"^[a-zA-Z0-9_.-]{3,50}$")
MIN_PASSWORD_LENGTH = 10


class TooManyAttempts(PermissionDenied):
    status_code = 429

    @property
    def retry_after(self) -> int:
        return int(self.params["seconds"])


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            {"password": N_("The password must have at least %(n)s characters.")}, n=MIN_PASSWORD_LENGTH
        )


async def create_department(name: str, actor: User | None) -> Department:
    """Only the office creates departments."""
    if actor is not None and not is_admin(actor):
        raise PermissionDenied("Only the government office manages departments.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": N_("Enter the department's name.")})
    if await Department.filter(name=name).exists():
        raise ValidationError({"name": N_("A department with this name already exists.")})
    return await Department.create(name=name)


async def create_user(
    username: str,
    password: str,
    role: Role,
    display_name: str,
    department: Department | None,
    actor: User | None,
) -> User:
    """Admins need no department; staff and reviewers belong to exactly one. `actor=None` is the CLI."""
    if actor is not None and not is_admin(actor):
        raise PermissionDenied("Only the government office manages users.")
    errors: dict[str, str] = {}
    if not USERNAME_RE.match(username):
        errors["username"] = N_("Use 3–50 letters, digits, dots, dashes or underscores.")
    if role is not Role.ADMIN and department is None:
        errors["department"] = N_("Staff and reviewers belong to a department.")
    if not display_name.strip():
        errors["display_name"] = N_("Enter the person's name.")
    if errors:
        raise ValidationError(errors)
    _validate_password(password)
    if await User.filter(username=username).exists():
        raise ValidationError({"username": N_("This username is taken.")})
    try:
        return await User.create(
            username=username,
            password_hash=hash_password(password),
            role=role,
            display_name=display_name.strip(),
            department=None if role is Role.ADMIN else department,
        )
    except IntegrityError as exc:
        raise ValidationError({"username": N_("This username is taken.")}) from exc


async def set_user_active(user: User, active: bool, actor: User) -> None:
    if not is_admin(actor):
        raise PermissionDenied("Only the government office manages users.")
    if user.id == actor.id and not active:
        raise Conflict("You cannot deactivate your own account.")
    user.is_active = active
    await user.save(update_fields=["is_active"])
    if not active:
        await StaffSession.filter(user_id=user.id).delete()


async def reset_password(user: User, password: str, actor: User) -> None:
    if not is_admin(actor) and actor.id != user.id:
        raise PermissionDenied("Only the government office manages users.")
    _validate_password(password)
    user.password_hash = hash_password(password)
    await user.save(update_fields=["password_hash"])
    await StaffSession.filter(user_id=user.id).delete()


def login_delay(failures: int, free: int, window_seconds: int) -> int:
    """Seconds to wait after the last failure before the next try: none for the first `free` failures,
    then 1, 2, 4, 8 … seconds, never more than the window. A guesser gets a handful of tries in a
    quarter of an hour; nobody is ever locked out for good."""
    if failures < free:
        return 0
    return min(2 ** min(failures - free, 20), window_seconds)


async def authenticate(
    username: str, password: str, address: str, now: datetime, max_failures: int, window_seconds: int
) -> User:
    """Return the user, or raise. Wrong passwords slow down the one who types them: delays grow per
    username and address pair, and per address (an address may try a few accounts, not spray many). The
    right password from anywhere else is never refused, so a guesser cannot lock the real office out."""
    since = now - timedelta(seconds=window_seconds)
    username = username.strip()[:50]
    address = address[:64]
    pair = LoginFailure.filter(username=username, address=address, at__gte=since)
    spray = LoginFailure.filter(address=address, at__gte=since)
    waits = []
    for failures, free in ((pair, max_failures), (spray, max_failures * 4)):
        count = await failures.count()
        delay = login_delay(count, free, window_seconds)
        if delay:
            last = await failures.order_by("-at").first()
            if last is not None and now < last.at + timedelta(seconds=delay):
                waits.append(math.ceil((last.at + timedelta(seconds=delay) - now).total_seconds()))
    if waits:
        raise TooManyAttempts(
            "Too many failed logins from this connection. Try again in %(seconds)s seconds.", seconds=max(waits)
        )
    user = await User.get_or_none(username=username)
    valid = check_password(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not valid or not user.is_active:
        await LoginFailure.create(username=username, address=address, at=now)
        raise ValidationError(N_("Wrong username or password."))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    await user.save(update_fields=["password_hash", "last_login_at"])
    await LoginFailure.filter(username=username, address=address).delete()
    return user


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start_session(user: User, now: datetime, days: int) -> str:
    """A fresh random token on every login, so a session id planted before login is worthless."""
    token = secrets.token_urlsafe(32)
    await StaffSession.create(id=_token_id(token), user=user, created_at=now, expires_at=now + timedelta(days=days))
    await StaffSession.filter(expires_at__lt=now).delete()
    return token


async def session_user(token: str | None, now: datetime) -> User | None:
    if not token or len(token) > 100:
        return None
    session = await StaffSession.get_or_none(id=_token_id(token)).prefetch_related("user__department")
    if session is None or session.expires_at < now or not session.user.is_active:
        return None
    return session.user


async def end_session(token: str | None) -> None:
    if token:
        await StaffSession.filter(id=_token_id(token)).delete()
