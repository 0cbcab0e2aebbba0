"""Every write to the people registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.core import crypto
from laoxiao.core.audit import set_actor
from laoxiao.core.personal import seal_into, unsealed
from laoxiao.core.scope import area_in_scope
from laoxiao.core.services import identifier_reveals_record
from laoxiao.core.versions import check_version
from laoxiao.core.writes import service
from laoxiao.people.models import ElderlyCategory, ElderlyProfile, EmergencyContact, Guardianship, Person
from laoxiao.people.rules import is_elderly, is_infant
from laoxiao.people.validation import clean_person


def _check(
    user: User, raw: dict[str, Any], fields: tuple[str, ...], birth_date: dt.date | None = None
) -> dict[str, Any]:
    data, errors = clean_person(raw, fields=fields, birth_date=birth_date)
    if "area_code" in data and "area_code" not in errors and not area_in_scope(user, data["area_code"]):
        errors["area_code"] = _("No area with this code is within your responsibility.")
    if errors:
        raise ValidationError(errors)
    return data


def _duplicate_id(exclude_pk: int | None, number: str) -> bool:
    return Person.objects.filter(id_number_hash__in=crypto.blind_indexes(number)).exclude(pk=exclude_pk or 0).exists()


def _apply_profile(person: Person, *, by: User, categories: Iterable[str], ability_level: int | None) -> None:
    chosen = set(categories)
    profile = ElderlyProfile.objects.filter(person=person).first()
    if profile is None:
        if not is_elderly(person.birth_date, timezone.localdate()):
            return
        profile = ElderlyProfile(person=person)
    wanted = {category.value: category.value in chosen for category in ElderlyCategory} | {
        "ability_level": ability_level,
        "area_id": person.area_id,  # the profile's copy follows the person (people/models.py says why)
    }
    if not profile._state.adding and all(getattr(profile, name) == value for name, value in wanted.items()):
        return  # nothing changed: no empty entry in the audit trail
    for name, value in wanted.items():
        setattr(profile, name, value)
    set_actor(profile, by)
    profile.save()


@service
def person_create(
    *,
    by: User,
    name: str,
    id_number: str,
    area_code: str,
    phone: str = "",
    address: str = "",
    latitude: Decimal | str | None = None,
    longitude: Decimal | str | None = None,
    categories: Iterable[str] = (),
    ability_level: int | str | None = None,
) -> Person:
    """Register a person; anyone aged 60 or over gets an elderly profile with their categories."""
    # The keyword arguments are exactly the validated fields, so they go to the cleaners as one mapping.
    data = _check(
        by,
        locals() | {"categories": list(categories)},
        fields=(
            "name",
            "id_number",
            "phone",
            "address",
            "area_code",
            "latitude",
            "longitude",
            "categories",
            "ability_level",
        ),
    )
    citizen = data["id_number"]
    if _duplicate_id(None, citizen.number):
        raise ValidationError({"id_number": _("A person with this ID number is already registered.")})
    person = Person(
        name=data["name"],
        birth_date=citizen.birth_date,
        sex=citizen.sex,
        address=data["address"],
        area_id=data["area_code"],
        latitude=data["latitude"],
        longitude=data["longitude"],
    )
    seal_into(person, "id_number", citizen.number)
    seal_into(person, "phone", data["phone"])
    try:
        with transaction.atomic():
            person.save()
            _apply_profile(person, by=by, categories=data["categories"], ability_level=data["ability_level"])
    except IntegrityError:  # a concurrent registration of the same ID number won the race
        raise ValidationError({"id_number": _("A person with this ID number is already registered.")}) from None
    return person


@service
def person_update(
    *,
    by: User,
    person: Person,
    name: str,
    area_code: str,
    phone: str | None = None,
    address: str = "",
    latitude: Decimal | str | None = None,
    longitude: Decimal | str | None = None,
    categories: Iterable[str] = (),
    ability_level: int | str | None = None,
    id_number: str = "",
    status: str | None = None,
    version: str | None = None,
) -> Person:
    """Change a person's record. An empty id_number and a None phone keep the stored values: forms never
    hold identifiers in plain text, so an untouched box means "unchanged". A form's `version` must still
    be the record's (`core/versions.py`)."""
    fields: tuple[str, ...] = ("name", "address", "area_code", "latitude", "longitude", "categories", "ability_level")
    fields += ("id_number",) if id_number else ()
    fields += ("phone",) if phone is not None else ()
    data = _check(
        by,
        locals() | {"categories": list(categories)},
        fields=fields,
        birth_date=person.birth_date,
    )
    if status is not None and status not in Person.Status.values:
        raise ValidationError({"status": _("“%(value)s” is not one of the allowed values.") % {"value": status}})
    person = Person.objects.select_for_update().get(pk=person.pk)
    check_version(person, version)
    if id_number:
        citizen = data["id_number"]
        if _duplicate_id(person.pk, citizen.number):
            raise ValidationError({"id_number": _("A person with this ID number is already registered.")})
        seal_into(person, "id_number", citizen.number)
        person.birth_date, person.sex = citizen.birth_date, citizen.sex
    if "phone" in data:
        seal_into(person, "phone", data["phone"])
    person.name, person.address, person.area_id = data["name"], data["address"], data["area_code"]
    person.latitude, person.longitude = data["latitude"], data["longitude"]
    if status:
        person.status = status
    person.save()
    _apply_profile(person, by=by, categories=data["categories"], ability_level=data["ability_level"])
    return person


