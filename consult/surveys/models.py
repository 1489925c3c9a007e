from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from consult.comments.models import ModerationState
from consult.review.models import ReviewState


class QuestionKind(StrEnum):
    SINGLE = "single"  # one choice
    MULTIPLE = "multiple"  # several choices, up to `max_choices`
    SCALE = "scale"  # 1 to 5
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
SCALE = range(1, 6)


class Survey(Model):
    """A questionnaire of a department, beside a draft in a consultation or on its own. Public once a
    reviewer other than its author approves it (先审查后公开); answered between its dates; its results
    are public after it closes."""

    id = fields.IntField(primary_key=True)
    department = fields.ForeignKeyField("consult.Department", related_name="surveys", on_delete=fields.RESTRICT)
    consultation = fields.ForeignKeyField(
        "consult.Consultation", related_name="surveys", null=True, on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=200)
    introduction = fields.TextField(default="")
    opens_on = fields.DateField()
    closes_on = fields.DateField()
    review_state = fields.CharEnumField(ReviewState, max_length=20, null=True)  # null: still being built
    review_note = fields.TextField(default="")
    created_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()
    submitted_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    reviewed_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    reviewed_at = fields.DatetimeField(null=True)
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "survey"
        ordering = ["-opens_on", "-id"]


class SurveyQuestion(Model):
    id = fields.IntField(primary_key=True)
    survey: fields.ForeignKeyRelation[Survey] = fields.ForeignKeyField(
        "consult.Survey", related_name="questions", on_delete=fields.CASCADE
    )
    seq = fields.IntField()
    kind = fields.CharEnumField(QuestionKind, max_length=20)
    text = fields.CharField(max_length=500)
    required = fields.BooleanField(default=True)
    max_choices = fields.IntField(null=True)  # multiple choice only; null: as many as there are
    allow_other = fields.BooleanField(default=False)  # a "其他" choice that takes text

    class Meta:
        table = "survey_question"
        ordering = ["seq", "id"]
        unique_together = [("survey_id", "seq")]


class SurveyChoice(Model):
    id = fields.IntField(primary_key=True)
    question: fields.ForeignKeyRelation[SurveyQuestion] = fields.ForeignKeyField(
        "consult.SurveyQuestion", related_name="choices", on_delete=fields.CASCADE
    )
    seq = fields.IntField()
    label = fields.CharField(max_length=200)

    class Meta:
        table = "survey_choice"
        ordering = ["seq", "id"]


class SurveyResponse(Model):
    """One person's answers. The contact is private (staff only) and keys one response per person."""

    id = fields.IntField(primary_key=True)
    survey = fields.ForeignKeyField("consult.Survey", related_name="responses", on_delete=fields.RESTRICT)
    receipt_code = fields.CharField(max_length=20, unique=True)
    contact_phone = fields.CharField(max_length=40, default="")
    contact_email = fields.CharField(max_length=200, default="")
    phone_key = fields.CharField(max_length=40, null=True)
    email_key = fields.CharField(max_length=200, null=True)
    # The form instance's one-time token: the same form sent twice (a double click) gets its receipt back.
    form_token = fields.CharField(max_length=64, default="")
    submitted_at = fields.DatetimeField()

    class Meta:
        table = "survey_response"
        unique_together = [("survey_id", "phone_key"), ("survey_id", "email_key")]


class SurveyAnswer(Model):
    """One answer to one question: a choice (one row per choice ticked), a scale value, or text (free
    text, or what "其他" said). Text is moderated like comments before it is published with the results."""

    id = fields.IntField(primary_key=True)
    response = fields.ForeignKeyField("consult.SurveyResponse", related_name="answers", on_delete=fields.CASCADE)
    question = fields.ForeignKeyField("consult.SurveyQuestion", related_name="answers", on_delete=fields.CASCADE)
    choice = fields.ForeignKeyField("consult.SurveyChoice", related_name="answers", null=True, on_delete=fields.CASCADE)
    other = fields.BooleanField(default=False)
    scale = fields.IntField(null=True)
    text = fields.TextField(default="")
    text_state = fields.CharEnumField(ModerationState, max_length=20, null=True)

    class Meta:
        table = "survey_answer"
        indexes = [("question_id", "choice_id"), ("question_id", "scale"), ("question_id", "text_state")]
