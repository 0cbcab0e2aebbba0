"""Every read of the facility registry, always through the scope chokepoint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from laoxiao.accounts.models import User
from laoxiao.core.personal import with_id_ending
from laoxiao.core.scope import area_range_q, scoped, scoped_get
from laoxiao.facilities.models import (
    CHILDCARE_KINDS,
    Certificate,
    Facility,
    FacilityKind,
    MedicalCareAgreement,
    StaffMember,
)

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


def certificate_state(certificate: Certificate, today: dt.date) -> str:
    """ "expired", "expiring" (within LAOXIAO_CERTIFICATE_WARNING_DAYS) or "valid"."""
    if certificate.expires_on is None or certificate.expires_on > today + _warning():
        return "valid"
    return "expired" if certificate.expires_on < today else "expiring"


def _warning() -> dt.timedelta:
    return dt.timedelta(days=settings.LAOXIAO_CERTIFICATE_WARNING_DAYS)


def facility_staff(
    *, user: User, facility: Facility, q: str = "", certificates: str = "", sort: str = ""
) -> QuerySet[StaffMember]:
    """A home's staff, found by name or the last four ID digits, those with an expired or expiring
    certificate, sorted by role or by the first certificate to expire."""
    today = timezone.localdate()
    qs = scoped(user, StaffMember.objects.filter(facility=facility)).prefetch_related(
        Prefetch("certificates", queryset=Certificate.objects.order_by(F("expires_on").asc(nulls_last=True), "id")),
        "trainings",
    )
    endings = [w for w in q.split() if len(w) == 4 and w[:3].isdigit()]
    for word in q.split():
        if word not in endings:
            qs = qs.filter(name__contains=word)
    for word in endings:
        qs = with_id_ending(qs, word)
    if certificates == "expired":
        qs = qs.filter(certificates__expires_on__lt=today).distinct()
    elif certificates == "expiring":
        qs = qs.filter(certificates__expires_on__range=(today, today + _warning())).distinct()
    if sort == "expiry":
        qs = qs.annotate(first_expiry=Min("certificates__expires_on"))
        return qs.order_by(F("first_expiry").asc(nulls_last=True), "name", "id")
    return qs.order_by("role", "name", "id")


def with_certificate_states(staff: Iterable[StaffMember]) -> list[StaffMember]:
    """The staff of one page, each certificate carrying its `state` for the page to show."""
    today = timezone.localdate()
    members = list(staff)
    for member in members:
        for certificate in member.certificates.all():
            certificate.state = certificate_state(certificate, today)  # type: ignore[attr-defined]
    return members


def staff_member_get(*, user: User, pk: int) -> StaffMember:
    return scoped_get(user, StaffMember.objects.select_related("facility"), pk=pk)


def facility_agreements(*, user: User, facility: Facility) -> QuerySet[MedicalCareAgreement]:
    return scoped(user, MedicalCareAgreement.objects.filter(facility=facility)).order_by("-signed_on")


# What the health commission follows up among the operating facilities of its area (product.md: childcare
# filing and staff, 医养结合), each a list of its own the start page counts.
FOLLOW_UPS = ("unfiled", "certificates_expired", "no_medical_care")


def facilities_to_follow_up(*, user: User, what: str) -> QuerySet[Facility]:
    """`unfiled`: childcare institutions operating without their filing (备案); `certificates_expired`:
    childcare institutions with a member of staff whose certificate has expired; `no_medical_care`: care
    homes with neither an on-site clinic nor a medical-care agreement in force."""
    today = timezone.localdate()
    operating = scoped(user, Facility.objects.filter(status=Facility.Status.OPERATING).select_related("area"))
    if what == "unfiled":
        rows = operating.filter(kind__in=CHILDCARE_KINDS, filing_status=Facility.FilingStatus.NOT_FILED)
    elif what == "certificates_expired":
        expired = StaffMember.objects.filter(
            facility=OuterRef("pk"), left_on__isnull=True, certificates__expires_on__lt=today
        ).order_by()
        # per row of a page: how many of its staff, for the link to the home's staff list
        staff = Subquery(expired.values("facility").annotate(n=Count("id", distinct=True)).values("n"))
        rows = operating.filter(Exists(expired), kind__in=CHILDCARE_KINDS).annotate(expired_staff=staff)
    elif what == "no_medical_care":
        in_force = MedicalCareAgreement.objects.filter(facility=OuterRef("pk"), signed_on__lte=today).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )
        rows = operating.filter(kind=FacilityKind.CARE_HOME, has_clinic=False).exclude(Exists(in_force))
    else:
        raise ValueError(what)
    return rows.order_by("area_id", "name", "id")
