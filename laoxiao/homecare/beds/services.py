"""家庭养老床位: a home set up for care. It goes into service once the person has an approved assessment,
the home has been adapted and the contracted provider has a monthly service plan; its devices are
registered for the emergency-response desk, and its plan makes the month's orders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.assessments.models import Assessment
from laoxiao.core.months import month_bounds
from laoxiao.core.scope import scoped
from laoxiao.core.writes import service, writing
from laoxiao.homecare import rules
from laoxiao.homecare.models import Adaptation, Device, HomeCareBed, Order, PlannedService, Provider, ServiceKind
from laoxiao.homecare.orders.services import order_create
from laoxiao.people.models import Person


def _editable(by: User, bed: HomeCareBed) -> None:
    if not scoped(by, HomeCareBed.objects.filter(pk=bed.pk)).exists():
        raise ValidationError({"bed": _("This home care bed is not within your responsibility.")})
    if bed.status == HomeCareBed.Status.ENDED:
        raise ValidationError({"bed": _("This home care bed has ended.")})


@service
def bed_create(*, by: User, person: Person, provider: Provider, contracted_on: dt.date) -> HomeCareBed:
    if not scoped(by, Person.objects.filter(pk=person.pk)).exists():
        raise ValidationError({"person": _("This person is not within your responsibility.")})
    bed = HomeCareBed(person=person, area_id=person.area_id, provider=provider, contracted_on=contracted_on)
    try:
        with transaction.atomic():
            bed.save()
    except IntegrityError:
        raise ValidationError({"person": _("This person already has a home care bed.")}) from None
    return bed


@service
def adaptation_add(*, by: User, bed: HomeCareBed, item: str, cost: Decimal, completed_on: dt.date) -> Adaptation:
    _editable(by, bed)
    if not item.strip():
        raise ValidationError({"item": _("This field is required.")})
    if cost < 0:
        raise ValidationError({"cost": _("Enter 0 or more.")})
    adaptation = Adaptation(bed=bed, item=item, cost=cost, completed_on=completed_on)
    adaptation.save()
    return adaptation


@service
def plan_line_set(
    *, by: User, bed: HomeCareBed, kind: ServiceKind, times_per_month: int, quantity: Decimal
) -> PlannedService:
    _editable(by, bed)
    if not bed.provider.kinds.filter(pk=kind.pk).exists():
        raise ValidationError({"kind": _("The contracted provider does not offer this service.")})
    if not 1 <= times_per_month <= 31:
        raise ValidationError({"times_per_month": _("Enter 1 to 31 times a month.")})
    line, _created = PlannedService.objects.get_or_create(
        bed=bed, kind=kind, defaults={"times_per_month": times_per_month}
    )
    line.times_per_month, line.quantity = times_per_month, quantity
    line.save()
    return line


@service
def device_register(*, by: User, bed: HomeCareBed, kind: str, serial: str, installed_on: dt.date) -> Device:
    _editable(by, bed)
    if kind not in Device.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of device.")})
    if not serial.strip():
        raise ValidationError({"serial": _("This field is required.")})
    device = Device(bed=bed, kind=kind, serial=serial.strip(), installed_on=installed_on)
    try:
        with transaction.atomic():
            device.save()
    except IntegrityError:
        raise ValidationError({"serial": _("A device with this serial number is registered already.")}) from None
    return device


@service
def bed_activate(*, by: User, bed: HomeCareBed, on: dt.date) -> HomeCareBed:
    _editable(by, bed)
    errors: dict[str, str] = {}
    assessment = (
        Assessment.objects.filter(person=bed.person, status=Assessment.Status.APPROVED)
        .order_by("-assessed_on", "-id")
        .first()
    )
    if assessment is None:
        errors["assessment"] = _("The person needs an approved ability assessment first.")
    if not bed.adaptations.exists():
        errors["adaptations"] = _("Record the home's adaptation first.")
    if not bed.plan.exists():
        errors["plan"] = _("Give the bed a monthly service plan first.")
    if errors:
        raise ValidationError(errors)
    bed.assessment, bed.status, bed.activated_on = assessment, HomeCareBed.Status.ACTIVE, on
    bed.save(update_fields=["assessment", "status", "activated_on"])
    return bed


def care_plan_orders(*, month: str) -> int:
    """Make the month's orders from every bed in service: each plan line's visits spread evenly over the
    month, offered to the contracted provider. Run again, it makes only what is missing, and what lay
    beyond the booking window (rules.json's booking.days_ahead) on an earlier run. Bed by bed, each in a
    transaction of its own: a refused bed keeps what the beds before it were given."""
    start, end = month_bounds(month)
    days = (end - start).days
    made = 0
    beds = HomeCareBed.objects.filter(status=HomeCareBed.Status.ACTIVE).select_related("person", "provider")
    for bed in beds:
        with writing():
            for line in bed.plan.select_related("kind"):
                for i in range(line.times_per_month):
                    day = start + dt.timedelta(days=(i * days) // line.times_per_month)
                    when = day.replace(hour=rules.BOOKED_HOUR)
                    made_already = Order.objects.filter(
                        recipient=bed.person, kind=line.kind, scheduled_start=when
                    ).filter(
                        Q(channel=Order.Channel.CARE_PLAN) | ~Q(status=Order.Status.CANCELLED)  # or ordered otherwise
                    )
                    beyond = timezone.localdate(when) > rules.last_bookable_day(timezone.localdate())
                    if when < timezone.now() or beyond or made_already.exists():
                        continue
                    order_create(
                        by=None,
                        recipient=bed.person,
                        kind=line.kind,
                        quantity=line.quantity,
                        scheduled_start=when,
                        channel=Order.Channel.CARE_PLAN,
                        provider=bed.provider,
                    )
                    made += 1
    return made
