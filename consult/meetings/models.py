from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from consult.participation.models import Applicant, ApplicationStatus, Attendance, Draw
from consult.review.models import ReviewedAnswer


class AttendeeCategory(StrEnum):
    STAKEHOLDER = "stakeholder"
    CITIZEN_REPRESENTATIVE = "citizen_representative"
    EXPERT = "expert"
    MEDIA = "media"


class Meeting(Model):
    """政府常务会议, with its topics and, where the public attends, its call for applications."""

    id = fields.IntField(primary_key=True)
    number = fields.IntField()
    held_on = fields.DateField()
    place = fields.CharField(max_length=200, default="")
    public_attendance = fields.BooleanField(default=False)
    stream_url = fields.CharField(max_length=500, default="")
    applications_open_on = fields.DateField(null=True)
    applications_close_on = fields.DateField(null=True)
    # {"citizen_representative": 3, "expert": 1, ...}
    quotas = fields.JSONField(default=dict)
    created_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = "meeting"
        ordering = ["-held_on", "-number"]
        unique_together = [("held_on", "number")]


class MeetingTopic(Model):
    """One item on the agenda, a catalog decision or free text, and what the meeting decided."""

    id = fields.IntField(primary_key=True)
    meeting: fields.ForeignKeyRelation[Meeting] = fields.ForeignKeyField(
        "consult.Meeting", related_name="topics", on_delete=fields.CASCADE
    )
    seq = fields.IntField()
    decision = fields.ForeignKeyField(
        "consult.Decision", related_name="meeting_topics", null=True, on_delete=fields.SET_NULL
    )
    title = fields.CharField(max_length=200)
    outcome = fields.TextField(default="")

    class Meta:
        table = "meeting_topic"
        ordering = ["seq"]


class MeetingMaterial(Model):
    id = fields.IntField(primary_key=True)
    meeting = fields.ForeignKeyField("consult.Meeting", related_name="materials", on_delete=fields.CASCADE)
    filename = fields.CharField(max_length=200)
    content_type = fields.CharField(max_length=100)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    data = fields.BinaryField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "meeting_material"


class Attendee(Applicant):
    """An applicant or an invited attendee. Name, category and organisation of those who attend are
    public, contact details never."""

    id = fields.IntField(primary_key=True)
    meeting = fields.ForeignKeyField("consult.Meeting", related_name="attendees", on_delete=fields.CASCADE)
    category = fields.CharEnumField(AttendeeCategory, max_length=30)

    class Meta:
        table = "meeting_attendee"
        ordering = ["id"]
        # Applications made before migration 0012 that repeated a contact have NULL keys.
        unique_together = [("meeting_id", "phone_key"), ("meeting_id", "email_key")]


class Lottery(Draw):
    """A public draw for one category: anyone can recompute it from the seed and the candidates."""

    id = fields.IntField(primary_key=True)
    meeting = fields.ForeignKeyField("consult.Meeting", related_name="lotteries", on_delete=fields.CASCADE)
    category = fields.CharEnumField(AttendeeCategory, max_length=30)

    class Meta:
        table = "meeting_lottery"


class AttendeeOpinion(Model):
    """What an attendee said on a topic, recorded by staff after the meeting."""

    id = fields.IntField(primary_key=True)
    attendee = fields.ForeignKeyField("consult.Attendee", related_name="opinions", on_delete=fields.CASCADE)
    topic = fields.ForeignKeyField(
        "consult.MeetingTopic", related_name="opinions", null=True, on_delete=fields.SET_NULL
    )
    body = fields.TextField()
    recorded_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "meeting_opinion"
        ordering = ["id"]


class OpinionAnswer(ReviewedAnswer):
    """How an attendee's opinion was adopted, reviewed before it is public."""

    id = fields.IntField(primary_key=True)
    opinion = fields.OneToOneField("consult.AttendeeOpinion", related_name="answer", on_delete=fields.CASCADE)

    class Meta:
        table = "meeting_opinion_answer"


def public_attendees() -> QuerySet[Attendee]:
    """Who the public sees as attending: selected or invited, and not recorded as absent. The one place
    every public page, the API and the topic pages take their list from."""
    return Attendee.filter(
        Q(attendance__isnull=True) | Q(attendance=Attendance.ATTENDED),
        status__in=[ApplicationStatus.SELECTED, ApplicationStatus.INVITED],
    )
