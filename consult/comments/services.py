"""Submitting comments (online and offline), receipts and moderation."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.transactions import in_transaction

from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content
from consult.comments import writer
from consult.comments.events import comment_moderated, moderation_committed
from consult.comments.models import (
    Channel,
    Comment,
    DisplayMode,
    ModerationState,
    SubmitterCategory,
    WithholdReason,
)
from consult.comments.receipts import new_receipt_code, normalise_receipt_code
from consult.comments.search import queue_index
from consult.comments.states import check_moderation
from consult.comments.tally import recount
from consult.drafts.models import Consultation
from consult.drafts.queries import article_ids
from consult.drafts.services import ConsultationState, consultation_state
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.forms import as_typed, visible_length
from consult.i18n import N_
from consult.limits.counter import Window

MIN_BODY, MAX_BODY = 10, 5000
PHONE_RE = re.compile(r"^(?:\+?86)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
ANONYMOUS_NAME = "匿名"


@dataclass
class CommentInput:
    body: str
    category: str
    name: str
    phone: str = ""
    email: str = ""
    display_mode: str = DisplayMode.MASKED
    article_id: int | None = None
    # The article as the commenter would write it; only with an article chosen.
    proposed_text: str = ""
    notify_by_email: bool = False
    # The form instance's one-time token (or the API's Idempotency-Key): a double click or a back-button
    # resubmission of the same form stores one comment. Empty: every submission is a new comment.
    form_token: str = ""
    # Who sent the form (the web visitor's cookie nonce), so that two visitors who were somehow served
    # the same form token still store two comments and never see each other's receipt.
    visitor: str = ""


FORM_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def mask_name(name: str) -> str:
    """张三丰 -> 张**; keeps the first character only."""
    name = name.strip()
    if not name:
        return ANONYMOUS_NAME
    return name[0] + "*" * max(1, min(len(name) - 1, 3))


def _normalise_body(body: str) -> str:
    return re.sub(r"\s+", " ", body).strip()


def _normalise_phone(phone: str) -> str:
    return re.sub(r"[\s-]", "", phone)


def _dedupe_key(consultation_id: int, data: CommentInput) -> str:
    """The same form sent twice with the same content is one comment. Never keyed on the contact: a
    stranger who sends a published comment's text with a guessed phone number must learn nothing.
    Another article, category, display mode or text is another comment, even from the same form."""
    if not FORM_TOKEN_RE.match(data.form_token):
        return secrets.token_hex(32)
    raw = "\x00".join(
        str(part)
        for part in (
            consultation_id,
            data.visitor,
            data.form_token,
            data.article_id or "",
            data.category,
            data.display_mode,
            _normalise_body(data.body),
            _normalise_body(data.proposed_text),
        )
    )
    return hashlib.sha256(raw.encode()).hexdigest()


async def _validate(
    consultation: Consultation, data: CommentInput, contact_required: bool = True
) -> tuple[SubmitterCategory, DisplayMode]:
    errors: dict[str, str] = {}
    body = as_typed(data.body)
    if visible_length(body) < MIN_BODY:
        errors["body"] = N_("Write at least 10 characters.")
    elif len(body) > MAX_BODY:
        errors["body"] = N_("Write at most 5,000 characters.")
    try:
        category = SubmitterCategory(data.category)
    except ValueError:
        errors["category"] = N_("Choose one of the options.")
        category = SubmitterCategory.CITIZEN
    try:
        display_mode = DisplayMode(data.display_mode)
    except ValueError:
        errors["display_mode"] = N_("Choose one of the options.")
        display_mode = DisplayMode.MASKED
    name = data.name.strip()
    if not visible_length(name):
        errors["name"] = N_("Enter your name. It is never published.")
    elif len(name) > 50:
        errors["name"] = N_("Too long.")
    phone, email = _normalise_phone(data.phone.strip()), data.email.strip()
    if not phone and not email and contact_required:
        errors["contact"] = N_("Enter a phone number or an e-mail address, so the department can reach you.")
    if phone and not PHONE_RE.match(phone):
        errors["phone"] = N_("Enter a mobile number (11 digits) or a landline with its area code.")
    if email and (len(email) > 200 or not EMAIL_RE.match(email)):
        errors["email"] = N_("Enter a valid e-mail address.")
    if data.article_id is not None and data.article_id not in await article_ids(consultation.draft_id):
        errors["article_id"] = N_("Choose an article of this draft.")
    proposed = as_typed(data.proposed_text)
    if proposed.strip() and data.article_id is None:
        errors["proposed_text"] = N_("Choose the article whose wording you propose to change.")
    elif len(proposed) > MAX_BODY:
        errors["proposed_text"] = N_("Write at most 5,000 characters.")
    if errors:
        raise ValidationError(errors)
    return category, display_mode


async def submit_comment(
    consultation: Consultation,
    data: CommentInput,
    now: datetime,
    today: date,
    *,
    channel: Channel = Channel.ONLINE,
    received_on: date | None = None,
    entered_by: User | None = None,
    limits: Sequence[Window] = (),
) -> tuple[Comment, bool]:
    """Store a comment and return it with True; the same form submitted again with the same content
    returns the first one with False. Online comments only while the consultation is open. `limits`:
    the form limits' windows the submission counts in (TooManySubmissions when over one)."""
    state = consultation_state(consultation, today)
    if entered_by is None:
        if channel is not Channel.ONLINE:
            raise PermissionDenied("Only staff enter comments received offline.")
        if state is not ConsultationState.OPEN:
            raise Conflict("This consultation is closed; comments are no longer accepted.")
        received_on = today
    else:
        decision = await consultation.decision
        if not can_edit_department_content(entered_by, decision.department_id):
            raise PermissionDenied("This decision belongs to another department.")
        if state in (ConsultationState.DRAFT, ConsultationState.UPCOMING):
            raise Conflict("The consultation has not started.")
        if channel is Channel.ONLINE:
            raise ValidationError({"channel": N_("Choose how the comment was received.")})
        if received_on is None or not consultation.starts_on <= received_on <= min(consultation.ends_on, today):
            raise ValidationError({"received_on": N_("The date received must fall within the consultation period.")})
    # A hearing representative's opinion, entered by staff, needs no contact of its own: the department
    # reaches the representative through the hearing's participant record (invited ones give none).
    heard = entered_by is not None and channel is Channel.HEARING
    category, display_mode = await _validate(consultation, data, contact_required=not heard)
    phone, email = _normalise_phone(data.phone.strip()), data.email.strip()
    name = data.name.strip()
    comment = Comment(
        consultation_id=consultation.id,
        article_id=data.article_id,
        body=as_typed(data.body),
        proposed_text=as_typed(data.proposed_text).strip(),
        channel=channel,
        category=category,
        submitter_name=name,
        contact_phone=phone,
        contact_email=email,
        display_mode=display_mode,
        public_name=ANONYMOUS_NAME if display_mode is DisplayMode.ANONYMOUS else mask_name(name),
        receipt_code=new_receipt_code(),
        dedupe_key=_dedupe_key(consultation.id, data),
        received_on=received_on,
        submitted_at=now,
        entered_by_id=entered_by.id if entered_by else None,
        notify_by_email=data.notify_by_email and bool(email),
    )
    # Stored with the comments that arrive at the same moment, in one transaction (writer.py); the
    # same form sent again returns the comment it stored the first time.
    return await writer.store(comment, online=entered_by is None, today=today, windows=limits)


