"""Every write to alerts."""

from __future__ import annotations

from django.db import transaction

from laoxiao.accounts.models import User
from laoxiao.alerts.models import Alert
from laoxiao.core.audit import set_actor
from laoxiao.people.models import Person


@transaction.atomic
def alert_raise(*, by: User | None, person: Person, source: str, detail: str = "") -> Alert:
    alert = Alert(person=person, area_id=person.area_id, source=source, detail=detail[:300], raised_by=by)
    set_actor(alert, by)
    alert.save()
    return alert


@transaction.atomic
def alert_handle(*, by: User, alert: Alert) -> Alert:
    alert.status = Alert.Status.HANDLED
    set_actor(alert, by)
    alert.save(update_fields=["status"])
    return alert
