from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class SearchDoc(Model):
    """One public thing as search sees it. `bigrams` holds the text as space-separated character
    bigrams: SQLite's FTS5 (table search_fts) and PostgreSQL's GIN index on to_tsvector('simple', …)
    both find 2-character Chinese words in it, which trigram indexes cannot."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=20)
    ref_id = fields.IntField()
    url = fields.CharField(max_length=300)
    title = fields.CharField(max_length=300)
    body = fields.TextField(default="")
    department_id = fields.IntField(null=True)
    year = fields.IntField(null=True)
    status = fields.CharField(max_length=30, default="")
    published_on = fields.DateField()
    bigrams = fields.TextField()

    class Meta:
        table = "search_doc"
        unique_together = [("kind", "ref_id")]
        indexes = [("kind", "published_on")]
