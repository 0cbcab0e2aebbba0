from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "laoxiao.benefits"
    label = "benefits"
    verbose_name = _("Benefits and subsidies")

    def ready(self) -> None:
        from laoxiao.benefits.services import programmes_sync
        from laoxiao.core.shipped import load_on_migrate

        load_on_migrate(self, programmes_sync)
