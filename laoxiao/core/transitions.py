"""The one way a workflow changes state: the row is re-read under a lock, the move is checked against
the workflow's allowed-transitions table, and a status-change row records who, when and why.

Two requests for the same move (a double click, two tabs, two people) both wait for the lock; the
second then finds the state already moved on and is refused with a message saying so: it happens once.
Every workflow moves this way: import batches, applications, complaints, payment batches and their
lines, home-care orders, assessments and alerts; their pages read the timeline from `StatusChange`, except the
order page, whose event log (`OrderEvent`) also keeps what is not a move (declined offers, the places of
check-in and check-out, ratings), so orders write it beside.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from laoxiao.core.audit import set_actor
from laoxiao.core.models import StatusChange
from laoxiao.core.writes import service

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Workflow:
    allowed: Mapping[str, Collection[str]]  # from status → the statuses it may become
    field: str = "status"
    message_field: str = "status"  # the field a refusal is reported on

    def lock(self, obj: M) -> M:
        """The row as it is now, locked until the surrounding transaction ends."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("a workflow row is locked inside a transaction")
        return type(obj)._default_manager.select_for_update().get(pk=obj.pk)

    def check(self, obj: models.Model, to: str) -> None:
        current = getattr(obj, self.field)
        if to not in self.allowed.get(current, ()):
            labels = dict(getattr(obj._meta.get_field(self.field), "choices", None) or [])
            message = _("This is “%(state)s” now and cannot become “%(next)s”; someone may have just acted on it.")
            raise ValidationError(
                {self.message_field: message % {"state": labels.get(current, current), "next": labels.get(to, to)}}
            )

    def move(self, obj: models.Model, to: str, *, by: Any, note: str = "") -> StatusChange:
        """Check and make the move on a locked row (the caller saves it), with its status-change row."""
        self.check(obj, to)
        change = status_change_record(obj, getattr(obj, self.field), to, by=by, note=note)
        setattr(obj, self.field, to)
        set_actor(obj, by)
        return change


@service
def status_change_record(
    obj: models.Model, from_status: str, to_status: str, *, by: Any, note: str = ""
) -> StatusChange:
    return StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        from_status=from_status,
        to_status=to_status,
        by=by if by is not None and by.pk else None,
        note=note[:500],
    )


@service
def status_changes_record(
    model: type[models.Model], ids: list[int], to_status: str, *, by: Any, note: str = ""
) -> None:
    """Rows written in bulk (an import) enter their workflow at `to_status`: one status-change row each."""
    kind = ContentType.objects.get_for_model(model)
    StatusChange.objects.bulk_create(
        [StatusChange(content_type=kind, object_id=pk, to_status=to_status, by=by, note=note[:500]) for pk in ids],
        batch_size=2000,
    )


def status_changes(obj: models.Model) -> QuerySet[StatusChange]:
    """The timeline of one record (its caller has already checked the user may see the record)."""
    kind = ContentType.objects.get_for_model(obj)
    return StatusChange.objects.filter(content_type=kind, object_id=obj.pk).select_related("by").order_by("at", "id")
