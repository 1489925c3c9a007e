"""What of the decisions the public may see, defined once: every public page, the API, the feeds, the
downloads and the search index take their rows from here (and from drafts/ and reports/ visibility).

A decision is public once its year's catalog is published (a removed decision stays public, marked
removed: the adjustment is public too); a document outside the catalog (a government rule, a normative
document) once one of its consultations is published. What belongs to a decision is public only with it.
"""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from consult.decisions.models import Catalog, Decision, DecisionResult


def public_catalogs() -> QuerySet[Catalog]:
    return Catalog.filter(published_at__isnull=False)


def public_decision(path: str = "") -> Q:
    """The condition that the decision is public, for a query on it (`path` "") or on what belongs to it
    (`path` "decision__")."""
    return Q(**{f"{path}catalog__published_at__isnull": False}) | Q(**{f"{path}public_from__isnull": False})


def public_decisions() -> QuerySet[Decision]:
    return Decision.filter(public_decision())


def public_results() -> QuerySet[DecisionResult]:
    return DecisionResult.filter(public_decision("decision__"))
