"""Home page, annual catalogs, decision topic pages; and the office's catalog management."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.models import User
from consult.accounts.permissions import is_admin
from consult.decisions.models import Catalog, Decision
from consult.decisions.pages import CatalogAdminPage, DecisionAdminPage, document_admin_view
from consult.decisions.services import (
    DecisionInput,
    add_decision,
    add_document,
    create_catalog,
    publish_catalog,
    remove_decision,
    require_catalog_manager,
    update_decision,
)
from consult.decisions.visibility import public_catalogs, public_decisions
from consult.procedure import queries
from consult.reports.deadline import ReportRule
from consult.web import FormPage, form_text, kept_page, redirect, render, require_user, settings_of
from consult.workdays.services import load_calendar


async def _home(request: Request) -> Response:
    return await render(request, "home.html", await queries.home_view(clock.today()))


async def home(request: Request) -> Response:
    return await kept_page(request, (), _home)


async def catalog_index(request: Request) -> Response:
    catalogs = await public_catalogs().order_by("-year")
    return await render(request, "decisions/catalogs.html", {"catalogs": catalogs})


async def catalog_page(request: Request) -> Response:
    catalog = await queries.public_catalog(request.path_params["year"])
    if catalog is None:
        raise HTTPException(404)
    return await render(request, "decisions/catalog.html", await queries.catalog_view(catalog, clock.today()))


async def decision_page(request: Request) -> Response:
    return await kept_page(request, (), _decision_page)


async def _decision_page(request: Request) -> Response:
    decision = (
        await public_decisions().get_or_none(id=request.path_params["id"]).prefetch_related("department", "catalog")
    )
    if decision is None:
        raise HTTPException(404)
    calendar, rule = await load_calendar(), ReportRule.of(settings_of(request))
    return await render(
        request,
        "decisions/decision.html",
        await queries.topic_view(decision, calendar, rule, clock.now(), settings_of(request)),
    )


# ---- staff --------------------------------------------------------------------------------------


def decision_input(form: FormData, catalog_fields: bool, own_department: int | None = None) -> DecisionInput:
    """The decision's fields; `catalog_fields` False for department staff, whose edits leave the title,
    the department and the planned completion as the office set them. `own_department`: the staff
    member's, who adds documents of no other department (the office chooses one)."""
    errors = forms.Errors()
    department = own_department or forms.parse_int(form.get("department_id"), "department_id", errors) or 0
    data = DecisionInput(
        title=forms.text(form.get("title"), "title", errors),
        department_id=department,
        planned_completion=forms.parse_date(form.get("planned_completion"), "planned_completion", errors)
        or clock.today(),
        needs_hearing=form.get("needs_hearing") == "on",
        legal_basis=form_text(form, "legal_basis").strip(),
        background=form_text(form, "background").strip(),
        participation_methods=form_text(form, "participation_methods").strip(),
    )
    if not catalog_fields:
        for name in ("title", "department_id", "planned_completion"):
            errors.pop(name, None)
    errors.raise_if_any()
    return data


class ManageCatalogs(FormPage):
    template = "manage/catalogs.html"

    async def load(self, request: Request) -> User:
        user = await require_user(request)
        if request.method == "POST":
            require_catalog_manager(user)
        return user

    async def context(self, request: Request, user: User) -> dict[str, Any]:
        return {"catalogs": await Catalog.all().order_by("-year"), "can_create": is_admin(user)}

    async def submit(self, request: Request, user: User, form: FormData) -> Response:
        errors = forms.Errors()
        year = forms.parse_int(form.get("year"), "year", errors)
        errors.raise_if_any()
        catalog = await create_catalog(year or 0, form_text(form, "title"), form_text(form, "introduction"), user)
        return redirect(f"/manage/catalogs/{catalog.year}")


class CatalogAdmin(CatalogAdminPage):
    """POST .../publish publishes the catalog; .../decisions adds a decision to it."""

    async def load(self, request: Request) -> tuple[User, Catalog]:
        user, catalog = await super().load(request)
        if request.url.path.endswith("/decisions"):
            require_catalog_manager(user)
        return user, catalog

    async def submit(self, request: Request, target: tuple[User, Catalog], form: FormData) -> Response:
        user, catalog = target
        if request.url.path.endswith("/publish"):
            await publish_catalog(catalog, user, clock.now())
            return redirect(f"/manage/catalogs/{catalog.year}")
        data = decision_input(form, is_admin(user))
        decision = await add_decision(catalog, data, user, clock.now(), reason=form_text(form, "reason"))
        return redirect(f"/manage/decisions/{decision.id}")


async def document_list(request: Request) -> Response:
    """Government rules and normative documents put out for comment (outside the catalog)."""
    return await render(
        request, "decisions/documents.html", await queries.documents_view(clock.today(), settings_of(request))
    )


class ManageDocuments(FormPage):
    """The documents the department drafts outside the catalog, and the form to add one."""

    template = "manage/documents.html"

    async def load(self, request: Request) -> User:
        return await require_user(request)

    async def context(self, request: Request, user: User) -> dict[str, Any]:
        return await document_admin_view(user)

    async def submit(self, request: Request, user: User, form: FormData) -> Response:
        data = decision_input(form, catalog_fields=True, own_department=user.department_id)
        kind, market = form_text(form, "kind"), form_text(form, "market_related") == "on"
        document = await add_document(kind, data, market, user)
        return redirect(f"/manage/decisions/{document.id}")


class DecisionAdmin(DecisionAdminPage):
    """POST edits the decision (department staff: only its background and legal basis); .../remove
    takes it out of the catalog, with the reason published."""

    async def submit(self, request: Request, target: tuple[User, Decision], form: FormData) -> Response:
        user, decision = target
        if request.url.path.endswith("/remove"):
            catalog = await decision.catalog
            await remove_decision(decision, user, clock.now(), form_text(form, "reason"))
            return redirect(f"/manage/catalogs/{catalog.year}")
        document = decision.catalog_id is None  # its department is fixed; its title is the department's
        own = decision.department_id if document else None
        data = decision_input(form, is_admin(user) or document, own)
        await update_decision(decision, data, user, clock.now(), reason=form_text(form, "reason"))
        return redirect(f"/manage/decisions/{decision.id}")


routes = [
    Route("/", home),
    Route("/catalogs/", catalog_index),
    Route("/catalogs/{year:int}", catalog_page),
    Route("/decisions/{id:int}", decision_page),
    Route("/documents/", document_list),
    Route("/manage/documents", ManageDocuments, methods=["GET", "POST"]),
    Route("/manage/catalogs/", ManageCatalogs, methods=["GET", "POST"]),
    Route("/manage/catalogs/{year:int}", CatalogAdmin, methods=["GET"]),
    Route("/manage/catalogs/{year:int}/publish", CatalogAdmin, methods=["POST"]),
    Route("/manage/catalogs/{year:int}/decisions", CatalogAdmin, methods=["POST"]),
    Route("/manage/decisions/{id:int}", DecisionAdmin, methods=["GET", "POST"]),
    Route("/manage/decisions/{id:int}/remove", DecisionAdmin, methods=["POST"]),
]
