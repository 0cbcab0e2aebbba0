"""Reads of orders (lists, the caregiver's day, offers, the allowance's balance and a price) and complaints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from laoxiao.accounts.models import User
from laoxiao.benefits.selectors import entitlement
from laoxiao.core.models import StatusChange
from laoxiao.core.months import month_bounds
from laoxiao.core.scope import scoped, scoped_get
from laoxiao.core.transitions import status_changes
from laoxiao.homecare import rules
from laoxiao.homecare.models import (
    Allowance,
    Complaint,
    Order,
    OrderEvent,
    ServiceKind,
)
from laoxiao.homecare.providers.selectors import is_caregiver, is_desk
from laoxiao.people.models import Person


def dispatches(*, user: User, order: Order) -> bool:
    """Whether the user answers the order's offer (accept, decline) and names its caregiver: the desk of the
    provider it is with. The one rule for the services' check and the order page's controls."""
    return order.provider_id is not None and order.provider_id in user.organisation_ids and is_desk(user=user)


@dataclass
class OrderFilter:
    status: str = ""
    kind: str = ""
    flagged: bool = False
    review: str = ""  # Order.Review: "pending" lists the visits supervision has to look at
    no_caregiver: bool = False
    month: str = ""
    q: str = ""
    mine: bool = False  # a caregiver's own visits only


def order_list(*, user: User, filters: OrderFilter) -> QuerySet[Order]:
    orders = scoped(
        user, Order.objects.select_related("recipient", "kind", "provider__facility", "caregiver__staff", "area")
    )
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.kind:
        orders = orders.filter(kind__code=filters.kind)
    if filters.flagged:
        orders = orders.exclude(flags=[])
    if filters.review:
        orders = orders.filter(review=filters.review)
    if filters.no_caregiver:
        orders = orders.filter(caregiver__isnull=True)
    if filters.month:
        start, end = month_bounds(filters.month)
        orders = orders.filter(scheduled_start__gte=start, scheduled_start__lt=end)
    if filters.q:
        orders = orders.filter(Q(recipient__name__contains=filters.q) | Q(address__contains=filters.q))
    if filters.mine:
        orders = orders.filter(caregiver__user=user)
    return orders.order_by("-scheduled_start", "-id")


def order_visible(*, user: User, pk: int) -> bool:
    """Whether the user still sees the order (a provider no longer does once it has gone to another)."""
    return scoped(user, Order.objects.filter(pk=pk)).exists()


def order_get(*, user: User, pk: int) -> Order:
    orders = Order.objects.all()
    if is_caregiver(user=user):  # their own visits, not the rest of their provider's orders
        orders = orders.filter(caregiver__user=user)
    return scoped_get(
        user,
        orders.select_related(
            "recipient",
            "kind",
            "provider__facility",
            "caregiver__staff",
            "caregiver__user",
            "area",
            "allowance",
            "ordered_by",
        ),
        pk=pk,
    )


def order_events(*, user: User, order: Order) -> QuerySet[OrderEvent]:
    return scoped(user, OrderEvent.objects.filter(order=order)).select_related("by", "provider__facility")


def caregiver_day(*, user: User, day: dt.date) -> QuerySet[Order]:
    """The signed-in caregiver's visits on `day`, in the order they are due."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    return (
        scoped(user, Order.objects.filter(caregiver__user=user))
        .filter(scheduled_start__gte=start, scheduled_start__lt=start + dt.timedelta(days=1))
        .exclude(status=Order.Status.CANCELLED)
        .select_related("recipient", "kind")
        .order_by("scheduled_start", "id")
    )


def offered_to_me(*, user: User) -> QuerySet[Order]:
    """Offers the user's provider can still take: one whose time limit has passed waits for the sweep to
    pass it on, and accepting it would be refused."""
    if not is_desk(user=user):
        return Order.objects.none()
    offers = Order.objects.filter(
        status=Order.Status.OFFERED, provider_id__in=user.organisation_ids, offer_expires_at__gt=timezone.now()
    )
    return scoped(user, offers).select_related("recipient", "kind", "area").order_by("offer_expires_at")


@dataclass
class Balance:
    month: str
    granted: Decimal
    used: Decimal
    opened: bool  # False: not drawn on yet, the figure is what the rule grants

    @property
    def left(self) -> Decimal:
        return self.granted - self.used

    @property
    def starts_on(self) -> dt.date:
        return dt.date.fromisoformat(f"{self.month}-01")


def allowance_balance(*, user: User, person: Person, month: str) -> Balance | None:
    """The person's allowance this month: the row once an order has drawn on it, before that what the
    programme's rule would grant. None when they have none."""
    row = scoped(user, Allowance.objects.filter(person=person, month=month)).first()
    if row is not None:
        return Balance(month, row.granted, row.used, True)
    if not scoped(user, Person.objects.filter(pk=person.pk)).exists():
        return None
    granted = entitlement(
        programme_code=rules.config()["allowance_programme"], person=person, on=dt.date.fromisoformat(f"{month}-01")
    )
    if granted is None or not granted[1].eligible:
        return None
    return Balance(month, granted[1].amount, Decimal(0), False)


@dataclass
class Price:
    total: Decimal
    allowance_share: Decimal
    personal_share: Decimal
    balance: Balance | None


def order_price(*, user: User, person: Person, kind: ServiceKind, quantity: Decimal, month: str) -> Price:
    """What an order would cost and who would pay it, shown before it is made; nothing is written."""
    balance = allowance_balance(user=user, person=person, month=month)
    _unit, total, drawn = rules.price_split(kind, quantity, balance.left if balance else None)
    return Price(total, drawn, total - drawn, balance)


def person_orders(*, user: User, person: Person) -> QuerySet[Order]:
    return (
        scoped(user, Order.objects.filter(recipient=person))
        .select_related("kind", "provider__facility")
        .order_by("-scheduled_start")
    )


def complaint_list(*, user: User, status: str = "") -> QuerySet[Complaint]:
    complaints = scoped(
        user,
        Complaint.objects.select_related("order__recipient", "order__kind", "order__provider__facility", "filed_by"),
    )
    return complaints.filter(status=status) if status else complaints


def order_complaints(*, user: User, order: Order) -> QuerySet[Complaint]:
    return scoped(user, Complaint.objects.filter(order=order)).select_related("filed_by")


def complaint_get(*, user: User, pk: int) -> Complaint:
    return scoped_get(user, Complaint.objects.select_related("order", "order__recipient", "filed_by"), pk=pk)


def complaint_settlement(*, user: User, complaint: Complaint) -> StatusChange | None:
    """The move that settled a complaint (who decided, and when); None while it is open."""
    if complaint.status == Complaint.Status.OPEN:
        return None
    return status_changes(scoped_get(user, Complaint.objects.all(), pk=complaint.pk)).last()
