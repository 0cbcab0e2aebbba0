"""Data the platform ships (service catalogue, benefit programmes, assessment instruments) is loaded
when the database is migrated, and again after a flush: a page read never writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def load_on_migrate(app: AppConfig, load: Callable[[], object]) -> None:
    def loaded(sender: AppConfig, plan: list[tuple[Any, bool]] | None = None, **kwargs: Any) -> None:
        if plan and all(backwards for _migration, backwards in plan):
            return  # migrating back: the tables may be gone
        load()

    post_migrate.connect(loaded, sender=app, weak=False, dispatch_uid=f"laoxiao-shipped-{app.label}")
