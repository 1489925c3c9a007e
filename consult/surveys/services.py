"""Building a questionnaire, its review, answering it, and moderating its free text."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from consult.accounts.models import User
from consult.accounts.permissions import can_approve_answer, can_edit_department_content, can_review
from consult.clock import local_date
from consult.comments.models import ModerationState
from consult.comments.receipts import new_receipt_code
from consult.comments.services import EMAIL_RE, FORM_TOKEN_RE, PHONE_RE
from consult.drafts.models import Consultation
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.forms import bounded_int
from consult.i18n import N_
from consult.participation.calls import email_key, phone_key
from consult.review.models import ReviewState
from consult.surveys.models import (
    CHOICE_KINDS,
    SCALE,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
)
from consult.surveys.search import index_survey

OTHER = "other"  # the value of the "其他" choice in a form
MAX_CHOICES = 20
MAX_QUESTIONS = 60
TEXT_LIMITS = {QuestionKind.SHORT_TEXT: 200, QuestionKind.LONG_TEXT: 2000}


class SurveyState(StrEnum):
    BUILDING = "building"  # being written, or returned by the reviewer
    PENDING = "pending"  # waiting for review
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


def survey_state(survey: Survey, today: date) -> SurveyState:
    if survey.published_at is None:
        return SurveyState.PENDING if survey.review_state is ReviewState.PENDING else SurveyState.BUILDING
    if today < survey.opens_on:
        return SurveyState.UPCOMING
    return SurveyState.OPEN if today <= survey.closes_on else SurveyState.CLOSED


def _require_department(actor: User, survey_or_department: Survey | int) -> None:
    department = (
        survey_or_department.department_id if isinstance(survey_or_department, Survey) else survey_or_department
    )
    if not can_edit_department_content(actor, department):
        raise PermissionDenied("This questionnaire belongs to another department.")


def _require_editable(survey: Survey) -> None:
    if survey.published_at is not None or survey.review_state is ReviewState.PENDING:
        raise Conflict("The questionnaire is under review or published: it is no longer changed.")


@dataclass(frozen=True)
class SurveyInput:
    title: str
    opens_on: date | None
    closes_on: date | None
    introduction: str = ""
    consultation_id: int | None = None


async def _checked(department_id: int, data: SurveyInput, today: date) -> dict[str, object]:
    errors: dict[str, str] = {}
    title = data.title.strip()
    if not title:
        errors["title"] = N_("This field is required.")
    elif len(title) > 200:
        errors["title"] = N_("Too long.")
    if len(data.introduction) > 5000:
        errors["introduction"] = N_("Too long.")
    if data.opens_on is None:
        errors["opens_on"] = N_("Enter a date.")
    elif data.opens_on < today:
        errors["opens_on"] = N_("The start date cannot be in the past.")
    if data.closes_on is None:
        errors["closes_on"] = N_("Enter a date.")
    elif data.opens_on is not None and data.closes_on < data.opens_on:
        errors["closes_on"] = N_("The end date must be after the start date.")
    if (
        data.consultation_id is not None
        and not await Consultation.filter(id=data.consultation_id, decision__department_id=department_id).exists()
    ):
        errors["consultation_id"] = N_("Choose one of the options.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "introduction": data.introduction.strip(),
        "opens_on": data.opens_on,
        "closes_on": data.closes_on,
        "consultation_id": data.consultation_id,
    }


async def create_survey(department_id: int, data: SurveyInput, actor: User, now: datetime) -> Survey:
    _require_department(actor, department_id)
    fields = await _checked(department_id, data, local_date(now))
    return await Survey.create(department_id=department_id, **fields, created_by=actor, created_at=now)


async def update_survey(survey: Survey, data: SurveyInput, actor: User, now: datetime) -> None:
    _require_department(actor, survey)
    _require_editable(survey)
    for name, value in (await _checked(survey.department_id, data, local_date(now))).items():
        setattr(survey, name, value)
    await survey.save()


@dataclass(frozen=True)
class QuestionInput:
    kind: str
    text: str
    required: bool = True
    choices: list[str] = field(default_factory=list)
    max_choices: int | None = None
    allow_other: bool = False


def _checked_question(data: QuestionInput) -> tuple[QuestionKind, list[str]]:
    errors: dict[str, str] = {}
    kind = QuestionKind(data.kind) if data.kind in QuestionKind._value2member_map_ else None
    if kind is None:
        errors["kind"] = N_("Choose one of the options.")
    text = data.text.strip()
    if not text:
        errors["text"] = N_("Write the question.")
    elif len(text) > 500:
        errors["text"] = N_("Too long.")
    choices = [c.strip() for c in data.choices if c.strip()]
    if kind in CHOICE_KINDS:
        if len(choices) < 2 or len(choices) > MAX_CHOICES or len(set(choices)) != len(choices):
            errors["choices"] = N_("Give 2 to 20 different choices, one per line.")
        elif any(len(c) > 200 for c in choices):
            errors["choices"] = N_("Keep each choice within 200 characters.")
        if kind is QuestionKind.MULTIPLE and data.max_choices is not None and not 1 <= data.max_choices <= len(choices):
            errors["max_choices"] = N_("Allow between 1 and as many choices as there are.")
    if errors:
        raise ValidationError(errors)
    assert kind is not None
    return kind, choices if kind in CHOICE_KINDS else []


async def add_question(survey: Survey, data: QuestionInput, actor: User) -> SurveyQuestion:
    _require_department(actor, survey)
    _require_editable(survey)
    kind, choices = _checked_question(data)
    async with in_transaction("default"):
        count = await SurveyQuestion.filter(survey_id=survey.id).count()
        if count >= MAX_QUESTIONS:
            raise Conflict("A questionnaire has at most 60 questions.")
        last = await SurveyQuestion.filter(survey_id=survey.id).order_by("-seq").first()
        question = await SurveyQuestion.create(
            survey=survey,
            seq=(last.seq + 1) if last else 1,
            kind=kind,
            text=data.text.strip(),
            required=data.required,
            max_choices=data.max_choices if kind is QuestionKind.MULTIPLE else None,
            allow_other=data.allow_other and kind in CHOICE_KINDS,
        )
        await SurveyChoice.bulk_create(
            [SurveyChoice(question=question, seq=i, label=label) for i, label in enumerate(choices, start=1)]
        )
    return question


async def remove_question(question: SurveyQuestion, actor: User) -> None:
    survey = await Survey.get(id=question.survey_id)
    _require_department(actor, survey)
    _require_editable(survey)
    await question.delete()


async def submit_for_review(survey: Survey, actor: User, now: datetime) -> None:
    _require_department(actor, survey)
    _require_editable(survey)
    if not await SurveyQuestion.filter(survey_id=survey.id).exists():
        raise ValidationError({"__all__": N_("Add at least one question before submitting it for review.")})
    if survey.opens_on < local_date(now):
        raise ValidationError({"opens_on": N_("The start date has passed: change the dates first.")})
    survey.review_state, survey.submitted_by, survey.review_note = ReviewState.PENDING, actor, ""
    await survey.save(update_fields=["review_state", "submitted_by_id", "review_note"])


async def review_survey(survey: Survey, approve: bool, note: str, actor: User, now: datetime) -> None:
    """先审查后公开, as for answers: a reviewer of the department other than the one who submitted it
    approves (it is public at once, open from its start date) or returns it with a note."""
    if not can_review(actor, survey.department_id):
        raise PermissionDenied("Only a reviewer of the department can review.")
    if survey.review_state is not ReviewState.PENDING:
        raise Conflict("This questionnaire is not waiting for review.")
    if not can_approve_answer(actor, survey.department_id, survey.submitted_by_id):
        raise PermissionDenied("Another reviewer approves what you submitted.")
    if approve:
        survey.review_state, survey.published_at = ReviewState.APPROVED, now
    else:
        if not note.strip():
            raise ValidationError({"note": N_("Say what to change.")})
        survey.review_state = ReviewState.RETURNED
    survey.review_note, survey.reviewed_by, survey.reviewed_at = note.strip(), actor, now
    await survey.save(update_fields=["review_state", "published_at", "review_note", "reviewed_by_id", "reviewed_at"])
    await index_survey(survey)


@dataclass
class RawAnswer:
    """What the form sent for one question: the ids of the choices ticked (and "other"), the other's
    text, the scale value, or the text."""

    choices: list[str] = field(default_factory=list)
    other_text: str = ""
    scale: str = ""
    text: str = ""


ALREADY_RESPONDED = N_(
    "This phone number or e-mail address has already answered this questionnaire: each person answers once."
)


def _answers_for(question: SurveyQuestion, choice_ids: set[int], raw: RawAnswer) -> tuple[list[SurveyAnswer], str]:
    """The answer rows of one question, or the message saying what is wrong (empty when fine)."""
    q, rows = question, []
    if q.kind in CHOICE_KINDS:
        picked = [bounded_int(c) for c in raw.choices if c != OTHER]
        other = OTHER in raw.choices and q.allow_other
        if any(c is None or c not in choice_ids for c in picked) or len(set(picked)) != len(picked):
            return [], N_("Choose one of the options.")
        count = len(picked) + other
        if q.kind is QuestionKind.SINGLE and count > 1:
            return [], N_("Choose one option only.")
        if q.kind is QuestionKind.MULTIPLE and q.max_choices and count > q.max_choices:
            return [], N_("Choose at most %(n)s options.")
        if other and not raw.other_text.strip():
            return [], N_("Say what “other” is.")
        if len(raw.other_text) > 200:
            return [], N_("Too long.")
        rows = [SurveyAnswer(question_id=q.id, choice_id=c) for c in picked]
        if other:
            rows.append(
                SurveyAnswer(
                    question_id=q.id, other=True, text=raw.other_text.strip(), text_state=ModerationState.PENDING
                )
            )
    elif q.kind is QuestionKind.SCALE:
        value = bounded_int(raw.scale.strip()) if raw.scale.strip() else None
        if raw.scale.strip() and value not in SCALE:
            return [], N_("Choose one of the options.")
        rows = [SurveyAnswer(question_id=q.id, scale=value)] if value else []
    else:
        text = raw.text.strip()
        if len(text) > TEXT_LIMITS[q.kind]:
            return [], N_("Too long.")
        rows = [SurveyAnswer(question_id=q.id, text=text, text_state=ModerationState.PENDING)] if text else []
    if q.required and not rows:
        return [], N_("This question needs an answer.")
    return rows, ""


async def _earlier(survey: Survey, keys: tuple[str | None, str | None], form_token: str) -> SurveyResponse:
    """The response this contact already gave: returned when it came from the same form (a double
    click, a resubmission), refused otherwise."""
    taken = [Q(phone_key=keys[0])] if keys[0] else []
    taken += [Q(email_key=keys[1])] if keys[1] else []
    earlier = await SurveyResponse.filter(Q(*taken, join_type="OR"), survey_id=survey.id).first()
    if earlier is None:
        raise LookupError
    if form_token and FORM_TOKEN_RE.match(form_token) and earlier.form_token == form_token:
        return earlier
    raise Conflict(ALREADY_RESPONDED)


async def respond(
    survey: Survey,
    raw: dict[int, RawAnswer],
    phone: str,
    email: str,
    today: date,
    now: datetime,
    form_token: str = "",
) -> SurveyResponse:
    """One response per phone number and per e-mail address; every answer checked against its question;
    nothing stored unless everything is right (the form comes back with each question's message). The
    same form sent again returns the response it stored the first time."""
    if survey_state(survey, today) is not SurveyState.OPEN:
        raise Conflict("This questionnaire is not open.")
    questions = await SurveyQuestion.filter(survey_id=survey.id).prefetch_related("choices")
    errors: dict[str, str] = {}
    params: dict[str, object] = {}
    rows: list[SurveyAnswer] = []
    for q in questions:
        answers, message = _answers_for(q, {c.id for c in q.choices}, raw.get(q.id, RawAnswer()))
        if message:
            errors[f"q{q.id}"] = message
            if q.max_choices:
                params["n"] = q.max_choices
        rows += answers
    phone, email = re.sub(r"[\s-]", "", phone.strip()), email.strip()
    if not phone and not email:
        errors["contact"] = N_("Enter a phone number or an e-mail address: each person answers once.")
    if phone and (len(phone) > 40 or not PHONE_RE.match(phone)):
        errors["phone"] = N_("Enter a mobile number (11 digits) or a landline with its area code.")
    if email and (len(email) > 200 or not EMAIL_RE.match(email)):
        errors["email"] = N_("Enter a valid e-mail address.")
    if errors:
        raise ValidationError(errors, **params)
    keys = phone_key(phone), email_key(email)
    with suppress(LookupError):
        return await _earlier(survey, keys, form_token)
    try:
        async with in_transaction("default"):
            response = await SurveyResponse.create(
                survey=survey,
                receipt_code=new_receipt_code(),
                contact_phone=phone,
                contact_email=email,
                phone_key=keys[0],
                email_key=keys[1],
                form_token=form_token[:64],
                submitted_at=now,
            )
            for row in rows:
                row.response_id = response.id
            await SurveyAnswer.bulk_create(rows)
    except IntegrityError:  # the same person's second click, a moment earlier
        return await _earlier(survey, keys, form_token)
    return response


async def moderate_text(answer: SurveyAnswer, publish: bool, actor: User) -> None:
    """Free text is published with the results only once staff have read it (留言审看)."""
    question = await SurveyQuestion.get(id=answer.question_id).prefetch_related("survey")
    _require_department(actor, question.survey)
    if answer.text_state is None:
        raise Conflict("This answer has no text.")
    answer.text_state = ModerationState.PUBLISHED if publish else ModerationState.WITHHELD
    await answer.save(update_fields=["text_state"])
