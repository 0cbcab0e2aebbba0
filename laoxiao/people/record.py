"""One person's whole record (一人一档): each section read through its own domain's scoped selector.

The person page shows the latest rows of each section with the section's total and a link to the
full list, so the page stays short however long a person's history is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from laoxiao.accounts.models import User
from laoxiao.alerts import selectors as alerts
from laoxiao.benefits.models import Payment, Programme
from laoxiao.core.scope import scoped
from laoxiao.homecare import selectors as homecare
from laoxiao.homecare.models import Meal, Visit
from laoxiao.people.models import Person

SECTION_ROWS = 5


@dataclass(frozen=True)
class Section:
    rows: list[Any]
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.rows)


def _section(queryset: QuerySet[Any]) -> Section:
    rows = list(queryset[:SECTION_ROWS])
    total = len(rows) if len(rows) < SECTION_ROWS else queryset.count()
    return Section(rows=rows, total=total)


@dataclass(frozen=True)
class PersonRecord:
    orders: Section | None
    visits: Section | None
    meals: Section | None
    alerts: Section | None
    payments: Section | None
    paid_total: Decimal | None
    balance: Any


def person_record(*, user: User, person: Person) -> PersonRecord:
    """The sections the user's role may read; a section the role may not read is None (not shown)."""
    can = user.has_role_permission
    payments = None
    paid_total = None
    if can("benefit.view"):
        paid = scoped(
            user,
            Payment.objects.filter(
                beneficiary_type=Programme.Beneficiary.PERSON, beneficiary_id=person.pk, status=Payment.Status.PAID
            ),
        )
        payments = _section(paid.select_related("programme").order_by("-period", "-id"))
        paid_total = paid.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    home_care = can("homecare.view")
    return PersonRecord(
        orders=_section(homecare.person_orders(user=user, person=person)) if home_care else None,
        visits=_section(
            scoped(user, Visit.objects.filter(plan__person=person)).select_related("visitor").order_by("-visited_at")
        )
        if can("homecare.visit") or home_care
        else None,
        meals=_section(
            scoped(user, Meal.objects.filter(diner__person=person))
            .select_related("point__facility")
            .order_by("-served_on", "-id")
        )
        if can("homecare.meals") or home_care
        else None,
        alerts=_section(alerts.alert_list(user=user).filter(person=person)) if can("alert.view") else None,
        payments=payments,
        paid_total=paid_total,
        balance=homecare.allowance_balance(user=user, person=person, month=f"{timezone.localdate():%Y-%m}")
        if home_care
        else None,
    )
