"""A call for participants, written once: standing meetings (国务院令第713号 Art.29) and hearings
(Art.17–18) both take applications in a window, give seats per category, select by hand with a
recorded reason or by a public, re-checkable draw, and record who attended.

Permission checks and notifications stay with the caller: who manages a call and what the selected
are told differ between meetings and hearings, the rules here do not."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from consult.comments.receipts import new_receipt_code
from consult.comments.services import EMAIL_RE, PHONE_RE
from consult.errors import Conflict, ValidationError
from consult.i18n import N_
from consult.participation.models import Applicant, ApplicationStatus, Attendance, Draw, SelectionMethod
from consult.participation.states import check_application, check_attendance

LOTTERY_METHOD = N_(
    "Each candidate's application number is appended to the seed with a colon, e.g. “seed:17”, and "
    "hashed with SHA-256. Candidates are ordered by the hexadecimal hash, lowest first; the first ones "
    "fill the seats."
)

ALREADY_APPLIED = N_(
    "This phone number or e-mail address has already applied to attend this meeting: each person applies once."
)

SAY_WHAT = N_("Say briefly what you want to say at the meeting.")


@dataclass(frozen=True)
class Call:
    """One call for participants, whatever holds it: its window, its seats, and its tables."""

    applicants: type[Applicant]
    draws: type[Draw]
    owner: str  # the foreign key to the holder: "meeting" or "hearing"
    owner_id: int
    opens_on: date | None
    closes_on: date | None
    quotas: Mapping[str, int]
    already_applied: str = ALREADY_APPLIED
    say_what: str = SAY_WHAT
    # Categories whose applicants must declare they are not serving civil servants (hearing representatives).
    declared: frozenset[str] = frozenset()
    extra_fields: Callable[[ApplicationInput], dict[str, Any]] = field(default=lambda data: {})

    def scope(self) -> dict[str, int]:
        return {f"{self.owner}_id": self.owner_id}

    def is_open(self, today: date) -> bool:
        return self.opens_on is not None and self.closes_on is not None and self.opens_on <= today <= self.closes_on


@dataclass
class ApplicationInput:
    name: str
    category: str
    organisation: str = ""
    statement: str = ""
    phone: str = ""
    email: str = ""
    adult: bool = False
    local: bool = False
    not_civil_servant: bool = False
    notify_by_email: bool = False


class AlreadyApplied(Conflict):
    """The phone or e-mail already applied to this call. `receipt_code` is the earlier application's, given
    back only to someone who also typed its name: the contact alone must not open a stranger's page."""

    def __init__(self, receipt_code: str | None, message: str = ALREADY_APPLIED) -> None:
        super().__init__(message)
        self.receipt_code = receipt_code


def phone_key(phone: str) -> str | None:
    """13812345678, 138-1234-5678, +86 138 1234 5678 and 8613812345678 are one number."""
    digits = re.sub(r"[\s-]", "", phone)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits or None


def email_key(email: str) -> str | None:
    return email.strip().lower() or None


async def _earlier_application(call: Call, phone: str | None, email: str | None) -> Applicant | None:
    keys = [Q(phone_key=phone)] if phone else []
    keys += [Q(email_key=email)] if email else []
    if not keys:
        return None
    return await call.applicants.filter(Q(*keys, join_type="OR"), **call.scope()).first()


def _check_application(call: Call, data: ApplicationInput) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name or len(name) > 50:
        errors["name"] = N_("Enter your name (it is published if you are selected).")
    if data.category not in call.quotas:
        errors["category"] = N_("Choose one of the options.")
    phone, email = re.sub(r"[\s-]", "", data.phone.strip()), data.email.strip()
    if not phone and not email:
        errors["contact"] = N_("Enter a phone number or an e-mail address, so the department can reach you.")
    if phone and (len(phone) > 40 or not PHONE_RE.match(phone)):
        errors["phone"] = N_("Enter a mobile number (11 digits) or a landline with its area code.")
    if email and (len(email) > 200 or not EMAIL_RE.match(email)):
        errors["email"] = N_("Enter a valid e-mail address.")
    if not data.statement.strip():
        errors["statement"] = call.say_what
    elif len(data.statement) > 2000:
        errors["statement"] = N_("Too long.")
    if not (data.adult and data.local):
        errors["eligibility"] = N_("Applicants must confirm both eligibility conditions.")
    if data.category in call.declared and not data.not_civil_servant:
        errors["not_civil_servant"] = N_("Serving civil servants cannot be representatives: confirm you are not one.")
    if errors:
        raise ValidationError(errors)
    return name, phone, email


async def apply(call: Call, data: ApplicationInput, today: date, now: datetime) -> Applicant:
    """报名: within the window, for a category with seats, with the eligibility declarations; one
    application per phone number and per e-mail address."""
    if not call.is_open(today):
        raise Conflict("Applications are not open.")
    name, phone, email = _check_application(call, data)
    keys = phone_key(phone), email_key(email)
    earlier = await _earlier_application(call, *keys)
    if earlier is None:
        try:
            return await call.applicants.create(
                **call.scope(),
                **call.extra_fields(data),
                name=name,
                category=data.category,
                organisation=data.organisation.strip()[:100],
                statement=data.statement.strip(),
                contact_phone=phone,
                contact_email=email,
                phone_key=keys[0],
                email_key=keys[1],
                notify_by_email=data.notify_by_email and bool(email),
                receipt_code=new_receipt_code(),
                created_at=now,
            )
        except IntegrityError:  # the same person's second click, a moment earlier
            earlier = await _earlier_application(call, *keys)
            if earlier is None:
                raise
    raise AlreadyApplied(earlier.receipt_code if earlier.name == name else None, call.already_applied)