async def find_by_receipt(code: str) -> Comment | None:
    normalised = normalise_receipt_code(code)
    if normalised is None:
        return None
    return await Comment.get_or_none(receipt_code=normalised)


async def moderate_comment(
    comment: Comment,
    target: ModerationState,
    actor: User,
    now: datetime,
    reason: WithholdReason | None = None,
    note: str = "",
) -> None:
    """Publish or withhold; a withheld comment keeps counting in the totals with its reason."""
    consultation = await Consultation.get(id=comment.consultation_id).prefetch_related("decision")
    if not can_edit_department_content(actor, consultation.decision.department_id):
        raise PermissionDenied("This decision belongs to another department.")
    check_moderation(comment.state, target)
    if target is ModerationState.WITHHELD and reason is None:
        raise ValidationError({"withhold_reason": N_("Choose why the comment is withheld.")})
    comment.state = target
    comment.withhold_reason = reason if target is ModerationState.WITHHELD else None
    comment.moderation_note = note.strip()[:1000]
    comment.moderated_by = actor
    comment.moderated_at = now
    async with in_transaction("default"):
        await comment.save(
            update_fields=["state", "withhold_reason", "moderation_note", "moderated_by_id", "moderated_at"]
        )
        # The group as committed now (the worker may have grouped the comment since it was read): the
        # row is locked by the save, so a grouping still to come sees the new state.
        comment.group_id = (await Comment.filter(id=comment.id).values_list("group_id", flat=True))[0]
        await comment_moderated.send(comment=comment, now=now)
        await recount(comment.consultation_id)
        await queue_index([comment])
    await moderation_committed.send(comment=comment, now=now)
