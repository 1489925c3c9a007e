"""The e-mail outbox: messages are queued inside the event's transaction and delivered by the sender.

Delivery is claimed per message with a conditional UPDATE, so two processes never send one message;
a crash between the SMTP server's acceptance and the `sent_at` write can repeat a message, and every
send carries the same Message-ID so mail systems can drop the repeat.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.message import EmailMessage

from tortoise.expressions import Q

from consult.notify.models import MessageKind, OutboxMessage
from consult.settings import Settings

log = logging.getLogger("consult.notify")
CLAIM = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)


def message(kind: MessageKind, dedupe_key: str, to: str, subject: str, body: str, now: datetime) -> OutboxMessage:
    return OutboxMessage(
        kind=kind, dedupe_key=dedupe_key, to_address=to, subject=subject, body=body, created_at=now, send_after=now
    )


async def queue(messages: Iterable[OutboxMessage]) -> None:
    """Insert, ignoring messages whose dedupe key is already queued (an event seen twice mails once)."""
    batch = list(messages)
    for start in range(0, len(batch), 1000):
        await OutboxMessage.bulk_create(batch[start : start + 1000], ignore_conflicts=True)


def _send(settings: Settings, item: OutboxMessage) -> None:
    mail = EmailMessage()
    mail["From"] = settings.smtp_from
    mail["To"] = item.to_address
    mail["Subject"] = item.subject
    mail["Message-ID"] = f"<outbox-{item.id}@{settings.smtp_from.rsplit('@', 1)[-1]}>"
    # Bodies hold "{base_url}" so that the services that write them need not know the site's address.
    mail.set_content(item.body.replace("{base_url}", settings.base_url))
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(mail)


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2**attempts), MAX_BACKOFF)


async def deliver_outbox(settings: Settings, now: datetime, limit: int = 200) -> tuple[int, int]:
    """Send what is due; returns (sent, failed). Failures retry later with exponential backoff."""
    if not settings.smtp_host:
        return 0, 0
    due = (
        await OutboxMessage.filter(sent_at__isnull=True, send_after__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("id")
        .limit(limit)
    )
    sent = failed = 0
    for item in due:
        claimed = (
            await OutboxMessage.filter(id=item.id, sent_at__isnull=True)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .update(claimed_until=now + CLAIM)
        )
        if not claimed:
            continue
        try:
            await asyncio.to_thread(_send, settings, item)
        except (OSError, smtplib.SMTPException) as exc:
            failed += 1
            # The error's type and SMTP code only: the message text can echo the recipient's address.
            code = getattr(exc, "smtp_code", "")
            await OutboxMessage.filter(id=item.id).update(
                attempts=item.attempts + 1,
                send_after=now + backoff(item.attempts + 1),
                last_error=f"{type(exc).__name__} {code}".strip()[:200],
                claimed_until=None,
            )
            log.warning(
                "outbox message %s not delivered (%s), attempt %s", item.id, type(exc).__name__, item.attempts + 1
            )
            continue
        sent += 1
        await OutboxMessage.filter(id=item.id).update(sent_at=now, claimed_until=None, last_error="")
    return sent, failed