@service
def person_reveal(*, by: User, person: Person, field: str, contact: EmergencyContact | None = None) -> str:
    """The plain ID number or phone, for a user allowed to see it; every reveal is logged.

    With `contact`, the phone of one of the person's emergency contacts: logged on the person's record
    (field "contact_phone"), so the person's reveal log lists every number of theirs that was seen."""
    if field not in ("id_number", "phone") or (contact is not None and contact.person_id != person.pk):
        raise ValueError(field)
    shown = field if contact is None else "contact_phone"
    identifier_reveals_record(by=by, subject_type="person", reveals=[(person.pk, person.name, shown)])
    return unsealed(contact or person, field)


@service
def guardianship_create(*, by: User, infant: Person, guardian: Person, relation: str, is_primary: bool) -> Guardianship:
    if not is_infant(infant.birth_date, timezone.localdate()):
        raise ValidationError({"guardian": _("Guardians are recorded for infants under 3.")})
    if infant.pk == guardian.pk:
        raise ValidationError({"guardian": _("A person cannot be their own guardian.")})
    if relation not in Guardianship.Relation.values:
        raise ValidationError({"relation": _("“%(value)s” is not one of the allowed values.") % {"value": relation}})
    item = Guardianship(infant=infant, guardian=guardian, relation=relation, is_primary=is_primary)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise ValidationError({"guardian": _("This guardian is already recorded.")}) from None
    return item


@service
def emergency_contact_add(*, by: User, person: Person, name: str, relation: str, phone: str) -> EmergencyContact:
    """Record whom to call for `person`; the phone is sealed like the person's own."""
    # The person's own cleaners judge the name and the number; a contact without a number is no contact.
    cleaned, errors = clean_person({"name": name, "phone": phone}, fields=("name", "phone"))
    if not errors.get("phone") and not cleaned.get("phone"):
        errors["phone"] = _("This field is required.")
    if relation not in EmergencyContact.Relation.values:
        errors["relation"] = _("“%(value)s” is not one of the allowed values.") % {"value": relation}
    if errors:
        raise ValidationError(errors)
    contact = EmergencyContact(person=person, name=cleaned["name"], relation=relation)
    seal_into(contact, "phone", cleaned["phone"])
    contact.save()
    return contact


@service
def emergency_contact_remove(*, by: User, contact: EmergencyContact) -> None:
    contact.delete()
