"""Government rule drafts and normative documents are consulted on outside the catalog: a decision's
catalog becomes optional, and it records its kind, whether it is closely tied to market entities'
business, and since when it is public (with its first consultation)."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from consult.decisions.models import DecisionKind
from tortoise.fields.base import OnDelete
from tortoise import fields

# SQLite makes a column nullable by rebuilding the table: copy, drop, rename. Dropping a table that
# other rows reference (consultations, results …) fails with foreign keys enforced, and SQLite ignores
# `PRAGMA foreign_keys` inside a transaction: so this migration runs outside one (atomic = False) and
# turns enforcement off around the rebuild, then checks every reference before turning it back on.
# The rebuilt table also lost the unique number per catalog (migration 0013): it is put back under its
# name. PostgreSQL only drops NOT NULL.
UNIQUE_NUMBER = 'CREATE UNIQUE INDEX IF NOT EXISTS "uid_decision_catalog_20f48a" ON "decision" ("catalog_id", "seq")'


def _sqlite(schema_editor) -> bool:
    return schema_editor.client.capabilities.dialect == "sqlite"


# Violations already there before the rebuild (a database written with enforcement off) are not its
# doing: only new ones stop the migration.
_before: list[tuple] = []


async def _violations(schema_editor) -> list[tuple]:
    _, rows = await schema_editor.client.execute_query("PRAGMA foreign_key_check")
    return sorted(tuple(row) for row in rows)


async def foreign_keys_off(apps, schema_editor):
    if _sqlite(schema_editor):
        _before[:] = await _violations(schema_editor)
        await schema_editor.client.execute_script("PRAGMA foreign_keys = OFF")


async def foreign_keys_on(apps, schema_editor):
    if not _sqlite(schema_editor):
        return
    await schema_editor.client.execute_script(UNIQUE_NUMBER)
    await schema_editor.client.execute_script("PRAGMA foreign_keys = ON")
    new = [v for v in await _violations(schema_editor) if v not in _before]
    if new:
        raise RuntimeError(f"references broken by the rebuild of the decision table: {new[:5]}")


async def nothing(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('consult', '0021_before_the_decision')]

    initial = False
    atomic = False  # see above: SQLite's foreign keys can only be turned off outside a transaction

    operations = [
        ops.AlterModelOptions(
            name='Decision',
            options={'table': 'decision', 'app': 'consult', 'unique_together': (('catalog', 'seq'),), 'pk_attr': 'id', 'table_description': '重大行政决策事项: one catalog entry and the topic page that gathers its procedure; or a'},
        ),
        ops.RunPython(foreign_keys_off, nothing),
        ops.AlterField(
            model_name='Decision',
            name='catalog',
            field=fields.ForeignKeyField('consult.Catalog', source_field='catalog_id', null=True, db_constraint=True, to_field='id', related_name='decisions', on_delete=OnDelete.RESTRICT),
        ),
        ops.RunPython(foreign_keys_on, nothing),
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
