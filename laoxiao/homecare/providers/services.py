"""Writes to the catalogue, providers and caregivers; the monthly provider statements."""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from laoxiao.accounts.models import User
from laoxiao.core import areacode
from laoxiao.core.bulk import delete_with_history, insert_with_history
from laoxiao.core.models import Area
from laoxiao.core.months import month_bounds
from laoxiao.core.scope import area_in_scope, scoped
from laoxiao.core.writes import service
from laoxiao.facilities.models import Facility, StaffMember
from laoxiao.homecare import rules
from laoxiao.homecare.models import Caregiver, Order, Provider, ProviderArea, ServiceKind, Statement


@service
def catalogue_sync() -> int:
    """Load the shipped service catalogue (catalogue.json); kinds already present keep the city's prices."""
    data = json.loads(rules.CATALOGUE.read_text(encoding="utf-8"))
    present = set(ServiceKind.objects.values_list("code", flat=True))
    missing = [ServiceKind(**row) for row in data["kinds"] if row["code"] not in present]
    bulk_create_with_history(missing, ServiceKind)
    return len(missing)


@service
def provider_register(
    *,
    by: User,
    facility: Facility,
    kinds: list[ServiceKind],
    area_codes: list[str],
    daily_capacity: int,
    accepts_orders: bool = True,
) -> Provider:
    """Register (or update) an organisation as a home-care provider with the areas and services it takes."""
    errors: dict[str, str] = {}
    if not area_in_scope(by, facility.area_id):
        errors["facility"] = _("This organisation is not within your responsibility.")
    if not kinds:
        errors["kinds"] = _("Choose at least one service.")
    areas = list(Area.objects.filter(code__in=area_codes))
    if not area_codes or len(areas) != len(set(area_codes)):
        errors["areas"] = _("Enter the codes of the areas served, each a known area.")
    elif any(not area_in_scope(by, a.code) for a in areas):
        errors["areas"] = _("No area with this code is within your responsibility.")
    if daily_capacity < 1:
        errors["daily_capacity"] = _("A provider takes at least one order a day.")
    if errors:
        raise ValidationError(errors)
    provider, _created = Provider.objects.get_or_create(facility=facility, defaults={"daily_capacity": daily_capacity})
    provider.daily_capacity, provider.accepts_orders = daily_capacity, accepts_orders
    provider.save()
    provider.kinds.set(kinds)
    provider.areas.exclude(area__in=areas).delete()
    for area in areas:
        ProviderArea.objects.get_or_create(
            provider=provider, area=area, defaults={"prefix": areacode.prefix(area.code, area.level)}
        )
    return provider


@service
def caregiver_register(
    *, by: User, provider: Provider, staff: StaffMember, skills: list[ServiceKind], username: str = ""
) -> Caregiver:
    errors: dict[str, str] = {}
    if staff.facility_id != provider.pk:
        errors["staff"] = _("The caregiver must be on the provider's staff.")
    elif Caregiver.objects.filter(staff=staff).exists():  # adding again would reset their skills and account
        errors["staff"] = _("This person is already a caregiver of the provider.")
    if not skills:
        errors["skills"] = _("Choose at least one service.")
    elif {k.pk for k in skills} - set(provider.kinds.values_list("pk", flat=True)):
        errors["skills"] = _("The provider does not offer every service chosen.")
    user = User.objects.filter(username=username).first() if username else None
    if username and user is None:
        errors["username"] = _("No account has this user name.")
    elif user is not None and provider.pk not in user.organisation_ids:
        errors["username"] = _("The account must belong to the provider.")
    if errors:
        raise ValidationError(errors)
    caregiver = Caregiver(staff=staff, provider=provider, user=user, active=True)
    caregiver.save()
    caregiver.skills.set(skills)
    return caregiver


@service
def statements_build(*, by: User | None, month: str) -> int:
    """The statement for `month` of every provider in the user's scope (every provider, for the monthly
    job: `by` None) from its completed orders, in one grouped query. Confirmed statements are kept as they
    are; a district's officer rebuilds only their district's."""
    try:
        start, end = month_bounds(month)
    except ValueError:
        raise ValidationError({"month": _("Enter a month as YYYY-MM, e.g. 2026-11.")}) from None
    zero = Decimal(0)
    held = Q(review__in=[Order.Review.PENDING, Order.Review.REFUSED])  # exceptions not (or never) payable
    providers = Provider.objects.all() if by is None else scoped(by, Provider.objects.all())
    rows = (
        Order.objects.filter(
            status=Order.Status.COMPLETED, scheduled_start__gte=start, scheduled_start__lt=end, provider__in=providers
        )
        .order_by()
        .values("provider_id")
        .annotate(
            n=Count("id"),
            government=Sum("allowance_share", filter=Q(disputed=False) & ~held),
            personal=Sum("personal_share"),
            disputed_n=Count("id", filter=Q(disputed=True)),
            disputed_amount=Sum("allowance_share", filter=Q(disputed=True)),
            held_n=Count("id", filter=Q(disputed=False) & held),
            held_amount=Sum("allowance_share", filter=Q(disputed=False) & held),
        )
    )
    now = timezone.now()
    _lock_providers(providers)
    ours = Statement.objects.filter(month=month, provider__in=providers)
    confirmed = set(ours.filter(confirmed_at__isnull=False).values_list("provider_id", flat=True))
    delete_with_history(ours.filter(confirmed_at__isnull=True), user_id=by.pk if by else None)
    fresh = [
        {
            "provider_id": row["provider_id"],
            "month": month,
            "orders": row["n"],
            "government_amount": row["government"] or zero,
            "personal_amount": row["personal"] or zero,
            "disputed_orders": row["disputed_n"],
            "disputed_amount": row["disputed_amount"] or zero,
            "held_orders": row["held_n"],
            "held_amount": row["held_amount"] or zero,
            "built_at": now,
        }
        for row in rows
        if row["provider_id"] is not None and row["provider_id"] not in confirmed
    ]
    insert_with_history(Statement, fresh, user_id=by.pk if by else None)
    return len(fresh)


def _lock_providers(providers: QuerySet[Provider]) -> None:
    """One build or confirmation of a provider's statements at a time (in one order, so two builds never
    wait on each other): a second build waits, then rebuilds what the first wrote."""
    list(Provider.objects.filter(pk__in=providers).select_for_update().order_by("pk").values_list("pk", flat=True))


@service
def statement_confirm(*, by: User, statement: Statement) -> Statement:
    """Civil affairs confirms the fees (the last step of the national flow); the statement is then fixed."""
    _lock_providers(Provider.objects.filter(pk=statement.provider_id))
    current = Statement.objects.filter(pk=statement.pk).first()
    if current is None:  # rebuilt meanwhile: the figures on the page are gone
        message = _("This statement was built again meanwhile; confirm the new one.")
        raise ValidationError({"statement": ValidationError(message, code="rebuilt")})
    statement = current
    if statement.confirmed_at is not None:
        raise ValidationError({"statement": _("This statement has been confirmed already.")})
    statement.confirmed_by, statement.confirmed_at = by, timezone.now()
    statement.save(update_fields=["confirmed_by", "confirmed_at"])
    return statement
