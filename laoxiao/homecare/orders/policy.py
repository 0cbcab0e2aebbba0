"""What the ordering rules say outside a write: the order a new one would repeat, the checks a booking
must pass, the providers an order is offered to and the caregiver it goes to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.core.identifiers import age_on
from laoxiao.core.scope import scoped
from laoxiao.facilities.models import Facility
from laoxiao.homecare import rules
from laoxiao.homecare.models import (
    Caregiver,
    Order,
    OrderEvent,
    Provider,
    ProviderArea,
    ServiceKind,
)
from laoxiao.people.models import Person

OPEN_STATUSES = (Order.Status.OFFERED, Order.Status.ACCEPTED, Order.Status.IN_SERVICE)
LOADED_STATUSES = (*OPEN_STATUSES, Order.Status.COMPLETED)
S = Order.Status


def same_order(*, recipient: Person, kind: ServiceKind, scheduled_start: dt.datetime) -> Order | None:
    """The open order a new one would repeat (the rule `one_open_order_per_person_service_start`)."""
    return (
        Order.objects.filter(recipient=recipient, kind=kind, scheduled_start=scheduled_start)
        .exclude(status=S.CANCELLED)
        .select_related("recipient", "kind")
        .first()
    )


def order_check(
    *,
    by: User | None,
    recipient: Person,
    kind: ServiceKind,
    quantity: Decimal | None,
    scheduled_start: dt.datetime,
    channel: str,
    now: dt.datetime | None = None,
) -> None:
    """Refuse an order that cannot be made, writing nothing: the first step of `order_create`, and the check
    made before the person is asked to confirm what the order will cost them (a quantity of None is one
    the form could not read as a number)."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    # Orders from a visit or a care plan carry the plan's authority (checked by their caller).
    from_plan = channel in (Order.Channel.VISIT, Order.Channel.CARE_PLAN)
    if by is not None and not from_plan and not may_order_for(by, recipient):
        errors["recipient"] = _("This person is not within your responsibility.")
    elif recipient.status != Person.Status.ACTIVE:
        errors["recipient"] = _("Only people on the register can be served.")
    elif age_on(recipient.birth_date, timezone.localdate(scheduled_start)) < 60:
        errors["recipient"] = _("Home care is for people aged 60 and over.")
    if not kind.active:
        errors["kind"] = _("This service is not offered.")
    if not quantity_ok(kind, quantity):
        errors["quantity"] = quantity_message(kind)
    opens, closes = rules.service_hours()
    today = timezone.localdate(now)
    last_day = rules.last_bookable_day(today)
    if scheduled_start < now - rules.device_clock_skew():
        errors["scheduled_start"] = _("The service cannot be scheduled in the past.")
    elif timezone.localdate(scheduled_start) > last_day:
        errors["scheduled_start"] = _("A service can be booked at most %(days)s days ahead, until %(day)s.") % {
            "days": (last_day - today).days,
            "day": f"{last_day:%Y-%m-%d}",
        }
    elif not opens <= timezone.localtime(scheduled_start).time() <= closes:
        errors["scheduled_start"] = _("A visit starts between %(opens)s and %(closes)s.") % {
            "opens": f"{opens:%H:%M}",
            "closes": f"{closes:%H:%M}",
        }
    if channel not in Order.Channel.values:
        errors["channel"] = _("Unknown channel.")
    if errors:
        raise ValidationError(errors)
    repeated = same_order(recipient=recipient, kind=kind, scheduled_start=scheduled_start)
    if repeated is not None:
        raise ordered_already(repeated)


def candidate_providers(order: Order) -> list[Provider]:
    """Providers that serve the home's area, offer the service, have an active caregiver with the skill
    and room on the day, and have not already declined or let this order's offer lapse; nearest first."""
    code = order.area_id
    prefixes = [code[:n] for n in (2, 4, 6, 9, 12)]
    local = timezone.localtime(order.scheduled_start)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    load = (
        Order.objects.filter(
            provider=OuterRef("pk"),
            status__in=LOADED_STATUSES,
            scheduled_start__gte=day_start,
            scheduled_start__lt=day_start + dt.timedelta(days=1),
        )
        .order_by()
        .values("provider")
        .annotate(n=Count("id"))
        .values("n")
    )
    turned_down = OrderEvent.objects.filter(
        order=order, kind__in=(OrderEvent.Kind.DECLINED, OrderEvent.Kind.EXPIRED)
    ).values("provider_id")
    providers = (
        Provider.objects.filter(
            accepts_orders=True,
            kinds=order.kind,
            facility__status=Facility.Status.OPERATING,
        )
        .filter(Exists(ProviderArea.objects.filter(provider=OuterRef("pk"), prefix__in=prefixes)))
        .filter(Exists(Caregiver.objects.filter(provider=OuterRef("pk"), active=True, skills=order.kind)))
        .exclude(pk__in=turned_down)
        .annotate(load=Coalesce(Subquery(load), 0))
        .filter(load__lt=F("daily_capacity"))
        .select_related("facility")
    )
    found = list(providers)

    def distance(provider: Provider) -> float:
        home, site = (order.latitude, order.longitude), (provider.facility.latitude, provider.facility.longitude)
        if None in home or None in site:
            return float("inf")
        return rules.distance_m(float(home[0]), float(home[1]), float(site[0]), float(site[1]))  # type: ignore[arg-type]

    return sorted(found, key=lambda p: (distance(p), p.load, p.pk))  # type: ignore[attr-defined]


def least_loaded_caregiver(order: Order) -> Caregiver | None:
    local = timezone.localtime(order.scheduled_start)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    busy = Count(
        "orders",
        filter=Q(
            orders__scheduled_start__gte=day_start,
            orders__scheduled_start__lt=day_start + dt.timedelta(days=1),
            orders__status__in=LOADED_STATUSES,
        ),
    )
    return (
        Caregiver.objects.filter(provider_id=order.provider_id, active=True, skills=order.kind)
        .annotate(busy=busy)
        .order_by("busy", "pk")
        .first()
    )


def may_order_for(by: User, person: Person) -> bool:
    return scoped(by, Person.objects.filter(pk=person.pk)).exists()


def ordered_already(order: Order) -> ValidationError:
    """The refusal of a repeated order: what exists, and a link to it."""
    text = format_html(
        _(
            "{name} has an order for {kind} at {time} already ({status}): "
            '<a href="{url}">see the order</a>. Nothing new was ordered.'
        ),
        name=order.recipient.name,
        kind=order.kind.name,
        time=f"{timezone.localtime(order.scheduled_start):%Y-%m-%d %H:%M}",
        status=order.get_status_display(),
        url=reverse("homecare:order", args=[order.pk]),
    )
    return ValidationError({"scheduled_start": text})


def quantity_ok(kind: ServiceKind, quantity: Decimal | None) -> bool:
    """Hours are booked to a tenth; a visit or a meal is given whole."""
    step = Decimal("0.1") if kind.unit == ServiceKind.Unit.HOUR else Decimal(1)
    return quantity is not None and Decimal(0) < quantity <= rules.max_quantity() and quantity % step == 0


def quantity_message(kind: ServiceKind) -> str:
    """The one message for a quantity that cannot be booked, whatever was wrong with it."""
    if kind.unit == ServiceKind.Unit.HOUR:
        return _("Above 0 and at most %(max)s hours, to one decimal place.") % {"max": rules.max_quantity()}
    return _("%(service)s is counted by the %(unit)s: above 0 and at most %(max)s, a whole number.") % {
        "service": kind.name,
        "unit": kind.get_unit_display(),
        "max": rules.max_quantity(),
    }