async def seats_left(call: Call, category: str) -> int:
    taken = await call.applicants.filter(
        **call.scope(), category=category, status__in=[ApplicationStatus.SELECTED, ApplicationStatus.INVITED]
    ).count()
    return int(call.quotas.get(category, 0)) - taken


async def select(call: Call, applicant: Applicant, chosen: bool, reason: str) -> None:
    """Selection by hand needs a recorded reason, and a free seat in the category."""
    target = ApplicationStatus.SELECTED if chosen else ApplicationStatus.NOT_SELECTED
    check_application(applicant.status, target)
    if not reason.strip():
        raise ValidationError({"reason": N_("Record why this applicant is or is not selected.")})
    category = str(getattr(applicant, "category"))  # noqa: B009 - each concrete call declares it
    if chosen and await seats_left(call, category) <= 0:
        raise Conflict("No seat is left in this category.")
    applicant.status = target
    applicant.selection_method = SelectionMethod.MANUAL
    applicant.selection_reason = reason.strip()
    await applicant.save(update_fields=["status", "selection_method", "selection_reason"])


def distinct_people(applications: list[Applicant]) -> list[int]:
    """One ticket per person: the earliest application of each phone and of each e-mail address."""
    seen: set[str] = set()
    tickets = []
    for application in applications:
        keys = {f"p:{k}" for k in [phone_key(application.contact_phone)] if k}
        keys |= {f"e:{k}" for k in [email_key(application.contact_email)] if k}
        if keys & seen:
            continue
        seen |= keys
        tickets.append(application.id)
    return tickets


def draw(seed: str, candidates: list[int], seats: int) -> list[int]:
    """The published method, as code: order by SHA-256("seed:number"), take the first `seats`."""
    ordered = sorted(candidates, key=lambda n: hashlib.sha256(f"{seed}:{n}".encode()).hexdigest())
    return sorted(ordered[: max(seats, 0)])


async def draw_lottery(
    call: Call, category: str, actor: Any, today: date, now: datetime, seed: str | None = None
) -> tuple[Draw, list[Applicant]]:
    """A public draw among the category's applicants after the window closes; returns the draw and the
    winners (the caller tells them). Everyone not drawn is marked not selected."""
    if call.closes_on is None or today <= call.closes_on:
        raise Conflict("The draw takes place after applications close.")
    if category not in call.quotas:
        raise ValidationError({"category": N_("Choose one of the options.")})
    seats = await seats_left(call, category)
    applied = (
        await call.applicants.filter(**call.scope(), category=category, status=ApplicationStatus.APPLIED)
        .order_by("id")
        .all()
    )
    candidates = distinct_people(list(applied))
    if not candidates:
        raise Conflict("There is no applicant to draw from in this category.")
    seed = seed or secrets.token_hex(16)
    winners = draw(seed, candidates, seats)
    async with in_transaction("default"):
        record = await call.draws.create(
            **call.scope(),
            category=category,
            seed=seed,
            seats=seats,
            candidates=candidates,
            winners=winners,
            drawn_by=actor,
            drawn_at=now,
        )
        await call.applicants.filter(id__in=winners).update(
            status=ApplicationStatus.SELECTED, selection_method=SelectionMethod.LOTTERY
        )
        await call.applicants.filter(id__in=[a.id for a in applied if a.id not in winners]).update(
            status=ApplicationStatus.NOT_SELECTED, selection_method=SelectionMethod.LOTTERY
        )
    return record, list(await call.applicants.filter(id__in=winners))


async def invite(
    call: Call, name: str, category: str, organisation: str, now: datetime, categories: Iterable[str]
) -> Applicant:
    """Invited by the office (experts, media): never applied, never drawn, no seat check; in any of the
    call's `categories`, with seats for the public or not."""
    if not name.strip():
        raise ValidationError({"name": N_("Enter the person's name.")})
    if category not in set(categories):
        raise ValidationError({"category": N_("Choose one of the options.")})
    return await call.applicants.create(
        **call.scope(),
        name=name.strip()[:50],
        category=category,
        organisation=organisation.strip()[:100],
        receipt_code=new_receipt_code(),
        status=ApplicationStatus.INVITED,
        selection_method=SelectionMethod.INVITATION,
        created_at=now,
    )


async def record_attendance(applicant: Applicant, attended: bool, held_on: date, today: date) -> None:
    if today < held_on:
        raise Conflict("Attendance is recorded once the meeting has taken place.")
    attendance = Attendance.ATTENDED if attended else Attendance.ABSENT
    check_attendance(applicant.status, attendance)
    applicant.attendance = attendance
    await applicant.save(update_fields=["attendance"])
