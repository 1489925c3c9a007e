from tortoise import migrations
from tortoise.migrations import operations as ops

# Searching a million comments fast means reading hits newest first and stopping early, so each
# database gets its text index in that order:
# - SQLite: the FTS5 rowid becomes (days since 1970 << 32) | search_doc.id, so FTS5 itself streams
#   the hits newest first (ORDER BY rowid DESC) and the row is found from the low 32 bits.
# - PostgreSQL: the tsvector is stored (computing it per row on recheck cost seconds) with its GIN
#   index, beside a btree on (published_on, id) for the newest-first scan of frequent words.
SQLITE_REKEY = (
    "DELETE FROM search_fts; "
    "INSERT INTO search_fts(rowid, bigrams) "
    "SELECT ((CAST(julianday(published_on) AS INTEGER) - 2440587) << 32) | id, bigrams FROM search_doc"
)
SQLITE_UNKEY = "DELETE FROM search_fts; INSERT INTO search_fts(rowid, bigrams) SELECT id, bigrams FROM search_doc"


# The status facet: a comment's public answer status (or unanswered); other kinds need none.
STATUSES = (
    "UPDATE search_doc SET status = COALESCE((SELECT a.public_status FROM answer a "
    "WHERE a.comment_id = search_doc.ref_id AND a.public_status IS NOT NULL), 'unanswered') "
    "WHERE kind = 'comment'; "
    "UPDATE search_doc SET status = '' WHERE kind IN ('article', 'report', 'meeting')"
)


async def forwards(apps, schema_editor):
    client = schema_editor.client
    await client.execute_script(STATUSES)
    if client.capabilities.dialect == "sqlite":
        await client.execute_script(SQLITE_REKEY)
    else:
        await client.execute_script(
            "ALTER TABLE search_doc ADD COLUMN IF NOT EXISTS tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', bigrams)) STORED; "
            "DROP INDEX IF EXISTS search_doc_bigrams_gin; "
            "CREATE INDEX IF NOT EXISTS search_doc_tsv_gin ON search_doc USING gin (tsv); "
            "CREATE INDEX IF NOT EXISTS search_doc_newest ON search_doc (published_on, id)"
        )


async def backwards(apps, schema_editor):
    client = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        await client.execute_script(SQLITE_UNKEY)
    else:
        await client.execute_script(
            "DROP INDEX IF EXISTS search_doc_newest; DROP INDEX IF EXISTS search_doc_tsv_gin; "
            "ALTER TABLE search_doc DROP COLUMN IF EXISTS tsv; "
            "CREATE INDEX IF NOT EXISTS search_doc_bigrams_gin ON search_doc USING gin (to_tsvector('simple', bigrams))"
        )


class Migration(migrations.Migration):
    dependencies = [("consult", "0006_search")]

    initial = False

    operations = [ops.RunPython(forwards, backwards)]
