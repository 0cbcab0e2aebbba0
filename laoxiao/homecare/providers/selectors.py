"""Reads of the service catalogue, providers, their caregivers and desks, and the monthly statements."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from laoxiao.core.months import month_bounds
from laoxiao.core.scope import public, scoped, scoped_get, within
from laoxiao.facilities.models import Facility, StaffMember, StaffRole
from laoxiao.homecare.models import (
    Caregiver,
    Order,
    Provider,
    ServiceKind,
    Statement,
)


def service_kinds() -> QuerySet[ServiceKind]:
    return public(ServiceKind.objects.filter(active=True).order_by("id"))


def provider_list(*, user: User) -> QuerySet[Provider]:
    return (
        scoped(user, Provider.objects.select_related("facility", "facility__area"))
        .annotate(caregiver_count=Count("caregivers", filter=Q(caregivers__active=True), distinct=True))
        .prefetch_related("kinds", "areas__area")
        .order_by("facility__area_id", "facility__name")
    )


def providers_accepting() -> QuerySet[Provider]:
    """Providers a home care bed may contract with (any in the city: the list of choices, not their data)."""
    return public(Provider.objects.filter(accepts_orders=True).select_related("facility").order_by("facility__name"))


def provider_get(*, user: User, pk: int) -> Provider:
    return scoped_get(user, Provider.objects.select_related("facility"), pk=pk)


def is_caregiver(*, user: User) -> bool:
    return within(user, Caregiver.objects.filter(user=user)).exists()


def is_desk(*, user: User) -> bool:
    """A provider's desk staff: signed in with the provider role and not one of its caregivers (who sign in
    with the same role, see their own visits and record them)."""
    return user.role == Role.PROVIDER and not is_caregiver(user=user)


def caregivers_for(*, user: User, order: Order | None) -> QuerySet[Caregiver]:
    """Active caregivers the user may assign; for `order`, those of its provider with the skill."""
    caregivers = scoped(user, Caregiver.objects.filter(active=True)).select_related("staff")
    if order is not None:
        caregivers = caregivers.filter(provider_id=order.provider_id, skills=order.kind)
    return caregivers


def organisations_to_register(*, user: User) -> QuerySet[Facility]:
    return scoped(user, Facility.objects.filter(status=Facility.Status.OPERATING)).order_by("name")


def provider_care_staff(*, user: User, provider: Provider) -> QuerySet[StaffMember]:
    """The provider's caregivers on staff, to register as home-care caregivers."""
    return scoped(
        user, StaffMember.objects.filter(facility_id=provider.pk, left_on__isnull=True, role=StaffRole.CAREGIVER)
    )


def provider_caregivers(*, user: User, provider: Provider) -> QuerySet[Caregiver]:
    return (
        scoped(user, Caregiver.objects.filter(provider=provider))
        .select_related("staff", "user")
        .prefetch_related("skills")
        .order_by("-active", "staff__name", "id")
    )


def statement_list(*, user: User, month: str = "") -> QuerySet[Statement]:
    statements = scoped(user, Statement.objects.select_related("provider__facility", "confirmed_by"))
    return statements.filter(month=month) if month else statements


def statement_get(*, user: User, pk: int) -> Statement:
    return scoped_get(user, Statement.objects.select_related("provider__facility", "confirmed_by"), pk=pk)


def statement_orders(*, user: User, statement: Statement) -> QuerySet[Order]:
    start, end = month_bounds(statement.month)
    return (
        scoped(user, Order.objects.filter(provider=statement.provider, status=Order.Status.COMPLETED))
        .filter(scheduled_start__gte=start, scheduled_start__lt=end)
        .select_related("recipient", "kind")
        .order_by("-disputed", "scheduled_start", "id")
    )
