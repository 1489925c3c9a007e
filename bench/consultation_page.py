"""The consultation with 100,000 comments that bench/hot.py (the page and the form under load) and
bench/report.py (its adoption report) measure: one draft of 20 articles, 90% of the comments
published, a third on no particular article, half of the published ones answered."""

from __future__ import annotations

import hashlib
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consult import clock  # noqa: E402
from consult.db import apply_migrations, connect, disconnect  # noqa: E402

PHRASES = ["停车收费", "免费时长", "学校周边", "老旧小区", "充电桩", "残疾人车位", "夜间停车", "执法力度", "共享停车"]


async def seed(database_url: str, n: int, texts: list[str] | None = None) -> tuple[int, list[int]]:
    """`texts`: the comments' bodies (default: short template sentences)."""
    from consult.accounts.models import Role
    from consult.answers.models import Answer
    from consult.comments.models import Channel, Comment, DisplayMode, ModerationState, SubmitterCategory
    from consult.demo.data import PARKING_DRAFT
    from consult.drafts.models import Article
    from consult.review.models import AnswerStatus, ReviewState
    from consult.wiring import wire
    from tests.factories import make_consultation, make_user

    wire()  # the services' reactions, as the app connects them
    await apply_migrations(database_url)
    await connect(database_url)
    today = clock.today()
    consultation = await make_consultation(today=today)
    from consult.drafts.services import create_draft

    decision = await consultation.decision
    staff = await make_user(Role.STAFF, await decision.department)
    draft = await create_draft(decision, "征求意见稿", "停车管理办法", PARKING_DRAFT, "", staff, clock.now())
    consultation.draft_id = draft.id
    await consultation.save(update_fields=["draft_id"])
    articles = [a.id for a in await Article.filter(draft_id=draft.id)]
    rng = random.Random(7)
    start = time.perf_counter()
    batch: list[Comment] = []
    now = datetime.now(clock.TZ)
    for i in range(n):
        body = f"关于{rng.choice(PHRASES)}的第{i}条意见：建议{rng.choice(PHRASES)}方面进一步明确标准，方便群众。"
        if texts:
            body = texts[i % len(texts)]
        state = ModerationState.PUBLISHED if i % 10 else rng.choice([ModerationState.PENDING, ModerationState.WITHHELD])
        batch.append(
            Comment(
                consultation_id=consultation.id,
                article_id=rng.choice(articles) if i % 3 else None,
                body=body,
                channel=Channel.ONLINE,
                category=rng.choice(list(SubmitterCategory)),
                submitter_name="测试",
                contact_phone=f"139{i:08d}",
                display_mode=DisplayMode.MASKED,
                public_name="测*",
                receipt_code=f"B{i:011d}"[:4] + "-" + f"B{i:011d}"[4:8] + "-" + f"B{i:011d}"[8:],
                dedupe_key=hashlib.sha256(str(i).encode()).hexdigest(),
                state=state,
                received_on=consultation.starts_on + timedelta(days=i % 5),
                submitted_at=now,
            )
        )
        if len(batch) == 5000:
            await Comment.bulk_create(batch)
            batch = []
    if batch:
        await Comment.bulk_create(batch)
    published = await Comment.filter(consultation_id=consultation.id, state=ModerationState.PUBLISHED).values_list(
        "id", flat=True
    )
    answers = [
        Answer(
            comment_id=cid,
            status=AnswerStatus.NOT_ADOPTED,
            reason="理由",
            review_state=ReviewState.APPROVED,
            answered_at=now,
            public_status=AnswerStatus.NOT_ADOPTED,
            public_reason="理由",
            published_at=now,
        )
        for cid in published[::2]
    ]
    for i in range(0, len(answers), 5000):
        await Answer.bulk_create(answers[i : i + 5000])
    print(f"seeded {n:,} comments and {len(answers):,} answers in {time.perf_counter() - start:.1f} s")
    if database_url.startswith("postgres"):
        # A bulk load leaves no planner statistics; production has autovacuum's.
        from tortoise.connection import get_connection

        await get_connection("default").execute_script("ANALYZE")
    await disconnect()
    return consultation.id, articles
