from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "laoxiao.core"
    label = "core"
    verbose_name = _("Areas and platform core")

    def ready(self) -> None:
        from laoxiao.core import checks  # noqa: F401  (registers the key checks)
