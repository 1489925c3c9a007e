"""E-mail to commenters who agreed: queued with the event, delivered over real SMTP, never doubled."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from consult import clock
from consult.accounts.models import Role
from consult.answers.services import answer_comment
from consult.comments.models import Comment
from consult.decisions.models import Decision
from consult.notify.models import MessageKind, OutboxMessage
from consult.notify.services import backoff, deliver_outbox
from consult.review.models import AnswerStatus
from consult.review.services import review
from consult.settings import Settings
from tests.factories import make_consultation, make_user, post


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


async def _answered_with_consent(client, consent: bool = True) -> Comment:
    consultation = await make_consultation()
    response = await post(
        client,
        f"/consultations/{consultation.id}/comments",
        {
            "body": "希望在答复后通过邮件告诉我结果，谢谢。",
            "category": "citizen",
            "name": "邮件用户",
            "email": "citizen@example.cn",
            **({"notify_by_email": "on"} if consent else {}),
        },
    )
    assert response.status_code == 303
    # Whoever gives an e-mail address gets the receipt code by mail (tests/test_site.py); consent is
    # about the answer, the mail these tests follow.
    assert await OutboxMessage.filter(kind=MessageKind.COMMENT_RECEIVED).delete() == 1
    comment = await Comment.get(contact_email="citizen@example.cn")
    department = await (await Decision.get(id=consultation.decision_id)).department
    staff = await make_user(Role.STAFF, department)
    from consult.comments.models import ModerationState
    from consult.comments.services import moderate_comment

    await moderate_comment(comment, ModerationState.PUBLISHED, staff, clock.now())
    answer = await answer_comment(comment, AnswerStatus.ADOPTED, "", staff, clock.now())
    await review(answer, True, "", await make_user(Role.REVIEWER, department), clock.now())
    return await Comment.get(id=comment.id)


async def test_answer_mail_is_sent_once_over_smtp(client, settings: Settings, smtp) -> None:
    inbox, port = smtp
    comment = await _answered_with_consent(client)
    assert comment.notify_by_email
    assert await OutboxMessage.all().count() == 1
    mail_settings = replace(settings, smtp_host="127.0.0.1", smtp_port=port, base_url="https://consult.example.gov.cn")
    assert await deliver_outbox(mail_settings, clock.now()) == (1, 0)
    assert await deliver_outbox(mail_settings, clock.now()) == (0, 0)
    assert len(inbox.messages) == 1
    mail = inbox.messages[0]
    assert mail["To"] == "citizen@example.cn" and "已获答复" in mail["Subject"]
    body = mail.get_content()
    assert f"https://consult.example.gov.cn/receipts/{comment.receipt_code}" in body and "采纳" in body
    # Approving a revision again does not mail again.
    answer = await comment.answer
    staff = await make_user(
        Role.STAFF, await (await Decision.get(id=(await comment.consultation).decision_id)).department
    )
    await answer_comment(comment, AnswerStatus.PARTLY_ADOPTED, "修改", staff, clock.now())
    reviewer = await make_user(Role.REVIEWER, await staff.department)
    await review(await answer.__class__.get(id=answer.id), True, "", reviewer, clock.now())
    assert await OutboxMessage.all().count() == 1


async def test_no_consent_no_mail(client) -> None:
    await _answered_with_consent(client, consent=False)
    assert await OutboxMessage.all().count() == 0


async def test_a_failed_delivery_is_retried_with_backoff_and_never_lost(client, settings: Settings, smtp) -> None:
    inbox, port = smtp
    await _answered_with_consent(client)
    now = clock.now()
    down = replace(settings, smtp_host="127.0.0.1", smtp_port=_free_port())  # nothing listens there
    assert await deliver_outbox(down, now) == (0, 1)
    message = await OutboxMessage.get()
    assert message.attempts == 1 and message.sent_at is None and message.last_error
    assert "citizen@example.cn" not in message.last_error
    up = replace(settings, smtp_host="127.0.0.1", smtp_port=port)
    assert await deliver_outbox(up, now) == (0, 0)  # backing off: not yet
    later = now + backoff(1) + timedelta(seconds=1)
    assert await deliver_outbox(up, later) == (1, 0)
    assert len(inbox.messages) == 1


async def test_two_senders_at_once_deliver_each_message_once(client, settings: Settings, smtp) -> None:
    import asyncio

    inbox, port = smtp
    await _answered_with_consent(client)
    up = replace(settings, smtp_host="127.0.0.1", smtp_port=port)
    results = await asyncio.gather(deliver_outbox(up, clock.now()), deliver_outbox(up, clock.now()))
    assert sum(sent for sent, _ in results) == 1 and len(inbox.messages) == 1


def test_backoff_grows_and_is_capped() -> None:
    assert backoff(1) < backoff(2) < backoff(5) and backoff(30) == timedelta(hours=6)
