"""The OpenAPI 3.1 description of /api/v1. tests/api/test_openapi.py checks it against the routes."""

from __future__ import annotations

from typing import Any

from consult.comments.services import EMAIL_RE, PHONE_RE
from consult.i18n import N_

OBJ = {"type": "object"}
MAX_ID = 2_147_483_647  # ids are 32-bit integers: a larger one is a 404 (paths) or a 422 (queries)
ID_SCHEMA = {"type": "integer", "minimum": 0, "maximum": MAX_ID}


def _param(
    name: str, where: str = "query", schema: dict[str, Any] | None = None, description: str = ""
) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema or ID_SCHEMA,
        "description": description,
    }


PAGE = [
    _param("page", schema={"type": "integer", "minimum": 1, "maximum": 100_000}, description="Page number, from 1."),
    _param(
        "per_page", schema={"type": "integer", "minimum": 1, "maximum": 100}, description="Items a page (at most 100)."
    ),
]
ID = _param("id", "path", ID_SCHEMA)


def _list(ref: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "next": {"type": ["string", "null"]},
        },
    }


def _one(ref: str) -> dict[str, Any]:
    return {"type": "object", "properties": {"data": {"$ref": f"#/components/schemas/{ref}"}}}


def _get(summary: str, schema: dict[str, Any], parameters: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": parameters or [],
            "responses": {
                "200": {
                    "description": "OK. Carries an ETag: send it back as If-None-Match to get 304 when nothing changed.",
                    "content": {"application/json": {"schema": schema}},
                },
                "304": {"description": "Not modified since the ETag you sent."},
                "404": {"$ref": "#/components/responses/Error"},
                "422": {"$ref": "#/components/responses/Error"},
            },
        }
    }


