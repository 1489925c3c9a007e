"""Annual catalogs and their decisions. After publication every change is a public adjustment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.functions import Max
from tortoise.transactions import in_transaction

from consult.accounts.models import Department, User
from consult.accounts.permissions import can_edit_department_content, is_admin
from consult.decisions.models import AdjustmentKind, Catalog, CatalogAdjustment, Decision, DecisionKind
from consult.decisions.search import index_decision
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.i18n import N_
from consult.search.index import index_catalog

# Fields that make up a catalog entry; changing one after publication is an adjustment.
CATALOG_FIELDS = ("title", "department_id", "planned_completion", "needs_hearing")


@dataclass
class DecisionInput:
    title: str
    department_id: int
    planned_completion: date
    needs_hearing: bool = False
    legal_basis: str = ""
    background: str = ""
    # 公众参与方式 (seed 003): how the public can take part in this decision.
    participation_methods: str = ""


def require_catalog_manager(actor: User) -> None:
    if not is_admin(actor):
        raise PermissionDenied("Only the government office manages the catalog.")


async def create_catalog(year: int, title: str, introduction: str, actor: User) -> Catalog:
    """One catalog a year."""
    require_catalog_manager(actor)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": N_("Enter a year between 2000 and 2100.")})
    if await Catalog.filter(year=year).exists():
        raise ValidationError({"year": N_("The %(year)s catalog already exists.")}, year=year)
    title = title.strip() or f"{year}年度重大行政决策事项目录"
    return await Catalog.create(year=year, title=title[:200], introduction=introduction.strip())


async def publish_catalog(catalog: Catalog, actor: User, now: datetime) -> None:
    require_catalog_manager(actor)
    if catalog.published_at is not None:
        raise Conflict("The catalog is already published.")
    if not await Decision.filter(catalog_id=catalog.id).exists():
        raise Conflict("Add at least one decision before publishing the catalog.")
    catalog.published_at = now
    await catalog.save(update_fields=["published_at"])
    await index_catalog(catalog.id)


# A catalog entry's title as printed in the catalog; its background and legal basis, a few pages.
MAX_TITLE = 200
MAX_TEXT = 20000


def _check_texts(data: DecisionInput, errors: dict[str, str]) -> None:
    texts = (
        ("legal_basis", data.legal_basis),
        ("background", data.background),
        ("participation_methods", data.participation_methods),
    )
    for name, value in texts:
        if len(value.strip()) > MAX_TEXT:
            errors[name] = N_("Too long.")


async def _validate(data: DecisionInput) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = N_("This field is required.")
    elif len(data.title) > MAX_TITLE:
        errors["title"] = N_("Too long.")
    _check_texts(data, errors)
    if not await Department.filter(id=data.department_id).exists():
        errors["department_id"] = N_("Choose one of the options.")
    if errors:
        raise ValidationError(errors)


def _require_reason(catalog: Catalog | None, reason: str) -> str:
    reason = reason.strip()
    if catalog is not None and catalog.published_at is not None and not reason:
        raise ValidationError({"reason": N_("The catalog is published: give the reason for this adjustment.")})
    return reason


async def add_decision(catalog: Catalog, data: DecisionInput, actor: User, now: datetime, reason: str = "") -> Decision:
    """Adding to a published catalog is an adjustment with a reason."""
    require_catalog_manager(actor)
    await _validate(data)
    reason = _require_reason(catalog, reason)
    decision = await _next_in_catalog(catalog, data, actor, now, reason)
    await index_decision(decision)
    return decision


async def _next_in_catalog(catalog: Catalog, data: DecisionInput, actor: User, now: datetime, reason: str) -> Decision:
    """The next number in the catalog, unique per catalog: a concurrent addition that took it first
    makes this one retry with the number after."""
    for _attempt in range(5):
        try:
            return await _add_numbered(catalog, data, actor, now, reason)
        except IntegrityError:
            continue
    raise Conflict("Could not add the decision; please try again.")


async def _add_numbered(catalog: Catalog, data: DecisionInput, actor: User, now: datetime, reason: str) -> Decision:
    async with in_transaction("default"):
        numbers = await Decision.filter(catalog_id=catalog.id).annotate(last=Max("seq")).values_list("last", flat=True)
        seq = (numbers[0] or 0) + 1 if numbers else 1
        decision = await Decision.create(catalog=catalog, seq=seq, **_fields(data))
        if catalog.published_at is not None:
            await CatalogAdjustment.create(
                catalog=catalog,
                decision=decision,
                kind=AdjustmentKind.ADDED,
                reason=reason,
                changes=[{"field": "title", "before": "", "after": decision.title}],
                created_by=actor,
                created_at=now,
            )
    return decision


def _fields(data: DecisionInput) -> dict[str, Any]:
    return {
        "title": data.title.strip(),
        "department_id": data.department_id,
        "planned_completion": data.planned_completion,
        "needs_hearing": data.needs_hearing,
        "legal_basis": data.legal_basis.strip(),
        "background": data.background.strip(),
        "participation_methods": data.participation_methods.strip(),
    }


def _display(value: Any) -> Any:
    # Stored as JSON: dates as ISO strings, booleans as booleans; templates format them.
    return value.isoformat() if isinstance(value, date) else value


async def update_decision(
    decision: Decision, data: DecisionInput, actor: User, now: datetime, reason: str = ""
) -> Decision:
    """The office edits everything; the lead department edits only its background and legal basis
    (and, for its own document outside the catalog, its title and hearing too)."""
    catalog = await decision.catalog
    if not can_edit_department_content(actor, decision.department_id):
        raise PermissionDenied("This decision belongs to another department.")
    new = _fields(data)
    if catalog is None:
        new["department_id"], new["planned_completion"] = decision.department_id, decision.planned_completion
        await _validate(DecisionInput(**{**data.__dict__, "department_id": decision.department_id}))
    elif not is_admin(actor):
        for name in CATALOG_FIELDS:
            new[name] = getattr(decision, name)
        errors: dict[str, str] = {}
        _check_texts(data, errors)
        if errors:
            raise ValidationError(errors)
    else:
        await _validate(data)
    changes = []
    for name in CATALOG_FIELDS:
        if new[name] != getattr(decision, name):
            before, after = getattr(decision, name), new[name]
            if name == "department_id":
                before = (await Department.get(id=before)).name
                after = (await Department.get(id=after)).name
            changes.append({"field": name, "before": _display(before), "after": _display(after)})
    if changes:
        reason = _require_reason(catalog, reason)
    async with in_transaction("default"):
        for name, value in new.items():
            setattr(decision, name, value)
        await decision.save()
        if changes and catalog is not None and catalog.published_at is not None:
            await CatalogAdjustment.create(
                catalog=catalog,
                decision=decision,
                kind=AdjustmentKind.CHANGED,
                reason=reason,
                changes=changes,
                created_by=actor,
                created_at=now,
            )
    await index_decision(decision)
    return decision


async def remove_decision(decision: Decision, actor: User, now: datetime, reason: str) -> None:
    """An unpublished entry is deleted; a published one is marked removed and the removal published."""
    require_catalog_manager(actor)
    catalog = await decision.catalog
    if catalog is None:
        raise Conflict("This document is not in the catalog.")
    if decision.removed_at is not None:
        raise Conflict("This decision was already removed from the catalog.")
    if catalog.published_at is None:
        if await decision.drafts.all().exists():
            raise Conflict("This decision already has drafts; it cannot be deleted.")
        await decision.delete()
        return
    reason = _require_reason(catalog, reason)
    async with in_transaction("default"):
        decision.removed_at = now
        await decision.save(update_fields=["removed_at"])
        await CatalogAdjustment.create(
            catalog=catalog,
            decision=decision,
            kind=AdjustmentKind.REMOVED,
            reason=reason,
            changes=[{"field": "title", "before": decision.title, "after": ""}],
            created_by=actor,
            created_at=now,
        )
    await index_decision(decision)


# Consulted on like a major decision, with a topic page of its own, but never in the catalog.
DOCUMENT_KINDS = (DecisionKind.GOVERNMENT_RULE, DecisionKind.NORMATIVE_DOCUMENT)


async def add_document(kind: str, data: DecisionInput, market_related: bool, actor: User) -> Decision:
    """A government rule or a normative document to consult on, drafted by a department (its own) or
    by the office. It is public with the first publication of one of its consultations."""
    if not can_edit_department_content(actor, data.department_id):
        raise PermissionDenied("Department staff add documents of their own department.")
    errors: dict[str, str] = {}
    if kind not in {k.value for k in DOCUMENT_KINDS}:
        errors["kind"] = N_("Choose one of the options.")
    try:
        await _validate(data)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    document_kind = DecisionKind(kind)
    decision = await Decision.create(
        catalog=None,
        seq=0,
        kind=document_kind,
        # Only a normative document's period depends on it (drafts/periods.py).
        market_related=market_related and document_kind is DecisionKind.NORMATIVE_DOCUMENT,
        **_fields(data),
    )
    return decision
