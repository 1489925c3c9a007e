"""/manage/calendar: the government office enters each year's holidays and make-up workdays."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.guards import require_admin
from consult.accounts.models import User
from consult.web import FormPage, form_text, redirect
from consult.workdays.queries import calendar_overview
from consult.workdays.services import set_year_arrangement


class CalendarPage(FormPage):
    template = "manage/calendar.html"

    async def load(self, request: Request) -> User:
        return await require_admin(request, "Only the government office maintains the working-day calendar.")

    async def context(self, request: Request, user: User) -> dict[str, Any]:
        return await calendar_overview(clock.today())

    async def submit(self, request: Request, user: User, form: FormData) -> Response:
        errors = forms.Errors()
        year = forms.parse_int(form.get("year"), "year", errors)
        errors.raise_if_any()
        texts = (form_text(form, "notice"), form_text(form, "holidays"), form_text(form, "workdays"))
        await set_year_arrangement(year or 0, *texts, user, clock.now())
        return redirect("/manage/calendar")


routes = [Route("/manage/calendar", CalendarPage, methods=["GET", "POST"])]
