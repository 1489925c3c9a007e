"""The receipt code by mail: a new kind of outbox message (the column is text; only the field's
description of its values changes)."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from consult.notify.models import MessageKind


class Migration(migrations.Migration):
    dependencies = [("consult", "0014_jobs_tally_similarity_index")]

    initial = False

    operations = [
        ops.AlterField(
            model_name="OutboxMessage",
            name="kind",
            field=fields.CharEnumField(
                description="ANSWER_PUBLISHED: answer_published\nREPORT_PUBLISHED: report_published\nATTENDEE_SELECTED: attendee_selected\nCOMMENT_RECEIVED: comment_received",
                enum_type=MessageKind,
                max_length=30,
            ),
        ),
    ]
