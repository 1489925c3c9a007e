from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

# A decision's number in its catalog (序号) becomes unique per catalog: two decisions added at once
# used to be able to take the same one. An existing repeat keeps the earlier decision's number; the
# later one takes the next free number after the catalog's last (the catalog page shows them by number).


async def forwards(apps, schema_editor):
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    _, rows = await client.execute_query("SELECT id, catalog_id, seq FROM decision ORDER BY catalog_id, seq, id")
    taken, last = set(), {}
    for row in rows:
        last[row["catalog_id"]] = max(last.get(row["catalog_id"], 0), row["seq"])
    for row in rows:
        key = (row["catalog_id"], row["seq"])
        if key not in taken:
            taken.add(key)
            continue
        last[row["catalog_id"]] += 1
        taken.add((row["catalog_id"], last[row["catalog_id"]]))
        await client.execute_query(
            "UPDATE decision SET seq = $1 WHERE id = $2" if postgres else "UPDATE decision SET seq = ? WHERE id = ?",
            [last[row["catalog_id"]], row["id"]],
        )


async def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("consult", "0012_one_application_per_person")]

    initial = False

    operations = [
        ops.RunPython(forwards, backwards),
        ops.RemoveIndex(model_name="Decision", name=None, fields=["catalog_id", "seq"]),
        ops.AddConstraint(model_name="Decision", constraint=UniqueConstraint(fields=("catalog", "seq"), name=None)),
    ]
