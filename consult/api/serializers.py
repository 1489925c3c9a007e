"""The public shape of every object: only fields that may appear on a public page.

Nothing here reads submitter_name, contact_phone, contact_email or any staff user: a test seeds
markers in those fields and checks every API response, export and feed for them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from consult.answers.models import Answer
from consult.comments.models import Comment
from consult.decisions.models import Catalog, Decision, DecisionResult
from consult.drafts.models import Article, Consultation
from consult.evaluations.models import REPORT_PARTS
from consult.implementation.queries import AfterIssue, ChangesView
from consult.meetings.models import Attendee, AttendeeOpinion, Meeting, MeetingTopic, OpinionAnswer


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def catalog(c: Catalog) -> dict[str, Any]:
    return {"year": c.year, "title": c.title, "introduction": c.introduction, "published_at": iso(c.published_at)}


def decision(
    d: Decision, stage: str, result: DecisionResult | None, execution_state: str | None = None
) -> dict[str, Any]:
    return {
        "id": d.id,
        # major_decision (in the year's catalog), government_rule or normative_document (outside it: no
        # catalog year, no number).
        "kind": d.kind.value,
        "catalog_year": d.catalog.year if d.catalog is not None else None,
        "seq": d.seq if d.catalog is not None else None,
        "market_related": d.market_related,
        "title": d.title,
        "department": {"id": d.department.id, "name": d.department.name},
        "legal_basis": d.legal_basis,
        "background": d.background,
        "planned_completion": iso(d.planned_completion),
        "needs_hearing": d.needs_hearing,
        "participation_methods": d.participation_methods,
        "stage": stage,
        "removed_at": iso(d.removed_at),
        "result": None
        if result is None
        else {
            "document_number": result.document_number,
            "issued_on": iso(result.issued_on),
            "link": result.link,
            "issuing_level": result.issuing_level.value,
        },
        # in_force, adjusted, suspended or terminated once issued; null before.
        "execution_state": execution_state,
        "url": f"/decisions/{d.id}",
    }


def consultation(c: Consultation, state: str, comment_count: int) -> dict[str, Any]:
    return {
        "id": c.id,
        "decision_id": c.decision_id,
        "department": {"id": c.decision.department.id, "name": c.decision.department.name},
        "title": c.draft.title,
        "version": c.draft.version_label,
        "state": state,
        "starts_on": iso(c.starts_on),
        "ends_on": iso(c.ends_on),
        "short_period_reason": c.short_period_reason,
        "explanation": c.draft.explanation,
        "comments_received": comment_count,
        "url": f"/consultations/{c.id}",
    }


def article(a: Article) -> dict[str, Any]:
    return {"id": a.id, "seq": a.seq, "label": a.label, "chapter": a.chapter, "body": a.body}


def answer(a: Answer | OpinionAnswer | None) -> dict[str, Any] | None:
    if a is None or a.published_at is None:
        return None
    return {
        "status": a.public_status.value if a.public_status else None,
        "reason": a.public_reason,
        "published_at": iso(a.published_at),
        "group_answer": bool(getattr(a, "group_answer_id", None)),
    }


def comment(c: Comment, a: Answer | None, group_summary: str | None) -> dict[str, Any]:
    return {
        "id": c.id,
        "article_id": c.article_id,
        "body": c.body,
        "proposed_text": c.proposed_text,
        "shown_as": c.public_name,
        "category": c.category.value,
        "channel": c.channel.value,
        "received_on": iso(c.received_on),
        "group": None if c.group_id is None else {"id": c.group_id, "summary": group_summary},
        "answer": answer(a),
    }


def receipt(c: Comment, a: Answer | None) -> dict[str, Any]:
    return {
        "receipt_code": c.receipt_code,
        "consultation_id": c.consultation_id,
        "article_id": c.article_id,
        "body": c.body,
        "proposed_text": c.proposed_text,
        "shown_as": c.public_name,
        "state": c.state.value,
        "withhold_reason": c.withhold_reason.value if c.withhold_reason else None,
        "received_on": iso(c.received_on),
        "answer": answer(a),
    }


def meeting(
    m: Meeting,
    topics: list[MeetingTopic],
    attendees: list[Attendee],
    opinions: list[AttendeeOpinion],
    answers: dict[int, OpinionAnswer],
) -> dict[str, Any]:
    return {
        "id": m.id,
        "number": m.number,
        "held_on": iso(m.held_on),
        "place": m.place,
        "public_attendance": m.public_attendance,
        "stream_url": m.stream_url,
        "applications": {
            "open_on": iso(m.applications_open_on),
            "close_on": iso(m.applications_close_on),
            "seats": m.quotas,
        },
        "topics": [{"id": t.id, "title": t.title, "decision_id": t.decision_id, "outcome": t.outcome} for t in topics],
        "attendees": [
            {
                "name": a.name,
                "category": a.category.value,
                "organisation": a.organisation,
                "attendance": a.attendance.value if a.attendance else None,
                "opinions": [
                    {"topic_id": o.topic_id, "body": o.body, "answer": answer(answers.get(o.id))}
                    for o in opinions
                    if o.attendee_id == a.id
                ],
            }
            for a in attendees
        ],
        "url": f"/meetings/{m.id}",
    }


def after_issue(after: AfterIssue) -> dict[str, Any]:
    """An issued decision's interpretations, execution updates and status changes (no staff names)."""
    standing = after.standing
    return {
        "interpretation_standing": None
        if standing is None
        else {"forms": standing.forms, "target": standing.target, "published_with_the_document": standing.in_step},
        "interpretations": [
            {
                "id": i.id,
                "form": i.form.value,
                "title": i.title,
                "interpreter": i.interpreter,
                "published_on": iso(i.published_on),
                "body": i.body,
                "link": i.link,
                "url": f"/decisions/{i.decision_id}/interpretations/{i.id}",
            }
            for i in after.interpretations
        ],
        "execution_updates": [{"id": u.id, "reported_on": iso(u.reported_on), "body": u.body} for u in after.updates],
        "status_changes": [
            {
                "kind": c.kind.value,
                "effective_on": iso(c.effective_on),
                "reason": c.reason,
                "document_number": c.document_number,
                "link": c.link,
            }
            for c in after.changes
        ],
    }


