from tortoise import fields, migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

# One application per person per meeting call: the normalised phone and e-mail become unique per
# meeting. Existing applications get their keys in id order; a later one that repeats a contact keeps
# NULL keys (it stays, and the lottery already draws among distinct people).


def _phone_key(phone):
    digits = phone.replace(" ", "").replace("-", "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits or None


async def forwards(apps, schema_editor):
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    _, rows = await client.execute_query(
        "SELECT id, meeting_id, contact_phone, contact_email FROM meeting_attendee ORDER BY id"
    )
    seen = set()
    for row in rows:
        phone = _phone_key(row["contact_phone"] or "")
        email = (row["contact_email"] or "").strip().lower() or None
        keys = [("p", row["meeting_id"], phone), ("e", row["meeting_id"], email)]
        if any(k[2] and k in seen for k in keys):
            continue
        seen.update(k for k in keys if k[2])
        await client.execute_query(
            "UPDATE meeting_attendee SET phone_key = $1, email_key = $2 WHERE id = $3"
            if postgres
            else "UPDATE meeting_attendee SET phone_key = ?, email_key = ? WHERE id = ?",
            [phone, email, row["id"]],
        )


async def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("consult", "0011_group_summary_source")]

    initial = False

    operations = [
        ops.AddField(model_name="Attendee", name="email_key", field=fields.CharField(null=True, max_length=200)),
        ops.AddField(model_name="Attendee", name="phone_key", field=fields.CharField(null=True, max_length=40)),
        ops.RunPython(forwards, backwards),
        ops.AddConstraint(
            model_name="Attendee",
            constraint=UniqueConstraint(fields=("meeting_id", "phone_key"), name=None),
        ),
        ops.AddConstraint(
            model_name="Attendee",
            constraint=UniqueConstraint(fields=("meeting_id", "email_key"), name=None),
        ),
    ]
