"""Readable audit trail over django-simple-history: who, when, and each field's before and after."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Ciphertext and keyed hashes change on every write; the masked twin of each field shows the change.
HIDDEN_SUFFIXES = ("_cipher", "_hash")
# Shown as changed, without the values: a birth date beside the masked ID number rebuilds all but its
# last four characters.
VALUE_UNSHOWN = frozenset({"birth_date"})

ACTION_LABELS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class HistoryEntry:
    at: Any
    user: Any
    action: str
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    reason: str = ""  # what a change no field shows was (a password reset), translated

    @property
    def who(self) -> str:
        """Imports, the demo generator and scheduled jobs write with no user: the system did it."""
        if self.user is None:
            return str(_("system"))
        return str(self.user.first_name or self.user.username)


def field_label(model: type[Model] | Model, name: str) -> str:
    """A field's verbose name, in the active language."""
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _display(record: Any, name: str) -> Any:
    value = getattr(record, name, None)
    if value is not None and name in {f.name for f in getattr(record, "_history_m2m_fields", ())}:
        # A many-to-many field's history rows (simple-history's m2m_fields): the related records' names.
        target = record.instance_type._meta.get_field(name).related_model._meta.model_name
        return "、".join(str(getattr(row, target)) for row in value.all()) or None
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    getter = getattr(record, f"get_{name}_display", None)
    return getter() if callable(getter) and value not in (None, "") else value


def history_entries(obj: Model) -> list[HistoryEntry]:
    """Newest first; each change names the field by its verbose name."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id"))  # type: ignore[attr-defined]
    entries = []
    for index, record in enumerate(records):
        entry = HistoryEntry(
            at=record.history_date,
            user=record.history_user,
            action=str(ACTION_LABELS[record.history_type]),
            reason=gettext(record.history_change_reason) if record.history_change_reason else "",
        )
        older = records[index + 1] if index + 1 < len(records) else None
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older)
            changed = {change.field for change in delta.changes}
            for change in delta.changes:
                if change.field.endswith(HIDDEN_SUFFIXES):
                    masked = change.field.removesuffix("_hash") + "_masked"
                    if change.field.endswith("_hash") and masked not in changed and hasattr(type(obj), masked):
                        # a new number under the same mask (139********): changed all the same, values unshown
                        entry.changes.append((field_label(obj, masked), _("(not shown)"), _("(not shown)")))
                    continue
                label = field_label(obj, change.field)
                if change.field in VALUE_UNSHOWN:
                    entry.changes.append((label, _("(not shown)"), _("(not shown)")))
                else:
                    entry.changes.append((label, _display(older, change.field), _display(record, change.field)))
        entries.append(entry)
    return entries


def set_actor(obj: Model, user: Any) -> None:
    """Name the user that simple-history records for the next save or delete of `obj`."""
    obj._history_user = user  # type: ignore[attr-defined]
