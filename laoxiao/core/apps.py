from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "laoxiao.core"
    label = "core"
    verbose_name = _("Areas and platform core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from laoxiao.core import checks  # noqa: F401  (registers the key checks)

        connection_created.connect(_sqlite_file_private)


def _sqlite_file_private(sender: object, connection: Any, **kwargs: object) -> None:
    """A SQLite database holds sealed identifiers and everything beside them: only its owner may read
    it (SQLite gives its -wal and -shm files the same mode)."""
    if connection.vendor != "sqlite":
        return
    path = Path(str(connection.settings_dict["NAME"]))
    if path.is_file() and path.stat().st_mode & 0o077:
        path.chmod(0o600)
