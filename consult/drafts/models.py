from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class AttachmentKind(StrEnum):
    DRAFT = "draft"
    EXPLANATION = "explanation"
    OTHER = "other"


class ConsultationEventKind(StrEnum):
    PUBLISHED = "published"
    CLOSED_EARLY = "closed_early"
    EXTENDED = "extended"
    REOPENED = "reopened"


class Draft(Model):
    """决策草案: one version (征求意见稿, 修改稿 …) of a decision's text."""

    id = fields.IntField(primary_key=True)
    decision = fields.ForeignKeyField("consult.Decision", related_name="drafts", on_delete=fields.RESTRICT)
    version_label = fields.CharField(max_length=50)
    title = fields.CharField(max_length=200)
    body = fields.TextField()
    explanation = fields.TextField(default="")
    created_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = "draft"
        ordering = ["id"]


class Article(Model):
    """One 第X条 (or one paragraph when the text has no articles), so a comment can point at it."""

    id = fields.IntField(primary_key=True)
    draft: fields.ForeignKeyRelation[Draft] = fields.ForeignKeyField(
        "consult.Draft", related_name="articles", on_delete=fields.CASCADE
    )
    seq = fields.IntField()
    label = fields.CharField(max_length=30)
    chapter = fields.CharField(max_length=100, default="")
    body = fields.TextField()

    class Meta:
        table = "article"
        ordering = ["seq"]
        unique_together = [("draft_id", "seq")]


class Attachment(Model):
    id = fields.IntField(primary_key=True)
    decision = fields.ForeignKeyField("consult.Decision", related_name="attachments", on_delete=fields.RESTRICT)
    draft = fields.ForeignKeyField("consult.Draft", related_name="attachments", null=True, on_delete=fields.SET_NULL)
    kind = fields.CharEnumField(AttachmentKind, max_length=20)
    filename = fields.CharField(max_length=200)
    content_type = fields.CharField(max_length=100)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    uploaded_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = "attachment"
        ordering = ["id"]


class AttachmentBlob(Model):
    # Bytes live in the database so every app process (and every host) serves the same file, and a
    # database backup is a complete backup; kept apart so listing attachments never loads them.
    # Its own id rather than the one-to-one as primary key: Tortoise 1.1's migration autodetector
    # reports a phantom change on every run for a one-to-one primary key.
    id = fields.IntField(primary_key=True)
    attachment = fields.OneToOneField("consult.Attachment", related_name="blob", on_delete=fields.CASCADE)
    data = fields.BinaryField()

    class Meta:
        table = "attachment_blob"


class Consultation(Model):
    """公开征求意见 on one draft. Open/upcoming/closed is computed from the dates, never stored."""

    id = fields.IntField(primary_key=True)
    decision = fields.ForeignKeyField("consult.Decision", related_name="consultations", on_delete=fields.RESTRICT)
    draft = fields.ForeignKeyField("consult.Draft", related_name="consultations", on_delete=fields.RESTRICT)
    # Inclusive dates in Asia/Shanghai; the period counts from the day after starts_on (Civil Code Art.201).
    starts_on = fields.DateField()
    # The legal last day: the chosen one, or the first working day after it when it is a rest day
    # (Civil Code Art.203). Every open/closed computation reads this.
    ends_on = fields.DateField()
    # The last day staff chose; the minimum period is checked on it. Null on rows made before 0010.
    requested_ends_on = fields.DateField(null=True)
    short_period_reason = fields.TextField(default="")
    published_at = fields.DatetimeField(null=True)
    published_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    closed_early_at = fields.DatetimeField(null=True)
    created_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = "consultation"
        ordering = ["-starts_on", "-id"]
        indexes = [("published_at", "starts_on", "ends_on")]


class ConsultationEvent(Model):
    """Publication, early closing, extension or reopening, with the public reason."""

    id = fields.IntField(primary_key=True)
    consultation: fields.ForeignKeyRelation[Consultation] = fields.ForeignKeyField(
        "consult.Consultation", related_name="events", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(ConsultationEventKind, max_length=20)
    reason = fields.TextField(default="")
    old_ends_on = fields.DateField(null=True)
    new_ends_on = fields.DateField(null=True)
    actor = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = "consultation_event"
        ordering = ["created_at", "id"]