def changes(view: ChangesView) -> dict[str, Any]:
    """The consulted draft against the issued text: each article's change, the text's pieces
    (equal/delete/insert), and the comments that changed it (their numbers and answer status)."""
    return {
        "draft": {"id": view.draft.id, "title": view.draft.title, "version_label": view.draft.version_label},
        "consultation_id": view.consultation.id,
        "document_number": view.result.document_number,
        "issued_on": iso(view.result.issued_on),
        "counts": view.counts,
        "articles": [
            {
                "change": c.kind.value,
                "draft_label": c.draft.label if c.draft else None,
                "issued_label": c.issued.label if c.issued else None,
                "pieces": [{"op": p.op, "text": p.text} for p in c.pieces],
                "comments": [
                    {"id": link.id, "answer": link.status}
                    for link in (view.links.get(c.issued.label, []) if c.issued else [])
                ],
            }
            for c in view.changes
        ],
    }


def before_decision(view: dict[str, Any]) -> dict[str, Any]:
    """The steps before the decision, in the order of 国务院令第713号: the public records of each (with
    their documents), and for a step done but kept internal only its date; the public hearings."""
    documents = view["step_documents"]
    return {
        "procedure_steps": [
            {
                "kind": v.kind.value,
                "done": v.done,
                "internal_on": iso(v.internal_on),
                "records": [
                    {
                        "unit": r.unit,
                        "started_on": iso(r.started_on),
                        "finished_on": iso(r.finished_on),
                        "outcome": r.outcome,
                        "risk_level": r.risk_level.value if r.risk_level else None,
                        "short_period_reason": r.short_period_reason,
                        "meeting_id": r.meeting_id,
                        "documents": [
                            {
                                "filename": doc.filename,
                                "url": f"/decisions/{r.decision_id}/steps/{r.id}/documents/{doc.id}",
                            }
                            for doc in documents.get(r.id, [])
                        ],
                    }
                    for r in v.records
                ],
            }
            for v in view["steps"]
        ],
        "hearings": [
            {
                "id": h.id,
                "held_at": iso(h.held_at),
                "place": h.place,
                "notice_on": iso(h.notice_on),
                "applications_close_on": iso(h.applications_close_on),
                "report_published_at": iso(h.report_published_at),
                "url": f"/hearings/{h.id}",
            }
            for h in view["hearings"]
        ],
    }


def survey_results(results: Any) -> dict[str, Any]:
    """A closed questionnaire's results (surveys.queries.Results): no respondent's contact or receipt."""
    survey = results.survey
    return {
        "id": survey.id,
        "title": survey.title,
        "opens_on": iso(survey.opens_on),
        "closes_on": iso(survey.closes_on),
        "responses": results.responses,
        "questions": [
            {
                "seq": r.question.seq,
                "kind": r.question.kind.value,
                "text": r.question.text,
                "answered": r.answered,
                "choices": [{"label": label, "count": n, "share": round(share, 4)} for label, n, share in r.choices],
                "distribution": [{"score": v, "count": n} for v, n in r.distribution],
                "mean": round(r.mean, 3) if r.mean is not None else None,
                "texts": r.texts,
            }
            for r in results.questions
        ],
        "url": f"/surveys/{survey.id}",
    }


def evaluation(e: Any) -> dict[str, Any]:
    """A public policy evaluation: its report only once published."""
    published = e.report_published_at is not None
    return {
        "id": e.id,
        "policy_title": e.policy_title,
        "decision_id": e.decision_id,
        "unit": e.department.name if e.department_id else None,
        "evaluator": e.evaluator,
        "scope": e.scope,
        "methods": e.methods,
        "starts_on": iso(e.starts_on),
        "ends_on": iso(e.ends_on),
        "survey_id": e.survey_id,
        "report_published_at": iso(e.report_published_at),
        "report": {part: getattr(e, part) for part in REPORT_PARTS} if published else None,
        "url": f"/evaluations/{e.id}",
    }
