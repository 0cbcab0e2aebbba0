from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "laoxiao.assessments"
    label = "assessments"
    verbose_name = _("Capability assessment")

    def ready(self) -> None:
        from laoxiao.assessments.services import instruments_sync
        from laoxiao.core.shipped import load_on_migrate

        load_on_migrate(self, instruments_sync)
