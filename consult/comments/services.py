"""Submitting comments (online and offline), receipts and moderation."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content
from consult.comments.events import comment_moderated, comment_stored, moderation_committed
from consult.comments.models import (
    Channel,
    Comment,
    DisplayMode,
    ModerationState,
    SubmitterCategory,
    WithholdReason,
)
from consult.comments.receipts import new_receipt_code, normalise_receipt_code
from consult.comments.search import index_comment
from consult.comments.states import check_moderation
from consult.drafts.models import Article, Consultation
from consult.drafts.services import ConsultationState, consultation_state
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.forms import as_typed, visible_length
from consult.i18n import N_

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
        )
    )
    return hashlib.sha256(raw.encode()).hexdigest()


async def _validate(consultation: Consultation, data: CommentInput) -> tuple[SubmitterCategory, DisplayMode]:
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
    if not phone and not email:
        errors["contact"] = N_("Enter a phone number or an e-mail address, so the department can reach you.")
    if phone and not PHONE_RE.match(phone):
        errors["phone"] = N_("Enter a mobile number (11 digits) or a landline with its area code.")
    if email and (len(email) > 200 or not EMAIL_RE.match(email)):
        errors["email"] = N_("Enter a valid e-mail address.")
    if (
        data.article_id is not None
        and not await Article.filter(id=data.article_id, draft_id=consultation.draft_id).exists()
    ):
        errors["article_id"] = N_("Choose an article of this draft.")
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
) -> tuple[Comment, bool]:
    """Store a comment and return it with True; the same form submitted again with the same content
    returns the first one with False. Online comments only while the consultation is open."""
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
    category, display_mode = await _validate(consultation, data)
    phone, email = _normalise_phone(data.phone.strip()), data.email.strip()
    key = _dedupe_key(consultation.id, data)
    existing = await Comment.get_or_none(consultation_id=consultation.id, dedupe_key=key)
    if existing is not None:
        return existing, False
    name = data.name.strip()
    for _attempt in range(5):
        try:
            async with in_transaction():
                comment = await Comment.create(
                    consultation=consultation,
                    article_id=data.article_id,
                    body=as_typed(data.body),
                    channel=channel,
                    category=category,
                    submitter_name=name,
                    contact_phone=phone,
                    contact_email=email,
                    display_mode=display_mode,
                    public_name=ANONYMOUS_NAME if display_mode is DisplayMode.ANONYMOUS else mask_name(name),
                    receipt_code=new_receipt_code(),
                    dedupe_key=key,
                    received_on=received_on,
                    submitted_at=now,
                    entered_by=entered_by,
                    notify_by_email=data.notify_by_email and bool(email),
                )
            await comment_stored.send(comment=comment, now=now)
            return comment, True
        except IntegrityError:
            # Either the same text from the same contact arrived concurrently (unique dedupe key),
            # or, astronomically rarely, the receipt code collided: both are safe to resolve here.
            existing = await Comment.get_or_none(consultation_id=consultation.id, dedupe_key=key)
            if existing is not None:
                return existing, False
    raise Conflict("Could not store the comment; please try again.")


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
    async with in_transaction():
        await comment.save(
            update_fields=["state", "withhold_reason", "moderation_note", "moderated_by_id", "moderated_at"]
        )
        await comment_moderated.send(comment=comment, now=now)
    await index_comment(comment)
    await moderation_committed.send(comment=comment, now=now)
