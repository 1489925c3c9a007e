"""Government rule drafts and normative documents are consulted on outside the catalog: a decision's
catalog becomes optional, and it records its kind, whether it is closely tied to market entities'
business, and since when it is public (with its first consultation)."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from consult.decisions.models import DecisionKind
from tortoise.fields.base import OnDelete
from tortoise import fields

# SQLite makes a column nullable by rebuilding the table, and the rebuilt table lost the unique
# number per catalog (migration 0013): put it back under its name. PostgreSQL only drops NOT NULL.
UNIQUE_NUMBER = 'CREATE UNIQUE INDEX IF NOT EXISTS "uid_decision_catalog_20f48a" ON "decision" ("catalog_id", "seq")'


async def keep_unique_numbers(apps, schema_editor):
    if schema_editor.client.capabilities.dialect == "sqlite":
        await schema_editor.client.execute_script(UNIQUE_NUMBER)


async def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('consult', '0021_before_the_decision')]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name='Decision',
            options={'table': 'decision', 'app': 'consult', 'unique_together': (('catalog', 'seq'),), 'pk_attr': 'id', 'table_description': '重大行政决策事项: one catalog entry and the topic page that gathers its procedure; or a'},
        ),
        ops.AlterField(
            model_name='Decision',
            name='catalog',
            field=fields.ForeignKeyField('consult.Catalog', source_field='catalog_id', null=True, db_constraint=True, to_field='id', related_name='decisions', on_delete=OnDelete.RESTRICT),
        ),
        ops.RunPython(keep_unique_numbers, backwards),
        ops.AddField(
            model_name='Decision',
            name='kind',
            field=fields.CharEnumField(default=DecisionKind.MAJOR_DECISION, description='MAJOR_DECISION: major_decision\nGOVERNMENT_RULE: government_rule\nNORMATIVE_DOCUMENT: normative_document', db_default=DecisionKind.MAJOR_DECISION, enum_type=DecisionKind, max_length=30),
        ),
        ops.AddField(
            model_name='Decision',
            name='market_related',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Decision',
            name='public_from',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
