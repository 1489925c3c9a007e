"""Small async builders with sensible defaults; each goes through the real services."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

import httpx2 as httpx

from consult import clock
from consult.accounts.models import Department, Role, User
from consult.accounts.services import hash_password, start_session
from consult.answers.models import Answer
from consult.answers.services import answer_comment
from consult.comments.models import Comment, ModerationState, WithholdReason
from consult.comments.services import CommentInput, moderate_comment, submit_comment
from consult.decisions.models import Catalog, Decision, DecisionResult
from consult.decisions.services import DecisionInput, add_decision, create_catalog, publish_catalog
from consult.drafts.models import Article, Consultation, Draft
from consult.drafts.services import create_consultation, create_draft, publish_consultation
from consult.jobs.queue import work_until_empty
from consult.review.models import AnswerStatus
from consult.review.services import review
from consult.settings import Settings
from consult.web import SESSION_COOKIE

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)

DRAFT_TEXT = """示例管理办法（征求意见稿）
第一章 总则
第一条 为了规范停车管理，制定本办法。
第二条 本办法适用于本县城区。
第三条 首次停放不超过十五分钟的，免收停车费。
第二章 附则
第四条 本办法自2027年1月1日起施行。
"""


@cache
def _password_hash() -> str:
    # Hashed once per session: argon2 costs ~90 ms a hash by design.
    return hash_password(PASSWORD)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.TZ)


async def make_department(name: str | None = None) -> Department:
    return await Department.create(name=name or f"测试局{next(_seq)}")


async def make_user(role: Role = Role.STAFF, department: Department | None = None, username: str = "") -> User:
    if role is not Role.ADMIN and department is None:
        department = await make_department()
    return await User.create(
        username=username or f"{role.value}{next(_seq)}",
        display_name=f"测试用户{next(_seq)}",
        password_hash=_password_hash(),
        role=role,
        department=None if role is Role.ADMIN else department,
    )


async def make_catalog(year: int = 2026, published: bool = True, admin: User | None = None) -> Catalog:
    admin = admin or await make_user(Role.ADMIN)
    catalog = await create_catalog(year, "", "", admin)
    if published:
        await add_decision(
            catalog,
            DecisionInput(
                title="目录占位事项", department_id=(await make_department()).id, planned_completion=date(year, 12, 31)
            ),
            admin,
            at(date(year, 1, 5)),
        )
        await publish_catalog(catalog, admin, at(date(year, 1, 6)))
    return catalog


async def make_decision(
    department: Department | None = None, catalog: Catalog | None = None, title: str = "制定《停车管理办法》"
) -> Decision:
    catalog = catalog or await Catalog.get_or_none(year=2026) or await make_catalog()
    department = department or await make_department()
    admin = await User.filter(role=Role.ADMIN).first() or await make_user(Role.ADMIN)
    return await add_decision(
        catalog,
        DecisionInput(
            title=title, department_id=department.id, planned_completion=date(2026, 12, 31), background="背景说明"
        ),
        admin,
        at(date(2026, 2, 1)),
        reason="增补" if catalog.published_at else "",
    )


async def make_draft(decision: Decision | None = None, body: str = DRAFT_TEXT) -> Draft:
    decision = decision or await make_decision()
    author = await make_user(Role.STAFF, await decision.department)
    return await create_draft(
        decision, "征求意见稿", "示例管理办法", body, "起草说明正文", author, at(date(2026, 3, 1))
    )


async def make_consultation(
    decision: Decision | None = None,
    *,
    starts_on: date | None = None,
    days: int = 30,
    published: bool = True,
    today: date | None = None,
) -> Consultation:
    """Open around `today` (default: the real today) unless dates say otherwise."""
    today = today or clock.today()
    starts_on = starts_on or today - timedelta(days=5)
    draft = await make_draft(decision)
    decision = await draft.decision
    department = await decision.department
    staff = await make_user(Role.STAFF, department)
    consultation = await create_consultation(
        draft,
        starts_on,
        starts_on + timedelta(days=days),
        "" if days >= 30 else "时间紧急",
        staff,
        starts_on,
        at(starts_on, 8),
        Settings(),
    )
    if published:
        reviewer = await make_user(Role.REVIEWER, department)
        await publish_consultation(consultation, reviewer, starts_on, at(starts_on, 9))
    return await Consultation.get(id=consultation.id).prefetch_related("draft", "decision")


async def articles_of(consultation: Consultation) -> list[Article]:
    return await Article.filter(draft_id=consultation.draft_id)


async def make_comment(
    consultation: Consultation,
    body: str | None = None,
    *,
    state: ModerationState = ModerationState.PUBLISHED,
    article: Article | None = None,
    name: str = "张三丰",
    phone: str = "",
    email: str = "",
    received_on: date | None = None,
    worker: bool = True,
) -> Comment:
    """`worker=False`: the comment's jobs (grouping) wait for a later `run_jobs()`."""
    day = received_on or consultation.starts_on + timedelta(days=1)
    n = next(_seq)
    comment, _ = await submit_comment(
        consultation,
        CommentInput(
            body=body or f"这是第{n}条测试意见，建议延长免费停车时间。",
            category="citizen",
            name=name,
            phone=phone or f"139{n:08d}",
            email=email,
            article_id=article.id if article else None,
        ),
        at(day),
        day,
    )
    if worker:
        await run_jobs()  # as the app's worker does within a second: grouped on arrival
    if state is not ModerationState.PENDING:
        decision = await Decision.get(id=consultation.decision_id)
        staff = await make_user(Role.STAFF, await decision.department)
        reason = WithholdReason.IRRELEVANT if state is ModerationState.WITHHELD else None
        await moderate_comment(comment, state, staff, at(day, 12), reason)
        if worker:
            await run_jobs()
    return comment