def openapi() -> dict[str, Any]:
    comments_path = _get(
        N_(
            "Published comments with their answers and groups, in id order (cursor pagination, stable while comments arrive)"
        ),
        {
            "type": "object",
            "properties": {
                "data": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}},
                "next": {"type": ["string", "null"]},
            },
        },
        [
            ID,
            _param("after", description="Return comments with an id greater than this (the last id you have)."),
            _param("limit", schema={"type": "integer", "minimum": 1, "maximum": 200}),
            _param("article", description="Only comments on this article id."),
            _param(
                "answer",
                schema={
                    "type": "string",
                    "enum": ["adopted", "partly_adopted", "not_adopted", "already_covered", "out_of_scope"],
                },
            ),
        ],
    )
    comments_path["post"] = {
        "summary": N_("Submit a comment (the same rules as the web form). Rate-limited per client."),
        "parameters": [
            ID,
            _param(
                "Idempotency-Key",
                "header",
                {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"},
                "A key you choose per comment (16–64 letters, digits, - or _). Sending the same comment again with the same key returns the first receipt instead of storing it twice. Without it, every request stores a comment.",
            ),
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewComment"}}},
        },
        "responses": {
            "201": {
                "description": "Stored; the receipt code lets the submitter follow it.",
                "content": {"application/json": {"schema": OBJ}},
            },
            "200": {
                "description": "This Idempotency-Key was already used for the same comment: its receipt.",
                "content": {"application/json": {"schema": OBJ}},
            },
            "400": {"$ref": "#/components/responses/Error"},
            "404": {"$ref": "#/components/responses/Error"},
            "409": {"$ref": "#/components/responses/Error"},
            "422": {"$ref": "#/components/responses/Error"},
            "429": {"$ref": "#/components/responses/Error"},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "consult public API",
            "version": "1",
            "description": "Everything public on consult as JSON. Errors are JSON with a stable `code` and a message in Chinese and English. No private data (names, phones, e-mails of commenters or applicants) is ever returned.",
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/catalogs": _get(N_("Published annual catalogs"), _list("Catalog"), PAGE),
            "/api/v1/catalogs/{year}": _get(
                N_("One year's catalog with its decisions"),
                _one("Catalog"),
                [_param("year", "path", {"type": "integer", "minimum": 0})],
            ),
            "/api/v1/decisions": _get(
                N_(
                    "Decisions of published catalogs, and the rule drafts and normative documents put out for comment outside them"
                ),
                _list("Decision"),
                [
                    *PAGE,
                    _param("department"),
                    _param("year", schema={"type": "integer", "minimum": 2000, "maximum": 2100}),
                ],
            ),
            "/api/v1/decisions/{id}": _get(
                N_(
                    "One decision, with its stage, the steps before it and its hearings, its result, "
                    "interpretations, execution updates and status changes"
                ),
                _one("Decision"),
                [ID],
            ),
            "/api/v1/decisions/{id}/changes": _get(
                N_("What changed between the consulted draft and the issued text, article by article"),
                _one("Changes"),
                [ID],
            ),
            "/api/v1/consultations": _get(
                N_("Published consultations"),
                _list("Consultation"),
                [
                    *PAGE,
                    _param("status", schema={"type": "string", "enum": ["open", "closed", "all"]}),
                    _param("department"),
                    _param("year", schema={"type": "integer", "minimum": 2000, "maximum": 2100}),
                ],
            ),
            "/api/v1/consultations/{id}": _get(N_("One consultation"), _one("Consultation"), [ID]),
            "/api/v1/consultations/{id}/articles": _get(
                N_("The draft's articles"),
                {
                    "type": "object",
                    "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Article"}}},
                },
                [ID],
            ),
            "/api/v1/consultations/{id}/comments": comments_path,
            "/api/v1/receipts/{code}": _get(
                N_("A comment by its receipt code: its state and answer"),
                _one("Receipt"),
                [_param("code", "path", {"type": "string", "maxLength": 30})],
            ),
            "/api/v1/reports": _get(N_("Published adoption reports with their figures"), _list("Report"), PAGE),
            "/api/v1/reports/{id}": _get(N_("One adoption report"), _one("Report"), [ID]),
            "/api/v1/meetings": _get(
                N_("Standing meetings with topics, public attendees, their opinions and answers"),
                _list("Meeting"),
                [*PAGE, _param("year", schema={"type": "integer", "minimum": 2000, "maximum": 2100})],
            ),
            "/api/v1/meetings/{id}": _get(N_("One standing meeting"), _one("Meeting"), [ID]),
            "/api/v1/evaluations": _get(
                N_("Public policy evaluations with their methods and, once published, their reports"),
                _list("Evaluation"),
                [*PAGE, _param("year", schema={"type": "integer", "minimum": 2000, "maximum": 2100})],
            ),
            "/api/v1/surveys/{id}/results": _get(
                N_("A closed questionnaire's results: counts and shares per choice, scale means, published text"),
                _one("SurveyResults"),
                [ID],
            ),
        },
        "components": {
            "schemas": {
                name: OBJ
                for name in (
                    "Catalog",
                    "Decision",
                    "Changes",
                    "Consultation",
                    "Article",
                    "Comment",
                    "Receipt",
                    "Meeting",
                    "SurveyResults",
                    "Evaluation",
                )
            }
            | {
                "Report": {
                    "type": "object",
                    "description": "意见收集和采纳情况. Due within the set number of working days (default 10) after the decision document's issue date, counted on the Chinese working-day calendar; the due day is included.",
                    "properties": {
                        "id": {"type": "integer"},
                        "decision_id": {"type": "integer"},
                        "consultation_id": {"type": "integer"},
                        "issued_on": {
                            "type": "string",
                            "format": "date",
                            "description": "Issue date (印发日期) of the decision document: the clock starts here.",
                        },
                        "due_on": {
                            "type": "string",
                            "format": "date",
                            "description": "The last day on which publication is on time (最迟于…（含当日）公开).",
                        },
                        "due_provisional": {
                            "type": "boolean",
                            "description": "True while the due date counts days of a year whose official holiday arrangement is not entered yet (暂定).",
                        },
                        "published_at": {"type": "string", "format": "date-time"},
                        "on_time": {
                            "type": ["boolean", "null"],
                            "description": "Null while the due date is provisional: a report is never marked late against a provisional date.",
                        },
                        "working_days_late": {
                            "type": ["integer", "null"],
                            "description": "0 when on time; working days after the due day up to the publication (a rest day counts as the next working day); null while provisional.",
                        },
                        "publication_kind": {"type": "string", "enum": ["complete", "deadline", "manual"]},
                        "overdue": {
                            "type": "boolean",
                            "description": "Published at its deadline with comments still unanswered.",
                        },
                        "department_note": {"type": "string"},
                        "version": {"type": "integer"},
                        "correction_note": {"type": "string"},
                        "figures": {"type": "object"},
                        "url": {"type": "string"},
                        "csv": {"type": "string"},
                        "pdf": {"type": "string"},
                    },
                },
                "NewComment": {
                    "type": "object",
                    "required": ["body", "category", "name"],
                    "properties": {
                        "body": {
                            "type": "string",
                            "minLength": 10,
                            "maxLength": 5000,
                            "description": "At least 10 visible characters; text of invisible characters only is empty. NUL is refused.",
                        },
                        "article_id": {
                            "type": ["integer", "null"],
                            "minimum": 1,
                            "maximum": MAX_ID,
                            "description": "An article of this consultation's draft, or null for the whole draft.",
                        },
                        "category": {
                            "type": "string",
                            "enum": ["citizen", "enterprise", "organisation", "expert", "npc_deputy", "cppcc_member"],
                        },
                        "name": {"type": "string", "minLength": 1, "maxLength": 50, "description": "Never published."},
                        "phone": {
                            "type": "string",
                            "maxLength": 40,
                            "pattern": PHONE_RE.pattern,
                            "description": "A mainland mobile number (11 digits, optionally +86) or a landline with its area code. Phone or e-mail is required; never published.",
                        },
                        "email": {"type": "string", "maxLength": 200, "pattern": EMAIL_RE.pattern},
                        "display_mode": {"type": "string", "enum": ["masked", "anonymous"]},
                        "proposed_text": {
                            "type": "string",
                            "maxLength": 5000,
                            "description": "New wording proposed for the article (article_id required with it); published with the comment.",
                        },
                        "notify_by_email": {"type": "boolean"},
                    },
                },
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {
                                "code": {"type": "string"},
                                "message": {
                                    "type": "object",
                                    "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
                                },
                                "fields": {"type": "object"},
                            },
                        }
                    },
                },
            },
            "responses": {
                "Error": {
                    "description": "An error",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
        },
    }
