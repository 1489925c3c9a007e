"""The application form every call shares, read into the call's input."""

from __future__ import annotations

from starlette.datastructures import FormData

from consult.participation.calls import ApplicationInput
from consult.web import form_text


def application_input(form: FormData) -> ApplicationInput:
    text = lambda name: form_text(form, name)  # noqa: E731
    return ApplicationInput(
        name=text("name"),
        category=text("category"),
        organisation=text("organisation"),
        statement=text("statement"),
        phone=text("phone"),
        email=text("email"),
        adult=text("adult") == "on",
        local=text("local") == "on",
        not_civil_servant=text("not_civil_servant") == "on",
        notify_by_email=text("notify_by_email") == "on",
    )
