"""One migration set for both databases, and it matches the models."""

from __future__ import annotations

from tortoise import Tortoise

from consult.settings import tortoise_config


async def test_models_and_migrations_agree(database_url: str) -> None:
    from tortoise.migrations.autodetector import MigrationAutodetector

    config = tortoise_config(database_url)
    detector = MigrationAutodetector(Tortoise.apps, config["apps"])
    changes = await detector.changes()
    assert changes == [], "models changed without a migration: run `tortoise makemigrations`"
