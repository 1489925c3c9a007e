from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from consult.participation.models import Applicant, Draw


class StepKind(StrEnum):
    """The procedure steps a decision goes through before it is taken, in their legal order."""

    EXPERT_REVIEW = "expert_review"  # 专家论证, Art.19–21
    RISK_ASSESSMENT = "risk_assessment"  # 风险评估, Art.22–24
    LEGALITY_REVIEW = "legality_review"  # 合法性审查, Art.25–28
    COLLECTIVE_DISCUSSION = "collective_discussion"  # 集体讨论决定, Art.29–31


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ProcedureStep(Model):
    """One step of a decision's procedure as the department records it. Public ones (视情公开, seed 002)
    appear on the topic page once a reviewer of the department publishes them; the others stay on the
    staff pages, but still count as done for the rules that need them (a legality review need not be
    public to have happened)."""

    id = fields.IntField(primary_key=True)
    decision = fields.ForeignKeyField("consult.Decision", related_name="procedure_steps", on_delete=fields.RESTRICT)
    kind = fields.CharEnumField(StepKind, max_length=30)
    # The unit responsible (论证组织单位, 评估机构, 合法性审查机构) or the meeting's convener.
    unit = fields.CharField(max_length=200)
    # When the step began (the legality review: the day the material was sent) and ended (the day the
    # opinion came back; the day experts met; the day of the meeting).
    started_on = fields.DateField()
    finished_on = fields.DateField()
    outcome = fields.TextField()
    risk_level = fields.CharEnumField(RiskLevel, max_length=10, null=True)
    # A legality review shorter than the minimum working days (Art.27) says why.
    short_period_reason = fields.TextField(default="")
    meeting = fields.ForeignKeyField(
        "consult.Meeting", related_name="procedure_steps", null=True, on_delete=fields.SET_NULL
    )
    public = fields.BooleanField(default=True)
    created_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()
    published_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "procedure_step"
        ordering = ["finished_on", "id"]


class StepDocument(Model):
    """论证报告、风险评估报告、合法性审查意见书 …: checked by its bytes like attachments."""

    id = fields.IntField(primary_key=True)
    step = fields.ForeignKeyField("consult.ProcedureStep", related_name="documents", on_delete=fields.CASCADE)
    filename = fields.CharField(max_length=200)
    content_type = fields.CharField(max_length=100)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    data = fields.BinaryField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "procedure_step_document"
        ordering = ["id"]


class Hearing(Model):
    """听证会 on a decision's draft (Art.16–17): the notice with its seats per interest group, the call
    for representatives and observers, the participant list, then the record (听证笔录) and the report."""

    id = fields.IntField(primary_key=True)
    decision = fields.ForeignKeyField("consult.Decision", related_name="hearings", on_delete=fields.RESTRICT)
    # The consultation on the draft heard: representatives' opinions are entered as its comments
    # (channel 听证会), answered like them and counted in its report.
    consultation = fields.ForeignKeyField("consult.Consultation", related_name="hearings", on_delete=fields.RESTRICT)
    matter = fields.TextField()
    organiser = fields.CharField(max_length=200)
    held_at = fields.DatetimeField()
    place = fields.CharField(max_length=200)
    # The day representatives receive the draft and its explanation.
    materials_on = fields.DateField()
    applications_close_on = fields.DateField()
    # [{"key": "g1", "label": "机动车车主", "seats": 5}, …]: each affected interest has its own seats.
    groups = fields.JSONField(default=list)
    observer_seats = fields.IntField(default=0)
    how_to_apply = fields.TextField(default="")
    # The notice is public from this day; applications open with it.
    notice_on = fields.DateField(null=True)
    published_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    published_at = fields.DatetimeField(null=True)
    participants_published_at = fields.DatetimeField(null=True)
    record = fields.TextField(default="")
    report = fields.TextField(default="")
    report_published_at = fields.DatetimeField(null=True)
    created_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = "hearing"
        ordering = ["held_at", "id"]


class HearingParticipant(Applicant):
    """A representative of an interest group, or an observer (旁听). Representatives declare they are
    not serving civil servants."""

    id = fields.IntField(primary_key=True)
    hearing = fields.ForeignKeyField("consult.Hearing", related_name="participants", on_delete=fields.CASCADE)
    # A group's key from the hearing's groups, or "observer".
    category = fields.CharField(max_length=30)
    declared_not_civil_servant = fields.BooleanField(default=False)

    class Meta:
        table = "hearing_participant"
        ordering = ["id"]
        unique_together = [("hearing_id", "phone_key"), ("hearing_id", "email_key")]


class HearingDraw(Draw):
    """A public draw for one group's seats."""

    id = fields.IntField(primary_key=True)
    hearing = fields.ForeignKeyField("consult.Hearing", related_name="draws", on_delete=fields.CASCADE)
    category = fields.CharField(max_length=30)

    class Meta:
        table = "hearing_draw"


class HearingOpinion(Model):
    """What a representative said at the hearing: the comment it became, in the hearing's consultation."""

    id = fields.IntField(primary_key=True)
    participant = fields.ForeignKeyField(
        "consult.HearingParticipant", related_name="opinions", on_delete=fields.CASCADE
    )
    comment = fields.OneToOneField("consult.Comment", related_name="hearing_opinion", on_delete=fields.CASCADE)

    class Meta:
        table = "hearing_opinion"
        ordering = ["id"]
