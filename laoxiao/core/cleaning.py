"""Field cleaners shared by forms, the API and imports: raw value in, clean value or a user message out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Choices
from django.utils import translation
from django.utils.translation import gettext as _

# C0 controls and DEL but tab, line feed and carriage return: PostgreSQL refuses NUL in text, and
# none of them belongs in a name, an address or a note.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "是", "√", "t"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "n", "否", "f"})


class FieldError(ValueError):
    """A value a field cannot take; the message is already in the user's language."""


def control_message() -> str:
    return _("Must not contain control characters (such as NUL).")


def printable(value: str) -> str:
    """The one check every entry path (forms, API, imports) makes on text before it is used."""
    if CONTROL.search(value):
        raise FieldError(control_message())
    return value


def text(value: Any, *, max_length: int, required: bool = False) -> str:
    cleaned = printable("" if value is None else str(value).strip())
    if required and not cleaned:
        raise FieldError(_("This field is required."))
    if len(cleaned) > max_length:
        raise FieldError(_("At most %(n)d characters.") % {"n": max_length})
    return cleaned


def phone(value: Any) -> str:
    cleaned = re.sub(r"[\s]", "", "" if value is None else str(value))
    if cleaned.endswith(".0"):  # spreadsheets turn a phone number into a float
        cleaned = cleaned[:-2]
    if cleaned and not (MOBILE.match(cleaned) or LANDLINE.match(cleaned)):
        raise FieldError(_("Enter an 11-digit mobile number or a landline such as 0951-1234567."))
    return cleaned


def decimal(value: Any, *, low: float, high: float, places: int = 6) -> Decimal | None:
    raw = "" if value is None else str(value).strip()
    if not raw:
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise FieldError(_("Enter a number.")) from None
    if not number.is_finite() or not low <= number <= high:
        raise FieldError(_("Enter a number between %(low)s and %(high)s.") % {"low": low, "high": high})
    return round(number, places)


def count(value: Any) -> int:
    raw = "" if value is None else str(value).strip()
    if not raw:
        return 0
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise FieldError(_("Enter a whole number.")) from None
    if number != number.to_integral_value() or number < 0:
        raise FieldError(_("Enter a whole number, 0 or more."))
    return int(number)


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raw = "" if value is None else str(value).strip().lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise FieldError(_("Enter 是 or 否 (yes or no)."))


class ChoiceLookup(dict[str, Any]):
    """Spelling → value, and the labels to name in an error (in the language it was built in)."""

    labels: list[str]


def choice_lookup(choices: type[Choices]) -> ChoiceLookup:
    """Every way a user may write a choice: its code, its Chinese label, its English label."""
    lookup = ChoiceLookup()
    lookup.labels = [str(label) for value, label in choices.choices if value != ""]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                lookup[str(label).strip().lower()] = value
    for value in choices.values:
        lookup[str(value).lower()] = value
    return lookup


def choice(value: Any, lookup: dict[str, Any], *, required: bool = True) -> Any:
    raw = "" if value is None else str(value).strip().lower()
    if not raw:
        if required:
            raise FieldError(_("This field is required."))
        return None
    if raw not in lookup:
        if isinstance(lookup, ChoiceLookup):
            raise FieldError(
                _("“%(value)s” is not one of the allowed values: %(allowed)s.")
                % {"value": value, "allowed": "、".join(lookup.labels)}
            )
        raise FieldError(_("“%(value)s” is not one of the allowed values.") % {"value": value})
    return lookup[raw]


def choices_many(value: Any, lookup: dict[str, Any]) -> list[Any]:
    if isinstance(value, list | tuple | set | frozenset):
        parts: Iterable[Any] = value
    else:
        parts = re.split(r"[、,，;；/\s]+", "" if value is None else str(value))
    return [choice(part, lookup) for part in parts if str(part).strip()]
