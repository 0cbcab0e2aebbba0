"""Every write to alerts. An alert moves along ALERT_FLOW (core/transitions.py), which locks it, checks
the move and writes its status-change row: raised, then closed with what was done (处置情况)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.alerts.forms import NOTE_REQUIRED
from laoxiao.alerts.models import Alert
from laoxiao.core.transitions import Workflow, status_change_record
from laoxiao.core.writes import service
from laoxiao.people.models import Person

ALERT_FLOW = Workflow({Alert.Status.OPEN: {Alert.Status.HANDLED}})


@service
def alert_raise(*, by: User | None, person: Person, source: str, detail: str = "") -> Alert:
    alert = Alert(person=person, area_id=person.area_id, source=source, detail=detail[:300], raised_by=by)
    alert.save()
    status_change_record(alert, "", alert.status, by=by, note=alert.detail)
    return alert


@service
def alert_handle(*, by: User, alert: Alert, note: str) -> Alert:
    """Close an alert with what was done (处置情况): without it the alert stays open."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": NOTE_REQUIRED})
    alert = ALERT_FLOW.lock(alert)  # a second close waits, then is refused
    if alert.status == Alert.Status.HANDLED:
        raise ValidationError({"status": _("This alert is already closed.")})
    ALERT_FLOW.move(alert, Alert.Status.HANDLED, by=by, note=note)
    alert.save(update_fields=["status"])
    return alert
