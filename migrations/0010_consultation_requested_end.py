from tortoise import fields, migrations
from tortoise.migrations import operations as ops

# Civil Code Art.203: a consultation whose chosen last day is a rest day now runs to the next working
# day. `ends_on` stays the legal last day that every state computation reads; the day staff chose is
# kept beside it. Rows made before this migration ended on the day chosen: copy it.


async def forwards(apps, schema_editor):
    await schema_editor.client.execute_script("UPDATE consultation SET requested_ends_on = ends_on")


async def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("consult", "0009_search_filter_order")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Consultation",
            name="requested_ends_on",
            field=fields.DateField(null=True),
        ),
        ops.RunPython(forwards, backwards),
    ]
