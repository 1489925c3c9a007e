from tortoise import migrations
from tortoise.migrations import operations as ops

# PostgreSQL looks for a common phrase among the newest documents that pass the search's filters
# first (consult.search.queries): one btree per filter, in newest-first order, lets it read just
# those. SQLite's FTS5 streams hits newest first and filters them as they come: nothing to add.
INDEXES = {
    "search_doc_department_newest": "(department_id, published_on, id)",
    "search_doc_status_newest": "(status, published_on, id)",
    "search_doc_year_newest": "(year, published_on, id)",
    "search_doc_kind_newest": "(kind, published_on, id)",
}


async def forwards(apps, schema_editor):
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        await client.execute_script(
            "; ".join(f"CREATE INDEX IF NOT EXISTS {name} ON search_doc {columns}" for name, columns in INDEXES.items())
        )


async def backwards(apps, schema_editor):
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        await client.execute_script("; ".join(f"DROP INDEX IF EXISTS {name}" for name in INDEXES))


class Migration(migrations.Migration):
    dependencies = [("consult", "0008_audit_log")]

    initial = False

    operations = [ops.RunPython(forwards, backwards)]