async def run_jobs() -> int:
    """The queued work (grouping, search updates) done, as the app's worker does it soon after."""
    return await work_until_empty(clock.now)


async def make_answer(
    comment: Comment, status: AnswerStatus = AnswerStatus.NOT_ADOPTED, reason: str = "理由", approved: bool = True
) -> Answer:
    consultation = await Consultation.get(id=comment.consultation_id).prefetch_related("decision")
    department = await consultation.decision.department
    staff = await make_user(Role.STAFF, department)
    answer = await answer_comment(comment, status, reason, staff, at(consultation.ends_on + timedelta(days=1)))
    if approved:
        reviewer = await make_user(Role.REVIEWER, department)
        await review(answer, True, "", reviewer, at(consultation.ends_on + timedelta(days=2)))
        await run_jobs()
    return await Answer.get(id=answer.id)


async def log_in(client: httpx.AsyncClient, user: User) -> None:
    """A real session row and cookie, without paying argon2 on every test (one test logs in by form)."""
    token = await start_session(user, clock.now(), 1)
    client.cookies.set(SESSION_COOKIE, token)


async def csrf_token(client: httpx.AsyncClient) -> str:
    """The token as a browser gets it: from a page the server rendered for this visitor's cookie."""
    page = await client.get("/receipts")
    match = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
    assert match, "no CSRF token on the page"
    return match.group(1)


async def post(
    client: httpx.AsyncClient, url: str, data: dict[str, str] | None = None, *, htmx: bool = False, **kwargs: object
) -> httpx.Response:
    form = {"csrf_token": await csrf_token(client), **(data or {})}
    headers = {"HX-Request": "true"} if htmx else {}
    return await client.post(url, data=form, headers=headers, **kwargs)  # type: ignore[arg-type]


async def make_closed_consultation(ends_on: date, decision: Decision | None = None, days: int = 30) -> Consultation:
    """A consultation that has already run its period, ready for a decision result."""
    return await make_consultation(decision, starts_on=ends_on - timedelta(days=days), days=days)


