"""One person's whole record (一人一档): each section read through its own domain's scoped selector.

The person page shows the latest rows of each section with the section's total and a link to the
section's own page, which lists all of it 100 rows at a time; both read the same queryset, so the
total on the person page is the length of the list behind its link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from laoxiao.accounts.models import User
from laoxiao.alerts import selectors as alerts
from laoxiao.assessments.selectors import person_assessments
from laoxiao.benefits.models import Payment, Programme
from laoxiao.core.scope import scoped
from laoxiao.homecare.models import Meal, Visit
from laoxiao.homecare.orders import selectors as orders_selectors
from laoxiao.people.models import Person
from laoxiao.people.rules import is_elderly

SECTION_ROWS = 5


def _paid(user: User, person: Person) -> QuerySet[Payment]:
    return scoped(
        user,
        Payment.objects.filter(
            beneficiary_type=Programme.Beneficiary.PERSON, beneficiary_id=person.pk, status=Payment.Status.PAID
        ),
    )


def elderly_care(person: Person) -> bool:
    """Home care, its allowance, visits, meals and the ability assessment are for people aged 60 or over (the
    services refuse anyone younger): a child's or a young guardian's record has no such sections."""
    return is_elderly(person.birth_date, timezone.localdate())


def _anyone(person: Person) -> bool:
    return True


@dataclass(frozen=True)
class SectionKind:
    title: Promise
    allowed: Callable[[Callable[[str], bool]], bool]  # given the role's permission test
    rows: Callable[[User, Person], QuerySet[Any]]
    applies: Callable[[Person], bool] = _anyone  # whether the section can hold anything for this person


SECTIONS: dict[str, SectionKind] = {
    "orders": SectionKind(
        _("Home care orders"),
        lambda can: can("homecare.view"),
        lambda user, person: orders_selectors.person_orders(user=user, person=person),
        elderly_care,
    ),
    "visits": SectionKind(
        _("Visits (探访)"),
        lambda can: can("homecare.visit") or can("homecare.view"),
        lambda user, person: (
            scoped(user, Visit.objects.filter(plan__person=person))
            .select_related("visitor")
            .order_by("-visited_at", "-id")
        ),
        elderly_care,
    ),
    "meals": SectionKind(
        _("Meals"),
        lambda can: can("homecare.meals") or can("homecare.view"),
        lambda user, person: (
            scoped(user, Meal.objects.filter(diner__person=person))
            .select_related("point__facility")
            .order_by("-served_on", "-id")
        ),
        elderly_care,
    ),
    "alerts": SectionKind(
        _("Alerts"),
        lambda can: can("alert.view"),
        lambda user, person: alerts.alert_list(user=user).filter(person=person).order_by("-raised_at", "-id"),
    ),
    "payments": SectionKind(
        _("Benefits paid"),
        lambda can: can("benefit.view"),
        lambda user, person: _paid(user, person).select_related("programme").order_by("-period", "-id"),
    ),
    "assessments": SectionKind(
        _("Assessments"),
        lambda can: True,  # scoped like the person: a resident sees their own
        lambda user, person: person_assessments(user=user, person=person),
        elderly_care,
    ),
}


@dataclass(frozen=True)
class Section:
    name: str
    title: Promise
    rows: list[Any]
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.rows)


def section_rows(*, user: User, person: Person, name: str) -> QuerySet[Any] | None:
    """All rows of one section, newest first; None when there is no such section, the role may not read it or
    it cannot apply to the person."""
    kind = SECTIONS.get(name)
    if kind is None or not kind.allowed(user.has_role_permission) or not kind.applies(person):
        return None
    return kind.rows(user, person)


def _section(user: User, person: Person, name: str) -> Section | None:
    queryset = section_rows(user=user, person=person, name=name)
    if queryset is None:
        return None
    rows = list(queryset[:SECTION_ROWS])
    total = len(rows) if len(rows) < SECTION_ROWS else queryset.count()
    return Section(name=name, title=SECTIONS[name].title, rows=rows, total=total)


@dataclass(frozen=True)
class PersonRecord:
    sections: dict[str, Section]  # only those the role may read and that apply to the person
    paid_total: Decimal | None
    balance: Any
    elderly_care: bool

    @property
    def empty(self) -> list[Section]:
        """Sections with nothing in them, named on one line rather than each an empty table."""
        return [s for s in self.sections.values() if not s.total and s.name != "assessments"]


def person_record(*, user: User, person: Person) -> PersonRecord:
    """The sections the user's role may read and that apply to the person; the others are left out (not shown)."""
    sections = {name: s for name in SECTIONS if (s := _section(user, person, name)) is not None}
    paid_total = None
    if "payments" in sections:
        paid_total = _paid(user, person).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    elderly = elderly_care(person)
    return PersonRecord(
        sections=sections,
        paid_total=paid_total,
        balance=orders_selectors.allowance_balance(user=user, person=person, month=f"{timezone.localdate():%Y-%m}")
        if elderly and user.has_role_permission("homecare.view")
        else None,
        elderly_care=elderly,
    )
