from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class PublicationKind(StrEnum):
    COMPLETE = "complete"  # every comment answered: published at once
    DEADLINE = "deadline"  # the due date came: published as it stood
    MANUAL = "manual"  # published by the department before either


class AdoptionReport(Model):
    """意见收集采纳情况 for one consultation. The due date is not stored: it is a function of the result's
    issue date and the working-day calendar, so entering a new year's holidays moves it by itself."""

    id = fields.IntField(primary_key=True)
    decision = fields.ForeignKeyField("consult.Decision", related_name="reports", on_delete=fields.RESTRICT)
    consultation = fields.OneToOneField("consult.Consultation", related_name="report", on_delete=fields.RESTRICT)
    department_note = fields.TextField(default="")
    published_at = fields.DatetimeField(null=True)
    publication_kind = fields.CharEnumField(PublicationKind, max_length=20, null=True)
    published_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    # Published at its deadline with comments still unanswered.
    overdue = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()

    class Meta:
        table = "adoption_report"
        indexes = [("published_at",)]


class ReportVersion(Model):
    """The frozen figures of a published report: number 0 is the publication, later ones corrections."""

    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[AdoptionReport] = fields.ForeignKeyField(
        "consult.AdoptionReport", related_name="versions", on_delete=fields.CASCADE
    )
    number = fields.IntField()
    figures = fields.JSONField()
    note = fields.TextField(default="")
    created_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = "report_version"
        unique_together = [("report_id", "number")]
        ordering = ["number"]


class ReportChart(Model):
    """A chart rendered once from a version's figures (SVG with the glyphs as paths: no font needed)."""

    id = fields.IntField(primary_key=True)
    version = fields.ForeignKeyField("consult.ReportVersion", related_name="charts", on_delete=fields.CASCADE)
    name = fields.CharField(max_length=30)
    svg = fields.TextField()

    class Meta:
        table = "report_chart"
        unique_together = [("version_id", "name")]


class ReportPdf(Model):
    id = fields.IntField(primary_key=True)
    version = fields.OneToOneField("consult.ReportVersion", related_name="pdf", on_delete=fields.CASCADE)
    data = fields.BinaryField()

    class Meta:
        table = "report_pdf"
