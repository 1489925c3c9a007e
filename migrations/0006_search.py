from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

async def create_text_index(apps, schema_editor):
    """The one part that differs by database: SQLite gets an FTS5 table over the bigrams, PostgreSQL
    a GIN index on their tsvector (both queried as a phrase of bigrams)."""
    client = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        await client.execute_script("CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(bigrams, tokenize='unicode61')")
    else:
        await client.execute_script(
            "CREATE INDEX IF NOT EXISTS search_doc_bigrams_gin ON search_doc USING gin (to_tsvector('simple', bigrams))"
        )


async def drop_text_index(apps, schema_editor):
    client = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        await client.execute_script("DROP TABLE IF EXISTS search_fts")
    else:
        await client.execute_script("DROP INDEX IF EXISTS search_doc_bigrams_gin")


class Migration(migrations.Migration):
    dependencies = [('consult', '0005_api_rate_windows')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SearchDoc',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=20)),
                ('ref_id', fields.IntField()),
                ('url', fields.CharField(max_length=300)),
                ('title', fields.CharField(max_length=300)),
                ('body', fields.TextField(default='', unique=False)),
                ('department_id', fields.IntField(null=True)),
                ('year', fields.IntField(null=True)),
                ('status', fields.CharField(default='', max_length=30)),
                ('published_on', fields.DateField()),
                ('bigrams', fields.TextField(unique=False)),
            ],
            options={'table': 'search_doc', 'app': 'consult', 'unique_together': [('kind', 'ref_id')], 'indexes': [Index(fields=['kind', 'published_on'])], 'pk_attr': 'id', 'table_description': 'One public thing as search sees it. `bigrams` holds the text as space-separated character'},
            bases=['Model'],
        ),
        ops.RunPython(create_text_index, drop_text_index),
    ]
