from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

# An automatic group's summary used to be copied from whichever comment arrived first, before
# moderation: a withheld comment's text could show on public pages. Summaries now come from a published
# member only (consult.groups.services.refresh_summary). Existing automatic groups whose summary is not
# the opening of a published member get it from their first published member, or none.
SUMMARY_LENGTH = 60


def _summary(body):
    text = " ".join(body.split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


async def forwards(apps, schema_editor):
    client = schema_editor.client
    true = "TRUE" if client.capabilities.dialect == "postgres" else "1"
    _, groups = await client.execute_query(f"SELECT id, summary FROM comment_group WHERE automatic = {true}")
    for group in groups:
        _, members = await client.execute_query(
            f"SELECT id, body, state FROM comment WHERE group_id = {int(group['id'])} ORDER BY id"
        )
        published = [m for m in members if m["state"] == "published"]
        copied_from = [m for m in members if _summary(m["body"]) == group["summary"]]
        if copied_from and copied_from[0]["state"] == "published":
            source = copied_from[0]
        elif not copied_from and group["summary"]:
            continue  # written by staff: theirs
        else:
            source = published[0] if published else None
        summary = _summary(source["body"]) if source else ""
        await client.execute_query(
            "UPDATE comment_group SET summary = $1, summary_source_id = $2 WHERE id = $3"
            if client.capabilities.dialect == "postgres"
            else "UPDATE comment_group SET summary = ?, summary_source_id = ? WHERE id = ?",
            [summary, source["id"] if source else None, group["id"]],
        )


async def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("consult", "0010_consultation_requested_end")]

    initial = False

    operations = [
        ops.AddField(
            model_name="CommentGroup",
            name="summary_source",
            field=fields.ForeignKeyField(
                "consult.Comment",
                source_field="summary_source_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name=False,
                on_delete=OnDelete.SET_NULL,
            ),
        ),
        ops.RunPython(forwards, backwards),
    ]