async def make_legality_review(decision: Decision, returned_on: date, working_days: int = 10) -> None:
    """A legality review that came back on `returned_on` (713号令 Art.25: no result without one), once."""
    from consult.deliberation.models import ProcedureStep, StepKind

    if await ProcedureStep.filter(decision_id=decision.id, kind=StepKind.LEGALITY_REVIEW).exists():
        return
    await ProcedureStep.create(
        decision=decision,
        kind=StepKind.LEGALITY_REVIEW,
        unit="县司法局",
        started_on=returned_on - timedelta(days=working_days * 7 // 5 + 2),
        finished_on=returned_on,
        outcome="经审查，草案符合法律法规规定。",
        created_at=at(returned_on, 9),
    )


async def make_result(
    consultation: Consultation,
    issued_on: date,
    document_number: str | None = None,
    today: date | None = None,
    text: str = "正式印发文本",
):
    """Recorded by a reviewer at 16:00 on `today` (the issue day unless given), with the default rule. The
    document number carries the issue year, as a real one does."""
    document_number = document_number or f"平政办发〔{issued_on.year}〕5号"
    from consult.reports.deadline import ReportRule
    from consult.reports.services import ResultInput, record_result
    from consult.workdays.services import load_calendar

    decision = await Decision.get(id=consultation.decision_id)
    reviewer = await make_user(Role.REVIEWER, await decision.department)
    await make_legality_review(decision, issued_on)
    return await record_result(
        decision,
        ResultInput(document_number=document_number, issued_on=issued_on, text=text),
        reviewer,
        at(today or issued_on, 16),
        await load_calendar(),
        ReportRule(),
    )


async def make_meeting(
    held_on: date,
    *,
    decision: Decision | None = None,
    public: bool = True,
    quotas: dict[str, int] | None = None,
    open_on: date | None = None,
    close_on: date | None = None,
    number: int | None = None,
):
    from consult.meetings.services import MeetingInput, create_meeting

    admin = await User.filter(role=Role.ADMIN).first() or await make_user(Role.ADMIN)
    return await create_meeting(
        MeetingInput(
            number=number or next(_seq),
            held_on=held_on,
            place="县政府第一会议室",
            public_attendance=public,
            applications_open_on=open_on or held_on - timedelta(days=20),
            applications_close_on=close_on or held_on - timedelta(days=5),
            quotas=quotas or {"citizen_representative": 2, "expert": 1},
            topics=[(decision.id if decision else None, "" if decision else "研究县城市更新工作")],
        ),
        admin,
        at(held_on - timedelta(days=30)),
    )


async def make_attendee(
    meeting, name: str = "公众代表", category: str = "citizen_representative", attended: bool = True
):
    """An invited attendee who came and said something (answered and approved)."""
    from consult.meetings.services import invite, record_attendance

    admin = await User.filter(role=Role.ADMIN).first() or await make_user(Role.ADMIN)
    attendee = await invite(meeting, name, category, "县人大代表联络站", admin, at(meeting.held_on - timedelta(days=3)))
    if attended:
        await record_attendance(attendee, True, admin, meeting.held_on)
    return attendee


def freeze(monkeypatch, day: date, hour: int = 10) -> None:
    """The platform's clock stopped at `hour` o'clock on `day`: a test that means a date says it."""
    moment = at(day, hour)
    monkeypatch.setattr(clock, "now", lambda: moment)


_MIGRATE = """
import asyncio, sys
from tortoise import Tortoise
from tortoise.migrations.api import migrate
from consult.settings import tortoise_config

async def main():
    await migrate(config=tortoise_config(sys.argv[1]), target=sys.argv[2] or None)
    await Tortoise.close_connections()

asyncio.run(main())
"""


def migrate_sqlite_file(path: Path, target: str = "") -> None:
    """Migrate the SQLite file at `path` up to `target` (a migration's name; "" for the newest), as
    a migration test needs: in another process, because Tortoise's connections are global and the
    suite's own must stay open. Skipped in the PostgreSQL pass: the file is SQLite either way, and a
    migration from nothing costs over ten seconds (PostgreSQL's own migration is the suite's setup)."""
    if os.environ.get("CONSULT_TEST_DB") == "postgres":
        import pytest

        pytest.skip("SQLite files are migrated in the SQLite pass")
    subprocess.run([sys.executable, "-c", _MIGRATE, f"sqlite://{path}", target], check=True, timeout=120)


async def make_interpretation(
    decision: Decision, form: str = "text", published_on: date | None = None, approved: bool = True
):
    """Written by the department's staff (the result must be recorded), approved by its reviewer."""
    from consult.implementation.services import InterpretationInput, add_interpretation, review_interpretation

    department = await decision.department
    staff, reviewer = await make_user(Role.STAFF, department), await make_user(Role.REVIEWER, department)
    result = await DecisionResult.get(decision_id=decision.id)
    data = InterpretationInput(
        form, f"《{decision.title}》解读（{form}）", department.name, published_on or result.issued_on, "解读正文。"
    )
    item = await add_interpretation(decision, data, staff, clock.now())
    if approved:
        await review_interpretation(item, True, "", reviewer, clock.now())
    return item


async def make_execution_update(decision: Decision, body: str = "首批项目已开工。", published: bool = False):
    from consult.implementation.services import add_execution_update, publish_execution_update

    department = await decision.department
    result = await DecisionResult.get(decision_id=decision.id)
    update = await add_execution_update(
        decision, result.issued_on, body, await make_user(Role.STAFF, department), clock.now()
    )
    if published:
        await publish_execution_update(update, await make_user(Role.REVIEWER, department), clock.now())
    return update


async def make_hearing(consultation: Consultation, *, published: bool = True, days_ahead: int = 12):
    """A hearing on the consultation's draft, `days_ahead` days from today, its notice public today
    (stored as the services would leave it; tests/deliberation checks the services themselves)."""
    from consult.deliberation.models import Hearing

    today = clock.today()
    held_on = today + timedelta(days=days_ahead)
    return await Hearing.create(
        decision_id=consultation.decision_id,
        consultation=consultation,
        matter="停车收费标准调整",
        organiser="县发展和改革局",
        held_at=at(held_on, 9),
        place="县政府第三会议室",
        notice_on=today,
        applications_close_on=held_on - timedelta(days=7),
        materials_on=held_on - timedelta(days=5),
        groups=[{"key": "g1", "label": "机动车车主", "seats": 2}],
        observer_seats=3,
        published_at=at(today, 9) if published else None,
        created_at=at(today, 8),
    )


async def make_step(decision: Decision, kind: str = "expert_review", public: bool = True):
    from consult.deliberation.models import ProcedureStep, StepKind

    today = clock.today()
    return await ProcedureStep.create(
        decision=decision,
        kind=StepKind(kind),
        unit="县住建局",
        started_on=today - timedelta(days=10),
        finished_on=today - timedelta(days=8),
        outcome="专家一致认为方案可行。",
        public=public,
        created_at=at(today, 8),
    )


async def make_survey(department: Department | None = None, *, published: bool = False, opens_in: int = 1):
    """A questionnaire of one scale question, opening `opens_in` days from today for ten days."""
    from consult.surveys.services import (
        QuestionInput,
        SurveyInput,
        add_question,
        create_survey,
        review_survey,
        submit_for_review,
    )

    department = department or await make_department()
    staff = await make_user(Role.STAFF, department)
    today = clock.today()
    opens = today + timedelta(days=opens_in)
    survey = await create_survey(
        department.id, SurveyInput("满意度调查", opens, opens + timedelta(days=10)), staff, at(today, 8)
    )
    await add_question(survey, QuestionInput("scale", "您对本项工作的满意度"), staff)
    if published:
        await submit_for_review(survey, staff, at(today, 8))
        await review_survey(survey, True, "", await make_user(Role.REVIEWER, department), at(today, 9))
    return survey


async def make_evaluation(department: Department, *, answered: bool = True):
    """A department's evaluation with one symposium and one opinion heard, answered (not yet reviewed)."""
    from consult.evaluations.services import (
        EvaluationInput,
        answer_opinion,
        create_evaluation,
        record_activity,
        record_opinion,
    )
    from consult.review.models import AnswerStatus

    staff = await make_user(Role.STAFF, department)
    today = clock.today()
    evaluation = await create_evaluation(
        EvaluationInput(
            department.id,
            "城区停车管理办法",
            "收费标准",
            "县交通运输局",
            today - timedelta(days=30),
            today,
            ["symposium"],
        ),
        staff,
        at(today - timedelta(days=30)),
    )
    activity = await record_activity(
        evaluation, "symposium", today - timedelta(days=5), {"车主代表": "6"}, "", staff, at(today - timedelta(days=4))
    )
    opinion = await record_opinion(activity, "建议夜间停车免费。", staff, at(today - timedelta(days=4)))
    answer = (
        await answer_opinion(opinion, AnswerStatus.ADOPTED, "", staff, at(today - timedelta(days=3)))
        if answered
        else None
    )
    return evaluation, opinion, answer
