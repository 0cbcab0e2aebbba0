"""One definition of a valid facility, used by forms, the API and the import."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from laoxiao.core import cleaning
from laoxiao.core.audit import field_label
from laoxiao.core.cleaning import FieldError
from laoxiao.core.identifiers import IdentifierError, normalise_uscc
from laoxiao.facilities.models import Facility, FacilityKind

Errors = dict[str, str]
CHOICE_FIELDS: dict[str, type[models.Choices]] = {
    "kind": FacilityKind,
    "ownership": Facility.Ownership,
    "profit_status": Facility.ProfitStatus,
    "status": Facility.Status,
    "filing_status": Facility.FilingStatus,
}
COUNT_FIELDS = (
    "beds_total",
    "beds_nursing",
    "beds_inclusive",
    "beds_occupied",
    "places_total",
    "places_inclusive",
    "enrolled",
)
# (part, whole): a part may never exceed its whole; the database holds the same rule as constraints.
# Optional choices fall back to the model default when left empty.
DEFAULTS = {"status": Facility.Status.OPERATING, "filing_status": Facility.FilingStatus.NOT_FILED}
WITHIN = (
    ("beds_nursing", "beds_total"),
    ("beds_inclusive", "beds_total"),
    ("beds_occupied", "beds_total"),
    ("places_inclusive", "places_total"),
    ("enrolled", "places_total"),
)


@cache
def _lookup(field: str, language: str) -> dict[str, Any]:
    return cleaning.choice_lookup(CHOICE_FIELDS[field])


def _choice(field: str, *, required: bool = True) -> Callable[[Any], Any]:
    def clean(value: Any) -> Any:
        result = cleaning.choice(value, _lookup(field, translation.get_language() or "zh-hans"), required=required)
        return result if result is not None else DEFAULTS[field]

    return clean


def _uscc(value: Any) -> str | None:
    raw = "" if value is None else str(value).strip()
    if not raw:
        return None
    try:
        return normalise_uscc(raw)
    except IdentifierError as exc:
        raise FieldError(str(exc)) from None


CLEANERS: dict[str, Callable[[Any], Any]] = {
    "name": lambda v: cleaning.text(v, max_length=100, required=True),
    "kind": _choice("kind"),
    "uscc": _uscc,
    "ownership": _choice("ownership"),
    "operator_name": lambda v: cleaning.text(v, max_length=100),
    "profit_status": _choice("profit_status"),
    "is_inclusive": cleaning.boolean,
    "status": _choice("status", required=False),
    "address": lambda v: cleaning.text(v, max_length=200, required=True),
    "area_code": lambda v: cleaning.text(v, max_length=12, required=True),
    "latitude": lambda v: cleaning.decimal(v, low=-90, high=90),
    "longitude": lambda v: cleaning.decimal(v, low=-180, high=180),
    "phone": cleaning.phone,
    "floor_area_m2": lambda v: cleaning.decimal(v, low=0, high=10_000_000, places=1),
    "filing_status": _choice("filing_status", required=False),
    "has_clinic": cleaning.boolean,
    **{name: cleaning.count for name in COUNT_FIELDS},
}
FIELDS = tuple(CLEANERS)
COORDINATES = ("latitude", "longitude")


def clean_facility(raw: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    data: dict[str, Any] = {}
    errors: Errors = {}
    for name, cleaner in CLEANERS.items():
        try:
            data[name] = cleaner(raw.get(name))
        except FieldError as exc:
            errors[name] = str(exc)
    for part, whole in WITHIN:
        if part not in errors and whole not in errors and data[part] > data[whole]:
            errors[part] = _("Cannot exceed “%(whole)s”.") % {"whole": field_label(Facility, whole)}
    # Half a coordinate is no place: saved alone, it drops the facility off every map.
    given = [name for name in COORDINATES if name not in errors and data[name] is not None]
    if len(given) == 1:
        for name in COORDINATES:
            if name not in given and name not in errors:
                errors[name] = _("Fill in both latitude and longitude, or neither.")
    return data, errors
