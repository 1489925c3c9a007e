from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from consult.review.models import ReviewedAnswer, ReviewState


class EvaluationMethod(StrEnum):
    """The methods seed 002 names, and the questionnaire (seed 003)."""

    COLLECTION = "collection"  # 征集调查
    SYMPOSIUM = "symposium"  # 专题座谈
    INTERVIEW = "interview"  # 重点访谈
    OPEN_DAY = "open_day"  # 政府开放日
    OPINION_MONITORING = "opinion_monitoring"  # 舆情监测
    ONLINE_QA = "online_qa"  # 网络问政
    QUESTIONNAIRE = "questionnaire"  # 问卷调查


# Methods whose sessions are recorded with their date, participants and the opinions heard.
OFFLINE_METHODS = (EvaluationMethod.SYMPOSIUM, EvaluationMethod.INTERVIEW, EvaluationMethod.OPEN_DAY)
# The report's six parts (seed 002), in order.
REPORT_PARTS = ("standard", "applicability", "usage", "effects", "problems", "suggestions")


class Evaluation(Model):
    """An evaluation by the government (no department: counted against the county's target) or by a
    department (against its own). Public from the day it starts (the public is asked to take part); its
    report once a reviewer other than the one who submitted it has approved it."""

    id = fields.IntField(primary_key=True)
    department = fields.ForeignKeyField(
        "consult.Department", related_name="evaluations", null=True, on_delete=fields.RESTRICT
    )
    decision = fields.ForeignKeyField(
        "consult.Decision", related_name="evaluations", null=True, on_delete=fields.RESTRICT
    )
    policy_title = fields.CharField(max_length=200)
    scope = fields.TextField()
    methods = fields.JSONField(default=list)
    evaluator = fields.CharField(max_length=200)
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    survey = fields.ForeignKeyField("consult.Survey", related_name="evaluations", null=True, on_delete=fields.SET_NULL)
    # The report (seed 002): 执行标准、适用范围、使用情况、取得成效、存在问题、改进建议.
    standard = fields.TextField(default="")
    applicability = fields.TextField(default="")
    usage = fields.TextField(default="")
    effects = fields.TextField(default="")
    problems = fields.TextField(default="")
    suggestions = fields.TextField(default="")
    report_state = fields.CharEnumField(ReviewState, max_length=20, null=True)
    report_note = fields.TextField(default="")
    report_submitted_by = fields.ForeignKeyField(
        "consult.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    report_published_at = fields.DatetimeField(null=True)
    # The evaluation itself is public (its scope, methods, questionnaire, activities) once a reviewer
    # of its unit opens it.
    published_at = fields.DatetimeField(null=True)
    created_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = "evaluation"
        ordering = ["-starts_on", "-id"]


class EvaluationActivity(Model):
    """A symposium, an interview or an open day: when, who took part (categories and counts, never
    names) and what was said."""

    id = fields.IntField(primary_key=True)
    evaluation: fields.ForeignKeyRelation[Evaluation] = fields.ForeignKeyField(
        "consult.Evaluation", related_name="activities", on_delete=fields.CASCADE
    )
    method = fields.CharEnumField(EvaluationMethod, max_length=30)
    held_on = fields.DateField()
    # {"企业代表": 6, "居民": 12}
    participants = fields.JSONField(default=dict)
    summary = fields.TextField(default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "evaluation_activity"
        ordering = ["held_on", "id"]


class EvaluationOpinion(Model):
    """An opinion heard at an activity, answered like a comment."""

    id = fields.IntField(primary_key=True)
    activity = fields.ForeignKeyField("consult.EvaluationActivity", related_name="opinions", on_delete=fields.CASCADE)
    body = fields.TextField()
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "evaluation_opinion"
        ordering = ["id"]


class EvaluationOpinionAnswer(ReviewedAnswer):
    id = fields.IntField(primary_key=True)
    opinion = fields.OneToOneField("consult.EvaluationOpinion", related_name="answer", on_delete=fields.CASCADE)

    class Meta:
        table = "evaluation_opinion_answer"
