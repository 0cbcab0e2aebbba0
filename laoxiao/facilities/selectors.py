"""Every read of the facility registry, always through the scope chokepoint."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from laoxiao.accounts.models import User
from laoxiao.core.scope import area_range_q, scoped, scoped_get
from laoxiao.facilities.models import Facility, FacilityKind, MedicalCareAgreement, StaffMember

SORTS = {
    "name": ("name", "id"),
    "-beds": ("-beds_total", "id"),
    "-places": ("-places_total", "id"),
    "area": ("area_id", "id"),
    "-created": ("-id",),
}


@dataclass(frozen=True)
class FacilityFilter:
    kind: str = ""
    q: str = ""
    area: str = ""
    ownership: str = ""
    status: str = ""
    inclusive: str = ""  # "1" / "0" / ""
    sort: str = "-created"


def facility_list(*, user: User, filters: FacilityFilter) -> QuerySet[Facility]:
    qs = scoped(user, Facility.objects.select_related("area"))
    if filters.kind in FacilityKind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        qs = qs.filter(Q(name__contains=filters.q.strip()) | Q(uscc=filters.q.strip().upper()))
    if filters.area.isdigit():
        qs = qs.filter(area_range_q("area_id", filters.area))
    if filters.ownership in Facility.Ownership.values:
        qs = qs.filter(ownership=filters.ownership)
    if filters.status in Facility.Status.values:
        qs = qs.filter(status=filters.status)
    if filters.inclusive in ("0", "1"):
        qs = qs.filter(is_inclusive=filters.inclusive == "1")
    return qs.order_by(*SORTS.get(filters.sort, SORTS["-created"]))


def facility_get(*, user: User, pk: int) -> Facility:
    return scoped_get(user, Facility.objects.select_related("area", "area__parent"), pk=pk)


def facility_staff(*, user: User, facility: Facility) -> QuerySet[StaffMember]:
    return (
        scoped(user, StaffMember.objects.filter(facility=facility))
        .prefetch_related("certificates", "trainings")
        .order_by("role", "name")
    )


def staff_member_get(*, user: User, pk: int) -> StaffMember:
    return scoped_get(user, StaffMember.objects.select_related("facility"), pk=pk)


def facility_agreements(*, user: User, facility: Facility) -> QuerySet[MedicalCareAgreement]:
    return scoped(user, MedicalCareAgreement.objects.filter(facility=facility)).order_by("-signed_on")
