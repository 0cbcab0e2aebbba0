"""System checks: the platform refuses to start without its secrets."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from laoxiao.core import crypto


@register()
def secrets_configured(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if not settings.SECRET_KEY:
        errors.append(Error("LAOXIAO_SECRET_KEY is not set (see docs/deploy.md)", id="laoxiao.E001"))
    for name, length in (("LAOXIAO_SM4_KEYS", 16), ("LAOXIAO_HASH_KEYS", 32)):
        try:
            crypto.parse_keys(getattr(settings, name), name=name, length=length)
        except ImproperlyConfigured as exc:
            errors.append(Error(str(exc), id="laoxiao.E002"))
    return errors
