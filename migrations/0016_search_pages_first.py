"""Search leads to pages first. What changes in what is already indexed:

- A comment or an article is found by its own words only. Its title says where it sits (the
  consultation, the draft), and indexing it made every comment of the parking consultation a hit for
  停车. Their bigrams are rewritten from the body.
- Pages (decisions, consultations, interpretations, reports, meetings) are ranked first and counted
  exactly. They are few beside the comments: on SQLite their words go into a text index of their own
  as well (search_pages_fts, rowid = search_doc.id); on PostgreSQL a partial index holds them.
- A published consultation is a document of its own (kind "consultation": the draft's title and
  explanation, linking to the consultation page), as consult.drafts.search writes it from now on.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

from consult.search.text import bigrams

BATCH = 2000
# What the index held when this migration was written (consult.search.index.CONTEXT_TITLED).
OWN_WORDS_ONLY = ("article", "comment")
PUBLISHED_CONSULTATIONS = (
    "SELECT c.id, c.starts_on, dr.title, dr.explanation, de.department_id FROM consultation c "
    "JOIN draft dr ON dr.id = c.draft_id JOIN decision de ON de.id = c.decision_id "
    "JOIN catalog ca ON ca.id = de.catalog_id "
    "WHERE c.published_at IS NOT NULL AND ca.published_at IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM search_doc s WHERE s.kind = 'consultation' AND s.ref_id = c.id)"
)
PAGE_KINDS = "'decision', 'consultation', 'interpretation', 'report', 'meeting'"  # consult.search.index.PAGE_KINDS
PAGES_INDEX = (
    f"CREATE INDEX IF NOT EXISTS search_doc_pages ON search_doc (kind, published_on) WHERE kind IN ({PAGE_KINDS})"
)
PAGES_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_pages_fts USING fts5(bigrams, tokenize='unicode61'); "
    "DELETE FROM search_pages_fts; "
    f"INSERT INTO search_pages_fts(rowid, bigrams) SELECT id, bigrams FROM search_doc WHERE kind IN ({PAGE_KINDS})"
)
FTS_ROWID = "(((CAST(julianday(published_on) AS INTEGER) - 2440587) << 32) | id)"  # 0007's key


def _marks(sqlite, count, first=1):
    return ", ".join("?" if sqlite else f"${first + i}" for i in range(count))


async def _rewrite_own_words(client, sqlite):
    kinds = ", ".join(f"'{kind}'" for kind in OWN_WORDS_ONLY)
    last = 0
    while True:
        _, rows = await client.execute_query(
            f"SELECT id, body, {FTS_ROWID if sqlite else 'id'} AS fts FROM search_doc "
            f"WHERE kind IN ({kinds}) AND id > {_marks(sqlite, 1)} ORDER BY id LIMIT {BATCH}",
            [last],
        )
        if not rows:
            return
        for row in rows:
            text = bigrams(row["body"])
            if sqlite:
                await client.execute_query("UPDATE search_doc SET bigrams = ? WHERE id = ?", [text, row["id"]])
                await client.execute_query("UPDATE search_fts SET bigrams = ? WHERE rowid = ?", [text, row["fts"]])
            else:
                await client.execute_query("UPDATE search_doc SET bigrams = $1 WHERE id = $2", [text, row["id"]])
        last = rows[-1]["id"]


async def _add_consultations(client, sqlite):
    _, rows = await client.execute_query(PUBLISHED_CONSULTATIONS)
    columns = "kind, ref_id, url, title, body, department_id, year, status, published_on, bigrams"
    for row in rows:
        starts_on = row["starts_on"]
        values = [
            "consultation",
            row["id"],
            f"/consultations/{row['id']}",
            row["title"][:300],
            row["explanation"],
            row["department_id"],
            int(str(starts_on)[:4]),
            "",
            starts_on,
            bigrams(f"{row['title']} {row['explanation']}"),
        ]
        _, inserted = await client.execute_query(
            f"INSERT INTO search_doc ({columns}) VALUES ({_marks(sqlite, len(values))}) RETURNING id", values
        )
        if sqlite:
            await client.execute_query(
                f"INSERT INTO search_fts(rowid, bigrams) SELECT {FTS_ROWID}, bigrams FROM search_doc WHERE id = ?",
                [inserted[0]["id"]],
            )


async def forwards(apps, schema_editor):
    client = schema_editor.client
    sqlite = client.capabilities.dialect == "sqlite"
    await _rewrite_own_words(client, sqlite)
    await _add_consultations(client, sqlite)
    await client.execute_script(PAGES_FTS if sqlite else PAGES_INDEX)


async def backwards(apps, schema_editor):
    # The rewritten bigrams still find every comment and article by its words; only the consultation
    # documents, which the code before this migration does not know, go.
    client = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        await client.execute_script(
            f"DELETE FROM search_fts WHERE rowid IN (SELECT {FTS_ROWID} FROM search_doc WHERE kind = 'consultation')"
        )
    await client.execute_script("DELETE FROM search_doc WHERE kind = 'consultation'")
    if client.capabilities.dialect == "sqlite":
        await client.execute_script("DROP TABLE IF EXISTS search_pages_fts")
    else:
        await client.execute_script("DROP INDEX IF EXISTS search_doc_pages")


class Migration(migrations.Migration):
    dependencies = [("consult", "0015_receipt_mail")]

    initial = False

    operations = [ops.RunPython(forwards, backwards)]
