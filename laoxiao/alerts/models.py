"""Alerts for the emergency-response desk. Raised today by a visitor who finds an emergency; the
devices of home care beds (homecare.Device) will raise them too."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from laoxiao.core.scope import ScopePaths
from laoxiao.core.writes import audited


class Alert(models.Model):
    class Source(models.TextChoices):
        VISIT = "visit", _("visit found an emergency")
        DEVICE = "device", _("monitoring device")
        CALL = "call", _("call")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        HANDLED = "handled", _("handled")

    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT)
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    history = audited()

    scope_paths = ScopePaths(area="area_id")

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [models.Index(fields=["status", "area"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_source_display()}"
