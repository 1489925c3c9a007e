from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class RateWindow(Model):
    """Requests of one client in one fixed window, counted in the database so that every app process
    shares the limit."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=120, unique=True)  # "<bucket>:<client>:<window start>"
    count = fields.IntField(default=0)
    window_start = fields.DatetimeField(db_index=True)

    class Meta:
        table = "api_rate_window"
