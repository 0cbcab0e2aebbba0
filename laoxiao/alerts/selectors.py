"""Reads of alerts through the scope chokepoint."""

from __future__ import annotations

from django.db.models import QuerySet

from laoxiao.accounts.models import User
from laoxiao.alerts.models import Alert, AlertEvent
from laoxiao.core.scope import scoped, scoped_get


def alert_list(*, user: User, status: str = "") -> QuerySet[Alert]:
    alerts = scoped(user, Alert.objects.select_related("person", "area"))
    return alerts.filter(status=status) if status else alerts


def alert_get(*, user: User, pk: int) -> Alert:
    return scoped_get(user, Alert.objects.select_related("person", "area", "raised_by"), pk=pk)


def alert_events(*, user: User, alert: Alert) -> QuerySet[AlertEvent]:
    return scoped(user, AlertEvent.objects.filter(alert=alert)).select_related("by").order_by("at", "id")
