"""Every write to alerts. An alert moves along TRANSITIONS; every move writes an AlertEvent."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.alerts.forms import NOTE_REQUIRED
from laoxiao.alerts.models import Alert, AlertEvent
from laoxiao.core.audit import set_actor
from laoxiao.people.models import Person

TRANSITIONS: dict[str, set[str]] = {Alert.Status.OPEN: {Alert.Status.HANDLED}}


@transaction.atomic
def alert_raise(*, by: User | None, person: Person, source: str, detail: str = "") -> Alert:
    alert = Alert(person=person, area_id=person.area_id, source=source, detail=detail[:300], raised_by=by)
    set_actor(alert, by)
    alert.save()
    AlertEvent.objects.create(alert=alert, to_status=alert.status, by=by, note=alert.detail)
    return alert


def alert_handle(*, by: User, alert: Alert, note: str) -> Alert:
    """Close an alert with what was done (处置情况): without it the alert stays open."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": NOTE_REQUIRED})
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)  # a second close waits, then is refused
        if Alert.Status.HANDLED not in TRANSITIONS.get(alert.status, set()):
            raise ValidationError({"status": _("This alert is already closed.")})
        AlertEvent.objects.create(
            alert=alert, from_status=alert.status, to_status=Alert.Status.HANDLED, by=by, note=note[:500]
        )
        alert.status = Alert.Status.HANDLED
        set_actor(alert, by)
        alert.save(update_fields=["status"])
    return alert
