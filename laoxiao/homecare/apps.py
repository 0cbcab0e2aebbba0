from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomecareConfig(AppConfig):
    name = "laoxiao.homecare"
    label = "homecare"
    verbose_name = _("Home and community care")

    def ready(self) -> None:
        from laoxiao.core.shipped import load_on_migrate
        from laoxiao.homecare.providers.services import catalogue_sync

        load_on_migrate(self, catalogue_sync)
