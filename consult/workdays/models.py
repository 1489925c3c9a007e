from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class CalendarSource(StrEnum):
    SEEDED = "seeded"  # from the chinese-calendar package
    STAFF = "staff"  # entered by the government office from the State Council notice


class CalendarYear(Model):
    """A year whose holiday arrangement is official (国务院办公厅关于…部分节假日安排的通知)."""

    year = fields.IntField(primary_key=True)
    notice = fields.CharField(max_length=200, default="")
    source = fields.CharEnumField(CalendarSource, max_length=20)
    updated_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "calendar_year"
        ordering = ["year"]


class CalendarDay(Model):
    """A day that differs from the weekend rule: a holiday on a weekday or a make-up workday (调休上班)."""

    id = fields.IntField(primary_key=True)
    day = fields.DateField(unique=True)
    is_workday = fields.BooleanField()
    name = fields.CharField(max_length=50, default="")
    source = fields.CharEnumField(CalendarSource, max_length=20)

    class Meta:
        table = "calendar_day"
        ordering = ["day"]


class CalendarChange(Model):
    """Audit of every change the office makes to a year's arrangement."""

    id = fields.IntField(primary_key=True)
    year = fields.IntField(db_index=True)
    notice = fields.CharField(max_length=200, default="")
    before = fields.JSONField(default=list)
    after = fields.JSONField(default=list)
    actor = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = "calendar_change"
        ordering = ["-created_at", "-id"]
