"""Where the areas meet: every cross-area reaction, reviewed kind and search source, in one place.

Lower areas announce what happened through their signals (`<area>/events.py`) and know nothing of who
listens; this module, above them all, connects the listeners. Read it to learn what follows what.
`wire()` runs when the app is built, when the command line starts, and in the test suite.
"""

from __future__ import annotations

from datetime import datetime

from consult.accounts.models import User
from consult.answers.events import answers_published
from consult.answers.models import Answer
from consult.answers.services import ANSWER
from consult.audit.services import register_object
from consult.clock import local_date
from consult.comments import search as comment_search
from consult.comments.events import comment_moderated, moderation_committed
from consult.comments.models import Comment
from consult.comments.search import INDEXING
from consult.decisions import search as decision_search
from consult.decisions.models import Catalog, Decision
from consult.deliberation import search as deliberation_search
from consult.deliberation.models import Hearing, ProcedureStep
from consult.drafts import search as draft_search
from consult.drafts.models import Consultation, Draft
from consult.drafts.services import recompute_legal_ends
from consult.evaluations import search as evaluation_search
from consult.evaluations.models import Evaluation, EvaluationOpinionAnswer
from consult.evaluations.services import EVALUATION_OPINION_ANSWER
from consult.groups.models import AnswerTemplate, CommentGroup, GroupAnswer
from consult.groups.services import GROUP_ANSWER, GROUPING, member_moderated
from consult.implementation import search as implementation_search
from consult.implementation.models import ExecutionUpdate, Interpretation
from consult.jobs.queue import register_kind
from consult.meetings import search as meeting_search
from consult.meetings.models import AttendeeOpinion, Meeting, OpinionAnswer
from consult.meetings.services import OPINION_ANSWER
from consult.reports import search as report_search
from consult.reports.models import AdoptionReport
from consult.reports.services import publish_if_complete
from consult.review.services import register
from consult.search.index import register_clusterer, register_source
from consult.surveys import search as survey_search
from consult.surveys.models import Survey
from consult.workdays.events import calendar_changed


async def _report_after_moderation(comment: Comment, now: datetime) -> None:
    # Withholding the last unmoderated comment can complete a report that only waited for it.
    await publish_if_complete(comment.consultation_id, now)


async def _legal_ends_after_calendar_change(now: datetime) -> None:
    await recompute_legal_ends(local_date(now))


def wire() -> None:
    """Idempotent: connecting or registering twice has no further effect."""
    for kind in (ANSWER, GROUP_ANSWER, OPINION_ANSWER, EVALUATION_OPINION_ANSWER):
        register(kind)

    # Work queued in the transaction of a change and done by the worker (consult/jobs/): a new
    # comment joins the group of comments it copies; a comment's search entry follows its state.
    for job in (GROUPING, INDEXING):
        register_kind(job)

    # A comment published or withheld: its group's summary and answer with it, then the report.
    comment_moderated.connect(member_moderated)
    moderation_committed.connect(_report_after_moderation)
    # Answers became public: the adoption report may now be complete.
    answers_published.connect(publish_if_complete)
    # A year's calendar entered: running consultations ending on a rest day move to the next workday.
    calendar_changed.connect(_legal_ends_after_calendar_change)

    # The search index asks these for their public documents, in this order, when a catalog is
    # published or the index is rebuilt.
    for source in (
        decision_search.documents,
        draft_search.documents,
        comment_search.documents,
        implementation_search.documents,
        report_search.documents,
        meeting_search.documents,
        deliberation_search.documents,
        survey_search.documents,
        evaluation_search.documents,
    ):
        register_source(source)
    # What search shows as one hit: the articles of a draft, the comments of a group.
    register_clusterer("article", draft_search.article_clusters)
    register_clusterer("comment", comment_search.group_clusters)

    # What the audit log records as the object of an action under /manage/<segment>/<number>.
    for segment, kind, model, field in (
        ("catalogs", "catalog", Catalog, "year"),
        ("decisions", "decision", Decision, "id"),
        ("drafts", "draft", Draft, "id"),
        ("consultations", "consultation", Consultation, "id"),
        ("comments", "comment", Comment, "id"),
        ("answers", "answer", Answer, "id"),
        ("groups", "group", CommentGroup, "id"),
        ("group-answers", "group_answer", GroupAnswer, "id"),
        ("templates", "answer_template", AnswerTemplate, "id"),
        ("meetings", "meeting", Meeting, "id"),
        ("opinions", "opinion", AttendeeOpinion, "id"),
        ("opinion-answers", "opinion_answer", OpinionAnswer, "id"),
        ("evaluations", "evaluation", Evaluation, "id"),
        ("hearings", "hearing", Hearing, "id"),
        ("steps", "procedure_step", ProcedureStep, "id"),
        ("evaluation-opinion-answers", "evaluation_opinion_answer", EvaluationOpinionAnswer, "id"),
        ("surveys", "survey", Survey, "id"),
        ("reports", "report", AdoptionReport, "id"),
        ("interpretations", "interpretation", Interpretation, "id"),
        ("execution-updates", "execution_update", ExecutionUpdate, "id"),
        ("users", "user", User, "id"),
    ):
        register_object(segment, kind, model, field)
