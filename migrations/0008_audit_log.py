from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index


async def forbid_changes(apps, schema_editor):
    """Append-only in the database too: the app never updates or deletes an entry. (TRUNCATE on
    PostgreSQL and DELETE on SQLite stay possible for maintenance; the hash chain shows any gap.)"""
    client = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        await client.execute_script(
            "CREATE TRIGGER IF NOT EXISTS audit_log_append_only BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
    else:
        await client.execute_script(
            "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$; "
            "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log; "
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )


async def allow_changes(apps, schema_editor):
    client = schema_editor.client
    await client.execute_script("DROP TRIGGER IF EXISTS audit_log_append_only" + ("" if client.capabilities.dialect == "sqlite" else " ON audit_log"))

class Migration(migrations.Migration):
    dependencies = [('consult', '0007_search_newest_first')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('actor_id', fields.IntField(null=True, db_index=True)),
                ('action', fields.CharField(max_length=200)),
                ('object_type', fields.CharField(default='', max_length=40)),
                ('object_id', fields.IntField(null=True)),
                ('status', fields.IntField()),
                ('payload', fields.TextField(unique=False)),
                ('prev_hash', fields.CharField(max_length=64)),
                ('hash', fields.CharField(unique=True, max_length=64)),
            ],
            options={'table': 'audit_log', 'app': 'consult', 'indexes': [Index(fields=['object_type', 'object_id'])], 'pk_attr': 'id', 'table_description': "One staff action, append-only and hash-chained: `hash` is SHA-256 of the previous entry's hash"},
            bases=['Model'],
        ),
        ops.RunPython(forbid_changes, allow_changes),
    ]
