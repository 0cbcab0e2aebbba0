"""One definition of a valid person, used by the create/edit forms, the API and the import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from laoxiao.core import cleaning
from laoxiao.core.cleaning import FieldError
from laoxiao.core.identifiers import CitizenId, IdentifierError, parse_citizen_id
from laoxiao.people.models import AbilityLevel, ElderlyCategory
from laoxiao.people.rules import is_elderly

Errors = dict[str, str]


@cache
def _lookups(language: str) -> tuple[dict[str, Any], dict[str, Any]]:
    return cleaning.choice_lookup(ElderlyCategory), cleaning.choice_lookup(AbilityLevel)


def _citizen(value: Any) -> CitizenId:
    try:
        return parse_citizen_id("" if value is None else str(value))
    except IdentifierError as exc:
        raise FieldError(str(exc)) from None


def _ability(value: Any) -> int | None:
    raw = "" if value is None else str(value).strip()
    if raw.endswith(".0"):
        raw = raw[:-2]
    return cleaning.choice(raw, _lookups(translation.get_language() or "zh-hans")[1], required=False)


def _categories(value: Any) -> list[str]:
    return cleaning.choices_many(value, _lookups(translation.get_language() or "zh-hans")[0])


CLEANERS: dict[str, Callable[[Any], Any]] = {
    "name": lambda v: cleaning.text(v, max_length=50, required=True),
    "id_number": _citizen,
    "phone": cleaning.phone,
    "address": lambda v: cleaning.text(v, max_length=200),
    "area_code": lambda v: cleaning.text(v, max_length=12, required=True),
    "latitude": lambda v: cleaning.decimal(v, low=-90, high=90),
    "longitude": lambda v: cleaning.decimal(v, low=-180, high=180),
    "categories": _categories,
    "ability_level": _ability,
}


def clean_person(
    raw: Mapping[str, Any],
    *,
    fields: tuple[str, ...] = tuple(CLEANERS),
    birth_date: dt.date | None = None,
    today: dt.date | None = None,
) -> tuple[dict[str, Any], Errors]:
    """Clean each of `fields` from `raw`; returns the clean values and a message per bad field.

    `birth_date` is the stored one when the ID number is not being changed; `today` the city's date, when
    the caller (an import, row after row) has it already."""
    data: dict[str, Any] = {}
    errors: Errors = {}
    for name in fields:
        try:
            data[name] = CLEANERS[name](raw.get(name))
        except FieldError as exc:
            errors[name] = str(exc)
    if "id_number" in data:
        birth_date = data["id_number"].birth_date
    if birth_date and not is_elderly(birth_date, today or timezone.localdate()):
        # Categories and levels are for people aged 60+; refuse rather than drop them silently.
        for name in ("categories", "ability_level"):
            if data.get(name) not in (None, []) and name not in errors:
                errors[name] = _("Only people aged 60 or over have special categories and an ability level.")
    return data, errors
