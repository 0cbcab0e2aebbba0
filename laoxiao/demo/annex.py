"""Facilities built to reproduce a plan's baseline column exactly (黔江区 annex 1, 2020): the city file
lists the care homes and childcare centres and the staff counts the annex's figures imply."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from laoxiao.core import areacode
from laoxiao.core.personal import sealed
from laoxiao.core.scope import area_range_q
from laoxiao.demo.generator import allocate, short_name
from laoxiao.demo.names import person_name
from laoxiao.facilities.models import Certificate, Facility, FacilityKind, StaffMember, StaffRole
from laoxiao.people.models import Person

if TYPE_CHECKING:
    from laoxiao.demo.generator import Generator

CERTIFICATE_OF = {
    StaffRole.CAREGIVER: Certificate.Kind.CAREGIVER,
    StaffRole.NURSERY_TEACHER: Certificate.Kind.NURSERY_TEACHER,
    StaffRole.INFANT_CARER: Certificate.Kind.INFANT_CARER,
}


def build_facilities(gen: Generator, spec: dict[str, Any]) -> None:
    homes_spec = spec["care_homes"]
    beds = [h["beds"] for h in homes_spec]
    nursing = allocate(round(sum(beds) * spec["nursing_bed_share"]), beds, caps=beds)
    inclusive = allocate(round(sum(beds) * spec["inclusive_bed_share"]), beds, caps=beds)
    facilities = []
    for home, n, i in zip(homes_spec, nursing, inclusive, strict=True):
        village = gen._pick_village()
        facilities.append(
            gen._facility(
                kind=FacilityKind.CARE_HOME,
                name=home["name"],
                village=village,
                ownership=home["ownership"],
                profit=Facility.ProfitStatus.NON_PROFIT,
                is_inclusive=i > 0,
                beds_total=home["beds"],
                beds_nursing=n,
                beds_inclusive=i,
                beds_occupied=round(home["beds"] * 0.6),
                floor_area_m2=Decimal(home["beds"] * 35),
            )
        )
    communities = [v for vs in gen.places.villages.values() for v in vs if not gen.places.is_rural(v)]
    for community in communities:  # annex 1: 社区日间照料机构覆盖率 100%
        facilities.append(
            gen._facility(
                kind=FacilityKind.COMMUNITY_CENTER,
                name=f"{short_name(community.name)}社区日间照料中心",
                village=community,
                ownership=Facility.Ownership.PUBLIC_BUILT_PRIVATE_RUN,
                profit=Facility.ProfitStatus.NON_PROFIT,
                is_inclusive=True,
                floor_area_m2=Decimal(gen.rng.randint(200, 800)),
            )
        )
    for centre in spec["childcare_centers"]:  # not 普惠 in 2020: township coverage 0
        facilities.append(
            gen._facility(
                kind=FacilityKind.CHILDCARE_CENTER,
                name=centre["name"],
                village=gen._pick_village(rural=False),
                ownership=Facility.Ownership.PRIVATE,
                profit=Facility.ProfitStatus.FOR_PROFIT,
                is_inclusive=False,
                places_total=centre["places"],
                enrolled=round(centre["places"] * 0.7),
                filing_status=Facility.FilingStatus.FILED,
                filed_on=gen.today - dt.timedelta(days=200),
                floor_area_m2=Decimal(centre["places"] * 10),
            )
        )
    created = bulk_create_with_history(facilities, Facility, batch_size=1000)
    for item in created:
        gen.counts[f"facility:{item.kind}"] += 1
    _staff(
        gen,
        spec,
        [f for f in created if f.kind == FacilityKind.CARE_HOME],
        [f for f in created if f.kind == FacilityKind.CHILDCARE_CENTER],
    )


def _staff(gen: Generator, spec: dict[str, Any], homes: list[Facility], centres: list[Facility]) -> None:
    roles: list[tuple[Facility, str]] = []
    for home, n in zip(homes, allocate(spec["caregivers"], [h.beds_total for h in homes]), strict=True):
        roles += [(home, StaffRole.CAREGIVER)] * n
    for role, count in spec["childcare_talent"].items():
        for centre, n in zip(centres, allocate(count, [c.places_total for c in centres]), strict=True):
            roles += [(centre, role)] * n
    members = []
    for facility, role in roles:
        female = gen.rng.random() < 0.85
        birth = gen._birth(gen.rng.randint(22, 55))
        members.append(
            StaffMember(
                facility=facility,
                name=person_name(gen.rng, female=female, birth_year=birth.year),
                role=role,
                hired_on=gen.today - dt.timedelta(days=gen.rng.randint(30, 2000)),
                **sealed("id_number", gen.ids.make(areacode.county(facility.area_id), birth, female=female)),
            )
        )
    members = bulk_create_with_history(members, StaffMember, batch_size=1000)
    certifiable = [m for m in members if m.role in CERTIFICATE_OF]
    holders = gen.rng.sample(certifiable, spec["certified_holders"])
    bulk_create_with_history(
        [
            Certificate(
                staff=m,
                kind=CERTIFICATE_OF[StaffRole(m.role)],
                level=Certificate.Level.JUNIOR,
                number=str(gen.rng.randint(10**15, 10**16 - 1)),
                issued_on=gen.today - dt.timedelta(days=100),
                expires_on=None,
            )
            for m in holders
        ],
        Certificate,
        batch_size=1000,
    )
    gen.counts["staff"] = len(members)
    gen.counts["certificates"] = len(holders)


def house_dependent_tekun(gen: Generator, share: float) -> None:
    """特困 elderly unable to care for themselves: `share` of them live in the care homes (annex 1: 10%)."""
    # The same people the indicator counts (planning.formulas.tekun_disabled_centralised_rate).
    dependent = list(
        Person.objects.filter(area_range_q("area_id", gen.plan["code_prefix"]), elderly_profile__extreme_poverty=True)
        .filter(Q(elderly_profile__disabled=True) | Q(elderly_profile__ability_level__gte=2))
        .order_by("id")
        .values_list("id", flat=True)
    )
    homes = list(Facility.objects.filter(kind=FacilityKind.CARE_HOME).order_by("id").values_list("id", flat=True))
    chosen = gen.rng.sample(dependent, round(len(dependent) * share)) if homes else []
    for index, person_id in enumerate(chosen):
        Person.objects.filter(pk=person_id).update(facility_id=homes[index % len(homes)])
    gen.counts["tekun_housed"] = len(chosen)
