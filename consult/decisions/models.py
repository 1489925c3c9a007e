from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class AdjustmentKind(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"


class IssuingLevel(StrEnum):
    """In whose name a decision's document is issued: it sets how many forms of interpretation it
    needs (seed 002)."""

    GOVERNMENT = "government"  # the government or its office (县政府、县政府办公室)
    DEPARTMENT = "department"  # a department or a town (部门、乡镇)


class DecisionKind(StrEnum):
    """What is put out for comment. Major decisions are listed in the year's catalog; government rules
    and normative documents are consulted on too, each with its own topic page, outside the catalog."""

    MAJOR_DECISION = "major_decision"  # 重大行政决策事项 (国务院令第713号)
    GOVERNMENT_RULE = "government_rule"  # 地方政府规章草案 (规章制定程序条例)
    NORMATIVE_DOCUMENT = "normative_document"  # 行政规范性文件 (国办发〔2018〕37号)


class Catalog(Model):
    """年度重大行政决策事项目录: one per year."""

    id = fields.IntField(primary_key=True)
    year = fields.IntField(unique=True)
    title = fields.CharField(max_length=200)
    introduction = fields.TextField(default="")
    published_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "catalog"
        ordering = ["-year"]


class Decision(Model):
    """重大行政决策事项: one catalog entry and the topic page that gathers its procedure; or a
    government rule or normative document consulted on outside the catalog (`kind`, no catalog)."""

    id = fields.IntField(primary_key=True)
    catalog: fields.ForeignKeyNullableRelation[Catalog] = fields.ForeignKeyField(
        "consult.Catalog", related_name="decisions", null=True, on_delete=fields.RESTRICT
    )
    # db_default: every row before migration 0022 is a catalog entry.
    kind = fields.CharEnumField(
        DecisionKind, max_length=30, default=DecisionKind.MAJOR_DECISION, db_default=DecisionKind.MAJOR_DECISION
    )
    # A normative document closely tied to market entities' business is consulted for 30 days, not 7
    # working days (优化营商环境条例 第六十二条).
    market_related = fields.BooleanField(default=False, db_default=False)
    # A document outside the catalog is public from the first publication of one of its consultations
    # (a catalog entry is public with its catalog).
    public_from = fields.DatetimeField(null=True)
    seq = fields.IntField()
    title = fields.CharField(max_length=200)
    department = fields.ForeignKeyField("consult.Department", related_name="decisions", on_delete=fields.RESTRICT)
    legal_basis = fields.TextField(default="")
    background = fields.TextField(default="")
    planned_completion = fields.DateField()
    needs_hearing = fields.BooleanField(default=False)
    # 公众参与方式 (seed 003: each unit states how the public can take part in its decisions): e.g.
    # 网上征求意见、听证会、座谈会. db_default: decisions made before migration 0021 state none yet.
    participation_methods = fields.TextField(default="", db_default="")
    # Set when an adjustment removes the item from the catalog; the row stays so the record stays public.
    removed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "decision"
        ordering = ["seq", "id"]
        # The number in the catalog (序号): two decisions added at once must not get the same one.
        unique_together = (("catalog", "seq"),)


class CatalogAdjustment(Model):
    """A change to a published catalog, published with its reason."""

    id = fields.IntField(primary_key=True)
    catalog: fields.ForeignKeyRelation[Catalog] = fields.ForeignKeyField(
        "consult.Catalog", related_name="adjustments", on_delete=fields.RESTRICT
    )
    decision = fields.ForeignKeyField(
        "consult.Decision", related_name="adjustments", null=True, on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(AdjustmentKind, max_length=20)
    reason = fields.TextField()
    # [{"field": "title", "before": "...", "after": "..."}]
    changes = fields.JSONField(default=list)
    created_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = "catalog_adjustment"
        ordering = ["created_at", "id"]


class DecisionResult(Model):
    """决策结果: the issued document. Recording it starts the adoption report's clock."""

    id = fields.IntField(primary_key=True)
    decision = fields.OneToOneField("consult.Decision", related_name="result", on_delete=fields.RESTRICT)
    document_number = fields.CharField(max_length=100)
    issued_on = fields.DateField()
    text = fields.TextField(default="")
    link = fields.CharField(max_length=500, default="")
    # db_default: results recorded before migration 0017 were issued in the government's name.
    issuing_level = fields.CharEnumField(
        IssuingLevel, max_length=20, default=IssuingLevel.GOVERNMENT, db_default=IssuingLevel.GOVERNMENT
    )
    # Before interpretations had records of their own (migration 0017 made each of these one).
    interpretation = fields.TextField(default="")
    interpretation_link = fields.CharField(max_length=500, default="")
    recorded_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "decision_result"
