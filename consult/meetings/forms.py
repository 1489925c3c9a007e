"""The meetings' forms read into the services' inputs; a bad field raises ValidationError with them all."""

from __future__ import annotations

from starlette.datastructures import FormData

from consult import forms
from consult.meetings.models import AttendeeCategory
from consult.meetings.services import MeetingInput
from consult.web import form_text


def meeting_input(form: FormData) -> MeetingInput:
    errors = forms.Errors()
    number = forms.parse_int(form.get("number"), "number", errors)
    held_on = forms.parse_date(form.get("held_on"), "held_on", errors)
    public = form.get("public_attendance") == "on"
    open_on = forms.parse_date(form.get("applications_open_on"), "applications_open_on", errors, required=public)
    close_on = forms.parse_date(form.get("applications_close_on"), "applications_close_on", errors, required=public)
    quotas = {
        c.value: forms.parse_int(form.get(f"quota_{c.value}"), f"quota_{c.value}", errors, required=False) or 0
        for c in AttendeeCategory
    }
    topics = [
        (forms.bounded_int(d), str(t))
        for d, t in zip(form.getlist("topic_decision"), form.getlist("topic_title"), strict=False)
    ]
    errors.raise_if_any()
    assert number is not None and held_on is not None
    return MeetingInput(
        number=number,
        held_on=held_on,
        place=form_text(form, "place"),
        public_attendance=public,
        stream_url=form_text(form, "stream_url"),
        applications_open_on=open_on,
        applications_close_on=close_on,
        quotas=quotas,
        topics=topics,
    )
