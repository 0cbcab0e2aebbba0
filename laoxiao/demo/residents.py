"""The residents of the demo's care homes, so that an operator finds the people living in its home."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef

from laoxiao.assessments.models import Assessment
from laoxiao.core.scope import area_range_q
from laoxiao.facilities.models import Facility, FacilityKind
from laoxiao.homecare.models import Diner, HomeCareBed, Order, VisitPlan
from laoxiao.people.models import Person

if TYPE_CHECKING:
    from laoxiao.demo.generator import Generator


def house_care_home_residents(gen: Generator) -> None:
    """Each operating home houses `gen.scale` of its occupied beds (the demo's people are that share of the
    city's): older people no home-care service reaches, those with an assessment first (admission asks for
    one), then the least able. 特困 elderly are left to the plan's own housing (annex.house_dependent_tekun),
    which its indicator counts."""
    prefix = gen.plan["code_prefix"]
    people = Person.objects.filter(
        area_range_q("area_id", prefix),
        status=Person.Status.ACTIVE,
        facility__isnull=True,
        elderly_profile__isnull=False,
        elderly_profile__extreme_poverty=False,
    ).exclude(pk__in=Order.objects.values("recipient_id"))
    for service in (VisitPlan, Diner, HomeCareBed):
        people = people.exclude(Exists(service.objects.filter(person=OuterRef("pk"))))
    pool = iter(
        people.annotate(assessed=Exists(Assessment.objects.filter(person=OuterRef("pk"))))
        .order_by("-assessed", F("elderly_profile__ability_level").desc(nulls_last=True), "id")
        .values_list("id", flat=True)
    )
    homes = Facility.objects.filter(
        area_range_q("area_id", prefix), kind=FacilityKind.CARE_HOME, status=Facility.Status.OPERATING
    ).order_by("id")
    housed = 0
    for home in homes:
        chosen = [pk for _n, pk in zip(range(round(home.beds_occupied * gen.scale)), pool, strict=False)]
        housed += Person.objects.filter(pk__in=chosen).update(facility=home)
    gen.counts["care_home_residents"] = housed
