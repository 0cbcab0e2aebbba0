"""An edit form carries the version of the record it was filled from (its `updated_at`), and the service
refuses to save over a newer one: two people editing one record at once never silently undo each other.
The second is told who changed it and when; their own input stays in the form, which now carries the new
version, so saving again after checking is a deliberate choice."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _


def version_of(record: Any) -> str:
    return record.updated_at.isoformat()


class Stale(ValidationError):
    """The record changed after the form was filled; `version` is the one it has now."""

    def __init__(self, message: str, version: str) -> None:
        super().__init__({NON_FIELD_ERRORS: [message]})
        self.version = version


def check_version(record: Any, version: str | None) -> None:
    """Refuse a save from a form filled from an older version of `record` (read under the row's lock)."""
    if not version or version == version_of(record):
        return
    last = record.history.first()
    who = (last.history_user.first_name or last.history_user.username) if last and last.history_user else "—"
    raise Stale(
        _(
            "%(who)s changed this record at %(at)s, after you opened it, and nothing of yours was saved. "
            "Your entries are kept below: check them against the record as it is now and save again."
        )
        % {"who": who, "at": f"{timezone.localtime(record.updated_at):%Y-%m-%d %H:%M}"},
        version_of(record),
    )


class VersionField(forms.CharField):
    """The hidden field that carries the version an edit form was filled from."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=40, **kwargs)


def carry_new_version(form: forms.Form, exc: ValidationError) -> None:
    """After a refusal for a newer version, the form (with the user's input) carries that version."""
    if isinstance(exc, Stale):
        data = cast(QueryDict, form.data).copy()  # a QueryDict's copy is mutable and keeps multiple values
        data["version"] = exc.version
        form.data = data
