"""Reads of alerts through the scope chokepoint."""

from __future__ import annotations

from django.db.models import QuerySet

from laoxiao.accounts.models import User
from laoxiao.alerts.models import Alert
from laoxiao.core.models import StatusChange
from laoxiao.core.scope import scoped, scoped_get
from laoxiao.core.transitions import status_changes


def alert_list(*, user: User, status: str = "") -> QuerySet[Alert]:
    alerts = scoped(user, Alert.objects.select_related("person", "area"))
    return alerts.filter(status=status) if status else alerts


def alert_get(*, user: User, pk: int) -> Alert:
    return scoped_get(user, Alert.objects.select_related("person", "area", "raised_by"), pk=pk)


def alert_events(*, user: User, alert: Alert) -> QuerySet[StatusChange]:
    """The alert's timeline (raised; closed with what was done), for an alert read through `alert_get`."""
    return status_changes(alert)
