"""What every call for participants shares (standing meetings, hearings): the application, its
selection, attendance, and the public draw. Each call keeps its own tables (concrete subclasses)."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class ApplicationStatus(StrEnum):
    APPLIED = "applied"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"
    INVITED = "invited"


class SelectionMethod(StrEnum):
    MANUAL = "manual"
    LOTTERY = "lottery"
    INVITATION = "invitation"


class Attendance(StrEnum):
    ATTENDED = "attended"
    ABSENT = "absent"


class Applicant(Model):
    """An applicant or an invited participant. Name, category and organisation of those who take part
    are public, contact details never. The subclass adds the call it belongs to and the category."""

    name = fields.CharField(max_length=50)
    organisation = fields.CharField(max_length=100, default="")
    statement = fields.TextField(default="")
    contact_phone = fields.CharField(max_length=40, default="")
    contact_email = fields.CharField(max_length=200, default="")
    notify_by_email = fields.BooleanField(default=False)
    receipt_code = fields.CharField(max_length=20, unique=True)
    status = fields.CharEnumField(ApplicationStatus, max_length=20, default=ApplicationStatus.APPLIED)
    selection_method = fields.CharEnumField(SelectionMethod, max_length=20, null=True)
    selection_reason = fields.TextField(default="")
    attendance = fields.CharEnumField(Attendance, max_length=20, null=True)
    created_at = fields.DatetimeField()
    # One application per person per call: the normalised phone and e-mail, unique per call (NULL for
    # people the office invites).
    phone_key = fields.CharField(max_length=40, null=True)
    email_key = fields.CharField(max_length=200, null=True)

    class Meta:
        abstract = True


class Draw(Model):
    """A public draw for one category: anyone can recompute it from the seed and the candidates."""

    seed = fields.CharField(max_length=64)
    seats = fields.IntField()
    candidates = fields.JSONField()  # application numbers, ascending
    winners = fields.JSONField()
    drawn_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    drawn_at = fields.DatetimeField()

    class Meta:
        abstract = True
