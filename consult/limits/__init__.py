"""Limits on the public forms (comments, applications to attend), counted in the database so that every
app process shares them, per client address and per contact.

The defaults are set for a county consultation at its busiest. A mobile carrier's or a campus's
shared address (CGNAT) can carry hundreds of real people, so the address limit only stops one machine
flooding the form (600 comments an hour from one address, 10 a minute sustained); the contact limit
(20 comments an hour per phone or e-mail) is what holds back one person or script posing as many
comments. `CONSULT_FORM_LIMITS=0` lifts both for load tests.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from starlette.requests import Request

from consult import clock
from consult.errors import Conflict
from consult.i18n import N_
from consult.limits.counter import Window, hit, window
from consult.web import client_address, settings_of

HOUR = 3600
TOO_MANY = N_(
    "Too many submissions from this connection or contact. What you typed is kept below: try again in "
    "%(minutes)s minutes."
)


class TooManySubmissions(Conflict):
    """A public form refused for now: shown again with what was typed, 429 with Retry-After."""

    status_code = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(TOO_MANY, minutes=max(1, round(retry_after / 60)))
        self.retry_after = retry_after


def contact_key(phone: str, email: str) -> str:
    """A hash, so that the counters never hold a phone number or an e-mail address."""
    contact = "".join(ch for ch in phone if ch.isdigit())[-11:] or email.strip().lower()
    return hashlib.sha256(contact.encode()).hexdigest()[:32] if contact else ""


def _limits(request: Request, form: str) -> tuple[int, int]:
    settings = settings_of(request)
    return {
        "comment": (settings.comments_per_address_hour, settings.comments_per_contact_hour),
        "application": (settings.applications_per_address_hour, settings.applications_per_contact_hour),
        # A questionnaire takes one response per contact anyway; the address limit is the comments'.
        "survey": (settings.comments_per_address_hour, settings.comments_per_contact_hour),
    }[form]


async def form_wait(request: Request, form: str, values: dict[str, str]) -> int | None:
    """Count one submission of a public form ("comment" or "application") from this visitor; None when
    allowed, else the seconds to wait."""
    if not settings_of(request).form_limits:
        return None
    per_address, per_contact = _limits(request, form)
    contact = contact_key(values.get("phone", ""), values.get("email", ""))
    return await retry_after(form, client_address(request), contact, clock.now(), per_address, per_contact)


def form_windows(request: Request, form: str, values: dict[str, str]) -> list[Window]:
    """The windows one submission counts in, for a service that counts them in its own transaction
    (the comment writer, with the comments it stores); none when the limits are off."""
    if not settings_of(request).form_limits:
        return []
    per_address, per_contact = _limits(request, form)
    now = clock.now()
    windows = [window(f"{form}-addr", client_address(request), now, per_address, HOUR)]
    if contact := contact_key(values.get("phone", ""), values.get("email", "")):
        windows.append(window(f"{form}-contact", contact, now, per_contact, HOUR))
    return windows


async def check_form_limit(request: Request, form: str, values: dict[str, str]) -> None:
    """Count one submission; TooManySubmissions when this visitor or contact has sent too many."""
    if (wait := await form_wait(request, form, values)) is not None:
        raise TooManySubmissions(wait)


async def retry_after(
    bucket: str, address: str, contact: str, now: datetime, per_address: int, per_contact: int
) -> int | None:
    """Count one submission; None when allowed, else the seconds until the window that refused it ends."""
    waits = [await hit(f"{bucket}-addr", address, now, per_address, HOUR)]
    if contact:
        waits.append(await hit(f"{bucket}-contact", contact, now, per_contact, HOUR))
    refused = [w for w in waits if w is not None]
    return max(refused) if refused else None
