import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from consult.groups.similarity import ALONE_BANDS, GROUP_BANDS, band_keys, normalise, signatures

# The durable job queue, the consultations' kept figures, and the similarity index in the database.
# Arriving comments used to be compared with a per-process cache of every comment still alone; they
# now find what they may copy by LSH band keys. This writes the keys of every comment in no group and
# of every group's representative, as the grouping job writes them from now on. (The figures are
# counted the first time a consultation is shown.)

CHUNK = 500


def _keys(rows, field, normalised, layout):
    texts = [(row, row[field] if normalised else normalise(row[field])) for row in rows]
    texts = [(row, text) for row, text in texts if text]
    for (row, _), signature in zip(texts, signatures([text for _, text in texts]), strict=True):
        for key in band_keys(signature[None, :], row["consultation_id"], layout)[0]:
            yield key, row["id"]


async def _insert(client, table, column, pairs):
    postgres = client.capabilities.dialect == "postgres"
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start : start + CHUNK]
        if postgres:
            marks = ", ".join(f"(${2 * i + 1}, ${2 * i + 2})" for i in range(len(chunk)))
        else:
            marks = ", ".join("(?, ?)" for _ in chunk)
        values = [value for pair in chunk for value in pair]
        await client.execute_query(f"INSERT INTO {table} (key, {column}) VALUES {marks}", values)


async def forwards(apps, schema_editor):
    client = schema_editor.client
    _, alone = await client.execute_query("SELECT id, consultation_id, body FROM comment WHERE group_id IS NULL")
    await _insert(client, "similarity_key", "comment_id", list(_keys(alone, "body", False, ALONE_BANDS)))
    _, groups = await client.execute_query(
        "SELECT id, consultation_id, representative FROM comment_group WHERE representative <> ''"
    )
    await _insert(client, "representative_key", "group_id", list(_keys(groups, "representative", True, GROUP_BANDS)))
    if client.capabilities.dialect == "postgres":
        # The grouping's lookups join these tables at once; without statistics (autovacuum off, or not
        # yet come round) PostgreSQL plans a full scan of them for every batch of arrivals.
        await client.execute_script("ANALYZE similarity_key; ANALYZE representative_key; ANALYZE job")


async def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('consult', '0013_unique_catalog_numbers')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ConsultationTally',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('consultation', fields.OneToOneField('consult.Consultation', source_field='consultation_id', db_constraint=True, to_field='id', related_name='tally', on_delete=OnDelete.CASCADE)),
                ('received', fields.IntField(default=0)),
                ('pending', fields.IntField(default=0)),
                ('published', fields.IntField(default=0)),
                ('withheld', fields.IntField(default=0)),
                ('answered', fields.IntField(default=0)),
                ('per_article', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('per_group', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'consultation_tally', 'app': 'consult', 'pk_attr': 'id', 'table_description': 'The figures every visitor of a consultation page sees, kept instead of counted per request.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Job',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=30)),
                ('scope_id', fields.IntField(default=0)),
                ('subject_id', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('run_after', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('claimed_by', fields.CharField(default='', max_length=32)),
                ('claimed_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
                ('last_error', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'job', 'app': 'consult', 'indexes': [Index(fields=['kind', 'scope_id', 'id'])], 'pk_attr': 'id', 'table_description': "Work that follows a committed change, written in the change's own transaction: a durable queue."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Lease',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=100)),
                ('holder', fields.CharField(default='', max_length=32)),
                ('until', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'job_lease', 'app': 'consult', 'pk_attr': 'name', 'table_description': 'One process at a time works on what a lease names (the grouping of one consultation): a row per'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SimilarityKey',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.BigIntField()),
                ('comment', fields.ForeignKeyField('consult.Comment', source_field='comment_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'similarity_key', 'app': 'consult', 'indexes': [Index(fields=['key', 'comment_id'])], 'pk_attr': 'id', 'table_description': 'One LSH band key (groups/similarity.py) of a comment in no group: where an arriving comment finds'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RepresentativeKey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.BigIntField()),
                ('group', fields.ForeignKeyField('consult.CommentGroup', source_field='group_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'representative_key', 'app': 'consult', 'indexes': [Index(fields=['key', 'group_id']), Index(fields=['group_id'])], 'pk_attr': 'id', 'table_description': "One LSH band key of a group's representative: where an arriving comment finds the groups it may"},
            bases=['Model'],
        ),
        ops.RemoveField(model_name='Consultation', name='grouped_upto'),
        ops.AddIndex(
            model_name='Comment',
            index=Index(fields=['consultation_id', 'group_id', 'id']),
        ),
        ops.RunPython(forwards, backwards),
    ]
