from __future__ import annotations

from tortoise import fields

from consult.review.models import ReviewedAnswer


class Answer(ReviewedAnswer):
    """答复: the department's answer to one comment.

    A comment in a group that has an approved answer inherits it as a row of its own (`group_answer`
    set), so counting, the public pages, the receipt, the report and the CSV read one table.
    """

    id = fields.IntField(primary_key=True)
    comment = fields.OneToOneField("consult.Comment", related_name="answer", on_delete=fields.CASCADE)
    # Set while the comment inherits its group's answer; cleared when the comment gets its own.
    group_answer = fields.ForeignKeyField(
        "consult.GroupAnswer", related_name="inherited", null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "answer"
        indexes = [("review_state",)]
