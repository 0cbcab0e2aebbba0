"""The facts rules read, gathered from the registries for many beneficiaries in a few queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from laoxiao.assessments.models import Assessment
from laoxiao.core.identifiers import age_on
from laoxiao.facilities.models import Certificate, Facility, StaffMember
from laoxiao.people.models import ElderlyCategory, ElderlyProfile, Person

LEVEL_ORDER = ["junior", "intermediate", "senior", "technician", "senior_technician"]


def person_facts(people: Iterable[Person], on: dt.date) -> dict[int, dict[str, Any]]:
    """The facts person rules read, for many people in a few queries."""
    people = list(people)
    ids = [p.pk for p in people]
    profiles = {p.person_id: p for p in ElderlyProfile.objects.filter(person_id__in=ids)}
    assessed: dict[int, int | None] = {}
    for person_id, level in (
        Assessment.objects.filter(person_id__in=ids, status=Assessment.Status.APPROVED, level__isnull=False)
        .order_by("person_id", "assessed_on", "id")
        .values_list("person_id", "level")
    ):
        assessed[person_id] = level  # the latest approved one wins
    facts = {}
    for person in people:
        profile = profiles.get(person.pk)
        recorded = profile.ability_level if profile else None
        facts[person.pk] = {
            "person.age": age_on(person.birth_date, on),
            "person.active": person.status == Person.Status.ACTIVE,
            "person.economically_poor": bool(
                profile and (profile.subsistence_allowance or profile.extreme_poverty or profile.near_subsistence)
            ),
            "person.ability_level": assessed.get(person.pk, recorded),
            **{f"person.{c.value}": bool(profile and getattr(profile, c.value)) for c in ElderlyCategory},
        }
    return facts


def facility_facts(facility: Facility) -> dict[str, Any]:
    return {
        "facility.kind": facility.kind,
        "facility.ownership": facility.ownership,
        "facility.registered": bool(facility.uscc),
        "facility.status": facility.status,
        "facility.beds_occupied": facility.beds_occupied,
        "facility.is_inclusive": facility.is_inclusive,
        "floor_area_m2": float(facility.floor_area_m2) if facility.floor_area_m2 is not None else None,
    }


def staff_facts(members: Iterable[StaffMember], on: dt.date) -> dict[int, dict[str, Any]]:
    """Role, whether on staff on `on`, the highest caregiver certificate in force, and years of care work."""
    members = list(members)
    best: dict[int, str] = {}
    in_force = Certificate.objects.filter(staff__in=members, kind=Certificate.Kind.CAREGIVER, issued_on__lte=on).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=on)
    )
    for staff_id, level in in_force.values_list("staff_id", "level"):
        if level in LEVEL_ORDER and (
            staff_id not in best or LEVEL_ORDER.index(level) > LEVEL_ORDER.index(best[staff_id])
        ):
            best[staff_id] = level
    return {
        m.pk: {
            "staff.role": m.role,
            "staff.on_staff": m.hired_on <= on and (m.left_on is None or m.left_on > on),
            "staff.certificate_level": best.get(m.pk),
            "staff.years_of_care_work": age_on(m.hired_on, on) if m.hired_on <= on else 0,
        }
        for m in members
    }
