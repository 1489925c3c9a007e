"""The questionnaire forms read into the services' inputs."""

from __future__ import annotations

from starlette.datastructures import FormData

from consult import forms
from consult.errors import ValidationError
from consult.surveys.models import SurveyQuestion
from consult.surveys.services import QuestionInput, RawAnswer, SurveyInput
from consult.web import form_text


def survey_input(form: FormData) -> SurveyInput:
    errors = forms.Errors()
    opens_on = forms.parse_date(form.get("opens_on"), "opens_on", errors)
    closes_on = forms.parse_date(form.get("closes_on"), "closes_on", errors)
    errors.raise_if_any()
    return SurveyInput(
        title=form_text(form, "title"),
        opens_on=opens_on,
        closes_on=closes_on,
        introduction=form_text(form, "introduction"),
        consultation_id=forms.number(form, "consultation_id") or None,
    )


def question_input(form: FormData) -> QuestionInput:
    raw_max = form_text(form, "max_choices").strip()
    max_choices = forms.bounded_int(raw_max, 1, 20) if raw_max else None
    if raw_max and max_choices is None:
        raise ValidationError({"max_choices": "Enter a whole number."})
    return QuestionInput(
        kind=form_text(form, "kind"),
        text=form_text(form, "text"),
        required=form_text(form, "required") == "on",
        choices=form_text(form, "choices").splitlines(),
        max_choices=max_choices,
        allow_other=form_text(form, "allow_other") == "on",
    )


def raw_answers(form: FormData, questions: list[SurveyQuestion]) -> dict[int, RawAnswer]:
    """Fields are named after the question: q12 (a choice's id, "other", a scale value or text; repeated
    for a multiple choice) and q12_other (what "其他" is)."""
    answers = {}
    for q in questions:
        values = [str(v) for v in form.getlist(f"q{q.id}")]
        first = values[0] if values else ""
        answers[q.id] = RawAnswer(choices=values, other_text=form_text(form, f"q{q.id}_other"), scale=first, text=first)
    return answers
