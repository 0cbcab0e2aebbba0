"""Every write to the facility registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.core.audit import set_actor
from laoxiao.core.identifiers import IdentifierError, parse_citizen_id
from laoxiao.core.personal import seal_into
from laoxiao.core.scope import area_in_scope
from laoxiao.core.versions import check_version
from laoxiao.core.writes import service
from laoxiao.facilities.models import (
    Certificate,
    Facility,
    MedicalCareAgreement,
    StaffMember,
    StaffRole,
    TrainingRecord,
)
from laoxiao.facilities.validation import clean_facility


def _checked(user: User, raw: dict[str, Any], *, exclude_pk: int | None, current_area: str = "") -> dict[str, Any]:
    """Clean values; the area must be in the user's scope unless it is where the facility already is
    (an operator's scope is its institutions, not an area)."""
    data, errors = clean_facility(raw)
    if "area_code" not in errors and data["area_code"] != current_area and not area_in_scope(user, data["area_code"]):
        errors["area_code"] = _("No area with this code is within your responsibility.")
    if data.get("uscc") and Facility.objects.filter(uscc=data["uscc"]).exclude(pk=exclude_pk or 0).exists():
        errors["uscc"] = _("A facility with this unified social credit code is already registered.")
    if errors:
        raise ValidationError(errors)
    data["area_id"] = data.pop("area_code")
    return data


def _save(facility: Facility, *, by: User) -> Facility:
    set_actor(facility, by)
    try:
        with transaction.atomic():
            facility.save()
    except IntegrityError:  # a concurrent registration took the same credit code
        raise ValidationError(
            {"uscc": _("A facility with this unified social credit code is already registered.")}
        ) from None
    return facility


@service
def facility_create(*, by: User, values: dict[str, Any]) -> Facility:
    """Register a facility of any kind. `values` holds raw field values keyed by field name."""
    return _save(Facility(**_checked(by, values, exclude_pk=None)), by=by)


# The regulator's decisions about an institution: its filing (备案), registration, kind, ownership
# (举办性质), profit status, 普惠 designation and operating status. An operator edits everything else
# about its own home (name, contacts, place, beds and places, staff).
REGULATOR_FIELDS = ("filing_status", "uscc", "kind", "ownership", "profit_status", "is_inclusive", "status")


def _same(value: Any) -> str:
    """A stored value and a posted one compare alike (a code's case, a boolean posted as "on" or "1")."""
    if isinstance(value, bool) or value in ("on", "1", "0", "true", "false", "True", "False"):
        return str(value in (True, "on", "1", "true", "True"))
    return str(value or "").strip().upper()


@service
def facility_update(*, by: User, facility: Facility, values: dict[str, Any], version: str | None = None) -> Facility:
    """Change a facility's record; a form's `version` must still be the record's (`core/versions.py`)."""
    if by.role_scopes_by_organisation:
        kept = {name: getattr(facility, name) for name in REGULATOR_FIELDS}
        values = {"area_code": facility.area_id, **kept, **values}  # a form without them keeps the record
        changed = [name for name in REGULATOR_FIELDS if _same(values[name]) != _same(kept[name])]
        if changed:
            raise ValidationError(
                {name: _("Recorded by the civil affairs bureau: an operator cannot change this.") for name in changed}
            )
    data = _checked(by, values, exclude_pk=facility.pk, current_area=facility.area_id)
    if by.role_scopes_by_organisation and data["area_id"] != facility.area_id:
        raise ValidationError({"area_code": _("An operator cannot move its institution to another area.")})
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    check_version(facility, version)
    for name, value in data.items():
        setattr(facility, name, value)
    return _save(facility, by=by)


@service
def staff_member_create(
    *, by: User, facility: Facility, name: str, id_number: str, role: str, hired_on: dt.date
) -> StaffMember:
    errors: dict[str, str] = {}
    citizen = None
    try:
        citizen = parse_citizen_id(id_number)
    except IdentifierError as exc:
        errors["id_number"] = str(exc)
    if not name.strip():
        errors["name"] = _("This field is required.")
    if role not in StaffRole.values:
        errors["role"] = _("“%(value)s” is not one of the allowed values.") % {"value": role}
    if hired_on > timezone.localdate():
        errors["hired_on"] = _("The date is in the future.")
    if errors or citizen is None:
        raise ValidationError(errors)
    member = StaffMember(facility=facility, name=name.strip(), role=role, hired_on=hired_on)
    seal_into(member, "id_number", citizen.number)
    member.save()
    return member


@service
def certificate_create(
    *,
    by: User,
    staff: StaffMember,
    kind: str,
    level: str,
    number: str,
    issued_on: dt.date,
    expires_on: dt.date | None,
) -> Certificate:
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("The date is in the future.")})
    if expires_on and expires_on < issued_on:
        raise ValidationError({"expires_on": _("The expiry date is before the issue date.")})
    certificate = Certificate(
        staff=staff, kind=kind, level=level, number=number, issued_on=issued_on, expires_on=expires_on
    )
    certificate.full_clean(exclude=["staff"])
    certificate.save()
    return certificate


@service
def training_record_create(
    *, by: User, staff: StaffMember, course: str, hours: float, completed_on: dt.date, organiser: str = ""
) -> TrainingRecord:
    record = TrainingRecord(staff=staff, course=course, hours=hours, completed_on=completed_on, organiser=organiser)
    record.full_clean(exclude=["staff"])
    record.save()
    return record


@service
def medical_agreement_create(
    *, by: User, facility: Facility, kind: str, partner_name: str, signed_on: dt.date, expires_on: dt.date | None
) -> MedicalCareAgreement:
    agreement = MedicalCareAgreement(
        facility=facility, kind=kind, partner_name=partner_name, signed_on=signed_on, expires_on=expires_on
    )
    agreement.full_clean(exclude=["facility"])
    agreement.save()
    return agreement
