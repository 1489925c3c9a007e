"""After the decision is issued: its interpretations (政策解读), execution updates (执行情况), and the
government's adjustments, suspensions and terminations (国务院令第713号 第三十八条)."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from consult.review.models import ReviewState


class InterpretationForm(StrEnum):
    """The forms of interpretation the seeds name (多种形式解读: 图解、问答、音视频、新闻发布会 …)."""

    TEXT = "text"
    GRAPHIC = "graphic"
    QA = "qa"
    VIDEO = "video"
    AUDIO = "audio"
    PRESS_CONFERENCE = "press_conference"
    MEDIA_INTERVIEW = "media_interview"
    EXPERT = "expert"
    H5 = "h5"
    OTHER = "other"


class Interpretation(Model):
    """One interpretation of an issued decision, written by the drafting department (谁起草、谁解读)
    and public once a reviewer other than its author approved it (先审查后公开)."""

    id = fields.IntField(primary_key=True)
    decision = fields.ForeignKeyField("consult.Decision", related_name="interpretations", on_delete=fields.RESTRICT)
    form = fields.CharEnumField(InterpretationForm, max_length=20)
    title = fields.CharField(max_length=200)
    # The interpreting unit or person in their public role (a department, 某某局负责同志, an expert).
    interpreter = fields.CharField(max_length=100)
    published_on = fields.DateField()
    body = fields.TextField(default="")
    link = fields.CharField(max_length=500, default="")
    review_state = fields.CharEnumField(ReviewState, max_length=20, default=ReviewState.PENDING)
    review_note = fields.TextField(default="")
    created_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()
    reviewed_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    reviewed_at = fields.DatetimeField(null=True)
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "interpretation"
        ordering = ["published_on", "id"]


class ExecutionUpdate(Model):
    """执行情况: what the lead department reports on carrying the decision out, public once a reviewer
    of the department (or the office) publishes it."""

    id = fields.IntField(primary_key=True)
    decision = fields.ForeignKeyField("consult.Decision", related_name="execution_updates", on_delete=fields.RESTRICT)
    reported_on = fields.DateField()
    body = fields.TextField()
    created_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()
    published_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "execution_update"
        ordering = ["reported_on", "id"]


class StatusChangeKind(StrEnum):
    ADJUSTED = "adjusted"
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    TERMINATED = "terminated"


class StatusChange(Model):
    """The government's record of adjusting, suspending, resuming or terminating an issued decision,
    public when recorded, with its reason and, for an adjustment, the new document."""

    id = fields.IntField(primary_key=True)
    decision = fields.ForeignKeyField("consult.Decision", related_name="status_changes", on_delete=fields.RESTRICT)
    kind = fields.CharEnumField(StatusChangeKind, max_length=20)
    effective_on = fields.DateField()
    reason = fields.TextField()
    document_number = fields.CharField(max_length=100, default="")
    link = fields.CharField(max_length=500, default="")
    recorded_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "decision_status_change"
        ordering = ["effective_on", "id"]


class ChangeLink(Model):
    """A comment whose adopted or partly adopted answer changed an article of the issued text, as the
    drafting department links them: the change view shows it beside the article, and the comment's
    receipt tells its author (您的意见已体现在第五条)."""

    id = fields.IntField(primary_key=True)
    decision = fields.ForeignKeyField("consult.Decision", related_name="change_links", on_delete=fields.RESTRICT)
    comment = fields.ForeignKeyField("consult.Comment", related_name="change_links", on_delete=fields.CASCADE)
    # The issued article's label (第五条): the issued text never changes once recorded.
    article_label = fields.CharField(max_length=30)
    created_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = "change_link"
        unique_together = [("comment_id", "article_label")]
        ordering = ["id"]


class InterpretationFile(Model):
    """An interpretation's image (一图读懂) or document, recognised by its bytes as attachments are, and
    public with the interpretation. The bytes live in the database, as attachments' do."""

    id = fields.IntField(primary_key=True)
    interpretation = fields.OneToOneField("consult.Interpretation", related_name="file", on_delete=fields.CASCADE)
    filename = fields.CharField(max_length=200)
    content_type = fields.CharField(max_length=100)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    data = fields.BinaryField()

    class Meta:
        table = "interpretation_file"
