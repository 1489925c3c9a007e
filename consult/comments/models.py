from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Channel(StrEnum):
    ONLINE = "online"
    EMAIL = "email"
    LETTER = "letter"
    FAX = "fax"
    PHONE = "phone"
    SYMPOSIUM = "symposium"
    HEARING = "hearing"
    FIELD_VISIT = "field_visit"
    SURVEY = "survey"
    # Named by seeds 001–002 (发征求意见函、社会公示、调查研究、咨询协商、媒体沟通).
    SOLICITATION_LETTER = "solicitation_letter"
    PUBLIC_NOTICE = "public_notice"
    RESEARCH = "research"
    CONSULTATIVE_TALKS = "consultative_talks"
    MEDIA_OUTREACH = "media_outreach"


OFFLINE_CHANNELS = [c for c in Channel if c is not Channel.ONLINE]


class SubmitterCategory(StrEnum):
    CITIZEN = "citizen"
    ENTERPRISE = "enterprise"
    ORGANISATION = "organisation"
    EXPERT = "expert"
    NPC_DEPUTY = "npc_deputy"
    CPPCC_MEMBER = "cppcc_member"
    # Named by seed 001 beside the ones above (民主党派、社会团体、法律顾问).
    DEMOCRATIC_PARTY = "democratic_party"
    SOCIAL_ORGANISATION = "social_organisation"
    LEGAL_ADVISER = "legal_adviser"


class DisplayMode(StrEnum):
    MASKED = "masked"  # 张**
    ANONYMOUS = "anonymous"


class ModerationState(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    WITHHELD = "withheld"


class WithholdReason(StrEnum):
    ABUSE = "abuse"
    IRRELEVANT = "irrelevant"
    PERSONAL_DATA = "personal_data"
    DUPLICATE = "duplicate"
    ADVERTISING = "advertising"


class Comment(Model):
    """意见建议. submitter_name, contact_phone and contact_email are private: staff pages only."""

    id = fields.IntField(primary_key=True)
    consultation = fields.ForeignKeyField("consult.Consultation", related_name="comments", on_delete=fields.RESTRICT)
    article = fields.ForeignKeyField("consult.Article", related_name="comments", null=True, on_delete=fields.RESTRICT)
    body = fields.TextField()
    # New wording the commenter proposes for the article (建议将第五条修改为：…); empty for most comments.
    # db_default: the column is added to tables that already have comments (migration 0019).
    proposed_text = fields.TextField(default="", db_default="")
    channel = fields.CharEnumField(Channel, max_length=20)
    category = fields.CharEnumField(SubmitterCategory, max_length=20)
    submitter_name = fields.CharField(max_length=100)
    contact_phone = fields.CharField(max_length=40, default="")
    contact_email = fields.CharField(max_length=200, default="")
    display_mode = fields.CharEnumField(DisplayMode, max_length=20)
    public_name = fields.CharField(max_length=100)
    receipt_code = fields.CharField(max_length=20, unique=True)
    # SHA-256 of consultation, normalised contact and normalised text: finds a resubmission, reveals nothing.
    dedupe_key = fields.CharField(max_length=64)
    state = fields.CharEnumField(ModerationState, max_length=20, default=ModerationState.PENDING)
    withhold_reason = fields.CharEnumField(WithholdReason, max_length=20, null=True)
    moderation_note = fields.TextField(default="")
    moderated_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    moderated_at = fields.DatetimeField(null=True)
    # The day the comment reached the government: today for online ones, the letter's date for offline.
    received_on = fields.DateField()
    submitted_at = fields.DatetimeField()
    entered_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    # The commenter agreed to be e-mailed when the comment is answered and when the report is published.
    notify_by_email = fields.BooleanField(default=False, db_default=False)
    group = fields.ForeignKeyField(
        "consult.CommentGroup", related_name="comments", null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "comment"
        ordering = ["id"]
        # Unique so that two identical submissions racing each other store one comment, not two.
        unique_together = [("consultation_id", "dedupe_key")]
        indexes = [
            ("consultation_id", "state", "id"),
            ("consultation_id", "article_id", "state"),
            ("group_id", "state"),
            # The comments left alone last (the grouping compares every arrival with them).
            ("consultation_id", "group_id", "id"),
        ]


class ConsultationTally(Model):
    """The figures every visitor of a consultation page sees, kept instead of counted per request.

    New comments add to `received` and `pending` in the transaction that stores them; every other
    change (moderation, answers made public, grouping by staff) recounts them in its own transaction
    (comments/tally.py), so they are always those of the committed comments.
    """

    id = fields.IntField(primary_key=True)
    consultation = fields.OneToOneField("consult.Consultation", related_name="tally", on_delete=fields.CASCADE)
    received = fields.IntField(default=0)
    pending = fields.IntField(default=0)
    published = fields.IntField(default=0)
    withheld = fields.IntField(default=0)
    # Published comments with a public answer.
    answered = fields.IntField(default=0)
    # Published comments per article id, and per group id (as JSON objects: keys are strings).
    per_article = fields.JSONField(default=dict)
    per_group = fields.JSONField(default=dict)

    class Meta:
        table = "consultation_tally"
