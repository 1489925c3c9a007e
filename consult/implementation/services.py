"""Interpretations, execution updates and status changes of issued decisions: who may write, review
and record them, and what each must carry."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.transactions import in_transaction

from consult.accounts.models import User
from consult.accounts.permissions import can_approve_answer, can_edit_department_content, can_review, is_admin
from consult.clock import local_date
from consult.comments.models import Comment, ModerationState
from consult.decisions.models import Decision, DecisionResult
from consult.drafts.articles import split_articles
from consult.drafts.uploads import Upload, check_upload
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.i18n import N_
from consult.implementation.models import (
    ChangeLink,
    ExecutionUpdate,
    Interpretation,
    InterpretationFile,
    InterpretationForm,
    StatusChange,
    StatusChangeKind,
)
from consult.implementation.rules import change_allowed, needs_new_document, state_after
from consult.implementation.search import index_execution_update, index_interpretation
from consult.review.models import AnswerStatus, ReviewState
from consult.review.states import check_review_transition

LINK = re.compile(r"^https?://\S+$")
MAX_TEXT = 20_000
WEB_ADDRESS = N_("Enter a web address starting with http:// or https://.")


@dataclass(frozen=True)
class InterpretationInput:
    form: str
    title: str
    interpreter: str
    published_on: date | None
    body: str = ""
    link: str = ""
    # An image (一图读懂) or a document; checked by its bytes like attachments.
    file: Upload | None = None


async def _result(decision: Decision, message: str) -> DecisionResult:
    result = await DecisionResult.get_or_none(decision_id=decision.id)
    if result is None:
        raise Conflict(message)
    return result


def _checked(data: InterpretationInput) -> dict[str, object]:
    errors: dict[str, str] = {}
    if data.form not in {f.value for f in InterpretationForm}:
        errors["form"] = N_("Choose one of the options.")
    title, interpreter = data.title.strip(), data.interpreter.strip()
    body, link = data.body.strip(), data.link.strip()
    if not title:
        errors["title"] = N_("Give the interpretation a title.")
    elif len(title) > 200:
        errors["title"] = N_("Keep the title within 200 characters.")
    if not interpreter:
        errors["interpreter"] = N_("Name the interpreting unit or person (谁起草、谁解读).")
    elif len(interpreter) > 100:
        errors["interpreter"] = N_("Keep the name within 100 characters.")
    if data.published_on is None:
        errors["published_on"] = N_("Give the date it was or will be published.")
    if not body and not link and data.file is None:
        errors["body"] = N_("Write the interpretation, give a link to it, or upload it (a graphic, a document).")
    if len(body) > MAX_TEXT:
        errors["body"] = N_("Keep the text within 20,000 characters.")
    if link and (not LINK.match(link) or len(link) > 500):
        errors["link"] = WEB_ADDRESS
    if errors:
        raise ValidationError(errors)
    return {
        "form": InterpretationForm(data.form),
        "title": title,
        "interpreter": interpreter,
        "published_on": data.published_on,
        "body": body,
        "link": link,
    }


async def add_interpretation(
    decision: Decision, data: InterpretationInput, actor: User, now: datetime
) -> Interpretation:
    """谁起草、谁解读: the lead department (or the office) writes it; it waits for review."""
    if not can_edit_department_content(actor, decision.department_id):
        raise PermissionDenied("This decision belongs to another department.")
    await _result(decision, N_("Record the decision result before its interpretations."))
    fields = _checked(data)
    upload = None
    if data.file is not None:
        try:
            upload = (*check_upload(data.file.filename, data.file.data, data.file.max_bytes), data.file.data)
        except ValidationError as exc:
            raise ValidationError({"file": next(iter(exc.errors.values()))}, **exc.params) from exc
    async with in_transaction("default"):
        item = await Interpretation.create(
            decision=decision, **fields, created_by=actor, created_at=now, review_state=ReviewState.PENDING
        )
        if upload is not None:
            name, content_type, raw = upload
            await InterpretationFile.create(
                interpretation=item,
                filename=name,
                content_type=content_type,
                size=len(raw),
                sha256=hashlib.sha256(raw).hexdigest(),
                data=raw,
            )
    return item


async def review_interpretation(item: Interpretation, approve: bool, note: str, actor: User, now: datetime) -> None:
    """先审查后公开, as for answers: a reviewer of the department (or the office) other than the author
    approves it, and it is public; or returns it with a note saying what to change."""
    decision = await Decision.get(id=item.decision_id)
    if not can_review(actor, decision.department_id):
        raise PermissionDenied("Only a reviewer of the department can approve an interpretation.")
    if not can_approve_answer(actor, decision.department_id, item.created_by_id):
        raise PermissionDenied("You cannot approve an interpretation you wrote yourself.")
    check_review_transition(item.review_state, ReviewState.APPROVED if approve else ReviewState.RETURNED)
    item.reviewed_by, item.reviewed_at = actor, now
    if not approve:
        if not note.strip():
            raise ValidationError({"note": N_("Tell the author what to change.")})
        item.review_state, item.review_note = ReviewState.RETURNED, note.strip()
        await item.save()
        return
    item.review_state, item.review_note, item.published_at = ReviewState.APPROVED, note.strip(), now
    await item.save()
    await index_interpretation(item)


async def add_execution_update(
    decision: Decision, reported_on: date | None, body: str, actor: User, now: datetime
) -> ExecutionUpdate:
    """执行情况, written by the lead department once the decision is issued."""
    if not can_edit_department_content(actor, decision.department_id):
        raise PermissionDenied("This decision belongs to another department.")
    result = await _result(decision, N_("Record the decision result before reporting on its execution."))
    errors: dict[str, str] = {}
    if reported_on is None:
        errors["reported_on"] = N_("Give the date of the update.")
    elif reported_on < result.issued_on or reported_on > local_date(now):
        errors["reported_on"] = N_("The date must fall between the issue date and today.")
    if not body.strip():
        errors["body"] = N_("Write what has been done.")
    elif len(body.strip()) > MAX_TEXT:
        errors["body"] = N_("Keep the text within 20,000 characters.")
    if errors:
        raise ValidationError(errors)
    return await ExecutionUpdate.create(
        decision=decision, reported_on=reported_on, body=body.strip(), created_by=actor, created_at=now
    )


async def publish_execution_update(update: ExecutionUpdate, actor: User, now: datetime) -> None:
    decision = await Decision.get(id=update.decision_id)
    if not can_review(actor, decision.department_id):
        raise PermissionDenied("Only a reviewer of the department can publish an execution update.")
    if update.published_at is not None:
        raise Conflict("This update is already public.")
    update.published_by, update.published_at = actor, now
    await update.save()
    await index_execution_update(update)


@dataclass(frozen=True)
class StatusChangeInput:
    kind: str
    effective_on: date | None
    reason: str
    document_number: str = ""
    link: str = ""


async def record_status_change(decision: Decision, data: StatusChangeInput, actor: User, now: datetime) -> StatusChange:
    """国务院令第713号 第三十八条: the government (the office records it) adjusts, suspends or terminates
    an issued decision, or lets a suspended one resume, with a published reason; an adjustment names
    its new document."""
    if not is_admin(actor):
        raise PermissionDenied("Only the government office records an adjustment, suspension or termination.")
    result = await _result(decision, N_("Only an issued decision can be adjusted, suspended or terminated."))
    errors: dict[str, str] = {}
    kinds = {k.value: k for k in StatusChangeKind}
    kind = kinds.get(data.kind)
    if kind is None:
        errors["kind"] = N_("Choose one of the options.")
    if data.effective_on is None:
        errors["effective_on"] = N_("Give the date it takes effect.")
    elif data.effective_on < result.issued_on:
        errors["effective_on"] = N_("The date cannot be before the decision was issued.")
    if not data.reason.strip():
        errors["reason"] = N_("Give the reason: it is published.")
    link = data.link.strip()
    if link and not LINK.match(link):
        errors["link"] = WEB_ADDRESS
    if kind is not None and needs_new_document(kind) and not (data.document_number.strip() or link):
        errors["document_number"] = N_("Give the number of the new or amended document, or a link to it.")
    if errors:
        raise ValidationError(errors)
    assert kind is not None and data.effective_on is not None
    history = await StatusChange.filter(decision_id=decision.id).values_list("kind", "effective_on")
    if history and data.effective_on < history[-1][1]:
        # The history is read in date order: a change dated before the last would rewrite it.
        raise ValidationError({"effective_on": N_("The date cannot be before the last recorded change.")})
    state = state_after([StatusChangeKind(kind) for kind, _ in history])
    if not change_allowed(state, kind):
        raise Conflict("The decision cannot change that way from its present state.")
    return await StatusChange.create(
        decision=decision,
        kind=kind,
        effective_on=data.effective_on,
        reason=data.reason.strip(),
        document_number=data.document_number.strip()[:100],
        link=link[:500],
        recorded_by=actor,
        recorded_at=now,
    )


# Answers that say the text was changed because of the comment.
CHANGING = (AnswerStatus.ADOPTED, AnswerStatus.PARTLY_ADOPTED)


def issued_labels(result: DecisionResult) -> list[str]:
    return [a.label for a in split_articles(result.text)]


async def link_comments(
    decision: Decision, article_label: str, comment_ids: list[int], actor: User, now: datetime
) -> list[ChangeLink]:
    """The department says which comments changed an article of the issued text. Each must be a
    published comment on this decision whose public answer is adopted or partly adopted."""
    if not can_edit_department_content(actor, decision.department_id):
        raise PermissionDenied("This decision belongs to another department.")
    result = await _result(decision, N_("Record the decision result before linking comments to its articles."))
    if article_label not in issued_labels(result):
        raise ValidationError({"article": N_("Choose an article of the issued text.")})
    if not comment_ids:
        raise ValidationError({"comments": N_("Give the numbers of the comments, e.g. 12, 15.")})
    adopted = set(
        await Comment.filter(
            id__in=comment_ids,
            consultation__decision_id=decision.id,
            state=ModerationState.PUBLISHED,
            answer__public_status__in=list(CHANGING),
        ).values_list("id", flat=True)
    )
    refused = [cid for cid in comment_ids if cid not in adopted]
    if refused:
        raise ValidationError(
            {"comments": N_("Not adopted or partly adopted comments on this decision: %(numbers)s.")},
            numbers="、".join(f"#{cid}" for cid in refused),
        )
    links = []
    for cid in dict.fromkeys(comment_ids):
        link, _ = await ChangeLink.get_or_create(
            comment_id=cid,
            article_label=article_label,
            defaults={"decision": decision, "created_by": actor, "created_at": now},
        )
        links.append(link)
    return links


async def unlink(link: ChangeLink, actor: User) -> None:
    decision = await Decision.get(id=link.decision_id)
    if not can_edit_department_content(actor, decision.department_id):
        raise PermissionDenied("This decision belongs to another department.")
    await link.delete()
