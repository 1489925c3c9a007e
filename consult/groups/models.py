from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from consult.review.models import ReviewedAnswer


class CommentGroup(Model):
    """Comments saying the same thing, answered once. Grouping never changes or hides a comment."""

    id = fields.IntField(primary_key=True)
    consultation = fields.ForeignKeyField("consult.Consultation", related_name="groups", on_delete=fields.CASCADE)
    summary = fields.CharField(max_length=200)
    # The published member an automatic summary was copied from; null when staff wrote it, or while no
    # member is published yet (then the summary is empty: unmoderated text is never copied).
    summary_source = fields.ForeignKeyField("consult.Comment", related_name=False, null=True, on_delete=fields.SET_NULL)
    article = fields.ForeignKeyField("consult.Article", related_name=False, null=True, on_delete=fields.SET_NULL)
    # Normalised text of the first member: what new comments are compared with.
    representative = fields.TextField(default="")
    automatic = fields.BooleanField(default=True)
    created_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = "comment_group"
        ordering = ["id"]


class GroupAnswer(ReviewedAnswer):
    """One answer for a whole group, reviewed like a single answer. When it is approved, members
    without an answer of their own inherit it as Answer rows pointing here."""

    # No semicolons in these docstrings: Tortoise makes them table comments, and its SQLite schema
    # editor splits statements at semicolons.
    id = fields.IntField(primary_key=True)
    group = fields.OneToOneField("consult.CommentGroup", related_name="answer", on_delete=fields.CASCADE)

    class Meta:
        table = "group_answer"


class AnswerTemplate(Model):
    """A reusable reason text of a department, picked while answering."""

    id = fields.IntField(primary_key=True)
    department = fields.ForeignKeyField("consult.Department", related_name="answer_templates", on_delete=fields.CASCADE)
    title = fields.CharField(max_length=100)
    text = fields.TextField()
    created_by = fields.ForeignKeyField("consult.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField()

    class Meta:
        table = "answer_template"
        ordering = ["title"]


class SimilarityKey(Model):
    """One LSH band key (groups/similarity.py) of a comment in no group: where an arriving comment finds
    the comments alone that it may copy. A comment's keys go when it joins a group (found by the keys,
    computed again from its text: one index less to write on every arrival)."""

    id = fields.BigIntField(primary_key=True)
    key = fields.BigIntField()
    comment = fields.ForeignKeyField("consult.Comment", related_name=False, on_delete=fields.CASCADE)

    class Meta:
        table = "similarity_key"
        # The lookup by key reads the index alone.
        indexes = [("key", "comment_id")]


class RepresentativeKey(Model):
    """One LSH band key of a group's representative: where an arriving comment finds the groups it may
    belong to, in a consultation with too many groups to compare it with each."""

    id = fields.IntField(primary_key=True)
    key = fields.BigIntField()
    group = fields.ForeignKeyField("consult.CommentGroup", related_name=False, on_delete=fields.CASCADE)

    class Meta:
        table = "representative_key"
        indexes = [("key", "group_id"), ("group_id",)]
