"""The department's forms before the decision, read into the services' inputs (fields prefixed: they
share the decision's page with other forms)."""

from __future__ import annotations

from starlette.datastructures import FormData

from consult import forms
from consult.deliberation.hearings import HearingInput
from consult.deliberation.steps import StepInput
from consult.web import form_text

GROUP_ROWS = 6  # interest groups a notice can name (rows of the form)


def step_input(form: FormData) -> StepInput:
    errors = forms.Errors()
    started_on = forms.parse_date(form.get("p_started_on"), "started_on", errors, required=False)
    finished_on = forms.parse_date(form.get("p_finished_on"), "finished_on", errors, required=False)
    errors.raise_if_any()
    return StepInput(
        kind=form_text(form, "p_kind"),
        unit=form_text(form, "p_unit"),
        started_on=started_on,
        finished_on=finished_on,
        outcome=form_text(form, "p_outcome"),
        risk_level=form_text(form, "p_risk_level"),
        short_period_reason=form_text(form, "p_short_period_reason"),
        meeting_id=forms.number(form, "p_meeting_id") or None,
        public=form_text(form, "p_public") == "on",
    )


def hearing_input(form: FormData) -> HearingInput:
    errors = forms.Errors()
    held_at = forms.parse_local_datetime(form.get("h_held_at"), "held_at", errors, required=False)
    notice_on, materials_on, close_on = (
        forms.parse_date(form.get(f"h_{name}"), name, errors, required=False)
        for name in ("notice_on", "materials_on", "applications_close_on")
    )
    groups = []
    for i in range(1, GROUP_ROWS + 1):
        label, raw = form_text(form, f"h_g{i}_label"), form_text(form, f"h_g{i}_seats")
        seats = forms.bounded_int(raw or "0", 0, 1000)
        if seats is None:
            errors["groups"] = "Enter a whole number."
        groups.append((label, seats or 0))
    observers = forms.parse_int(form.get("h_observer_seats") or "0", "observer_seats", errors)
    errors.raise_if_any()
    return HearingInput(
        consultation_id=forms.number(form, "h_consultation_id") or None,
        matter=form_text(form, "h_matter"),
        organiser=form_text(form, "h_organiser"),
        place=form_text(form, "h_place"),
        held_at=held_at,
        notice_on=notice_on,
        materials_on=materials_on,
        applications_close_on=close_on,
        groups=groups,
        observer_seats=observers or 0,
        how_to_apply=form_text(form, "h_how_to_apply"),
    )
