"""The overview's headline figures, each read through its domain's scoped selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laoxiao.accounts.models import User
from laoxiao.core import areacode
from laoxiao.core.identifiers import birth_date_cutoff
from laoxiao.core.models import Area
from laoxiao.core.scope import scoped
from laoxiao.facilities.models import Facility, FacilityKind
from laoxiao.people.models import Person
from laoxiao.people.rules import ADVANCED_AGE, ELDERLY_AGE, INFANT_AGE_LIMIT


def home_counts(*, user: User, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    people = scoped(user, Person.objects.filter(status=Person.Status.ACTIVE)).aggregate(
        elderly=Count("id", filter=Q(birth_date__lte=birth_date_cutoff(ELDERLY_AGE, today))),
        advanced_age=Count("id", filter=Q(birth_date__lte=birth_date_cutoff(ADVANCED_AGE, today))),
        infants=Count("id", filter=Q(birth_date__gt=birth_date_cutoff(INFANT_AGE_LIMIT, today))),
    )
    facilities = scoped(user, Facility.objects.exclude(status=Facility.Status.CLOSED))
    care = facilities.filter(kind=FacilityKind.CARE_HOME).aggregate(
        care_homes=Count("id"),
        beds=Sum("beds_total"),
        nursing_beds=Sum("beds_nursing"),
        occupied=Sum("beds_occupied"),
    )
    childcare = facilities.filter(
        kind__in=[FacilityKind.CHILDCARE_CENTER, FacilityKind.NURSERY_CLASS, FacilityKind.HOME_CHILDCARE_POINT]
    ).aggregate(
        childcare=Count("id"),
        places=Sum("places_total"),
        inclusive_places=Sum("places_inclusive"),
    )
    by_kind = dict(facilities.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    # The glossary pairs 社区养老服务中心 and 日间照料中心 (one row, both kinds); a meal point is any place
    # that serves meals: a facility of that kind or a centre with meal-point settings.
    centres = (FacilityKind.COMMUNITY_CENTER, FacilityKind.DAY_CARE_CENTER)
    counts = {
        **by_kind,
        FacilityKind.COMMUNITY_CENTER: sum(by_kind.get(k, 0) for k in centres),
        FacilityKind.MEAL_POINT: facilities.filter(
            Q(kind=FacilityKind.MEAL_POINT) | Q(meal_point__isnull=False)
        ).count(),
    }
    labels: dict[str, Any] = {FacilityKind.COMMUNITY_CENTER: _("community elderly service centres / day-care centres")}
    kinds = [
        (labels.get(value, label), counts.get(value, 0))
        for value, label in FacilityKind.choices
        if value != FacilityKind.DAY_CARE_CENTER
    ]
    if user.role_scopes_by_organisation and not user.role_scopes_by_area:
        # An operator's elderly are its homes' residents: the occupied beds its homes report (在住), the
        # figure on the facility page, whether or not each resident is registered with the home.
        people["elderly"] = facilities.aggregate(n=Sum("beds_occupied"))["n"] or 0
    # People may sit at village or township level; the first six digits of the code name the county.
    by_county = dict(
        scoped(
            user,
            Person.objects.filter(status=Person.Status.ACTIVE, birth_date__lte=birth_date_cutoff(ELDERLY_AGE, today)),
        )
        .annotate(county=areacode.county_of("area_id"))
        .values("county")
        .annotate(n=Count("id"))
        .values_list("county", "n")
    )
    names = dict(Area.objects.filter(code__in=[areacode.code_of(c) for c in by_county]).values_list("code", "name"))
    elderly_by_county = [(names.get(areacode.code_of(c), c), n) for c, n in sorted(by_county.items())]
    return {
        **people,
        **{k: v or 0 for k, v in (care | childcare).items()},
        "kinds": kinds,
        "elderly_by_county": elderly_by_county,
    }
